//! `cargo xtask`: the two README commands and their helpers, with no dependencies beyond what they need.
//!
//! - `run`: installs missing tools, builds the app in release mode, starts `rumbo serve` on 127.0.0.1:8080.
//! - `test`: installs missing tools (Chromium too), builds the app, checks each page's first load against its
//!   committed budget (`bench/size-budget.toml`), runs every test: native unit and integration
//!   tests, end-to-end tests in Chromium against the real server, short strict fuzz runs (intake + validation, the
//!   app's decoding path), wasm-bindgen tests in headless Chromium.
//! - `lint`: `cargo fmt --check` and clippy with `-D warnings` for native and wasm32.
//! - `bootstrap`: installs the tools and downloads the crates every build step needs (both commands run it).
//! - `offline-check`: from an empty cargo home, the bootstrap's download, then every offline build step resolved.
//! - `build`: the release app into `dist/`, precompressed (brotli, gzip).
//! - `sizes`: first-load transfer sizes of `dist/` (raw, gzip, brotli); fails when the dashboard's is over 250 KB
//!   (issue 10's goal) or a page is over its committed budget, `bench/size-budget.toml`, by more than 2 % (which
//!   `test`, so CI, checks too).
//! - `bench-app`: the browser benchmarks of the coverage dashboard (100k and 1M rows: decoding, redraws to the
//!   pixels, the first load on a slow link), the sizes, then `bench/csv_vs_pyarrow.sh`; fails when a floor is missed.
//! - `log`: appends a benchmark script's figures to the log at the end of BENCHMARKS.md (`bench/*.sh` call it).
//! - `stack-floor`: the size of the smallest Leptos page, Arrow reader and both, built as the app is.
//! - `geo`: regenerates `shared/data/hn_departments.rgeo` from `../shared/data/geo`.

