//! The only module that talks to the server (gloo-net). Bytes become typed `shared` values here.

use gloo_net::http::Request;
use shared::facts::Facts;
use shared::manifest::Manifest;

/// Why loading failed. `Clone` so resources can hold it; shown through one error view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server could not be reached.
    Network(String),
    /// The server answered with an error status.
    Status { status: u16, url: String },
    /// The bytes were not a valid table.
    Decode(String),
}

impl FetchError {
    pub fn message(&self, lang: shared::Lang) -> String {
        match (self, lang) {
            (Self::Network(_), shared::Lang::Es) => "No se pudo conectar con el servidor.".to_owned(),
            (Self::Network(_), shared::Lang::En) => "Could not reach the server.".to_owned(),
            (Self::Status { status, .. }, shared::Lang::Es) => format!("El servidor respondió con el código {status}."),
            (Self::Status { status, .. }, shared::Lang::En) => format!("The server answered with status {status}."),
            (Self::Decode(d), shared::Lang::Es) => format!("Los datos recibidos no son válidos: {d}"),
            (Self::Decode(d), shared::Lang::En) => format!("The data received is not valid: {d}"),
        }
    }
}

async fn get(url: &str) -> Result<gloo_net::http::Response, FetchError> {
    let res = Request::get(url).send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    if res.ok() { Ok(res) } else { Err(FetchError::Status { status: res.status(), url: url.to_owned() }) }
}

/// The manifest of a snapshot (`current` for the current one).
pub async fn manifest(snapshot_id: &str) -> Result<Manifest, FetchError> {
    let url = format!("{}/snapshots/{snapshot_id}", shared::api::API_PREFIX);
    get(&url).await?.json::<Manifest>().await.map_err(|e| FetchError::Decode(e.to_string()))
}

/// The `facts` table of a snapshot, decoded from Arrow IPC and validated into [`Facts`].
pub async fn facts(snapshot_id: &str) -> Result<Facts, FetchError> {
    let url = shared::api::table_path(snapshot_id, shared::schema::FACTS);
    let bytes = get(&url).await?.binary().await.map_err(|e| FetchError::Network(e.to_string()))?;
    decode_facts(&bytes)
}

/// Arrow IPC bytes into a validated facts table.
pub fn decode_facts(bytes: &[u8]) -> Result<Facts, FetchError> {
    let batch = shared::ipc::read_stream(bytes).map_err(|e| FetchError::Decode(e.to_string()))?;
    Facts::try_from(batch).map_err(|e| FetchError::Decode(e.to_string()))
}

/// A loaded snapshot: its manifest and its facts.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    pub facts: Facts,
}

/// Loads the current snapshot: the manifest first, then its facts under the snapshot's fixed id (cacheable forever).
pub async fn current() -> Result<Loaded, FetchError> {
    let manifest = manifest(shared::api::CURRENT).await?;
    let facts = facts(&manifest.snapshot_id).await?;
    Ok(Loaded { manifest, facts })
}
