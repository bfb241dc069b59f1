//! Open data out: every table of a snapshot the caller may read as a file to download (CSV, with an HXL row on
//! request; Parquet; the Arrow IPC file format), the snapshot's Frictionless Data Package, and the OpenAPI document
//! of the public read API. Access and caching are the table route's ([`crate::http::served_table`]).

use std::collections::HashMap;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use shared::api::{DownloadFormat, HXL_QUERY, route};

use crate::http::{
    ApiError, ApiResult, AppState, etag_matches, no_cache, resolve, served_table, snapshot_json, visible,
};

/// The OpenAPI 3.1 document of the public read API, kept as a file (`server/openapi.json`) so that it reads and
/// diffs as what clients see; `tests/tests/open_data.rs` checks it against the server's real answers.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// The routes, mounted under `/api` by [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(route::DOWNLOAD, get(download))
        .route(route::DATAPACKAGE, get(datapackage))
        .route(route::OPENAPI, get(openapi))
}

async fn download(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath((snapshot_id, file)): UrlPath<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let (name, format) = DownloadFormat::of_file(&file).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "Descarga desconocida: pida {tabla}.csv, .parquet o .arrow",
            "Unknown download: ask for {table}.csv, .parquet or .arrow",
        )
    })?;
    let hxl = format == DownloadFormat::Csv
        && query.get(HXL_QUERY).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "si" | "sí"));
    let served = served_table(&state, &method, &headers, &snapshot_id, name)?;
    let variant = if hxl { "-hxl" } else { "" };
    let etag = format!("\"{}-{}{variant}\"", served.table.sha256, format.ext());
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(served.cache_control));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, v);
    }
    if etag_matches(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, out).into_response());
    }
    let key = (served.table.sha256.clone(), format, hxl);
    let body = if let Some(body) = state.downloads.get(&key) {
        body
    } else {
        let (ipc, table) = (served.table.ipc.clone(), name.to_owned());
        // Converting a million rows is CPU work: keep it off the async workers.
        let made = tokio::task::spawn_blocking(move || make(&table, &ipc, format, hxl))
            .await
            .map_err(|_| internal(&"the download task failed"))?
            .map_err(|e| internal(&e))?;
        let made = bytes::Bytes::from(made);
        state.downloads.insert(key, made.clone());
        made
    };
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.mime()));
    let disposition = format!("attachment; filename=\"{}-{name}{variant}.{}\"", served.snapshot_id, format.ext());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        out.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok((StatusCode::OK, out, body).into_response())
}

/// A table's IPC stream as the file of `format`.
fn make(table: &str, ipc: &[u8], format: DownloadFormat, hxl: bool) -> Result<Vec<u8>, String> {
    let batch = shared::ipc::read_stream(ipc).map_err(|e| e.to_string())?;
    match format {
        DownloadFormat::Csv => shared::open_data::csv(table, &batch, hxl).map_err(|e| e.to_string()),
        DownloadFormat::Parquet => shared::open_data::parquet(&batch).map_err(|e| e.to_string()),
        DownloadFormat::Arrow => shared::open_data::arrow_file(&batch).map_err(|e| e.to_string()),
    }
}

/// A 500 whose detail is logged once and not sent.
fn internal(detail: &dyn std::fmt::Display) -> ApiError {
    tracing::error!(error = %detail, "download");
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Error interno", "Internal error")
}

async fn datapackage(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(snapshot_id): UrlPath<String>,
) -> ApiResult<Response> {
    let id = resolve(&state, &snapshot_id)?;
    let snapshot = visible(&state, &method, &headers, &id)?;
    let package = shared::open_data::data_package(&snapshot.manifest, &state.settings.licence);
    Ok(snapshot_json(&package, snapshot.lifecycle))
}

async fn openapi() -> Response {
    let mut res = no_cache(OPENAPI.into_response());
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_is_json_and_names_the_routes_of_this_module() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).expect("openapi.json is JSON");
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
        for route in [shared::api::route::DOWNLOAD, shared::api::route::DATAPACKAGE, shared::api::route::OPENAPI] {
            let path = format!("{}{route}", shared::api::API_PREFIX);
            assert!(doc["paths"].get(&path).is_some(), "{path} is documented");
        }
        // A slide's parts are the agenda's, every one of them.
        let parts = &doc["components"]["schemas"]["Slide"]["properties"]["part"]["enum"];
        let codes: Vec<&str> = shared::agenda::Part::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(parts, &serde_json::json!(codes));
    }
}
