//! The body of every error answer of the API.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// What the server says when it refuses or fails: the status's reason, a message in Spanish and English, and
/// where relevant a machine-readable `report` of what was wrong (`null` otherwise), e.g. every problem of an
/// agenda. `R` is the report's type; a reader that does not need it takes [`serde::de::IgnoredAny`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody<R = serde::de::IgnoredAny> {
    /// The status's reason phrase, e.g. `Not Found`.
    #[serde(default)]
    pub error: String,
    pub message_es: String,
    pub message_en: String,
    #[serde(default = "Option::default")]
    pub report: Option<R>,
}

impl<R> ErrorBody<R> {
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_es, &self.message_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_null_when_there_is_none_and_may_be_ignored() {
        let body: ErrorBody<Vec<u8>> = ErrorBody {
            error: "Not Found".into(),
            message_es: "No existe".into(),
            message_en: "Not found".into(),
            report: None,
        };
        let json = serde_json::to_string(&body).expect("json");
        assert_eq!(json, r#"{"error":"Not Found","message_es":"No existe","message_en":"Not found","report":null}"#);
        let read: ErrorBody =
            serde_json::from_str(r#"{"message_es":"a","message_en":"b","report":[{"x":1}]}"#).expect("read");
        assert_eq!(read.message(Lang::En), "b");
    }
}
