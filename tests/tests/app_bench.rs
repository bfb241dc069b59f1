//! Browser benchmark of the coverage dashboard (issue 6): the release app in headless Chromium against the real
//! server holding a scaled demo snapshot. Ignored by `cargo test`; run with `cargo xtask bench-app`, which prints a
//! Markdown table for BENCHMARKS.md and fails when a floor is missed.
//!
//! Measured in the page: decoding the `facts` Arrow stream in wasm, the first aggregation (breakdown and the five
//! KPI tiles), and the time from a filter change to the map, every chart and every table redrawn (the change event
//! is dispatched, then a `setTimeout(0)` waits until every reactive effect has run).

use tests::{Browser, TestServer};

const LOADS: usize = 5;
const CHANGES: usize = 15;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn number(browser: &Browser, js: &str) -> f64 {
    let v = browser.client.execute(&format!("return Number({js});"), vec![]).await.expect("script runs");
    v.as_f64().unwrap_or(f64::NAN)
}

/// Dispatches a change on a select, alternating between two values, and returns the milliseconds until every
/// effect it triggered has run.
async fn redraw(browser: &Browser, select: &str, values: [&str; 2], i: usize) -> f64 {
    let js = format!(
        "const done = arguments[arguments.length - 1]; const s = document.querySelector('{select}'); \
         const t0 = performance.now(); s.value = '{}'; s.dispatchEvent(new Event('change', {{ bubbles: true }})); \
         setTimeout(() => done(performance.now() - t0), 0);",
        values[i % 2]
    );
    browser.client.execute_async(&js, vec![]).await.expect("redraw").as_f64().unwrap_or(f64::NAN)
}

struct Result {
    rows: usize,
    decode: f64,
    aggregate: f64,
    filter: f64,
    place: f64,
}

async fn measure(rows: usize) -> Result {
    let server = TestServer::start_demo(server::http::Settings::default(), Some(rows)).await;
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
    let mut filter = Vec::new();
    let mut place = Vec::new();
    for i in 0..CHANGES {
        filter.push(redraw(&browser, "[data-testid=sex]", ["mujer", ""], i).await);
        place.push(redraw(&browser, "[data-testid=place]", ["HN-CR", ""], i).await);
    }
    browser.close().await;
    Result { rows, decode: median(decode), aggregate: median(aggregate), filter: median(filter), place: median(place) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with `cargo xtask bench-app`"]
async fn coverage_dashboard_speed() {
    let mut results = Vec::new();
    for rows in [100_000, 1_000_000] {
        results.push(measure(rows).await);
    }
    println!(
        "| facts rows | decode (ms) | first aggregation (ms) | decode + aggregation (ms) | filter change → redrawn (ms) | place change → redrawn, tiles too (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for r in &results {
        println!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            r.rows,
            r.decode,
            r.aggregate,
            r.decode + r.aggregate,
            r.filter,
            r.place
        );
    }
    let big = results.iter().find(|r| r.rows == 1_000_000).expect("1M measured");
    assert!(big.decode + big.aggregate <= 300.0, "floor: decode + aggregation ≤ 300 ms at 1M rows");
    assert!(big.filter <= 50.0, "floor: redraw ≤ 50 ms median at 1M rows");
}
