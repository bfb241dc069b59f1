//! End-to-end in Chromium (issue 34): figures combine as their indicator says. A rate is Σ numerator ÷ Σ
//! denominator on the tile, the map's country value, the CSV export and the summary sentence, with two offices of
//! very different size (an average of their rates would be far off), and its change reads in points; a quarterly
//! indicator is shown by quarter; distinct people over the year to date are the published year-to-date value, not
//! the months added up, and a period the snapshot publishes no value for says so instead of adding months.

use server::store::Role;
use tests::{Browser, TestServer, facts_of};

/// (month, office, referrals sent, referrals completed): Distrito Central completes 90 % of a thousand, a small
/// office 10 % of ten. The country: 901 of 1,010 (89.2 %), where a mean of the two rates would say 50 %.
const REFERRALS: [(&str, &str, f64, f64); 4] = [
    ("2026-09", "T01", 1_000.0, 800.0),
    ("2026-09", "T17", 10.0, 5.0),
    ("2026-10", "T01", 1_000.0, 900.0),
    ("2026-10", "T17", 10.0, 1.0),
];

/// The rate of a month from the table above, by plain arithmetic.
fn country_rate(month: &str) -> f64 {
    let (sent, done) = REFERRALS.iter().filter(|r| r.0 == month).fold((0.0, 0.0), |(s, d), r| (s + r.2, d + r.3));
    100.0 * done / sent
}

