#!/usr/bin/env bash
# Organisation list under load: `kexie demo --scale 100` (≈100,000 organisations, 1,000,000
# people), the real server signed in as district staff, wrk with 64 connections on
# "search term + kind filter, page 50". Prints wrk's latency distribution and the server's
# resident memory after the run. Loopback only; wrk stops after DURATION seconds.
#
#   bench/orgs-list.sh [sqlite|postgres]     (needs wrk and time: apt-get install wrk time)
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
scale=${SCALE:-100}
duration=${DURATION:-30}
port=${PORT:-18200}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
# DATA=dir keeps the loaded district there and reuses it on the next run (SQLite only).
work=${DATA:-$(mktemp -d /tmp/kexie-bench.XXXXXX)}
server=
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; [ -n "${DATA:-}" ] || rm -rf "$work"' EXIT

case "$backend" in
  sqlite) export KEXIE_DATABASE_URL="" ;;
  postgres)
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS kexie_bench" -c "CREATE DATABASE kexie_bench" >/dev/null
    export KEXIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac

if [ "$backend" = postgres ] || [ ! -f "$work/kexie.db" ]; then
  echo "== loading the demo district at scale $scale on $backend"
  /usr/bin/time -f "load: %e s, peak RSS %M KB" "$bin" --data "$work" demo --scale "$scale" | head -1
fi

KEXIE_LOGIN_BURST=100 "$bin" --data "$work" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
echo "== server resident memory at start: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"

jar="$work/cookies"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "username=staff&password=kexie-demo-2026&next=/&_csrf=$csrf" "http://127.0.0.1:$port/login"
session=$(awk '$6=="kexie_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "login failed" >&2; exit 1; }

# 科技 (technology) occurs in thousands of enterprise names: a realistic, unselective term.
path="/orgs?q=%E7%A7%91%E6%8A%80&kind=enterprise&page=50"
page=$(curl -s -H "Cookie: kexie_session=$session" "http://127.0.0.1:$port$path")
rows=$(grep -c 'href="/orgs/[0-9]' <<<"$page" || true)
total=$(grep -o '共 <strong>[0-9]*</strong>' <<<"$page" | grep -o '[0-9]*')
echo "== $path: $total matches, $rows rows on page 50"
[ "$rows" -gt 0 ] || { echo "page 50 is empty" >&2; exit 1; }

echo "== server resident memory after the first list: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
echo "== wrk: 2 threads, 64 connections, ${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -H "Cookie: kexie_session=$session" "http://127.0.0.1:$port$path"
echo "== server resident memory after the run: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}'), peak $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
