#!/usr/bin/env bash
# Proof-of-play ingestion, batches of 500, on SQLite and on PostgreSQL, side by side with the
# ceiling: the same rows inserted by the sqlite3 shell straight into the same table, one
# transaction per 500 (WAL, synchronous=FULL, as the server runs). The server answers 200 only
# after its transaction has committed. Loopback only; each wrk run stops after DURATION s.
#
#   bench/estation/plays.sh        (needs wrk, sqlite3; PostgreSQL at PG_URL for the second run)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-20}
conns=${CONNS:-8}
port=${PORT:-18230}
pg_admin=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
work=$(mktemp -d /tmp/kexie-plays.XXXXXX)
server=
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
lua=$(pwd)/bench/estation/plays.lua

run() { # $1: label, $2: database URL ("" for SQLite in the data dir)
  local label=$1 url=$2 data="$work/$1"
  KEXIE_DATABASE_URL="$url" "$bin" --data "$data" demo >"$work/$label-demo.log" && head -1 "$work/$label-demo.log"
  local code
  code=$(KEXIE_DATABASE_URL="$url" "$bin" --data "$data" device code --station 1)
  KEXIE_DATABASE_URL="$url" "$bin" --data "$data" serve --listen "127.0.0.1:$port" >"$work/$label.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  local base="http://127.0.0.1:$port" token content
  token=$(curl -fs -X POST "$base/api/device/v1/enroll" -H 'content-type: application/json' \
    -d "{\"code\":\"$code\",\"hardware_id\":\"bench-$label\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  content=$(curl -fs -H "Authorization: Bearer $token" "$base/api/device/v1/manifest" | grep -o '"content_id":"[0-9]*"' | head -1 | grep -o '[0-9]*')
  echo "== $label: batches of 500 plays, $conns connections, ${duration}s"
  BATCH=500 CONTENT=$content wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$lua" -H "Authorization: Bearer $token" "$base"
  kill $server; wait $server 2>/dev/null || true
}

run sqlite ""
db="$work/sqlite/kexie.db"
echo "== rows in play (SQLite) after the run: $(sqlite3 "$db" 'SELECT COUNT(*) FROM play')"

if psql "$pg_admin" -c 'SELECT 1' >/dev/null 2>&1; then
  psql -q "$pg_admin" -c 'DROP DATABASE IF EXISTS kexie_bench_plays' -c 'CREATE DATABASE kexie_bench_plays'
  run postgres "${pg_admin%/*}/kexie_bench_plays"
  echo "== rows in play (PostgreSQL) after the run: $(psql -tA "${pg_admin%/*}/kexie_bench_plays" -c 'SELECT COUNT(*) FROM play')"
  psql -q "$pg_admin" -c 'DROP DATABASE IF EXISTS kexie_bench_plays'
else
  echo "== PostgreSQL not reachable at $pg_admin: skipped"
fi

# The ceiling: the sqlite3 shell inserting into the same table, 500 rows per transaction.
batches=${CEILING_BATCHES:-2000}
python3 - "$batches" >"$work/ceiling.sql" <<'PY'
import sys
n = int(sys.argv[1])
print("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
for b in range(n):
    rows = ",".join(
        f"(999,'c{b}-{i}',1,1,NULL,NULL,'2026-11-28 08:00:00+00:00',20261128,20000,1,NULL,'2026-11-28 08:00:20+00:00')"
        for i in range(500))
    print("BEGIN; INSERT INTO play (device_id,play_id,station_id,media_id,schedule_id,interrupt_id,started_at,day,"
          f"duration_ms,completed,audience,received_at) VALUES {rows}; COMMIT;")
PY
start=$(date +%s.%N)
sqlite3 "$db" <"$work/ceiling.sql" >/dev/null
end=$(date +%s.%N)
python3 -c "import sys; n=$batches*500; t=$end-$start; print(f'== sqlite3 shell ceiling: {n} rows in {t:.2f} s = {n/t:.0f} rows/s')"
