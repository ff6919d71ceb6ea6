#!/usr/bin/env bash
# Hours ledger: 100,000 volunteers, about 2,000 teams, 5,000,000 service records; times
# `Store::volunteer_totals` (1,000 calls) and `Store::team_year_report` for this year (200
# calls), the heaviest volunteers and largest teams included. Target: under 100 ms.
# See bench/volunteer/README.md.
#
#   bench/volunteer/ledger.sh                      # SQLite, then PostgreSQL
#   BACKENDS="sqlite postgres mariadb" bench/volunteer/ledger.sh
#   ARGS="--volunteers 10000 --records 500000 --teams 200" bench/volunteer/ledger.sh   # smoke run
#
# Env: BACKENDS (sqlite postgres mariadb; default "sqlite postgres"), ARGS (passed to
# ledger_bench, e.g. --json), KEEP=1 keeps the SQLite file and the server databases.
# PostgreSQL: 127.0.0.1:5432, user postgres, trust auth, database `test` to connect to; the
# benchmark drops and creates `kexie_ledger_bench`. MariaDB: root@127.0.0.1:3306, same name.
set -euo pipefail
cd "$(dirname "$0")/../.."
BACKENDS=${BACKENDS:-sqlite postgres}
ARGS=${ARGS:-}
DB=kexie_ledger_bench
work=$(mktemp -d /tmp/kexie-ledger-bench.XXXXXX)
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
    case " $BACKENDS " in *" postgres "*)
      psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true ;;
    esac
    case " $BACKENDS " in *" mariadb "*)
      mysql -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true ;;
    esac
  fi
}
trap cleanup EXIT

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB, work dir $work"
cargo build --release -q -p kexie-store --example ledger_bench
bin=target/release/examples/ledger_bench

for backend in $BACKENDS; do
  case "$backend" in
    sqlite)
      url="sqlite://$work/kexie.db?mode=rwc"
      echo "== SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1) CLI; the bench uses the SQLite bundled by sqlx" ;;
    postgres)
      psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
      url="postgres://postgres@127.0.0.1:5432/$DB"
      echo "== $(psql -h 127.0.0.1 -U postgres -d test -tAc 'SELECT version()' | cut -d' ' -f1-2)," \
        "shared_buffers $(psql -h 127.0.0.1 -U postgres -d test -tAc 'SHOW shared_buffers')" ;;
    mariadb)
      mysql -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
      url="mysql://root@127.0.0.1:3306/$DB"
      echo "== MariaDB $(mysql -h 127.0.0.1 -u root -NBe 'SELECT VERSION()')," \
        "innodb_buffer_pool_size $(mysql -h 127.0.0.1 -u root -NBe 'SELECT @@innodb_buffer_pool_size')" ;;
    *) echo "backend: sqlite, postgres or mariadb" >&2; exit 2 ;;
  esac
  # shellcheck disable=SC2086 # ARGS is a list of arguments
  "$bin" "$url" $ARGS
done
