//! End-to-end: offline meetings. After one visit, with the server gone, reloading the dashboard still renders it
//! from the service worker's copy, and says "Sin conexión — datos al …"; so does a meeting agenda seen once.

use tests::{Browser, TILE, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_one_visit_the_dashboard_opens_without_the_server() {
    let mut server = TestServer::start().await;
    server::agendas::seed_demo(&server.store).expect("the demo agenda");
    let agenda = server.store.agendas().expect("agendas")[0].id.clone();
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/")).await.expect("goto");
    let online = browser.wait_for(TILE, "the dashboard").await;
    // The first visit installs the worker; from the next load on, it sees (and keeps) every answer.
    browser.wait_for("navigator.serviceWorker.controller !== null", "the service worker in control").await;
    browser.client.refresh().await.expect("reload");
    browser.wait_for(TILE, "the dashboard, through the worker").await;
    assert_eq!(
        browser
            .client
            .execute("return document.querySelector('[data-testid=offline]') === null;", vec![])
            .await
            .expect("js"),
        true
    );

    // A meeting's agenda, seen once online: its slides open offline too.
    browser.client.goto(&server.url(&format!("/reunion?agenda={agenda}&diapositiva=2"))).await.expect("agenda");
    browser
        .wait_for("document.querySelector('[data-testid=slide-count]')?.textContent === '2 / 7'", "slide 2 online")
        .await;
    browser.wait_for("document.querySelector('[data-testid=map]')", "the map online").await;
    browser.client.goto(&server.url("/")).await.expect("back to the dashboard");
    browser.wait_for(TILE, "the dashboard").await;

    server.stop().await;
    assert!(reqwest::get(server.url("/api/snapshots")).await.is_err(), "the server is gone");
    browser.client.refresh().await.expect("reload");
    let offline = browser.wait_for(TILE, "the dashboard without the server").await;
    assert_eq!(offline, online, "the same figures as online");
    let note =
        browser.wait_for("document.querySelector('[data-testid=offline]')?.textContent", "the offline note").await;
    assert_eq!(note.as_str(), Some("Sin conexión — datos al 31/10/2026"));
    for canvas in ["map", "chart-service-canvas", "chart-series-canvas"] {
        assert!(browser.canvas_colours(&format!("[data-testid={canvas}]")).await > 2, "{canvas} is drawn offline");
    }
    // `RUMBO_SCREENSHOTS=dir` keeps a picture of the offline dashboard to look at.
    if let Some(dir) = std::env::var_os("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("offline-1366.png"), png).expect("write");
    }
    // Meeting mode without the server: the agenda and its slide, from the worker's copy, saying so.
    browser.client.goto(&server.url(&format!("/reunion?agenda={agenda}&diapositiva=2"))).await.expect("agenda offline");
    browser
        .wait_for("document.querySelector('[data-testid=slide-count]')?.textContent === '2 / 7'", "slide 2 offline")
        .await;
    let note = browser
        .wait_for("document.querySelector('.slide [data-testid=offline]')?.textContent", "the slide's offline note")
        .await;
    assert_eq!(note.as_str(), Some("Sin conexión — datos al 31/10/2026"));
    assert!(browser.canvas_colours("[data-testid=map]").await > 2, "the slide's map is drawn offline");
    browser.close().await;
}
