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
    /// Who published it (username); for a draft, who uploaded it. Absent from manifests written before it existed.
    #[serde(default)]
    pub publisher: String,
    /// The notes given at publication: sources, caveats, what changed.
    #[serde(default)]
    pub source_notes: String,
    pub schema_version: String,
    pub tables: Vec<TableEntry>,
    /// The rows of `facts` the snapshot's default view reads (issue 33), written at upload beside the tables and
    /// served at [`crate::api::first_view_path`], so a page without filters draws before the whole table arrives.
    /// Its `name` is [`FIRST_VIEW_TABLE`]. Absent for snapshots uploaded before it existed, and when the default
    /// view reads more than half the table (the app then fetches the whole table alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_view: Option<TableEntry>,
}

/// The stored name of a snapshot's [`Manifest::first_view`]: not a table of the data contract (never listed in
/// `tables`, never a download), a part of `facts`.
pub const FIRST_VIEW_TABLE: &str = "facts.inicio";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub rows: usize,
    /// Hex sha256 of the table's uncompressed Arrow IPC stream.
    pub sha256: String,
}

impl Manifest {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_es, &self.title_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_without_publisher_or_notes_still_parses() {
        let old = r#"{"snapshot_id":"2026-01-01-ab12","title_es":"T","title_en":"T","as_of":"2026-01-01",
            "published_at":"2026-01-02T00:00:00Z","synthetic":false,"schema_version":"1","tables":[]}"#;
        let m: Manifest = serde_json::from_str(old).expect("old manifest parses");
        assert_eq!((m.publisher.as_str(), m.source_notes.as_str()), ("", ""));
        let json = serde_json::to_value(&m).expect("json");
        assert!(json.get("publisher").is_some() && json.get("source_notes").is_some());
        assert!(m.first_view.is_none() && json.get("first_view").is_none(), "no first view: none written");
    }
}
