//! A hostile world (issue 28), against the real `rumbo` binary: admin commands beside a live server, identical
//! uploads at once, a damaged table on disk.

mod common;

use std::time::Duration;

use common::{Dirs, Server, facts_csv, large_facts_csv, rumbo, upload};
use sha2::Digest;

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().expect("client")
}

/// Each draft's tables, fetched as its analyst: every one present and matching the sha256 its manifest gives.
fn assert_intact(client: &reqwest::blocking::Client, url: &str, token: &str, drafts: &[String]) {
    for id in drafts {
        let m: serde_json::Value = client
            .get(format!("{url}/api/snapshots/{id}"))
            .bearer_auth(token)
            .send()
            .expect("manifest")
            .json()
            .expect("json");
        let tables = m["tables"].as_array().unwrap_or_else(|| panic!("draft {id} lost: {m}"));
        for t in tables {
            let name = t["name"].as_str().expect("name");
            let res = client.get(format!("{url}/api/snapshots/{id}/tables/{name}")).bearer_auth(token).send();
            let res = res.expect("table");
            assert_eq!(res.status(), 200, "draft {id}: table {name} lost");
            let sha = server::snapshots::hex(&sha2::Sha256::digest(res.bytes().expect("body")));
            assert_eq!(sha, t["sha256"].as_str().expect("sha"), "{id}/{name} altered");
        }
    }
}

