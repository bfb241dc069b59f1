//! The only module that talks to the server (gloo-net). Bytes become typed `shared` values here; the analyst
//! workspace's calls are in [`workspace`].

pub mod workspace;

use std::sync::Arc;

use gloo_net::http::Request;
pub use shared::api::Listed;
use shared::api::{Lifecycle, SnapshotState};
use shared::codebook::CodeBook;
use shared::facts::Facts;
use shared::manifest::Manifest;
use shared::roadmap::Roadmap;
use shared::targets::Targets;

/// Why a request failed, for every call to the server. `Clone` so resources can hold it; shown through one error
/// view or beside the form that sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server could not be reached.
    Network(String),
    /// The server answered with an error status, and its message (Spanish, English) when it gave one.
    Status { status: u16, url: String, said: Option<(String, String)> },
    /// The bytes were not a valid table.
    Decode(String),
    /// An answer of the API was not the JSON it should be.
    Answer(String),
}

impl FetchError {
    pub fn message(&self, lang: shared::Lang) -> String {
        match (self, lang) {
            (Self::Network(_), shared::Lang::Es) => "No se pudo conectar con el servidor.".to_owned(),
            (Self::Network(_), shared::Lang::En) => "Could not reach the server.".to_owned(),
            (Self::Status { said: Some((es, _)), .. }, shared::Lang::Es) => es.clone(),
            (Self::Status { said: Some((_, en)), .. }, shared::Lang::En) => en.clone(),
            (Self::Status { status, .. }, shared::Lang::Es) => format!("El servidor respondió con el código {status}."),
            (Self::Status { status, .. }, shared::Lang::En) => format!("The server answered with status {status}."),
            (Self::Decode(d), shared::Lang::Es) => format!("Los datos recibidos no son válidos: {d}"),
            (Self::Decode(d), shared::Lang::En) => format!("The data received is not valid: {d}"),
            (Self::Answer(d), shared::Lang::Es) => format!("Respuesta no válida del servidor: {d}"),
            (Self::Answer(d), shared::Lang::En) => format!("Invalid answer from the server: {d}"),
        }
    }

    /// An error status; the server's words when `body` is its error body ([`shared::api::ErrorBody`]).
    pub fn refused(status: u16, url: &str, body: &str) -> Self {
        let said = serde_json::from_str::<shared::api::ErrorBody>(body)
            .ok()
            .filter(|b| !b.message_es.is_empty())
            .map(|b| (b.message_es, b.message_en));
        Self::Status { status, url: url.to_owned(), said }
    }

    /// The status the server answered with, if it answered.
    pub const fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The session is gone (expired, signed out elsewhere): sign in again.
    pub const fn signed_out(&self) -> bool {
        matches!(self, Self::Status { status: 401, .. })
    }
}

/// Set when an answer came from the service worker's copy because the network was gone.
static OFFLINE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the data shown came from the offline copy (the banner then says "Sin conexión — datos al …").
pub fn offline() -> bool {
    OFFLINE.load(std::sync::atomic::Ordering::Relaxed)
}

