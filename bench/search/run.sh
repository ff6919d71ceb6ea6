#!/usr/bin/env bash
# Search: kexie (tantivy + jieba) against PostgreSQL pg_trgm + ILIKE on the same generated
# corpus and the same labelled queries (bench/search/queries.tsv). See bench/search/README.md.
#
#   bench/search/run.sh                 # N=1,000,000 (about 50 minutes on 2 cores, most of it
#                                       # PostgreSQL scanning the table)
#   N=20000 bench/search/run.sh         # smoke run
#
# Env: N (documents), RUNS (timed runs per query, kexie), PG_RUNS (timed runs per query,
# PostgreSQL), OUT (work directory; a new temporary one by default, removed at the end unless
# KEEP=1), PGURL (default postgresql://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000000}
RUNS=${RUNS:-20}
PG_RUNS=${PG_RUNS:-2}
PGURL=${PGURL:-postgresql://postgres@127.0.0.1:5432/test}
OUT=${OUT:-$(mktemp -d /tmp/kexie-search-bench.XXXXXX)}
mkdir -p "$OUT"
cleanup() {
  psql "$PGURL" -q -c "DROP TABLE IF EXISTS bench_search_docs" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$OUT"; fi
}
trap cleanup EXIT

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), N=$N, work dir $OUT"
cargo build --release -q -p kexie-search --example search_bench
./target/release/examples/search_bench --n "$N" --runs "$RUNS" --out "$OUT" --queries bench/search/queries.tsv >/dev/null
# The index is not needed any more; PostgreSQL gets the page cache.
rm -rf "$OUT/index"

python3 -c 'import psycopg' 2>/dev/null || pip install -q 'psycopg[binary]'
python3 bench/search/pg.py --out "$OUT" --queries bench/search/queries.tsv --runs "$PG_RUNS" --url "$PGURL"
