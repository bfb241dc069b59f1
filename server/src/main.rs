//! The `rumbo` binary: parse arguments, set up tracing, hand over to [`server::cli::run`].

use std::process::ExitCode;

use clap::Parser;

/// Intake allocates million-row columns on several threads; glibc's allocator maps and faults in fresh pages
/// for each, mimalloc reuses them (CSV intake + validation of 1M rows: 148 → 118 ms, BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
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
