//! Crash safety: publish in a loop while killing the server with SIGKILL at random moments; after each restart,
//! the snapshots acknowledged in the last 20 rounds and 50 older ones at random, and after the last restart every
//! one, must be listed, each table served with the sha256 its acknowledgement (the publish answer) gave, recorded
//! by this client, not read back from the server's manifest. Zero lost, zero altered. `RUMBO_CRASH_KILLS` sets the number of kills (50 by default; `bench/crash-soak.sh` runs 1,000),
//! `RUMBO_CRASH_ROWS` the rows of each `facts` table (2,000 by default: a month of a real office's rows).

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::{Dirs, Server, large_facts_csv, rumbo};
use sha2::Digest;

/// An acknowledged snapshot: its id and each table's sha256 as the acknowledgement (the publish answer) gave it.
type Acked = (String, Vec<(String, String)>);

/// One upload + publish of a `facts` table of `RUMBO_CRASH_ROWS` rows (2,000 by default); the snapshot and its
/// tables' hashes when the server acknowledged the publication.
fn publish_once(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> Option<Acked> {
    let rows = std::env::var("RUMBO_CRASH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let mut csv = large_facts_csv(rows);
    // Each snapshot's own numbers: the last row's value carries `i`.
    let _ = writeln!(csv, "INT-05,2026-01,T02,_T,_T,_T,_T,{},reported", 7 + i % 997);
    let draft = common::upload(client, url, token, csv).1?;
    let res = client
        .post(format!("{url}/api/drafts/{draft}/publish"))
        .bearer_auth(token)
        .json(&serde_json::json!({}))
        .send()
        .ok()?;
    if !res.status().is_success() {
        return None;
    }
    let manifest: serde_json::Value = res.json().ok()?;
    let tables = manifest["tables"]
        .as_array()?
        .iter()
        .map(|t| Some((t["name"].as_str()?.to_owned(), t["sha256"].as_str()?.to_owned())))
        .collect::<Option<Vec<_>>>()?;
    Some((draft, tables))
}

/// Every acknowledged snapshot is listed, with the tables it had when acknowledged, served with those bytes.
fn verify(client: &reqwest::blocking::Client, url: &str, acknowledged: &[Acked]) {
    let list: serde_json::Value =
        client.get(format!("{url}/api/snapshots")).send().expect("list").json().expect("json");
    let listed = list.as_array().expect("array");
    for (id, tables) in acknowledged {
        let m = listed.iter().find(|m| m["snapshot_id"] == id.as_str());
        let m = m.unwrap_or_else(|| panic!("acknowledged snapshot {id} lost"));
        assert_eq!(m["tables"].as_array().map(Vec::len), Some(tables.len()), "{id}: tables changed");
        for (name, acked_sha) in tables {
            let bytes = client
                .get(format!("{url}/api/snapshots/{id}/tables/{name}"))
                .send()
                .expect("get")
                .bytes()
                .expect("body");
            let sha = server::snapshots::hex(&sha2::Sha256::digest(&bytes));
            assert_eq!(&sha, acked_sha, "{id}/{name} altered since its acknowledgement");
        }
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_snapshot() {
    let kills: usize = std::env::var("RUMBO_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let dirs = Dirs::new("crash");
    let token = dirs.analyst_token();

    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut acknowledged: Vec<Acked> = Vec::new();
    let mut seed: u64 = 0x0123_4567_89AB_CDEF;
    let started = Instant::now();
    // After each restart: everything acknowledged in the last 20 rounds and a random 50 of the older snapshots
    // (checking all of them every round made a 1,000-kill soak quadratic); after the last, every one.
    let mut recent_from = 0;
    let mut round_starts = std::collections::VecDeque::new();
    for round in 0..kills {
        let mut server = Server::start(&dirs, &[]);
        let url = server.url.clone();
        let mut sample: Vec<Acked> = acknowledged[recent_from..].to_vec();
        for _ in 0..50.min(recent_from) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            sample.push(acknowledged[(seed % recent_from as u64) as usize].clone());
        }
        verify(&client, &url, &sample);
        round_starts.push_back(acknowledged.len());
        if round_starts.len() > 20 {
            recent_from = round_starts.pop_front().unwrap_or(0);
        }
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
