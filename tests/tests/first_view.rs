//! The first view drawn from the rows of `facts` it reads (issue 33): `/` on a server holding a snapshot larger
//! than the built-in demo, in Chromium on an emulated slow link (so the whole table arrives seconds after the first
//! rows). What the page shows from the first rows (tiles, summary, the department table, every chart's table and
//! every canvas) is what it shows once the whole table has arrived; a filter chosen before that waits for it, the
//! figures shown staying those of the default view; and a filter chosen before or after gives what a page opened
//! with that filter (which reads the whole table at once) gives.

use tests::{Browser, Cdp, SlowLink, TestServer};

const ROWS: usize = 300_000;

/// Everything the page shows that comes from `facts`, as text: the tiles, the summary, the department table and
/// the charts' tables.
const FIGURES: &str = "return [...document.querySelectorAll('[data-testid=tile-value], [data-testid=tile-change], \
    [data-testid=tile-period], [data-testid=summary], [data-testid=department-table], figure[data-testid^=chart] table')]\
    .map((e) => e.textContent).join('\\n');";

/// Every canvas's pixels.
const CANVASES: &str = "return [...document.querySelectorAll('canvas')].map((c) => c.toDataURL()).join('\\n');";

/// Which `facts` the page reads: `first-view` or `whole` (`pages::coverage`).
const FACTS: &str = "document.body.dataset.facts";

async fn text(browser: &Browser, js: &str) -> String {
    browser.client.execute(js, vec![]).await.expect("script runs").as_str().unwrap_or_default().to_owned()
}

/// A browser on the slow link, without service workers: the emulation slows the page's requests, not a
/// worker's, and the whole table would come through the worker at full speed.
async fn slow_browser() -> Browser {
    let browser = Browser::start(1920, 1080).await;
    browser.client.issue_cmd(SlowLink).await.expect("network emulation");
    let no_worker = serde_json::json!({ "source": "delete Navigator.prototype.serviceWorker;" });
    browser.client.issue_cmd(Cdp("Page.addScriptToEvaluateOnNewDocument", no_worker)).await.expect("init script");
    browser
}

/// Opens `/` and waits until its first view is drawn, every chart included (they draw one per task after the
/// first): answers its figures, with the page still reading the first rows.
async fn first_view(browser: &Browser, url: &str) -> String {
    browser.client.goto(url).await.expect("page loads");
    browser.wait_for("performance.getEntriesByName('rumbo-first-chart')[0]", "the first chart").await;
    browser.canvas_colours("[data-testid=chart-series] canvas").await;
    assert_eq!(text(browser, &format!("return {FACTS};")).await, "first-view", "drawn from the first rows");
    text(browser, FIGURES).await
}

/// Chooses women in the sex filter.
async fn choose_women(browser: &Browser) {
    let js = "const s = document.querySelector('[data-testid=sex]'); s.value = 'mujer'; \
              s.dispatchEvent(new Event('change', { bubbles: true }));";
    browser.client.execute(js, vec![]).await.expect("filter");
}

/// Waits for the whole table, then for the map's caption to name the filter chosen.
async fn filtered(browser: &Browser) -> String {
    browser.wait_for(&format!("{FACTS} === 'whole'"), "the whole table").await;
    browser
        .wait_for("document.querySelector('#where-title .subtitle').textContent.includes('Mujer')", "the filter")
        .await;
    browser.canvas_colours("[data-testid=chart-series] canvas").await;
    text(browser, FIGURES).await
}

async fn screenshot(browser: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_view_shows_from_its_rows_what_the_whole_table_shows() {
    let server = TestServer::start_demo(server::http::Settings::default(), Some(ROWS)).await;
    // Tables are compressed in the background once published: one load first, so that none waits for that.
    let warming = Browser::start(1920, 1080).await;
    warming.client.goto(&server.url("/")).await.expect("page loads");
    warming.wait_for(&format!("{FACTS} === 'whole'"), "the whole table").await;
    warming.close().await;

    // The default view from its first rows, then from the whole table: the same figures, the same pixels.
    let browser = slow_browser().await;
    let before = first_view(&browser, &server.url("/")).await;
    let pixels = text(&browser, CANVASES).await;
    assert_eq!(text(&browser, &format!("return {FACTS};")).await, "first-view", "read before the whole table");
    assert!(before.contains("Mujer") && before.lines().count() > 20, "the figures were read: {before}");
    screenshot(&browser, "first-view-from-first-rows.png").await;
    browser
        .client
        .execute("document.querySelector('[data-part=map]').scrollIntoView();", vec![])
        .await
        .expect("scroll");
    screenshot(&browser, "first-view-map-from-first-rows.png").await;
    browser.wait_for(&format!("{FACTS} === 'whole'"), "the whole table").await;
    browser.wait_for("document.querySelector('[data-testid=revisions]')", "the revisions").await;
    let rows = text(&browser, "return document.body.dataset.rows;").await;
    assert_eq!(rows, ROWS.to_string(), "the whole table");
    assert_eq!(text(&browser, FIGURES).await, before, "the figures once the whole table is there");
    assert_eq!(text(&browser, CANVASES).await, pixels, "the map and charts once the whole table is there");
    screenshot(&browser, "first-view-whole-table.png").await;
    // A filter after that: what a page opened with the filter shows.
    choose_women(&browser).await;
    let after = filtered(&browser).await;
    browser.close().await;

    // A filter chosen before the whole table arrives: the default view stays on screen, then the filter shows.
    let early = slow_browser().await;
    assert_eq!(first_view(&early, &server.url("/")).await, before);
    choose_women(&early).await;
    // Two frames later the filter has had every chance to redraw.
    let frames = "const done = arguments[arguments.length - 1]; \
                  requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
    early.client.execute_async(frames, vec![]).await.expect("frames");
    assert_eq!(text(&early, &format!("return {FACTS};")).await, "first-view", "checked before the whole table");
    assert_eq!(text(&early, FIGURES).await, before, "the default view's figures, not the filter's from the first rows");
    assert!(early.location().await.contains("sexo=mujer"), "the URL has the filter");
    let waited = filtered(&early).await;
    early.close().await;

    // The same filter in the URL: the whole table at once.
    let direct = Browser::start(1920, 1080).await;
    direct.client.goto(&server.url("/?sexo=mujer")).await.expect("page loads");
    direct.wait_for("performance.getEntriesByName('rumbo-first-chart')[0]", "the first chart").await;
    assert_eq!(text(&direct, &format!("return {FACTS};")).await, "whole", "a filtered URL reads the whole table");
    let expected = filtered(&direct).await;
    screenshot(&direct, "first-view-filtered.png").await;
    direct.close().await;
    assert_ne!(expected, before, "the filter changes the figures");
    assert_eq!(after, expected, "a filter after the whole table arrived");
    assert_eq!(waited, expected, "a filter chosen before the whole table arrived");
}
