//! Embeds: one part of a published snapshot's view in another site's page (`/s/{id}/embed/{part}`). Off unless
//! `rumbo serve --embed-origins` names the sites; then the CSP's `frame-ancestors` lists exactly those, and only a
//! published snapshot under its own id is embeddable. End-to-end in Chromium: the snippet from "Compartir" pasted
//! into a page of another origin shows the part there, with its title, "Datos al …", source, attribution and a link
//! back; a site not named is refused by the browser.

use std::sync::{Arc, Mutex};

use axum::http::header::{CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS};
use server::store::Role;
use tests::{Browser, TempDir, TestServer};

/// A donor's site on its own origin (another port of 127.0.0.1): `/` answers the HTML the test puts in `page`.
struct Site {
    origin: String,
    page: Arc<Mutex<String>>,
}

impl Site {
    async fn start() -> Self {
        let page = Arc::new(Mutex::new(String::new()));
        let body = Arc::clone(&page);
        let app = axum::Router::new().route(
            "/",
            axum::routing::get(move || {
                let html = body.lock().map(|b| b.clone()).unwrap_or_default();
                async move { axum::response::Html(html) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { origin, page }
    }

    /// Sets the site's page to `snippet` inside a donor's article.
    fn show(&self, snippet: &str) {
        let html = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Donor report</title>\
             <body style=\"margin:16px;font-family:sans-serif\"><h1>Our partners' results</h1>{snippet}</body></html>"
        );
        if let Ok(mut page) = self.page.lock() {
            *page = html;
        }
    }
}

fn settings(origins: &[&str]) -> server::http::Settings {
    server::http::Settings {
        embed_origins: origins.iter().map(|o| (*o).to_owned()).collect::<Vec<_>>().into(),
        ..server::http::Settings::default()
    }
}

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let dir = TempDir::new("embed-demo");
    server::commands::demo(&server::cli::DemoArgs { out: dir.0.clone(), rows: None }).expect("demo files");
    ["facts.csv", "interventions.csv", "milestones.csv", "budget_lines.csv", "risks.csv", "targets.csv"]
        .map(|name| (name.to_owned(), std::fs::read(dir.0.join(name)).expect("file")))
        .to_vec()
}

fn frame_ancestors(res: &reqwest::Response) -> String {
    let csp = res.headers().get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or_default();
    csp.split(';').map(str::trim).find_map(|d| d.strip_prefix("frame-ancestors ")).unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedding_is_off_by_default_and_only_published_snapshots_under_their_id_embed() {
    // Off by default: the embed path is not found, and nothing may frame anything.
    let plain = TestServer::start().await;
    let id = plain.current_id().await;
    let res = reqwest::get(plain.url(&format!("/s/{id}/embed/map"))).await.expect("get");
    assert_eq!(res.status(), 404);
    assert_eq!(frame_ancestors(&res), "'none'");
    assert_eq!(res.headers()[X_FRAME_OPTIONS], "DENY");
    let origins: serde_json::Value =
        reqwest::get(plain.url("/api/embeds")).await.expect("get").json().await.expect("json");
    assert_eq!(origins, serde_json::json!({"origins": []}));

    // Allowed for two sites: exactly those may frame a published part; every other page stays unframeable.
    let server = TestServer::start_with(settings(&["https://donante.org", "http://127.0.0.1:9"])).await;
    let id = server.current_id().await;
    let res = reqwest::get(server.url(&format!("/s/{id}/embed/map?indicador=COB-02&lang=en"))).await.expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(frame_ancestors(&res), "https://donante.org http://127.0.0.1:9");
    assert!(res.headers().get(X_FRAME_OPTIONS).is_none(), "the CSP alone says who may frame an embed");
    for page in [format!("/s/{id}/"), "/".to_owned(), "/api/snapshots".to_owned()] {
        let res = reqwest::get(server.url(&page)).await.expect("get");
        assert_eq!(frame_ancestors(&res), "'none'", "{page}");
        assert_eq!(res.headers()[X_FRAME_OPTIONS], "DENY", "{page}");
    }
    let origins: serde_json::Value =
        reqwest::get(server.url("/api/embeds")).await.expect("get").json().await.expect("json");
    assert_eq!(origins["origins"], serde_json::json!(["https://donante.org", "http://127.0.0.1:9"]));

    // Nothing but a published snapshot under its own id, and a part that exists.
    let admin = server.account("admin", Role::Admin);
    let draft = tests::upload_draft(&server, &admin, demo_files()).await;
    let newer = tests::publish(&server, &admin, demo_files(), ("Revisión", "Revision"), "2026-11-30").await;
    let retracted = reqwest::Client::new()
        .post(server.url(&format!("/api/snapshots/{newer}/retract")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"reason": "prueba"}))
        .send()
        .await
        .expect("retract");
    assert_eq!(retracted.status(), 204);
    for path in [
        format!("/s/{draft}/embed/map"),
        format!("/s/{newer}/embed/map"),
        "/s/current/embed/map".to_owned(),
        "/s/2020-01-01-none/embed/map".to_owned(),
        format!("/s/{id}/embed/mapa"),
        format!("/s/{id}/embed/"),
    ] {
        let res = reqwest::get(server.url(&path)).await.expect("get");
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(frame_ancestors(&res), "'none'", "{path}");
    }

    // A private server shows nothing before sign-in, so nothing on it embeds, whatever the origins.
    let private =
        TestServer::start_with(server::http::Settings { private: true, ..settings(&["https://donante.org"]) }).await;
    let id = private.store.current_id().expect("store").expect("a current snapshot");
    let res = reqwest::get(private.url(&format!("/s/{id}/embed/map"))).await.expect("get");
    assert_eq!(res.status(), 404);
}

/// Waits, inside the page's first frame, for `js` to be truthy.
async fn in_frame(browser: &Browser, js: &str, what: &str) -> serde_json::Value {
    browser.client.enter_frame(0).await.expect("a frame");
    let value = browser.wait_for(js, what).await;
    browser.client.enter_parent_frame().await.expect("back to the page");
    value
}

/// Opens "Compartir" → "Insertar en otro sitio" on the coverage view of `id` and returns the map's snippet.
async fn map_snippet_from_share(browser: &Browser, server: &TestServer, id: &str) -> String {
    browser.client.goto(&server.url(&format!("/s/{id}/?indicador=COB-02"))).await.expect("goto");
    browser.wait_for("document.querySelector('[data-testid=embed-code] summary')", "the embed control").await;
    browser
        .client
        .execute("document.querySelector('[data-testid=embed-code] summary').click()", vec![])
        .await
        .expect("open");
    let src = format!("{}/s/{id}/embed/map?indicador=COB-02", server.url(""));
    let snippet = browser
        .wait_for(
            &format!("(v => v && v.includes('{src}') && v)(document.querySelector('[data-snippet=map]')?.value)"),
            "the map's snippet",
        )
        .await;
    let snippet = snippet.as_str().expect("text").to_owned();
    let js = "document.querySelector('[data-testid=embed-code]').scrollIntoView()";
    browser.client.execute(js, vec![]).await.expect("scroll");
    screenshot(browser, "embed-share-snippets.png").await;
    assert!(
        snippet.starts_with("<iframe src=") && snippet.contains("title=\"Mapa por departamento — Rumbo\""),
        "{snippet}"
    );
    snippet
}

/// Saves a screenshot of the page as `name` when `RUMBO_SCREENSHOTS` names a folder.
async fn screenshot(browser: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_snippet_shows_a_part_on_an_allowed_site_and_another_site_is_refused() {
    let donor = Site::start().await;
    let stranger = Site::start().await;
    let server = TestServer::start_with(settings(&[donor.origin.as_str()])).await;
    let id = server.current_id().await;
    let browser = Browser::start(1366, 900).await;

    let snippet = map_snippet_from_share(&browser, &server, &id).await;
    let allowed = browser.client.execute("return document.querySelector('.embed-code .note').textContent", vec![]);
    assert!(allowed.await.expect("note").as_str().unwrap_or_default().contains(&donor.origin));

    // Pasted into the donor's page, the map shows there with everything a reader needs to trust it.
    donor.show(&snippet);
    browser.client.goto(&donor.origin).await.expect("donor");
    let title = in_frame(
        &browser,
        "document.querySelector('[data-testid=embed] [data-testid=slide-title]')?.textContent",
        "the embed",
    )
    .await;
    assert_eq!(title, "Mapa por departamento");
    browser.client.enter_frame(0).await.expect("frame");
    let caption =
        browser.wait_for("document.querySelector('[data-testid=slide-caption]')?.textContent", "caption").await;
    assert!(caption.as_str().unwrap_or_default().contains("Datos al"), "{caption}");
    let shown = browser
        .client
        .execute(
            "return [document.querySelector('.topbar') === null, \
             !!document.querySelector('[data-testid=slide-synthetic]')?.offsetParent, \
             document.querySelector('[data-testid=embed-source]').textContent, \
             document.querySelector('[data-testid=embed-full]').href, \
             document.querySelector('[data-testid=embed-full]').target, \
             document.querySelector('.attribution')?.offsetParent ? document.querySelector('.attribution').textContent : '', \
             !!document.querySelector('.filters')?.offsetParent]",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(shown[0], true, "no top bar in an embed");
    assert_eq!(shown[1], true, "the synthetic-data label is shown");
    assert!(shown[2].as_str().unwrap_or_default().starts_with("Fuente:"), "{}", shown[2]);
    assert_eq!(
        shown[3],
        format!("{}/s/{id}/?indicador=COB-02", server.url("")),
        "the link back is the frozen full view"
    );
    assert_eq!(shown[4], "_blank");
    assert!(shown[5].as_str().unwrap_or_default().contains("CC BY 3.0 IGO"), "the map's attribution: {}", shown[5]);
    assert_eq!(shown[6], false, "no filters in an embed");
    assert!(browser.canvas_colours("[data-part=map] canvas").await > 5, "the map is drawn");
    let axe = browser.axe_serious().await;
    assert!(axe.is_empty(), "axe-core, serious or critical, in the embed: {axe:?}");
    browser.client.enter_parent_frame().await.expect("page");
    screenshot(&browser, "embed-map-donor-page.png").await;

    // The roadmap's progress, in English, the same way.
    let progress = format!("{}/s/{id}/embed/progress?lang=en", server.url(""));
    donor.show(&format!("<iframe src=\"{progress}\" title=\"Roadmap progress\" width=\"100%\" height=\"520\" style=\"border:0\"></iframe>"));
    browser.client.goto(&donor.origin).await.expect("donor");
    let title = in_frame(
        &browser,
        "document.querySelector('[data-testid=embed] [data-testid=slide-title]')?.textContent",
        "the embed",
    )
    .await;
    assert_eq!(title, "Roadmap progress");
    let caption =
        in_frame(&browser, "document.querySelector('[data-testid=slide-caption]')?.textContent", "caption").await;
    assert!(caption.as_str().unwrap_or_default().contains("Data as of"), "{caption}");
    let lang =
        in_frame(&browser, "document.querySelector('[data-part=progress]') && document.documentElement.lang", "lang")
            .await;
    assert!(lang.is_string());
    screenshot(&browser, "embed-progress-donor-page.png").await;

    // A site the server does not name: the browser refuses to show the part in its frame.
    stranger.show(&snippet);
    browser.client.goto(&stranger.origin).await.expect("stranger");
    let refused = in_frame(&browser, "location.href.startsWith('chrome-error:') && location.href", "the refusal").await;
    assert_eq!(refused, "chrome-error://chromewebdata/");
    browser.client.enter_frame(0).await.expect("frame");
    let embedded = browser.client.execute("return !!document.querySelector('[data-testid=embed]')", vec![]).await;
    assert_eq!(embedded.expect("script"), false, "nothing of the part is shown");
    browser.client.enter_parent_frame().await.expect("page");
    browser.close().await;
}
