//! The analyst workspace's calls: the session, uploads (through `XMLHttpRequest`, for the progress of each file),
//! drafts, publishing and administration. Every mutation sends the session's CSRF token, held only in memory.
//! Routes and bodies are `shared::api`'s, the server's own.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::agenda::{Agenda, AgendaInput, Problem};
pub use shared::agreement::{Agreement, AgreementInput, Problem as AgreementProblem, Status, StatusChange};
use shared::api::{
    self, AuditQuery, CSRF_HEADER, Credentials, NewPassword, NewUser, Retraction, TokenRequest, UserChange, route,
};
pub use shared::api::{
    Account, AuditEntry, Draft, DraftSummary, Lifecycle, Managed, Me, NewToken, PublishMeta, Role, Template,
    TemplateKind, TokenInfo, Uploaded,
};
pub use shared::finding::Finding;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::FetchError;

/// The refusal of an answer that is not 2xx.
async fn refused(res: Response, url: &str) -> FetchError {
    let body = res.text().await.unwrap_or_default();
    FetchError::refused(res.status(), url, &body)
}

async fn json<T: DeserializeOwned>(url: &str, req: Result<Response, gloo_net::Error>) -> Result<T, FetchError> {
    let res = req.map_err(|e| FetchError::Network(e.to_string()))?;
    if !res.ok() {
        return Err(refused(res, url).await);
    }
    res.json::<T>().await.map_err(|e| FetchError::Answer(e.to_string()))
}

async fn done(url: &str, req: Result<Response, gloo_net::Error>) -> Result<(), FetchError> {
    let res = req.map_err(|e| FetchError::Network(e.to_string()))?;
    if res.ok() { Ok(()) } else { Err(refused(res, url).await) }
}

/// `GET` of a route, its JSON answer decoded.
async fn fetch<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    json(url, Request::get(url).send().await).await
}

fn post(url: &str, csrf: &str) -> RequestBuilder {
    Request::post(url).header(CSRF_HEADER, csrf)
}

/// Percent-encodes a path segment or query value.
pub fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}

/// Sends a JSON body; a body that cannot be serialised (never, for these types) is sent empty.
async fn send_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Response, gloo_net::Error> {
    builder.json(body)?.send().await
}

// ---- session ----

/// The signed-in user, or `None` when nobody is.
pub async fn me() -> Result<Option<Me>, FetchError> {
    match fetch::<Me>(&api::url(route::ME, &[])).await {
        Ok(me) => Ok(Some(me)),
        Err(f) if f.signed_out() => Ok(None),
        Err(f) => Err(f),
    }
}

pub async fn sign_in(username: &str, password: &str) -> Result<Me, FetchError> {
    let url = api::url(route::SESSION, &[]);
    let body = Credentials { username: username.to_owned(), password: password.to_owned() };
    json(&url, send_json(Request::post(&url), &body).await).await
}

pub async fn sign_out(csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::SESSION, &[]);
    done(&url, Request::delete(&url).header(CSRF_HEADER, csrf).send().await).await
}

// ---- uploads and drafts ----

pub async fn drafts() -> Result<Vec<DraftSummary>, FetchError> {
    fetch(&api::url(route::DRAFTS, &[])).await
}

pub async fn draft(id: &str) -> Result<Draft, FetchError> {
    fetch(&api::url(route::DRAFT, &[&encode(id)])).await
}

pub async fn publish(id: &str, meta: &PublishMeta, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::PUBLISH, &[&encode(id)]);
    done(&url, send_json(post(&url, csrf), meta).await).await
}

pub async fn discard(id: &str, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::DISCARD, &[&encode(id)]);
    done(&url, post(&url, csrf).send().await).await
}

