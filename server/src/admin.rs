//! The administration routes: snapshots with their state, users, API tokens and the audit log. Every mutation
//! is audited by the store with the caller and their address; the rules about who may do what are here.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shared::api::{Account, AuditQuery, NewPassword, NewUser, TokenRequest, UserChange, route};

use crate::auth::{self, MIN_PASSWORD_CHARS};
use crate::http::{ApiError, ApiResult, AppState, ClientAddr, no_cache};
use crate::store::{AuditFilter, Role, Store, StoreError, User};

/// The routes, mounted under `/api` by [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(route::ADMIN_SNAPSHOTS, get(snapshots))
        .route(route::USERS, get(users).post(add_user))
        .route(route::USER, post(update_user))
        .route(route::USER_PASSWORD, post(reset_password))
        .route(route::TOKENS, get(tokens).post(create_token))
        .route(route::TOKEN_REVOKE, post(revoke_token))
        .route(route::AUDIT, get(audit))
}

fn require(state: &AppState, method: &Method, headers: &HeaderMap, min: Role) -> ApiResult<User> {
    Ok(auth::require(&state.store, method, headers, min)?)
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    body.map(|Json(b)| b).map_err(|e| ApiError::bad_body(&e))
}

/// Runs slow store work (argon2) off the async workers.
async fn blocking<T: Send + 'static>(
    store: &Arc<Store>,
    work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> ApiResult<T> {
    let store = Arc::clone(store);
    Ok(tokio::task::spawn_blocking(move || work(&store))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Error interno", "Internal error"))??)
}

fn unprocessable(es: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, es, en)
}

// ---- snapshots ----

async fn snapshots(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    require(&state, &method, &headers, Role::Analyst)?;
    Ok(no_cache(Json(state.store.managed()?).into_response()))
}

// ---- users ----

/// An account as the administration sees it.
fn account(u: User) -> Account {
    Account { username: u.username, role: u.role, disabled: u.disabled }
}

fn check_username(username: &str) -> ApiResult<()> {
    if username.is_empty() || username.chars().any(char::is_whitespace) || username.chars().count() > 64 {
        return Err(unprocessable(
            "El nombre de usuario no puede estar vacío, tener espacios ni pasar de 64 caracteres",
            "The username cannot be empty, contain spaces or be longer than 64 characters",
        ));
    }
    Ok(())
}

fn check_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("La contraseña debe tener al menos {MIN_PASSWORD_CHARS} caracteres"),
            format!("The password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

async fn users(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    require(&state, &method, &headers, Role::Admin)?;
    let accounts: Vec<Account> = state.store.users()?.into_iter().map(account).collect();
    Ok(no_cache(Json(accounts).into_response()))
}

async fn add_user(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    new: Result<Json<NewUser>, JsonRejection>,
) -> ApiResult<Response> {
    let admin = require(&state, &method, &headers, Role::Admin)?;
    let new = body(new)?;
    check_username(&new.username)?;
    check_password(&new.password)?;
    let user = blocking(&state.store, move |store| {
        store.create_user(&new.username, &new.password, new.role, &admin.username, &addr.0)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(account(user))).into_response())
}

async fn update_user(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(username): UrlPath<String>,
    change: Result<Json<UserChange>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let admin = require(&state, &method, &headers, Role::Admin)?;
    let change = body(change)?;
    // The acting admin always remains one, so the last admin cannot lock everyone out.
    let demotes_self = change.role.is_some_and(|r| r != Role::Admin);
    if admin.username == username && (demotes_self || change.disabled == Some(true)) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "No puede quitarse el rol de administrador ni desactivar su propia cuenta",
            "You cannot remove your own administrator role or disable your own account",
        ));
    }
    state.store.update_user(&username, change.role, change.disabled, &admin.username, &addr.0)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset_password(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(username): UrlPath<String>,
    new: Result<Json<NewPassword>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let admin = require(&state, &method, &headers, Role::Admin)?;
    let new = body(new)?;
    check_password(&new.password)?;
    blocking(&state.store, move |store| store.reset_password(&username, &new.password, &admin.username, &addr.0))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- API tokens ----

async fn tokens(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    let user = require(&state, &method, &headers, Role::Analyst)?;
    let owner = (user.role < Role::Admin).then_some(user.username.as_str());
    Ok(no_cache(Json(state.store.tokens(owner)?).into_response()))
}

async fn create_token(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    request: Result<Json<TokenRequest>, JsonRejection>,
) -> ApiResult<Response> {
    let user = require(&state, &method, &headers, Role::Analyst)?;
    let request = body(request)?;
    let name = request.name.trim();
    if name.is_empty() {
        return Err(unprocessable("Dé un nombre al token", "Give the token a name"));
    }
    let owner = request.username.unwrap_or_else(|| user.username.clone());
    if owner != user.username && user.role < Role::Admin {
        return Err(auth::Denied::Forbidden.into());
    }
    let token = state.store.issue_token(&owner, name, &user.username, &addr.0)?;
    Ok((StatusCode::CREATED, Json(token)).into_response())
}

async fn revoke_token(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    addr: ClientAddr,
    UrlPath(token_id): UrlPath<String>,
) -> ApiResult<StatusCode> {
    let user = require(&state, &method, &headers, Role::Analyst)?;
    let token_id: i64 = token_id.parse().map_err(|_| ApiError::not_found())?;
    // Someone else's token is "not found" to an analyst: its existence is not theirs to learn.
    let owner = (user.role < Role::Admin).then_some(user.username.as_str());
    state.store.revoke_token_id(token_id, owner, &user.username, &addr.0)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- audit log ----

/// Entries listed when no `limit` is given, and the most ever listed.
const AUDIT_DEFAULT_LIMIT: usize = 1000;
const AUDIT_MAX_LIMIT: usize = 5000;

/// The audit log's filter from its query (an empty parameter is no filter).
fn audit_filter(query: AuditQuery) -> ApiResult<AuditFilter> {
    let given = |v: Option<String>| v.filter(|v| !v.is_empty());
    let day = |v: Option<String>| -> ApiResult<Option<String>> {
        match given(v) {
            Some(d) if !shared::validate::is_date(&d) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Fecha no válida: «{d}»; use AAAA-MM-DD"),
                format!("Invalid date: «{d}»; use YYYY-MM-DD"),
            )),
            d => Ok(d),
        }
    };
    let limit = match given(query.limit) {
        None => AUDIT_DEFAULT_LIMIT,
        Some(n) => n
            .parse::<usize>()
            .map_err(|_| unprocessable("El límite debe ser un número entero", "The limit must be a whole number"))?,
    };
    Ok(AuditFilter {
        actor: given(query.actor),
        action: given(query.action),
        since: day(query.since)?,
        until: day(query.until)?,
        limit: limit.min(AUDIT_MAX_LIMIT),
    })
}

async fn audit(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    require(&state, &method, &headers, Role::Admin)?;
    let query = query
        .map_err(|e| {
            let detail = e.body_text();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Consulta no válida: {detail}"),
                format!("Invalid query: {detail}"),
            )
        })?
        .0;
    let filter = audit_filter(query)?;
    Ok(no_cache(Json(state.store.audit_search(&filter)?).into_response()))
}
