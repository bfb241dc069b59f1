//! Builds the release app with Trunk into `dist/` (its two bundles: the dashboard, `index.html`, and the
//! workspace, `workspace.html`), precompresses it, and measures each bundle's transfer size.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::with_path;
use crate::{Result, sh};

/// Builds `dist/` in release mode and writes `.br` and `.gz` beside each asset, so the server never
/// compresses static files per request.
///
/// Trunk builds one page per run and writes it as `index.html`: the workspace bundle is built first into
/// `target/dist-workspace/`, then the dashboard into `dist/` (which Trunk replaces), and the workspace's page and
/// its wasm and JS are copied beside it. The stylesheet and `sw.js` are the same file in both.
pub fn app(root: &Path) -> Result {
    let page = workspace_page(root)?;
    let staged = root.join("target/dist-workspace");
    // Trunk's cargo runs offline: a crate missing from the registry stops it at resolution, deep in its output.
    let offline = |e: String| {
        format!(
            "{e}\nIf cargo said above that a package was not found in offline mode, a crate this build needs is not \
             in the cargo registry: run `cargo xtask bootstrap` with access to crates.io (it downloads every crate \
             the offline build needs, the standard library's included), then build again."
        )
    };
    sh(trunk(root).args(["build", "--release", "--dist"]).arg(&staged).arg(&page)).map_err(offline)?;
    sh(trunk(root).args(["build", "--release"])).map_err(offline)?;
    let dist = root.join("dist");
    wasm_after_first_paint(&dist.join("index.html"))?;
    let copy =
        |from: &Path, to: &Path| std::fs::copy(from, to).map(drop).map_err(|e| format!("{}: {e}", from.display()));
    copy(&staged.join("index.html"), &dist.join("workspace.html"))?;
    for entry in std::fs::read_dir(&staged).map_err(|e| format!("{}: {e}", staged.display()))?.flatten() {
        if entry.file_name().to_string_lossy().starts_with("workspace-") {
            copy(&entry.path(), &dist.join(entry.file_name()))?;
        }
    }
    for file in assets(&root.join("dist"))? {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        write(&with_suffix(&file, "br"), &brotli(&bytes))?;
        write(&with_suffix(&file, "gz"), &gzip(&bytes))?;
    }
    print_sizes(root)
}

/// Trunk, with its cargo runs rebuilding the standard library for the app: with the app's size settings
/// (`opt-level = "z"`, one codegen unit) and `panic = immediate-abort`, so that no panic message, location or
/// formatting machinery is linked in (a panic was already an abort: `panic = "abort"`). 29 KB brotli less wasm
/// (BENCHMARKS.md). These are nightly flags, allowed on the stable toolchain by `RUSTC_BOOTSTRAP=1`, as the fuzz run
/// does; the flags add to `.cargo/config.toml`'s (cargo joins both lists).
fn trunk(root: &Path) -> Command {
    let mut trunk = with_release_std(with_path(root, Command::new("trunk")));
    trunk.current_dir(root);
    trunk
}

fn with_release_std(mut cmd: Command) -> Command {
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
    cmd
}

/// `cargo xtask stack-floor`: what the stack the brief fixes costs before the dashboard adds anything. Builds
/// `bench/stack-floor` (a Leptos page that fetches bytes and shows a number; an Arrow IPC table decoded and read;
/// both) as the app is built (same profile, flags, patched crates, wasm-bindgen, `wasm-opt -Oz`) and prints each
/// one's wasm + JS, brotli.
pub fn stack_floor(root: &Path) -> Result {
    let dir = root.join("bench/stack-floor");
    let target = root.join("target/stack-floor");
    let out = target.join("out");
    let mut rows = Vec::new();
    for features in ["leptos", "arrow", "leptos,arrow"] {
        let mut cargo = with_release_std(with_path(root, Command::new("cargo")));
        sh(cargo
            .current_dir(&dir)
            .args(["build", "--release", "--target", "wasm32-unknown-unknown", "--features", features])
            .arg("--target-dir")
            .arg(&target))?;
        let _ = std::fs::remove_dir_all(&out);
        sh(with_path(root, Command::new("wasm-bindgen"))
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&out)
            .arg(target.join("wasm32-unknown-unknown/release/stack_floor.wasm")))?;
        let wasm = out.join("stack_floor_bg.wasm");
        sh(with_path(root, Command::new("wasm-opt")).arg("-Oz").arg(&wasm).arg("-o").arg(&wasm))?;
        let size = |path: PathBuf| {
            std::fs::read(&path).map(|b| brotli(&b).len()).map_err(|e| format!("{}: {e}", path.display()))
        };
        rows.push((features, size(wasm)?, size(out.join("stack_floor.js"))?));
    }
    println!("{:<44} {:>10} {:>10} {:>10}", "stack floor (brotli)", "wasm", "js", "total");
    for (features, wasm, js) in rows {
        println!("{features:<44} {wasm:>10} {js:>10} {:>10}", wasm + js);
    }
    Ok(())
}

