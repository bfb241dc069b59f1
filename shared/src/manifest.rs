//! The snapshot manifest: what a client learns about a snapshot before fetching its tables (JSON).

use serde::{Deserialize, Serialize};

use crate::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub snapshot_id: String,
    pub title_es: String,
    pub title_en: String,
    /// Data "as of", ISO date.
    pub as_of: String,
    /// Publication time, RFC 3339.
    pub published_at: String,
    /// Whether the data is synthetic (demo); the app then says so on every view.
    pub synthetic: bool,
    pub schema_version: String,
    pub tables: Vec<TableEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub rows: usize,
    /// Hex sha256 of the table's uncompressed Arrow IPC stream.
    pub sha256: String,
}

impl Manifest {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
        }
    }
}
