//! End-to-end: the real server, the release app, real headless Chromium, on the demo snapshot.

use shared::api::table_path;
use shared::codes::TOTAL;
use tests::{Browser, TILE, TestServer, expected, facts_of};

fn all_totals(dims: [&str; 4]) -> bool {
    dims.iter().all(|d| *d == TOTAL)
}

/// A point of the 960×600 map canvas inside a department and away from every office marker.
fn point_in(iso: &str) -> (f64, f64) {
    let geo = shared::geo::departments().expect("geo");
    let projection = shared::geo::Projection::for_map(&geo, (960, 600));
    let markers: Vec<(i32, i32)> = shared::codes::DEMO_TERRITORIES.iter().map(|t| projection.px(t.lon_lat)).collect();
    for y in (0..600).step_by(4) {
        for x in (0..960).step_by(4) {
            // Well inside: the points 12 px around are in the department too.
            let inside = [(0, 0), (-12, 0), (12, 0), (0, -12), (0, 12)].iter().all(|(dx, dy)| {
                geo.at(projection.lon_lat((f64::from(x + dx), f64::from(y + dy)))).is_some_and(|r| r.id == iso)
            });
            let clear = markers.iter().all(|m| f64::from(m.0 - x).hypot(f64::from(m.1 - y)) > 24.0);
            if inside && clear {
                return (f64::from(x), f64::from(y));
            }
        }
    }
    panic!("no clear point in {iso}");
}

async fn text(browser: &Browser, js: &str) -> String {
    let v = browser.client.execute(&format!("return ({js});"), vec![]).await.expect("script runs");
    v.as_str().unwrap_or_default().to_owned()
}

const SERVICE_ROW: &str =
    "document.querySelector('[data-testid=chart-service] tr[data-code=orientacion] td')?.textContent";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one journey, read top to bottom
