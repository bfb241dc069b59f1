//! Rumbo's server: the `rumbo` command line and the HTTP service.
//!
//! Module map:
//! - [`cli`]: subcommands (`serve`, ...), argument parsing.
//! - [`http`]: the axum router: API routes and security headers. HTTP status codes live here.
//! - [`listen`]: the connection loop: header, idle and body timeouts, connection caps in all and per address.
//! - [`admin`]: the administration routes: snapshots with their state, users, API tokens, the audit log.
//! - [`agendas`]: meeting agendas (slides of saved views): read by anyone who may read, edited by analysts.
//! - [`downloads`]: open data out: each table as CSV (with an HXL row), Parquet and Arrow files, the snapshot's
//!   Frictionless Data Package, and the OpenAPI document of the public read API (`server/openapi.json`).
//! - [`templates`]: CSV templates of every table and the code lists, for analysts to fill in.
//! - [`first_screen`]: what the server adds to a dashboard page: its data preloads and its snapshot banner.
//! - [`static_files`]: the built app (`dist/`), precompressed, with cache rules and the SPA fallback.
//! - [`snapshots`]: snapshots held in memory, each table encoded and compressed once.

pub mod admin;
pub mod agendas;
pub mod agreements;
pub mod auth;
pub mod blobs;
pub mod cli;
pub mod commands;
pub mod downloads;
pub mod embeds;
pub mod first_screen;
pub mod http;
pub mod listen;
pub mod publish;
pub mod snapshots;
pub mod static_files;
pub mod store;
pub mod templates;
