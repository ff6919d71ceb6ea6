#!/usr/bin/env bash
# The JSON API against its own OpenAPI document: schemathesis runs every check (status codes,
# content types, schemas, valid data accepted, invalid data refused, no 5xx) with a fixed seed
# and a bounded number of examples, as an administrator's token, against the built binary on a
# fresh demo district. Any failure fails the script.
#   KEXIE_BIN        the binary (default target/debug/kexie, as `cargo build -p kexie` leaves it)
#   ST_MAX_EXAMPLES  examples per operation (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
bin=${KEXIE_BIN:-target/debug/kexie}
examples=${ST_MAX_EXAMPLES:-30}

if [ "$(schemathesis --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --data "$data" serve --demo --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "server did not start"; cat "$data/server.log"; exit 1; }
token=$("$bin" --data "$data" token create --user admin --name schemathesis | tail -1)

schemathesis --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --seed 2026 \
  --max-examples "$examples" \
  --workers 2 \
  --request-timeout 30