mod build;
mod geo;
mod offline;
mod tools;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root),
        Some("lint") => lint(&root),
        Some("bootstrap") => tools::bootstrap(&root, tools::Need::All),
        Some("offline-check") => offline::check(&root),
        Some("build") => tools::bootstrap(&root, tools::Need::Build).and_then(|()| build::app(&root)),
        Some("sizes") => build::check_first_load(&root),
        Some("geo") => geo::convert(&root),
        Some("bench-app") => bench_app(&root),
        Some("log") => match &args[1..] {
            [command, file] => std::fs::read_to_string(file)
                .map_err(|e| format!("{file}: {e}"))
                .and_then(|figures| append_to_log(&root, command, &figures)),
            _ => Err("usage: cargo xtask log <command> <file of its figures>".to_owned()),
        },
        Some("stack-floor") => tools::bootstrap(&root, tools::Need::Build).and_then(|()| build::stack_floor(&root)),
        _ => {
            Err("usage: cargo xtask <run|test|lint|bootstrap|offline-check|build|sizes|bench-app|stack-floor|log|geo>"
                .to_owned())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs a command, failing with its description when it fails.
fn sh(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.status().map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() { Ok(()) } else { Err(format!("{} failed ({status})", describe(cmd))) }
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

fn run(root: &Path, extra: &[String]) -> Result {
    warn_when_disk_is_low(root);
    tools::bootstrap(root, tools::Need::Build)?;
    build::app(root)?;
    sh(cargo(root).args(["build", "--release", "-p", "server"]))?;
    let mut serve = Command::new(root.join("target/release/rumbo"));
    serve
        .current_dir(root)
        .args(["serve", "--addr", "127.0.0.1:8080", "--dist", "dist", "--data-dir", "data"])
        .args(extra);
    sh(&mut serve)
}

fn test(root: &Path) -> Result {
    warn_when_disk_is_low(root);
    tools::bootstrap(root, tools::Need::All)?;
    build::app(root)?;
    // Before the long runs: a page grown past its committed budget fails CI at once (issue 33).
    build::check_budget(root)?;
    let chromedriver = tools::which("chromedriver").ok_or("chromedriver not found after bootstrap")?;
    // Native: unit tests, server integration, end-to-end in Chromium against the real server.
    sh(cargo(root)
        .args(["test", "--workspace", "--exclude", "app"])
        .env("RUMBO_DIST", root.join("dist"))
        .env("RUMBO_AXE", tools::axe_script(root))
        .env("CHROMEDRIVER", &chromedriver))?;
    fuzz_smoke(root)?;
    // The app's own tests, compiled to wasm32 and run in headless Chromium.
    sh(cargo(root)
        .args(["test", "-p", "app", "--target", "wasm32-unknown-unknown", "--tests"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", &chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;
    eprintln!("xtask: every test passed");
    Ok(())
}

/// A build from a cold `target/` needs about 5 GB (BENCHMARKS.md, CI run time). When the disk fills, the linker
/// dies with SIGBUS deep in the log, so say it first. A warning, not a failure: a warm `target/` needs far less.
fn warn_when_disk_is_low(root: &Path) {
    const NEEDED_KB: u64 = 6 * 1024 * 1024;
    let Ok(out) = Command::new("df").args(["-Pk"]).arg(root).output() else { return };
    let text = String::from_utf8_lossy(&out.stdout);
    // POSIX format: a header line, then "filesystem blocks used available capacity mount".
    let available = text.lines().nth(1).and_then(|l| l.split_whitespace().nth(3)).and_then(|n| n.parse::<u64>().ok());
    if let Some(kb) = available.filter(|&kb| kb < NEEDED_KB) {
        eprintln!(
            "xtask: warning: {:.1} GB free on the disk of {}; a build from a cold target/ needs about 5 GB, and a \
             full disk shows up as the linker dying with SIGBUS",
            kb as f64 / 1024.0 / 1024.0,
            root.display()
        );
    }
}

/// Short `cargo fuzz` runs, strict (any panic is a finding, even one intake's guard would catch): intake +
/// validation for a minute, the app's decoding path for 30 s. A crash, a slow input or runaway memory fails it,
/// leaving the input in `fuzz/artifacts/`. Stable rustc takes the fuzzer's `-Z` flags with `RUSTC_BOOTSTRAP=1`.
fn fuzz_smoke(root: &Path) -> Result {
    let fuzz = root.join("fuzz");
    for (target, seconds) in [("intake_validate", 60), ("app_decode", 30)] {
        let corpus = format!("corpus/{target}");
        std::fs::create_dir_all(fuzz.join(&corpus)).map_err(|e| format!("{corpus}: {e}"))?;
        sh(cargo(&fuzz)
            .args(["fuzz", "run", target, &corpus, &format!("seeds/{target}"), "--"])
            .arg(format!("-max_total_time={seconds}"))
            .args(["-rss_limit_mb=2048", "-timeout=10"])
            .env("RUSTC_BOOTSTRAP", "1"))?;
    }
    Ok(())
}

fn bench_app(root: &Path) -> Result {
    tools::bootstrap(root, tools::Need::All)?;
    let arrow_js = tools::arrow_js(root)?;
    let bench_dist = build::bench_dist(root)?;
    build::app(root)?;
    let chromedriver = tools::which("chromedriver").ok_or("chromedriver not found after bootstrap")?;
    let report = root.join("target/bench-app-report.md");
    let _ = std::fs::remove_file(&report);
    // The side-by-side benchmark calls the bench build's entry point; the first load is the users' build.
    let browser = |test: &str, dist: &Path| {
        sh(cargo(root)
            .args(["test", "-p", "tests", "--test", test])
            .args(["--", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env("RUMBO_DIST", dist)
            .env("RUMBO_ARROW_JS", &arrow_js)
            .env("RUMBO_BENCH_REPORT", &report)
            .env("CHROMEDRIVER", &chromedriver))
    };
    let browser = browser("app_bench", &bench_dist).and(browser("first_load", &root.join("dist")));
    // Every figure is printed, and appended to BENCHMARKS.md, before either failure is reported.
    let sizes = build::first_load(root)?;
    print!("{}{}", sizes.table, sizes.verdicts);
    let browser_report = std::fs::read_to_string(&report).unwrap_or_default();
    let figures = format!(
        "{}\n\nFirst-load transfer, bytes:\n\n```\n{}```\n\n{}",
        browser_report.trim_end(),
        sizes.table,
        sizes.verdicts
    );
    append_to_log(root, "cargo xtask bench-app", &figures)?;
    // A CSV upload's whole path against pyarrow (issue 33): the script appends its own figures to the log.
    let csv = sh(Command::new("bash").arg(root.join("bench/csv_vs_pyarrow.sh")).current_dir(root));
    browser.and(sizes.budget).and(sizes.goal).and(csv)
}

/// Appends a benchmark command's figures to the log at the end of BENCHMARKS.md (issue 10: results appended), under
/// the date, the commit and the machine they were measured on. The sections above the log interpret them.
fn append_to_log(root: &Path, command: &str, figures: &str) -> Result {
    const LOG: &str = "## Benchmark log";
    let path = root.join("BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    if !existing.contains(&format!("\n{LOG}\n")) {
        let _ = write!(
            text,
            "\n{LOG}\n\nAppended by `cargo xtask bench-app`, `bench/wrk.sh` and `bench/lighthouse.sh` at each run, \
             newest last: the figures as the command printed them, with the commit and the machine.\n"
        );
    }
    let out = |program: &str, args: &[&str]| tools::output(Command::new(program).current_dir(root).args(args));
    let date = out("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    let commit = out("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let dirty = out("git", &["status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md"])
        .is_some_and(|s| !s.trim().is_empty());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or_else(String::new, |kb| format!(", {} GiB", (kb + (1 << 19)) >> 20));
    let chromium = out("chromium", &["--version"]).unwrap_or_default();
    let chromium = chromium.lines().next().unwrap_or_default();
    // The floors' verdicts as a list (they are lines of their own in the command's output), outside code blocks.
    let mut fenced = false;
    let mut listed = String::new();
    for line in figures.lines() {
        fenced ^= line.starts_with("```");
        let verdict = !fenced && (line.starts_with("met:") || line.starts_with("MISSED:"));
        let _ = writeln!(listed, "{}{line}", if verdict { "- " } else { "" });
    }
    let _ = write!(
        text,
        "\n### `{command}`, {}, commit {}{}\n\n{cores} cores ({cpu}){memory}, {}.\n\n{}",
        date.trim(),
        commit.trim(),
        if dirty { " with uncommitted changes" } else { "" },
        chromium.trim(),
        listed.trim_start_matches('\n')
    );
    let file = std::fs::OpenOptions::new().append(true).open(&path);
    file.and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: figures appended to {}", path.display());
    Ok(())
}

fn lint(root: &Path) -> Result {
    tools::bootstrap(root, tools::Need::Build)?;
    sh(cargo(root).args(["fmt", "--all", "--", "--check"]))?;
    sh(cargo(root).args(["clippy", "--workspace", "--exclude", "app", "--all-targets", "--", "-D", "warnings"]))?;
    sh(cargo(root).args([
        "clippy",
        "-p",
        "app",
        "-p",
        "shared",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--features",
        "app/bench",
        "--",
        "-D",
        "warnings",
    ]))
}
