//! On a phone (390 × 844): the headline comes first, the eleven filters fold behind one button, nothing scrolls
//! sideways, charts are drawn at the width they are shown (their text never under 12 CSS px), and each chart's
//! table is a disclosure with its triangle.

use tests::{Browser, TILE, TestServer};

async fn js(browser: &Browser, script: &str) -> serde_json::Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_shows_the_headline_first_and_charts_at_their_size() {
    let server = TestServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the tiles").await;
    assert_eq!(js(&browser, "[window.innerWidth, window.innerHeight]").await, serde_json::json!([390, 844]));
    browser.wait_for("document.querySelector('[data-testid=chart-service-canvas]')", "the charts").await;
    let height = js(&browser, "window.innerHeight").await.as_f64().unwrap_or(844.0);
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("phone-top-390.png"), png).expect("write");
    }
    let figure = "document.querySelector('[data-testid=tile-value]').getBoundingClientRect().bottom + window.scrollY";
    let figure = js(&browser, figure).await;
    assert!(figure.as_f64().unwrap_or(f64::MAX) < height, "the first tile's figure on the first screen: {figure}");

    // The filters fold behind one button, which says so and opens them.
    assert_eq!(js(&browser, "getComputedStyle(document.getElementById('filters')).display").await, "none");
    let toggle = "document.querySelector('[data-testid=filters-toggle]')";
    assert_eq!(js(&browser, &format!("{toggle}.textContent")).await, "Filtros ▾");
    browser.client.execute(&format!("{toggle}.click()"), vec![]).await.expect("open the filters");
    browser.wait_for("getComputedStyle(document.getElementById('filters')).display !== 'none'", "the filters").await;
    assert_eq!(js(&browser, &format!("{toggle}.getAttribute('aria-expanded')")).await, "true");

    // Nothing wider than the screen.
    let (page, screen) =
        (js(&browser, "document.documentElement.scrollWidth").await, js(&browser, "window.innerWidth").await);
    assert!(page.as_f64() <= screen.as_f64(), "the page scrolls sideways: {page} > {screen}");

    // Charts drawn at the width they are shown: their 13 px text stays at 12 px or more.
    let ratios = js(
        &browser,
        "[...document.querySelectorAll('canvas.chart:not(.map)')].map(c => c.clientWidth / (c.width / Math.max(1, Math.round(c.width / c.clientWidth))))",
    )
    .await;
    let ratios: Vec<f64> = ratios.as_array().expect("canvases").iter().filter_map(serde_json::Value::as_f64).collect();
    assert!(ratios.len() >= 4, "{ratios:?}");
    for r in &ratios {
        assert!(13.0 * r >= 12.0, "a chart shrunk to {r:.2} of its size: its text under 12 px ({ratios:?})");
    }
    // The map's legend, too small drawn into the map, is written under it in the page's own text.
    let legend = "[...document.querySelectorAll('[data-testid=map-legend] li')]";
    let rows =
        js(&browser, &format!("{legend}.map(li => [li.textContent, parseFloat(getComputedStyle(li).fontSize)])")).await;
    let rows = rows.as_array().expect("legend rows").clone();
    assert!(rows.len() >= 4, "classes, no data and the office marker: {rows:?}");
    assert!(rows.iter().all(|r| r[1].as_f64().unwrap_or_default() >= 12.0), "legend text under 12 px: {rows:?}");
    assert!(rows.iter().any(|r| r[0] == "Sin datos (sin oficina)"), "{rows:?}");
    assert!(rows.iter().any(|r| r[0].as_str().is_some_and(|t| t.contains(" – "))), "a class's range: {rows:?}");
    // "Ver tabla" is a disclosure, with its triangle.
    assert_eq!(
        js(&browser, "getComputedStyle(document.querySelector('details.table-alt summary')).display").await,
        "list-item"
    );
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on the phone: {violations:#?}");
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        browser
            .client
            .execute("document.querySelector('[data-testid=chart-service]').scrollIntoView()", vec![])
            .await
            .expect("scroll");
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("phone-charts-390.png"), png).expect("write");
        browser
            .client
            .execute("document.querySelector('[data-testid=chart-series]').scrollIntoView()", vec![])
            .await
            .expect("scroll");
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("phone-monthly-390.png"), png).expect("write");
        browser
            .client
            .execute("document.querySelector('[data-testid=map]').scrollIntoView()", vec![])
            .await
            .expect("scroll");
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("phone-map-390.png"), png).expect("write");
    }
    browser.close().await;
}
