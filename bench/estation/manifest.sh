#!/usr/bin/env bash
# Manifest polls answered 304 against nginx serving a static file of the manifest's size, side
# by side in one run on this machine: the release server on the demo district (SQLite), one
# enrolled screen, wrk sending `GET /api/device/v1/manifest` with its token and the current
# ETag in If-None-Match; then nginx (Debian's package) with a file of the same number of bytes
# as that manifest, same wrk settings. Loopback only; each wrk run stops after DURATION s.
#
#   bench/estation/manifest.sh      (needs wrk and nginx: apt-get install wrk nginx-light)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-20}
conns=${CONNS:-64}
port=${PORT:-18220}
nginx_port=${NGINX_PORT:-18221}
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
work=$(mktemp -d /tmp/kexie-manifest.XXXXXX)
server=
nginx_pid=
trap 'kill $server $nginx_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export KEXIE_DATABASE_URL=""

"$bin" --data "$work/data" demo >"$work/demo.log" && head -1 "$work/demo.log"
code=$("$bin" --data "$work/data" device code --station 1)
"$bin" --data "$work/data" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"
token=$(curl -fs -X POST "$base/api/device/v1/enroll" -H 'content-type: application/json' \
  -d "{\"code\":\"$code\",\"hardware_id\":\"bench-1\",\"model\":\"wrk\",\"resolution\":\"1920x1080\",\"app_version\":\"1.0.0\"}" |
  sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -fs -D "$work/headers" -o "$work/manifest.json" -H "Authorization: Bearer $token" "$base/api/device/v1/manifest"
etag=$(grep -i '^etag:' "$work/headers" | cut -d' ' -f2 | tr -d '\r')
size=$(stat -c %s "$work/manifest.json")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H "If-None-Match: $etag" "$base/api/device/v1/manifest")
echo "== manifest: $size bytes, ETag $etag, conditional poll answers $status"

mkdir -p "$work/www" "$work/nginx"
head -c "$size" /dev/urandom >"$work/www/manifest.json"
# nginx's workers run as an unprivileged user: let them read the file.
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/manifest.json"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/manifest.json" && break; sleep 0.1; done
curl -fs -o /dev/null -w "== nginx answers %{http_code} with %{size_download} bytes\n" "http://127.0.0.1:$nginx_port/manifest.json"

echo "== kexie: 304 manifest polls, $conns connections, ${duration}s"
wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Authorization: Bearer $token" -H "If-None-Match: $etag" "$base/api/device/v1/manifest"
echo "== nginx: static file of $size bytes, $conns connections, ${duration}s"
wrk -t2 -c"$conns" -d"${duration}s" --latency "http://127.0.0.1:$nginx_port/manifest.json"
echo "== nginx $(nginx -v 2>&1 | cut -d/ -f2); wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
