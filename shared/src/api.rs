//! HTTP route paths, defined once for the server and the app.

/// Prefix of every API route.
pub const API_PREFIX: &str = "/api";

/// The id that names the current published snapshot in table URLs.
pub const CURRENT: &str = "current";

/// Path of one table of a snapshot, e.g. `/api/snapshots/current/tables/facts`.
pub fn table_path(snapshot_id: &str, table: &str) -> String {
    format!("{API_PREFIX}/snapshots/{snapshot_id}/tables/{table}")
}

/// Path of the meeting agendas (`GET` lists them, `POST` creates one).
pub const AGENDAS_PATH: &str = "/api/agendas";

/// Path of one agenda (`GET`, `PUT`, `DELETE`). Agenda ids are hex: nothing to escape.
pub fn agenda_path(agenda_id: &str) -> String {
    format!("{AGENDAS_PATH}/{agenda_id}")
}

/// Content type of Arrow IPC streams (IANA registration).
pub const ARROW_STREAM_MIME: &str = "application/vnd.apache.arrow.stream";

/// Path of the coverage dashboard (the app's first page).
pub const COVERAGE_PAGE: &str = "/";
/// Path of the roadmap view.
pub const ROADMAP_PAGE: &str = "/hoja-de-ruta";

/// The cookie the server sets beside the (HttpOnly) session cookie at sign-in and clears at sign-out. The page reads
/// it to know whether to ask who is signed in.
pub const SIGNED_IN_COOKIE: &str = "rumbo_signed_in";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_paths_sit_under_the_api_prefix() {
        assert_eq!(AGENDAS_PATH, format!("{API_PREFIX}/agendas"));
        assert_eq!(agenda_path("0a1b"), "/api/agendas/0a1b");
    }
}
