//! First load on a slow network (issue 10): Chromium's network emulation at 150 ms round trip, 1.6 Mbit/s down
//! and 750 kbit/s up, the release app and the default demo snapshot. Timed from navigation to the first chart
//! drawn (the app's `rumbo-first-chart` performance mark), with a cold cache (a fresh browser profile each time)
//! and a warm one (the same profile, reloaded: HTTP cache and service worker). Ignored by `cargo test`; run with
//! `cargo xtask bench-app`, which fails when a floor is missed.

use std::fmt::Write as _;

use tests::{Browser, TestServer};

const COLD: usize = 3;
const WARM: usize = 5;

/// chromedriver's network emulation (`POST /session/{id}/chromium/network_conditions`).
#[derive(Debug)]
struct NetworkConditions;

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        // Throughputs in bytes per second: 1.6 Mbit/s = 200,000 B/s, 750 kbit/s = 93,750 B/s.
        let body = serde_json::json!({ "network_conditions": {
            "offline": false, "latency": 150, "download_throughput": 200_000, "upload_throughput": 93_750,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Navigates to `/` and returns the milliseconds from navigation to the first chart, and the bytes transferred
/// (as the Resource Timing API counts them: compressed, 0 for what came from a cache).
async fn first_chart(browser: &Browser, url: &str) -> (f64, f64) {
    browser.client.goto("about:blank").await.expect("blank");
    browser.client.goto(url).await.expect("page loads");
    let mark = "performance.getEntriesByName('rumbo-first-chart')[0]";
    browser.wait_for(mark, "the first chart").await;
    let v = browser
        .client
        .execute(
            &format!(
                "return [{mark}.startTime, performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + (e.transferSize || 0), 0)];"
            ),
            vec![],
        )
        .await
        .expect("timings");
    (v[0].as_f64().unwrap_or(f64::NAN), v[1].as_f64().unwrap_or(f64::NAN))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with `cargo xtask bench-app`"]
async fn first_load_on_a_slow_network() {
    let server = TestServer::start().await;
    let url = server.url("/");
    let (mut cold, mut warm, mut cold_bytes, mut warm_bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut waterfall = String::new();
    for _ in 0..COLD {
        let browser = Browser::start(1366, 768).await;
        browser.client.issue_cmd(NetworkConditions).await.expect("network emulation");
        let (ms, bytes) = first_chart(&browser, &url).await;
        cold.push(ms);
        cold_bytes.push(bytes);
        if cold.len() == 1 {
            let js = "return performance.getEntriesByType('resource').map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)} → ${e.responseEnd.toFixed(0)} ${e.transferSize}`).join('\\n');";
            let entries = browser.client.execute(js, vec![]).await.expect("entries");
            waterfall = entries.as_str().unwrap_or_default().to_owned();
        }
        // The service worker installs after the first load; let it finish before the warm loads.
        let ready =
            "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(() => done(true));";
        browser.client.execute_async(ready, vec![]).await.expect("the service worker is ready");
        if warm.is_empty() {
            for _ in 0..WARM {
                let (ms, bytes) = first_chart(&browser, &url).await;
                warm.push(ms);
                warm_bytes.push(bytes);
            }
        }
        browser.close().await;
    }
    let (cold, warm) = (median(cold), median(warm));
    let floors = [
        (cold <= 3000.0, format!("cold ≤ 3.0 s: {cold:.0} ms")),
        (warm <= 1000.0, format!("warm ≤ 1.0 s: {warm:.0} ms")),
    ];
    let mut out = format!(
        "\nCold load, request by request (ms since navigation: start → end; bytes as transferred):\n\n```\n{waterfall}\n```\n"
    );
    let _ = writeln!(
        out,
        "\n| cache | navigation → first chart (median, ms) | bytes transferred (Resource Timing: responses through the service worker count 0) |"
    );
    let _ = writeln!(out, "|---|---:|---:|");
    let _ = writeln!(out, "| cold (new profile, median of {COLD}) | {cold:.0} | {:.0} |", median(cold_bytes));
    let _ = writeln!(out, "| warm (reload, median of {WARM}) | {warm:.0} | {:.0} |", median(warm_bytes));
    let _ = writeln!(out);
    for (met, what) in &floors {
        let _ = writeln!(out, "{} {what}", if *met { "met:   " } else { "MISSED:" });
    }
    tests::report(&out);
    assert!(floors.iter().all(|(met, _)| *met), "a floor was missed (listed above)");
}
