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

/// The health probe, under [`API_PREFIX`]: answers `ok` while the server is up, however busy.
pub const HEALTHZ: &str = "/healthz";

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
/// Path of the sign-in page.
pub const SIGN_IN_PAGE: &str = "/entrar";
/// Path of the analysts' publishing workspace.
pub const PUBLISH_PAGE: &str = "/publicar";
/// Path of user administration.
pub const MANAGE_PAGE: &str = "/administrar";
/// Path of meeting mode (agendas of slides).
pub const MEETING_PAGE: &str = "/reunion";

/// The element id of a dashboard page's first screen (the banner the server writes into the page; the app removes
/// it once its own page has rendered).
pub const FIRST_SCREEN_ID: &str = "rumbo-shell";

/// The pages of the workspace bundle (`workspace.html`, the whole app); every other path of the app is the
/// dashboard's (`index.html`, coverage and roadmap only), so that a visitor's first load carries neither the
/// workspace nor meeting mode. The server, the app and `sw.js` choose the page's shell by this list.
pub const WORKSPACE_PAGES: [&str; 4] = [SIGN_IN_PAGE, PUBLISH_PAGE, MANAGE_PAGE, MEETING_PAGE];

/// Whether a path (without its query) belongs to the workspace bundle. A trailing `/` does not count.
pub fn in_workspace(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    WORKSPACE_PAGES.contains(&path)
}

/// The cookie the server sets beside the (HttpOnly) session cookie at sign-in and clears at sign-out. The page reads
/// it to know whether to ask who is signed in.
pub const SIGNED_IN_COOKIE: &str = "rumbo_signed_in";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_workspace_pages_take_the_workspace_bundle() {
        assert!(in_workspace("/publicar"));
        assert!(in_workspace("/reunion/"));
        assert!(!in_workspace(COVERAGE_PAGE));
        assert!(!in_workspace(ROADMAP_PAGE));
        assert!(!in_workspace("/publicarx"));
    }

    #[test]
    fn agenda_paths_sit_under_the_api_prefix() {
        assert_eq!(AGENDAS_PATH, format!("{API_PREFIX}/agendas"));
        assert_eq!(agenda_path("0a1b"), "/api/agendas/0a1b");
    }
}
