//! `rumbo backup` beside a live server under uploads: the copy is a data folder a server then serves, with every
//! snapshot published before the backup began, byte for byte, and nothing missing or damaged.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use common::{Dirs, Server, facts_csv, rumbo, upload};

fn publish(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> String {
    let (status, id) = upload(client, url, token, facts_csv(i));
    assert_eq!(status, 201);
    let id = id.expect("draft");
    let res =
        client.post(format!("{url}/api/drafts/{id}/publish")).bearer_auth(token).json(&serde_json::json!({})).send();
    assert_eq!(res.expect("publish").status(), 200);
    id
}

#[test]
fn a_backup_taken_beside_a_live_server_serves_what_was_published() {
    let (dirs, restored) = (Dirs::new("backup"), Dirs::new("backup-restored"));
    let token = dirs.analyst_token();
    let server = Server::start(&dirs, &[]);
    let client = reqwest::blocking::Client::new();
    let published: Vec<String> = (0..3).map(|i| publish(&client, &server.url, &token, i)).collect();
    let busy = AtomicBool::new(true);
    let backup = std::thread::scope(|s| {
        // Uploads go on during the backup.
        s.spawn(|| {
            let client = reqwest::blocking::Client::new();
            let mut i = 100;
            while busy.load(Ordering::Relaxed) {
                upload(&client, &server.url, &token, facts_csv(i));
                i += 1;
            }
        });
        let out =
            rumbo(&dirs.data, &["backup", &format!("--to={}", restored.data.display())]).output().expect("backup");
        busy.store(false, Ordering::Relaxed);
        out
    });
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let again = rumbo(&dirs.data, &["backup", &format!("--to={}", restored.data.display())]).output().expect("backup");
    assert!(!again.status.success(), "a folder holding a copy is never overwritten");
    let check = rumbo(&restored.data, &["check"]).output().expect("check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let copy = Server::start(&restored, &[]);
    for id in &published {
        let table = |url: &str| {
            let res = client.get(format!("{url}/api/snapshots/{id}/tables/facts")).send().expect("table");
            assert_eq!(res.status(), 200, "{id}");
            res.bytes().expect("bytes").to_vec()
        };
        assert_eq!(table(&copy.url), table(&server.url), "{id}: the same bytes from the copy");
    }
    let current = |url: &str| -> serde_json::Value {
        client.get(format!("{url}/api/snapshots/current")).send().expect("current").json().expect("json")
    };
    assert_eq!(current(&copy.url)["snapshot_id"], current(&server.url)["snapshot_id"]);
}
