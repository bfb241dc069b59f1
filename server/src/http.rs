//! The HTTP surface: API routes, JSON errors in Spanish and English, security headers. Status codes appear here
//! and in [`crate::auth`]'s callers only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
pub use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shared::api::{
    Credentials, Draft, ErrorBody, Lifecycle, Listed, Me, PublishMeta, Retraction, SnapshotState, Uploaded, route,
};
use shared::intake::Limits;
use shared::validate::{read_files, validate_files_after};

use crate::auth::{self, Denied};
use crate::snapshots::{DownloadCache, Table, TableCache};
use crate::store::{LoginError, Role, Store, StoreError, User};

/// What the open-data files made from tables may take in memory together (the largest, a million rows of CSV,
/// takes about 60 MB).
const DOWNLOAD_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// Server settings that shape the API.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Published snapshots need an account to read.
    pub private: bool,
    /// Largest upload request body.
    pub max_upload_bytes: usize,
    /// Limits on each uploaded file once read.
    pub limits: Limits,
    /// Set the cookie's `Secure` flag (behind TLS).
    pub secure_cookies: bool,
    /// Log-in attempts allowed from one client address per minute, whatever the account.
    pub login_attempts_per_minute: u32,
    /// What all the files of one upload request may take once read (each file also has `limits`).
    pub max_request_decoded_bytes: usize,
    /// Uploads read and validated at once; the next ones wait their turn (503 with `Retry-After` after a while).
    pub concurrent_uploads: usize,
    /// The licence published snapshots are released under, named in every data package (`rumbo serve --licence`).
    pub licence: Arc<str>,
    /// The origins that may frame a published view (`rumbo serve --embed-origins`); none by default.
    pub embed_origins: Arc<[String]>,
    /// Load balancers and proxies whose `X-Forwarded-For` names the client (`rumbo serve --trusted-proxy`); none
    /// by default, when the connection's address is the client's.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
}

/// The licence of published data when `rumbo serve --licence` names none.
pub const DEFAULT_LICENCE: &str = "CC BY 4.0";

impl Default for Settings {
    fn default() -> Self {
        Self {
            private: false,
            max_upload_bytes: 64 * 1024 * 1024,
            limits: Limits::default(),
            secure_cookies: false,
            login_attempts_per_minute: 10,
            max_request_decoded_bytes: Limits::default().max_decoded_bytes,
            concurrent_uploads: 2,
            licence: Arc::from(DEFAULT_LICENCE),
            embed_origins: Arc::from([]),
            trusted_proxies: Arc::from([]),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<Store>,
    cache: TableCache,
    /// The open-data files made from tables (CSV, Parquet, Arrow file), by sha256 and format, within a byte budget.
    pub(crate) downloads: DownloadCache,
    pub(crate) settings: Settings,
    login_limiter: Arc<RateLimiter>,
    /// One permit per upload being read and validated (`Settings::concurrent_uploads`).
    uploads: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(store: Arc<Store>, settings: Settings) -> Self {
        let login_limiter = Arc::new(RateLimiter::new(settings.login_attempts_per_minute, Duration::from_secs(60)));
        let uploads = Arc::new(tokio::sync::Semaphore::new(settings.concurrent_uploads.max(1)));
        Self {
            store,
            cache: TableCache::default(),
            downloads: DownloadCache::new(DOWNLOAD_CACHE_BYTES),
            settings,
            login_limiter,
            uploads,
        }
    }

    /// Compresses the current snapshot's tables in the background, so that the first visitors after a start get
    /// bytes compressed once, like every later one (uploads compress their tables as they are validated).
    pub fn warm(&self) -> tokio::task::JoinHandle<()> {
        let (store, cache) = (Arc::clone(&self.store), self.cache.clone());
        tokio::task::spawn_blocking(move || {
            let Ok(Some(id)) = store.current_id() else { return };
            let Ok(Some((manifest, _))) = store.manifest(&id) else { return };
            for entry in manifest.first_view.iter().chain(&manifest.tables) {
                cache.get_or_insert(&entry.sha256, || store.table(&id, &entry.name).ok().flatten().map(|(_, b)| b));
            }
        })
    }
}

/// A fixed-window counter per client address, in memory (a restart forgets it; the per-account lockout in the
/// store does not). Behind a reverse proxy every client shares the proxy's address.
#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

/// What the limiter says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Allowed,
    /// Refused; `first` is true for the first refusal of the window (the one worth auditing).
    Refused {
        retry_after: Duration,
        first: bool,
    },
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self { max, window, seen: Mutex::new(HashMap::new()) }
    }

