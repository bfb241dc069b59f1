#!/usr/bin/env bash
# CSV intake side by side with pyarrow.csv.read_csv on the same 1M-row file.
# Installs pyarrow from PyPI into .tools/py (idempotent), runs the criterion bench (which writes the CSV),
# then times pyarrow reading that file (median and best of 11). Usage: bench/csv_vs_pyarrow.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/py
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import pyarrow' 2>/dev/null || "$venv/bin/pip" install -q 'pyarrow==22.*' 'polars==1.*'
out=$(mktemp -d)
RUMBO_BENCH_CSV_OUT="$out" cargo bench -p shared --features intake --bench intake -- facts_1m 2>&1 | grep -E "^facts_1m|time:" 
"$venv/bin/python" - "$out/facts-1m.csv" <<'PY'
import sys, time
import pyarrow.csv as pc
import statistics
times = []
for _ in range(11):
    t0 = time.perf_counter()
    pc.read_csv(sys.argv[1])
    times.append(time.perf_counter() - t0)
print(f"pyarrow.csv.read_csv (all columns typed by inference): median {statistics.median(times)*1000:.0f} ms, best {min(times)*1000:.0f} ms (11 runs)")
PY
rm -rf "$out"
