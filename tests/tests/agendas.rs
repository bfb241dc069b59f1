//! Meeting agendas over HTTP against the real server: anyone reads them, analysts and admins write them (API token,
//! or session cookie with its CSRF token), every problem of a bad agenda is listed with its slide, every change is
//! audited, agendas outlive a restart, and a first start seeds one demo agenda, once.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::store::Role;
use shared::api::{AGENDAS_PATH, agenda_path};
use tests::TestServer;

const PASSWORD: &str = "contraseña-de-prueba";
const DEMO_NAME: &str = "Consejo directivo — demostración (datos sintéticos)";

/// How a request is authenticated.
#[derive(Clone, Copy)]
enum As<'a> {
    Nobody,
    Bearer(&'a str),
    /// A session cookie, with its CSRF token or without it.
    Cookie(&'a Session, bool),
}

/// A signed-in browser session: the cookie and its CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    who: As<'_>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, server.url(path));
    req = match who {
        As::Nobody => req,
        As::Bearer(token) => req.bearer_auth(token),
        As::Cookie(s, with_csrf) => {
            let req = req.header("cookie", &s.cookie);
            if with_csrf { req.header("x-csrf-token", &s.csrf) } else { req }
        }
    };
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A body sent as is (not necessarily JSON), declared as JSON.
async fn raw(server: &TestServer, method: Method, path: &str, token: &str, body: String) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .request(method, server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn sign_in(server: &TestServer, username: &str) -> Session {
    let res = reqwest::Client::new()
        .post(server.url("/api/session"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::OK, "{username} signs in");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").split(';').next().unwrap_or_default().to_owned();
    let body: Value = res.json().await.expect("me");
    Session { cookie, csrf: body["csrf_token"].as_str().expect("csrf token").to_owned() }
}

fn three_slides() -> Value {
    json!({
        "name": "Consejo de diciembre",
        "slides": [
            {"url": "/?indicador=COB-01&lugar=HN-CR", "part": "map", "title": ""},
            {"url": "/?indicador=COB-02", "part": "monthly", "title": "Atenciones del año"},
            {"url": "/hoja-de-ruta?ventana=2026", "part": "timeline"}
        ]
    })
}

fn demo_slides() -> Value {
    json!([
        {"url": "/", "part": "tiles", "title": ""},
        {"url": "/", "part": "map", "title": ""},
        {"url": "/?indicador=COB-02", "part": "monthly", "title": ""},
        {"url": "/hoja-de-ruta", "part": "progress", "title": ""},
        {"url": "/hoja-de-ruta", "part": "timeline", "title": ""},
        {"url": "/hoja-de-ruta?orden=institucion", "part": "milestones", "title": ""},
        {"url": "/hoja-de-ruta", "part": "risks", "title": ""}
    ])
}

fn len(list: &Value) -> Option<usize> {
    list.as_array().map(Vec::len)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)]
async fn analysts_save_agendas_anyone_reads_them_and_bad_ones_list_every_problem() {
    let server = TestServer::start().await;
    // What `rumbo serve` adds to the demo snapshot (published by the test server) on a first start.
    server::agendas::seed_demo(&server.store).expect("demo agenda");
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("alba", Role::Admin);
    // A viewer made the way an administrator makes one: through the admin API.
    let (status, body) = call(
        &server,
        Method::POST,
        "/api/users",
        As::Bearer(&admin),
        Some(json!({"username": "vera", "password": PASSWORD, "role": "viewer"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let viewer = sign_in(&server, "vera").await;

    // Anonymous readers see the demo agenda, by list and by id.
    let (status, list) = call(&server, Method::GET, AGENDAS_PATH, As::Nobody, None).await;
    assert_eq!((status, len(&list)), (StatusCode::OK, Some(1)), "{list}");
    let demo = list[0].clone();
    assert_eq!((&demo["name"], &demo["created_by"]), (&json!(DEMO_NAME), &json!("demo")));
    assert_eq!(demo["slides"], demo_slides());
    let demo_id = demo["id"].as_str().expect("id").to_owned();
    let (status, got) = call(&server, Method::GET, &agenda_path(&demo_id), As::Nobody, None).await;
    assert_eq!((status, &got), (StatusCode::OK, &demo));

    // Create: 201 with the stored agenda, first in the list; anonymous readers see it as saved.
    let (status, created) = call(&server, Method::POST, AGENDAS_PATH, As::Bearer(&analyst), Some(three_slides())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    assert!(id.len() >= 16 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_eq!((&created["name"], &created["created_by"]), (&json!("Consejo de diciembre"), &json!("ana")));
    assert_eq!(created["slides"].as_array().map(Vec::len), Some(3));
    assert_eq!(created["slides"][1]["title"], "Atenciones del año");
    assert_eq!(created["slides"][2]["title"], "", "a missing title is empty");
    assert!(created["updated_at"].as_str().is_some_and(|t| t.len() >= 20 && t.as_bytes()[10] == b'T'), "{created}");
    let (status, got) = call(&server, Method::GET, &agenda_path(&id), As::Nobody, None).await;
    assert_eq!((status, &got), (StatusCode::OK, &created));
    let (_, list) = call(&server, Method::GET, AGENDAS_PATH, As::Nobody, None).await;
    assert_eq!(list, json!([created.clone(), demo.clone()]), "newest first");

    // Replace (any analyst or admin, not only the author): renamed, slides reordered.
    let mut changed = three_slides();
    changed["name"] = json!("Consejo de diciembre (revisada)");
    changed["slides"].as_array_mut().expect("slides").reverse();
    let (status, updated) =
        call(&server, Method::PUT, &agenda_path(&id), As::Bearer(&admin), Some(changed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (_, got) = call(&server, Method::GET, &agenda_path(&id), As::Nobody, None).await;
    assert_eq!(got, updated);
    assert_eq!((&got["id"], &got["created_by"]), (&json!(id), &json!("ana")), "same agenda, same author");
    assert_eq!(got["name"], "Consejo de diciembre (revisada)");
    let urls: Vec<&str> = got["slides"].as_array().expect("slides").iter().filter_map(|s| s["url"].as_str()).collect();
    assert_eq!(urls, ["/hoja-de-ruta?ventana=2026", "/?indicador=COB-02", "/?indicador=COB-01&lugar=HN-CR"]);

    // A bad agenda: every problem, with its slide, in Spanish and English; nothing is stored.
    let bad = json!({
        "name": " ",
        "slides": [
            {"url": "/", "part": "tiles"},
            {"url": "https://otro.example/", "part": "map"},
            {"url": "/?lugar=HN-AT", "part": "progress"}
        ]
    });
    let (status, body) = call(&server, Method::POST, AGENDAS_PATH, As::Bearer(&analyst), Some(bad.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"], "Unprocessable Entity");
    assert!(body["message_es"].as_str().is_some_and(|m| m.contains("3 problema")), "{body}");
    assert!(body["message_en"].as_str().is_some_and(|m| m.contains("3 problem")), "{body}");
    let problems = body["report"].as_array().expect("problems");
    let slides: Vec<Value> = problems.iter().map(|p| p["slide"].clone()).collect();
    assert_eq!(slides, [Value::Null, json!(2), json!(3)], "exactly these three: {body}");
    assert!(problems[0]["es"].as_str().is_some_and(|m| m.contains("nombre")), "{body}");
    assert!(problems[1]["en"].as_str().is_some_and(|m| m.contains("not a link to a dashboard view")), "{body}");
    assert!(problems[2]["en"].as_str().is_some_and(|m| m.contains("roadmap part")), "{body}");
    let (status, body) = call(&server, Method::PUT, &agenda_path(&id), As::Bearer(&analyst), Some(bad)).await;
    assert_eq!((status, len(&body["report"])), (StatusCode::UNPROCESSABLE_ENTITY, Some(3)), "{body}");
    let (_, got) = call(&server, Method::GET, &agenda_path(&id), As::Nobody, None).await;
    assert_eq!(got, updated, "a refused replacement changes nothing");

    // Bodies that are not agendas are refused with a message, never a crash.
    let cases = [
        (json!({"name": "x", "slides": "no"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"name": "x", "slides": [{"url": "/", "part": "pie"}]}).to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"slides": []}).to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"name\": \"x\", \"slides\": [".to_owned(), StatusCode::BAD_REQUEST),
        // Over the 64 KiB limit (well formed, so only its size is wrong).
        (json!({"name": "x".repeat(70 * 1024), "slides": []}).to_string(), StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (body, want) in cases {
        let (status, answer) = raw(&server, Method::POST, AGENDAS_PATH, &analyst, body).await;
        assert_eq!(status, want, "{answer}");
        assert!(answer["message_en"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
    let (_, list) = call(&server, Method::GET, AGENDAS_PATH, As::Nobody, None).await;
    assert_eq!(len(&list), Some(2), "nothing bad was stored");

    // Roles: viewers and anonymous callers read but never write.
    let viewer_cookie = As::Cookie(&viewer, true);
    for (method, path, body) in [
        (Method::POST, AGENDAS_PATH.to_owned(), Some(three_slides())),
        (Method::PUT, agenda_path(&id), Some(three_slides())),
        (Method::DELETE, agenda_path(&id), None),
    ] {
        let (status, _) = call(&server, method.clone(), &path, viewer_cookie, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "viewer {method} {path}");
        let (status, _) = call(&server, method.clone(), &path, As::Nobody, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous {method} {path}");
    }
    let (status, _) = call(&server, Method::GET, AGENDAS_PATH, viewer_cookie, None).await;
    assert_eq!(status, StatusCode::OK, "viewers read");

    // A session cookie writes with its CSRF token, and is refused without it.
    let session = sign_in(&server, "ana").await;
    let (status, body) =
        call(&server, Method::POST, AGENDAS_PATH, As::Cookie(&session, false), Some(three_slides())).await;
    assert_eq!((status, &body["message_en"]), (StatusCode::FORBIDDEN, &json!("Missing CSRF token")), "{body}");
    let (status, _) = call(&server, Method::DELETE, &agenda_path(&id), As::Cookie(&session, false), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token");
    let (status, by_session) =
        call(&server, Method::POST, AGENDAS_PATH, As::Cookie(&session, true), Some(three_slides())).await;
    assert_eq!(status, StatusCode::CREATED, "{by_session}");
    let session_id = by_session["id"].as_str().expect("id").to_owned();
    assert_ne!(session_id, id);

    // Delete: 204, then 404 for reads, writes and deletes.
    let (status, _) = call(&server, Method::DELETE, &agenda_path(&id), As::Bearer(&analyst), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = call(&server, Method::GET, &agenda_path(&id), As::Nobody, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!((&body["message_es"], &body["message_en"]), (&json!("No existe esa agenda"), &json!("No such agenda")));
    let (status, _) = call(&server, Method::PUT, &agenda_path(&id), As::Bearer(&analyst), Some(three_slides())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, Method::DELETE, &agenda_path(&id), As::Bearer(&analyst), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, Method::DELETE, &agenda_path(&session_id), As::Cookie(&session, true), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = call(&server, Method::GET, AGENDAS_PATH, As::Nobody, None).await;
    assert_eq!(list, json!([demo]), "only the demo agenda is left");

    // The audit log has each change, by whom, naming the agenda.
    let (status, log) = call(&server, Method::GET, "/api/audit?limit=100", As::Bearer(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let of = |target: &str| -> Vec<(String, String, String)> {
        log.as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["target"] == target)
            .map(|e| {
                let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                (s("action"), s("actor"), s("detail"))
            })
            .collect()
    };
    let owned = |want: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        want.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect()
    };
    assert_eq!(
        of(&id),
        owned(&[
            ("agenda.delete", "ana", "Consejo de diciembre (revisada)"),
            ("agenda.update", "alba", "Consejo de diciembre (revisada)"),
            ("agenda.create", "ana", "Consejo de diciembre"),
        ])
    );
    assert_eq!(
        of(&session_id),
        owned(&[("agenda.delete", "ana", "Consejo de diciembre"), ("agenda.create", "ana", "Consejo de diciembre")])
    );
    assert_eq!(of(&demo_id), owned(&[("agenda.create", "demo", DEMO_NAME)]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_server_shows_agendas_only_to_accounts() {
    let settings = server::http::Settings { private: true, ..server::http::Settings::default() };
    let server = TestServer::start_with(settings).await;
    server::agendas::seed_demo(&server.store).expect("demo agenda");
    let viewer = server.account("vera", Role::Viewer);
    let (status, list) = call(&server, Method::GET, AGENDAS_PATH, As::Nobody, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{list}");
    let (status, list) = call(&server, Method::GET, AGENDAS_PATH, As::Bearer(&viewer), None).await;
    assert_eq!((status, len(&list)), (StatusCode::OK, Some(1)), "{list}");
    let id = list[0]["id"].as_str().expect("id");
    assert_eq!(call(&server, Method::GET, &agenda_path(id), As::Nobody, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&server, Method::GET, &agenda_path(id), As::Bearer(&viewer), None).await.0, StatusCode::OK);
}

#[test]
fn a_first_start_seeds_one_demo_agenda_and_restarts_keep_what_users_did() {
    let dir = tests::TempDir::new("agendas");
    let open = || server::store::Store::open(&dir.0).expect("open");
    {
        let store = open();
        assert!(server::commands::seed_first_start(&store).expect("first start"), "an empty store is seeded");
        assert!(store.current_id().expect("current").is_some(), "the demo snapshot is published");
        let agendas = store.agendas().expect("list");
        assert_eq!(agendas.len(), 1);
        let demo = &agendas[0];
        assert_eq!((demo.name.as_str(), demo.created_by.as_str()), (DEMO_NAME, "demo"));
        assert_eq!(serde_json::to_value(&demo.slides).expect("json"), demo_slides());
        let input = shared::agenda::AgendaInput {
            name: demo.name.clone(),
            slides: demo.slides.clone(),
            public_agreements: demo.public_agreements,
        };
        assert!(shared::agenda::check(&input).is_empty(), "the demo agenda is a valid agenda");
        assert!(demo.slides.iter().all(|s| !s.url.starts_with("/s/")), "the demo agenda follows the current snapshot");
        // Seeding again (by hand) does not duplicate it either.
        server::agendas::seed_demo(&store).expect("seed again");
        assert_eq!(store.agendas().expect("list").len(), 1);
    }
    // A restart: nothing is seeded; the agenda outlives it.
    let store = open();
    assert!(!server::commands::seed_first_start(&store).expect("restart"));
    let agendas = store.agendas().expect("list");
    assert_eq!(agendas.len(), 1, "a restart does not duplicate the demo agenda");
    assert_eq!(agendas[0].slides.len(), 7);
    // Deleted, it stays deleted across restarts.
    store.delete_agenda(&agendas[0].id, "alba", "").expect("delete");
    drop(store);
    let store = open();
    assert!(!server::commands::seed_first_start(&store).expect("restart"));
    assert!(store.agendas().expect("list").is_empty(), "a deleted demo agenda is not re-created");
}