    pub fn attempt(&self, key: &str, now: Instant) -> Attempt {
        let mut seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() > 10_000 {
            // Bounded memory: forget the windows that are over.
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let (start, count) = seen.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            (*start, *count) = (now, 0);
        }
        *count = count.saturating_add(1);
        if *count <= self.max {
            Attempt::Allowed
        } else {
            Attempt::Refused {
                retry_after: self.window.saturating_sub(now.duration_since(*start)),
                first: *count == self.max + 1,
            }
        }
    }
}

/// An API error: a status and a message in Spanish and English, plus the validation report where relevant.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    es: String,
    en: String,
    report: Option<serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, es: impl Into<String>, en: impl Into<String>) -> Self {
        Self { status, es: es.into(), en: en.into(), report: None }
    }

    /// Adds a machine-readable list of what was wrong (the body's `report`).
    pub(crate) fn with_report(mut self, report: serde_json::Value) -> Self {
        self.report = Some(report);
        self
    }

    pub(crate) fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "No existe", "Not found")
    }

    /// A JSON body that could not be read (malformed, or a field missing or of the wrong type).
    pub(crate) fn bad_body(rejection: &JsonRejection) -> Self {
        let detail = rejection.body_text();
        Self::new(
            rejection.status(),
            format!("Cuerpo de la petición no válido: {detail}"),
            format!("Invalid request body: {detail}"),
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict { es, en } => Self::new(StatusCode::CONFLICT, es, en),
            other => {
                // 5xx bodies say only "internal error"; the detail is logged once.
                tracing::error!(error = %other, "store");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Error interno", "Internal error")
            }
        }
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::Anonymous => Self::new(StatusCode::UNAUTHORIZED, "Inicie sesión", "Sign in"),
            Denied::Expired => Self::new(
                StatusCode::UNAUTHORIZED,
                "Su sesión expiró; inicie sesión de nuevo",
                "Your session expired; sign in again",
            ),
            Denied::Forbidden => {
                Self::new(StatusCode::FORBIDDEN, "Su rol no permite esta acción", "Your role does not allow this")
            }
            Denied::Csrf => Self::new(StatusCode::FORBIDDEN, "Falta el token CSRF", "Missing CSRF token"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.status.canonical_reason().unwrap_or("error").to_owned(),
            message_es: self.es,
            message_en: self.en,
            report: self.report,
        };
        (self.status, Json(body)).into_response()
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Builds the whole application: API under `/api`, the built app for everything else.
pub fn router(state: AppState, dist: &Path) -> Result<Router, std::io::Error> {
    let upload_limit = state.settings.max_upload_bytes;
    let (private, hsts) = (state.settings.private, state.settings.secure_cookies);
    let first =
        Arc::new(crate::first_screen::Screens { store: Arc::clone(&state.store), private: state.settings.private });
    let embeds = crate::embeds::Embeds::new(Arc::clone(&state.store), &state.settings.embed_origins, private);
    let api = Router::new()
        .route(route::SNAPSHOTS, get(list_snapshots))
        .route(route::SNAPSHOT, get(manifest))
        .route(route::TABLE, get(table))
        .route(route::RETRACT, post(retract))
        .route(route::MAKE_CURRENT, post(make_current))
        .route(route::UPLOADS, post(upload).layer(DefaultBodyLimit::max(upload_limit)))
        .route(route::DRAFTS, get(drafts))
        .route(route::DRAFT, get(draft))
        .route(route::PUBLISH, post(publish))
        .route(route::DISCARD, post(discard))
        .route(route::SESSION, post(login).delete(logout))
        .route(route::ME, get(me))
        .route(route::HEALTHZ, get(healthz))
        .route(route::READYZ, get(readyz))
        .route(route::EMBEDS, get(embed_origins))
        .merge(crate::downloads::routes())
        .merge(crate::admin::routes())
        .merge(crate::templates::routes())
        .merge(crate::agendas::routes())
        .merge(crate::agreements::routes())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "Ruta de la API desconocida", "Unknown API route") })
        .layer(DefaultBodyLimit::max(1024 * 1024))
        // On a private server no answer of the API may be kept by a browser or a proxy: every one needs an account.
        .layer(axum::middleware::map_response(move |mut res: Response| async move {
            if private {
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
            }
            res
        }))
        .with_state(state);
    let static_files = crate::static_files::StaticFiles::new(dist)?;
    let csp = static_files.content_security_policy("'none'");
    let framed_csp = static_files.content_security_policy(embeds.ancestors());
    Ok(Router::new()
        .nest(shared::api::API_PREFIX, api)
        .fallback_service(static_files.service(first))
        .layer(axum::middleware::from_fn(move |req, next| crate::embeds::layer(embeds.clone(), req, next)))
        .layer(axum::middleware::map_response(move |mut res: Response| {
            let framed = res.extensions().get::<crate::embeds::FramedBy>().is_some();
            let csp = if framed { framed_csp.clone() } else { csp.clone() };
            async move {
                let h = res.headers_mut();
                h.insert(header::CONTENT_SECURITY_POLICY, csp);
                h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
                // An embed's framing is the CSP's `frame-ancestors` alone (which browsers obey over this header).
                if !framed {
                    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                }
                // Behind TLS (the cookies say so): browsers then refuse plain HTTP to this host for a year.
                if hsts {
                    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
                }
                res
            }
        })))
}

