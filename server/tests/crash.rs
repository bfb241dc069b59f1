//! Crash safety: publish in a loop while killing the server with SIGKILL at random moments; after each restart,
//! every acknowledged snapshot must be listed and its tables must match their sha256. Zero lost, zero corrupt.
//! `RUMBO_CRASH_KILLS` sets the number of kills (50 by default; `bench/crash-soak.sh` runs 1,000).

mod common;

use std::time::{Duration, Instant};

use common::{Dirs, Server, facts_csv, rumbo};
use sha2::Digest;

/// One upload + publish; returns the snapshot id when the server acknowledged the publication.
fn publish_once(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> Option<String> {
    let draft = common::upload(client, url, token, facts_csv(i)).1?;
    let res = client
        .post(format!("{url}/api/drafts/{draft}/publish"))
        .bearer_auth(token)
        .json(&serde_json::json!({}))
        .send()
        .ok()?;
    res.status().is_success().then_some(draft)
}

fn verify(client: &reqwest::blocking::Client, url: &str, acknowledged: &[String]) {
    let list: serde_json::Value =
        client.get(format!("{url}/api/snapshots")).send().expect("list").json().expect("json");
    let listed: Vec<&str> = list.as_array().expect("array").iter().filter_map(|m| m["snapshot_id"].as_str()).collect();
    for id in acknowledged {
        assert!(listed.contains(&id.as_str()), "acknowledged snapshot {id} lost");
        let m = list.as_array().expect("array").iter().find(|m| m["snapshot_id"] == id.as_str()).expect("manifest");
        for t in m["tables"].as_array().expect("tables") {
            let name = t["name"].as_str().expect("name");
            let bytes = client
                .get(format!("{url}/api/snapshots/{id}/tables/{name}"))
                .send()
                .expect("get")
                .bytes()
                .expect("body");
            let sha = server::snapshots::hex(&sha2::Sha256::digest(&bytes));
            assert_eq!(sha, t["sha256"].as_str().expect("sha"), "{id}/{name} corrupt");
        }
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_snapshot() {
    let kills: usize = std::env::var("RUMBO_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let dirs = Dirs::new("crash");
    let token = dirs.analyst_token();

    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut acknowledged: Vec<String> = Vec::new();
    let mut seed: u64 = 0x0123_4567_89AB_CDEF;
    let started = Instant::now();
    for round in 0..kills {
        let mut server = Server::start(&dirs, &[]);
        let url = server.url.clone();
        verify(&client, &url, &acknowledged);
        // Kill after a random delay while a publisher thread keeps publishing.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(20 + seed % 300);
        let publisher = {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                let mut i = round * 1000;
                while let Some(id) = publish_once(&client, &url, &token, i) {
                    acked.push(id);
                    i += 1;
                }
                acked
            })
        };
        std::thread::sleep(delay);
        server.child.kill().expect("SIGKILL");
        server.child.wait().expect("reaped");
        acknowledged.extend(publisher.join().expect("publisher"));
    }
    let server = Server::start(&dirs, &[]);
    verify(&client, &server.url, &acknowledged);
    drop(server);
    // An admin command beside the data never changes it either: the check finds every table whole.
    let check = rumbo(&dirs.data, &["check"]).output().expect("check");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(acknowledged.len() >= kills / 2, "the loop published too little to prove anything: {}", acknowledged.len());
    eprintln!("{kills} kills, {} acknowledged snapshots, all intact, in {:?}", acknowledged.len(), started.elapsed());
}
