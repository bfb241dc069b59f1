//! The administration API against the real server over HTTP: snapshots with their state, users, API tokens, the
//! audit log's filters, the CSV templates, and what a stale session cookie is told.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use server::store::Role;
use tests::TestServer;

const PASSWORD: &str = "contraseña-de-prueba";

/// A server that lets one address try many log-ins (these tests sign in often).
async fn start() -> TestServer {
    let settings = server::http::Settings { login_attempts_per_minute: 1000, ..server::http::Settings::default() };
    TestServer::start_with(settings).await
}

/// How a request is authenticated.
#[derive(Clone, Copy)]
enum As<'a> {
    Nobody,
    Bearer(&'a str),
    /// A session cookie, with the CSRF token or without it.
    Cookie(&'a Session, bool),
}

/// A signed-in browser session: the cookie and its CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

fn request(server: &TestServer, method: reqwest::Method, path: &str, who: As<'_>) -> reqwest::RequestBuilder {
    let req = reqwest::Client::new().request(method, server.url(path));
    match who {
        As::Nobody => req,
        As::Bearer(token) => req.bearer_auth(token),
        As::Cookie(s, with_csrf) => {
            let req = req.header("cookie", &s.cookie);
            if with_csrf { req.header("x-csrf-token", &s.csrf) } else { req }
        }
    }
}

async fn answer(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let res = req.send().await.expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(server: &TestServer, path: &str, who: As<'_>) -> (StatusCode, Value) {
    answer(request(server, reqwest::Method::GET, path, who)).await
}

async fn post(server: &TestServer, path: &str, who: As<'_>, body: Value) -> (StatusCode, Value) {
    answer(request(server, reqwest::Method::POST, path, who).json(&body)).await
}

async fn sign_in(server: &TestServer, username: &str, password: &str) -> Result<Session, (StatusCode, Value)> {
    let res = reqwest::Client::new()
        .post(server.url("/api/session"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login");
    let status = res.status();
    let set_cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: Value = res.json().await.unwrap_or(Value::Null);
    match set_cookie {
        Some(c) if status == StatusCode::OK => Ok(Session {
            cookie: c.split(';').next().unwrap_or_default().to_owned(),
            csrf: body["csrf_token"].as_str().expect("csrf token").to_owned(),
        }),
        _ => Err((status, body)),
    }
}

fn messages(body: &Value) -> (&str, &str) {
    (body["message_es"].as_str().unwrap_or_default(), body["message_en"].as_str().unwrap_or_default())
}

async fn audit(server: &TestServer, admin: &str, query: &str) -> Vec<Value> {
    let (status, body) = get(server, &format!("/api/audit{query}"), As::Bearer(admin)).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body.as_array().expect("entries").clone()
}

async fn upload(server: &TestServer, token: &str, files: &[(String, Vec<u8>)]) -> (StatusCode, Value) {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part(name.clone(), Part::bytes(bytes.clone()).file_name(name.clone()));
    }
    answer(reqwest::Client::new().post(server.url("/api/uploads")).bearer_auth(token).multipart(form)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_refuse_anonymous_callers_lower_roles_and_cookie_mutations_without_csrf() {
    let server = start().await;
    let viewer = server.account("vera", Role::Viewer);
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("adan", Role::Admin);
    let (nobody, vera, ana, adan) = (As::Nobody, As::Bearer(&viewer), As::Bearer(&analyst), As::Bearer(&admin));
    let (u, f, ok) = (StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::OK);
    for (path, expected) in [
        ("/api/users", [u, f, f, ok]),
        ("/api/tokens", [u, f, ok, ok]),
        ("/api/admin/snapshots", [u, f, ok, ok]),
        ("/api/audit", [u, f, f, ok]),
    ] {
        for (who, want) in [nobody, vera, ana, adan].into_iter().zip(expected) {
            let (status, body) = get(&server, path, who).await;
            assert_eq!(status, want, "GET {path}: {body}");
        }
    }
    let new_user = json!({"username": "nuevo", "password": "una-clave-larga", "role": "viewer"});
    let mutations = [
        ("/api/users", new_user.clone()),
        ("/api/users/vera", json!({"role": "admin"})),
        ("/api/users/vera/password", json!({"password": "otra-clave-larga"})),
    ];
    for (path, body) in &mutations {
        for (who, want) in [(nobody, u), (vera, f), (ana, f)] {
            assert_eq!(post(&server, path, who, body.clone()).await.0, want, "POST {path}");
        }
    }
    // Tokens: analysts make their own; only an admin names someone else.
    assert_eq!(post(&server, "/api/tokens", nobody, json!({"name": "x"})).await.0, u);
    assert_eq!(post(&server, "/api/tokens", vera, json!({"name": "x"})).await.0, f);
    assert_eq!(post(&server, "/api/tokens", ana, json!({"name": "x", "username": "vera"})).await.0, f);
    assert_eq!(
        post(&server, "/api/tokens", adan, json!({"name": "x", "username": "vera"})).await.0,
        StatusCode::CREATED
    );

    // A cookie session's mutation needs the CSRF token.
    server.account("admin", Role::Admin);
    let session = sign_in(&server, "admin", PASSWORD).await.expect("signs in");
    let (status, body) = post(&server, "/api/users", As::Cookie(&session, false), new_user.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(messages(&body), ("Falta el token CSRF", "Missing CSRF token"));
    let (status, body) = post(&server, "/api/tokens", As::Cookie(&session, false), json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(post(&server, "/api/users", As::Cookie(&session, true), new_user).await.0, StatusCode::CREATED);
    // Reading needs no CSRF token.
    assert_eq!(get(&server, "/api/users", As::Cookie(&session, false)).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_users_but_not_with_a_bad_name_a_short_password_or_twice() {
    let server = start().await;
    let admin = server.account("admin", Role::Admin);
    let adan = As::Bearer(&admin);

    let (status, body) =
        post(&server, "/api/users", adan, json!({"username": "luisa", "password": "primera-clave", "role": "viewer"}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({"username": "luisa", "role": "viewer", "disabled": false}));
    let again = json!({"username": "luisa", "password": "primera-clave", "role": "viewer"});
    assert_eq!(post(&server, "/api/users", adan, again).await.0, StatusCode::CONFLICT);
    let (status, body) =
        post(&server, "/api/users", adan, json!({"username": "beto", "password": "corta", "role": "viewer"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        messages(&body),
        ("La contraseña debe tener al menos 10 caracteres", "The password must have at least 10 characters")
    );
    for bad in ["", "luisa maría", &"x".repeat(65)] {
        let (status, body) = post(
            &server,
            "/api/users",
            adan,
            json!({"username": bad, "password": "una-clave-larga", "role": "viewer"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(messages(&body).0.contains("nombre de usuario") && messages(&body).1.contains("username"), "{body}");
    }
    assert_eq!(
        post(
            &server,
            "/api/users",
            adan,
            json!({"username": "x".repeat(64), "password": "una-clave-larga", "role": "analyst"})
        )
        .await
        .0,
        StatusCode::CREATED,
        "64 characters are allowed"
    );
    let (_, list) = get(&server, "/api/users", adan).await;
    assert_eq!(
        list,
        json!([
            {"username": "admin", "role": "admin", "disabled": false},
            {"username": "luisa", "role": "viewer", "disabled": false},
            {"username": "x".repeat(64), "role": "analyst", "disabled": false},
        ])
    );
    let entries = audit(&server, &admin, "?action=user-add&actor=admin").await;
    let added: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["target"].as_str().unwrap_or_default(), e["detail"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(added, vec![("x".repeat(64).as_str(), "analyst"), ("luisa", "viewer")]);
}

/// A server with an admin (by token) and the viewer `luisa`, added through the API.
async fn with_luisa() -> (TestServer, String) {
    let server = start().await;
    let admin = server.account("admin", Role::Admin);
    let luisa = json!({"username": "luisa", "password": "primera-clave", "role": "viewer"});
    assert_eq!(post(&server, "/api/users", As::Bearer(&admin), luisa).await.0, StatusCode::CREATED);
    (server, admin)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_changes_disabling_and_password_resets_take_effect_at_once_and_are_audited() {
    let (server, admin) = with_luisa().await;
    let adan = As::Bearer(&admin);

    // A role change applies to a live session at once.
    let luisa = sign_in(&server, "luisa", "primera-clave").await.expect("signs in");
    assert_eq!(post(&server, "/api/users/luisa", adan, json!({"role": "analyst"})).await.0, StatusCode::NO_CONTENT);
    let (_, me) = get(&server, "/api/me", As::Cookie(&luisa, false)).await;
    assert_eq!(me["role"], "analyst");
    assert_eq!(get(&server, "/api/admin/snapshots", As::Cookie(&luisa, false)).await.0, StatusCode::OK);

    // Disabling ends her sessions and refuses her log-in; enabling lets her back in.
    assert_eq!(post(&server, "/api/users/luisa", adan, json!({"disabled": true})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&server, "/api/me", As::Cookie(&luisa, false)).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = sign_in(&server, "luisa", "primera-clave").await.err().expect("refused");
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = get(&server, "/api/users", adan).await;
    assert_eq!(list[1], json!({"username": "luisa", "role": "analyst", "disabled": true}));
    assert_eq!(post(&server, "/api/users/luisa", adan, json!({"disabled": false})).await.0, StatusCode::NO_CONTENT);
    let luisa = sign_in(&server, "luisa", "primera-clave").await.expect("enabled again");

    // A reset: her sessions end, the old password fails, the new one works, and a lockout is lifted.
    for _ in 0..5 {
        assert_eq!(sign_in(&server, "luisa", "mala-clave-1").await.err().expect("wrong").0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sign_in(&server, "luisa", "primera-clave").await.err().expect("locked").0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let path = "/api/users/luisa/password";
    assert_eq!(post(&server, path, adan, json!({"password": "corta"})).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(&server, path, adan, json!({"password": "segunda-clave"})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&server, "/api/me", As::Cookie(&luisa, false)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&server, "luisa", "primera-clave").await.err().expect("old").0, StatusCode::UNAUTHORIZED);
    let luisa = sign_in(&server, "luisa", "segunda-clave").await.expect("the new password works");
    assert_eq!(get(&server, "/api/me", As::Cookie(&luisa, false)).await.1["username"], "luisa");

    // Each change is in the audit log, by whom and from where.
    let entries = audit(&server, &admin, "?actor=admin").await;
    let seen: Vec<(&str, &str, &str)> = entries
        .iter()
        .rev()
        .map(|e| {
            assert_eq!(e["from"], "127.0.0.1", "{e}");
            (
                e["action"].as_str().unwrap_or_default(),
                e["target"].as_str().unwrap_or_default(),
                e["detail"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("user-add", "luisa", "viewer"),
            ("user-set-role", "luisa", "analyst"),
            ("user-disable", "luisa", ""),
            ("user-enable", "luisa", ""),
            ("user-password-reset", "luisa", ""),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_never_demotes_or_disables_themselves() {
    let (server, admin) = with_luisa().await;
    let adan = As::Bearer(&admin);

    // An admin cannot demote or disable themselves; another admin's changes, and unknown users, are answered.
    for change in [json!({"role": "analyst"}), json!({"disabled": true}), json!({"role": "viewer", "disabled": false})]
    {
        let (status, body) = post(&server, "/api/users/admin", adan, change.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{change}");
        assert!(messages(&body).0.contains("propia cuenta") && messages(&body).1.contains("own account"), "{body}");
    }
    assert_eq!(post(&server, "/api/users/admin", adan, json!({"role": "admin"})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&server, "/api/me", adan).await.1["role"], "admin");
    assert_eq!(post(&server, "/api/users/nadie", adan, json!({"disabled": true})).await.0, StatusCode::NOT_FOUND);
    let path = "/api/users/nadie/password";
    assert_eq!(post(&server, path, adan, json!({"password": "una-clave-larga"})).await.0, StatusCode::NOT_FOUND);
    let (status, body) = post(&server, "/api/users/luisa", adan, json!({"role": "superuser"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!messages(&body).0.is_empty(), "a JSON error body: {body}");
    let changes = audit(&server, &admin, "?action=user-set-role").await;
    assert_eq!(changes.len(), 1, "only the change that was made: {changes:?}");
    assert_eq!((changes[0]["target"].as_str(), changes[0]["detail"].as_str()), (Some("admin"), Some("admin")));

    // Another admin may: the one acting always remains an admin, so someone can always administer.
    let other = server.account("beatriz", Role::Admin);
    let demote = json!({"role": "analyst"});
    assert_eq!(post(&server, "/api/users/admin", As::Bearer(&other), demote).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&server, "/api/users", adan).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_are_shown_once_listed_without_secrets_used_and_revoked() {
    let server = start().await;
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("admin", Role::Admin);
    let (ana, adan) = (As::Bearer(&analyst), As::Bearer(&admin));

    let (status, body) = post(&server, "/api/tokens", ana, json!({"name": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(messages(&body), ("Dé un nombre al token", "Give the token a name"));
    let (status, created) = post(&server, "/api/tokens", ana, json!({"name": "carga mensual"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["token"].as_str().expect("token").to_owned();
    let id = created["token_id"].as_i64().expect("id");
    assert!(token.starts_with("rumbo_") && token.len() > 40, "{token}");
    assert_eq!((created["name"].as_str(), created["username"].as_str()), (Some("carga mensual"), Some("ana")));

    // The new token works as a Bearer token.
    let (status, me) = get(&server, "/api/me", As::Bearer(&token)).await;
    assert_eq!((status, me["username"].as_str()), (StatusCode::OK, Some("ana")));

    // An admin makes one for someone else.
    let (status, for_ana) = post(&server, "/api/tokens", adan, json!({"name": "publicador", "username": "ana"})).await;
    assert_eq!((status, for_ana["username"].as_str()), (StatusCode::CREATED, Some("ana")));
    let nobody = json!({"name": "x", "username": "nadie"});
    assert_eq!(post(&server, "/api/tokens", adan, nobody).await.0, StatusCode::NOT_FOUND);

    // Lists: an analyst's own tokens, an admin's everyone's; newest first; never a secret.
    let (_, own) = get(&server, "/api/tokens", ana).await;
    let names = |list: &Value| -> Vec<(String, String)> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|t| {
                (
                    t["username"].as_str().unwrap_or_default().to_owned(),
                    t["name"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let pair = |u: &str, n: &str| (u.to_owned(), n.to_owned());
    assert_eq!(names(&own), vec![pair("ana", "publicador"), pair("ana", "carga mensual"), pair("ana", "test")]);
    let (_, all) = get(&server, "/api/tokens", adan).await;
    assert_eq!(
        names(&all),
        vec![pair("ana", "publicador"), pair("ana", "carga mensual"), pair("admin", "test"), pair("ana", "test")]
    );
    for t in all.as_array().expect("list") {
        let mut keys: Vec<&str> = t.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["created_at", "name", "revoked", "token_id", "username"]);
        assert!(!t.to_string().contains(&token));
    }

    // Revoking: the owner or an admin; someone else's token is not found.
    let admins_own = all[2]["token_id"].as_i64().expect("id");
    let revoke = |id: i64| format!("/api/tokens/{id}/revoke");
    assert_eq!(post(&server, &revoke(admins_own), ana, json!({})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post(&server, &revoke(999_999), ana, json!({})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post(&server, "/api/tokens/abc/revoke", adan, json!({})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post(&server, &revoke(id), ana, json!({})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&server, "/api/me", As::Bearer(&token)).await.0, StatusCode::UNAUTHORIZED);
    let (_, own) = get(&server, "/api/tokens", ana).await;
    assert_eq!(own[1]["revoked"], true);
    assert_eq!(own[0]["revoked"], false);
    let publisher = for_ana["token"].as_str().expect("token");
    assert_eq!(
        post(&server, &revoke(for_ana["token_id"].as_i64().expect("id")), adan, json!({})).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(get(&server, "/api/me", As::Bearer(publisher)).await.0, StatusCode::UNAUTHORIZED);

    let entries = audit(&server, &admin, "?action=token-revoke").await;
    let revoked: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or_default(),
                e["target"].as_str().unwrap_or_default(),
                e["detail"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(revoked, vec![("admin", "ana", "publicador"), ("ana", "ana", "carga mensual")]);
    assert!(entries.iter().all(|e| e["from"] == "127.0.0.1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_filters_by_actor_action_and_day_newest_first() {
    let server = start().await;
    let admin = server.account("admin", Role::Admin);
    let analyst = server.account("ana", Role::Analyst);
    let today = server::store::now_rfc3339()[..10].to_owned();
    for name in ["uno", "dos", "tres"] {
        let user = json!({"username": name, "password": "una-clave-larga", "role": "viewer"});
        assert_eq!(post(&server, "/api/users", As::Bearer(&admin), user).await.0, StatusCode::CREATED);
    }
    assert_eq!(post(&server, "/api/tokens", As::Bearer(&analyst), json!({"name": "t"})).await.0, StatusCode::CREATED);
    let targets = |entries: &[Value]| -> Vec<String> {
        entries
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["actor"].as_str().unwrap_or_default(),
                    e["action"].as_str().unwrap_or_default(),
                    e["target"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };

    let by_admin = audit(&server, &admin, "?actor=admin").await;
    assert_eq!(targets(&by_admin), ["admin user-add tres", "admin user-add dos", "admin user-add uno"]);
    let adds = audit(&server, &admin, "?action=user-add").await;
    assert_eq!(
        targets(&adds),
        ["admin user-add tres", "admin user-add dos", "admin user-add uno", "test user-add ana", "test user-add admin"]
    );
    let by_ana = audit(&server, &admin, "?actor=ana&action=token-create").await;
    assert_eq!(targets(&by_ana), ["ana token-create ana"]);
    assert_eq!(targets(&audit(&server, &admin, "?actor=ana&action=user-add").await), Vec::<String>::new());
    assert_eq!(
        targets(&audit(&server, &admin, "?actor=admin&limit=2").await),
        ["admin user-add tres", "admin user-add dos"]
    );
    assert_eq!(audit(&server, &admin, "?action=publish&actor=rumbo&limit=999999").await.len(), 2, "the demo's two");
    assert_eq!(audit(&server, &admin, "?actor=&action=").await.len(), audit(&server, &admin, "").await.len());

    // Days are inclusive, on the date each entry was written with.
    let by_day = audit(&server, &admin, &format!("?actor=admin&since={today}&until={today}")).await;
    if server::store::now_rfc3339()[..10] == today {
        assert_eq!(by_day.len(), 3, "{by_day:?}");
        assert!(by_day.iter().all(|e| e["at"].as_str().is_some_and(|at| at.starts_with(&today))));
    }
    assert_eq!(audit(&server, &admin, "?since=2199-01-01").await.len(), 0);
    assert_eq!(audit(&server, &admin, "?until=2000-12-31").await.len(), 0);
    assert_eq!(audit(&server, &admin, "?actor=admin&since=2000-01-01&until=2199-12-31").await.len(), 3);

    for bad in ["?since=2025-13-01", "?until=ayer", "?since=2025-1-5", "?limit=muchos"] {
        let (status, body) = get(&server, &format!("/api/audit{bad}"), As::Bearer(&admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(!messages(&body).0.is_empty() && !messages(&body).1.is_empty(), "{bad}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_download_as_excel_csv_and_upload_without_a_finding() {
    let server = start().await;
    let analyst = server.account("ana", Role::Analyst);
    let (status, list) = get(&server, "/api/templates", As::Nobody).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().expect("list").clone();
    let files: Vec<(&str, &str)> =
        list.iter().map(|t| (t["kind"].as_str().unwrap_or_default(), t["file"].as_str().unwrap_or_default())).collect();
    let mut expected: Vec<(&str, String)> = vec![("workbook", "plantillas.xlsx".to_owned())];
    expected.extend(shared::tables::ALL.iter().map(|s| ("table", format!("{}.csv", s.name))));
    for file in ["territorios.csv", "servicios.csv", "poblaciones.csv", "instituciones.csv", "indicadores.csv"] {
        expected.push(("codes", file.to_owned()));
    }
    let expected: Vec<(&str, &str)> = expected.iter().map(|(k, f)| (*k, f.as_str())).collect();
    assert_eq!(files, expected);
    for t in &list {
        assert!(
            t["title_es"].as_str().is_some_and(|s| !s.is_empty())
                && t["title_en"].as_str().is_some_and(|s| !s.is_empty()),
            "{t}"
        );
        assert!(t["file"].as_str().is_some_and(|f| f.starts_with(t["name"].as_str().unwrap_or("?"))), "{t}");
    }

    let mut tables = Vec::new();
    for t in &list {
        let file = t["file"].as_str().expect("file");
        let res = reqwest::get(server.url(&format!("/api/templates/{file}"))).await.expect("get");
        assert_eq!(res.status(), StatusCode::OK, "{file}");
        let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(header("content-disposition"), format!("attachment; filename=\"{file}\""));
        assert_eq!(header("cache-control"), "no-cache");
        if t["kind"] == "workbook" {
            let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            assert_eq!(header("content-type"), kind, "{file}");
            // Uploaded as it comes, the workbook is a clean draft of every table.
            let bytes = res.bytes().await.expect("body").to_vec();
            assert!(bytes.starts_with(b"PK"), "{file}: a zip");
            let (status, report) = upload(&server, &analyst, &[(file.to_owned(), bytes)]).await;
            assert_eq!(status, StatusCode::CREATED, "{report}");
            assert_eq!((report["errors"].as_u64(), report["warnings"].as_u64()), (Some(0), Some(0)), "{report}");
            continue;
        }
        assert_eq!(header("content-type"), "text/csv; charset=utf-8", "{file}");
        let bytes = res.bytes().await.expect("body").to_vec();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}: the UTF-8 BOM first");
        let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        if t["kind"] == "table" {
            let spec = shared::tables::spec(t["name"].as_str().expect("name")).expect("a table of the contract");
            let columns: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            assert_eq!(lines[0], columns.join(","), "{file}: header in the contract's order");
            assert_eq!(lines.len(), 2, "{file}: the header and one example row");
            tables.push((file.to_owned(), bytes));
        } else {
            assert!(lines[0].starts_with("code,name_es,name_en"), "{file}: {}", lines[0]);
            assert!(lines.len() > 3, "{file}");
        }
    }
    let territories =
        reqwest::get(server.url("/api/templates/territorios.csv")).await.expect("get").text().await.expect("text");
    assert!(
        territories.contains("\nT01,Distrito Central,Distrito Central,HN-FM,0801,-87.206,14.072\r\n"),
        "{territories}"
    );
    assert!(territories.contains("\nHN-CR,Cortés,Cortés,HN-CR,,,\r\n"), "{territories}");

    // Filled in as they come, every table template together is a publishable draft, and so is facts alone.
    let (status, report) = upload(&server, &analyst, &tables).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!((report["errors"].as_u64(), report["warnings"].as_u64()), (Some(0), Some(0)), "{report}");
    let facts: Vec<(String, Vec<u8>)> = tables.iter().filter(|(f, _)| f == "facts.csv").cloned().collect();
    let (status, report) = upload(&server, &analyst, &facts).await;
    assert_eq!((status, report["errors"].as_u64()), (StatusCode::CREATED, Some(0)), "{report}");

    let (status, body) = get(&server, "/api/templates/nada.csv", As::Nobody).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(messages(&body), ("No existe esa plantilla", "No such template"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_need_an_account_on_a_private_server() {
    let settings = server::http::Settings { private: true, ..server::http::Settings::default() };
    let server = TestServer::start_with(settings).await;
    let viewer = server.account("vera", Role::Viewer);
    assert_eq!(get(&server, "/api/templates", As::Nobody).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&server, "/api/templates/facts.csv", As::Nobody).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&server, "/api/templates", As::Bearer(&viewer)).await.0, StatusCode::OK);
    let res = request(&server, reqwest::Method::GET, "/api/templates/facts.csv", As::Bearer(&viewer))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manifests_name_their_lifecycle_and_the_admin_list_shows_versions_and_retractions() {
    let server = start().await;
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("admin", Role::Admin);
    let (ana, adan) = (As::Bearer(&analyst), As::Bearer(&admin));
    let facts = reqwest::get(server.url("/api/templates/facts.csv")).await.expect("get").bytes().await.expect("body");
    let (status, report) = upload(&server, &analyst, &[("facts.csv".to_owned(), facts.to_vec())]).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let draft = report["draft_id"].as_str().expect("draft id").to_owned();

    let (status, manifest) = get(&server, &format!("/api/snapshots/{draft}"), ana).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (manifest["lifecycle"].as_str(), manifest["snapshot_id"].as_str()),
        (Some("draft"), Some(draft.as_str()))
    );
    assert_eq!(manifest["tables"][0]["name"], "facts");
    assert_eq!(get(&server, &format!("/api/snapshots/{draft}"), As::Nobody).await.0, StatusCode::UNAUTHORIZED);
    let (status, current) = get(&server, "/api/snapshots/current", As::Nobody).await;
    assert_eq!((status, current["lifecycle"].as_str()), (StatusCode::OK, Some("published")));
    let newest = current["snapshot_id"].as_str().expect("id").to_owned();

    // Retract the newest: its manifest says why; the admin list shows both, newest version first.
    let reason = "Cifras de T05 duplicadas";
    let retract = format!("/api/snapshots/{newest}/retract");
    assert_eq!(post(&server, &retract, adan, json!({"reason": reason})).await.0, StatusCode::NO_CONTENT);
    let (status, body) = get(&server, &format!("/api/snapshots/{newest}"), As::Nobody).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(
        messages(&body),
        (
            format!("Esta publicación fue retirada: {reason}").as_str(),
            format!("This snapshot was retracted: {reason}").as_str()
        )
    );

    let (status, managed) = get(&server, "/api/admin/snapshots", ana).await;
    assert_eq!(status, StatusCode::OK);
    let managed = managed.as_array().expect("list");
    let summary: Vec<(&str, &str, bool, i64, Option<&str>)> = managed
        .iter()
        .map(|s| {
            (
                s["snapshot_id"].as_str().unwrap_or_default(),
                s["lifecycle"].as_str().unwrap_or_default(),
                s["current"].as_bool().unwrap_or_default(),
                s["version"].as_i64().unwrap_or_default(),
                s["retract_reason"].as_str(),
            )
        })
        .collect();
    let older = summary[1].0;
    assert_ne!(older, newest);
    assert_eq!(
        summary,
        vec![(newest.as_str(), "retracted", false, 2, Some(reason)), (older, "published", true, 1, None)]
    );
    assert!(managed[1]["retract_reason"].is_null());
    for s in managed {
        // The manifest's fields, flattened beside the state, as in GET /api/snapshots.
        for field in ["title_es", "title_en", "as_of", "published_at", "publisher", "schema_version"] {
            assert!(s[field].is_string(), "{field} in {s}");
        }
        assert_eq!(s["synthetic"], true);
        assert!(s["tables"].as_array().is_some_and(|t| !t.is_empty()), "{s}");
    }
    assert!(!managed.iter().any(|s| s["snapshot_id"] == draft.as_str()), "drafts are not listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_session_cookie_is_told_the_session_expired() {
    let server = start().await;
    server.account("ana", Role::Analyst);
    let session = sign_in(&server, "ana", PASSWORD).await.expect("signs in");
    assert_eq!(get(&server, "/api/me", As::Cookie(&session, false)).await.0, StatusCode::OK);
    let res = request(&server, reqwest::Method::DELETE, "/api/session", As::Cookie(&session, true)).send().await;
    assert_eq!(res.expect("logout").status(), StatusCode::NO_CONTENT);

    let expired = ("Su sesión expiró; inicie sesión de nuevo", "Your session expired; sign in again");
    for path in ["/api/me", "/api/drafts", "/api/tokens"] {
        let (status, body) = get(&server, path, As::Cookie(&session, false)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(messages(&body), expired, "{path}");
    }
    let (status, body) = post(&server, "/api/tokens", As::Cookie(&session, true), json!({"name": "x"})).await;
    assert_eq!((status, messages(&body)), (StatusCode::UNAUTHORIZED, expired));
    let unknown = Session { cookie: "rumbo_session=0123456789abcdef".to_owned(), csrf: String::new() };
    assert_eq!(messages(&get(&server, "/api/me", As::Cookie(&unknown, false)).await.1), expired);

    // Without a cookie, or with a bad token, it is plain "sign in"; a wrong password says so.
    assert_eq!(messages(&get(&server, "/api/me", As::Nobody).await.1), ("Inicie sesión", "Sign in"));
    assert_eq!(messages(&get(&server, "/api/me", As::Bearer("rumbo_nope")).await.1), ("Inicie sesión", "Sign in"));
    let (status, body) = sign_in(&server, "ana", "no-es-la-clave").await.err().expect("refused");
    assert_eq!(
        (status, messages(&body)),
        (StatusCode::UNAUTHORIZED, ("Usuario o contraseña incorrectos", "Wrong username or password"))
    );
}