async fn get(url: &str) -> Result<gloo_net::http::Response, FetchError> {
    let res = Request::get(url).send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    if res.headers().get("x-rumbo-offline").is_some() {
        OFFLINE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    if res.ok() {
        return Ok(res);
    }
    let body = res.text().await.unwrap_or_default();
    Err(FetchError::refused(res.status(), url, &body))
}

impl FetchError {
    /// The snapshot was retracted (410): its links say so and why.
    pub const fn is_gone(&self) -> bool {
        matches!(self, Self::Status { status: 410, .. })
    }
}

/// The manifest of a snapshot (`current` for the current one), and whether it is a draft (analysts preview
/// drafts under their id; the server says which in `lifecycle`).
pub async fn manifest(snapshot_id: &str) -> Result<(Manifest, bool), FetchError> {
    let url = shared::api::url(shared::api::route::SNAPSHOT, &[&workspace::encode(snapshot_id)]);
    let text = get(&url).await?.text().await.map_err(|e| FetchError::Network(e.to_string()))?;
    let answer = serde_json::from_str::<SnapshotState>(&text).map_err(|e| FetchError::Decode(e.to_string()))?;
    Ok((answer.manifest, answer.lifecycle == Lifecycle::Draft))
}

/// Published snapshots, newest first.
pub async fn snapshots() -> Result<Vec<Listed>, FetchError> {
    let url = shared::api::url(shared::api::route::SNAPSHOTS, &[]);
    get(&url).await?.json::<Vec<Listed>>().await.map_err(|e| FetchError::Decode(e.to_string()))
}

/// The sites this server lets frame a published view (none: embedding is off).
pub async fn embed_origins() -> Result<shared::api::EmbedOrigins, FetchError> {
    let url = shared::api::url(shared::api::route::EMBEDS, &[]);
    get(&url).await?.json().await.map_err(|e| FetchError::Decode(e.to_string()))
}

/// The agreements taken on a snapshot that their agendas show with its frozen links.
pub async fn shared_agreements(snapshot_id: &str) -> Result<Vec<shared::agreement::Public>, FetchError> {
    let url = shared::api::url(shared::api::route::SNAPSHOT_AGREEMENTS, &[&workspace::encode(snapshot_id)]);
    get(&url).await?.json().await.map_err(|e| FetchError::Decode(e.to_string()))
}

async fn table(snapshot_id: &str, name: &str) -> Result<Vec<u8>, FetchError> {
    bytes(&shared::api::table_path(snapshot_id, name)).await
}

async fn bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    get(url).await?.binary().await.map_err(|e| FetchError::Network(e.to_string()))
}

/// A department's municipalities, fetched when the map drills into it (an immutable file, which the browser keeps).
pub async fn municipalities(department_iso: &str) -> Result<shared::geo::Regions, FetchError> {
    let bytes = bytes(&shared::geo::municipal_url(department_iso)).await?;
    shared::geo::decode(&bytes).map_err(|e| FetchError::Decode(e.to_string()))
}

/// Arrow IPC bytes into a validated facts table (its columns are slices of `bytes`, not copies).
pub fn decode_facts(bytes: Vec<u8>) -> Result<Facts, FetchError> {
    let batch = shared::ipc::decode_stream(bytes).map_err(|e| FetchError::Decode(e.to_string()))?;
    Facts::try_from(batch).map_err(|e| FetchError::Decode(e.to_string()))
}

/// The snapshot's code book: its own code-list tables, fetched together, over the built-in lists.
pub async fn book(manifest: &Manifest) -> Result<Arc<CodeBook>, FetchError> {
    let id = &manifest.snapshot_id;
    let fetches = shared::codebook::LIST_TABLES.map(|name| async move {
        if !manifest.tables.iter().any(|t| t.name == name) {
            return Ok(None);
        }
        let bytes = table(id, name).await?;
        shared::ipc::read_stream(&bytes).map(|b| Some((name, b))).map_err(|e| FetchError::Decode(e.to_string()))
    });
    let [a, b, c, d] = fetches;
    let lists = futures::try_join!(a, b, c, d)?;
    let lists = [lists.0, lists.1, lists.2, lists.3];
    let book = CodeBook::from_tables(lists.iter().flatten().map(|(name, batch)| (*name, batch)))
        .map_err(FetchError::Decode)?;
    Ok(Arc::new(book))
}

/// A loaded snapshot: its manifest, its facts and its targets (when it has them), and its code book.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    pub facts: Facts,
    pub targets: Option<Targets>,
    pub book: Arc<CodeBook>,
    /// A draft being previewed, not a published snapshot.
    pub draft: bool,
    /// Milliseconds spent decoding the facts (shown to the browser benchmark).
    pub decode_ms: f64,
    /// Whether `facts` is the whole table; otherwise it is the rows the snapshot's default view reads
    /// ([`shared::manifest::Manifest::first_view`]), and the page fetches the whole table next ([`whole_facts`]).
    pub whole: bool,
}

