#!/usr/bin/env bash
# GET /api/snapshots/{id}/tables/facts with wrk (256 connections), side by side with nginx serving the same bytes
# from disk. Installs wrk and nginx from Debian when missing. Usage: bench/wrk.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
cargo xtask build >/dev/null
cargo build --release -q -p server
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/rumbo serve --addr 127.0.0.1:8181 --data-dir "$work/data" --dist dist > "$work/rumbo.log" 2>&1 &
for _ in $(seq 50); do curl -sf http://127.0.0.1:8181/api/snapshots/current >/dev/null && break; sleep 0.2; done
id=$(curl -sf http://127.0.0.1:8181/api/snapshots/current | python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshot_id"])')
path="/api/snapshots/$id/tables/facts"
mkdir -p "$work/www$(dirname "$path")"
curl -sf "http://127.0.0.1:8181$path" -o "$work/www$path"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:8182; root $work/www; default_type application/vnd.apache.arrow.stream; }
}
NGINX
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
echo "table: $(stat -c %s "$work/www$path") bytes"
curl -sf -o /dev/null "http://127.0.0.1:8182$path" || { echo "nginx does not serve the table"; exit 1; }
run() { wrk -t2 -c256 -d"${secs}s" --latency "$1" | tee "$work/$2.txt" | grep -E "Requests/sec|Non-2xx|errors|99%"; }
echo "== rumbo"; run "http://127.0.0.1:8181$path" rumbo
echo "== nginx"; run "http://127.0.0.1:8182$path" nginx
r=$(grep Requests/sec "$work/rumbo.txt" | awk '{print $2}'); n=$(grep Requests/sec "$work/nginx.txt" | awk '{print $2}')
python3 -c "print(f'ratio rumbo/nginx: {$r/$n:.2f}')"
