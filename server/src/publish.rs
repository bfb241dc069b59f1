//! `rumbo publish`: upload files to a server with an API token, print the report, publish when clean.

use std::path::PathBuf;
use std::process::ExitCode;

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
    let mut form = reqwest::blocking::multipart::Form::new();
    let mut total = 0u64;
    for path in &args.files {
        let bytes = std::fs::read(path)?;
        total += bytes.len() as u64;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("  {name}: {} bytes", shared::format::count(bytes.len() as f64));
        form = form.part(name.clone(), reqwest::blocking::multipart::Part::bytes(bytes).file_name(name));
    }
    eprintln!("subiendo {} bytes a {base} …", shared::format::count(total as f64));
    let res = client
        .post(format!("{base}/api/uploads"))
        .bearer_auth(&args.token)
        .multipart(form)
        .send()
        .map_err(|e| CliError::Setup(format!("no se pudo conectar: {e}")))?;
    let status = res.status();
    let body: serde_json::Value = res.json().unwrap_or_default();
    if let Some(findings) = body["findings"].as_array() {
        for f in findings {
            println!(
                "{} {} fila {} columna {} «{}»: {}",
                f["severity"].as_str().unwrap_or_default().to_uppercase(),
                f["table"].as_str().unwrap_or_default(),
                f["row"].as_u64().map_or_else(|| "-".to_owned(), |r| r.to_string()),
                f["column"].as_str().unwrap_or("-"),
                f["value"].as_str().unwrap_or_default(),
                f["message_es"].as_str().unwrap_or_default()
            );
        }
    }
    if !status.is_success() {
        println!("{} — {}", status, body["message_es"].as_str().unwrap_or("el servidor rechazó el envío"));
        return Ok(ExitCode::from(1));
    }
    let draft_id = body["draft_id"].as_str().unwrap_or_default().to_owned();
    println!("borrador {draft_id}: {} errores, {} avisos", body["errors"], body["warnings"]);
    if args.draft {
        return Ok(ExitCode::SUCCESS);
    }
    let meta = serde_json::json!({ "title_es": args.title, "title_en": args.title_en, "as_of": args.as_of });
    let res = client
        .post(format!("{base}/api/drafts/{draft_id}/publish"))
        .bearer_auth(&args.token)
        .json(&meta)
        .send()
        .map_err(|e| CliError::Setup(e.to_string()))?;
    let ok = res.status().is_success();
    let body: serde_json::Value = res.json().unwrap_or_default();
    if ok {
        println!(
            "publicado: {} ({})",
            body["snapshot_id"].as_str().unwrap_or_default(),
            body["title_es"].as_str().unwrap_or_default()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("no se publicó: {}", body["message_es"].as_str().unwrap_or_default());
        Ok(ExitCode::from(1))
    }
}
