//! The HTTP contract, defined once for the server and the app: route paths, header and cookie names, and every
//! JSON body either side writes or reads ([`accounts`], [`snapshots`], [`error`], [`open_data`]). The server routes with
//! [`route`]'s patterns; the app builds the same URLs with [`url`].

mod accounts;
mod error;
mod open_data;
mod snapshots;

pub use accounts::{
    Account, AuditEntry, AuditQuery, Credentials, Me, NewPassword, NewToken, NewUser, Role, TokenInfo, TokenRequest,
    UserChange,
};
pub use error::ErrorBody;
pub use open_data::{
    DataPackage, DownloadFormat, Downloads, EmbedOrigins, HXL_QUERY, License, PackageField, Resource, TableSchema,
    download_file, download_path,
};
pub use snapshots::{
    Draft, DraftSummary, Lifecycle, Listed, Managed, PublishMeta, Retraction, SnapshotState, Template, TemplateKind,
    Uploaded,
};

/// Prefix of every API route.
pub const API_PREFIX: &str = "/api";

/// The id that names the current published snapshot in table URLs.
pub const CURRENT: &str = "current";

/// The API's routes, relative to [`API_PREFIX`], in the router's syntax: `{name}` is one path segment.
pub mod route {
    /// `GET`: published snapshots ([`super::Listed`]).
    pub const SNAPSHOTS: &str = "/snapshots";
    /// `GET`: a snapshot's manifest with its lifecycle ([`super::SnapshotState`]).
    pub const SNAPSHOT: &str = "/snapshots/{snapshot_id}";
    /// `GET`: one table of a snapshot, as an Arrow IPC stream.
    pub const TABLE: &str = "/snapshots/{snapshot_id}/tables/{table}";
    /// `GET`: one table of a snapshot as a file to download, `{file}` being `{table}.{ext}`
    /// ([`super::DownloadFormat`]: `csv`, with `?hxl=1` for an HXL row; `parquet`; `arrow`, the IPC file format).
    pub const DOWNLOAD: &str = "/snapshots/{snapshot_id}/downloads/{file}";
    /// `GET`: the snapshot as a Frictionless Data Package ([`super::DataPackage`]).
    pub const DATAPACKAGE: &str = "/snapshots/{snapshot_id}/datapackage.json";
    /// `GET`: the OpenAPI 3.1 document of the public read API.
    pub const OPENAPI: &str = "/openapi.json";
    /// `GET`: which other sites may embed a published view ([`super::EmbedOrigins`]).
    pub const EMBEDS: &str = "/embeds";
    /// `POST` ([`super::Retraction`]): admins hide a published snapshot.
    pub const RETRACT: &str = "/snapshots/{snapshot_id}/retract";
    /// `POST`: admins make a published snapshot the current one.
    pub const MAKE_CURRENT: &str = "/snapshots/{snapshot_id}/make-current";
    /// `POST` (multipart files): a new draft ([`super::Uploaded`]).
    pub const UPLOADS: &str = "/uploads";
    /// `GET`: drafts ([`super::DraftSummary`]).
    pub const DRAFTS: &str = "/drafts";
    /// `GET`: one draft ([`super::Draft`]).
    pub const DRAFT: &str = "/drafts/{snapshot_id}";
    /// `POST` ([`super::PublishMeta`]): publishes a draft.
    pub const PUBLISH: &str = "/drafts/{snapshot_id}/publish";
    /// `POST`: discards a draft.
    pub const DISCARD: &str = "/drafts/{snapshot_id}/discard";
    /// `POST` ([`super::Credentials`]) signs in, answering [`super::Me`]; `DELETE` signs out.
    pub const SESSION: &str = "/session";
    /// `GET`: who is signed in ([`super::Me`]).
    pub const ME: &str = "/me";
    /// The health probe: answers `ok` while the server is up, however busy.
    pub const HEALTHZ: &str = "/healthz";
    /// The readiness probe: `ok` when the store's database and blob store (PostgreSQL, the bucket) answer, 503
    /// otherwise.
    pub const READYZ: &str = "/readyz";
    /// `GET`: published and retracted snapshots for the administration ([`super::Managed`]).
    pub const ADMIN_SNAPSHOTS: &str = "/admin/snapshots";
    /// `GET` accounts ([`super::Account`]); `POST` ([`super::NewUser`]) adds one.
    pub const USERS: &str = "/users";
    /// `POST` ([`super::UserChange`]): changes a role, or turns an account off or on.
    pub const USER: &str = "/users/{username}";
    /// `POST` ([`super::NewPassword`]): an admin sets a user's password.
    pub const USER_PASSWORD: &str = "/users/{username}/password";
    /// `GET` API tokens ([`super::TokenInfo`]); `POST` ([`super::TokenRequest`]) creates one ([`super::NewToken`]).
    pub const TOKENS: &str = "/tokens";
    /// `POST`: revokes a token.
    pub const TOKEN_REVOKE: &str = "/tokens/{token_id}/revoke";
    /// `GET` ([`super::AuditQuery`] in the query): the audit log ([`super::AuditEntry`]).
    pub const AUDIT: &str = "/audit";
    /// `GET`: the CSV templates ([`super::Template`]).
    pub const TEMPLATES: &str = "/templates";
    /// `GET`: one CSV template.
    pub const TEMPLATE: &str = "/templates/{file}";
    /// `GET` agendas; `POST` (`shared::agenda::AgendaInput`) creates one.
    pub const AGENDAS: &str = "/agendas";
    /// `GET`, `PUT`, `DELETE` one agenda.
    pub const AGENDA: &str = "/agendas/{agenda_id}";
    /// `GET` (`?agenda=` for one agenda's) meeting agreements, signed in (`shared::agreement::Agreement`); `POST`
    /// (`shared::agreement::AgreementInput`) records one, analysts and admins.
    pub const AGREEMENTS: &str = "/agreements";
    /// `POST` (`shared::agreement::StatusChange`): an agreement done, dropped with a reason, or pending again.
    pub const AGREEMENT_STATUS: &str = "/agreements/{agreement_id}/status";
    /// `GET`: the agreements taken on a published snapshot in meetings whose agenda shows them with its frozen
    /// links ([`crate::agreement::Public`]), readable by whoever may read the snapshot.
    pub const SNAPSHOT_AGREEMENTS: &str = "/snapshots/{snapshot_id}/agreements";
}

