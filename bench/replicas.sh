#!/usr/bin/env bash
# GET /api/snapshots/{id}/tables/facts with Accept-Encoding: br (as the app asks) under wrk, against: one replica on
# the embedded store (SQLite + folder, the default), one replica on the shared store (PostgreSQL + an S3 bucket served
# by s3s-fs), and two replicas on that shared store (one wrk each, at once, figures added up). Everything runs on this
# machine, so two replicas share its cores: the point is what the shared store costs a request, and that a second
# replica serves as much as the first. Installs wrk from Debian when missing; PostgreSQL and s3s-fs come from
# `cargo xtask bootstrap`. Appends the figures to the log at the end of BENCHMARKS.md.
# Usage: bench/replicas.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
command -v wrk >/dev/null || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk; }
pgbin=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort | tail -1)")
s3s="${RUMBO_S3_SERVER:-$PWD/.tools/s3s/bin/s3s-fs}"
cargo build --release -q -p server
work=$(mktemp -d)
as_pg=(); [ "$(id -u)" = 0 ] && { chown postgres "$work"; as_pg=(runuser -u postgres --); }
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U rumbo --auth=trust -E UTF8 --no-sync --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-p 55432 -k $work -c listen_addresses=127.0.0.1" start >/dev/null
mkdir -p "$work/s3/rumbo" "$work/dist" "$work/data"
echo '<!doctype html><title>Rumbo</title>' > "$work/dist/index.html"
"$s3s" --host 127.0.0.1 --port 58014 --access-key bench --secret-key bench-secret "$work/s3" >/dev/null 2>&1 &
export AWS_ENDPOINT_URL=http://127.0.0.1:58014 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret \
  AWS_REGION=us-east-1 AWS_ALLOW_HTTP=true
shared=(--database-url postgres://rumbo@127.0.0.1:55432/postgres --blobs s3://rumbo/bench)
declare -A pids
serve() { # port [args]
  local port=$1; shift
  ./target/release/rumbo serve --addr "127.0.0.1:$port" --dist "$work/dist" --data-dir "$work/data-$port" \
    --max-connections-per-address 0 "$@" >"$work/rumbo-$port.log" 2>&1 &
  pids[$port]=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/snapshots/current" >/dev/null && return; sleep 0.2; done
  echo "replica on $port did not start"; cat "$work/rumbo-$port.log"; exit 1
}
table() { # port: the current table's path
  local id
  id=$(curl -sf "http://127.0.0.1:$1/api/snapshots/current" | python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshot_id"])')
  echo "/api/snapshots/$id/tables/facts"
}
run() { # threads connections url out
  wrk -t"$1" -c"$2" -d"${secs}s" --latency -H "Accept-Encoding: br" "$3" >"$4"
}
figures() { # files…: total req/s, worst p99, errors
  python3 - "$@" <<'PY'
import re, sys
rps, p99, errors = 0.0, 0.0, 0
for path in sys.argv[1:]:
    t = open(path).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    p99 = max(p99, float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)])
    errors += sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", t))
    errors += sum(int(x) for line in re.findall(r"Socket errors:(.*)", t) for x in re.findall(r"\d+", line))
print(f"{rps:.0f} req/s, p99 {p99:.1f} ms, errors {errors}")
PY
}
load=$(cut -d' ' -f1-3 /proc/loadavg)
serve 8280
path=$(table 8280)
run 2 128 "http://127.0.0.1:8280$path" "$work/embedded.txt"
echo "one replica, SQLite + folder: $(figures "$work/embedded.txt")" | tee "$work/report.txt"
kill "${pids[8280]}"
serve 8281 "${shared[@]}"
path=$(table 8281)
run 2 128 "http://127.0.0.1:8281$path" "$work/one.txt"
echo "one replica, PostgreSQL + S3: $(figures "$work/one.txt")" | tee -a "$work/report.txt"
serve 8282 "${shared[@]}"
run 1 64 "http://127.0.0.1:8281$path" "$work/two-a.txt" &
first=$!
run 1 64 "http://127.0.0.1:8282$path" "$work/two-b.txt"
wait "$first"
echo "two replicas, PostgreSQL + S3, together: $(figures "$work/two-a.txt" "$work/two-b.txt")" | tee -a "$work/report.txt"
{
  echo
  echo "### \`bench/replicas.sh $secs\`, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' with uncommitted changes')"
  echo
  echo "$(nproc) cores, load average $load before the runs; wrk -d${secs}s, Accept-Encoding: br, 128 connections in all"
  echo
  echo '```'
  cat "$work/report.txt"
  echo '```'
} >> BENCHMARKS.md