/// Milliseconds since the page started (the browser's monotonic clock).
/// The ISO date `days` from today in Tegucigalpa (UTC−6, no daylight saving): today for 0.
pub fn iso_day(days: i32) -> String {
    let ms = js_sys::Date::now() + (f64::from(days) * 24.0 - 6.0) * 3_600_000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    date.to_iso_string().as_string().unwrap_or_default().get(..10).unwrap_or_default().to_owned()
}

pub fn now_ms() -> f64 {
    leptos::prelude::window().performance().map_or(0.0, |p| p.now())
}

/// Loads a snapshot (`current` for the current one): the manifest first, then its tables under the snapshot's
/// fixed id, which the server lets the browser cache forever. With `first_view` (a page showing the snapshot's
/// default view) and a snapshot that has them, only the rows of `facts` that view reads (`whole` is then false).
pub async fn load(snapshot_id: &str, first_view: bool) -> Result<Loaded, FetchError> {
    let (manifest, draft) = manifest(snapshot_id).await?;
    let id = manifest.snapshot_id.clone();
    let has_targets = manifest.tables.iter().any(|t| t.name == shared::tables::TARGETS.name);
    let whole = !(first_view && manifest.first_view.is_some());
    let facts_url =
        if whole { shared::api::table_path(&id, shared::schema::FACTS) } else { shared::api::first_view_path(&id) };
    // Every table at once (for the page's own snapshot the server's `Link` header has already started them).
    let (bytes, targets, book) = futures::try_join!(
        self::bytes(&facts_url),
        async { if has_targets { table(&id, shared::tables::TARGETS.name).await.map(Some) } else { Ok(None) } },
        book(&manifest)
    )?;
    let started = now_ms();
    let facts = decode_facts(bytes)?;
    let decode_ms = now_ms() - started;
    let targets = match targets {
        Some(bytes) => {
            let batch = shared::ipc::read_stream(&bytes).map_err(|e| FetchError::Decode(e.to_string()))?;
            Some(Targets::try_from(&batch).map_err(|e| FetchError::Decode(e.to_string()))?)
        }
        None => None,
    };
    Ok(Loaded { manifest, facts, targets, book, draft, decode_ms, whole })
}

/// A snapshot's whole `facts` (under its fixed id), and the milliseconds spent decoding it.
pub async fn whole_facts(snapshot_id: &str) -> Result<(Facts, f64), FetchError> {
    let bytes = table(snapshot_id, shared::schema::FACTS).await?;
    let started = now_ms();
    let facts = decode_facts(bytes)?;
    Ok((facts, now_ms() - started))
}

/// A snapshot's roadmap, with its manifest.
#[derive(Debug, Clone)]
pub struct LoadedRoadmap {
    pub manifest: Manifest,
    pub roadmap: Roadmap,
    pub book: Arc<CodeBook>,
    /// A draft being previewed.
    pub draft: bool,
}

/// Loads a snapshot's roadmap tables (`current` for the current snapshot): the manifest, then the four tables it
/// has, fetched together under the snapshot's fixed id.
pub async fn load_roadmap(snapshot_id: &str) -> Result<LoadedRoadmap, FetchError> {
    let (manifest, draft) = manifest(snapshot_id).await?;
    let id = manifest.snapshot_id.clone();
    let names = [
        shared::tables::INTERVENTIONS.name,
        shared::tables::MILESTONES.name,
        shared::tables::BUDGET_LINES.name,
        shared::tables::RISKS.name,
    ];
    let has = |name: &str| manifest.tables.iter().any(|t| t.name == name);
    let fetches = names.map(|name| {
        let id = id.clone();
        let wanted = has(name);
        async move {
            if !wanted {
                return Ok(None);
            }
            let bytes = table(&id, name).await?;
            shared::ipc::read_stream(&bytes).map(Some).map_err(|e| FetchError::Decode(e.to_string()))
        }
    });
    let [a, b, c, d] = fetches;
    let (a, b, c, d, book) = futures::try_join!(a, b, c, d, book(&manifest))?;
    let roadmap = Roadmap::from_batches(a.as_ref(), b.as_ref(), c.as_ref(), d.as_ref())
        .map_err(|e| FetchError::Decode(e.to_string()))?;
    Ok(LoadedRoadmap { manifest, roadmap, book, draft })
}