/// The URL path of a route: [`API_PREFIX`], then the route with each `{…}` replaced by the next of `segments`,
/// which the caller has percent-encoded where they need it.
pub fn url(route: &str, segments: &[&str]) -> String {
    let mut out =
        String::with_capacity(API_PREFIX.len() + route.len() + segments.iter().map(|s| s.len()).sum::<usize>());
    out.push_str(API_PREFIX);
    let mut rest = route;
    let mut segments = segments.iter();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push_str(segments.next().copied().unwrap_or_default());
        rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    out
}

/// Path of one table of a snapshot, e.g. `/api/snapshots/current/tables/facts`.
pub fn table_path(snapshot_id: &str, table: &str) -> String {
    url(route::TABLE, &[snapshot_id, table])
}

/// The query key of [`route::TABLE`] that asks for a part of a table made for one view (`vista=inicio`), and its
/// one value, [`FIRST_VIEW`].
pub const VIEW_QUERY: &str = "vista";
/// [`VIEW_QUERY`]'s value for the rows of `facts` the snapshot's default view reads
/// ([`crate::manifest::Manifest::first_view`]).
pub const FIRST_VIEW: &str = "inicio";

/// Path of the rows of `facts` a snapshot's default view reads (issue 33), e.g.
/// `/api/snapshots/{id}/tables/facts?vista=inicio`: the table route, so the same access rule and cache headers.
pub fn first_view_path(snapshot_id: &str) -> String {
    format!("{}?{VIEW_QUERY}={FIRST_VIEW}", table_path(snapshot_id, crate::schema::FACTS))
}

/// Path of the meeting agendas (`GET` lists them, `POST` creates one): [`route::AGENDAS`] under [`API_PREFIX`].
pub const AGENDAS_PATH: &str = "/api/agendas";

/// Path of one agenda (`GET`, `PUT`, `DELETE`). Agenda ids are hex: nothing to escape.
pub fn agenda_path(agenda_id: &str) -> String {
    url(route::AGENDA, &[agenda_id])
}

/// The request header that carries the session's CSRF token on every mutation made with the session cookie
/// (header names are case-insensitive).
pub const CSRF_HEADER: &str = "X-CSRF-Token";

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
/// Path of the meetings' agreements and their follow-up.
pub const AGREEMENTS_PAGE: &str = "/reunion/acuerdos";
/// Path of a meeting's minutes (`?agenda={id}&fecha={ISO date}`).
pub const MINUTES_PAGE: &str = "/reunion/acta";

/// The pages' description (`<meta name="description">`): `app/index.html` carries the Spanish one; the server
/// writes the English one into a page asked for in English, and the app keeps it in the interface language.
pub const PAGE_DESCRIPTION: crate::Label = crate::Label {
    es: "Rumbo: cobertura de SI EMPLEO y avance de la hoja de ruta (SETRASS / DGE)",
    en: "Rumbo: SI EMPLEO's service coverage and the roadmap's progress (SETRASS / DGE, Honduras' labour ministry)",
};

/// The element id of a dashboard page's first screen (the banner the server writes into the page; the app removes
/// it once its own page has rendered).
pub const FIRST_SCREEN_ID: &str = "rumbo-shell";

/// The pages of the workspace bundle (`workspace.html`, the whole app); every other path of the app is the
/// dashboard's (`index.html`, coverage and roadmap only), so that a visitor's first load carries neither the
/// workspace nor meeting mode. The server, the app and `sw.js` choose the page's shell by this list.
pub const WORKSPACE_PAGES: [&str; 6] =
    [SIGN_IN_PAGE, PUBLISH_PAGE, MANAGE_PAGE, MEETING_PAGE, AGREEMENTS_PAGE, MINUTES_PAGE];

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
        assert_eq!(AGENDAS_PATH, url(route::AGENDAS, &[]));
        assert_eq!(agenda_path("0a1b"), "/api/agendas/0a1b");
    }

    #[test]
    fn urls_fill_each_segment_of_a_route() {
        assert_eq!(table_path(CURRENT, "facts"), "/api/snapshots/current/tables/facts");
        assert_eq!(url(route::PUBLISH, &["2026-01-01-ab12"]), "/api/drafts/2026-01-01-ab12/publish");
        assert_eq!(url(route::TOKEN_REVOKE, &["7"]), "/api/tokens/7/revoke");
        assert_eq!(url(route::ME, &[]), "/api/me");
        assert_eq!(first_view_path("2026-01-01-ab12"), "/api/snapshots/2026-01-01-ab12/tables/facts?vista=inicio");
    }
}
