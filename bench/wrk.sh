#!/usr/bin/env bash
# GET /api/snapshots/{id}/tables/facts (uncompressed, and with Accept-Encoding: br as the app asks for it) and GET /
# with wrk (256 connections), side by side with nginx serving the same bytes from disk. Installs wrk and nginx from Debian when missing. Exits non-zero when a floor of issue 10 is
# missed (rumbo >= 0.7 x nginx's requests/s, p99 <= 20 ms, no errors), after printing every figure and appending the
# comparisons to the log at the end of BENCHMARKS.md.
# Usage: bench/wrk.sh [seconds]
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
curl -sf "http://127.0.0.1:8181/" -o "$work/www/index.html"
# The table as the app asks for it (Accept-Encoding: br): nginx serves the same brotli bytes from a second root.
mkdir -p "$work/wwwbr$(dirname "$path")"
curl -sf -H "Accept-Encoding: br" "http://127.0.0.1:8181$path" -o "$work/wwwbr$path"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:8182; root $work/www; default_type application/vnd.apache.arrow.stream;
           location = / { default_type text/html; try_files /index.html =404; } }
  server { listen 127.0.0.1:8184; root $work/wwwbr; default_type application/vnd.apache.arrow.stream;
           add_header Content-Encoding br; }
}
NGINX
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
echo "table: $(stat -c %s "$work/www$path") bytes"
curl -sf -o /dev/null "http://127.0.0.1:8182$path" || { echo "nginx does not serve the table"; exit 1; }
run() { # url name [header]
  wrk -t2 -c256 -d"${secs}s" --latency ${3:+-H "$3"} "$1" | tee "$work/$2.txt" | grep -E "Requests/sec|Non-2xx|errors|99%"
}
missed=0
compare() { # name: compares rumbo's and nginx's runs against the floors
  python3 - "$work/rumbo-$1.txt" "$work/nginx-$1.txt" "$1" <<'PY' || missed=1
import re, sys
def read(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    non_2xx = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", t))
    socket = sum(int(x) for line in re.findall(r"Socket errors:(.*)", t) for x in re.findall(r"\d+", line))
    errors = non_2xx + socket
    return rps, p99, errors
r, n = read(sys.argv[1]), read(sys.argv[2])
ratio = r[0] / n[0]
print(f"{sys.argv[3]}: rumbo {r[0]:.0f} req/s p99 {r[1]:.1f} ms errors {r[2]} | nginx {n[0]:.0f} req/s p99 {n[1]:.1f} ms | ratio {ratio:.2f}")
bad = [w for w, ok in [("ratio >= 0.7", ratio >= 0.7), ("p99 <= 20 ms", r[1] <= 20.0), ("no errors", r[2] == 0)] if not ok]
if bad:
    print(f"{sys.argv[3]}: floor missed: {', '.join(bad)}")
    sys.exit(1)
PY
}
echo "table, brotli: $(stat -c %s "$work/wwwbr$path") bytes"
{ echo "wrk -t2 -c256 -d${secs}s; table: $(stat -c %s "$work/www$path") bytes, brotli: $(stat -c %s "$work/wwwbr$path") bytes"
  echo; echo '```'; } > "$work/report.txt"
for target in "table $path 8182" "table-br $path 8184" "page / 8182"; do
  set -- $target
  header=""; [ "$1" = table-br ] && header="Accept-Encoding: br"
  echo "== $1: rumbo"; run "http://127.0.0.1:8181$2" "rumbo-$1" "$header"
  echo "== $1: nginx"; run "http://127.0.0.1:$3$2" "nginx-$1" "$header"
  compare "$1" > "$work/compare.txt"
  tee -a "$work/report.txt" < "$work/compare.txt"
done
echo '```' >> "$work/report.txt"
# The figures also go to the log at the end of BENCHMARKS.md, with the date, the commit and the machine.
cargo xtask log "bench/wrk.sh $secs" "$work/report.txt"
exit $missed