/// `GET /api/embeds`: the origins that may frame a published view (none on a private server).
async fn embed_origins(State(state): State<AppState>) -> Json<shared::api::EmbedOrigins> {
    let origins = if state.settings.private { Vec::new() } else { state.settings.embed_origins.to_vec() };
    Json(shared::api::EmbedOrigins { origins })
}

/// The client's IP address, for the audit log and the per-address log-in limits (empty when the server runs
/// without connect info). Behind `--trusted-proxy` load balancers, the address their `X-Forwarded-For` names.
pub struct ClientAddr(pub(crate) String);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|a| a.0.ip());
        let client = peer.map(|peer| client_ip(peer, &parts.headers, &state.settings.trusted_proxies));
        Ok(Self(client.map(|ip| ip.to_string()).unwrap_or_default()))
    }
}

/// The client of a request from `peer`: the peer itself unless it is a trusted proxy; else, reading
/// `X-Forwarded-For` from the right (each proxy appends the address it saw), the first address that is not a
/// trusted proxy. What a client wrote on the left itself is never reached past an untrusted hop, and an entry that
/// is not an address stops the walk at the proxy.
pub fn client_ip(peer: std::net::IpAddr, headers: &HeaderMap, trusted: &[std::net::IpAddr]) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            Err(_) => return client,
        }
    }
    client
}

/// Readers: anyone, unless the server is private.
pub(crate) fn may_read(state: &AppState, method: &Method, headers: &HeaderMap) -> ApiResult<()> {
    if state.settings.private {
        auth::require(&state.store, method, headers, Role::Viewer)?;
    }
    Ok(())
}

pub(crate) fn resolve(state: &AppState, snapshot_id: &str) -> ApiResult<String> {
    if snapshot_id == shared::api::CURRENT {
        state
            .store
            .current_id()?
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "Aún no hay publicaciones", "Nothing published yet"))
    } else {
        Ok(snapshot_id.to_owned())
    }
}

async fn list_snapshots(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    may_read(&state, &method, &headers)?;
    let current = state.store.current_id()?;
    let list: Vec<Listed> = state
        .store
        .published()?
        .into_iter()
        .map(|m| Listed { current: current.as_deref() == Some(m.snapshot_id.as_str()), manifest: m })
        .collect();
    Ok(no_cache(Json(list).into_response()))
}

/// What must never be kept by a browser, a proxy or the service worker: drafts, and everything on a private server.
pub(crate) const NO_STORE: &str = "private, no-store";