/// The dashboard's page starts downloading its wasm once the browser has painted the page's first screen (the
/// banner the server writes into it, `server::first_screen`), not while the page is parsed: on a slow link the
/// 375 KB of wasm would otherwise share the bandwidth with the stylesheet that the first paint waits for. Trunk
/// writes a `preload` of the wasm and a loader that fetches it at once; this removes the first and makes the
/// second wait for the frame after the first paint. Fails when Trunk's output no longer has either.
fn wasm_after_first_paint(page: &Path) -> Result {
    let html = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let wasm = html.find("_bg.wasm integrity").ok_or("no wasm preload in Trunk's page")?;
    let start = html[..wasm].rfind("<link").ok_or("no wasm preload in Trunk's page")?;
    let end = wasm + html[wasm..].find('>').ok_or("no wasm preload in Trunk's page")? + 1;
    if !html[start..end].contains("rel=preload") {
        return Err(format!("not a preload: {}", &html[start..end]));
    }
    let html = format!("{}{}", &html[..start], &html[end..]);
    let init = "const wasm = await init(";
    if html.matches(init).count() != 1 {
        return Err(format!("{}: expected one `{init}` in Trunk's loader", page.display()));
    }
    let wait = "await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));\n";
    write(page, html.replace(init, &format!("{wait}{init}")).as_bytes())
}

/// Writes `app/workspace.html`, the workspace bundle's page: `app/index.html` with the other binary. Derived, not
/// kept (git ignores it), so the two pages cannot drift apart; it sits beside `index.html` because Trunk resolves the
/// page's links from its folder.
fn workspace_page(root: &Path) -> Result<PathBuf> {
    let index = root.join("app/index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let (dashboard, workspace) = (r#"data-bin="app""#, r#"data-bin="workspace""#);
    if html.matches(dashboard).count() != 1 {
        return Err(format!("{}: expected one `{dashboard}` link", index.display()));
    }
    let page = root.join("app/workspace.html");
    write(&page, html.replace(dashboard, workspace).as_bytes())?;
    Ok(page)
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The compressible files of `dist/` (not the `.br`/`.gz` copies).
fn assets(dist: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e} (build the app first)", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if path.is_file() && matches!(ext, "wasm" | "js" | "css" | "html" | "svg" | "json" | "webmanifest") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        // Writing into a Vec cannot fail.
        let _ = w.write_all(bytes);
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = w.write_all(bytes);
    w.finish().unwrap_or_default()
}

/// Issue 10's floor for a visitor's first load: the dashboard page's wasm + js + css, brotli.
pub const FIRST_LOAD_FLOOR: usize = 250_000;

/// Prints each page's first-load transfer (the wasm, JS and CSS it names) raw, gzip and brotli, as recorded in
/// BENCHMARKS.md.
pub fn print_sizes(root: &Path) -> Result {
    print!("{}", sizes(root)?.0);
    Ok(())
}

/// The table `print_sizes` prints, and the dashboard's (`index.html`) brotli total: a visitor's first load.
fn sizes(root: &Path) -> Result<(String, usize)> {
    let dist = root.join("dist");
    let mut dashboard = 0;
    let mut table = format!("{:<44} {:>10} {:>10} {:>10}\n", "file", "raw", "gzip", "brotli");
    for page in ["index.html", "workspace.html"] {
        let html = std::fs::read_to_string(dist.join(page)).map_err(|e| format!("{page}: {e}"))?;
        let mut total = [0usize; 3];
        for file in assets(&dist)? {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or_default();
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if !matches!(ext, "wasm" | "js" | "css") || !html.contains(&format!("/{name}")) {
                continue;
            }
            let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
            // The precompressed files `app` wrote beside each asset (what the server sends), made again if missing.
            let compressed = |suffix: &str, compress: fn(&[u8]) -> Vec<u8>| {
                std::fs::metadata(with_suffix(&file, suffix))
                    .map_or_else(|_| compress(&bytes).len(), |m| usize::try_from(m.len()).unwrap_or(usize::MAX))
            };
            let sizes = [bytes.len(), compressed("gz", gzip), compressed("br", brotli)];
            let _ = writeln!(table, "{name:<44} {:>10} {:>10} {:>10}", sizes[0], sizes[1], sizes[2]);
            for (t, s) in total.iter_mut().zip(sizes) {
                *t += s;
            }
        }
        let label = format!("{page} first load (wasm + js + css)");
        let _ = writeln!(table, "{label:<44} {:>10} {:>10} {:>10}", total[0], total[1], total[2]);
        if page == "index.html" {
            dashboard = total[2];
        }
    }
    Ok((table, dashboard))
}

/// The sizes table and issue 10's first-load floor, as `sizes` prints them, and the floor's verdict: an error when
/// it is missed.
pub fn first_load_report(root: &Path) -> Result<(String, Result)> {
    let (table, brotli) = sizes(root)?;
    let met = brotli <= FIRST_LOAD_FLOOR;
    let verdict = if met { "met:   " } else { "MISSED:" };
    let report = format!("{table}{verdict} first load ≤ {FIRST_LOAD_FLOOR} B brotli: {brotli} B\n");
    let floor = if met {
        Ok(())
    } else {
        Err(format!("the first load is {brotli} B brotli, over the {FIRST_LOAD_FLOOR} B floor (BENCHMARKS.md)"))
    };
    Ok((report, floor))
}

/// `cargo xtask sizes`: the sizes, then issue 10's first-load floor, failing when it is missed.
pub fn check_first_load(root: &Path) -> Result {
    let (report, floor) = first_load_report(root)?;
    print!("{report}");
    floor
}
