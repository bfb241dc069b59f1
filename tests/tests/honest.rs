//! End-to-end for issue 35, "Honest at a glance": English everywhere English is chosen (the page's language and
//! description, file names, a glossary on every page); each year's own target pace on the monthly chart; a tile's
//! change only between comparable periods, and estimated values marked.

use shared::api::PAGE_DESCRIPTION;
use tests::{Browser, TILE, TestServer};

async fn text(browser: &Browser, js: &str) -> String {
    let v = browser.client.execute(&format!("return ({js});"), vec![]).await.expect("script runs");
    v.as_str().map_or_else(|| v.to_string(), ToOwned::to_owned)
}

async fn page_source(url: &str) -> String {
    reqwest::get(url).await.expect("get").text().await.expect("body")
}

/// Whether a page as served declares a language (as built, `lang="es"`, or minified, `lang=es`).
fn declares(page: &str, lang: &str) -> bool {
    page.contains(&format!("<html lang=\"{lang}\">")) || page.contains(&format!("<html lang={lang}>"))
}

/// The glossary's summary and text, once the page has rendered it.
async fn glossary(browser: &Browser) -> (String, String) {
    browser.wait_for("document.querySelector('[data-testid=glossary] summary')", "the glossary").await;
    let summary = text(browser, "document.querySelector('[data-testid=glossary] summary').textContent").await;
    let body = text(browser, "document.querySelector('[data-testid=glossary] dl').textContent").await;
    (summary, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_is_english_everywhere_it_is_chosen() {
    let server = TestServer::start().await;
    // The page as served, before any script runs: its language and description.
    let en = page_source(&server.url("/?lang=en")).await;
    assert!(declares(&en, "en"), "an English page says so before the app runs");
    assert!(en.contains(PAGE_DESCRIPTION.en) && !en.contains(PAGE_DESCRIPTION.es), "English description");
    let es = page_source(&server.url("/")).await;
    assert!(declares(&es, "es") && es.contains(PAGE_DESCRIPTION.es), "the Spanish page as built");
    let roadmap_en = page_source(&server.url("/hoja-de-ruta?lang=en")).await;
    assert!(declares(&roadmap_en, "en"), "the roadmap in English too");

    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/?lang=en")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    assert_eq!(text(&browser, "document.documentElement.lang").await, "en");
    let description = "document.querySelector('meta[name=description]').content";
    assert_eq!(text(&browser, description).await, PAGE_DESCRIPTION.en);
    // The glossary, in the footer of every page: indicator codes, lempiras, HXL, versions, percentage points.
    let (summary, body) = glossary(&browser).await;
    assert_eq!(summary, "Glossary");
    for term in ["COB", "HXL", "HNL", "Lempira", "Version", "pp", "estimated", "suppressed"] {
        assert!(body.contains(term), "the glossary explains {term}: {body}");
    }
    // The department table has no empty "Revision" column: without a compared snapshot it has two.
    let heads = "[...document.querySelectorAll('[data-testid=department-table] thead th')].map(e => e.textContent)";
    let heads = browser.client.execute(&format!("return {heads};"), vec![]).await.expect("heads");
    assert_eq!(heads.as_array().map(Vec::len), Some(2), "{heads}");
    // Files downloaded in English are named in English, with English headers.
    browser
        .client
        .execute("document.querySelector('[data-testid=csv-departamentos]').click();", vec![])
        .await
        .expect("export");
    let csv = String::from_utf8(browser.downloaded("rumbo-departments.csv").await).expect("utf-8");
    assert!(csv.contains("\r\nDepartment,Value,Status\r\n"), "English headers: {csv}");
    assert!(csv.contains("# indicator: COB-01 Unique people served"), "{csv}");
    // Switching to Spanish switches the page's language and description back.
    browser.client.execute("document.querySelector('.lang-toggle').click();", vec![]).await.expect("toggle");
    browser.wait_for("document.documentElement.lang === 'es'", "the page in Spanish").await;
    assert_eq!(text(&browser, description).await, PAGE_DESCRIPTION.es);
    assert_eq!(glossary(&browser).await.0, "Glosario");
    // Every page has it, the workspace's too.
    browser.client.goto(&server.url("/entrar?lang=en")).await.expect("goto");
    browser.wait_for("document.documentElement.lang === 'en'", "the sign-in page in English").await;
    assert_eq!(glossary(&browser).await.0, "Glossary");
    browser.close().await;
}

/// The monthly table's target pace of one month (its row's last cell).
async fn pace(browser: &Browser, month: &str) -> String {
    let js = format!(
        "document.querySelector('[data-export=mensual] tr[data-month=\"{month}\"] td:last-child')?.textContent"
    );
    text(browser, &js).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_month_is_held_to_its_own_years_target_pace() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    // The default view, Nov 2025 – Oct 2026: two years, two targets (58,000 in 2025; 62,640 in 2026).
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    browser.wait_for("document.querySelector('[data-export=mensual] tr[data-month=\"2025-11\"]')", "the table").await;
    let (nov_2025, jan_2026) = (pace(&browser, "2025-11").await, pace(&browser, "2026-01").await);
    assert_eq!(jan_2026, shared::format::count(62_640.0 / 12.0), "2026's pace");
    assert_ne!(nov_2025, jan_2026, "November 2025 is held to 2025's target, not 2026's");
    assert_eq!(nov_2025, pace(&browser, "2025-12").await);
    let n: f64 = nov_2025.replace(',', "").parse().expect("a pace");
    assert!((4_800.0..4_870.0).contains(&n), "2025's pace is about 58,000 / 12: {nov_2025}");
    // A year without a target has no pace: Nov–Dec 2024 show none, 2025's months show 2025's.
    browser.client.goto(&server.url("/?desde=2024-11&hasta=2025-10")).await.expect("goto");
    browser.wait_for("document.querySelector('[data-export=mensual] tr[data-month=\"2024-11\"]')", "the table").await;
    assert_eq!(pace(&browser, "2024-11").await, "—", "no target in 2024");
    assert_eq!(pace(&browser, "2025-03").await, nov_2025);
    let summary =
        text(&browser, "document.querySelector('[data-testid=chart-series] .chart-summary').textContent").await;
    assert!(summary.contains("de 10 meses con meta"), "the summary counts the months that have a target: {summary}");
    browser.close().await;
}
