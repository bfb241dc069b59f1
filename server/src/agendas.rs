//! Meeting agendas over HTTP: anyone who may read snapshots may list and present them; analysts and admins
//! create, edit and delete them (a team's shared agendas). Every problem with an agenda is listed at once.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use shared::agenda::{Agenda, AgendaInput, Part, Slide};
use shared::api::route;

use crate::auth;
use crate::http::{ApiError, ApiResult, AppState, ClientAddr, may_read, no_cache};
use crate::store::{Role, Store, StoreError};

/// The routes, mounted under `/api` by [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(route::AGENDAS, get(list).post(create))
        .route(route::AGENDA, get(one).put(replace).delete(remove))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
}

async fn list(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    may_read(&state, &method, &headers)?;
    Ok(no_cache(Json(state.store.agendas()?).into_response()))
}

async fn one(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Response> {
    may_read(&state, &method, &headers)?;
    let agenda = state.store.agenda(&id)?.ok_or_else(unknown)?;
    Ok(no_cache(Json(agenda).into_response()))
}

async fn create(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    body: Result<Json<AgendaInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Agenda>)> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let input = checked(body)?;
    Ok((StatusCode::CREATED, Json(state.store.save_agenda(None, &input, &user.username, &addr.0)?)))
}

async fn replace(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
    body: Result<Json<AgendaInput>, JsonRejection>,
) -> ApiResult<Json<Agenda>> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    let input = checked(body)?;
    match state.store.save_agenda(Some(&id), &input, &user.username, &addr.0) {
        Err(StoreError::NotFound) => Err(unknown()),
        other => Ok(Json(other?)),
    }
}

async fn remove(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<StatusCode> {
    let user = auth::require(&state.store, &method, &headers, Role::Analyst)?;
    match state.store.delete_agenda(&id, &user.username, &addr.0) {
        Err(StoreError::NotFound) => Err(unknown()),
        other => other.map(|()| StatusCode::NO_CONTENT).map_err(ApiError::from),
    }
}

fn unknown() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "No existe esa agenda", "No such agenda")
}

/// The body, with every problem `shared::agenda::check` finds listed in the 422's `report`.
fn checked(body: Result<Json<AgendaInput>, JsonRejection>) -> ApiResult<AgendaInput> {
    let Json(input) = body.map_err(|e| ApiError::bad_body(&e))?;
    let problems = shared::agenda::check(&input);
    if problems.is_empty() {
        return Ok(input);
    }
    let n = problems.len();
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("La agenda no se guardó: {n} problema(s)"),
        format!("The agenda was not saved: {n} problem(s)"),
    )
    .with_report(serde_json::to_value(&problems).unwrap_or_default()))
}

/// The demo's agenda, when there is none yet: what a board meeting would look at, in the order it decides: who the
/// services reach and where, the trend, the roadmap's progress and timeline, then what is late and who owns it
/// (milestones by institution), and the risks to act on.
pub fn seed_demo(store: &Store) -> Result<(), StoreError> {
    if !store.agendas()?.is_empty() {
        return Ok(());
    }
    let slide = |url: &str, part: Part| Slide { url: url.to_owned(), part, title: String::new() };
    let input = AgendaInput {
        name: "Consejo directivo — demostración (datos sintéticos)".to_owned(),
        slides: vec![
            slide("/", Part::Tiles),
            slide("/", Part::Map),
            slide("/?indicador=COB-02", Part::Monthly),
            slide("/hoja-de-ruta", Part::Progress),
            slide("/hoja-de-ruta", Part::Timeline),
            slide("/hoja-de-ruta?orden=institucion", Part::Milestones),
            slide("/hoja-de-ruta", Part::Risks),
        ],
        // The demo shows its agreements to donors, so that the frozen links show what that looks like.
        public_agreements: true,
    };
    store.save_agenda(None, &input, "demo", "").map(drop)
}
