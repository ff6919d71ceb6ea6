#!/usr/bin/env bash
# Emergency fan-out: 10,000 simulated screens (90 on each of the demo's 112 stations) enrol,
# hold their event streams, poll and heartbeat; then the district staff's API token publishes
# an emergency broadcast to every screen and `kexie loadgen screens` measures, per screen, the
# time from publishing to the `manifest` event on its stream (and checks the manifest it then
# fetches carries that interrupt). Release server on SQLite, loopback only; the load generator
# stops after DURATION seconds.
#
#   bench/estation/fanout.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-10000}
duration=${DURATION:-180}
port=${PORT:-18260}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
work=$(mktemp -d /tmp/kexie-fanout.XXXXXX)
server=
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export KEXIE_DATABASE_URL=""
ulimit -n "$(ulimit -Hn)"

"$bin" --data "$work" demo >"$work/demo.log" && head -1 "$work/demo.log"
per=$(( (count + 111) / 112 ))
"$bin" --data "$work" device code --station all --count "$per" >"$work/codes.txt"
echo "== $(wc -l <"$work/codes.txt") enrolment codes"
token=$("$bin" --data "$work" token create --user staff | grep -o 'kx_[A-Za-z0-9_-]*' | head -1)
# Enrolment is rate-limited per address; the load generator is one address.
KEXIE_ENROLL_BURST=100000 KEXIE_ENROLL_PER_MINUTE=100000 \
  "$bin" --data "$work" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
# The emergency slide of the demo library (never on the standing schedule).
content=$(sqlite3 "$work/kexie.db" "SELECT id FROM media WHERE title LIKE '应急科普%' LIMIT 1")
"$bin" loadgen screens --url "http://127.0.0.1:$port" --count "$count" --duration "$duration" \
  --codes "$work/codes.txt" --broadcast-token "$token" --broadcast-content "$content" --broadcast-after 5
echo "== server resident memory: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
