//! The bodies about snapshots: listing and reading them, drafts and their reports, publishing, retracting, and
//! the CSV templates.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::finding::Finding;
use crate::manifest::{Manifest, TableEntry};

/// Where a snapshot is in its life: uploaded as a draft, then published (and perhaps retracted), or discarded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifecycle {
    Draft,
    /// Also what a manifest answer without a lifecycle (from before it was sent) means.
    #[default]
    Published,
    Retracted,
    Discarded,
}

impl Lifecycle {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Published, Self::Retracted, Self::Discarded];

    /// The code, in JSON and in the store.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Retracted => "retracted",
            Self::Discarded => "discarded",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A published snapshot as listed (`GET /api/snapshots`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    #[serde(flatten)]
    pub manifest: Manifest,
    pub current: bool,
}

/// A manifest with its snapshot's state (`GET /api/snapshots/{id}`): `published`, or `draft` for analysts
/// previewing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotState {
    #[serde(flatten)]
    pub manifest: Manifest,
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

/// A published or retracted snapshot, as the administration lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Managed {
    #[serde(flatten)]
    pub manifest: Manifest,
    pub lifecycle: Lifecycle,
    pub current: bool,
    pub version: i64,
    pub retract_reason: Option<String>,
}

/// What publishing says about the snapshot (`POST /api/drafts/{id}/publish`); the server fills in what is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishMeta {
    pub title_es: Option<String>,
    pub title_en: Option<String>,
    /// Data "as of", ISO date.
    pub as_of: Option<String>,
    pub notes: Option<String>,
}

/// `POST /api/snapshots/{id}/retract`: why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    pub reason: String,
}

/// The answer to an upload: the draft it made and its validation report (201, or 422 when it has errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    pub draft_id: String,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

/// A draft: its tables and its validation report (`GET /api/drafts/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub draft_id: String,
    #[serde(default)]
    pub tables: Vec<TableEntry>,
    pub findings: Vec<Finding>,
}

impl Draft {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == crate::finding::Severity::Warning).count()
    }
}

/// A draft as listed (`GET /api/drafts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub draft_id: String,
    pub created_at: String,
    pub created_by: String,
    pub errors: usize,
    pub warnings: usize,
    pub tables: Vec<TableEntry>,
}

/// What a template is a template of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateKind {
    /// Every table's template in one workbook, a sheet each, with a "léame" sheet.
    Workbook,
    /// A table of the data contract.
    Table,
    /// A built-in code list.
    Codes,
}

/// A downloadable template (CSV, or the workbook of them all), as listed (`GET /api/templates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub file: String,
    pub kind: TemplateKind,
    pub name: String,
    pub title_es: String,
    pub title_en: String,
}

impl Template {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_es, &self.title_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycles_are_written_as_their_codes() {
        for l in Lifecycle::ALL {
            assert_eq!(serde_json::to_string(&l).expect("json"), format!("\"{}\"", l.code()));
            assert_eq!(Lifecycle::from_code(l.code()), Some(l));
        }
    }

    #[test]
    fn a_manifest_answer_carries_its_lifecycle_beside_the_manifest() {
        let manifest = Manifest {
            snapshot_id: "2026-01-01-ab12".into(),
            title_es: "T".into(),
            title_en: "T".into(),
            as_of: "2026-01-01".into(),
            published_at: "2026-01-02T00:00:00Z".into(),
            synthetic: false,
            publisher: String::new(),
            source_notes: String::new(),
            schema_version: "1".into(),
            tables: Vec::new(),
            first_view: None,
        };
        let answer = SnapshotState { manifest, lifecycle: Lifecycle::Draft };
        let json = serde_json::to_value(&answer).expect("json");
        assert_eq!(
            (json["snapshot_id"].as_str(), json["lifecycle"].as_str()),
            (Some("2026-01-01-ab12"), Some("draft"))
        );
        assert_eq!(serde_json::from_value::<SnapshotState>(json).expect("back"), answer);
    }
}