async fn coverage_dashboard_shows_filters_and_explains_the_served_numbers() {
    let server = TestServer::start().await;
    let bytes = reqwest_bytes(&server.url(&shared::api::table_path("current", "facts"))).await;
    let facts = facts_of(&bytes);
    let national = expected(&facts, |_, s, p, x, a| all_totals([s, p, x, a]));

    let browser = Browser::start(1920, 1080).await;
    browser.client.goto(&server.url("/")).await.expect("page loads");
    // A tile's number equals the sum computed here from the same Arrow file.
    let tile = browser.wait_for(TILE, "the people-served tile").await;
    // The server's first screen (the banner before the wasm) has given way to the app's own: one banner, shown.
    let banners = browser
        .client
        .execute(
            "return [document.getElementById('rumbo-shell') === null,                [...document.querySelectorAll('.banner-title')].filter((h) => h.offsetParent).length];",
            vec![],
        )
        .await
        .expect("banners");
    assert_eq!(banners, serde_json::json!([true, 1]));
    assert_eq!(tile.as_str(), Some(shared::format::count(national).as_str()));
    let total = browser.wait_for("document.querySelector('[data-testid=total]')?.textContent", "table total").await;
    assert_eq!(total.as_str(), Some(shared::format::count(national).as_str()));
    for canvas in ["map", "chart-service-canvas", "chart-population-canvas", "chart-series-canvas", "chart-age-canvas"]
    {
        assert!(browser.canvas_colours(&format!("[data-testid={canvas}]")).await > 2, "{canvas} is drawn");
    }
    // The comparison snapshot loads after the shown one: wait for what it brings.
    for words in ["Datos ficticios de demostración", "CC BY 3.0 IGO", "versión 2", "Qué cambió", "Ver tabla"] {
        browser.wait_for(&format!("document.body.innerText.includes('{words}')"), words).await;
    }
    let body = text(&browser, "document.body.innerText").await;
    assert!(!body.contains("NaN"));
    // A visitor's page does not ask who is signed in (no sign-in cookie): no 401 in the console on every load.
    let asked = browser
        .client
        .execute("return performance.getEntriesByType('resource').some((e) => e.name.endsWith('/api/me'));", vec![])
        .await
        .expect("entries");
    assert_eq!(asked, serde_json::json!(false), "a visitor's page asked /api/me");
    // The page's data came through the server's `Link` preloads, fetched once each while the wasm downloaded: the
    // app's own requests for the manifest, the rows of `facts` the default view reads (issue 33; the whole table
    // follows) and the targets used those answers (an unused preload is a second entry).
    let id = reqwest::get(server.url("/api/snapshots/current")).await.expect("manifest").json::<serde_json::Value>();
    let id = id.await.expect("json")["snapshot_id"].as_str().expect("id").to_owned();
    let urls = ["/api/snapshots/current".to_owned(), shared::api::first_view_path(&id), table_path(&id, "targets")];
    let entries = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource').map((e) => { const u = new URL(e.name); \
             return [u.pathname + u.search, e.initiatorType]; });",
            vec![],
        )
        .await
        .expect("entries");
    let entries: Vec<(String, String)> = serde_json::from_value(entries).expect("pairs");
    for url in &urls {
        let of: Vec<_> = entries.iter().filter(|(u, _)| u == url).collect();
        assert!(of.len() == 1 && of[0].1 != "fetch", "{url} was not fetched once through its preload: {entries:?}");
    }
    // Each tile's progress bar is as long as the percentage it says (styles set through the CSSOM: the page's
    // Content-Security-Policy refuses inline style attributes, which left every bar full and every marker at 0).
    let bars = browser
        .client
        .execute(
            "return [...document.querySelectorAll('.tile .progress')].map((p) => {                const bar = p.querySelector('.bar').getBoundingClientRect().width / p.getBoundingClientRect().width;                const marker = p.querySelector('.expected').getBoundingClientRect().left - p.getBoundingClientRect().left;                return [parseFloat(p.getAttribute('aria-label')), 100 * bar, marker]; });",
            vec![],
        )
        .await
        .expect("bars");
    let bars = bars.as_array().cloned().unwrap_or_default();
    assert!(bars.len() >= 3, "tiles with a target show a bar: {bars:?}");
    for bar in &bars {
        let (said, drawn) = (bar[0].as_f64().unwrap_or(f64::NAN), bar[1].as_f64().unwrap_or(f64::NAN));
        assert!((said.min(100.0) - drawn).abs() < 1.5, "a bar says {said} % and is drawn at {drawn:.1} %");
        assert!(bar[2].as_f64().unwrap_or(0.0) > 10.0, "the expected-progress marker is placed: {bar:?}");
    }
    let gd = browser.wait_for("document.querySelector('tr[data-iso=\"HN-GD\"]')?.textContent", "Gracias a Dios").await;
    assert!(gd.as_str().unwrap_or_default().contains("Sin datos"), "no office is not zero");

    // Click Cortés on the map: the place filter follows and the charts' tables show Cortés' numbers.
    let (x, y) = point_in("HN-CR");
    let click = format!(
        "const c = document.querySelector('[data-testid=map]'); const r = c.getBoundingClientRect(); \
         const k = c.clientWidth / 960; \
         c.dispatchEvent(new MouseEvent('click', {{ bubbles: true, clientX: r.left + c.clientLeft + {x} * k, \
         clientY: r.top + c.clientTop + {y} * k }}));"
    );
    browser.client.execute(&click, vec![]).await.expect("click");
    browser.wait_for("document.querySelector('[data-testid=place]').value === 'HN-CR'", "the place filter").await;
    let cortes = |t: &str| shared::codes::department_iso_of(t) == Some("HN-CR");
    let service = expected(&facts, |t, s, p, x, a| cortes(t) && s == "orientacion" && all_totals([p, x, a, TOTAL]));
    let want = shared::format::count(service);
    browser.wait_for(&format!("{SERVICE_ROW} === '{want}'"), "Cortés' guidance figure in the service table").await;
    let cortes_total = expected(&facts, |t, s, p, x, a| cortes(t) && all_totals([s, p, x, a]));
    assert_eq!(text(&browser, TILE).await, shared::format::count(cortes_total), "tiles filter to the place too");
    browser.wait_for_location("lugar=HN-CR").await;

    // A filter change lands in the URL; loading that URL gives the same view; back undoes it.
    let service_chart = "(() => { const c = document.querySelector('[data-testid=chart-service-canvas]'); \
        const rows = [...document.querySelectorAll('[data-testid=chart-service] tbody tr')]; \
        return c.height + ' ' + rows.map(r => r.dataset.code).join(','); })()";
    let before = text(&browser, service_chart).await;
    browser
        .client
        .execute(
            "const s = document.querySelector('[data-testid=sex]'); s.value = 'mujer'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("change sex");
    browser.wait_for("location.search.includes('sexo=mujer')", "the URL to hold the filter").await;
    let women = expected(&facts, |t, s, p, x, a| cortes(t) && s == TOTAL && p == TOTAL && x == "mujer" && a == TOTAL);
    let want = shared::format::count(women);
    browser.wait_for(&format!("document.querySelector('[data-testid=total]').textContent === '{want}'"), "women").await;
    // The demo has no service × sex rows: every service stays in the chart and its table, saying so, and the
    // chart keeps its size.
    assert_eq!(text(&browser, service_chart).await, before, "the same services, the same canvas");
    let cells = text(&browser, "[...document.querySelectorAll('[data-testid=chart-service] tbody td:nth-of-type(1)')].map(td => td.textContent).join('|')").await;
    assert!(cells.split('|').all(|c| c == "Sin datos"), "{cells}");
    let caption = text(&browser, "document.querySelector('[data-testid=tiles-caption]').textContent").await;
    assert!(!caption.contains("Mujer"), "the tiles do not claim a filter they ignore: {caption}");
    let url = browser.location().await;
    browser.client.goto(&server.url(&url)).await.expect("reload");
    browser
        .wait_for(&format!("document.querySelector('[data-testid=total]')?.textContent === '{want}'"), "same view")
        .await;
    assert_eq!(text(&browser, "document.querySelector('[data-testid=sex]').value").await, "mujer");
    browser.client.execute("history.back();", vec![]).await.expect("back");
    browser.wait_for("!location.search.includes('sexo=')", "back to the view before").await;
    browser.wait_for("document.querySelector('[data-testid=sex]').value === ''", "the sex filter cleared").await;

    // Indicator information is one click away.
    browser.client.execute("document.querySelector('.info-button').click();", vec![]).await.expect("info");
    let info =
        browser.wait_for("document.querySelector('[data-testid=indicator-info]')?.innerText", "the dialog").await;
    assert!(info.as_str().unwrap_or_default().contains("SI EMPLEO"), "{info}");
    assert!(info.as_str().unwrap_or_default().contains("nunca entre meses"), "how it combines: {info}");
    browser
        .client
        .execute("document.querySelector('[data-testid=indicator-info] button').click();", vec![])
        .await
        .expect("close");

    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core: {violations:#?}");

    // English.
    browser.client.find(fantoccini::Locator::Css(".lang-toggle")).await.expect("toggle").click().await.expect("click");
    browser
        .wait_for("document.documentElement.lang === 'en' && document.body.innerText.includes('Data as of') && document.body.innerText.includes('Unique people served')", "English")
        .await;
    browser.wait_for_location("lang=en").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_table_shows_an_error_not_a_blank_page() {
    // The app is served but the API is not reachable at all: the user gets a sentence, not a spinner.
    let server = TestServer::start_without_api().await;
    let browser = Browser::start(1024, 768).await;
    browser.client.goto(&server.url("/")).await.expect("page loads");
    let alert = browser.wait_for("document.querySelector('[role=alert]')?.textContent", "the error view").await;
    assert!(alert.as_str().unwrap_or_default().contains("No se pudieron cargar los datos"));
    browser.close().await;
}

async fn reqwest_bytes(url: &str) -> Vec<u8> {
    reqwest::get(url).await.expect("get").bytes().await.expect("body").to_vec()
}