pub(crate) fn no_cache(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// Checks that the caller may see a snapshot in its state: drafts only for analysts; retracted ones say why.
pub(crate) fn visible(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
    snapshot_id: &str,
) -> ApiResult<SnapshotState> {
    let (manifest, lifecycle) = state.store.manifest(snapshot_id)?.ok_or_else(ApiError::not_found)?;
    match lifecycle {
        Lifecycle::Published => may_read(state, method, headers)?,
        Lifecycle::Draft => {
            auth::require(&state.store, method, headers, Role::Analyst)?;
        }
        Lifecycle::Retracted => {
            // A private server tells only its readers why.
            may_read(state, method, headers)?;
            let reason = state.store.retract_reason(snapshot_id)?.unwrap_or_default();
            return Err(ApiError::new(
                StatusCode::GONE,
                format!("Esta publicación fue retirada: {reason}"),
                format!("This snapshot was retracted: {reason}"),
            ));
        }
        Lifecycle::Discarded => return Err(ApiError::not_found()),
    }
    Ok(SnapshotState { manifest, lifecycle })
}

async fn manifest(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(snapshot_id): UrlPath<String>,
) -> ApiResult<Response> {
    let id = resolve(&state, &snapshot_id)?;
    let manifest = visible(&state, &method, &headers, &id)?;
    let lifecycle = manifest.lifecycle;
    Ok(snapshot_json(&manifest, lifecycle))
}

/// A JSON document about a snapshot (its manifest, its data package): revalidated each time, and never kept
/// anywhere for a draft.
pub(crate) fn snapshot_json(body: &impl serde::Serialize, lifecycle: Lifecycle) -> Response {
    let mut res = no_cache(Json(body).into_response());
    if lifecycle == Lifecycle::Draft {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    }
    res
}

async fn table(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath((snapshot_id, name)): UrlPath<(String, String)>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let served = if first_view_asked(query.as_deref().unwrap_or_default(), &name)? {
        served_entry(&state, &method, &headers, &snapshot_id, |m| m.first_view.as_ref())?
    } else {
        served_table(&state, &method, &headers, &snapshot_id, &name)?
    };
    Ok(table_response(&served.table, &headers, served.cache_control))
}

/// Whether a table's query asks for the rows of `facts` the default view reads (`vista=inicio`, the only view
/// there is). Another view, or a view of another table, is not found.
fn first_view_asked(query: &str, table: &str) -> ApiResult<bool> {
    let Some(view) = query.split('&').find_map(|pair| pair.strip_prefix(shared::api::VIEW_QUERY)?.strip_prefix('='))
    else {
        return Ok(false);
    };
    if view == shared::api::FIRST_VIEW && table == shared::schema::FACTS {
        Ok(true)
    } else {
        Err(ApiError::new(StatusCode::NOT_FOUND, "La publicación no tiene esa vista", "The snapshot has no such view"))
    }
}

/// A table the caller may read, with how long its answers may be kept.
pub(crate) struct Served {
    /// The snapshot's id (`current` resolved).
    pub snapshot_id: String,
    pub table: Arc<Table>,
    pub cache_control: &'static str,
}

/// The one access rule for a snapshot's table, in whatever form it is served (the Arrow stream the app reads, the
/// downloads): the snapshot as [`visible`] lets the caller see it, the table's bytes once loaded and compressed.
pub(crate) fn served_table(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
    snapshot_id: &str,
    name: &str,
) -> ApiResult<Served> {
    served_entry(state, method, headers, snapshot_id, |m| m.tables.iter().find(|t| t.name == name))
}

/// [`served_table`] of the entry `pick` finds in the snapshot's manifest (a table, or its first view).
fn served_entry(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
    snapshot_id: &str,
    pick: impl FnOnce(&shared::manifest::Manifest) -> Option<&shared::manifest::TableEntry>,
) -> ApiResult<Served> {
    let id = resolve(state, snapshot_id)?;
    let SnapshotState { manifest, lifecycle } = visible(state, method, headers, &id)?;
    let entry = pick(&manifest).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "La publicación no tiene esa tabla", "The snapshot has no such table")
    })?;
    let (store, name) = (Arc::clone(&state.store), entry.name.as_str());
    let table = state
        .cache
        .get_or_insert(&entry.sha256, || store.table(&id, name).ok().flatten().map(|(_, bytes)| bytes))
        .ok_or_else(|| ApiError::from(StoreError::Corrupt(format!("{id}/{name}"))))?;
    Ok(Served { snapshot_id: id, table, cache_control: cache_control(lifecycle, snapshot_id) })
}

