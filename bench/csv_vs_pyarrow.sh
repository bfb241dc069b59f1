#!/usr/bin/env bash
# A CSV upload's full path side by side with pyarrow.csv.read_csv (issue 4's floor: ≤ 1.5 × pyarrow's median), in one
# run, on one 1M-row file both read from disk: Rumbo's time is what an upload does (intake + validation + canonical
# order + key narrowing, `server/examples/csv_upload.rs`; the disclosure control a publication adds is timed beside
# it, not compared: pyarrow protects nothing), pyarrow's is read_csv with type inference. Each runs once
# untimed, then is timed 11 times in two alternating rounds (so neither gets the quieter minutes), and the medians
# are compared. Installs pyarrow into .tools/py when missing; appends the figures to BENCHMARKS.md's log. Exits 1
# when the floor is missed. Usage: bench/csv_vs_pyarrow.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
venv=.tools/py
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import pyarrow' 2>/dev/null || "$venv/bin/pip" install -q 'pyarrow==22.*' 'polars==1.*'
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --quiet --release -p server --example csv_upload
upload=target/release/examples/csv_upload
csv="$out/facts.csv"
"$upload" write "$csv" "$rows"
pyarrow_time() {
  "$venv/bin/python" - "$csv" "$1" <<'PY'
import statistics, sys, time
import pyarrow.csv as pc
pc.read_csv(sys.argv[1])  # warm, as the other side is
times = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    pc.read_csv(sys.argv[1])
    times.append((time.perf_counter() - t0) * 1000)
print(" ".join(f"{t:.1f}" for t in times))
PY
}
rumbo_time() { "$upload" time "$csv" "$1" 2>>"$out/steps"; }
# Two alternating rounds of 6 and 5 runs each: 11 of each.
rumbo=$(rumbo_time 6) ; arrow=$(pyarrow_time 6)
arrow="$arrow $(pyarrow_time 5)" ; rumbo="$rumbo $(rumbo_time 5)"
report="$out/report.md"
"$venv/bin/python" - "$rumbo" "$arrow" "$(wc -c <"$csv")" "$rows" "$("$venv/bin/python" -c 'import pyarrow; print(pyarrow.__version__)')" >"$report" <<'PY'
import statistics, sys
rumbo = [float(t) for t in sys.argv[1].split()]
arrow = [float(t) for t in sys.argv[2].split()]
size, rows, version = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ratio = statistics.median(rumbo) / statistics.median(arrow)
print(f"`facts` CSV, {rows:,} rows, {size / 1e6:.1f} MB, read from disk by both, {len(rumbo)} runs each, alternating:\n")
print("```")
print(f"rumbo upload path (read + intake + validation + canonical order + narrowing, no disclosure control): median {statistics.median(rumbo):.0f} ms, best {min(rumbo):.0f} ms, slowest {max(rumbo):.0f} ms")
print(f"pyarrow {version} csv.read_csv (type inference):                                median {statistics.median(arrow):.0f} ms, best {min(arrow):.0f} ms, slowest {max(arrow):.0f} ms")
print("```\n")
verdict = "met:" if ratio <= 1.5 else "MISSED:"
print(f"{verdict} CSV upload path ≤ 1.5 × pyarrow's read_csv, median against median: {ratio:.2f} ×")
PY
{ echo; echo "Where Rumbo's time went, each round:"; echo; echo '```'; sed 's/^csv_upload: //' "$out/steps"; echo '```'; echo; echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."; } >>"$report"
cat "$report"
cargo xtask log "bench/csv_vs_pyarrow.sh${*:+ $*}" "$report"
! grep -q '^MISSED:' "$report"
