#!/usr/bin/env bash
# The station dashboard at 10,000 stations and 30,000 screens: `kexie demo --scale 90` (10,080
# stations, one screen each) plus two more screens per station, then the release server and
# DISTRICT staff opening /estation (counts over every screen, the first page of stations with
# each one's screens by health), a later page, a town filter and the map's data, RUNS times
# each; curl's total time on loopback, p50 and p99. SQLite.
#
#   bench/estation/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${SCALE:-90}
runs=${RUNS:-50}
port=${PORT:-18240}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
work=$(mktemp -d /tmp/kexie-dash.XXXXXX)
server=
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export KEXIE_DATABASE_URL=""

echo "== demo at scale $scale"
"$bin" --data "$work" demo --scale "$scale" >"$work/demo.log" && head -1 "$work/demo.log"
start=$(date +%s)
added=$("$bin" --data "$work" device code --station all --count 2 | wc -l)
echo "== $added more screens added in $(( $(date +%s) - start )) s"
echo "== stations: $(sqlite3 "$work/kexie.db" 'SELECT COUNT(*) FROM station'), screens: $(sqlite3 "$work/kexie.db" 'SELECT COUNT(*) FROM device')"
"$bin" --data "$work" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -fs -b "$jar" -c "$jar" -o /dev/null -X POST "$base/login" \
  --data-urlencode "username=staff" --data-urlencode "password=${KEXIE_DEMO_PASSWORD:-kexie-demo-2026}" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "next=/"
town=$(curl -fs -b "$jar" "$base/estation" | grep -o 'option value="[0-9][0-9]*"' | head -1 | grep -o '[0-9][0-9]*')

measure() { # $1: label, $2: path
  curl -fs -b "$jar" -o "$work/page.html" "$base$2"
  local times
  times=$(for _ in $(seq 1 "$runs"); do curl -fs -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$2"; done | sort -n)
  python3 - "$1" "$2" "$(stat -c %s "$work/page.html")" <<PY
import sys
t = [float(x) * 1000 for x in """$times""".split()]
n = len(t)
p = lambda q: t[min(n - 1, int(q * n))]
print(f"{sys.argv[1]:<28} {sys.argv[2]:<34} {int(sys.argv[3]) // 1024:>5} KB  p50 {p(0.5):6.1f} ms  p99 {p(0.99):6.1f} ms  max {t[-1]:6.1f} ms  (n={n})")
PY
}
measure "dashboard, first page" "/estation"
measure "dashboard, page 100" "/estation?page=100"
measure "dashboard, one town" "/estation?town=$town"
measure "dashboard, search" "/estation?q=%E7%A4%BE%E5%8C%BA"
measure "map (all stations)" "/estation/map"
grep -o 'data-stat="[a-z]*">[0-9]*' "$work/page.html" >/dev/null || true
curl -fs -b "$jar" "$base/estation" | grep -o 'data-stat="[a-z]*">[0-9]*' | sed 's/data-stat="//; s/">/ = /' | paste -sd' ' | sed 's/^/== counts on the page: /'
