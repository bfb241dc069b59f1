//! The real `rumbo` binary, as the integration tests of this folder drive it: admin commands and a server on a
//! free port, with an analyst and an API token.

#![allow(dead_code)] // each test file uses its own part

pub mod services;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const PASSWORD: &str = "contraseña-de-prueba";

/// A `rumbo` admin command on `data`.
pub fn rumbo(data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rumbo"));
    cmd.env("RUST_LOG", "error").env("RUMBO_PASSWORD", PASSWORD).args(args).arg("--data-dir").arg(data);
    cmd
}

/// A temporary folder with `data/` (empty) and `dist/` (a page), removed when dropped.
pub struct Dirs {
    pub root: PathBuf,
    pub data: PathBuf,
    pub dist: PathBuf,
}

impl Dirs {
    pub fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("rumbo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (data, dist) = (root.join("data"), root.join("dist"));
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(dist.join("index.html"), "<!doctype html><title>Rumbo</title>").expect("index");
        Self { root, data, dist }
    }

    /// Adds the analyst `ana` and returns an API token of hers.
    pub fn analyst_token(&self) -> String {
        assert!(rumbo(&self.data, &["user", "add", "ana", "--role", "analyst"]).status().expect("user add").success());
        let out = rumbo(&self.data, &["token", "create", "ana"]).output().expect("token");
        let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(token.starts_with("rumbo_"), "{token}");
        token
    }
}

impl Drop for Dirs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A running `rumbo serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    /// Starts the server on a free port (no demo) with extra arguments; its URL is read from its first line.
    pub fn start(dirs: &Dirs, extra: &[&str]) -> Self {
        Self::start_env(dirs, extra, &[])
    }

    /// [`Server::start`] with environment variables (a shared store's `AWS_*`).
    pub fn start_env(dirs: &Dirs, extra: &[&str], env: &[(&str, String)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rumbo"))
            .env("RUST_LOG", "error")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args(["serve", "--addr", "127.0.0.1:0", "--no-demo", "--data-dir"])
            .arg(&dirs.data)
            .arg("--dist")
            .arg(&dirs.dist)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
        let url = line.trim().rsplit(' ').next().expect("url").to_owned();
        Self { child, url }
    }

    /// The address it listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.url.trim_start_matches("http://").parse().expect("socket address")
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A two-row `facts.csv`, different for each `i`.
pub fn facts_csv(i: usize) -> String {
    format!(
        "indicator,period,territory,service,population,sex,age_group,value,status\n\
         COB-01,2026-01,T01,_T,_T,_T,_T,{},reported\nINT-05,2026-01,T02,_T,_T,_T,_T,{},reported\n",
        100 + i,
        7 + i % 13
    )
}

/// A `facts.csv` of about `rows` rows (17 territories × months from 2016), for uploads that take a while to write.
pub fn large_facts_csv(rows: usize) -> String {
    let mut csv = String::from("indicator,period,territory,service,population,sex,age_group,value,status\n");
    for r in 0..rows {
        let (month, territory) = (r / 17, r % 17 + 1);
        let period = format!("{}-{:02}", 2016 + month / 12, month % 12 + 1);
        let _ = writeln!(csv, "COB-01,{period},T{territory:02},_T,_T,_T,_T,{},reported", 100 + r % 997);
    }
    csv
}

/// Uploads `facts.csv` as a draft; the HTTP status and the draft's id when acknowledged.
pub fn upload(client: &reqwest::blocking::Client, url: &str, token: &str, csv: String) -> (u16, Option<String>) {
    let form = reqwest::blocking::multipart::Form::new()
        .part("facts.csv", reqwest::blocking::multipart::Part::text(csv).file_name("facts.csv"));
    let Ok(res) = client.post(format!("{url}/api/uploads")).bearer_auth(token).multipart(form).send() else {
        return (0, None);
    };
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().unwrap_or_default();
    (status, body["draft_id"].as_str().map(str::to_owned))
}
