//! End-to-end: frozen snapshot links for donors. `/s/{id}/…` keeps showing that snapshot's numbers (checked
//! against its Arrow table) after a newer one is published, says a newer one exists, opens in English with
//! `?lang=en`; "share" gives the frozen link of the view; a retracted snapshot's link says so and why.

use server::store::Role;
use shared::codes::TOTAL;
use tests::{Browser, TILE, TempDir, TestServer};

async fn bytes(url: &str) -> Vec<u8> {
    reqwest::get(url).await.expect("get").bytes().await.expect("body").to_vec()
}

async fn tile_of(server: &TestServer, id: &str) -> String {
    let b = bytes(&server.url(&shared::api::table_path(id, "facts"))).await;
    let facts = tests::facts_of(&b);
    shared::format::count(tests::expected(&facts, |_, s, p, x, a| [s, p, x, a].iter().all(|d| *d == TOTAL)))
}

async fn snapshots(server: &TestServer) -> Vec<(String, bool)> {
    let list: serde_json::Value =
        reqwest::get(server.url("/api/snapshots")).await.expect("list").json().await.expect("json");
    list.as_array()
        .expect("array")
        .iter()
        .map(|s| (s["snapshot_id"].as_str().unwrap_or_default().to_owned(), s["current"] == true))
        .collect()
}

/// Publishes the demo files with the national figure of the year to date raised by 1,000 (office T01's total row).
async fn publish_newer(server: &TestServer, token: &str) -> String {
    let dir = TempDir::new("newer");
    server::commands::demo(&server::cli::DemoArgs { out: dir.0.clone(), rows: None }).expect("demo files");
    let path = dir.0.join("facts.csv");
    let text = std::fs::read_to_string(&path).expect("facts");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // People served count distinct people: the dashboard opens on the year to date, the row of the year.
    let last = lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .filter(|p| shared::dashboard::is_month(p))
        .max()
        .expect("periods")
        .to_owned();
    let year = &last[..4];
    let row = lines
        .iter()
        .position(|l| l.starts_with(&format!("COB-01,{year},T01,_T,_T,_T,_T,")))
        .expect("T01's total row of the year to date");
    let mut cells: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
    let value: f64 = cells[7].parse().expect("value");
    cells[7] = format!("{}", value + 1000.0);
    lines[row] = cells.join(",");
    std::fs::write(&path, lines.join("\n")).expect("write");
    let files = ["facts.csv", "interventions.csv", "milestones.csv", "budget_lines.csv", "risks.csv", "targets.csv"]
        .map(|name| (name.to_owned(), std::fs::read(dir.0.join(name)).expect("file")));
    tests::publish(server, token, files.to_vec(), ("Revisión de noviembre", "November revision"), "2026-11-30").await
}

async fn text(browser: &Browser, js: &str) -> String {
    let v = browser.client.execute(&format!("return ({js});"), vec![]).await.expect("script runs");
    v.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_link_keeps_its_numbers_after_a_newer_snapshot_and_a_retracted_one_says_why() {
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("adela", Role::Admin);
    let list = snapshots(&server).await;
    let october = list.iter().find(|s| s.1).expect("current").0.clone();
    let september = list.iter().find(|s| !s.1).expect("earlier").0.clone();
    let october_tile = tile_of(&server, &october).await;

    let browser = Browser::start(1366, 768).await;
    // The older spelling is rewritten to the frozen form, in place.
    browser.client.goto(&server.url(&format!("/?s={october}"))).await.expect("goto");
    browser.wait_for(&format!("{TILE} === '{october_tile}'"), "October's tile").await;
    assert_eq!(browser.location().await, format!("/s/{october}/"));
    assert_eq!(text(&browser, "document.querySelector('[data-testid=newer]') ? 'newer' : 'current'").await, "current");

    let newer = publish_newer(&server, &analyst).await;
    let newer_tile = tile_of(&server, &newer).await;
    assert_ne!(newer_tile, october_tile, "the newer snapshot revises the figure");

    // The frozen link still shows October's numbers, and says a newer snapshot exists.
    browser.client.goto(&server.url(&format!("/s/{october}/"))).await.expect("goto");
    browser.wait_for(&format!("{TILE} === '{october_tile}'"), "October's tile, frozen").await;
    browser.wait_for("document.querySelector('[data-testid=newer]')", "the newer-snapshot note").await;
    let axe = browser.axe_serious().await;
    assert!(axe.is_empty(), "{axe:#?}");
    browser.client.execute("document.querySelector('[data-testid=newer] a').click();", vec![]).await.expect("click");
    browser.wait_for(&format!("location.pathname === '/' && {TILE} === '{newer_tile}'"), "the current snapshot").await;

    // Share gives the frozen link of the current view.
    browser.client.execute("document.querySelector('[data-testid=share]').click();", vec![]).await.expect("share");
    let shared =
        browser.wait_for("document.querySelector('[data-testid=share-link]')?.textContent", "the shared link").await;
    assert!(shared.as_str().unwrap_or_default().contains(&format!("/s/{newer}/")), "{shared}");

    // In English, on the roadmap, still frozen.
    browser.client.goto(&server.url(&format!("/s/{october}/hoja-de-ruta?lang=en"))).await.expect("goto");
    browser
        .wait_for(
            "document.body.innerText.includes('Data as of') && document.querySelector('[data-testid=newer]')",
            "English",
        )
        .await;
    assert!(
        text(&browser, "document.querySelector('[data-testid=newer]').textContent")
            .await
            .contains("there is a newer one")
    );
    // The navigation keeps the frozen snapshot.
    let href = text(&browser, "document.querySelector('nav.nav a').getAttribute('href')").await;
    assert_eq!(href, format!("/s/{october}/?lang=en"));

    // A retracted snapshot's link says so, and why.
    let res = reqwest::Client::new()
        .post(server.url(&format!("/api/snapshots/{september}/retract")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"reason": "cifras de septiembre duplicadas"}))
        .send()
        .await
        .expect("retract");
    assert_eq!(res.status(), 204);
    browser.client.goto(&server.url(&format!("/s/{september}/"))).await.expect("goto");
    let error = browser.wait_for("document.querySelector('[data-testid=error]')?.textContent", "the retraction").await;
    let error = error.as_str().unwrap_or_default();
    assert!(
        error.contains("Esta publicación fue retirada") && error.contains("cifras de septiembre duplicadas"),
        "{error}"
    );
    browser.close().await;
}
