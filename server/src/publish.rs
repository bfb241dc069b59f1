//! `rumbo publish`: upload files to a server with an API token, print the report, publish when clean.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use shared::api;

use crate::cli::CliError;

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// Table files (Arrow IPC, CSV, Parquet).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Server URL, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub server: String,
    /// API token (`rumbo token create`); also read from RUMBO_TOKEN.
    #[arg(long, env = "RUMBO_TOKEN", hide_env_values = true)]
    pub token: String,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub title_en: Option<String>,
    /// Data "as of", YYYY-MM-DD.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Source notes for the manifest: where the figures come from, caveats, what changed.
    #[arg(long)]
    pub notes: Option<String>,
    /// Stop at the draft: validate and store, but do not publish.
    #[arg(long)]
    pub draft: bool,
}

pub fn run(args: &PublishArgs) -> Result<ExitCode, CliError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .map_err(|e| CliError::Setup(e.to_string()))?;
    let base = args.server.trim_end_matches('/');
    let mut files = Vec::new();
    for path in &args.files {
        let bytes = std::fs::read(path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("  {name}: {} bytes", shared::format::count(bytes.len() as f64));
        files.push((name, bytes));
    }
    let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    eprintln!("subiendo {} bytes a {base} …", shared::format::count(total as f64));
    let progress = Progress::new(total, std::io::stderr().is_terminal());
    let mut form = reqwest::blocking::multipart::Form::new();
    for (name, bytes) in files {
        let len = bytes.len() as u64;
        let part = reqwest::blocking::multipart::Part::reader_with_length(progress.reader(bytes), len);
        form = form.part(name.clone(), part.file_name(name));
    }
    let res = client
        .post(format!("{base}{}", api::url(api::route::UPLOADS, &[])))
        .bearer_auth(&args.token)
        .multipart(form)
        .send()
        .map_err(|e| CliError::Setup(format!("no se pudo conectar: {e}")));
    progress.finish();
    let res = res?;
    let status = res.status();
    let body = res.text().unwrap_or_default();
    // 201, or 422 with the report's errors: a draft and its report; anything else: the server's message.
    let uploaded = serde_json::from_str::<api::Uploaded>(&body).ok();
    for f in uploaded.iter().flat_map(|u| &u.findings) {
        println!(
            "{} {} fila {} columna {} «{}»: {}",
            match f.severity {
                shared::finding::Severity::Error => "ERROR",
                shared::finding::Severity::Warning => "AVISO",
                shared::finding::Severity::Info => "NOTA",
            },
            f.table,
            f.row.map_or_else(|| "-".to_owned(), |r| r.to_string()),
            f.column.as_deref().unwrap_or("-"),
            f.value.as_deref().unwrap_or_default(),
            f.message_es
        );
    }
    let Some(uploaded) = uploaded.filter(|_| status.is_success()) else {
        let said = serde_json::from_str::<api::ErrorBody>(&body).map(|e| e.message_es);
        println!("{} — {}", status, said.as_deref().unwrap_or("el servidor rechazó el envío"));
        return Ok(ExitCode::from(1));
    };
    let draft_id = uploaded.draft_id;
    println!("borrador {draft_id}: {} errores, {} avisos", uploaded.errors, uploaded.warnings);
    if args.draft {
        return Ok(ExitCode::SUCCESS);
    }
    let meta = api::PublishMeta {
        title_es: args.title.clone(),
        title_en: args.title_en.clone(),
        as_of: args.as_of.clone(),
        notes: args.notes.clone(),
    };
    let res = client
        .post(format!("{base}{}", api::url(api::route::PUBLISH, &[&draft_id])))
        .bearer_auth(&args.token)
        .json(&meta)
        .send()
        .map_err(|e| CliError::Setup(e.to_string()))?;
    let ok = res.status().is_success();
    let body = res.text().unwrap_or_default();
    match serde_json::from_str::<shared::manifest::Manifest>(&body) {
        Ok(manifest) if ok => {
            println!("publicado: {} ({})", manifest.snapshot_id, manifest.title_es);
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            let said = serde_json::from_str::<api::ErrorBody>(&body).map(|e| e.message_es).unwrap_or_default();
            println!("no se publicó: {said}");
            Ok(ExitCode::from(1))
        }
    }
}

/// Bytes of the files sent so far, drawn as one line on stderr (`\r`), only when stderr is a terminal.
#[derive(Clone)]
struct Progress {
    sent: Arc<AtomicU64>,
    total: u64,
    draw: bool,
}

impl Progress {
    fn new(total: u64, draw: bool) -> Self {
        Self { sent: Arc::new(AtomicU64::new(0)), total, draw }
    }

    /// A reader over one file's bytes that adds what it hands out to the count.
    fn reader(&self, bytes: Vec<u8>) -> Counting {
        Counting { inner: std::io::Cursor::new(bytes), progress: self.clone(), last_percent: None }
    }

    fn line(&self) -> String {
        let sent = self.sent.load(Ordering::Relaxed).min(self.total);
        let percent = (sent * 100).checked_div(self.total).unwrap_or(100);
        format!(
            "\r  enviado {} de {} bytes ({percent} %)",
            shared::format::count(sent as f64),
            shared::format::count(self.total as f64)
        )
    }

    fn finish(&self) {
        if self.draw {
            eprintln!();
        }
    }
}

struct Counting {
    inner: std::io::Cursor<Vec<u8>>,
    progress: Progress,
    last_percent: Option<u64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let sent = self.progress.sent.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        let percent = sent * 100 / self.progress.total.max(1);
        // Redraw when the percentage moves, not on every read.
        if self.progress.draw && self.last_percent != Some(percent) {
            self.last_percent = Some(percent);
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(self.progress.line().as_bytes());
            let _ = err.flush();
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_counts_every_byte_read_across_files() {
        let progress = Progress::new(5_000, false);
        let mut out = Vec::new();
        progress.reader(vec![1; 3_000]).read_to_end(&mut out).expect("read");
        assert_eq!(progress.line(), "\r  enviado 3,000 de 5,000 bytes (60 %)");
        progress.reader(vec![2; 2_000]).read_to_end(&mut out).expect("read");
        assert_eq!(out.len(), 5_000);
        assert_eq!(progress.line(), "\r  enviado 5,000 de 5,000 bytes (100 %)");
    }
}
