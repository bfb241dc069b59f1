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
    for n in 0..12 {
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
