#!/usr/bin/env bash
# A year's proof-of-play report at district size (scale 1: 112 stations) and at 1,008 stations
# (scale 9), and what keeping the daily rollup costs ingestion:
# crates/store/examples/play_report_bench.rs on SQLite, then on PostgreSQL when PG_URL is set
# (an admin URL; a database kexie_report_bench is made and dropped).
#
#   bench/estation/report.sh                 SCALES="1 9" RUNS=5 BATCHES=100 PROFILE=release
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${PROFILE:-release}
scales=${SCALES:-1 9}
work=$(mktemp -d /tmp/kexie-report.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --profile "$profile" -p kexie-store --example play_report_bench
bin=target/$([ "$profile" = dev ] && echo debug || echo "$profile")/examples/play_report_bench
for scale in $scales; do
  "$bin" "sqlite://$work/report-$scale.db?mode=rwc" --scale "$scale" --runs "${RUNS:-5}" --batches "${BATCHES:-100}"
  if [ -n "${PG_URL:-}" ]; then
    psql "$PG_URL" -qc 'DROP DATABASE IF EXISTS kexie_report_bench' -c 'CREATE DATABASE kexie_report_bench'
    "$bin" "${PG_URL%/*}/kexie_report_bench" --scale "$scale" --runs "${RUNS:-5}" --batches "${BATCHES:-100}"
    psql "$PG_URL" -qc 'DROP DATABASE kexie_report_bench'
  fi
done
