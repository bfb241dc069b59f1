//! Browser benchmarks of the coverage dashboard (issues 6 and 10): the release app in headless Chromium against
//! the real server holding the demo scaled to N `facts` rows. Ignored by `cargo test`; run with
//! `cargo xtask bench-app`, which prints Markdown tables for BENCHMARKS.md and fails when a floor is missed.
//!
//! In one page load per size:
//! - the page's own timings of its first load (decoding the `facts` stream, the first aggregation);
//! - side by side on the same `ArrayBuffer`, repetitions interleaved: Rumbo's path (`bench_first_view`: bytes
//!   into wasm memory, decoding, every aggregation of the default coverage view: map, charts, tables, the five
//!   tiles) against apache-arrow JS doing the same aggregations idiomatically (`Vector.get(i)`) and as an expert
//!   would (typed arrays over the dictionary keys), `bench/arrow-js/aggregate.js`. The three results are
//!   compared figure by figure before any time counts;
//! - filter changes of each kind a reader makes (indicator, place, period, sex), timed from the `change` event to
//!   the frame that shows the new map and charts (issue 33): the `requestAnimationFrame` after the last canvas is
//!   drawn, then a task after that frame's style, layout, paint and commit ("painted", where the floors apply);
//!   beside it, when every reactive effect had run (what was timed before issue 33) and when the next frame began
//!   (an upper bound: the frame was on screen by then). A first pass with the canvas context's drawing methods
//!   wrapped checks that every kind of change drew a canvas and drew it before that frame. On a standard-density
//!   screen (one device pixel per CSS pixel, where the floors apply) and a high-density one (two), at both sizes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tests::{Browser, TempDir, TestServer};

const LOADS: usize = 5;
const REPS: usize = 7;
const CHANGES: usize = 15;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn number(browser: &Browser, js: &str) -> f64 {
    let v = browser.client.execute(&format!("return Number({js});"), vec![]).await.expect("script runs");
    v.as_f64().unwrap_or(f64::NAN)
}

/// The kinds of filter change, each by its picker, and the two values it alternates between (`None`: the
/// picker's value when the page opened, then the option chosen by `ALTERNATE`).
const KINDS: [(&str, &str, Option<[&str; 2]>); 4] = [
    ("indicator", "#f-indicator", None),
    ("place", "[data-testid=place]", Some(["HN-CR", ""])),
    ("period", "#f-from", None),
    ("sex", "[data-testid=sex]", Some(["mujer", ""])),
];

/// The option a picker without fixed values alternates with: the next indicator; for the first month, a year
/// earlier (or the next month when there is none), so the period and every chart change.
const ALTERNATE: &str = r"
const other = (s) => {
  const i = s.selectedIndex;
  if (s.id === 'f-from') return s.options[i >= 12 ? i - 12 : i + 1].value;
  return s.options[(i + 1) % s.options.length].value;
};";

/// Sets a picker's value and dispatches its `change`, then answers `[effects, frame, painted, next frame, last
/// canvas call before the frame, last canvas call after it]` in milliseconds from just before the event: every
/// reactive effect run (the earlier of a zero-delay task and the next animation frame: the effects run in
/// microtasks, before either); the animation frame callback of the frame that shows the change; the task after that
/// frame's rendering (its style, layout, paint and commit); the start of the frame after it; and, when the canvas
/// methods are spied on (`SPY`), the last drawing call seen by the animation frame and by the task after it (-1 when
/// none): equal when no canvas drew after the frame.
const REDRAW: &str = r"
const [selector, fixed, i] = arguments; const done = arguments[arguments.length - 1];
const s = document.querySelector(selector);
window.rumboBenchValues ??= {};
const values = window.rumboBenchValues[selector] ??= fixed || [other(s), s.value];
window.rumboLastCanvasCall = -1;
const t0 = performance.now();
s.value = values[i % 2];
s.dispatchEvent(new Event('change', { bubbles: true }));
let effects = null;
setTimeout(() => { effects ??= performance.now() - t0; }, 0);
requestAnimationFrame(() => {
  const frame = performance.now() - t0;
  effects = Math.min(effects ?? frame, frame);
  const last = window.rumboLastCanvasCall < 0 ? -1 : window.rumboLastCanvasCall - t0;
  setTimeout(() => {
    const painted = performance.now() - t0;
    const after = window.rumboLastCanvasCall < 0 ? -1 : window.rumboLastCanvasCall - t0;
    requestAnimationFrame(() => done([effects, frame, painted, performance.now() - t0, last, after]));
  }, 0);
});";

