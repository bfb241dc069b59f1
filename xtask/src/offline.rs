//! The crates every build step needs, downloaded before any step runs offline.
//!
//! Trunk runs cargo with `--offline` (`Trunk.toml`), and the app's release build rebuilds the standard library
//! (`build::app`), so its build resolves the standard library's own dependencies too. None of those may depend on
//! what an earlier, unrelated command happened to download: `fetch` downloads them all (once; a second run is
//! offline and takes a fraction of a second), and `check` proves it from an empty cargo home.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::output;
use crate::{Result, describe, sh};

/// A set of crates to fetch, named for the messages.
struct Manifest {
    what: &'static str,
    path: PathBuf,
}

fn manifests(root: &Path) -> Result<Vec<Manifest>> {
    Ok(vec![
        Manifest { what: "the workspace (every target, wasm32 included)", path: root.join("Cargo.toml") },
        Manifest { what: "the standard library, rebuilt for the app", path: std_manifest()? },
        Manifest { what: "the fuzz targets", path: root.join("fuzz/Cargo.toml") },
        Manifest { what: "the stack-floor benchmark", path: root.join("bench/stack-floor/Cargo.toml") },
    ])
}

/// The standard library's workspace manifest in the toolchain's `rust-src` component.
fn std_manifest() -> Result<PathBuf> {
    let sysroot = output(Command::new("rustc").args(["--print", "sysroot"]))
        .ok_or("`rustc --print sysroot` failed: is the Rust toolchain installed (rustup)?")?;
    let path = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library/Cargo.toml");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} is missing: run `rustup component add rust-src`", path.display()))
    }
}

/// `cargo`, in the given cargo home (the environment's when `None`), with `RUSTC_BOOTSTRAP=1`: the standard
/// library's manifest and `--unit-graph` are nightly features, allowed on the stable toolchain as the app's build is.
fn cargo(home: Option<&Path>) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.env("RUSTC_BOOTSTRAP", "1");
    if let Some(home) = home {
        cmd.env("CARGO_HOME", home);
    }
    cmd
}

fn cargo_fetch(home: Option<&Path>, manifest: &Path, offline: bool) -> Command {
    let mut cmd = cargo(home);
    // `cargo fetch` without `--target` downloads the crates of every platform: wasm32 and the host alike.
    cmd.args(["fetch", "--locked", "--manifest-path"]).arg(manifest);
    if offline {
        cmd.arg("--offline");
    }
    cmd
}

/// Downloads every crate any build step needs into the cargo home (`CARGO_HOME`, or `~/.cargo`). Idempotent: a
/// manifest whose crates are all there is checked offline and skipped.
pub fn fetch(root: &Path, home: Option<&Path>) -> Result {
    for manifest in manifests(root)? {
        if cargo_fetch(home, &manifest.path, true).output().is_ok_and(|o| o.status.success()) {
            continue;
        }
        sh(&mut cargo_fetch(home, &manifest.path, false)).map_err(|e| {
            format!(
                "bootstrap step \"download the crates of {}\" failed: {e}\n\
                 The app's build runs offline (Trunk.toml: offline = true), so every crate it needs must be in the \
                 cargo registry first. Check that crates.io is reachable from this machine (network, proxy, DNS), \
                 then run `cargo xtask bootstrap` again.",
                manifest.what
            )
        })?;
    }
    Ok(())
}

/// One offline build step, resolved (not compiled) with `--unit-graph`: cargo resolves the dependency graph and
/// needs every package it would build to be downloaded, the standard library's included when it is rebuilt.
struct Step {
    what: &'static str,
    manifest: &'static str,
    args: &'static [&'static str],
    build_std: bool,
}

const STEPS: [Step; 7] = [
    Step {
        what: "trunk: the dashboard",
        manifest: "Cargo.toml",
        args: &[
            "build",
            "-p",
            "app",
            "--bin",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
        build_std: true,
    },
    Step {
        what: "trunk: the workspace",
        manifest: "Cargo.toml",
        args: &[
            "build",
            "-p",
            "app",
            "--bin",
            "workspace",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
        build_std: true,
    },
    Step {
        what: "the server, release",
        manifest: "Cargo.toml",
        args: &["build", "--release", "-p", "server"],
        build_std: false,
    },
    Step {
        what: "the native tests",
        manifest: "Cargo.toml",
        args: &["test", "--workspace", "--exclude", "app", "--no-run"],
        build_std: false,
    },
    Step {
        what: "the app's wasm tests",
        manifest: "Cargo.toml",
        args: &["test", "-p", "app", "--target", "wasm32-unknown-unknown", "--tests", "--no-run"],
        build_std: false,
    },
    Step {
        what: "the fuzz targets",
        manifest: "fuzz/Cargo.toml",
        args: &["build", "--release", "--bins"],
        build_std: false,
    },
    Step {
        what: "the stack-floor benchmark",
        manifest: "bench/stack-floor/Cargo.toml",
        args: &["build", "--release", "--target", "wasm32-unknown-unknown", "--features", "leptos,arrow"],
        build_std: true,
    },
];

/// `cargo xtask offline-check`: from an empty cargo home, runs the bootstrap's `fetch`, then resolves every build
/// step offline. Fails, naming the step, when a step needs a crate the fetch did not download. Costs a download of
/// the registry's crates (about 400 MB, seconds here), no compilation.
pub fn check(root: &Path) -> Result {
    let home = root.join("target/offline-check/cargo-home");
    if home.exists() {
        std::fs::remove_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    }
    std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    fetch(root, Some(&home))?;
    resolve_all(root, &home)?;
    std::fs::remove_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    eprintln!("xtask: every offline build step resolves from an empty cargo home after the bootstrap's fetch");
    Ok(())
}

fn resolve_all(root: &Path, home: &Path) -> Result {
    for step in &STEPS {
        let mut cmd = cargo(Some(home));
        cmd.current_dir(root).args(step.args).arg("--manifest-path").arg(root.join(step.manifest)).args([
            "--offline",
            "--locked",
            "-Zunstable-options",
            "--unit-graph",
        ]);
        if step.build_std {
            cmd.env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
        }
        let out = cmd.output().map_err(|e| format!("{}: {e}", describe(&cmd)))?;
        if !out.status.success() {
            return Err(format!(
                "offline build step \"{}\" does not resolve from an empty cargo home after the bootstrap's fetch \
                 (xtask/src/offline.rs: fetch what it needs):\n$ {}\n{}",
                step.what,
                describe(&cmd),
                String::from_utf8_lossy(&out.stderr).trim_end()
            ));
        }
        eprintln!("xtask: offline: resolved {}", step.what);
    }
    Ok(())
}
