//! The `rumbo` command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "rumbo", version, about = "Rumbo: tablero de avance de SETRASS / DGE")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the dashboard and the snapshot API.
    Serve(ServeArgs),
    /// Validate table files (Arrow IPC, CSV, Parquet) as one snapshot and print every problem.
    Validate(ValidateArgs),
    /// Write the synthetic demo snapshot as files an analyst could edit and re-publish.
    Demo(DemoArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Es,
    En,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Table files; the table is named by the file name (`facts.csv`) or by Arrow metadata.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Language of the messages.
    #[arg(long, value_enum, default_value = "es")]
    pub lang: LangArg,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Folder to write the files into.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of rows of `facts` (the default is the built-in demo; 1000000 for benchmarks).
    #[arg(long)]
    pub rows: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Folder for the server's state.
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Folder holding the built app (Trunk's output).
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Setup(String),
}

pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Validate(args) => crate::commands::validate(&args),
        Command::Demo(args) => crate::commands::demo(&args),
    }
}

fn serve(args: &ServeArgs) -> Result<ExitCode, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        std::fs::create_dir_all(&args.data_dir)?;
        let state = crate::http::AppState::new(crate::snapshots::Snapshots::with_demo())
            .map_err(|e| CliError::Setup(e.to_string()))?;
        let app = crate::http::router(state, &args.dist).map_err(|e| CliError::Setup(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        let addr = listener.local_addr()?;
        // Tests and scripts read this line to learn the port when started with port 0.
        println!("Rumbo escuchando en http://{addr}");
        tracing::info!(%addr, dist = %args.dist.display(), "serving");
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
