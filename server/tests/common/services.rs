//! The real services a shared store runs on, started once per test process: a throwaway PostgreSQL cluster
//! (Debian's `postgresql`, which the bootstrap installs) and a real S3 server (`s3s-fs`, which the bootstrap
//! installs into `.tools/`), each in a temporary folder on a free loopback port, each stopped and its folder
//! removed when the test process exits (a shell beside each waits for the end of its standard input, which closes
//! with this process).

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A running service; its shell stops it when this process ends.
struct Watched {
    _child: Child,
    _stdin: ChildStdin,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn unique(prefix: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix}{}x{n}", std::process::id())
}

/// Runs `script` under `sh` (as `user` when given), which starts the service and stops it, then removes `dir`,
/// once this process's end closes its standard input.
fn watched(script: &str, dir: &Path, user: Option<&str>) -> Watched {
    let full = format!("{script} & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid; rm -rf '{}'", dir.display());
    let mut child =
        shell(&full, user).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("sh");
    let stdin = child.stdin.take().expect("stdin");
    Watched { _child: child, _stdin: stdin }
}

/// `sh -c script`, as `user` when given.
fn shell(script: &str, user: Option<&str>) -> Command {
    let mut cmd = Command::new(if user.is_some() { "runuser" } else { "sh" });
    if let Some(user) = user {
        cmd.args(["-u", user, "--", "sh"]);
    }
    cmd.args(["-c", script]);
    cmd
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Where PostgreSQL's programs are: `RUMBO_PG_BIN`, `PATH`, or Debian's `/usr/lib/postgresql/<version>/bin`.
fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUMBO_PG_BIN") {
        return PathBuf::from(dir);
    }
    let on_path =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).find(|d| d.join("initdb").is_file());
    if let Some(dir) = on_path {
        return dir;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).filter(|p| p.join("initdb").is_file()).collect())
        .unwrap_or_default();
    versions.sort();
    versions.pop().expect("PostgreSQL is not installed: run `cargo xtask bootstrap` (it installs Debian's postgresql)")
}

pub struct Postgres {
    port: u16,
    _service: Watched,
    databases: Mutex<()>,
}

/// The test process's PostgreSQL cluster, started on first use. initdb refuses root: as root, the cluster runs as
/// the `postgres` account Debian's package creates.
pub fn postgres() -> &'static Postgres {
    static PG: OnceLock<Postgres> = OnceLock::new();
    PG.get_or_init(|| {
        let bin = pg_bin();
        let dir = std::env::temp_dir().join(unique("rumbo-pg-"));
        std::fs::create_dir_all(&dir).expect("pg dir");
        let user = is_root().then_some("postgres");
        if let Some(user) = user {
            assert!(Command::new("chown").arg(user).arg(&dir).status().expect("chown").success());
        }
        let data = dir.join("data");
        let initdb = format!(
            "'{}' -D '{}' -U rumbo --auth=trust -E UTF8 --no-sync --locale=C.UTF-8",
            bin.join("initdb").display(),
            data.display()
        );
        let out = shell(&initdb, user).output().expect("initdb runs");
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let port = free_port();
        let script = format!(
            "'{}' -D '{}' -p {port} -k '{}' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            bin.join("postgres").display(),
            data.display(),
            dir.display()
        );
        let service = watched(&script, &dir, user);
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = format!("postgres://rumbo@127.0.0.1:{port}/postgres");
        while postgres::Client::connect(&url, postgres::NoTls).is_err() {
            assert!(Instant::now() < deadline, "PostgreSQL did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Postgres { port, _service: service, databases: Mutex::new(()) }
    })
}

impl Postgres {
    /// A new, empty database; its URL.
    pub fn database(&self) -> String {
        let _one_at_a_time = self.databases.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let name = unique("t");
        let admin = format!("postgres://rumbo@127.0.0.1:{}/postgres", self.port);
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        format!("postgres://rumbo@127.0.0.1:{}/{name}", self.port)
    }
}

/// The S3 server's program: `RUMBO_S3_SERVER`, else `.tools/s3s/bin/s3s-fs` (the bootstrap's). A program named
/// `garage` is started as a one-node Garage cluster (the reference server; `bench/garage.sh` runs the
/// shared-store suites against it).
fn s3_server_bin() -> PathBuf {
    std::env::var_os("RUMBO_S3_SERVER")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/s3s/bin/s3s-fs"), PathBuf::from)
}

pub struct S3 {
    pub endpoint: String,
    root: PathBuf,
    /// Garage's configuration file when the server is Garage (its buckets are made through its CLI).
    garage: Option<(PathBuf, PathBuf)>,
    _service: Watched,
}

/// The test key, in the form Garage requires of imported keys (`GK` and 24 hex digits; a 64-digit secret).
pub const S3_KEY: &str = "GK0000000000000000000a11ce";
pub const S3_SECRET: &str = "0000000000000000000000000000000000000000000000000000000000005ec7";

/// The test process's S3 server, started on first use.
pub fn s3() -> &'static S3 {
    static S3_SERVER: OnceLock<S3> = OnceLock::new();
    S3_SERVER.get_or_init(|| {
        let bin = s3_server_bin();
        assert!(bin.is_file(), "{} is missing: run `cargo xtask bootstrap` (it installs s3s-fs)", bin.display());
        let root = std::env::temp_dir().join(unique("rumbo-s3-"));
        std::fs::create_dir_all(&root).expect("s3 dir");
        let port = free_port();
        let is_garage = bin.file_name().is_some_and(|n| n.to_string_lossy().starts_with("garage"));
        let (script, garage) = if is_garage {
            let config = garage_config(&root, port);
            (format!("'{}' -c '{}' server", bin.display(), config.display()), Some((bin.clone(), config)))
        } else {
            let script = format!(
                "'{}' --host 127.0.0.1 --port {port} --access-key {S3_KEY} --secret-key {S3_SECRET} '{}'",
                bin.display(),
                root.display()
            );
            (script, None)
        };
        let service = watched(&script, &root, None);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the S3 server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Some((bin, config)) = &garage {
            garage_layout(bin, config);
        }
        S3 { endpoint: format!("http://127.0.0.1:{port}"), root, garage, _service: service }
    })
}

