//! The analyst workspace's calls: the session, uploads (through `XMLHttpRequest`, for the progress of each file),
//! drafts, publishing and administration. Every mutation sends the session's CSRF token, held only in memory.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shared::Lang;
use shared::agenda::{Agenda, AgendaInput, Problem};
use shared::api::API_PREFIX;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::i18n::t;

/// Roles, from least to most powerful (the server's `viewer < analyst < admin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Analyst,
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Viewer, Self::Analyst, Self::Admin];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Viewer => t(lang, "lector", "viewer"),
            Self::Analyst => t(lang, "analista", "analyst"),
            Self::Admin => t(lang, "administrador", "administrator"),
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The signed-in user, as `/api/me` and `/api/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub csrf_token: Option<String>,
}

impl Me {
    pub fn csrf(&self) -> &str {
        self.csrf_token.as_deref().unwrap_or_default()
    }
}

/// A refusal or failure in the server's words (Spanish and English); status 0 when the server was not reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub es: String,
    pub en: String,
}

impl Failure {
    fn network() -> Self {
        Self {
            status: 0,
            es: "No se pudo conectar con el servidor.".to_owned(),
            en: "Could not reach the server.".to_owned(),
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Es => self.es.clone(),
            Lang::En => self.en.clone(),
        }
    }

    /// The session is gone (expired, signed out elsewhere): sign in again.
    pub const fn signed_out(&self) -> bool {
        self.status == 401
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message_es: String,
    #[serde(default)]
    message_en: String,
}

async fn failure(res: Response) -> Failure {
    let status = res.status();
    match res.json::<ErrorBody>().await {
        Ok(b) if !b.message_es.is_empty() => Failure { status, es: b.message_es, en: b.message_en },
        _ => Failure {
            status,
            es: format!("El servidor respondió con el código {status}."),
            en: format!("The server answered with status {status}."),
        },
    }
}

async fn json<T: DeserializeOwned>(req: Result<Response, gloo_net::Error>) -> Result<T, Failure> {
    let res = req.map_err(|_| Failure::network())?;
    if !res.ok() {
        return Err(failure(res).await);
    }
    res.json::<T>().await.map_err(|e| Failure {
        status: 0,
        es: format!("Respuesta no válida del servidor: {e}"),
        en: format!("Invalid answer from the server: {e}"),
    })
}

async fn done(req: Result<Response, gloo_net::Error>) -> Result<(), Failure> {
    let res = req.map_err(|_| Failure::network())?;
    if res.ok() { Ok(()) } else { Err(failure(res).await) }
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

fn post(path: &str, csrf: &str) -> RequestBuilder {
    Request::post(&url(path)).header("X-CSRF-Token", csrf)
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
pub async fn me() -> Result<Option<Me>, Failure> {
    match json::<Me>(Request::get(&url("/me")).send().await).await {
        Ok(me) => Ok(Some(me)),
        Err(f) if f.status == 401 => Ok(None),
        Err(f) => Err(f),
    }
}

pub async fn sign_in(username: &str, password: &str) -> Result<Me, Failure> {
    #[derive(Serialize)]
    struct Body<'a> {
        username: &'a str,
        password: &'a str,
    }
    json(send_json(Request::post(&url("/session")), &Body { username, password }).await).await
}

pub async fn sign_out(csrf: &str) -> Result<(), Failure> {
    done(Request::delete(&url("/session")).header("X-CSRF-Token", csrf).send().await).await
}

// ---- uploads and drafts ----

pub use shared::finding::Finding;

/// A table of a snapshot or draft: name and rows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TableRows {
    pub name: String,
    pub rows: usize,
}

/// A draft: its tables and its validation report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Draft {
    pub draft_id: String,
    #[serde(default)]
    pub tables: Vec<TableRows>,
    pub findings: Vec<Finding>,
}

impl Draft {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// A draft as listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DraftSummary {
    pub draft_id: String,
    pub created_at: String,
    pub created_by: String,
    pub errors: usize,
    pub warnings: usize,
    pub tables: Vec<TableRows>,
}

pub async fn drafts() -> Result<Vec<DraftSummary>, Failure> {
    json(Request::get(&url("/drafts")).send().await).await
}

pub async fn draft(id: &str) -> Result<Draft, Failure> {
    json(Request::get(&url(&format!("/drafts/{}", encode(id)))).send().await).await
}

/// What publishing says about the snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PublishMeta {
    pub title_es: String,
    pub title_en: String,
    pub as_of: String,
    pub notes: String,
}

pub async fn publish(id: &str, meta: &PublishMeta, csrf: &str) -> Result<(), Failure> {
    done(send_json(post(&format!("/drafts/{}/publish", encode(id)), csrf), meta).await).await
}

pub async fn discard(id: &str, csrf: &str) -> Result<(), Failure> {
    done(post(&format!("/drafts/{}/discard", encode(id)), csrf).send().await).await
}

/// Sends files in one request (one draft), reporting the bytes sent so far; `finished` gets the draft with its
/// report (also when the report has errors: the server answers 422 with the same body) or the refusal.
pub fn upload(
    files: &[web_sys::File],
    csrf: &str,
    progress: impl Fn(f64) + 'static,
    finished: impl FnOnce(Result<Draft, Failure>) + 'static,
) {
    let Some((xhr, form)) = web_sys::XmlHttpRequest::new().ok().zip(web_sys::FormData::new().ok()) else {
        finished(Err(Failure::network()));
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
    // `loadend` fires exactly once, after success, error or abort; the progress closure is freed with it.
    let on_end = Closure::once_into_js(move || {
        drop(on_progress);
        let status = request.status().unwrap_or(0);
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let outcome = if status == 0 {
            Err(Failure::network())
        } else if let Ok(draft) = serde_json::from_str::<Draft>(&body) {
            Ok(draft)
        } else {
            let b = serde_json::from_str::<ErrorBody>(&body).ok().filter(|b| !b.message_es.is_empty());
            Err(b.map_or_else(
                || Failure {
                    status,
                    es: format!("El servidor respondió con el código {status}."),
                    en: format!("The server answered with status {status}."),
                },
                |b| Failure { status, es: b.message_es, en: b.message_en },
            ))
        };
        finished(outcome);
    });
    xhr.set_onloadend(Some(on_end.unchecked_ref()));
    let sent = xhr
        .open("POST", &url("/uploads"))
        .and_then(|()| xhr.set_request_header("X-CSRF-Token", csrf))
        .and_then(|()| xhr.send_with_opt_form_data(Some(&form)));
    if sent.is_err() {
        let _ = xhr.abort();
    }
}

// ---- templates ----

/// A downloadable template: a table of the data contract or a code list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Template {
    pub file: String,
    pub kind: String,
    pub name: String,
    pub title_es: String,
    pub title_en: String,
}

pub async fn templates() -> Result<Vec<Template>, Failure> {
    json(Request::get(&url("/templates")).send().await).await
}

pub fn template_url(file: &str) -> String {
    url(&format!("/templates/{}", encode(file)))
}

// ---- snapshots ----

/// A published or retracted snapshot, for the administration page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Managed {
    pub snapshot_id: String,
    pub title_es: String,
    pub title_en: String,
    pub as_of: String,
    pub published_at: String,
    #[serde(default)]
    pub publisher: String,
    pub lifecycle: String,
    pub current: bool,
    pub version: i64,
    pub retract_reason: Option<String>,
    #[serde(default)]
    pub tables: Vec<TableRows>,
}

impl Managed {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
        }
    }
}

pub async fn managed_snapshots() -> Result<Vec<Managed>, Failure> {
    json(Request::get(&url("/admin/snapshots")).send().await).await
}

pub async fn retract(id: &str, reason: &str, csrf: &str) -> Result<(), Failure> {
    #[derive(Serialize)]
    struct Body<'a> {
        reason: &'a str,
    }
    done(send_json(post(&format!("/snapshots/{}/retract", encode(id)), csrf), &Body { reason }).await).await
}

pub async fn make_current(id: &str, csrf: &str) -> Result<(), Failure> {
    done(post(&format!("/snapshots/{}/make-current", encode(id)), csrf).send().await).await
}

// ---- audit, users, tokens ----

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub from: String,
}

/// The audit log, filtered by the server (empty strings are no filter).
pub async fn audit(actor: &str, action: &str, since: &str, until: &str) -> Result<Vec<AuditEntry>, Failure> {
    let query: Vec<String> = [("actor", actor), ("action", action), ("since", since), ("until", until)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let q = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    json(Request::get(&url(&format!("/audit{q}"))).send().await).await
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

pub async fn users() -> Result<Vec<Account>, Failure> {
    json(Request::get(&url("/users")).send().await).await
}

pub async fn add_user(username: &str, password: &str, role: Role, csrf: &str) -> Result<(), Failure> {
    #[derive(Serialize)]
    struct Body<'a> {
        username: &'a str,
        password: &'a str,
        role: Role,
    }
    done(send_json(post("/users", csrf), &Body { username, password, role }).await).await
}

/// Changes a user's role or turns the account off or on.
pub async fn update_user(
    username: &str,
    role: Option<Role>,
    disabled: Option<bool>,
    csrf: &str,
) -> Result<(), Failure> {
    #[derive(Serialize)]
    struct Body {
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
        #[serde(skip_serializing_if = "Option::is_none")]
        disabled: Option<bool>,
    }
    done(send_json(post(&format!("/users/{}", encode(username)), csrf), &Body { role, disabled }).await).await
}

pub async fn reset_password(username: &str, password: &str, csrf: &str) -> Result<(), Failure> {
    #[derive(Serialize)]
    struct Body<'a> {
        password: &'a str,
    }
    done(send_json(post(&format!("/users/{}/password", encode(username)), csrf), &Body { password }).await).await
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenInfo {
    pub token_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: String,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreatedToken {
    pub token_id: i64,
    pub token: String,
    pub name: String,
    pub username: String,
}

pub async fn tokens() -> Result<Vec<TokenInfo>, Failure> {
    json(Request::get(&url("/tokens")).send().await).await
}

pub async fn create_token(name: &str, username: Option<&str>, csrf: &str) -> Result<CreatedToken, Failure> {
    #[derive(Serialize)]
    struct Body<'a> {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        username: Option<&'a str>,
    }
    json(send_json(post("/tokens", csrf), &Body { name, username }).await).await
}

pub async fn revoke_token(token_id: i64, csrf: &str) -> Result<(), Failure> {
    done(post(&format!("/tokens/{token_id}/revoke"), csrf).send().await).await
}

// ---- meeting agendas ----

/// Every saved agenda, newest first.
pub async fn agendas() -> Result<Vec<Agenda>, Failure> {
    json(Request::get(&url("/agendas")).send().await).await
}

pub async fn agenda(id: &str) -> Result<Agenda, Failure> {
    json(Request::get(&url(&format!("/agendas/{}", encode(id)))).send().await).await
}

/// Why an agenda was not saved: the server's message, and every problem it found (by slide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub failure: Failure,
    pub problems: Vec<Problem>,
}

/// Creates (`id` = `None`) or replaces an agenda.
pub async fn save_agenda(id: Option<&str>, input: &AgendaInput, csrf: &str) -> Result<Agenda, Refused> {
    let builder = match id {
        Some(id) => Request::put(&url(&format!("/agendas/{}", encode(id)))).header("X-CSRF-Token", csrf),
        None => post("/agendas", csrf),
    };
    let res =
        send_json(builder, input).await.map_err(|_| Refused { failure: Failure::network(), problems: Vec::new() })?;
    if res.ok() {
        return json(Ok(res)).await.map_err(|failure| Refused { failure, problems: Vec::new() });
    }
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    let problems = serde_json::from_value(body.get("report").cloned().unwrap_or_default()).unwrap_or_default();
    let said = |key: &str| {
        body.get(key).or_else(|| body.get("error").and_then(|e| e.get(key))).and_then(|v| v.as_str()).map(str::to_owned)
    };
    let failure = match (said("message_es"), said("message_en")) {
        (Some(es), Some(en)) => Failure { status, es, en },
        _ => Failure {
            status,
            es: format!("El servidor respondió con el código {status}."),
            en: format!("The server answered with status {status}."),
        },
    };
    Err(Refused { failure, problems })
}

pub async fn delete_agenda(id: &str, csrf: &str) -> Result<(), Failure> {
    done(Request::delete(&url(&format!("/agendas/{}", encode(id)))).header("X-CSRF-Token", csrf).send().await).await
}
