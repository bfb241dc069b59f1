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
    /// Manage accounts (run on the server machine).
    User {
        #[command(flatten)]
        store: AdminArgs,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens (run on the server machine).
    Token {
        #[command(flatten)]
        store: AdminArgs,
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Upload table files to a server, print the report, and publish when there are no errors.
    Publish(crate::publish::PublishArgs),
    /// Verify every stored table against its sha256 and report; changes nothing (safe beside a running server).
    Check(AdminArgs),
    /// Remove stored files no snapshot references, once older than --min-age-hours (safe beside a running server).
    Gc(GcArgs),
    /// Copy this store (ids, versions, accounts, agendas, the audit log in order) into an empty shared one, verifying
    /// every table's sha256. Stop the server first.
    MigrateStore(MigrateArgs),
    /// Copy the embedded store (SQLite and its tables) into a new folder, consistent, beside a running server; the
    /// copy is a data folder: to restore, serve it or put it in place of the lost one.
    Backup(BackupArgs),
}

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub store: AdminArgs,
    /// The folder to write the copy into (new, or without a copy in it).
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The store to copy.
    #[command(flatten)]
    pub store: AdminArgs,
    /// The empty PostgreSQL database to copy into (`postgres://…`).
    #[arg(long)]
    pub to_database_url: String,
    /// Where the tables go: `s3://bucket/prefix` (the `AWS_*` variables apply) or a folder.
    #[arg(long)]
    pub to_blobs: String,
}

#[derive(Debug, clap::Args)]
pub struct GcArgs {
    #[command(flatten)]
    pub store: AdminArgs,
    /// Keep unreferenced files younger than this: an upload may be about to reference them.
    #[arg(long, default_value_t = 24)]
    pub min_age_hours: u64,
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
    #[command(flatten)]
    pub shared_store: SharedStoreArgs,
    /// Folder holding the built app (Trunk's output).
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
    /// Require an account to read published snapshots.
    #[arg(long)]
    pub private: bool,
    /// Largest upload request, in MiB.
    #[arg(long, default_value_t = 64)]
    pub max_upload_mib: usize,
    /// Largest table once read (decompressed, dictionaries expanded), in MiB; also the limit for all the files of
    /// one upload request together.
    #[arg(long, default_value_t = 1024)]
    pub max_decoded_mib: usize,
    /// Uploads read and validated at once (each may take up to --max-decoded-mib and more to validate).
    #[arg(long, default_value_t = 2)]
    pub concurrent_uploads: usize,
    /// Do not publish the built-in synthetic demo snapshot when nothing is published yet.
    #[arg(long)]
    pub no_demo: bool,
    /// Mark the session cookie `Secure` (browsers then send it over HTTPS only) and send HSTS: use behind TLS.
    #[arg(long)]
    pub secure_cookies: bool,
    /// Seconds a client has to send a request's head; also the longest idle wait on a kept-alive connection.
    #[arg(long, default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Longest pause, in seconds, while a client sends a request body (then 408).
    #[arg(long, default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Open connections in all.
    #[arg(long, default_value_t = 4096)]
    pub max_connections: usize,
    /// Open connections from one address (0: no limit; use 0 behind a proxy, where all share one address).
    #[arg(long, default_value_t = 128)]
    pub max_connections_per_address: usize,
    /// The licence published data is released under, named in every snapshot's datapackage.json.
    #[arg(long, default_value = crate::http::DEFAULT_LICENCE)]
    pub licence: String,
    /// Sites that may embed a published view (`/s/{id}/embed/{part}`) in their pages, comma-separated origins such
    /// as `https://donante.org,https://*.example.org`. Embedding is off without it.
    #[arg(long, value_delimiter = ',', value_parser = crate::embeds::parse_origin)]
    pub embed_origins: Vec<String>,
    /// Addresses of load balancers or proxies in front (comma-separated): from them, the client's address is read
    /// from `X-Forwarded-For` (for the audit log and the per-address log-in limits). Add
    /// `--max-connections-per-address 0` there: every connection comes from the proxies.
    #[arg(long, value_delimiter = ',', env = "RUMBO_TRUSTED_PROXY")]
    pub trusted_proxy: Vec<std::net::IpAddr>,
}

impl ServeArgs {
    /// The connection limits these arguments ask for.
    pub fn conn_limits(&self) -> crate::listen::ConnLimits {
        crate::listen::ConnLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs.max(1)),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            max_per_address: self.max_connections_per_address,
        }
    }

    /// The API settings these arguments ask for.
    pub fn settings(&self) -> crate::http::Settings {
        crate::http::Settings {
            private: self.private,
            max_upload_bytes: self.max_upload_mib * 1024 * 1024,
            secure_cookies: self.secure_cookies,
            limits: shared::intake::Limits {
                max_decoded_bytes: self.max_decoded_mib.saturating_mul(1024 * 1024),
                ..shared::intake::Limits::default()
            },
            max_request_decoded_bytes: self.max_decoded_mib.saturating_mul(1024 * 1024),
            concurrent_uploads: self.concurrent_uploads.max(1),
            licence: std::sync::Arc::from(self.licence.trim()),
            embed_origins: self.embed_origins.clone().into(),
            trusted_proxies: self.trusted_proxy.clone().into(),
            ..crate::http::Settings::default()
        }
    }
}