/// How long a snapshot's answers may be kept. Under a fixed id they never change; under `current` they change
/// when a new snapshot is published. A draft's are kept nowhere: it may be discarded, and only analysts may read it.
pub(crate) fn cache_control(lifecycle: Lifecycle, requested_id: &str) -> &'static str {
    if lifecycle == Lifecycle::Draft {
        NO_STORE
    } else if requested_id == shared::api::CURRENT {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    }
}

/// Whether `If-None-Match` names `etag` (quoted, as sent) or `*`.
pub(crate) fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// Whether `Accept-Encoding` allows `coding` (named, and not refused with `q=0`).
pub(crate) fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(',').any(|part| {
            let mut it = part.split(';');
            let name = it.next().unwrap_or_default().trim();
            let refused = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case(coding) && !refused
        })
    })
}

/// Serves a table's precompressed bytes, honouring `If-None-Match` and `Accept-Encoding`.
fn table_response(table: &Table, headers: &HeaderMap, cache: &'static str) -> Response {
    let etag = format!("\"{}\"", table.sha256);
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, v);
    }
    if etag_matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(shared::api::ARROW_STREAM_MIME));
    let accepts = |coding: &str| accepts_encoding(headers, coding);
    let body = if accepts("br") {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        table.brotli.clone()
    } else if accepts("gzip") {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        table.gzip.clone()
    } else {
        table.ipc.clone()
    };
    (StatusCode::OK, out, body).into_response()
}

/// How long an upload waits for its turn to be validated before the server answers 503.
const UPLOAD_QUEUE_WAIT: Duration = Duration::from_secs(30);

/// Validates uploaded files and stores them as a draft, with the full report. 201 when publishable, 422 with the
/// report when it has errors, 413/415 for bodies that are too large or not files.
async fn upload(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(ApiError::new(e.status(), format!("Envío no válido: {e}"), format!("Invalid upload: {e}")));
            }
        };
        let name = field.file_name().or(field.name()).unwrap_or("archivo").to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError::new(e.status(), format!("Envío no válido: {e}"), format!("Invalid upload: {e}")))?;
        files.push((name, bytes));
    }
    if files.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "No se recibió ningún archivo",
            "No file received",
        ));
    }
    // Reading and validating takes memory in proportion to the files: a few at a time, the others wait.
    let Ok(Ok(permit)) = tokio::time::timeout(UPLOAD_QUEUE_WAIT, Arc::clone(&state.uploads).acquire_owned()).await
    else {
        let mut res = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "El servidor está validando otros envíos; intente de nuevo en unos segundos",
            "The server is validating other uploads; try again in a few seconds",
        )
        .into_response();
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(10));
        return Ok(res);
    };
    let (limits, request_max) = (state.settings.limits, state.settings.max_request_decoded_bytes);
    let store = Arc::clone(&state.store);
    let cache = state.cache.clone();
    let actor = user.username.clone();
    let source = addr.0;
    // Parsing and validating is CPU work: keep it off the async workers.
    let outcome = tokio::task::spawn_blocking(move || -> Result<(String, shared::validate::Report), ApiError> {
        let _permit = permit;
        let files: Vec<(String, &[u8])> = files.iter().map(|(name, bytes)| (name.clone(), bytes.as_ref())).collect();
        // The public only ever gets the protected table: disclosure control runs as part of validation, against
        // the snapshot the public reads now.
        let previous = crate::snapshots::current_facts(&store)?;
        let (report, canonical) = validate_files_after(&read_files(&files, limits, request_max), previous.as_ref());
        let tables: Vec<(String, Vec<u8>, usize)> = match canonical {
            Some(tables) if !report.has_errors() => crate::snapshots::stored_tables(&tables)
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.clone(), e))?,
            _ => Vec::new(),
        };
        let draft_id = store.create_draft(&actor, &source, &tables, &report, false)?;
        // Compressed once, in the background while the analyst reads the report (the answer does not wait): the
        // preview and the published snapshot serve these bytes (the tables' sha256 is their cache key).
        if let Some((manifest, _)) = store.manifest(&draft_id)? {
            tokio::task::spawn_blocking(move || {
                for (name, ipc, _) in tables {
                    if let Some(entry) = manifest.tables.iter().chain(&manifest.first_view).find(|t| t.name == name) {
                        cache.get_or_insert(&entry.sha256, || Some(ipc));
                    }
                }
            });
        }
        Ok((draft_id, report))
    })
    .await
    .map_err(|_| {
        // A panic while validating is a bug on our side, but the cause is the input: say so, keep serving.
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No se pudo procesar el archivo: está dañado",
            "The file could not be processed: it is damaged",
        )
    })??;
    let (draft_id, report) = outcome;
    let status = if report.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CREATED };
    let body = Uploaded { draft_id, errors: report.errors(), warnings: report.warnings(), findings: report.findings };
    Ok((status, Json(body)).into_response())
}