/// Wraps (or, with `false`, unwraps) the 2D context's drawing methods to note the time of the last call.
const SPY: &str = r"
const p = CanvasRenderingContext2D.prototype;
window.rumboCanvasMethods ??= Object.fromEntries(['fillRect', 'strokeRect', 'clearRect', 'fill', 'stroke',
  'fillText', 'strokeText', 'drawImage', 'putImageData'].map((m) => [m, p[m]]));
for (const [m, f] of Object.entries(window.rumboCanvasMethods)) {
  p[m] = arguments[0] ? function (...a) { window.rumboLastCanvasCall = performance.now(); return f.apply(this, a); } : f;
}";

/// One change of `kind`, the `i`-th (alternating between its two values): the times `REDRAW` answers.
async fn redraw(browser: &Browser, kind: usize, i: usize) -> [f64; 6] {
    let (_, selector, fixed) = KINDS[kind];
    let args = vec![selector.into(), fixed.map_or(Value::Null, |f| f.as_slice().into()), i.into()];
    let out = browser.client.execute_async(&format!("{ALTERNATE}{REDRAW}"), args).await.expect("redraw");
    let t = |n: usize| out[n].as_f64().unwrap_or(f64::NAN);
    [t(0), t(1), t(2), t(3), t(4), t(5)]
}