/// Sends files in one request (one draft), reporting the bytes sent so far; `finished` gets the draft with its
/// report (also when the report has errors: the server answers 422 with the same body) or the refusal.
pub fn upload(
    files: &[web_sys::File],
    csrf: &str,
    progress: impl Fn(f64) + 'static,
    finished: impl FnOnce(Result<Uploaded, FetchError>) + 'static,
) {
    let url = api::url(route::UPLOADS, &[]);
    let Some((xhr, form)) = web_sys::XmlHttpRequest::new().ok().zip(web_sys::FormData::new().ok()) else {
        finished(Err(FetchError::Network("XMLHttpRequest".to_owned())));
        return;
    };
    for file in files {
        let _ = form.append_with_blob_and_filename("file", file, &file.name());
    }
    let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
        if ev.length_computable() {
            progress(ev.loaded());
        }
    });
    if let Ok(up) = xhr.upload() {
        up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let request = xhr.clone();
    let sent_to = url.clone();
    // `loadend` fires exactly once, after success, error or abort; the progress closure is freed with it.
    let on_end = Closure::once_into_js(move || {
        drop(on_progress);
        let status = request.status().unwrap_or(0);
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let outcome = if status == 0 {
            Err(FetchError::Network(String::new()))
        } else if let Ok(uploaded) = serde_json::from_str::<Uploaded>(&body) {
            Ok(uploaded)
        } else {
            Err(FetchError::refused(status, &sent_to, &body))
        };
        finished(outcome);
    });
    xhr.set_onloadend(Some(on_end.unchecked_ref()));
    let sent = xhr
        .open("POST", &url)
        .and_then(|()| xhr.set_request_header(CSRF_HEADER, csrf))
        .and_then(|()| xhr.send_with_opt_form_data(Some(&form)));
    if sent.is_err() {
        let _ = xhr.abort();
    }
}

// ---- templates ----

pub async fn templates() -> Result<Vec<Template>, FetchError> {
    fetch(&api::url(route::TEMPLATES, &[])).await
}

pub fn template_url(file: &str) -> String {
    api::url(route::TEMPLATE, &[&encode(file)])
}

// ---- snapshots ----

/// Published and retracted snapshots, for the administration page.
pub async fn managed_snapshots() -> Result<Vec<Managed>, FetchError> {
    fetch(&api::url(route::ADMIN_SNAPSHOTS, &[])).await
}

pub async fn retract(id: &str, reason: &str, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::RETRACT, &[&encode(id)]);
    done(&url, send_json(post(&url, csrf), &Retraction { reason: reason.to_owned() }).await).await
}

pub async fn make_current(id: &str, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::MAKE_CURRENT, &[&encode(id)]);
    done(&url, post(&url, csrf).send().await).await
}

// ---- audit, users, tokens ----

/// The audit log, filtered by the server (empty strings are no filter).
pub async fn audit(actor: &str, action: &str, since: &str, until: &str) -> Result<Vec<AuditEntry>, FetchError> {
    let given = |v: &str| Some(v.to_owned());
    let query = AuditQuery {
        actor: given(actor),
        action: given(action),
        since: given(since),
        until: given(until),
        limit: None,
    };
    fetch(&format!("{}{}", api::url(route::AUDIT, &[]), query.to_query(encode))).await
}

pub async fn users() -> Result<Vec<Account>, FetchError> {
    fetch(&api::url(route::USERS, &[])).await
}

pub async fn add_user(username: &str, password: &str, role: Role, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::USERS, &[]);
    let body = NewUser { username: username.to_owned(), password: password.to_owned(), role };
    done(&url, send_json(post(&url, csrf), &body).await).await
}

/// Changes a user's role or turns the account off or on.
pub async fn update_user(
    username: &str,
    role: Option<Role>,
    disabled: Option<bool>,
    csrf: &str,
) -> Result<(), FetchError> {
    let url = api::url(route::USER, &[&encode(username)]);
    done(&url, send_json(post(&url, csrf), &UserChange { role, disabled }).await).await
}