/// A role by its code (`viewer`, `analyst`, `admin`), which the help lists.
fn role() -> impl clap::builder::TypedValueParser<Value = crate::store::Role> {
    use crate::store::Role;
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Role::ALL.map(Role::code))
        .try_map(|code| Role::from_code(&code).ok_or("unknown role"))
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (the password is read from RUMBO_PASSWORD or asked for).
    Add {
        username: String,
        #[arg(long, value_parser = role())]
        role: crate::store::Role,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable { username: String },
    /// Forget an account's failed log-ins (from every address), so it may sign in again at once.
    Unlock { username: String },
    /// Change an account's role.
    SetRole {
        username: String,
        #[arg(value_parser = role())]
        role: crate::store::Role,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for the command line; it is shown once.
    Create {
        username: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke a token by its name.
    Revoke {
        username: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct AdminArgs {
    /// Folder for the server's state.
    #[arg(long, default_value = "data", global = true)]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub shared_store: SharedStoreArgs,
}

/// A store shared by several replicas: metadata in PostgreSQL, tables in an S3-compatible bucket.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SharedStoreArgs {
    /// Keep metadata, accounts, sessions and the audit log in PostgreSQL (`postgres://user:pass@host/db`) instead
    /// of SQLite in the data folder. Every replica given the same URL serves the same snapshots.
    #[arg(long, env = "RUMBO_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Keep table files in an S3-compatible bucket (`s3://bucket/prefix`; credentials and endpoint from the
    /// `AWS_*` variables) or another folder, instead of `tables/` in the data folder.
    #[arg(long, env = "RUMBO_BLOBS", global = true)]
    pub blobs: Option<String>,
}

impl AdminArgs {
    pub fn location(&self) -> crate::store::Location {
        location(&self.data_dir, &self.shared_store)
    }
}

fn location(data_dir: &std::path::Path, shared: &SharedStoreArgs) -> crate::store::Location {
    crate::store::Location {
        data_dir: data_dir.to_path_buf(),
        database_url: shared.database_url.clone().filter(|u| !u.is_empty()),
        blobs: shared.blobs.clone().filter(|b| !b.is_empty()),
        s3_options: Vec::new(),
    }
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
        Command::User { store, command } => crate::commands::user(&store.location(), command),
        Command::Token { store, command } => crate::commands::token(&store.location(), command),
        Command::Publish(args) => crate::publish::run(&args),
        Command::Check(args) => crate::commands::check(&args.location()),
        Command::Gc(args) => crate::commands::gc(&args.store.location(), args.min_age_hours),
        Command::Backup(args) => crate::commands::backup(&args.store.location(), &args.to),
        Command::MigrateStore(args) => {
            let to = crate::store::Location {
                database_url: Some(args.to_database_url.clone()),
                blobs: Some(args.to_blobs.clone()),
                ..crate::store::Location::default()
            };
            crate::commands::migrate_store(&args.store.location(), &to)
        }
    }
}

fn serve(args: &ServeArgs) -> Result<ExitCode, CliError> {
    let at = location(&args.data_dir, &args.shared_store);
    let store = std::sync::Arc::new(crate::store::Store::open_at(&at).map_err(|e| CliError::Setup(e.to_string()))?);
    // The store's check re-hashes every table: in the background, so that a start does not wait for it (its time
    // grows with the data). Reads only: a table that fails it is never served anyway (`Store::table` checks each
    // read), and `rumbo gc` sweeps.
    let checked = std::sync::Arc::clone(&store);
    std::thread::spawn(move || match checked.check() {
        Ok(check) => {
            tracing::info!(
                snapshots = check.snapshots,
                tables_verified = check.tables_verified,
                unreferenced = check.unreferenced,
                "store checked"
            );
            for damaged in &check.missing_or_corrupt {
                tracing::error!(table = %damaged, "stored table missing or corrupt");
            }
        }
        Err(e) => tracing::error!(error = %e, "store check failed"),
    });
    if !args.no_demo {
        crate::commands::seed_first_start(&store)?;
    }
    let settings = args.settings();
    let state = crate::http::AppState::new(store, settings);
    let app = crate::http::router(state.clone(), &args.dist)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        let addr = listener.local_addr()?;
        // Tests and scripts read this line to learn the port when started with port 0.
        println!("Rumbo escuchando en http://{addr}");
        tracing::info!(%addr, dist = %args.dist.display(), "serving");
        drop(state.warm());
        tokio::select! {
            r = crate::listen::serve(listener, app, args.conn_limits()) => r?,
            () = shutdown() => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_settings(args: &[&str]) -> crate::http::Settings {
        match Cli::try_parse_from(args).expect("parses").command {
            Command::Serve(serve) => serve.settings(),
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn serve_flags_reach_the_settings() {
        let plain = serve_settings(&["rumbo", "serve"]);
        assert!(!plain.secure_cookies && !plain.private);
        assert_eq!(plain.max_upload_bytes, 64 * 1024 * 1024);
        assert_eq!(&*plain.licence, "CC BY 4.0");
        let set = serve_settings(&[
            "rumbo",
            "serve",
            "--secure-cookies",
            "--private",
            "--max-upload-mib",
            "8",
            "--licence",
            "ODbL 1.0",
            "--embed-origins",
            "https://donante.org, http://127.0.0.1:8081/",
        ]);
        assert!(set.secure_cookies && set.private);
        assert_eq!(&*set.embed_origins, ["https://donante.org", "http://127.0.0.1:8081"]);
        assert!(plain.embed_origins.is_empty());
        assert_eq!(set.max_upload_bytes, 8 * 1024 * 1024);
        assert!(plain.trusted_proxies.is_empty());
        let behind = serve_settings(&["rumbo", "serve", "--trusted-proxy", "10.0.0.2,fd00::1"]);
        let want: [std::net::IpAddr; 2] = ["10.0.0.2".parse().expect("ip"), "fd00::1".parse().expect("ip")];
        assert_eq!(&*behind.trusted_proxies, want);
        assert_eq!(&*set.licence, "ODbL 1.0");
    }
}
