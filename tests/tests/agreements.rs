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
