//! End-to-end: the real server, the release app, real headless Chromium.

use shared::codes::TOTAL;
use tests::{Browser, TestServer};

/// People served (COB-01) over the last 12 months, computed here from the served Arrow file with the
/// string getters, independently of the app's key-based aggregation.
fn expected_total(bytes: &[u8]) -> f64 {
    let facts = shared::facts::Facts::try_from(shared::ipc::read_stream(bytes).expect("arrow")).expect("facts");
    let last = (0..facts.len()).map(|r| facts.period.code(r)).max().expect("rows").to_owned();
    let (y, m): (i32, i32) = (last[..4].parse().expect("year"), last[5..].parse().expect("month"));
    let first = if m == 12 { format!("{y}-01") } else { format!("{}-{:02}", y - 1, m + 1) };
    (0..facts.len())
        .filter(|&r| {
            facts.indicator.code(r) == "COB-01"
                && [&facts.service, &facts.population, &facts.sex, &facts.age_group].iter().all(|d| d.code(r) == TOTAL)
                && facts.period.code(r) >= first.as_str()
                && facts.period.code(r) <= last.as_str()
        })
        .filter_map(|r| facts.value(r))
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_screen_draws_the_map_and_chart_and_tables_the_served_numbers() {
    let server = TestServer::start().await;
    let bytes = reqwest_bytes(&server.url(&shared::api::table_path("current", "facts"))).await;
    let expected = shared::format::count(expected_total(&bytes));

    let browser = Browser::start(1366, 900).await;
    browser.client.goto(&server.url("/")).await.expect("page loads");
    let total =
        browser.wait_for("document.querySelector('[data-testid=total]')?.textContent", "the table's total").await;
    assert_eq!(total.as_str(), Some(expected.as_str()));
    assert!(browser.canvas_colours("[data-testid=map]").await > 5, "the map is drawn");
    assert!(browser.canvas_colours("[data-testid=bars]").await > 2, "the bar chart is drawn");

    let text = browser.client.execute("return document.body.innerText;", vec![]).await.expect("text");
    let text = text.as_str().expect("string");
    assert!(text.contains("Datos ficticios de demostración"));
    assert!(text.contains("CC BY 3.0 IGO"), "the boundaries' attribution is shown");
    assert!(!text.contains("NaN"));
    // Departments without an office say so instead of showing zero.
    let gd =
        browser.wait_for("document.querySelector('tr[data-iso=\"HN-GD\"]')?.textContent", "Gracias a Dios row").await;
    assert!(gd.as_str().unwrap_or_default().contains("Sin datos"));

    // English toggle.
    browser.client.find(fantoccini::Locator::Css(".lang-toggle")).await.expect("toggle").click().await.expect("click");
    browser
        .wait_for(
            "document.documentElement.lang === 'en' && document.body.innerText.includes('People served')",
            "English",
        )
        .await;
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
