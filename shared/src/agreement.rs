//! Meeting agreements (*acuerdos*): what a meeting decided on a slide, who answers for it and by when, kept with
//! the agenda, the slide, the view and the snapshot it was decided on (so its frozen link shows the figures of that
//! moment), then followed up: pending, done, or dropped with a reason, each change kept. The server stores them;
//! the app records them while presenting and follows them up on the roadmap.

use serde::{Deserialize, Serialize};

use crate::date::Day;
use crate::{Label, Lang};

/// The longest text, reason, institution code and intervention code accepted.
pub const MAX_TEXT: usize = 500;
pub const MAX_REASON: usize = 300;
pub const MAX_CODE: usize = 40;

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Done,
    /// Dropped, with a reason.
    Dropped,
}

impl Status {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Done, Self::Dropped];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub const fn label(self) -> Label {
        match self {
            Self::Pending => Label { es: "Pendiente", en: "Pending" },
            Self::Done => Label { es: "Cumplido", en: "Done" },
            Self::Dropped => Label { es: "Descartado", en: "Dropped" },
        }
    }
}

/// What a client sends to record an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementInput {
    pub agenda_id: String,
    /// The slide it was taken on, from 1.
    pub slide: usize,
    /// The slide's view (path and query), as the agenda holds it.
    pub view_url: String,
    /// The published snapshot the slide showed.
    pub snapshot_id: String,
    pub text: String,
    /// The responsible institution's code, from the snapshot's institutions.
    pub institution: String,
    /// Due date, ISO.
    pub due: String,
    /// An intervention of the roadmap it follows up, if any.
    #[serde(default)]
    pub intervention: String,
}

/// A change of status: to done, to dropped (a reason required), or back to pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: Status,
    #[serde(default)]
    pub reason: String,
}

/// One change in an agreement's history (its recording is the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub status: Status,
    pub reason: String,
}

/// A stored agreement: what was recorded (its fields at the top level of the JSON), then its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    #[serde(flatten)]
    pub taken: AgreementInput,
    pub status: Status,
    /// Why it was dropped (empty otherwise).
    pub reason: String,
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    /// Oldest first.
    pub history: Vec<Change>,
}

/// An agreement as a frozen link shows it, when its agenda allows: what was agreed, who answers for it, by when, its
/// status and the view it was taken on; never who recorded it, its history or why it was dropped.
/// A type of its own rather than the agreement's fields flattened: what a donor reads is narrower, and the
/// dashboard's wasm decodes it without serde's buffering of flattened fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Public {
    pub text: String,
    /// The responsible institution's code.
    pub institution: String,
    /// Due date, ISO.
    pub due: String,
    pub status: Status,
    /// [`Agreement::frozen_link`].
    pub link: String,
}

impl From<&Agreement> for Public {
    fn from(a: &Agreement) -> Self {
        Self {
            text: a.taken.text.clone(),
            institution: a.taken.institution.clone(),
            due: a.taken.due.clone(),
            status: a.status,
            link: a.frozen_link(),
        }
    }
}

impl Public {
    /// The due date as es-HN writes it (`31/01/2027`).
    pub fn due_shown(&self) -> String {
        Day::parse(&self.due).map_or_else(|| self.due.clone(), Day::display)
    }
}

impl Agreement {
    /// The view it was decided on, pinned to its snapshot: the figures of that moment, whatever is published later.
    pub fn frozen_link(&self) -> String {
        let url = &self.taken.view_url;
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let page = crate::view::split_frozen(path).map_or_else(|| path.to_owned(), |(_, page)| page);
        let view = crate::view::View { snapshot: None, ..crate::view::View::from_query(query) };
        crate::view::frozen_path(&self.taken.snapshot_id, &page, &view)
    }

    /// Pending past its due date on `today` (ISO).
    pub fn overdue(&self, today: &str) -> bool {
        self.status == Status::Pending && self.taken.due.as_str() < today
    }

    /// The due date as es-HN writes it (`31/01/2027`).
    pub fn due_shown(&self) -> String {
        Day::parse(&self.taken.due).map_or_else(|| self.taken.due.clone(), Day::display)
    }
}

/// A problem with an agreement or a change: the field (`text`, `institution`, …) and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub es: String,
    pub en: String,
}

