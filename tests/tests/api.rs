//! The snapshot API against the real server and store: lifecycle, roles, CSRF, hostile uploads, restarts.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use server::store::Role;
use tests::TestServer;

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let config = shared::demo::DemoConfig::default();
    let facts = shared::intake::write_csv(&shared::demo::facts(&config)).expect("csv");
    let mut files = vec![("facts.csv".to_owned(), facts)];
    for (name, csv) in shared::demo::roadmap::tables(&config) {
        files.push((format!("{name}.csv"), csv.into_bytes()));
    }
    files
}

async fn upload(
    server: &TestServer,
    token: Option<&str>,
    files: &[(String, Vec<u8>)],
) -> (StatusCode, serde_json::Value) {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part(name.clone(), Part::bytes(bytes.clone()).file_name(name.clone()));
    }
    let mut req = reqwest::Client::new().post(server.url("/api/uploads")).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or_default())
}

async fn post(server: &TestServer, token: Option<&str>, path: &str, body: serde_json::Value) -> StatusCode {
    let mut req = reqwest::Client::new().post(server.url(path)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("request").status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyst_uploads_fixes_publishes_and_admin_retracts() {
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("admin", Role::Admin);
    let demo_id = server.current_id().await;

    // Two injected errors: an unknown territory in data row 3, a negative count in data row 5.
    let mut files = demo_files();
    let text = String::from_utf8(files[0].1.clone()).expect("utf-8");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",T01,", ",T99,", 1);
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_owned).collect();
    cells[7] = "-40".to_owned();
    lines[5] = cells.join(",");
    files[0].1 = lines.join("\n").into_bytes();
    let (status, report) = upload(&server, Some(&analyst), &files).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["row"].as_u64().unwrap_or(0), f["column"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(found, vec![(3, "territory"), (5, "value")]);
    let bad_draft = report["draft_id"].as_str().expect("draft id").to_owned();
    assert_eq!(
        post(&server, Some(&analyst), &format!("/api/drafts/{bad_draft}/publish"), serde_json::json!({})).await,
        StatusCode::CONFLICT
    );

    let (status, report) = upload(&server, Some(&analyst), &demo_files()).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let draft = report["draft_id"].as_str().expect("draft id").to_owned();
    // Drafts are not public.
    assert_eq!(
        reqwest::get(server.url(&format!("/api/snapshots/{draft}"))).await.expect("get").status(),
        StatusCode::UNAUTHORIZED
    );
    let meta = serde_json::json!({
        "title_es": "Cierre de octubre", "title_en": "October close", "as_of": "2026-10-31",
        "notes": "SI EMPLEO, corte al 31 de octubre; INM sin datos de Ocotepeque"
    });
    assert_eq!(post(&server, Some(&analyst), &format!("/api/drafts/{draft}/publish"), meta).await, StatusCode::OK);
    assert_eq!(server.current_id().await, draft);
    let list: serde_json::Value =
        reqwest::get(server.url("/api/snapshots")).await.expect("get").json().await.expect("json");
    assert_eq!(list[0]["snapshot_id"], draft.as_str());
    assert_eq!(list[0]["title_es"], "Cierre de octubre");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["publisher"], "ana");

    // Published bytes match their hash, served from the store.
    let manifest: serde_json::Value =
        reqwest::get(server.url(&format!("/api/snapshots/{draft}"))).await.expect("get").json().await.expect("json");
    assert_eq!(manifest["publisher"], "ana");
    assert_eq!(manifest["source_notes"], "SI EMPLEO, corte al 31 de octubre; INM sin datos de Ocotepeque");
    for table in manifest["tables"].as_array().expect("tables") {
        let name = table["name"].as_str().expect("name");
        let bytes = reqwest::get(server.url(&shared::api::table_path(&draft, name)))
            .await
            .expect("get")
            .bytes()
            .await
            .expect("body");
        assert_eq!(
            server::snapshots::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            table["sha256"].as_str().expect("sha")
        );
    }

    // Only admins retract; a reason is required; the previous snapshot becomes current again.
    let retract = format!("/api/snapshots/{draft}/retract");
    assert_eq!(
        post(&server, Some(&analyst), &retract, serde_json::json!({"reason": "x"})).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&server, Some(&admin), &retract, serde_json::json!({"reason": ""})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(&server, Some(&admin), &retract, serde_json::json!({"reason": "Cifras de T05 duplicadas"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(server.current_id().await, demo_id);
    assert_eq!(
        reqwest::get(server.url(&format!("/api/snapshots/{draft}"))).await.expect("get").status(),
        StatusCode::GONE
    );

    let audit: serde_json::Value = reqwest::Client::new()
        .get(server.url("/api/audit"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> =
        audit.as_array().expect("audit").iter().map(|e| e["action"].as_str().unwrap_or_default()).collect();
    for action in ["upload", "publish", "retract"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutating_route_checks_the_role() {
    let server = TestServer::start().await;
    let viewer = server.account("vera", Role::Viewer);
    let analyst = server.account("ana", Role::Analyst);
    let admin = server.account("adan", Role::Admin);
    let demo = server.current_id().await;
    // Expected statuses for anonymous, viewer, analyst, admin. Analysts' and admins' requests reach the handler,
    // which then answers on the merits (e.g. 404 for a draft that does not exist).
    let cases: Vec<(String, [StatusCode; 4])> = vec![
        (
            "/api/drafts/nope/publish".into(),
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND],
        ),
        (
            "/api/drafts/nope/discard".into(),
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND],
        ),
        (
            format!("/api/snapshots/{demo}/make-current"),
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN, StatusCode::NO_CONTENT],
        ),
        (
            "/api/snapshots/nope/retract".into(),
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN, StatusCode::CONFLICT],
        ),
    ];
    let tokens = [None, Some(viewer.as_str()), Some(analyst.as_str()), Some(admin.as_str())];
    for (path, expected) in &cases {
        for (token, want) in tokens.iter().zip(expected) {
            let got = post(&server, *token, path, serde_json::json!({"reason": "prueba"})).await;
            assert_eq!(got, *want, "{path} as {token:?}");
        }
    }
    let files = vec![("risks.csv".to_owned(), b"risk_id\n".to_vec())];
    let expected = [
        StatusCode::UNAUTHORIZED,
        StatusCode::FORBIDDEN,
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::UNPROCESSABLE_ENTITY,
    ];
    for (token, want) in tokens.iter().zip(expected) {
        assert_eq!(upload(&server, *token, &files).await.0, want, "upload as {token:?}");
    }
    for (token, want) in
        tokens.iter().zip([StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN, StatusCode::OK])
    {
        let mut req = reqwest::Client::new().get(server.url("/api/audit"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        assert_eq!(req.send().await.expect("get").status(), want, "audit as {token:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_sessions_need_the_csrf_token_and_wait_after_five_failures() {
    let server = TestServer::start().await;
    server.account("admin", Role::Admin);
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let res = client
        .post(server.url("/api/session"))
        .json(&serde_json::json!({"username": "admin", "password": "contraseña-de-prueba"}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    // Beside it, the marker the page reads to know whether to ask who is signed in (no secret, not HttpOnly).
    let cookies: Vec<&str> = res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    let marker = cookies.iter().find(|c| c.starts_with("rumbo_signed_in=1;")).expect("the sign-in marker");
    assert!(!marker.contains("HttpOnly") && marker.contains("SameSite=Strict"), "{marker}");
    let me: serde_json::Value = res.json().await.expect("json");
    let csrf = me["csrf_token"].as_str().expect("csrf").to_owned();
    let demo = server.current_id().await;
    let path = server.url(&format!("/api/snapshots/{demo}/make-current"));
    assert_eq!(client.post(&path).send().await.expect("post").status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(
        client.post(&path).header("x-csrf-token", &csrf).send().await.expect("post").status(),
        StatusCode::NO_CONTENT
    );
    let out = client.delete(server.url("/api/session")).send().await.expect("logout");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared: Vec<&str> = out.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("rumbo_signed_in=;") && c.contains("Max-Age=0")), "{cleared:?}");
    assert_eq!(client.get(server.url("/api/me")).send().await.expect("me").status(), StatusCode::UNAUTHORIZED);

    for _ in 0..5 {
        let res = client
            .post(server.url("/api/session"))
            .json(&serde_json::json!({"username": "admin", "password": "mala"}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = client
        .post(server.url("/api/session"))
        .json(&serde_json::json!({"username": "admin", "password": "contraseña-de-prueba"}))
        .send()
        .await
        .expect("login");
    // From this address, the next try waits (even with the right password); `server/tests/hostile.rs` shows the
    // account's owner elsewhere is not locked out.
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "no wait after five failures");
    assert!(res.headers().get("retry-after").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_uploads_get_a_4xx_and_the_server_keeps_serving() {
    // Decoded tables are capped at 64 MiB here (1 GiB by default), so the 200 MB bombs below meet the cap.
    let limits = shared::intake::Limits { max_decoded_bytes: 64 * 1024 * 1024, ..shared::intake::Limits::default() };
    let settings =
        server::http::Settings { max_upload_bytes: 8 * 1024 * 1024, limits, ..server::http::Settings::default() };
    let server = TestServer::start_with(settings).await;
    let analyst = server.account("ana", Role::Analyst);
    let facts = shared::ipc::write_stream(&shared::demo::facts(&shared::demo::DemoConfig::default())).expect("ipc");
    let mut flipped = facts.clone();
    for i in (100..flipped.len()).step_by(997) {
        flipped[i] ^= 0x5A;
    }
    let mut absurd = facts[..64].to_vec();
    absurd[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    // A CSV header of 3 million columns (6 MB).
    let wide = format!("c{}", ",c".repeat(3_000_000)).into_bytes();
    // Compression bombs: 200 million zero bytes in a few kilobytes (ZSTD and LZ4), and a buffer whose declared
    // decompressed length is 1 TiB.
    let zstd_bomb = bomb(arrow_ipc::CompressionType::ZSTD, 200, 1_000_000);
    let lz4_bomb = bomb(arrow_ipc::CompressionType::LZ4_FRAME, 200, 1_000_000);
    let mut absurd_bomb = bomb(arrow_ipc::CompressionType::ZSTD, 1, 77_777);
    let at = absurd_bomb.windows(8).rposition(|w| w == 77_777i64.to_le_bytes()).expect("length prefix");
    absurd_bomb[at..at + 8].copy_from_slice(&(1i64 << 40).to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &[StatusCode])> = vec![
        ("facts.arrows", facts[..facts.len() / 2].to_vec(), &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.arrows", flipped, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.arrows", absurd, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.csv", wide, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.arrows", zstd_bomb, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.arrows", lz4_bomb, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.arrows", absurd_bomb, &[StatusCode::UNPROCESSABLE_ENTITY]),
        ("facts.csv", b"indicator,period\nCOB-01,2025-01\n".to_vec(), &[StatusCode::UNPROCESSABLE_ENTITY]),
    ];
    let mut bombs_refused = 0;
    for (name, bytes, allowed) in cases {
        let started = std::time::Instant::now();
        let (status, body) = upload(&server, Some(&analyst), &[(name.to_owned(), bytes)]).await;
        assert!(allowed.contains(&status), "{name}: {status} {body}");
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(body["findings"].as_array().is_some_and(|f| !f.is_empty()), "{name}: a report: {body}");
        }
        if name == "facts.arrows" && body.to_string().contains("descomprimido") {
            bombs_refused += 1;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{name} took {:?}", started.elapsed());
        let alive = reqwest::get(server.url("/api/snapshots/current")).await.expect("server alive").status();
        assert_eq!(alive, StatusCode::OK);
    }
    assert_eq!(bombs_refused, 3, "each bomb is refused for its decompressed size, not later");
    // Over the body limit: 413. The server answers before reading the whole body and closes the connection, so a
    // client still writing may see a broken pipe instead of the answer (HTTP/1.1 has no way around that race);
    // a few attempts show the answer is a 413, and the server keeps serving either way.
    let mut answered = None;
    for _ in 0..5 {
        let form = Form::new().part("facts.csv", Part::bytes(vec![0u8; 9 * 1024 * 1024]).file_name("facts.csv"));
        let sent = reqwest::Client::new().post(server.url("/api/uploads")).multipart(form).bearer_auth(&analyst).send();
        if let Ok(res) = sent.await {
            answered = Some(res.status());
            break;
        }
        let alive = reqwest::get(server.url("/api/snapshots/current")).await.expect("server alive").status();
        assert_eq!(alive, StatusCode::OK);
    }
    assert_eq!(answered, Some(StatusCode::PAYLOAD_TOO_LARGE));
}

/// An Arrow IPC stream of `rows` rows of `width` zero bytes each (one `FixedSizeBinary` column), compressed.
fn bomb(codec: arrow_ipc::CompressionType, rows: usize, width: i32) -> Vec<u8> {
    let zeros = vec![0u8; rows * usize::try_from(width).expect("width")];
    let column = arrow_array::FixedSizeBinaryArray::try_new(width, zeros.into(), None).expect("column");
    let batch = arrow_array::RecordBatch::try_from_iter([("value", std::sync::Arc::new(column) as _)]).expect("batch");
    let options = arrow_ipc::writer::IpcWriteOptions::default().try_with_compression(Some(codec)).expect("codec");
    let mut out = Vec::new();
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new_with_options(&mut out, &batch.schema(), options).expect("writer");
    writer.write(&batch).expect("write");
    writer.finish().expect("finish");
    drop(writer);
    // ZSTD packs 200 MB of zeros into a few kilobytes, LZ4 (at most 255:1) into about 800 KB.
    assert!(out.len() < 1024 * 1024, "{codec:?} bomb is {} bytes", out.len());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_attempts_are_limited_per_address_with_retry_after_and_audited() {
    let server = TestServer::start().await;
    let admin = server.account("admin", Role::Admin);
    let client = reqwest::Client::new();
    // Ten attempts against ten different accounts: no single account reaches its lockout.
    for i in 0..10 {
        let res = client
            .post(server.url("/api/session"))
            .json(&serde_json::json!({"username": format!("nadie{i}"), "password": "x"}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let started = std::time::Instant::now();
    let res = client
        .post(server.url("/api/session"))
        .json(&serde_json::json!({"username": "admin", "password": "contraseña-de-prueba"}))
        .send()
        .await
        .expect("login");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "refused in {:?}", started.elapsed());
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the right password too, from this address");
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(res.headers().get("set-cookie").is_none());
    let body: serde_json::Value = res.json().await.expect("json");
    assert!(body["message_es"].as_str().is_some_and(|m| m.contains("intentos")), "{body}");
    assert!(body["message_en"].as_str().is_some_and(|m| m.contains("attempts")), "{body}");
    // Token-authenticated requests are not log-ins: the API still answers.
    let audit: serde_json::Value = client
        .get(server.url("/api/audit"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    let limited: Vec<&serde_json::Value> =
        audit.as_array().expect("audit").iter().filter(|e| e["action"] == "login-rate-limited").collect();
    assert_eq!(limited.len(), 1, "{audit}");
    assert_eq!(limited[0]["from"], "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_only_when_asked() {
    for secure in [false, true] {
        let settings = server::http::Settings { secure_cookies: secure, ..server::http::Settings::default() };
        let server = TestServer::start_with(settings).await;
        server.account("admin", Role::Admin);
        let client = reqwest::Client::new();
        let res = client
            .post(server.url("/api/session"))
            .json(&serde_json::json!({"username": "admin", "password": "contraseña-de-prueba"}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(cookie.split(';').any(|a| a.trim() == "Secure"), secure, "{cookie}");
        let res = client.delete(server.url("/api/session")).send().await.expect("logout");
        let cleared = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(cleared.split(';').any(|a| a.trim() == "Secure"), secure, "{cleared}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rumbo_publish_uploads_publishes_and_records_publisher_and_notes() {
    let server = TestServer::start().await;
    let token = server.account("ana", Role::Analyst);
    let dir = tests::TempDir::new("publish");
    let mut files = Vec::new();
    for (name, bytes) in demo_files() {
        let path = dir.0.join(name);
        std::fs::write(&path, bytes).expect("write");
        files.push(path);
    }
    let args = server::publish::PublishArgs {
        files,
        server: server.url(""),
        token,
        title: Some("Cierre de octubre".to_owned()),
        title_en: None,
        as_of: Some("2026-10-31".to_owned()),
        notes: Some("Fuente: SI EMPLEO y registros del INM".to_owned()),
        draft: false,
    };
    let code = tokio::task::spawn_blocking(move || server::publish::run(&args)).await.expect("join").expect("runs");
    assert_eq!(format!("{code:?}"), format!("{:?}", std::process::ExitCode::SUCCESS));
    let m: serde_json::Value =
        reqwest::get(server.url("/api/snapshots/current")).await.expect("get").json().await.expect("json");
    assert_eq!(m["title_es"], "Cierre de octubre");
    assert_eq!(m["publisher"], "ana");
    assert_eq!(m["source_notes"], "Fuente: SI EMPLEO y registros del INM");
}

#[test]
fn restarting_keeps_users_snapshots_and_audit() {
    let dir = tests::TempDir::new("restart");
    let demo = {
        let store = server::store::Store::open(&dir.0).expect("open");
        assert_eq!(store.check().expect("check").snapshots, 0);
        store.add_user("ana", "contraseña-de-prueba", Role::Analyst, "test").expect("user");
        server::commands::publish_demo(&store).expect("demo")
    };
    // An unreferenced blob, as left by a crash between writing a file and committing the draft (or an upload of
    // another process in flight): reopening keeps it; the check counts it; only `gc`, once it is old, removes it.
    let orphan = dir.0.join("tables").join("ab".repeat(32));
    std::fs::write(&orphan, b"orphan").expect("orphan");
    let store = server::store::Store::open(&dir.0).expect("reopen");
    let check = store.check().expect("check");
    assert!(orphan.exists(), "opening the store removed a file");
    assert_eq!(check.unreferenced, 1);
    assert!(check.missing_or_corrupt.is_empty());
    // The demo publishes two snapshots (the previous month's and the current one) of 6 tables each, and the rows
    // of its first view.
    assert_eq!(check.snapshots, 2);
    assert_eq!(check.tables_verified, 14);
    let young = store.gc(std::time::Duration::from_hours(1)).expect("gc");
    assert_eq!((young.removed, young.kept_recent), (0, 1));
    assert!(orphan.exists());
    let old = store.gc(std::time::Duration::ZERO).expect("gc");
    assert_eq!((old.removed, old.kept_recent), (1, 0));
    assert!(!orphan.exists());
    assert_eq!(store.check().expect("check").tables_verified, 14, "gc removed a referenced table");
    assert_eq!(store.current_id().expect("current").as_deref(), Some(demo.as_str()));
    assert_eq!(store.users().expect("users")[0].username, "ana");
    let actions: Vec<String> = store.audit_log(100).expect("audit").into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"user-add".to_owned()) && actions.contains(&"publish".to_owned()));
}
