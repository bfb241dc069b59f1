//! The `rumbo` binary: parse arguments, set up tracing, hand over to [`server::cli::run`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match server::cli::run(server::cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rumbo: {e}");
            ExitCode::FAILURE
        }
    }
}
