//! Builds the release app with Trunk into `dist/`, precompresses it, and measures its transfer size.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::with_path;
use crate::{Result, sh};

/// Builds `dist/` in release mode and writes `.br` and `.gz` beside each asset, so the server never
/// compresses static files per request.
pub fn app(root: &Path) -> Result {
    let mut trunk = with_path(root, Command::new("trunk"));
    trunk.current_dir(root).args(["build", "--release"]);
    sh(&mut trunk)?;
    for file in assets(&root.join("dist"))? {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        write(&with_suffix(&file, "br"), &brotli(&bytes))?;
        write(&with_suffix(&file, "gz"), &gzip(&bytes))?;
    }
    print_sizes(root)
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

/// Prints the first-load transfer (wasm + js + css) raw, gzip and brotli, as recorded in BENCHMARKS.md.
pub fn print_sizes(root: &Path) -> Result {
    let mut total = [0usize; 3];
    println!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    for file in assets(&root.join("dist"))? {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        let sizes = [bytes.len(), gzip(&bytes).len(), brotli(&bytes).len()];
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("{name:<44} {:>10} {:>10} {:>10}", sizes[0], sizes[1], sizes[2]);
        for (t, s) in total.iter_mut().zip(sizes) {
            *t += s;
        }
    }
    println!("{:<44} {:>10} {:>10} {:>10}", "first-load total (wasm + js + css)", total[0], total[1], total[2]);
    Ok(())
}
