//! The HTTP surface: API routes, JSON errors, security headers. Status codes appear here and nowhere else.

use std::path::Path;
use std::sync::Arc;

pub use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::snapshots::{Snapshots, Table};

#[derive(Debug, Clone)]
pub struct AppState {
    snapshots: Arc<Snapshots>,
}

impl AppState {
    pub fn new(snapshots: Snapshots) -> Result<Self, std::io::Error> {
        Ok(Self { snapshots: Arc::new(snapshots) })
    }
}

/// An API error: a status and a message in Spanish and English.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    es: String,
    en: String,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message_es: &'a str,
    message_en: &'a str,
}

impl ApiError {
    fn not_found(es: impl Into<String>, en: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, es: es.into(), en: en.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.status.canonical_reason().unwrap_or("error");
        let body = ErrorBody { error: code, message_es: &self.es, message_en: &self.en };
        (self.status, axum::Json(body)).into_response()
    }
}

/// Builds the whole application: API under `/api`, the built app for everything else.
pub fn router(state: AppState, dist: &Path) -> Result<Router, std::io::Error> {
    let api = Router::new()
        .route("/snapshots/{snapshot_id}", get(manifest))
        .route("/snapshots/{snapshot_id}/tables/{table}", get(table))
        .fallback(|| async { ApiError::not_found("Ruta de la API desconocida", "Unknown API route") })
        .with_state(state);
    let static_files = crate::static_files::StaticFiles::new(dist)?;
    let csp = static_files.content_security_policy();
    Ok(Router::new().nest(shared::api::API_PREFIX, api).fallback_service(static_files.service()).layer(
        axum::middleware::map_response(move |mut res: Response| {
            let csp = csp.clone();
            async move {
                let h = res.headers_mut();
                h.insert(header::CONTENT_SECURITY_POLICY, csp);
                h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
                h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                res
            }
        }),
    ))
}

async fn manifest(State(state): State<AppState>, UrlPath(snapshot_id): UrlPath<String>) -> Response {
    match state.snapshots.get(&snapshot_id) {
        Some(s) => {
            let mut res = axum::Json(&s.manifest).into_response();
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => ApiError::not_found("No existe esa publicación", "No such snapshot").into_response(),
    }
}

async fn table(
    State(state): State<AppState>,
    UrlPath((snapshot_id, name)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(snapshot) = state.snapshots.get(&snapshot_id) else {
        return ApiError::not_found("No existe esa publicación", "No such snapshot").into_response();
    };
    let Some(table) = snapshot.table(&name) else {
        return ApiError::not_found("La publicación no tiene esa tabla", "The snapshot has no such table")
            .into_response();
    };
    // A table under a fixed id never changes; under `current` it changes when a new snapshot is published.
    let immutable = snapshot_id != shared::api::CURRENT;
    table_response(table, &headers, immutable)
}

/// Serves a table's precompressed bytes, honouring `If-None-Match` and `Accept-Encoding`.
fn table_response(table: &Table, headers: &HeaderMap, immutable: bool) -> Response {
    let etag = format!("\"{}\"", table.sha256);
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, v);
    }
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(shared::api::ARROW_STREAM_MIME));
    let accepts = |coding: &str| {
        headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.split(',').any(|part| {
                let mut it = part.split(';');
                let name = it.next().unwrap_or_default().trim();
                let refused = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                name.eq_ignore_ascii_case(coding) && !refused
            })
        })
    };
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

/// Serves the application on a bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}