/// Issue 28, item 1: `rumbo user …` and `rumbo token …` used to run the start-up sweep, deleting the files of
/// uploads in flight (107 of 235 drafts lost, 11 uploads answered 500).
#[test]
fn admin_commands_beside_a_live_server_under_uploads_lose_nothing() {
    let dirs = Dirs::new("admin-beside");
    let token = dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let uploaders: Vec<_> = (0..3)
        .map(|u| {
            let (url, token, stop) = (server.url.clone(), token.clone(), stop.clone());
            std::thread::spawn(move || {
                let client = client();
                let (mut acked, mut failed) = (Vec::new(), Vec::new());
                let mut i = u * 100_000;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match upload(&client, &url, &token, facts_csv(i)) {
                        (201, Some(id)) => acked.push(id),
                        (status, _) => failed.push(status),
                    }
                    i += 1;
                }
                (acked, failed)
            })
        })
        .collect();
    let rounds: usize = std::env::var("RUMBO_ADMIN_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let started = std::time::Instant::now();
    for n in 0..rounds {
        let user = format!("u{n}");
        assert!(rumbo(&dirs.data, &["user", "add", &user, "--role", "viewer"]).status().expect("add").success());
        assert!(rumbo(&dirs.data, &["token", "create", &user]).status().expect("token").success());
        assert!(rumbo(&dirs.data, &["check"]).status().expect("check").success());
        // A sweep beside the uploads: only what is unreferenced and a day old may go, and nothing is.
        assert!(rumbo(&dirs.data, &["gc"]).status().expect("gc").success());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    for u in uploaders {
        let (a, f) = u.join().expect("uploader");
        acked.extend(a);
        failed.extend(f);
    }
    assert!(failed.is_empty(), "uploads failed with {failed:?}");
    assert!(acked.len() >= 10, "too few uploads to prove anything: {}", acked.len());
    assert_intact(&client(), &server.url, &token, &acked);
    eprintln!(
        "{} admin commands (user add, token create, check, gc) beside {} acknowledged uploads in {:?}: none lost, \
         none failed",
        rounds * 4,
        acked.len(),
        started.elapsed()
    );
}

/// Issue 28, item 8: identical uploads at the same moment shared one temp-file name (14 of 96 answered 500).
#[test]
fn identical_uploads_at_once_all_succeed() {
    let dirs = Dirs::new("identical");
    let token = dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
    let uploads: Vec<_> = (0..16)
        .map(|_| {
            let (url, token, barrier) = (server.url.clone(), token.clone(), barrier.clone());
            std::thread::spawn(move || {
                let client = client();
                barrier.wait();
                (0..4).map(|_| upload(&client, &url, &token, large_facts_csv(2_000))).collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<(u16, Option<String>)> = uploads.into_iter().flat_map(|u| u.join().expect("upload")).collect();
    let statuses: Vec<u16> = results.iter().map(|r| r.0).collect();
    assert!(statuses.iter().all(|&s| s == 201), "{statuses:?}");
    let drafts: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
    assert_eq!(drafts.len(), 64);
    assert_intact(&client(), &server.url, &token, &drafts);
}

/// `rumbo check` reports without deleting; `rumbo gc` removes only what is unreferenced and old; a table whose
/// bytes no longer match their hash is never served.
#[test]
fn check_reports_gc_sweeps_only_old_orphans_and_a_damaged_table_is_not_served() {
    let dirs = Dirs::new("check-gc");
    let token = dirs.analyst_token();
    let tables = dirs.data.join("tables");
    let (old, young) = (tables.join("ab".repeat(32)), tables.join("cd".repeat(32)));
    let stale_write = tables.join(".tmp-x-1-0");
    {
        let server = Server::start(&dirs, &[]);
        let (status, draft) = upload(&client(), &server.url, &token, facts_csv(1));
        assert_eq!(status, 201);
        let draft = draft.expect("draft");
        for (path, age_days) in [(&old, 2), (&young, 0), (&stale_write, 2)] {
            std::fs::write(path, b"left over").expect("write");
            let when = std::time::SystemTime::now() - Duration::from_secs(age_days * 86_400);
            std::fs::File::options().write(true).open(path).expect("open").set_modified(when).expect("age");
        }
        let check = rumbo(&dirs.data, &["check"]).output().expect("check");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success() && said.contains("2 archivos sin referencia"), "{said}");
        assert!(old.exists() && young.exists() && stale_write.exists(), "check removed a file");
        let gc = rumbo(&dirs.data, &["gc"]).output().expect("gc");
        let said = String::from_utf8_lossy(&gc.stdout);
        assert!(said.contains("1 archivos sin referencia eliminados, 1 conservados"), "{said}");
        assert!(!old.exists() && young.exists() && !stale_write.exists());
        assert_intact(&client(), &server.url, &token, std::slice::from_ref(&draft));

        // Damage the draft's table on disk: the check names it, and the server answers an error, not the bytes.
        let m: serde_json::Value = client()
            .get(format!("{}/api/snapshots/{draft}", server.url))
            .bearer_auth(&token)
            .send()
            .expect("manifest")
            .json()
            .expect("json");
        let sha = m["tables"][0]["sha256"].as_str().expect("sha").to_owned();
        let stored = tables.join(&sha);
        let mut bytes = std::fs::read(&stored).expect("stored");
        let last = bytes.len() - 1;
        bytes[last] ^= 0xFF;
        std::fs::write(&stored, &bytes).expect("damage");
        let check = rumbo(&dirs.data, &["check"]).output().expect("check");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(!check.status.success() && said.contains(&format!("{draft}/facts")), "{said}");
    }
    // A restarted server (empty cache) refuses to serve it.
    let server = Server::start(&dirs, &[]);
    let m: serde_json::Value = client()
        .get(format!("{}/api/drafts", server.url))
        .bearer_auth(&token)
        .send()
        .expect("drafts")
        .json()
        .expect("j");
    let draft = m[0]["draft_id"].as_str().unwrap_or_else(|| panic!("{m}")).to_owned();
    let res = client()
        .get(format!("{}/api/snapshots/{draft}/tables/facts", server.url))
        .bearer_auth(&token)
        .send()
        .expect("table");
    assert_eq!(res.status(), 500, "a damaged table was served");
}

/// A blocking client whose connections come from `ip` (any 127.x.y.z is this machine's loopback).
fn client_from(ip: [u8; 4]) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .expect("client")
}

fn sign_in(
    client: &reqwest::blocking::Client,
    url: &str,
    username: &str,
    password: &str,
) -> reqwest::blocking::Response {
    client
        .post(format!("{url}/api/session"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .expect("sign in")
}

/// Issue 28, item 4: five wrong passwords from any address locked the account for 15 minutes, its owner too.
#[test]
fn wrong_passwords_from_one_address_never_lock_the_owner_out_elsewhere() {
    let dirs = Dirs::new("lockout");
    dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let attacker = client_from([127, 0, 0, 7]);
    for _ in 0..5 {
        assert_eq!(sign_in(&attacker, &server.url, "ana", "adivinanza-mala").status(), 401);
    }
    let refused = sign_in(&attacker, &server.url, "ana", common::PASSWORD);
    assert_eq!(refused.status(), 429, "no wait for the address that failed");
    let wait: u64 = refused.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=30).contains(&wait), "{wait}");
    // The owner, from her own address, signs in at once.
    assert_eq!(sign_in(&client_from([127, 0, 0, 8]), &server.url, "ana", common::PASSWORD).status(), 200);
    // An admin lifts the wait for every address.
    let unlock = rumbo(&dirs.data, &["user", "unlock", "ana"]).output().expect("unlock");
    assert!(unlock.status.success(), "{}", String::from_utf8_lossy(&unlock.stderr));
    assert_eq!(sign_in(&attacker, &server.url, "ana", common::PASSWORD).status(), 200);
}

/// Issue 28, item 5: a failed log-in stored the whole username (up to 1 MiB) three times: 30 requests grew the
/// database by 88 MiB.
#[test]
fn overlong_usernames_store_nothing() {
    let dirs = Dirs::new("long-names");
    dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let size = |dir: &std::path::Path| -> u64 {
        std::fs::read_dir(dir).expect("data").flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()
    };
    let before = size(&dirs.data);
    // Just under the 1 MiB body limit of the API's JSON routes, with the rest of the body.
    let name = "x".repeat(1024 * 1024 - 200);
    for i in 0..30u8 {
        // From 30 addresses, so that the per-address limit does not stop them first.
        let status = sign_in(&client_from([127, 0, 1, i + 1]), &server.url, &name, "contraseña-cualquiera").status();
        assert!(status == 401 || status == 413, "{status}");
    }
    let grown = size(&dirs.data).saturating_sub(before);
    assert!(grown < 1024 * 1024, "the database grew by {grown} bytes");
}

/// Issue 28, item 6: an unknown username was refused in 1.3 ms, a known one with a wrong password in 18.6 ms.
#[test]
fn unknown_and_known_usernames_take_as_long_to_refuse() {
    let dirs = Dirs::new("timing");
    dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let median = |username: &str| {
        let mut times: Vec<Duration> = (0..9u8)
            .map(|i| {
                // A fresh address each time: no wait applies, and every try checks the password.
                let client = client_from([127, 0, 2, i + 1]);
                let started = std::time::Instant::now();
                assert_eq!(sign_in(&client, &server.url, username, "contraseña-equivocada").status(), 401);
                started.elapsed()
            })
            .collect();
        times.sort();
        times[times.len() / 2]
    };
    let (known, unknown) = (median("ana"), median("nadie-con-este-nombre"));
    let ratio = known.as_secs_f64() / unknown.as_secs_f64();
    assert!((0.5..2.0).contains(&ratio), "known {known:?}, unknown {unknown:?}");
}

/// Publishes a two-row `facts.csv` as `token`'s user; the snapshot's id.
fn publish(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> String {
    let (status, draft) = upload(client, url, token, facts_csv(i));
    assert_eq!(status, 201);
    let draft = draft.expect("draft");
    let res = client
        .post(format!("{url}/api/drafts/{draft}/publish"))
        .bearer_auth(token)
        .json(&serde_json::json!({}))
        .send()
        .expect("publish");
    assert!(res.status().is_success(), "{}", res.status());
    draft
}

/// `GET url+path`, with `token` as its bearer when given.
fn get_as(
    client: &reqwest::blocking::Client,
    url: &str,
    path: &str,
    token: Option<&str>,
) -> reqwest::blocking::Response {
    let req = client.get(format!("{url}{path}"));
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
    .send()
    .expect("get")
}

fn cache_control(res: &reqwest::blocking::Response) -> String {
    res.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Issue 28, item 7: draft tables and every table of a private server were sent as `public, immutable`; a private
/// server told anonymous callers why a snapshot was retracted; no HSTS behind TLS.
#[test]
fn drafts_and_a_private_server_are_never_cached_and_keep_their_reasons() {
    let dirs = Dirs::new("cache");
    let token = dirs.analyst_token();
    assert!(rumbo(&dirs.data, &["user", "add", "adela", "--role", "admin"]).status().expect("admin").success());
    let out = rumbo(&dirs.data, &["token", "create", "adela"]).output().expect("token");
    let admin = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (published, retracted, draft) = {
        let server = Server::start(&dirs, &["--secure-cookies"]);
        let client = client();
        let published = publish(&client, &server.url, &token, 1);
        let retracted = publish(&client, &server.url, &token, 2);
        let res = client
            .post(format!("{}/api/snapshots/{retracted}/retract", server.url))
            .bearer_auth(&admin)
            .json(&serde_json::json!({"reason": "cifras de Choluteca duplicadas"}))
            .send()
            .expect("retract");
        assert_eq!(res.status(), 204);
        let draft = upload(&client, &server.url, &token, facts_csv(3)).1.expect("draft");
        let get = |path: &str, auth: Option<&str>| get_as(&client, &server.url, path, auth);
        let public = get(&format!("/api/snapshots/{published}/tables/facts"), None);
        assert_eq!(public.status(), 200);
        assert_eq!(cache_control(&public), "public, max-age=31536000, immutable");
        assert_eq!(public.headers()["strict-transport-security"], "max-age=31536000");
        let drafted = get(&format!("/api/snapshots/{draft}/tables/facts"), Some(&token));
        assert_eq!((drafted.status().as_u16(), cache_control(&drafted)), (200, "private, no-store".to_owned()));
        let manifest = get(&format!("/api/snapshots/{draft}"), Some(&token));
        assert_eq!(cache_control(&manifest), "private, no-store");
        // On a public server, anyone may read why a snapshot was retracted.
        let gone = get(&format!("/api/snapshots/{retracted}"), None);
        assert_eq!(gone.status(), 410);
        assert!(gone.text().expect("body").contains("Choluteca"));
        (published, retracted, draft)
    };
    let server = Server::start(&dirs, &["--private"]);
    let client = client();
    let get = |path: &str, auth: Option<&str>| get_as(&client, &server.url, path, auth);
    for path in [
        format!("/api/snapshots/{published}/tables/facts"),
        format!("/api/snapshots/{published}"),
        "/api/snapshots".to_owned(),
        format!("/api/snapshots/{draft}/tables/facts"),
    ] {
        let res = get(&path, Some(&token));
        assert_eq!((res.status().as_u16(), cache_control(&res)), (200, "private, no-store".to_owned()), "{path}");
        assert!(res.headers().get("strict-transport-security").is_none(), "HSTS without TLS cookies");
    }
    let gone = get(&format!("/api/snapshots/{retracted}"), None);
    assert_eq!(gone.status(), 401);
    assert!(!gone.text().expect("body").contains("Choluteca"), "a private server told an anonymous caller why");
    assert_eq!(get(&format!("/api/snapshots/{retracted}"), Some(&token)).status(), 410);
}

/// A raw TCP connection from `ip` (any 127.x.y.z) to `addr`.
fn connect_from(ip: [u8; 4], addr: std::net::SocketAddr) -> std::net::TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&std::net::SocketAddr::from((ip, 0)).into()).expect("bind");
    socket.connect(&addr.into()).expect("connect");
    socket.into()
}

/// Whether the server closed (or answered and closed) `stream` within `within`: a read returns end of file or an
/// error, after any answer it wrote.
fn closed_within(stream: &mut std::net::TcpStream, within: Duration) -> bool {
    use std::io::Read;
    let deadline = std::time::Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).expect("timeout");
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

/// Issue 28, item 3: a half-sent request was held for ever, and 300 of them left no file handle for a visitor.
#[test]
fn slow_and_idle_clients_are_cut_and_never_starve_a_visitor() {
    use std::io::Write;
    let dirs = Dirs::new("slow");
    dirs.analyst_token();
    let args = ["--header-timeout-secs", "2", "--body-timeout-secs", "2", "--max-connections-per-address", "100"];
    let server = Server::start(&dirs, &args);
    // 300 connections from one address, each stopping halfway through its request's head.
    let mut slow: Vec<std::net::TcpStream> = (0..300)
        .map(|_| {
            let mut s = connect_from([127, 0, 0, 5], server.addr());
            let _ = s.write_all(b"GET /api/snapshots HTTP/1.1\r\nHost: rumbo\r\n");
            s
        })
        .collect();
    // A visitor from elsewhere is served at once.
    let started = std::time::Instant::now();
    let res = client_from([127, 0, 0, 6]).get(format!("{}/api/healthz", server.url)).send().expect("healthz");
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1), "the visitor waited {:?}", started.elapsed());
    // Over the address's cap, connections are closed at once; the rest once the head's time is up.
    let at_once =
        slow.iter_mut().skip(100).map(|s| closed_within(s, Duration::from_millis(500))).filter(|&c| c).count();
    assert_eq!(at_once, 200, "connections over the per-address cap were kept");
    let cut = slow.iter_mut().take(100).map(|s| closed_within(s, Duration::from_secs(5))).filter(|&c| c).count();
    assert_eq!(cut, 100, "half-sent heads were kept past the header timeout");
    // A body that stalls is cut too.
    let mut stalled = connect_from([127, 0, 0, 7], server.addr());
    stalled
        .write_all(b"POST /api/session HTTP/1.1\r\nHost: rumbo\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
        .expect("write");
    assert!(closed_within(&mut stalled, Duration::from_secs(5)), "a stalled body was held");
    // A kept-alive connection that goes idle is closed.
    let mut idle = connect_from([127, 0, 0, 8], server.addr());
    idle.write_all(b"GET /api/healthz HTTP/1.1\r\nHost: rumbo\r\n\r\n").expect("write");
    assert!(closed_within(&mut idle, Duration::from_secs(5)), "an idle kept-alive connection was held");
}

/// One column, `description_es`, holding one `width`-byte text on each of `rows` rows, dictionary-encoded: a few
/// bytes on the wire, `rows × width` once expanded.
fn one_long_text(rows: usize, width: usize) -> arrow_array::RecordBatch {
    let keys = arrow_array::Int32Array::from(vec![0; rows]);
    let values = arrow_array::StringArray::from(vec!["x".repeat(width)]);
    let column = arrow_array::DictionaryArray::try_new(keys, std::sync::Arc::new(values)).expect("dictionary");
    arrow_array::RecordBatch::try_from_iter([("description_es", std::sync::Arc::new(column) as arrow_array::ArrayRef)])
        .expect("batch")
}

fn parquet_of(batch: &arrow_array::RecordBatch) -> Vec<u8> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(parquet::basic::ZstdLevel::default()))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(parquet::file::properties::EnabledStatistics::None)
        .build();
    let mut out = Vec::new();
    let mut writer = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("writer");
    writer.write(batch).expect("write");
    writer.close().expect("close");
    out
}

