//! Crash safety: publish in a loop while killing the server with SIGKILL at random moments; after each restart,
//! every acknowledged snapshot must be listed and its tables must match their sha256. Zero lost, zero corrupt.
//! `RUMBO_CRASH_KILLS` sets the number of kills (50 by default; `bench/crash-soak.sh` runs 1,000).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::Digest;

const PASSWORD: &str = "contraseña-de-prueba";

fn rumbo(data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rumbo"));
    cmd.env("RUST_LOG", "error").env("RUMBO_PASSWORD", PASSWORD).args(args).arg("--data-dir").arg(data);
    cmd
}

/// Starts the server and returns it with its base URL (read from its first line of output).
fn start(data: &Path, dist: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rumbo"))
        .env("RUST_LOG", "error")
        .args(["serve", "--addr", "127.0.0.1:0", "--no-demo", "--data-dir"])
        .arg(data)
        .arg("--dist")
        .arg(dist)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let url = line.trim().rsplit(' ').next().expect("url").to_owned();
    (child, url)
}

fn facts_csv(i: usize) -> String {
    format!(
        "indicator,period,territory,service,population,sex,age_group,value,status\n\
         COB-01,2026-01,T01,_T,_T,_T,_T,{},reported\nINT-05,2026-01,T02,_T,_T,_T,_T,{},reported\n",
        100 + i,
        7 + i % 13
    )
}

/// One upload + publish; returns the snapshot id when the server acknowledged the publication.
fn publish_once(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> Option<String> {
    let form = reqwest::blocking::multipart::Form::new()
        .part("facts.csv", reqwest::blocking::multipart::Part::text(facts_csv(i)).file_name("facts.csv"));
    let res = client.post(format!("{url}/api/uploads")).bearer_auth(token).multipart(form).send().ok()?;
    let body: serde_json::Value = res.json().ok()?;
    let draft = body["draft_id"].as_str()?.to_owned();
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
    let root = std::env::temp_dir().join(format!("rumbo-crash-{}", std::process::id()));
    let (data, dist) = (root.join("data"), root.join("dist"));
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Rumbo</title>").expect("index");
    assert!(rumbo(&data, &["user", "add", "ana", "--role", "analyst"]).status().expect("user add").success());
    let out = rumbo(&data, &["token", "create", "ana"]).output().expect("token");
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(token.starts_with("rumbo_"));

    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut acknowledged: Vec<String> = Vec::new();
    let mut seed: u64 = 0x0123_4567_89AB_CDEF;
    let started = Instant::now();
    for round in 0..kills {
        let (mut child, url) = start(&data, &dist);
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
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        acknowledged.extend(publisher.join().expect("publisher"));
    }
    let (mut child, url) = start(&data, &dist);
    verify(&client, &url, &acknowledged);
    let _ = child.kill();
    let _ = child.wait();
    assert!(acknowledged.len() >= kills / 2, "the loop published too little to prove anything: {}", acknowledged.len());
    eprintln!("{kills} kills, {} acknowledged snapshots, all intact, in {:?}", acknowledged.len(), started.elapsed());
    let _ = std::fs::remove_dir_all(&root);
}
