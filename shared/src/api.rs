//! HTTP route paths, defined once for the server and the app.

/// Prefix of every API route.
pub const API_PREFIX: &str = "/api";

/// The id that names the current published snapshot in table URLs.
pub const CURRENT: &str = "current";

/// Path of one table of a snapshot, e.g. `/api/snapshots/current/tables/facts`.
pub fn table_path(snapshot_id: &str, table: &str) -> String {
    format!("{API_PREFIX}/snapshots/{snapshot_id}/tables/{table}")
}

/// Content type of Arrow IPC streams (IANA registration).
pub const ARROW_STREAM_MIME: &str = "application/vnd.apache.arrow.stream";

/// Path of the coverage dashboard (the app's first page).
pub const COVERAGE_PAGE: &str = "/";
/// Path of the roadmap view.
pub const ROADMAP_PAGE: &str = "/hoja-de-ruta";
