#!/usr/bin/env bash
# Ranking experts for a need through the running platform: `kexie demo --scale 42` (≈10,000
# experts, ≈5,500 needs), the release server, an API token of the district staff, and wrk
# asking `GET /api/v1/needs/{id}/experts?limit=20` for a different approved need each time
# (so every request ranks the whole pool: nothing is cached per need). One connection
# measures the latency of one ranking; eight measure it under load on the 2-core machine.
# Loopback only; wrk stops after DURATION seconds.
#
#   bench/match-rank/api.sh        (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${SCALE:-42}
duration=${DURATION:-20}
port=${PORT:-18210}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
work=$(mktemp -d /tmp/kexie-rank.XXXXXX)
server=
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
export KEXIE_DATABASE_URL=""

echo "== loading the demo district at scale $scale"
"$bin" --data "$work" demo --scale "$scale" | head -1
token=$("$bin" --data "$work" token create --user staff | grep -o 'kx_[A-Za-z0-9_-]*' | head -1)
"$bin" --data "$work" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done

api="http://127.0.0.1:$port/api/v1"
experts=$(curl -fs -H "Authorization: Bearer $token" "$api/experts?per_page=1" | grep -o '"total":[0-9]*' | cut -d: -f2)
ids=$(curl -fs -H "Authorization: Bearer $token" "$api/needs?status=approved&per_page=200" | grep -o '"id":[0-9]*,"org_id"' | grep -o '[0-9]*' | head -200 | paste -sd, -)
[ -n "$ids" ] || { echo "no approved needs" >&2; exit 1; }
echo "== $experts experts; cycling over $(tr ',' '\n' <<<"$ids" | wc -l) approved needs"
# The first ranking builds the expert index; measure after it.
first=$(cut -d, -f1 <<<"$ids")
curl -fs -o /dev/null -w "== first ranking (builds the index): %{time_total} s\n" -H "Authorization: Bearer $token" "$api/needs/$first/experts?limit=20"

cat >"$work/needs.lua" <<LUA
local ids = { $ids }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/needs/" .. ids[(n % #ids) + 1] .. "/experts?limit=20")
end
LUA
for c in 1 8; do
  echo "== wrk: $c connection(s), ${duration}s"
  wrk -t1 -c"$c" -d"${duration}s" --latency -s "$work/needs.lua" -H "Authorization: Bearer $token" "http://127.0.0.1:$port"
done
echo "== server resident memory: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
