//! Meeting agreements over HTTP against the real server: who may read and write them (every role, anonymous, a
//! session cookie without its CSRF token), every problem of a bad agreement listed at once, the follow-up's history,
//! and an audit row for each change.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::store::Role;
use shared::api::{route, url};
use tests::TestServer;

async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, server.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

struct Setup {
    server: TestServer,
    viewer: String,
    analyst: String,
    admin: String,
    agenda: String,
    snapshot: String,
}

async fn setup() -> Setup {
    let server = TestServer::start().await;
    server::agendas::seed_demo(&server.store).expect("demo agenda");
    let (viewer, analyst, admin) = (
        server.account("vera", Role::Viewer),
        server.account("ana", Role::Analyst),
        server.account("adan", Role::Admin),
    );
    let (_, agendas) = call(&server, Method::GET, "/api/agendas", None, None).await;
    let agenda = agendas[0]["id"].as_str().expect("the demo agenda").to_owned();
    let (_, current) = call(&server, Method::GET, "/api/snapshots/current", None, None).await;
    let snapshot = current["snapshot_id"].as_str().expect("id").to_owned();
    Setup { server, viewer, analyst, admin, agenda, snapshot }
}

fn agreement(s: &Setup, text: &str) -> Value {
    json!({
        "agenda_id": s.agenda, "slide": 2, "view_url": "/?indicador=COB-01", "snapshot_id": s.snapshot,
        "text": text, "institution": "DGE-OML", "due": "2027-01-31", "intervention": "HR-ART-002"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_read_analysts_and_admins_record_and_follow_up_and_strangers_do_neither() {
    let s = setup().await;
    let list = url(route::AGREEMENTS, &[]);
    // Reading: any signed-in role; nobody else (these are the ministry's decisions, not open data).
    assert_eq!(call(&s.server, Method::GET, &list, None, None).await.0, StatusCode::UNAUTHORIZED);
    for token in [&s.viewer, &s.analyst, &s.admin] {
        let (status, body) = call(&s.server, Method::GET, &list, Some(token), None).await;
        assert_eq!((status, body), (StatusCode::OK, json!([])));
    }
    // Recording: analysts and admins.
    let body = agreement(&s, "Abrir una ventanilla en Choloma <b>antes</b> de enero");
    assert_eq!(call(&s.server, Method::POST, &list, None, Some(body.clone())).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&s.server, Method::POST, &list, Some(&s.viewer), Some(body.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    // A browser session writes only with its CSRF token.
    let res = reqwest::Client::new()
        .post(s.server.url("/api/session"))
        .json(&json!({"username": "ana", "password": "contraseña-de-prueba"}))
        .send()
        .await
        .expect("sign in");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").split(';').next().unwrap_or_default().to_owned();
    let csrf = res.json::<Value>().await.expect("me")["csrf_token"].as_str().expect("csrf").to_owned();
    let post = |with_csrf: bool| {
        let req = reqwest::Client::new().post(s.server.url(&list)).header("cookie", &cookie).json(&json!({}));
        if with_csrf { req.header("x-csrf-token", &csrf) } else { req }
    };
    assert_eq!(post(false).send().await.expect("post").status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(post(true).send().await.expect("post").status(), StatusCode::UNPROCESSABLE_ENTITY, "the token passes");
    let (status, first) = call(&s.server, Method::POST, &list, Some(&s.analyst), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "pending");
    assert_eq!(
        first["text"], "Abrir una ventanilla en Choloma <b>antes</b> de enero",
        "kept as written; escaped where shown"
    );
    assert_eq!(first["created_by"], "ana");
    let (status, second) =
        call(&s.server, Method::POST, &list, Some(&s.admin), Some(agreement(&s, "Revisar la meta de colocaciones")))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    // Following up: analysts and admins; dropping needs a reason; every change is kept.
    let id = first["id"].as_str().expect("id");
    let status_url = url(route::AGREEMENT_STATUS, &[id]);
    let done = json!({"status": "done"});
    assert_eq!(call(&s.server, Method::POST, &status_url, None, Some(done.clone())).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&s.server, Method::POST, &status_url, Some(&s.viewer), Some(done.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, changed) = call(&s.server, Method::POST, &status_url, Some(&s.analyst), Some(done)).await;
    assert_eq!((status, &changed["status"]), (StatusCode::OK, &json!("done")), "{changed}");
    let (status, refused) =
        call(&s.server, Method::POST, &status_url, Some(&s.admin), Some(json!({"status": "dropped", "reason": " "})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["report"][0]["field"], "reason", "{refused}");
    let (status, dropped) = call(
        &s.server,
        Method::POST,
        &status_url,
        Some(&s.admin),
        Some(json!({"status": "dropped", "reason": "Sin presupuesto este año"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let history: Vec<(&str, &str, &str)> = dropped["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap_or_default(),
                c["by"].as_str().unwrap_or_default(),
                c["reason"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(history, [("pending", "ana", ""), ("done", "ana", ""), ("dropped", "adan", "Sin presupuesto este año")]);
    let unknown = url(route::AGREEMENT_STATUS, &["ffff"]);
    let (status, _) = call(&s.server, Method::POST, &unknown, Some(&s.admin), Some(json!({"status": "done"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // One agenda's, and the audit log's rows for each change.
    let (_, mine) = call(&s.server, Method::GET, &format!("{list}?agenda={}", s.agenda), Some(&s.viewer), None).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(2));
    let (_, other) = call(&s.server, Method::GET, &format!("{list}?agenda=ffff"), Some(&s.viewer), None).await;
    assert_eq!(other, json!([]));
    let (_, audit) = call(&s.server, Method::GET, "/api/audit?limit=20", Some(&s.admin), None).await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("agreement.")))
        .map(|e| e["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actions, ["agreement.status", "agreement.status", "agreement.create", "agreement.create"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_agreement_gets_every_problem_at_once() {
    let s = setup().await;
    let list = url(route::AGREEMENTS, &[]);
    let bad = json!({
        "agenda_id": s.agenda, "slide": 0, "view_url": "https://elsewhere.org/", "snapshot_id": s.snapshot,
        "text": "", "institution": "", "due": "31/01/2027", "intervention": "HR ART 2"
    });
    let (status, body) = call(&s.server, Method::POST, &list, Some(&s.analyst), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["report"].as_array().expect("report").iter().filter_map(|p| p["field"].as_str()).collect();
    assert_eq!(fields, ["text", "institution", "due", "intervention", "slide"], "{body}");
    assert!(body["message_es"].as_str().is_some_and(|m| m.contains("5 problema")), "{body}");

    // Taken on an agenda and a published snapshot that exist.
    let too_long = "a".repeat(shared::agreement::MAX_TEXT + 1);
    let wrong = json!({
        "agenda_id": "ffff", "slide": 1, "view_url": "/", "snapshot_id": "2020-01-01-none",
        "text": too_long, "institution": "DGE", "due": "2027-01-31"
    });
    let (status, body) = call(&s.server, Method::POST, &list, Some(&s.analyst), Some(wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["report"].as_array().expect("report").iter().filter_map(|p| p["field"].as_str()).collect();
    assert_eq!(fields, ["text", "agenda_id", "snapshot_id"], "{body}");
    let (status, _) = call(&s.server, Method::POST, &list, Some(&s.analyst), Some(json!({"text": 3}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a body that is not an agreement");
    let (_, all) = call(&s.server, Method::GET, &list, Some(&s.admin), None).await;
    assert_eq!(all, json!([]), "nothing refused was kept");
}

/// Issue 30: a donor with a frozen link sees the agreements taken on its snapshot only where the agenda allows, and
/// never who recorded one or why one was dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_link_shows_the_agreements_its_agenda_allows_and_nothing_private() {
    let s = setup().await;
    let list = url(route::AGREEMENTS, &[]);
    // A second agenda that keeps its agreements to the ministry.
    let private =
        json!({"name": "Reunión interna", "slides": [{"url": "/", "part": "map"}], "public_agreements": false});
    let (status, internal) = call(&s.server, Method::POST, "/api/agendas", Some(&s.analyst), Some(private)).await;
    assert_eq!(status, StatusCode::CREATED, "{internal}");
    let (_, demo) = call(&s.server, Method::GET, &shared::api::agenda_path(&s.agenda), None, None).await;
    assert_eq!(demo["public_agreements"], true, "the demo agenda shows them");
    let shown = agreement(&s, "Publicar la cobertura por municipio");
    let (_, shown) = call(&s.server, Method::POST, &list, Some(&s.analyst), Some(shown)).await;
    let mut hidden = agreement(&s, "Revisar el convenio con la cooperación");
    hidden["agenda_id"] = internal["id"].clone();
    hidden["slide"] = json!(1);
    assert_eq!(call(&s.server, Method::POST, &list, Some(&s.analyst), Some(hidden)).await.0, StatusCode::CREATED);
    let dropped = url(route::AGREEMENT_STATUS, &[shown["id"].as_str().expect("id")]);
    let reason = json!({"status": "dropped", "reason": "Motivo interno de la Secretaría"});
    assert_eq!(call(&s.server, Method::POST, &dropped, Some(&s.admin), Some(reason)).await.0, StatusCode::OK);

    // Anonymous, as a donor: the shown agenda's agreement, its status and frozen link; nothing private.
    let path = url(route::SNAPSHOT_AGREEMENTS, &[&s.snapshot]);
    let (status, public) = call(&s.server, Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let public = public.as_array().expect("list").clone();
    assert_eq!(public.len(), 1, "{public:?}");
    assert_eq!(public[0]["text"], "Publicar la cobertura por municipio");
    assert_eq!(public[0]["status"], "dropped");
    assert_eq!(public[0]["link"], format!("/s/{}/?indicador=COB-01", s.snapshot));
    let text = serde_json::to_string(&public).expect("json");
    for private in ["created_by", "history", "reason", "ana", "adan", "Motivo interno"] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }
    // `current` resolves; an unknown snapshot is not found.
    let (_, current) = call(&s.server, Method::GET, &url(route::SNAPSHOT_AGREEMENTS, &["current"]), None, None).await;
    assert_eq!(current.as_array().map(Vec::len), Some(1));
    let unknown = url(route::SNAPSHOT_AGREEMENTS, &["2020-01-01-none"]);
    assert_eq!(call(&s.server, Method::GET, &unknown, None, None).await.0, StatusCode::NOT_FOUND);

    // The frozen link shows them; the dashboard without a snapshot in its address does not.
    let browser = tests::Browser::start(1366, 900).await;
    browser.client.goto(&s.server.url(&format!("/s/{}/", s.snapshot))).await.expect("goto");
    let row = browser
        .wait_for("document.querySelector('[data-testid=shared-agreement]')?.textContent", "the shared agreements")
        .await;
    let row = row.as_str().unwrap_or_default();
    assert!(row.contains("Publicar la cobertura por municipio") && row.contains("Descartado"), "{row}");
    assert!(!row.contains("Motivo interno"), "{row}");
    assert!(browser.axe_serious().await.is_empty());
    browser.client.goto(&s.server.url(&format!("/s/{}/hoja-de-ruta?lang=en", s.snapshot))).await.expect("goto");
    browser
        .wait_for(
            "document.querySelector('#shared-agreements-title')?.textContent === 'Agreements taken on these figures'",
            "on the roadmap, in English",
        )
        .await;
    browser.client.goto(&s.server.url("/")).await.expect("goto");
    browser.wait_for(tests::TILE, "the dashboard").await;
    assert_eq!(js(&browser, "document.querySelectorAll('[data-testid=shared-agreements]').length").await, json!(0));
    browser.close().await;
}

async fn js(browser: &tests::Browser, script: &str) -> Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

/// Types keys into whatever has the focus, as a presenter at the keyboard does (WebDriver's key actions: sending
/// keys to a date field would set its value instead of pressing them).
async fn type_keys(browser: &tests::Browser, keys: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".to_owned());
    for value in keys.chars() {
        actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
    }
    browser.client.perform_actions(actions).await.expect("keys");
}

async fn screenshot(browser: &tests::Browser, name: &str) {
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write");
    }
}

/// Records an agreement on the slide on screen with the keyboard only: `A`, the text, Tab, ↓ `down` times in the
/// institutions, Tab through the due date (it stays in 30 days), the intervention, Enter.
async fn record_by_keyboard(browser: &tests::Browser, text: &str, down: usize, intervention: &str) {
    tests::press(browser, "a").await;
    browser.wait_for("document.activeElement?.id === 'agr-text'", "the form, its first field focused").await;
    type_keys(browser, text).await;
    let tab = char::from(fantoccini::key::Key::Tab).to_string();
    type_keys(browser, &tab).await;
    let arrow = char::from(fantoccini::key::Key::Down).to_string();
    for _ in 0..down {
        type_keys(browser, &arrow).await;
    }
    // The date field is a Tab per part (day, month, year, and its picker button); its value stays.
    for _ in 0..8 {
        type_keys(browser, &tab).await;
        if js(browser, "document.activeElement?.id").await == "agr-intervention" {
            break;
        }
    }
    assert_eq!(js(browser, "document.activeElement?.id").await, "agr-intervention", "Tab reaches every field");
    type_keys(browser, intervention).await;
    type_keys(browser, &char::from(fantoccini::key::Key::Enter).to_string()).await;
    browser.wait_for("!document.querySelector('[data-testid=agreement-form]')", "the form closed on saving").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)]
async fn a_meeting_records_agreements_by_keyboard_follows_them_up_and_prints_its_minutes() {
    let s = setup().await;
    let browser = tests::projector().await;
    tests::sign_in(&browser, &s.server, "ana").await;

    // Slide 2, the map: A opens the form beside the slide; the slide's text stays at 24 px or more.
    browser.client.goto(&s.server.url(&format!("/reunion?agenda={}&diapositiva=2", s.agenda))).await.expect("present");
    browser.wait_for("document.querySelector('[data-testid=slide-caption]')", "the slide").await;
    tests::press(&browser, "a").await;
    browser.wait_for("document.querySelector('#agr-institution option:nth-child(2)')", "the institutions").await;
    assert_eq!(js(&browser, tests::SMALL_TEXT).await, json!([]), "no text under 24 px with the form open");
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on the agreement form: {violations:#?}");
    screenshot(&browser, "agreement-form-slide-1920.png").await;
    // Esc closes it; saving with nothing written lists the problems and keeps it open.
    tests::press(&browser, &char::from(fantoccini::key::Key::Escape).to_string()).await;
    browser.wait_for("!document.querySelector('[data-testid=agreement-form]')", "Esc closed the form").await;
    assert_eq!(js(&browser, "location.pathname").await, "/reunion", "Esc closed the form, not the meeting");
    tests::press(&browser, "a").await;
    browser.wait_for("document.activeElement?.id === 'agr-text'", "the form again").await;
    browser
        .client
        .execute("document.querySelector('[data-testid=agreement-save]').click()", vec![])
        .await
        .expect("save");
    let problems =
        browser.wait_for("document.querySelector('[data-testid=agreement-problems]')?.textContent", "problems").await;
    assert!(problems.as_str().unwrap_or_default().contains("Escriba qué se acordó"), "{problems}");
    tests::press(&browser, &char::from(fantoccini::key::Key::Escape).to_string()).await;
    browser.wait_for("!document.querySelector('[data-testid=agreement-form]')", "closed").await;

    record_by_keyboard(&browser, "Abrir una ventanilla en Choloma <antes de enero>", 1, "HR-ART-002").await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=agreements-saved]')?.textContent === '1 acuerdo registrado'",
            "one saved",
        )
        .await;
    // Slide 4, the roadmap's progress: the second.
    tests::press(&browser, "4").await;
    browser.wait_for("document.querySelector('[data-testid=slide-count]')?.textContent === '4 / 7'", "slide 4").await;
    browser.wait_for("document.querySelector('[data-part=progress]')", "the progress slide").await;
    record_by_keyboard(&browser, "Revisar la meta de colocaciones", 2, "").await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=agreements-saved]')?.textContent === '2 acuerdos registrados'",
            "two saved",
        )
        .await;
    let (_, stored) = call(&s.server, Method::GET, &url(route::AGREEMENTS, &[]), Some(&s.viewer), None).await;
    let stored = stored.as_array().expect("list").clone();
    assert_eq!(stored.len(), 2);
    assert_eq!((stored[0]["slide"].as_u64(), stored[1]["slide"].as_u64()), (Some(2), Some(4)));
    assert_eq!(stored[0]["snapshot_id"], json!(s.snapshot), "taken on the snapshot the slide showed");
    assert_eq!(stored[0]["intervention"], "HR-ART-002");
    assert_ne!(stored[0]["institution"], stored[1]["institution"], "each its own institution");

    // The roadmap lists them beside the late milestones; one is marked done there.
    tests::press(&browser, &char::from(fantoccini::key::Key::Escape).to_string()).await;
    browser.wait_for("document.querySelector('nav a[href^=\"/hoja-de-ruta\"]')", "the meeting list").await;
    browser
        .client
        .execute("document.querySelector('nav a[href^=\"/hoja-de-ruta\"]').click()", vec![])
        .await
        .expect("roadmap");
    browser
        .wait_for("document.querySelectorAll('[data-testid=agreement]').length === 2", "the agreements on the roadmap")
        .await;
    let first = js(&browser, "document.querySelector('[data-testid=agreement] th').textContent").await;
    assert_eq!(first, "Abrir una ventanilla en Choloma <antes de enero>", "shown as written, as text");
    browser
        .client
        .execute("document.querySelector('[data-testid=agreement-done]').click()", vec![])
        .await
        .expect("done");
    browser
        .wait_for("document.querySelectorAll('[data-testid=agreement][data-status=done]').length === 1", "one done")
        .await;
    let js_scroll = "document.querySelector('[data-part=agreements]').scrollIntoView()";
    browser.client.execute(js_scroll, vec![]).await.expect("scroll");
    screenshot(&browser, "agreements-roadmap-1920.png").await;
    // The intervention it follows up points to it from its detail (the dashboard's page, loaded afresh: a link to
    // the workspace's list), and the list it opens holds that one alone.
    let intervention = stored[0]["intervention"].as_str().expect("an intervention");
    browser.client.goto(&s.server.url(&format!("/hoja-de-ruta?intervencion={intervention}"))).await.expect("goto");
    browser.wait_for("document.querySelector('[data-testid=detail-agreements-link] a')", "the detail's link").await;
    screenshot(&browser, "agreements-detail-1920.png").await;
    browser
        .client
        .execute("document.querySelector('[data-testid=detail-agreements-link] a').click()", vec![])
        .await
        .expect("follow");
    browser
        .wait_for("document.querySelectorAll('[data-testid=agreement]').length === 1", "that intervention's agreements")
        .await;
    let listed = js(&browser, "document.querySelector('[data-testid=agreement] th').textContent").await;
    assert_eq!(listed, stored[0]["text"], "only the agreement that follows it up");
    browser.client.goto(&s.server.url("/hoja-de-ruta")).await.expect("goto");

    // The next meeting starts with "agreements from the last meeting": one open, one done.
    let next = json!({"name": "Consejo — siguiente reunión", "slides": [
        {"url": "/hoja-de-ruta", "part": "agreements", "title": ""},
        {"url": "/", "part": "tiles", "title": ""}
    ]});
    let (status, created) = call(&s.server, Method::POST, "/api/agendas", Some(&s.analyst), Some(next)).await;
    assert_eq!(status, StatusCode::CREATED);
    let next_id = created["id"].as_str().expect("id");
    browser.client.goto(&s.server.url(&format!("/reunion?agenda={next_id}"))).await.expect("next meeting");
    browser
        .wait_for("document.querySelectorAll('.slide [data-testid=agreement]').length === 2", "the agreements slide")
        .await;
    let states =
        js(&browser, "[...document.querySelectorAll('.slide [data-testid=agreement]')].map(r => r.dataset.status)")
            .await;
    assert_eq!(states, json!(["pending", "done"]), "open first");
    assert_eq!(
        js(&browser, "document.querySelector('[data-testid=slide-title]').textContent").await,
        "Acuerdos de la reunión anterior"
    );
    assert_eq!(js(&browser, tests::SMALL_TEXT).await, json!([]), "no text under 24 px on the agreements slide");

    // The minutes of the first meeting, printed: the date, the agreements and their frozen links.
    browser.client.goto(&s.server.url(&format!("/reunion/acta?agenda={}", s.agenda))).await.expect("minutes");
    browser.wait_for("document.querySelectorAll('[data-testid=minutes-agreement]').length === 2", "the minutes").await;
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on the minutes: {violations:#?}");
    screenshot(&browser, "minutes-1920.png").await;
    let pdf = browser.print_pdf().await;
    let dir = tests::TempDir::new("minutes");
    let file = dir.0.join("acta.pdf");
    std::fs::write(&file, pdf).expect("pdf");
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    let today = js(&browser, "document.querySelector('[data-testid=minutes-date]').textContent").await;
    for expected in [
        "Acta de reunión",
        "Consejo directivo",
        today.as_str().unwrap_or("?"),
        "Abrir una ventanilla en Choloma <antes de enero>",
        "Revisar la meta de colocaciones",
        "Cumplido",
        "Pendiente",
        &format!("/s/{}/hoja-de-ruta", s.snapshot),
        // Each slide's view in words: the demo agenda's third slide is contacts by service over the country.
        "Atenciones por servicio · Todo el país · periodo más reciente",
    ] {
        assert!(text.contains(expected), "the printed minutes say «{expected}»: {text}");
    }
    assert!(!text.contains("Descargar CSV"), "no buttons on paper");
    browser.close().await;
}
