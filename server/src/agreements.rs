//! Meeting agreements over HTTP: signed-in users of any role read them (they are the ministry's decisions, not
//! public data), except those an agenda shows with the frozen links of the snapshot they were taken on (without who
//! recorded them or why one was dropped); analysts and admins record them and change their status. Every problem
//! with one is listed at once.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shared::agreement::{Agreement, AgreementInput, Problem, Public, StatusChange};
use shared::api::{Lifecycle, route};

use crate::auth;
use crate::http::{ApiError, ApiResult, AppState, ClientAddr, no_cache};
use crate::store::{Role, StoreError};

/// The routes, mounted under `/api` by [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(route::AGREEMENTS, get(list).post(create))
        .route(route::AGREEMENT_STATUS, post(change))
        .route(route::SNAPSHOT_AGREEMENTS, get(public))
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
}

/// `?agenda=` keeps one agenda's agreements.
#[derive(serde::Deserialize)]
struct ListQuery {
    agenda: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    auth::require(&state.store, &method, &headers, Role::Viewer)?;
    Ok(no_cache(Json(state.store.agreements(q.agenda.as_deref())?).into_response()))
}

/// A published snapshot's agreements that its agendas show with frozen links: whoever may read the snapshot may
/// read them (`http::visible`: a draft is the analysts', a retracted snapshot says why).
async fn public(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(snapshot_id): UrlPath<String>,
) -> ApiResult<Response> {
    let id = crate::http::resolve(&state, &snapshot_id)?;
    crate::http::visible(&state, &method, &headers, &id)?;
    let list: Vec<Public> = state.store.public_agreements(&id)?.iter().map(Public::from).collect();
    Ok(no_cache(Json(list).into_response()))
}

async fn create(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    body: Result<Json<AgreementInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Agreement>)> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let Json(input) = body.map_err(|e| ApiError::bad_body(&e))?;
    let mut problems = shared::agreement::check(&input);
    if problems.iter().all(|p| p.field != "slide" && p.field != "snapshot_id") {
        if !state.store.agenda_exists(&input.agenda_id)? {
            problems.push(problem("agenda_id", "No existe esa agenda.", "No such agenda."));
        }
        if state.store.lifecycle(&input.snapshot_id)? != Some(Lifecycle::Published) {
            problems.push(problem(
                "snapshot_id",
                "Un acuerdo se toma sobre una publicación vigente o anterior, no sobre un borrador ni una retirada.",
                "An agreement is taken on a published snapshot, not a draft or a retracted one.",
            ));
        }
    }
    refuse(&problems, "El acuerdo no se guardó", "The agreement was not saved")?;
    Ok((StatusCode::CREATED, Json(state.store.add_agreement(&input, &user.username, &addr.0)?)))
}

async fn change(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
    body: Result<Json<StatusChange>, JsonRejection>,
) -> ApiResult<Json<Agreement>> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let Json(change) = body.map_err(|e| ApiError::bad_body(&e))?;
    refuse(&shared::agreement::check_change(&change), "El cambio no se guardó", "The change was not saved")?;
    match state.store.change_agreement(&id, &change, &user.username, &addr.0) {
        Err(StoreError::NotFound) => {
            Err(ApiError::new(StatusCode::NOT_FOUND, "No existe ese acuerdo", "No such agreement"))
        }
        other => Ok(Json(other?)),
    }
}

fn problem(field: &str, es: &str, en: &str) -> Problem {
    Problem { field: field.to_owned(), es: es.to_owned(), en: en.to_owned() }
}

/// A 422 listing every problem in its `report`, when there is any.
fn refuse(problems: &[Problem], es: &str, en: &str) -> ApiResult<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let n = problems.len();
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("{es}: {n} problema(s)"),
        format!("{en}: {n} problem(s)"),
    )
    .with_report(serde_json::to_value(problems).unwrap_or_default()))
}
