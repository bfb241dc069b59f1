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
    // Placements, Nov 2025 – Oct 2026: two years, two targets (13,000 in 2025; 14,040 in 2026). (People served
    // count distinct people: a year's target in people has no monthly pace.)
    browser.client.goto(&server.url("/?indicador=INT-05&desde=2025-11&hasta=2026-10")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    browser.wait_for("document.querySelector('[data-export=mensual] tr[data-month=\"2025-11\"]')", "the table").await;
    let (nov_2025, jan_2026) = (pace(&browser, "2025-11").await, pace(&browser, "2026-01").await);
    assert_eq!(jan_2026, shared::format::count(14_040.0 / 12.0), "2026's pace");
    assert_ne!(nov_2025, jan_2026, "November 2025 is held to 2025's target, not 2026's");
    assert_eq!(nov_2025, pace(&browser, "2025-12").await);
    let n: f64 = nov_2025.replace(',', "").parse().expect("a pace");
    assert!((1_075.0..1_092.0).contains(&n), "2025's pace is about 13,000 / 12: {nov_2025}");
    // A year without a target has no pace: Nov–Dec 2024 show none, 2025's months show 2025's.
    browser.client.goto(&server.url("/?indicador=INT-05&desde=2024-11&hasta=2025-10")).await.expect("goto");
    browser.wait_for("document.querySelector('[data-export=mensual] tr[data-month=\"2024-11\"]')", "the table").await;
    assert_eq!(pace(&browser, "2024-11").await, "—", "no target in 2024");
    assert_eq!(pace(&browser, "2025-03").await, nov_2025);
    let summary =
        text(&browser, "document.querySelector('[data-testid=chart-series] .chart-summary').textContent").await;
    assert!(summary.contains("de 10 meses con meta"), "the summary counts the months that have a target: {summary}");
    browser.close().await;
}