impl Problem {
    fn new(field: &str, es: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.to_owned(), es: es.into(), en: en.into() }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.es, &self.en)
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_CODE && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Every problem with an agreement to record, at once (the form and the server apply the same rules).
pub fn check(input: &AgreementInput) -> Vec<Problem> {
    let mut out = Vec::new();
    let text = input.text.trim();
    if text.is_empty() {
        out.push(Problem::new("text", "Escriba qué se acordó.", "Write what was agreed."));
    } else if text.chars().count() > MAX_TEXT {
        out.push(Problem::new(
            "text",
            format!("El acuerdo pasa de {MAX_TEXT} caracteres."),
            format!("The agreement is longer than {MAX_TEXT} characters."),
        ));
    }
    if !is_code(input.institution.trim()) {
        out.push(Problem::new(
            "institution",
            "Elija la institución responsable.",
            "Choose the responsible institution.",
        ));
    }
    if Day::parse(input.due.trim()).is_none() {
        out.push(Problem::new(
            "due",
            "La fecha límite debe ser una fecha (aaaa-mm-dd).",
            "The due date must be a date (yyyy-mm-dd).",
        ));
    }
    let intervention = input.intervention.trim();
    if !intervention.is_empty() && !is_code(intervention) {
        out.push(Problem::new(
            "intervention",
            "La intervención debe ser un código de la hoja de ruta (por ejemplo HR-ART-002).",
            "The intervention must be a roadmap code (for example HR-ART-002).",
        ));
    }
    if input.slide == 0 || !crate::agenda::is_view_url(&input.view_url) {
        out.push(Problem::new(
            "slide",
            "El acuerdo debe tomarse sobre una diapositiva de la agenda.",
            "The agreement must be taken on a slide of the agenda.",
        ));
    }
    if !is_code(&input.agenda_id) || !is_code(&input.snapshot_id) {
        out.push(Problem::new(
            "snapshot_id",
            "Falta la agenda o la publicación del acuerdo.",
            "The agreement's agenda or snapshot is missing.",
        ));
    }
    out
}

/// Every problem with a change of status.
pub fn check_change(change: &StatusChange) -> Vec<Problem> {
    let reason = change.reason.trim();
    let mut out = Vec::new();
    if change.status == Status::Dropped && reason.is_empty() {
        out.push(Problem::new("reason", "Diga por qué se descarta.", "Say why it is dropped."));
    }
    if reason.chars().count() > MAX_REASON {
        out.push(Problem::new(
            "reason",
            format!("El motivo pasa de {MAX_REASON} caracteres."),
            format!("The reason is longer than {MAX_REASON} characters."),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AgreementInput {
        AgreementInput {
            agenda_id: "a1b2c3d4e5f60718".into(),
            slide: 2,
            view_url: "/?indicador=COB-02&lugar=HN-CR".into(),
            snapshot_id: "2026-10-31-ab12".into(),
            text: "Abrir una ventanilla en Choloma".into(),
            institution: "DGE-OML".into(),
            due: "2027-01-31".into(),
            intervention: "HR-ART-002".into(),
        }
    }

    #[test]
    fn a_good_agreement_passes_and_a_bad_one_lists_every_problem() {
        assert_eq!(check(&input()), []);
        let bad = AgreementInput {
            slide: 0,
            text: " ".into(),
            institution: String::new(),
            due: "31/01/2027".into(),
            intervention: "HR ART".into(),
            view_url: "https://elsewhere.org/".into(),
            ..input()
        };
        let fields: Vec<String> = check(&bad).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["text", "institution", "due", "intervention", "slide"]);
        let long = AgreementInput { text: "a".repeat(MAX_TEXT + 1), ..input() };
        assert_eq!(check(&long).len(), 1);
    }

    #[test]
    fn dropping_needs_a_reason() {
        assert_eq!(check_change(&StatusChange { status: Status::Done, reason: String::new() }), []);
        assert_eq!(check_change(&StatusChange { status: Status::Dropped, reason: " ".into() }).len(), 1);
        assert_eq!(check_change(&StatusChange { status: Status::Dropped, reason: "Sin fondos".into() }), []);
    }

    #[test]
    fn the_frozen_link_pins_the_view_to_its_snapshot() {
        let a = Agreement {
            id: "x".into(),
            taken: AgreementInput {
                view_url: "/hoja-de-ruta?ventana=2026".into(),
                institution: "DGE".into(),
                due: "2026-11-30".into(),
                ..input()
            },
            status: Status::Pending,
            reason: String::new(),
            created_by: "ana".into(),
            created_at: "2026-11-02T10:00:00-06:00".into(),
            history: Vec::new(),
        };
        let json = serde_json::to_value(&a).unwrap_or_default();
        assert_eq!(
            (&json["due"], &json["status"]),
            (&serde_json::json!("2026-11-30"), &serde_json::json!("pending")),
            "flat"
        );
        assert_eq!(serde_json::from_value::<Agreement>(json).ok().as_ref(), Some(&a));
        assert_eq!(a.frozen_link(), "/s/2026-10-31-ab12/hoja-de-ruta?ventana=2026");
        assert_eq!(a.due_shown(), "30/11/2026");
        let coverage = Agreement {
            taken: AgreementInput { view_url: "/s/older/?indicador=COB-02".into(), ..a.taken.clone() },
            ..a.clone()
        };
        assert_eq!(coverage.frozen_link(), "/s/2026-10-31-ab12/?indicador=COB-02");
        assert!(a.overdue("2026-12-01") && !a.overdue("2026-11-30"));
        assert!(!Agreement { status: Status::Done, ..a }.overdue("2027-01-01"));
    }
}