async fn text(browser: &Browser, script: &str) -> String {
    browser.wait_for(script, script).await.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_is_the_ratio_of_its_sums_everywhere_and_its_change_reads_in_points() {
    let server = TestServer::start().await;
    let token = server.account("analista", Role::Analyst);
    let mut facts = vec!["indicator,period,territory,service,population,sex,age_group,value,status".to_owned()];
    for (month, office, sent, done) in REFERRALS {
        facts.push(format!("DER-01,{month},{office},_T,_T,_T,_T,{sent},reported"));
        facts.push(format!("DER-05,{month},{office},_T,_T,_T,_T,{done},reported"));
        facts.push(format!("DER-02,{month},{office},_T,_T,_T,_T,{},reported", 100.0 * done / sent));
    }
    tests::publish(
        &server,
        &token,
        vec![("facts.csv".to_owned(), facts.join("\n").into_bytes())],
        ("Derivaciones de dos oficinas", "Referrals of two offices"),
        "2026-10-31",
    )
    .await;
    let now = country_rate("2026-10");
    let shown = shared::format::percent(now, 1);
    assert_eq!(shown, "89.2 %");
    let points = now - country_rate("2026-09");

    let browser = Browser::start(1366, 1400).await;
    browser.client.goto(&server.url("/?indicador=DER-02&desde=2026-10&hasta=2026-10")).await.expect("goto");
    let total = "document.querySelector('[data-testid=total]')?.textContent";
    browser.wait_for(&format!("{total} === '{shown}'"), "the country: Σ completed ÷ Σ sent").await;
    let tile = "document.querySelector('[data-testid=\"tile-DER-02-_T\"] [data-testid=tile-value]')?.textContent";
    browser.wait_for(&format!("{tile} === '{shown}'"), "the tile: the same ratio").await;
    let change = text(
        &browser,
        "document.querySelector('[data-testid=\"tile-DER-02-_T\"] [data-testid=tile-change]')?.textContent",
    )
    .await;
    assert_eq!(change, format!("▲ {} pp más que el periodo anterior", shared::format::number(points, 1)), "points");
    let summary = text(&browser, "document.querySelector('[data-testid=summary]')?.textContent").await;
    assert!(summary.contains(&shown), "the summary sentence cites the ratio: {summary}");
    assert!(!summary.contains("50.0 %"), "not the mean of the two rates: {summary}");
    // The map's CSV export: the country row holds the ratio as a plain number.
    browser.client.execute("document.querySelector('[data-testid=csv-departamentos]').click();", vec![]).await.ok();
    let csv = String::from_utf8(browser.downloaded("rumbo-departamentos.csv").await).expect("utf-8");
    let plain = shared::format::plain(now, 1);
    assert!(
        csv.lines().any(|l| l.contains(&format!(",{plain},")) || l.ends_with(&format!(",{plain}"))),
        "the export's country value is {plain}:\n{csv}"
    );
    assert!(!csv.contains(",50.0,") && !csv.contains(",50,"), "no averaged rate:\n{csv}");
    // Francisco Morazán (Distrito Central alone) keeps its own 90 %.
    let fm = text(&browser, "document.querySelector('tr[data-iso=HN-FM] [data-testid=dept-value]')?.textContent").await;
    assert_eq!(fm, "90.0 %");
    assert!(browser.axe_serious().await.is_empty());
    browser.close().await;
}

/// Sums `indicator`'s rows at every total over `periods`, with plain getters on the served table.
fn summed(facts: &shared::facts::Facts, indicator: &str, periods: &[&str]) -> f64 {
    (0..facts.len())
        .filter(|&r| {
            facts.indicator.code(r) == indicator
                && periods.contains(&facts.period.code(r))
                && facts.territory.code(r) != "HN"
                && [&facts.service, &facts.population, &facts.sex, &facts.age_group].iter().all(|d| d.code(r) == "_T")
        })
        .filter_map(|r| facts.value(r))
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn quarters_are_shown_by_quarter_and_distinct_people_are_not_added_over_months() {
    let server = TestServer::start().await;
    let url = server.url(&shared::api::table_path(shared::api::CURRENT, "facts"));
    let bytes = reqwest::get(url).await.expect("get").bytes().await.expect("body");
    let facts = facts_of(&bytes);
    let browser = Browser::start(1366, 1400).await;

    // COB-01 opens on the year to date: the published `2026` value, well under the ten months added up.
    browser.client.goto(&server.url("/")).await.expect("goto");
    let year_to_date = summed(&facts, "COB-01", &["2026"]);
    let months: Vec<String> = (1..=10).map(|m| format!("2026-{m:02}")).collect();
    let added = summed(&facts, "COB-01", &months.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(year_to_date > 0.0 && year_to_date < added * 0.8, "{year_to_date} vs {added}");
    let count = shared::format::count(year_to_date);
    browser.wait_for(&format!("{} === '{count}'", tests::TILE), "the tile: distinct people this year").await;
    let total = "document.querySelector('[data-testid=total]')?.textContent";
    browser.wait_for(&format!("{total} === '{count}'"), "the map: the same").await;
    let period = text(&browser, "document.querySelector('#f-from')?.selectedOptions[0]?.textContent").await;
    assert_eq!(period, "ene. 2026");

    // Twelve months across two years: no published value, and the page says why instead of adding months.
    browser.client.goto(&server.url("/?desde=2025-11&hasta=2026-10")).await.expect("goto");
    browser.wait_for(&format!("{} === 'No se puede sumar'", tests::TILE), "the tile refuses to add months").await;
    let summary = text(&browser, "document.querySelector('[data-testid=summary]')?.textContent").await;
    assert!(summary.contains("los meses no se suman"), "{summary}");

    // COB-04 is quarterly: January to June reads its two quarters, as Σ served ÷ Σ received.
    browser.client.goto(&server.url("/?indicador=COB-04&desde=2026-01&hasta=2026-06")).await.expect("goto");
    let rate =
        100.0 * summed(&facts, "COB-08", &["2026-T1", "2026-T2"]) / summed(&facts, "CTX-01", &["2026-T1", "2026-T2"]);
    let shown = shared::format::percent(rate, 1);
    browser.wait_for(&format!("{total} === '{shown}'"), "the quarters' coverage").await;
    browser
        .client
        .execute("document.querySelectorAll('details.table-alt').forEach(d => d.open = true);", vec![])
        .await
        .expect("open tables");
    let rows = browser
        .wait_for(
            "Array.from(document.querySelectorAll('[data-testid=chart-series] tr[data-month]')).map(r => r.dataset.month).join(',') || null",
            "the series table",
        )
        .await;
    assert_eq!(rows.as_str(), Some("2026-T1,2026-T2"), "by quarter");
    let first = text(
        &browser,
        "document.querySelector('[data-testid=chart-series] tr[data-month=\"2026-T1\"] th')?.textContent",
    )
    .await;
    assert_eq!(first, "T1 2026");
    assert!(browser.axe_serious().await.is_empty());

    browser.close().await;
    if let Some(dir) = std::env::var_os("RUMBO_SCREENSHOTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("folder");
        let browser = Browser::start(1366, 1100).await;
        for (name, path, scroll) in [
            ("combine-quarterly.png", "/?indicador=COB-04&desde=2025-01&hasta=2026-09", "[data-testid=chart-series]"),
            ("combine-ytd.png", "/", ""),
            ("combine-not-summable.png", "/?desde=2025-11&hasta=2026-10", "[data-testid=summary]"),
            ("combine-rate-en.png", "/?indicador=DER-02&lang=en", "[data-testid=chart-series]"),
        ] {
            browser.client.goto(&server.url(path)).await.expect("goto");
            browser.wait_for("document.querySelector('[data-testid=total]')", "the page").await;
            browser
                .client
                .execute("document.querySelectorAll('details.table-alt').forEach(d => d.open = true);", vec![])
                .await
                .expect("open tables");
            if !scroll.is_empty() {
                let js = format!("document.querySelector('{scroll}')?.scrollIntoView();");
                browser.client.execute(&js, vec![]).await.expect("scroll");
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            std::fs::write(dir.join(name), browser.client.screenshot().await.expect("png")).expect("write");
        }
        browser.close().await;
    }
}