/// A tile's change line (or why it has none).
async fn change(browser: &Browser, indicator: &str) -> String {
    let js = format!(
        "document.querySelector('[data-testid=\"tile-{indicator}-_T\"] [data-testid=tile-change]')?.textContent"
    );
    browser.wait_for(&js, "a tile's change line").await;
    text(browser, &js).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_given_only_between_comparable_periods() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    // Ocotepeque's office did not collect referrals from November 2024 to January 2025: against that period,
    // referrals sent read "▲ 51.4 %". Now the tile says why it gives no change.
    browser.client.goto(&server.url("/?lugar=HN-OC&desde=2025-11&hasta=2026-10")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    assert_eq!(
        change(&browser, "DER-01").await,
        "Sin variación comparable: al periodo anterior le faltan datos de nov. 2024 a ene. 2025."
    );
    let placements = change(&browser, "INT-05").await;
    assert!(placements.starts_with('▲') || placements.starts_with('▼'), "counted every month: {placements}");
    browser.client.goto(&server.url("/?lugar=HN-OC&desde=2025-11&hasta=2026-10&lang=en")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    assert_eq!(
        change(&browser, "DER-01").await,
        "No comparable change: the previous period lacks data for Nov 2024 to Jan 2025."
    );
    // Two whole periods (Feb–Oct 2026 against May 2025–Jan 2026) have a change again.
    browser.client.goto(&server.url("/?lugar=HN-OC&desde=2026-02")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    let referrals = change(&browser, "DER-01").await;
    assert!(referrals.starts_with('▲') || referrals.starts_with('▼'), "{referrals}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn estimated_values_are_marked_in_tiles_tables_and_exports() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    // Marcala's office (La Paz) estimated its October 2026.
    browser.client.goto(&server.url("/?lugar=HN-LP")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    let tile = "[data-testid=\"tile-COB-01-_T\"]";
    assert_eq!(text(&browser, &format!("document.querySelector('{tile} .estimate-mark')?.textContent")).await, "e");
    let note =
        text(&browser, &format!("document.querySelector('{tile} [data-testid=tile-estimated]')?.textContent")).await;
    assert_eq!(note, "e: incluye valores estimados");
    // The monthly table: October is marked (after the number, which stays the cell's text), September is not.
    let cell = |month: &str| format!("document.querySelector('[data-export=mensual] tr[data-month=\"{month}\"] td')");
    assert_eq!(text(&browser, &format!("{}.dataset.status", cell("2026-10"))).await, "estimated");
    assert_eq!(text(&browser, &format!("{}.dataset.status", cell("2026-09"))).await, "reported");
    let mark = text(&browser, &format!("getComputedStyle({}, '::after').content", cell("2026-10"))).await;
    assert!(mark.ends_with("e\""), "an e after the estimate: {mark}");
    let none = text(&browser, &format!("getComputedStyle({}, '::after').content", cell("2026-09"))).await;
    assert_eq!(none, "none");
    assert!(
        text(&browser, &format!("{}.textContent", cell("2026-10")))
            .await
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',')
    );
    // A legend says what the e means, under each table with an estimate.
    for block in ["mensual", "departamentos", "servicio"] {
        let legend =
            format!("document.querySelector('[data-export={block}] [data-testid=estimate-legend]')?.textContent");
        assert!(text(&browser, &legend).await.starts_with("e: valor estimado"), "{block}");
    }
    // Months without an estimate have no legend: September alone.
    browser.client.goto(&server.url("/?lugar=HN-LP&desde=2026-09&hasta=2026-09")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    browser.wait_for("document.querySelector('[data-export=mensual] tr[data-month=\"2026-09\"]')", "September").await;
    assert_eq!(text(&browser, "document.querySelectorAll('[data-testid=estimate-legend]').length").await, "0");
    assert_eq!(text(&browser, &format!("document.querySelectorAll('{tile} .estimate-mark').length")).await, "0");
    // The export says it in its status column.
    browser.client.goto(&server.url("/?lugar=HN-LP")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    browser.wait_for(&cell("2026-10"), "October").await;
    browser
        .client
        .execute("document.querySelector('[data-testid=csv-mensual]').click();", vec![])
        .await
        .expect("export");
    let csv = String::from_utf8(browser.downloaded("rumbo-mensual.csv").await).expect("utf-8");
    let october = csv.lines().find(|l| l.starts_with("2026-10,")).expect("October's line");
    let cells: Vec<&str> = october.split(',').collect();
    assert!(cells[1].chars().all(|c| c.is_ascii_digit()) && cells[2] == "estimated", "{october}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_tile_states_the_months_its_numbers_count() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    let tile = "[data-testid=\"tile-COB-01-_T\"]";
    let period = format!("document.querySelector('{tile} [data-testid=tile-period]')?.textContent");
    let progress = format!("document.querySelector('{tile} .progress-text')?.textContent");
    // People served count distinct people: the dashboard opens on the year to date, and the tile says so, as its
    // progress line does.
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    assert_eq!(text(&browser, &period).await, "ene. 2026 a oct. 2026");
    assert!(text(&browser, &progress).await.contains("de ene. 2026 a oct. 2026)"), "the progress line's months");
    browser.client.goto(&server.url("/?lang=en&desde=2026-10")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    assert_eq!(text(&browser, &period).await, "Oct 2026");
    assert!(text(&browser, &progress).await.contains("from Jan 2026 to Oct 2026)"));
    browser.close().await;
}

/// Screenshots of what this issue changed, into `target/screenshots/honest-*.png`, to look at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes screenshots to look at; not a check"]
async fn screenshots() {
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&out).expect("folder");
    let server = TestServer::start().await;
    // Name, page, window, and what to scroll into view (the glossary is opened first).
    let shots: [(&str, &str, (u32, u32), &str); 9] = [
        ("honest-country-1366.png", "/", (1366, 2600), ""),
        ("honest-estimates-en-1366.png", "/?lugar=HN-LP&lang=en", (1366, 2600), ""),
        ("honest-monthly-1366.png", "/", (1366, 900), "[data-testid=chart-series]"),
        (
            "honest-monthly-2024-en-1366.png",
            "/?lang=en&desde=2024-11&hasta=2025-10",
            (1366, 900),
            "[data-testid=chart-series]",
        ),
        ("honest-ocotepeque-1920.png", "/?lugar=HN-OC", (1920, 1080), ".tiles"),
        ("honest-phone-390.png", "/?lang=en", (390, 844), ".tiles"),
        ("honest-roadmap-en-1366.png", "/hoja-de-ruta?lang=en", (1366, 900), "[data-testid=gantt], canvas.gantt"),
        ("honest-glossary-en-1366.png", "/?lang=en", (1366, 900), "[data-testid=glossary]"),
        ("honest-glossary-es-390.png", "/hoja-de-ruta", (390, 844), "[data-testid=glossary]"),
    ];
    for (name, path, (w, h), scroll) in shots {
        let browser = Browser::start(w, h).await;
        browser.client.goto(&server.url(path)).await.expect("goto");
        browser.wait_for("document.querySelector('[data-testid=total], [data-testid=glossary]')", "the page").await;
        browser
            .client
            .execute("document.querySelectorAll('details.table-alt').forEach(d => d.open = true);", vec![])
            .await
            .expect("open tables");
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        if !scroll.is_empty() {
            let js = format!(
                "const g = document.querySelector('[data-testid=glossary]'); if (g) g.open = true; \
                 document.querySelector('{scroll}')?.scrollIntoView();"
            );
            browser.client.execute(&js, vec![]).await.expect("scroll");
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        std::fs::write(out.join(name), browser.client.screenshot().await.expect("screenshot")).expect("write");
        browser.close().await;
    }
}