/// A copy of the built app with apache-arrow JS and the benchmark's script beside it (same origin, so the
/// page's Content-Security-Policy lets them load).
fn dist_with_scripts() -> TempDir {
    let dir = TempDir::new("bench-dist");
    copy_dir(&tests::dist(), &dir.0);
    let bench = dir.0.join("bench");
    std::fs::create_dir_all(&bench).expect("bench dir");
    let arrow =
        PathBuf::from(std::env::var("RUMBO_ARROW_JS").expect("RUMBO_ARROW_JS (set by `cargo xtask bench-app`)"));
    std::fs::copy(&arrow, bench.join("arrow.js")).expect("apache-arrow JS");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/arrow-js/aggregate.js");
    std::fs::copy(script, bench.join("aggregate.js")).expect("aggregate.js");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dist/ exists").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("dir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Loads the two scripts, fetches the current `facts` table once, then runs the three paths `REPS` times,
/// interleaved. Returns the first result of each path and every timing.
const SIDE_BY_SIDE: &str = r"
const done = arguments[arguments.length - 1];
const load = (src) => new Promise((ok, fail) => {
  const s = document.createElement('script'); s.src = src; s.onload = ok; s.onerror = () => fail(src);
  document.head.append(s);
});
(async () => {
  await load('/bench/arrow.js');
  await load('/bench/aggregate.js');
  const listed = await (await fetch('/api/snapshots')).json();
  const id = listed.find((s) => s.current).snapshot_id;
  const bytes = new Uint8Array(await (await fetch(`/api/snapshots/${id}/tables/facts`)).arrayBuffer());
  const out = { wasm: [], idiomatic: [], expert: [], results: {} };
  let params = null;
  for (let rep = 0; rep < REPS; rep++) {
    const w = JSON.parse(window.wasmBindings.bench_first_view(bytes));
    out.wasm.push([w.copy_ms, w.decode_ms, w.aggregate_ms]);
    if (!params) { params = w.params; out.results.wasm = w; }
    for (const path of ['idiomatic', 'expert']) {
      const t0 = performance.now();
      const r = window.rumboArrowBench[path](bytes, params);
      out[path].push(performance.now() - t0);
      if (!out.results[path]) out.results[path] = r;
    }
  }
  done(JSON.stringify(out));
})().catch((e) => done('ERROR ' + e + ' ' + (e.stack || '')));
";

/// Whether two results of the benchmark hold the same figures (lists compared as maps, so order does not count).
fn same_figures(a: &Value, b: &Value) -> Result<(), String> {
    let close = |x: &Value, y: &Value| match (x.as_f64(), y.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        _ => x == y,
    };
    let cells = |v: &Value| -> Vec<f64> {
        v.as_array().map(|c| c.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
    };
    let same_sum = |x: &Value, y: &Value| {
        let (x, y) = (cells(x), cells(y));
        x.len() == 4 && x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| close(&(*p).into(), &(*q).into()))
    };
    if a["rows"] != b["rows"] || !same_sum(&a["total"], &b["total"]) {
        return Err(format!("total: {} vs {}", a["total"], b["total"]));
    }
    for list in ["by_territory", "by_service", "by_population", "by_population_sex", "by_age", "by_month"] {
        let as_map = |v: &Value| -> std::collections::BTreeMap<String, Value> {
            v.as_array()
                .map(|l| l.iter().map(|e| (e[0].as_str().unwrap_or_default().to_owned(), e[1].clone())).collect())
                .unwrap_or_default()
        };
        let (x, y) = (as_map(&a[list]), as_map(&b[list]));
        if x.len() != y.len() || x.iter().any(|(k, s)| !y.get(k).is_some_and(|t| same_sum(s, t))) {
            return Err(format!("{list}: {} vs {}", a[list], b[list]));
        }
    }
    let (ta, tb) =
        (a["tiles"].as_array().cloned().unwrap_or_default(), b["tiles"].as_array().cloned().unwrap_or_default());
    let tiles_match =
        ta.len() == 5 && ta.len() == tb.len() && ta.iter().zip(&tb).all(|(x, y)| (0..5).all(|i| close(&x[i], &y[i])));
    if !tiles_match {
        return Err(format!("tiles: {} vs {}", a["tiles"], b["tiles"]));
    }
    Ok(())
}

struct Measured {
    rows: usize,
    page_decode: f64,
    page_aggregate: f64,
    copy: f64,
    decode: f64,
    aggregate: f64,
    idiomatic: f64,
    expert: f64,
    redraws: Vec<Redraws>,
}

impl Measured {
    fn rumbo(&self) -> f64 {
        self.copy + self.decode + self.aggregate
    }
}

async fn measure(rows: usize) -> Measured {
    let dist = dist_with_scripts();
    let server = TestServer::start_demo_serving(server::http::Settings::default(), Some(rows), &dist.0).await;
    let browser = Browser::start(1920, 1080).await;
    let (mut decode, mut aggregate) = (Vec::new(), Vec::new());
    for _ in 0..LOADS {
        browser.client.goto(&server.url("/")).await.expect("page loads");
        browser.wait_for("document.body.dataset.aggregateMs", "the first aggregation").await;
        assert_eq!(number(&browser, "document.body.dataset.rows").await as usize, rows);
        decode.push(number(&browser, "document.body.dataset.decodeMs").await);
        aggregate.push(number(&browser, "document.body.dataset.aggregateMs").await);
    }
    // Let the comparison snapshot load first, so that it does not land inside a measurement.
    browser.wait_for("document.querySelector('[data-testid=revisions]')", "the comparison").await;
    let timeouts = fantoccini::wd::TimeoutConfiguration::new(Some(std::time::Duration::from_mins(10)), None, None);
    browser.client.update_timeouts(timeouts).await.expect("script timeout");
    let script = SIDE_BY_SIDE.replace("REPS", &REPS.to_string());
    let raw = browser.client.execute_async(&script, vec![]).await.expect("side by side runs");
    let raw = raw.as_str().unwrap_or_default();
    assert!(!raw.starts_with("ERROR"), "{raw}");
    let out: Value = serde_json::from_str(raw).expect("JSON");
    let wasm = &out["results"]["wasm"];
    assert_eq!(wasm["rows"].as_u64(), Some(rows as u64));
    for path in ["idiomatic", "expert"] {
        if let Err(e) = same_figures(wasm, &out["results"][path]) {
            panic!("{path} JS computed other figures than Rumbo at {rows} rows: {e}");
        }
    }
    let column = |path: &str| -> Vec<f64> {
        out[path].as_array().map(|v| v.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
    };
    let part = |i: usize| -> Vec<f64> {
        out["wasm"].as_array().map(|v| v.iter().filter_map(|t| t[i].as_f64()).collect()).unwrap_or_default()
    };
    let redraws = changes(&browser).await;
    browser.close().await;
    Measured {
        rows,
        page_decode: median(decode),
        page_aggregate: median(aggregate),
        copy: median(part(0)),
        decode: median(part(1)),
        aggregate: median(part(2)),
        idiomatic: median(column("idiomatic")),
        expert: median(column("expert")),
        redraws,
    }
}

/// The times of `CHANGES` changes of one kind, in milliseconds.
struct Redraws {
    kind: &'static str,
    effects: Vec<f64>,
    frame: Vec<f64>,
    painted: Vec<f64>,
    next_frame: Vec<f64>,
}

/// Two changes of each kind with the canvas methods spied on (checking that each drew a canvas before the frame
/// timed as "painted"), then `CHANGES` of each kind, the kinds taking turns.
async fn changes(browser: &Browser) -> Vec<Redraws> {
    browser.client.execute(SPY, vec![true.into()]).await.expect("spy on the canvas");
    for (kind, &(name, ..)) in KINDS.iter().enumerate() {
        for i in 0..2 {
            let [.., last, after] = redraw(browser, kind, i).await;
            assert!(after >= 0.0, "a change of {name} drew no canvas");
            // The same call time read twice, or a later call: a canvas drew after the frame.
            assert!(
                last.to_bits() == after.to_bits(),
                "a change of {name} drew a canvas after the frame timed as showing it"
            );
        }
    }
    browser.client.execute(SPY, vec![false.into()]).await.expect("unwrap the canvas");
    let mut out: Vec<Redraws> = KINDS
        .iter()
        .map(|&(kind, ..)| Redraws {
            kind,
            effects: Vec::new(),
            frame: Vec::new(),
            painted: Vec::new(),
            next_frame: Vec::new(),
        })
        .collect();
    for i in 0..CHANGES {
        for (kind, times) in out.iter_mut().enumerate() {
            let [effects, frame, painted, next_frame, ..] = redraw(browser, kind, i).await;
            times.effects.push(effects);
            times.frame.push(frame);
            times.painted.push(painted);
            times.next_frame.push(next_frame);
        }
    }
    out
}

/// The same changes on a high-density screen (two device pixels per CSS pixel), where every chart draws at twice
/// its layout size: four times the pixels of the standard screen the floors are measured on.
async fn changes_on_dense_screen(rows: usize) -> Vec<Redraws> {
    let server = TestServer::start_demo_serving(server::http::Settings::default(), Some(rows), &tests::dist()).await;
    let browser = Browser::start_at_density(1920, 1080, 2).await;
    browser.client.goto(&server.url("/")).await.expect("page loads");
    browser.wait_for("document.querySelector('[data-testid=revisions]')", "the comparison").await;
    let redraws = changes(&browser).await;
    browser.close().await;
    redraws
}

fn slowest(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::max)
}

/// The redraw table: a row per size, screen and kind of change.
fn redraw_table(out: &mut String, rows: &[(usize, u32, &[Redraws])]) {
    let _ = writeln!(
        out,
        "\nFilter change → the frame that shows it ({CHANGES} changes of each kind, the kinds taking turns; medians \
         but the slowest, ms from the `change` event):\n"
    );
    let _ = writeln!(
        out,
        "| facts rows | screen | change | effects run | its frame begins | **painted** | painted, slowest | next frame begins |"
    );
    let _ = writeln!(out, "|---:|---|---|---:|---:|---:|---:|---:|");
    for &(n, density, redraws) in rows {
        for r in redraws {
            let _ = writeln!(
                out,
                "| {n} | {density}× | {} | {:.1} | {:.1} | **{:.1}** | {:.1} | {:.1} |",
                r.kind,
                median(r.effects.clone()),
                median(r.frame.clone()),
                median(r.painted.clone()),
                slowest(&r.painted),
                median(r.next_frame.clone())
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with `cargo xtask bench-app`"]
async fn coverage_dashboard_speed() {
    let mut results = Vec::new();
    for rows in [100_000, 1_000_000] {
        results.push(measure(rows).await);
    }
    let dense = [changes_on_dense_screen(100_000).await, changes_on_dense_screen(1_000_000).await];
    let mut out = String::new();
    let _ = writeln!(out, "\nSide by side, same page, same bytes (medians of {REPS}; ms):\n");
    let _ = writeln!(
        out,
        "| facts rows | Rumbo: into wasm | decode | all aggregations | **Rumbo total** | apache-arrow JS expert (typed arrays) | apache-arrow JS idiomatic (`get(i)`) | expert ÷ Rumbo | idiomatic ÷ Rumbo |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &results {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {:.1} | {:.1} | **{:.1}** | {:.1} | {:.1} | {:.2} | {:.1} |",
            r.rows,
            r.copy,
            r.decode,
            r.aggregate,
            r.rumbo(),
            r.expert,
            r.idiomatic,
            r.expert / r.rumbo(),
            r.idiomatic / r.rumbo()
        );
    }
    let _ = writeln!(out, "\nThe page itself (medians of {LOADS} loads; ms):\n");
    let _ = writeln!(out, "| facts rows | decode | first aggregation |");
    let _ = writeln!(out, "|---:|---:|---:|");
    for r in &results {
        let _ = writeln!(out, "| {} | {:.1} | {:.1} |", r.rows, r.page_decode, r.page_aggregate);
    }
    let table: Vec<(usize, u32, &[Redraws])> = results
        .iter()
        .map(|r| (r.rows, 1, r.redraws.as_slice()))
        .chain([(100_000, 2, dense[0].as_slice()), (1_000_000, 2, dense[1].as_slice())])
        .collect();
    redraw_table(&mut out, &table);
    let small = results.iter().find(|r| r.rows == 100_000).expect("100k measured");
    let big = results.iter().find(|r| r.rows == 1_000_000).expect("1M measured");
    let mut floors = vec![
        (big.rumbo() <= 30.0, format!("Rumbo's decode + all aggregations ≤ 30 ms at 1M rows: {:.1}", big.rumbo())),
        (
            big.rumbo() <= 2.0 * big.expert,
            format!("no slower than 2 × expert JS: {:.1} vs {:.1}", big.rumbo(), big.expert),
        ),
        (
            big.idiomatic >= 5.0 * big.rumbo(),
            format!("at least 5 × faster than idiomatic JS: {:.1}×", big.idiomatic / big.rumbo()),
        ),
    ];
    for (r, floor) in [(small, 16.0), (big, 50.0)] {
        for k in &r.redraws {
            let painted = median(k.painted.clone());
            floors.push((
                painted <= floor,
                format!(
                    "{} change → painted ≤ {floor} ms median at {} rows, 1×: {painted:.1} (slowest {:.1})",
                    k.kind,
                    r.rows,
                    slowest(&k.painted)
                ),
            ));
        }
    }
    let _ = writeln!(out);
    for (met, what) in &floors {
        let _ = writeln!(out, "{} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    tests::report(&out);
    assert!(floors.iter().all(|(met, _)| *met), "a floor was missed (listed above)");
}
