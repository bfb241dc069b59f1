//! First load on a slow network (issues 10 and 33): Chromium's network emulation at 150 ms round trip, 1.6 Mbit/s
//! down and 750 kbit/s up, the release app, with the built-in demo snapshot and with the demo scaled to one and ten
//! million `facts` rows (the page draws its default view from the rows that view reads, then fetches the rest). Timed from navigation to the first chart drawn (the app's `rumbo-first-chart` performance mark),
//! with a cold cache (a fresh browser profile each time) and, for the built-in demo, a warm one (the same profile,
//! reloaded: HTTP cache and service worker); beside it, the data bytes (`/api/` answers) that arrived before the
//! first chart. Ignored by `cargo test`; run with `cargo xtask bench-app`, which fails when a floor is missed.

use std::fmt::Write as _;

use tests::{Browser, TestServer};

const COLD: usize = 3;
const WARM: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Navigates to `/` and returns the milliseconds from navigation to the first chart, the bytes transferred and the
/// data bytes (`/api/` answers) that had arrived by the first chart (as the Resource Timing API counts them:
/// compressed, 0 for what came from a cache).
async fn first_chart(browser: &Browser, url: &str) -> (f64, f64, f64) {
    browser.client.goto("about:blank").await.expect("blank");
    browser.client.goto(url).await.expect("page loads");
    let mark = "performance.getEntriesByName('rumbo-first-chart')[0]";
    browser.wait_for(mark, "the first chart").await;
    let v = browser
        .client
        .execute(
            &format!(
                "const chart = {mark}.startTime; const resources = performance.getEntriesByType('resource'); \
                 return [chart, performance.getEntriesByType('navigation').concat(resources).reduce((n, e) => n + (e.transferSize || 0), 0), \
                 resources.filter((e) => new URL(e.name).pathname.startsWith('/api/') && e.responseEnd <= chart).reduce((n, e) => n + (e.transferSize || 0), 0)];"
            ),
            vec![],
        )
        .await
        .expect("timings");
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    (n(0), n(1), n(2))
}

/// What one snapshot's loads measured.
struct Loads {
    cold: Vec<f64>,
    cold_bytes: Vec<f64>,
    cold_data: Vec<f64>,
    warm: Vec<f64>,
    warm_bytes: Vec<f64>,
    /// The first cold load, request by request.
    waterfall: String,
}

/// `cold` loads, each in a new browser profile, and after the first of them `warm` reloads in its profile.
async fn loads(url: &str, cold: usize, warm: usize) -> Loads {
    let mut out = Loads {
        cold: Vec::new(),
        cold_bytes: Vec::new(),
        cold_data: Vec::new(),
        warm: Vec::new(),
        warm_bytes: Vec::new(),
        waterfall: String::new(),
    };
    for _ in 0..cold {
        let browser = Browser::start(1366, 768).await;
        browser.client.issue_cmd(tests::SlowLink).await.expect("network emulation");
        let (ms, bytes, data) = first_chart(&browser, url).await;
        out.cold.push(ms);
        out.cold_bytes.push(bytes);
        out.cold_data.push(data);
        if out.cold.len() == 1 {
            let js = "return performance.getEntriesByType('resource').map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)} → ${e.responseEnd.toFixed(0)} ${e.transferSize}`).join('\\n');";
            let entries = browser.client.execute(js, vec![]).await.expect("entries");
            entries.as_str().unwrap_or_default().clone_into(&mut out.waterfall);
        }
        if out.warm.is_empty() && warm > 0 {
            // The service worker installs after the first load; let it finish before the warm loads.
            let ready =
                "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(() => done(true));";
            browser.client.execute_async(ready, vec![]).await.expect("the service worker is ready");
            for _ in 0..warm {
                let (ms, bytes, _) = first_chart(&browser, url).await;
                out.warm.push(ms);
                out.warm_bytes.push(bytes);
            }
        }
        browser.close().await;
    }
    out
}

/// A server holding the demo scaled to `rows`, warmed: its tables are compressed in the background once
/// published, so one unthrottled load first, that no timed load waits for that.
async fn scaled(rows: usize) -> TestServer {
    let server = TestServer::start_demo(server::http::Settings::default(), Some(rows)).await;
    let warming = Browser::start(1366, 768).await;
    first_chart(&warming, &server.url("/")).await;
    warming.close().await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with `cargo xtask bench-app`"]
async fn first_load_on_a_slow_network() {
    let demo = TestServer::start().await;
    let builtin = loads(&demo.url("/"), COLD, WARM).await;
    drop(demo);
    let big = scaled(1_000_000).await;
    let million = loads(&big.url("/"), COLD, 0).await;
    drop(big);
    let huge = scaled(10_000_000).await;
    let ten_million = loads(&huge.url("/"), COLD, 0).await;
    drop(huge);
    let all = [
        ("the built-in demo", "built-in demo", &builtin),
        ("1,000,000 `facts` rows", "1,000,000 rows", &million),
        ("10,000,000 `facts` rows", "10,000,000 rows", &ten_million),
    ];
    let mut out = String::new();
    for (name, _, l) in all {
        let _ = write!(
            out,
            "\nCold load of {name}, request by request (ms since navigation: start → end; bytes as transferred):\n\n```\n{}\n```\n",
            l.waterfall
        );
    }
    let _ = writeln!(
        out,
        "\n| snapshot | cache | navigation → first chart (median, ms) | bytes transferred (Resource Timing: responses through the service worker count 0) | data bytes before the first chart |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|");
    for (_, name, l) in all {
        let _ = writeln!(
            out,
            "| {name} | cold (new profile, median of {}) | {:.0} | {:.0} | {:.0} |",
            l.cold.len(),
            median(l.cold.clone()),
            median(l.cold_bytes.clone()),
            median(l.cold_data.clone())
        );
    }
    let _ = writeln!(
        out,
        "| built-in demo | warm (reload, median of {WARM}) | {:.0} | {:.0} | |",
        median(builtin.warm.clone()),
        median(builtin.warm_bytes.clone())
    );
    let warm = median(builtin.warm.clone());
    let mut floors = vec![(warm <= 1000.0, format!("warm ≤ 1.0 s, built-in demo: {warm:.0} ms"))];
    for (_, name, l) in all {
        let (cold, data) = (median(l.cold.clone()), median(l.cold_data.clone()));
        floors.push((cold <= 3000.0, format!("cold ≤ 3.0 s, {name}: {cold:.0} ms")));
        floors.push((data <= 100_000.0, format!("data before the first chart ≤ 100 KB, {name}: {data:.0} B")));
    }
    let _ = writeln!(out);
    for (met, what) in &floors {
        let _ = writeln!(out, "{} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    tests::report(&out);
    assert!(floors.iter().all(|(met, _)| *met), "a floor was missed (listed above)");
}