async fn drafts(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    auth::require(&state.store, &method, &headers, Role::Analyst)?;
    Ok(no_cache(Json(state.store.drafts()?).into_response()))
}

async fn draft(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Response> {
    auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let findings = state.store.draft_report(&id)?.ok_or_else(ApiError::not_found)?;
    let (manifest, _) = state.store.manifest(&id)?.ok_or_else(ApiError::not_found)?;
    Ok(no_cache(Json(Draft { draft_id: id, tables: manifest.tables, findings }).into_response()))
}

async fn publish(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
    meta: Option<Json<PublishMeta>>,
) -> ApiResult<Response> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let meta = meta.map(|Json(m)| m).unwrap_or_default();
    let manifest = state.store.publish(&id, &user.username, &meta, &addr.0)?;
    Ok((StatusCode::OK, Json(manifest)).into_response())
}

async fn discard(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<StatusCode> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    state.store.discard(&id, &user.username, &addr.0)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn retract(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
    body: Option<Json<Retraction>>,
) -> ApiResult<StatusCode> {
    let user = auth::require(&state.store, &method, &headers, Role::Admin)?;
    let reason = body.map(|Json(b)| b.reason).filter(|r| !r.trim().is_empty()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Indique el motivo del retiro",
            "Give the reason for the retraction",
        )
    })?;
    state.store.retract(&id, &user.username, &reason, &addr.0)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn make_current(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<StatusCode> {
    let user = auth::require(&state.store, &method, &headers, Role::Admin)?;
    state.store.make_current(&id, &user.username, &addr.0)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn login(State(state): State<AppState>, addr: ClientAddr, Json(body): Json<Credentials>) -> ApiResult<Response> {
    // Before any password is hashed: a flood from one address costs a map lookup (one query when replicas share
    // the store, so that they count together), not argon2.
    let max = state.settings.login_attempts_per_minute;
    let refused = if state.store.is_shared() {
        let key = format!("login:{}", addr.0);
        state
            .store
            .rate_attempt(&key, i64::from(max), 60)?
            .map(|(secs, first)| (Duration::from_secs(u64::try_from(secs).unwrap_or(0)), first))
    } else {
        match state.login_limiter.attempt(&addr.0, Instant::now()) {
            Attempt::Refused { retry_after, first } => Some((retry_after, first)),
            Attempt::Allowed => None,
        }
    };
    if let Some((retry_after, first)) = refused {
        if first {
            let detail = format!("más de {max} intentos por minuto");
            let who: String = body.username.chars().take(64).collect();
            state.store.audit(&who, "login-rate-limited", &who, &detail, &addr.0)?;
        }
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Demasiados intentos de inicio de sesión desde esta dirección; espere un minuto",
            "Too many sign-in attempts from this address; wait a minute",
        )
        .into_response();
        let secs = retry_after.as_secs().max(1);
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return Ok(res);
    }
    let store = Arc::clone(&state.store);
    let source = addr.0.clone();
    // argon2 is deliberately slow: keep it off the async workers.
    let outcome = tokio::task::spawn_blocking(move || store.login(&body.username, &body.password, &source))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Error interno", "Internal error"))??;
    let user: User = match outcome {
        Ok(u) => u,
        Err(LoginError::Wrong) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "Usuario o contraseña incorrectos",
                "Wrong username or password",
            ));
        }
        Err(LoginError::Throttled { retry_after_secs }) => {
            let mut res = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Demasiados intentos fallidos para esta cuenta desde esta dirección; intente de nuevo en \
                     {retry_after_secs} segundos"
                ),
                format!(
                    "Too many failed attempts for this account from this address; try again in {retry_after_secs} s"
                ),
            )
            .into_response();
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs.max(1)));
            return Ok(res);
        }
        Err(LoginError::Disabled) => {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "La cuenta está desactivada", "The account is disabled"));
        }
    };
    let (token, csrf) = state.store.create_session(user.user_id)?;
    let cookie = format!("{}={token}; HttpOnly; SameSite=Strict; Path=/{}", auth::SESSION_COOKIE, secure(&state));
    let mut res = Json(Me { username: user.username, role: user.role, csrf_token: Some(csrf) }).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    let marker = format!("{}=1; SameSite=Strict; Path=/{}", auth::SIGNED_IN_COOKIE, secure(&state));
    if let Ok(v) = HeaderValue::from_str(&marker) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// The cookie attribute that keeps it off plain HTTP, when the server sits behind TLS.