/// A one-node Garage cluster's configuration in `root`, its S3 API on `port`.
fn garage_config(root: &Path, port: u16) -> PathBuf {
    let config = root.join("garage.toml");
    let text = format!(
        "metadata_dir = \"{root}/meta\"\ndata_dir = \"{root}/data\"\ndb_engine = \"sqlite\"\n\
         replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc}\"\nrpc_public_addr = \"127.0.0.1:{rpc}\"\n\
         rpc_secret = \"{secret}\"\n[s3_api]\napi_bind_addr = \"127.0.0.1:{port}\"\ns3_region = \"us-east-1\"\n",
        root = root.display(),
        rpc = free_port(),
        secret = "1".repeat(64),
    );
    std::fs::write(&config, text).expect("garage.toml");
    config
}

/// Runs `garage -c config args…`, panicking with its output when it fails.
fn garage_cli(bin: &Path, config: &Path, args: &[&str]) -> String {
    let out = Command::new(bin).arg("-c").arg(config).args(args).output().expect("garage");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "garage {args:?}: {text}");
    text
}

/// Gives the node a role, applies the layout and imports the test key: what a Garage cluster needs before a bucket.
fn garage_layout(bin: &Path, config: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let node = loop {
        let out = Command::new(bin).arg("-c").arg(config).args(["node", "id", "-q"]).output().expect("garage");
        if out.status.success() {
            break String::from_utf8_lossy(&out.stdout).trim().split('@').next().unwrap_or_default().to_owned();
        }
        assert!(Instant::now() < deadline, "garage node id: {}", String::from_utf8_lossy(&out.stderr));
        std::thread::sleep(Duration::from_millis(100));
    };
    garage_cli(bin, config, &["layout", "assign", "-z", "dc1", "-c", "1G", &node]);
    garage_cli(bin, config, &["layout", "apply", "--version", "1"]);
    garage_cli(bin, config, &["key", "import", "--yes", "-n", "rumbo-test", S3_KEY, S3_SECRET]);
}

impl S3 {
    /// A new, empty bucket; its `s3://` address with a prefix.
    pub fn bucket(&self) -> String {
        let name = unique("b");
        if let Some((bin, config)) = &self.garage {
            garage_cli(bin, config, &["bucket", "create", &name]);
            garage_cli(bin, config, &["bucket", "allow", "--read", "--write", "--owner", &name, "--key", S3_KEY]);
        } else {
            // s3s-fs keeps a bucket as a folder of its root.
            std::fs::create_dir_all(self.root.join(&name)).expect("bucket");
        }
        format!("s3://{name}/rumbo")
    }

    /// The client settings a store needs for this server (object_store's names).
    pub fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", self.endpoint.as_str()),
            ("aws_access_key_id", S3_KEY),
            ("aws_secret_access_key", S3_SECRET),
            ("aws_region", "us-east-1"),
            ("aws_allow_http", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// The same settings as environment variables, for a `rumbo` process.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", S3_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", S3_SECRET.to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
        ]
    }
}