fn ipc_of(batch: &arrow_array::RecordBatch) -> Vec<u8> {
    let options = arrow_ipc::writer::IpcWriteOptions::default()
        .try_with_compression(Some(arrow_ipc::CompressionType::ZSTD))
        .expect("zstd");
    let mut out = Vec::new();
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new_with_options(&mut out, &batch.schema(), options).expect("writer");
    writer.write(batch).expect("write");
    writer.finish().expect("finish");
    drop(writer);
    out
}

/// The server's peak resident memory so far, in bytes (`VmHWM`).
fn peak_memory(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("status");
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).expect("VmHWM");
    kb.trim().trim_end_matches("kB").trim().parse::<u64>().expect("kB") * 1024
}

fn upload_files(url: &str, token: &str, files: Vec<(String, Vec<u8>)>) -> (u16, serde_json::Value) {
    let mut form = reqwest::blocking::multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(name.clone(), reqwest::blocking::multipart::Part::bytes(bytes).file_name(name));
    }
    let res = client().post(format!("{url}/api/uploads")).bearer_auth(token).multipart(form).send().expect("upload");
    (res.status().as_u16(), res.json().unwrap_or_default())
}

/// Issue 28, item 2: a 5 KiB Parquet file and a 2 KiB Arrow IPC table, each a dictionary holding one long text on
/// every row, made the server abort on allocation; ten small files in one request took it to 4.3 GiB.
#[test]
fn small_files_that_expand_are_refused_before_they_take_memory() {
    let dirs = Dirs::new("bombs");
    let token = dirs.analyst_token();
    // Tables up to 64 MiB once read; each bomb below expands to 640 MB.
    let mut server = Server::start(&dirs, &["--max-decoded-mib", "64"]);
    let bomb = one_long_text(20_000, 32_000);
    let parquet = parquet_of(&bomb);
    let ipc = ipc_of(&bomb);
    assert!(parquet.len() < 64 * 1024 && ipc.len() < 64 * 1024, "{} {}", parquet.len(), ipc.len());
    let expands = |report: &serde_json::Value| report.to_string().contains("descomprimido");
    let head = |report: &serde_json::Value| report.to_string().chars().take(400).collect::<String>();
    for (name, bytes) in [("risks.parquet", parquet), ("risks.arrows", ipc)] {
        let (status, report) = upload_files(&server.url, &token, vec![(name.to_owned(), bytes)]);
        assert_eq!(status, 422, "{name}: {}", head(&report));
        assert!(expands(&report), "{name}: {}", head(&report));
        assert!(server.alive(), "{name} stopped the server");
    }
    // Ten files of 61 MB each once read: each under the table limit, together over the request's.
    let part = parquet_of(&one_long_text(1_900, 32_000));
    let files: Vec<(String, Vec<u8>)> = (0..10).map(|i| (format!("risks{i}.parquet"), part.clone())).collect();
    let (status, report) = upload_files(&server.url, &token, files);
    assert_eq!(status, 422, "{}", head(&report));
    assert!(report.to_string().contains("envíe este archivo por separado"), "{}", head(&report));
    assert!(server.alive());
    let peak = peak_memory(&server);
    assert!(peak < 400 * 1024 * 1024, "the server's memory peaked at {} MB", peak / 1024 / 1024);
    assert_eq!(client().get(format!("{}/api/healthz", server.url)).send().expect("healthz").status(), 200);
}
