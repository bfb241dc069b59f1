//! End-to-end (issue 31): the map's municipal level. Drilling into Cortés shows its municipalities, San Pedro Sula's
//! and Choloma's offices placed in theirs with the served figures and "Sin oficina" elsewhere; its boundaries are
//! fetched then and only then, as an immutable file; the URL reproduces the drill-down; Esc and the button go back
//! to the country in one step; accessible; at 1920 × 1080 and on a phone.

use tests::{Browser, TILE, TestServer, expected, facts_of, press};

async fn js(browser: &Browser, script: &str) -> serde_json::Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

/// Saves a screenshot when `RUMBO_SCREENSHOTS` names a folder.
async fn screenshot(browser: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write");
    }
}

/// How many times the page fetched a municipal boundaries file.
const FETCHED: &str = "performance.getEntriesByType('resource').filter((e) => e.name.includes('/municipios/')).length";

/// The places' table's row of a municipality by INE code: its name and value.
fn row(code: &str) -> String {
    format!(
        "[...(document.querySelector('[data-testid=department-table] tr[data-code=\"{code}\"]')?.children ?? [])].slice(0, 2).map((c) => c.textContent.trim()).join('|')"
    )
}

/// The places' table once it lists municipalities.
const MUNICIPAL: &str = "document.querySelector('[data-testid=department-table] tr[data-code]')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one journey, read top to bottom
async fn drilling_into_cortes_shows_its_municipalities_and_offices_and_goes_back() {
    let server = TestServer::start().await;
    let bytes = reqwest::get(server.url(&shared::api::table_path("current", "facts"))).await.expect("facts");
    let facts = facts_of(&bytes.bytes().await.expect("bytes"));
    let total = |d: &[&str]| d.iter().all(|c| *c == shared::codes::TOTAL);
    let office = |code: &'static str| expected(&facts, move |t, s, p, x, a| t == code && total(&[s, p, x, a]));
    let (sps, choloma) = (office("T02"), office("T10"));
    assert!(sps > 0.0 && choloma > 0.0, "the demo serves both offices");

    let browser = Browser::start(1920, 1080).await;
    browser.client.goto(&server.url("/")).await.expect("page loads");
    browser.wait_for(TILE, "the tiles").await;
    assert!(browser.canvas_colours("[data-testid=map]").await > 2, "the country map is drawn");
    // The first load fetches no municipal boundaries, and offers no drill-down without a department.
    assert_eq!(js(&browser, FETCHED).await, serde_json::json!(0));
    assert_eq!(js(&browser, "document.querySelector('.drill').hidden").await, serde_json::json!(true));

    // Cortés chosen from the departments' table (a button: the keyboard's way too), then its municipalities.
    browser
        .client
        .execute("document.querySelector('tr[data-iso=\"HN-CR\"] button').click();", vec![])
        .await
        .expect("Cortés");
    browser.wait_for("document.querySelector('[data-testid=place]').value === 'HN-CR'", "the place filter").await;
    let offer = browser.wait_for("document.querySelector('[data-testid=drill]')?.textContent", "the drill-down").await;
    assert_eq!(offer, serde_json::json!("Ver los municipios de Cortés →"));
    browser.client.execute("document.querySelector('[data-testid=drill]').click();", vec![]).await.expect("drill");
    browser.wait_for(MUNICIPAL, "the municipalities in the table").await;
    browser.wait_for_location("municipios=HN-CR").await;
    // The button stays where the focus was, now the way back.
    let back = js(&browser, "document.querySelector('[data-testid=drill-back]').textContent").await;
    assert_eq!(back, serde_json::json!("← Volver al mapa del país (Esc)"));

    // The table lists Cortés' twelve municipalities instead of the departments: the two offices' figures where
    // they are, "Sin oficina" elsewhere; its total is Cortés'.
    let rows =
        js(&browser, "document.querySelectorAll('[data-testid=department-table] tbody tr[data-code]').length").await;
    assert_eq!(rows, serde_json::json!(12));
    assert_eq!(
        js(&browser, "document.querySelectorAll('[data-testid=department-table] tr[data-iso]').length").await,
        serde_json::json!(0)
    );
    let head = js(&browser, "document.querySelector('[data-testid=department-table] thead th').textContent").await;
    assert!(head.as_str().unwrap_or_default().starts_with("Municipio"), "{head}");
    let count = shared::format::count;
    assert_eq!(js(&browser, &row("0501")).await, format!("San Pedro Sula|{}", count(sps)));
    assert_eq!(js(&browser, &row("0502")).await, format!("Choloma|{}", count(choloma)));
    assert_eq!(js(&browser, &row("0503")).await, "Omoa|Sin oficina");
    let cortes =
        expected(&facts, |t, s, p, x, a| shared::codes::department_iso_of(t) == Some("HN-CR") && total(&[s, p, x, a]));
    assert!((cortes - sps - choloma).abs() < 1e-9, "Cortés' figures are its two offices'");
    let foot = js(&browser, "document.querySelector('[data-testid=total]').textContent").await;
    assert_eq!(foot, serde_json::json!(count(cortes)));
    // The map shows them: its label says so, it is drawn, and the boundaries came once, as an immutable file.
    let label = js(&browser, "document.querySelector('[data-testid=map]').getAttribute('aria-label')").await;
    assert!(label.as_str().unwrap_or_default().starts_with("Mapa de los municipios de Cortés: "), "{label}");
    assert!(browser.canvas_colours("[data-testid=map]").await > 2, "the municipal map is drawn");
    assert_eq!(js(&browser, FETCHED).await, serde_json::json!(1));
    let file = reqwest::get(server.url(&shared::geo::municipal_url("HN-CR"))).await.expect("boundaries");
    let cache = file.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cache.contains("immutable"), "{cache}");
    let shapes = shared::geo::decode(&file.bytes().await.expect("bytes")).expect("decodes");
    assert_eq!(shapes.regions.len(), 12);
    assert!(js(&browser, "document.body.innerText.includes('CC BY 3.0 IGO')").await == serde_json::json!(true));
    // Hovering San Pedro Sula's marker names the office and its figure.
    let sps_at =
        shared::geo::Projection::beside_legend(&shapes, (960, 600), 260).px(shared::codes::DEMO_TERRITORIES[1].lon_lat);
    let hover = format!(
        "const c = document.querySelector('[data-testid=map]'); const r = c.getBoundingClientRect(); const k = c.clientWidth / 960; \
         c.dispatchEvent(new MouseEvent('mousemove', {{ bubbles: true, clientX: r.left + c.clientLeft + {} * k, clientY: r.top + c.clientTop + {} * k }}));",
        sps_at.0, sps_at.1
    );
    browser.client.execute(&hover, vec![]).await.expect("hover");
    let tip = browser.wait_for("document.querySelector('.map-wrap .tooltip')?.textContent", "the tooltip").await;
    assert_eq!(tip, serde_json::json!(format!("SI EMPLEO San Pedro Sula: {}", count(sps))));
    browser
        .client
        .execute("document.querySelector('[data-testid=map]').dispatchEvent(new MouseEvent('mouseleave'));", vec![])
        .await
        .expect("leave");
    js(&browser, "document.querySelector('[data-part=map]').scrollIntoView()").await;
    screenshot(&browser, "municipios-cortes-1920.png").await;
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core: {violations:#?}");

    // Esc: back to the whole country in one step.
    press(&browser, "\u{e00c}").await;
    browser
        .wait_for("!location.search.includes('municipios=') && !location.search.includes('lugar=')", "the country")
        .await;
    browser
        .wait_for(
            "document.querySelectorAll('[data-testid=department-table] tr[data-iso]').length === 18",
            "the departments back",
        )
        .await;
    assert_eq!(
        js(&browser, "!!document.querySelector('[data-testid=department-table] tr[data-code]')").await,
        serde_json::json!(false)
    );

    // The URL reproduces the drill-down (in English too), and the button goes back.
    browser.client.goto(&server.url("/?lugar=HN-CR&municipios=HN-CR&lang=en")).await.expect("the drill-down's URL");
    browser
        .wait_for("document.querySelector('[data-testid=department-table] tr[data-code=\"0503\"]')", "the table")
        .await;
    assert_eq!(js(&browser, &row("0503")).await, "Omoa|No office");
    assert_eq!(js(&browser, &row("0501")).await, format!("San Pedro Sula|{}", count(sps)));
    let label = js(&browser, "document.querySelector('[data-testid=map]').getAttribute('aria-label')").await;
    assert!(label.as_str().unwrap_or_default().starts_with("Map of the municipalities of Cortés: "), "{label}");
    browser.client.execute("document.querySelector('[data-testid=drill-back]').click();", vec![]).await.expect("back");
    browser
        .wait_for("!location.search.includes('municipios=') && !location.search.includes('lugar=')", "the country")
        .await;
    assert_eq!(js(&browser, "document.querySelector('.drill').hidden").await, serde_json::json!(true));
    // A stray key (no place in the department) shows the country's map, never a municipal one.
    browser.client.goto(&server.url("/?lugar=HN-FM&municipios=HN-CR")).await.expect("a stray key");
    browser.wait_for("document.querySelector('[data-testid=drill]')?.textContent === 'Ver los municipios de Francisco Morazán →'", "the offer").await;
    assert_eq!(
        js(&browser, "!!document.querySelector('[data-testid=department-table] tr[data-code]')").await,
        serde_json::json!(false)
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_shows_the_municipal_map_and_its_table() {
    let server = TestServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/?lugar=HN-CR&municipios=HN-CR")).await.expect("goto");
    browser.wait_for(MUNICIPAL, "the municipalities in the table").await;
    assert!(browser.canvas_colours("[data-testid=map]").await > 2, "the municipal map is drawn");
    let (page, screen) =
        (js(&browser, "document.documentElement.scrollWidth").await, js(&browser, "window.innerWidth").await);
    assert!(page.as_f64() <= screen.as_f64(), "the page scrolls sideways: {page} > {screen}");
    js(&browser, "document.querySelector('.map-figure').scrollIntoView()").await;
    screenshot(&browser, "municipios-cortes-390.png").await;
    js(&browser, "document.querySelector('[data-testid=department-table]').scrollIntoView()").await;
    screenshot(&browser, "municipios-cortes-390-table.png").await;
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    browser.close().await;
}
