#!/usr/bin/env bash
# `rumbo migrate-store` of a single-machine store holding a 1M-row snapshot (`rumbo demo --rows 1000000`, published
# through `rumbo publish`) into PostgreSQL + an S3 bucket (s3s-fs), timed; then a replica on the new store serves the
# table and its sha256 is compared with the manifest's. PostgreSQL and s3s-fs come from `cargo xtask bootstrap`.
# Usage: bench/migrate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server
R=$PWD/target/release/rumbo
pgbin=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort | tail -1)")
s3s="${RUMBO_S3_SERVER:-$PWD/.tools/s3s/bin/s3s-fs}"
work=$(mktemp -d)
as_pg=(); [ "$(id -u)" = 0 ] && { chown postgres "$work"; as_pg=(runuser -u postgres --); }
cleanup() { kill $(jobs -p) 2>/dev/null || true; "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U rumbo --auth=trust -E UTF8 --no-sync --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-p 55433 -k $work -c listen_addresses=127.0.0.1" start >/dev/null
mkdir -p "$work/s3/rumbo" "$work/dist"; echo '<!doctype html>' > "$work/dist/index.html"
"$s3s" --host 127.0.0.1 --port 58015 --access-key k --secret-key s "$work/s3" >/dev/null 2>&1 &
export AWS_ENDPOINT_URL=http://127.0.0.1:58015 AWS_ACCESS_KEY_ID=k AWS_SECRET_ACCESS_KEY=s AWS_REGION=us-east-1 AWS_ALLOW_HTTP=true
$R demo --rows 1000000 --out "$work/demo" >/dev/null
RUMBO_PASSWORD=clave-larga-de-ana $R user add ana --role analyst --data-dir "$work/data" >/dev/null
token=$($R token create ana --data-dir "$work/data")
$R serve --addr 127.0.0.1:8383 --data-dir "$work/data" --dist "$work/dist" --no-demo >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:8383/api/healthz >/dev/null && break; sleep 0.2; done
$R publish --server http://127.0.0.1:8383 --token "$token" $(find "$work/demo" -maxdepth 1 -type f) > "$work/publish.log" 2>&1 || { tail "$work/publish.log"; exit 1; }
kill $pid; wait $pid 2>/dev/null || true
du -sh "$work/data/tables"
start=$(date +%s.%N)
$R migrate-store --data-dir "$work/data" --to-database-url postgres://rumbo@127.0.0.1:55433/postgres --to-blobs s3://rumbo/m1m
end=$(date +%s.%N)
echo "migrate-store seconds: $(python3 -c "print(round($end - $start, 2))")"
$R serve --addr 127.0.0.1:8384 --data-dir "$work/other" --dist "$work/dist" --database-url postgres://rumbo@127.0.0.1:55433/postgres --blobs s3://rumbo/m1m >/dev/null 2>&1 &
for _ in $(seq 100); do curl -sf http://127.0.0.1:8384/api/snapshots/current >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:8384/api/snapshots/current > "$work/m.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[t for t in d["tables"] if t["name"]=="facts"][0]; print("manifest facts rows", f["rows"], "sha", f["sha256"])' "$work/m.json"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshot_id"])' "$work/m.json")
echo "served facts sha $(curl -sf "http://127.0.0.1:8384/api/snapshots/$id/tables/facts" | sha256sum | cut -d' ' -f1)"
