//! Meeting agendas over HTTP against the real server: anyone reads them, analysts and admins write them, every
//! problem of a bad agenda is listed with its slide, every change is audited, and agendas outlive a restart.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::store::Role;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)]
async fn analysts_save_agendas_anyone_reads_them_and_bad_ones_list_every_problem() {
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    let viewer = server.account("vera", Role::Viewer);
    let admin = server.account("alba", Role::Admin);

    let (status, list) = call(&server, Method::GET, "/api/agendas", None, None).await;
    assert_eq!((status, list.clone()), (StatusCode::OK, json!([])), "no agendas yet: {list}");

    // Create: 201 with the stored agenda; anonymous readers see it as saved.
    let (status, created) = call(&server, Method::POST, "/api/agendas", Some(&analyst), Some(three_slides())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["created_by"], "ana");
    assert_eq!(created["slides"].as_array().map(Vec::len), Some(3));
    assert_eq!(created["slides"][2]["title"], "", "a missing title is empty");
    let (status, got) = call(&server, Method::GET, &format!("/api/agendas/{id}"), None, None).await;
    assert_eq!((status, &got), (StatusCode::OK, &created));
    let (_, list) = call(&server, Method::GET, "/api/agendas", None, None).await;
    assert_eq!(list, json!([created.clone()]));

    // Replace: renamed, slides reordered.
    let mut changed = three_slides();
    changed["name"] = json!("Consejo de diciembre (revisada)");
    changed["slides"].as_array_mut().expect("slides").reverse();
    let (status, updated) =
        call(&server, Method::PUT, &format!("/api/agendas/{id}"), Some(&admin), Some(changed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (_, got) = call(&server, Method::GET, &format!("/api/agendas/{id}"), None, None).await;
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
    let (status, body) = call(&server, Method::POST, "/api/agendas", Some(&analyst), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = body["report"].as_array().expect("problems");
    let slides: Vec<Value> = problems.iter().map(|p| p["slide"].clone()).collect();
    assert_eq!(slides, [Value::Null, json!(2), json!(3)], "{body}");
    assert!(problems[0]["es"].as_str().is_some_and(|m| m.contains("nombre")), "{body}");
    assert!(problems[1]["en"].as_str().is_some_and(|m| m.contains("not a link to a dashboard view")), "{body}");
    assert!(body["message_es"].as_str().is_some_and(|m| m.contains("3 problema")), "{body}");
    let (status, body) =
        call(&server, Method::POST, "/api/agendas", Some(&analyst), Some(json!({"name": "x", "slides": "no"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "malformed JSON is refused, not a crash: {body}");
    let (_, list) = call(&server, Method::GET, "/api/agendas", None, None).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "nothing bad was stored");

    // Roles: viewers and anonymous callers read but never write.
    let (status, _) = call(&server, Method::POST, "/api/agendas", Some(&viewer), Some(three_slides())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&server, Method::POST, "/api/agendas", None, Some(three_slides())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(&server, Method::DELETE, &format!("/api/agendas/{id}"), Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A session cookie without the CSRF token is refused too.
    let login = reqwest::Client::new()
        .post(server.url("/api/session"))
        .json(&json!({"username": "ana", "password": "contraseña-de-prueba"}))
        .send()
        .await
        .expect("login");
    let cookie =
        login.headers()["set-cookie"].to_str().expect("cookie").split(';').next().unwrap_or_default().to_owned();
    let res = reqwest::Client::new()
        .post(server.url("/api/agendas"))
        .header("cookie", cookie)
        .json(&three_slides())
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no CSRF token");

    // Delete: 204, then 404 for reads, writes and deletes.
    let (status, _) = call(&server, Method::DELETE, &format!("/api/agendas/{id}"), Some(&analyst), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = call(&server, Method::GET, &format!("/api/agendas/{id}"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message_es"], "No existe esa agenda");
    let (status, _) =
        call(&server, Method::PUT, &format!("/api/agendas/{id}"), Some(&analyst), Some(three_slides())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, Method::DELETE, &format!("/api/agendas/{id}"), Some(&analyst), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The audit log has each change, by whom.
    let (_, log) = call(&server, Method::GET, "/api/audit?limit=50", Some(&admin), None).await;
    let actions: Vec<(String, String)> = log
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["target"] == id.as_str())
        .map(|e| {
            (e["action"].as_str().unwrap_or_default().to_owned(), e["actor"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    let want = [("agenda.delete", "ana"), ("agenda.update", "alba"), ("agenda.create", "ana")];
    assert_eq!(actions, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
}

#[test]
fn agendas_outlive_a_restart_and_the_demo_agenda_is_seeded_once() {
    let dir = tests::TempDir::new("agendas");
    {
        let (store, _) = server::store::Store::open(&dir.0).expect("open");
        server::agendas::seed_demo(&store).expect("seed");
        server::agendas::seed_demo(&store).expect("seed again");
        assert_eq!(store.agendas().expect("list").len(), 1, "seeding twice keeps one demo agenda");
    }
    let (store, _) = server::store::Store::open(&dir.0).expect("reopen");
    let agendas = store.agendas().expect("list");
    assert_eq!(agendas.len(), 1);
    assert_eq!(agendas[0].slides.len(), 5);
    assert!(agendas[0].name.contains("sintéticos"), "the demo agenda says its data are synthetic");
    assert!(
        shared::agenda::check(&shared::agenda::AgendaInput {
            name: agendas[0].name.clone(),
            slides: agendas[0].slides.clone()
        })
        .is_empty()
    );
}