pub async fn reset_password(username: &str, password: &str, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::USER_PASSWORD, &[&encode(username)]);
    done(&url, send_json(post(&url, csrf), &NewPassword { password: password.to_owned() }).await).await
}

pub async fn tokens() -> Result<Vec<TokenInfo>, FetchError> {
    fetch(&api::url(route::TOKENS, &[])).await
}

pub async fn create_token(name: &str, username: Option<&str>, csrf: &str) -> Result<NewToken, FetchError> {
    let url = api::url(route::TOKENS, &[]);
    let body = TokenRequest { name: name.to_owned(), username: username.map(str::to_owned) };
    json(&url, send_json(post(&url, csrf), &body).await).await
}

pub async fn revoke_token(token_id: i64, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::TOKEN_REVOKE, &[&token_id.to_string()]);
    done(&url, post(&url, csrf).send().await).await
}

// ---- meeting agendas ----

/// Every saved agenda, newest first.
pub async fn agendas() -> Result<Vec<Agenda>, FetchError> {
    fetch(&api::url(route::AGENDAS, &[])).await
}

pub async fn agenda(id: &str) -> Result<Agenda, FetchError> {
    fetch(&api::url(route::AGENDA, &[&encode(id)])).await
}

/// Why an agenda or an agreement was not saved: the server's message, and every problem it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused<P = Problem> {
    pub failure: FetchError,
    pub problems: Vec<P>,
}

/// The answer of a checked write: its JSON when 2xx, else the refusal with the 422's `report` of problems.
async fn checked<T: DeserializeOwned, P: DeserializeOwned>(
    url: &str,
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, Refused<P>> {
    let res = sent.map_err(|e| Refused { failure: FetchError::Network(e.to_string()), problems: Vec::new() })?;
    if res.ok() {
        return json(url, Ok(res)).await.map_err(|failure| Refused { failure, problems: Vec::new() });
    }
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    let problems =
        serde_json::from_str::<api::ErrorBody<Vec<P>>>(&body).ok().and_then(|b| b.report).unwrap_or_default();
    Err(Refused { failure: FetchError::refused(status, url, &body), problems })
}

/// Creates (`id` = `None`) or replaces an agenda.
pub async fn save_agenda(id: Option<&str>, input: &AgendaInput, csrf: &str) -> Result<Agenda, Refused> {
    let url = match id {
        Some(id) => api::url(route::AGENDA, &[&encode(id)]),
        None => api::url(route::AGENDAS, &[]),
    };
    let builder = match id {
        Some(_) => Request::put(&url).header(CSRF_HEADER, csrf),
        None => post(&url, csrf),
    };
    checked(&url, send_json(builder, input).await).await
}

// ---- meeting agreements ----

/// The agreements (an agenda's, or all), oldest first.
pub async fn agreements(agenda: Option<&str>) -> Result<Vec<Agreement>, FetchError> {
    let query = agenda.map(|a| format!("?agenda={}", encode(a))).unwrap_or_default();
    fetch(&format!("{}{query}", api::url(route::AGREEMENTS, &[]))).await
}

/// Records an agreement.
pub async fn record_agreement(input: &AgreementInput, csrf: &str) -> Result<Agreement, Refused<AgreementProblem>> {
    let url = api::url(route::AGREEMENTS, &[]);
    checked(&url, send_json(post(&url, csrf), input).await).await
}

/// Marks an agreement done, dropped (with a reason) or pending again.
pub async fn change_agreement(
    id: &str,
    change: &StatusChange,
    csrf: &str,
) -> Result<Agreement, Refused<AgreementProblem>> {
    let url = api::url(route::AGREEMENT_STATUS, &[&encode(id)]);
    checked(&url, send_json(post(&url, csrf), change).await).await
}

pub async fn delete_agenda(id: &str, csrf: &str) -> Result<(), FetchError> {
    let url = api::url(route::AGENDA, &[&encode(id)]);
    done(&url, Request::delete(&url).header(CSRF_HEADER, csrf).send().await).await
}