fn secure(state: &AppState) -> &'static str {
    if state.settings.secure_cookies { "; Secure" } else { "" }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        state.store.end_session(token)?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let cookie = format!("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}", auth::SESSION_COOKIE, secure(&state));
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    let marker = format!("{}=; SameSite=Strict; Path=/; Max-Age=0{}", auth::SIGNED_IN_COOKIE, secure(&state));
    if let Ok(v) = HeaderValue::from_str(&marker) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// `GET /api/healthz`: the server answers (a load balancer's probe); touches neither the database nor the disk, so
/// it answers while uploads are being validated.
async fn healthz() -> Response {
    no_cache("ok".into_response())
}

/// `GET /api/readyz`: the store's database and blob store answer (a load balancer's readiness probe in front of
/// replicas sharing PostgreSQL and a bucket); 503 with the reason otherwise.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ready() {
        Ok(()) => no_cache("ok".into_response()),
        Err(e) => {
            tracing::error!(error = %e, "store not ready");
            no_cache((StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response())
        }
    }
}

async fn me(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    let user = auth::require(&state.store, &method, &headers, Role::Viewer)?;
    let csrf = auth::session_token(&headers).and_then(|t| state.store.session_user(t).ok().flatten()).map(|(_, c)| c);
    Ok(no_cache(Json(Me { username: user.username, role: user.role, csrf_token: csrf }).into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_behind_trusted_proxies_is_the_first_untrusted_hop_from_the_right() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        let forwarded = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-for", HeaderValue::from_str(value).expect("header"));
            headers
        };
        let chain = forwarded("6.6.6.6, 203.0.113.7, 10.0.0.3");
        assert_eq!(client_ip(ip("10.0.0.2"), &chain, &trusted), ip("203.0.113.7"), "what the client wrote is skipped");
        assert_eq!(
            client_ip(ip("198.51.100.1"), &chain, &trusted),
            ip("198.51.100.1"),
            "an untrusted peer is the client"
        );
        assert_eq!(client_ip(ip("10.0.0.2"), &HeaderMap::new(), &trusted), ip("10.0.0.2"), "no header: the proxy");
        assert_eq!(client_ip(ip("10.0.0.2"), &forwarded("nonsense, 10.0.0.3"), &trusted), ip("10.0.0.3"));
        assert_eq!(client_ip(ip("10.0.0.2"), &chain, &[]), ip("10.0.0.2"), "no trusted proxy: the peer");
    }

    #[test]
    fn the_login_limiter_counts_per_address_and_forgets_after_the_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.attempt("10.0.0.1", t0), Attempt::Allowed);
        }
        let later = t0 + Duration::from_secs(20);
        assert_eq!(
            limiter.attempt("10.0.0.1", later),
            Attempt::Refused { retry_after: Duration::from_secs(40), first: true }
        );
        assert!(matches!(limiter.attempt("10.0.0.1", later), Attempt::Refused { first: false, .. }));
        assert_eq!(limiter.attempt("10.0.0.2", later), Attempt::Allowed, "another address has its own count");
        assert_eq!(limiter.attempt("10.0.0.1", t0 + Duration::from_secs(60)), Attempt::Allowed, "a new window");
    }
}
