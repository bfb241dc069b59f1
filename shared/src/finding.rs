//! One problem found in an upload: what the validation report lists (native, built by `validate`) and what the
//! app's publish page shows (wasm, read from the server's JSON). No IO, so both sides share it.

use serde::{Deserialize, Serialize};

use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Not a problem: something the server did to the data, such as hiding a small cell of a sensitive population.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub table: String,
    /// 1-based data row (the header is not counted); `None` for a problem with a whole column or table.
    pub row: Option<usize>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub message_es: String,
    pub message_en: String,
}

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_es, &self.message_en)
    }
}
