//! Idempotent, offline-safe toolchain bootstrap: installs only what is missing or at the wrong version.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, sh};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// What building the app needs.
    Build,
    /// Build plus the browser and driver for tests.
    All,
}

pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

/// The `wasm-bindgen` version pinned in `Cargo.lock`: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".to_owned())
}

/// The project-local folder holding npm-installed tools (binaryen's wasm-opt), put first on `PATH`.
pub fn tools_bin(root: &Path) -> PathBuf {
    root.join(".tools/node_modules/.bin")
}

/// Runs one bootstrap step, naming it and what to do when it fails (the command's own output is above it).
fn step(name: &str, hint: &str, result: Result) -> Result {
    result.map_err(|e| format!("bootstrap step \"{name}\" failed: {e}\n{hint}"))
}

const CRATES_IO: &str = "This step downloads from crates.io: check that it is reachable from this machine (network, proxy, \
                         DNS), then run the command again; what is already installed is kept.";
const RUSTUP: &str = "This step downloads from the Rust distribution server through rustup: check the network, then run \
                      the command again.";
const NPM: &str = "This step downloads from the npm registry: check that it is reachable (`npm ping`), then run the \
                   command again.";

pub fn bootstrap(root: &Path, need: Need) -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.contains("wasm32-unknown-unknown") {
        let add = sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]));
        step("add the wasm32-unknown-unknown target", RUSTUP, add)?;
    }
    // The standard library's source: the release app rebuilds it with the app's settings (`build::app`).
    let components = output(Command::new("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if !components.lines().any(|c| c.starts_with("rust-src")) {
        step("add the rust-src component", RUSTUP, sh(Command::new("rustup").args(["component", "add", "rust-src"])))?;
    }
    if !root.join("Cargo.lock").exists() {
        step("generate Cargo.lock", CRATES_IO, sh(crate::cargo(root).args(["generate-lockfile"])))?;
    }
    // Every crate an offline build step resolves (Trunk's, the standard library's for build-std), before any runs.
    crate::offline::fetch(root, None)?;
    let wbg = locked_wasm_bindgen(root)?;
    let have = output(with_path(root, Command::new("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if !have.contains(&format!("wasm-bindgen {wbg}")) {
        // Without --locked: the CLI's own lockfile does not build on this toolchain (TOOLCHAIN.md).
        let install = sh(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--force", "--version", &wbg]));
        step(&format!("install wasm-bindgen-cli {wbg}"), CRATES_IO, install)?;
    }
    let have = output(with_path(root, Command::new("trunk")).arg("--version")).unwrap_or_default();
    if !have.contains(&format!("trunk {TRUNK_VERSION}")) {
        let install =
            sh(Command::new("cargo").args(["install", "--locked", "--force", "trunk", "--version", TRUNK_VERSION]));
        step(&format!("install trunk {TRUNK_VERSION}"), CRATES_IO, install)?;
    }
    let have = output(Command::new(tools_bin(root).join("wasm-opt")).arg("--version")).unwrap_or_default();
    if !have.contains(&format!("version {BINARYEN_VERSION}")) {
        // Not Debian's binaryen 108: the wasm it optimises fails in the browser (TOOLCHAIN.md).
        let spec = format!("binaryen@{BINARYEN_VERSION}.0.0");
        step(&format!("install wasm-opt ({spec}) into .tools/"), NPM, npm_install(root, &spec))?;
    }
    if need == Need::All {
        step(&format!("install cargo-fuzz {CARGO_FUZZ_VERSION}"), CRATES_IO, cargo_fuzz())?;
        let pypi = "This step downloads from PyPI: check that it is reachable (`pip download pyarrow`), then run the \
                    command again.";
        step("install pyarrow, polars, openpyxl and odfpy into .tools/py", pypi, python_tools(root))?;
        let axe = root.join(".tools/node_modules/axe-core/package.json");
        let have = std::fs::read_to_string(&axe).unwrap_or_default();
        if !have.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
            // The accessibility checker the browser tests inject into the page.
            let spec = format!("axe-core@{AXE_VERSION}");
            step(&format!("install {spec} into .tools/"), NPM, npm_install(root, &spec))?;
        }
    }
    // Chromium for the browser tests; poppler-utils (pdftotext, pdftoppm) to read the printed PDF; PostgreSQL for
    // the shared store's tests (their harness starts a throwaway cluster: `server/tests/common/services.rs`).
    let mut debian: Vec<&str> = Vec::new();
    if need == Need::All && ["chromium", "chromedriver", "pdftotext", "pdftoppm"].iter().any(|t| which(t).is_none()) {
        debian.extend(["chromium", "chromium-driver", "poppler-utils"]);
    }
    if need == Need::All && postgres_bin().is_none() {
        debian.push("postgresql");
    }
    if !debian.is_empty() {
        let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
        let apt = |args: &[&str]| {
            let all: Vec<&str> = sudo.iter().chain(args).copied().collect();
            let mut cmd = Command::new(all[0]);
            cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
            sh(&mut cmd)
        };
        let install = apt(&["apt-get", "update", "-qq"]).and_then(|()| {
            let mut args = vec!["apt-get", "install", "-y", "-qq"];
            args.extend(&debian);
            apt(&args)
        });
        let hint = "This step installs Debian's packages with apt-get (as root, or through sudo): check that the \
                    Debian mirror is reachable and that this user may use sudo, then run the command again.";
        step(&format!("install {}", debian.join(", ")), hint, install)?;
    }
    if need == Need::All {
        step(&format!("install s3s-fs {S3S_FS_VERSION} into .tools/s3s"), CRATES_IO, s3s_fs(root))?;
    }
    Ok(())
}

/// PostgreSQL's programs (`initdb`, `postgres`): on `PATH`, or where Debian's `postgresql` puts them.
pub fn postgres_bin() -> Option<PathBuf> {
    if let Some(initdb) = which("initdb") {
        return initdb.parent().map(Path::to_path_buf);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).filter(|p| p.join("initdb").is_file()).collect())
        .unwrap_or_default();
    found.sort();
    found.pop()
}

/// The S3 server the shared store's tests run against (`s3s-fs`: a real S3 API over a folder, from crates.io; see
/// ARCHITECTURE.md for why not Garage in CI).
pub const S3S_FS_VERSION: &str = "0.14.1";

/// Where the bootstrap installs it; the tests' harness looks there (or at `RUMBO_S3_SERVER`).
pub fn s3s_fs_bin(root: &Path) -> PathBuf {
    root.join(".tools/s3s/bin/s3s-fs")
}

fn s3s_fs(root: &Path) -> Result {
    let installed = std::fs::read_to_string(root.join(".tools/s3s/.crates.toml")).unwrap_or_default();
    if s3s_fs_bin(root).is_file() && installed.contains(&format!("s3s-fs {S3S_FS_VERSION} ")) {
        return Ok(());
    }
    sh(Command::new("cargo")
        .args(["install", "--locked", "--force", "s3s-fs", "--features", "binary", "--version", S3S_FS_VERSION])
        .arg("--root")
        .arg(root.join(".tools/s3s")))
}

/// `npm install` of one package into the project's `.tools/`.
fn npm_install(root: &Path, spec: &str) -> Result {
    sh(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(root.join(".tools")).arg(spec))
}

/// cargo-fuzz, for the fuzz smoke run of `cargo xtask test` (on stable rustc with `RUSTC_BOOTSTRAP=1`).
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

fn cargo_fuzz() -> Result {
    let have = output(Command::new("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if !have.contains(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}")) {
        sh(Command::new("cargo").args([
            "install",
            "--locked",
            "--force",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
        ]))?;
    }
    Ok(())
}

/// axe-core, injected by the browser tests to check accessibility.
pub const AXE_VERSION: &str = "4.14.1";

/// The axe-core script the browser tests inject.
pub fn axe_script(root: &Path) -> PathBuf {
    root.join(".tools/node_modules/axe-core/axe.min.js")
}

/// apache-arrow JS, what the browser benchmark compares Rumbo's wasm path with (`cargo xtask bench-app`).
pub const APACHE_ARROW_VERSION: &str = "21.2.0";

/// Installs apache-arrow JS when missing or at another version; returns its browser bundle (global `Arrow`).
pub fn arrow_js(root: &Path) -> Result<PathBuf> {
    let package = root.join(".tools/node_modules/apache-arrow");
    let have = std::fs::read_to_string(package.join("package.json")).unwrap_or_default();
    if !have.contains(&format!("\"version\": \"{APACHE_ARROW_VERSION}\"")) {
        let spec = format!("apache-arrow@{APACHE_ARROW_VERSION}");
        step(&format!("install {spec} into .tools/"), NPM, npm_install(root, &spec))?;
    }
    Ok(package.join("Arrow.esnext.min.js"))
}

/// Versions of the Python packages the interop tests write files with: Arrow and Parquet (pyarrow, polars), and
/// workbooks as Excel writes them (openpyxl: `.xlsx`) and as LibreOffice does (odfpy: `.ods`); and what reads the
/// open-data downloads and checks the OpenAPI document (pandas, openapi-spec-validator).
pub const PYTHON_PACKAGES: [&str; 6] =
    ["pyarrow==22.*", "polars==1.*", "openpyxl==3.*", "odfpy==1.*", "pandas==3.*", "openapi-spec-validator==0.9.*"];

/// The project's Python (a venv in `.tools/py`) with those packages, for the interop tests and benchmarks.
pub fn python(root: &Path) -> PathBuf {
    root.join(".tools/py/bin/python")
}

fn python_tools(root: &Path) -> Result {
    let py = python(root);
    if !py.exists() {
        sh(Command::new("python3").args(["-m", "venv"]).arg(root.join(".tools/py")))?;
    }
    let present = Command::new(&py)
        .args(["-c", "import pyarrow, polars, openpyxl, odf, pandas, openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        sh(Command::new(&py).args(["-m", "pip", "install", "-q"]).args(PYTHON_PACKAGES))?;
    }
    Ok(())
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

/// `PATH` with the project's local tools and cargo's bin folder first.
pub fn path_env(root: &Path) -> std::ffi::OsString {
    let mut paths = vec![tools_bin(root)];
    // Where `cargo install` put trunk and wasm-bindgen: the cargo home's bin, and the default one.
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        paths.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        paths.push(PathBuf::from(home).join(".cargo/bin"));
    }
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap_or_default()
}

/// Gives a command the bootstrap's `PATH`.
pub fn with_path(root: &Path, mut cmd: Command) -> Command {
    cmd.env("PATH", path_env(root));
    cmd
}
