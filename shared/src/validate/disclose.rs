//! Disclosure control as a step of validation: the valid `facts` table is protected ([`crate::disclosure`]) and
//! every cell hidden becomes a note of the report (severity info), with its row, so that analysts see what the
//! public will not. Only a hidden cell the protection could not make safe is a warning.

use arrow_array::RecordBatch;

use super::{Report, Severity};
use crate::codebook::CodeBook;
use crate::codes::SUPPRESSION_THRESHOLD;
use crate::disclosure::{self, Why};
use crate::facts::Facts;

const TABLE: &str = crate::schema::FACTS;

/// The protected table, its suppressions reported; the table as it was, with an error, if it cannot be read
/// (then nothing is publishable).
pub(super) fn protect(
    batch: RecordBatch,
    book: &CodeBook,
    previous: Option<&Facts>,
    report: &mut Report,
) -> RecordBatch {
    let protected = match disclosure::protect(&batch, book, previous) {
        Ok(p) => p,
        Err(e) => {
            report.error(
                TABLE,
                None,
                None,
                None,
                format!("no se pudo aplicar la protección de datos sensibles: {e}"),
                format!("the protection of sensitive data could not be applied: {e}"),
            );
            return batch;
        }
    };
    let value = crate::schema::FactsColumn::Value.name();
    for s in &protected.suppressions {
        let (es, en) = message(&s.why, s.value);
        // Notes, not problems: nothing in the upload is wrong, and the analyst has nothing to fix or acknowledge.
        let shown = s.value.map(|v| v.to_string());
        report.push(Severity::Info, TABLE, Some(s.row + 1), Some(value), shown.as_deref(), es, en);
    }
    for &row in &protected.unprotected {
        report.warning(
            TABLE,
            Some(row + 1),
            Some(value),
            None,
            "esta celda oculta aún puede calcularse con los totales publicados, que no cuadran con sus partes: revise la fila y sus totales".into(),
            "this hidden cell can still be worked out from the published totals, which do not match their parts: check the row and its totals".into(),
        );
    }
    if !protected.suppressions.is_empty() {
        let (p, c) = (protected.primary(), protected.complementary());
        report.push(
            Severity::Info,
            TABLE,
            None,
            Some(value),
            None,
            format!("protección de datos sensibles: {p} celdas ocultas por ser pequeñas (primarias) y {c} más para que no puedan calcularse restando (complementarias)"),
            format!("protection of sensitive data: {p} cells hidden for being small (primary) and {c} more so that they cannot be worked out by subtraction (complementary)"),
        );
    }
    protected.batch
}

fn message(why: &Why, value: Option<f64>) -> (String, String) {
    let t = SUPPRESSION_THRESHOLD;
    let v = value.map_or_else(String::new, |v| v.to_string());
    match why {
        Why::SmallCount { population } => (
            format!("supresión primaria: «{population}» es una población sensible y la celda cuenta {v}, menos de {t} personas; se publica vacía con estado suppressed"),
            format!("primary suppression: «{population}» is a sensitive population and the cell counts {v}, fewer than {t} people; it is published empty with status suppressed"),
        ),
        Why::SmallBase { population, base, base_value: Some(b) } => (
            format!("supresión primaria: valor de la población sensible «{population}» calculado sobre {b} personas ({base}), menos de {t}"),
            format!("primary suppression: a value of the sensitive population «{population}» resting on {b} people ({base}), fewer than {t}"),
        ),
        Why::SmallBase { population, base, base_value: None } => (
            format!("supresión primaria: valor de la población sensible «{population}» sin un conteo publicado de {t} personas o más en la misma celda de {base}"),
            format!("primary suppression: a value of the sensitive population «{population}» without a published count of {t} people or more in the same cell of {base}"),
        ),
        Why::Margin { protects: Some(row) } => (
            format!("supresión complementaria: se oculta para que la celda oculta de la fila {} no pueda calcularse restando de los totales publicados", row + 1),
            format!("complementary suppression: hidden so that the hidden cell of row {} cannot be worked out by subtraction from the published totals", row + 1),
        ),
        Why::Margin { protects: None } => (
            "supresión complementaria: se oculta para que una celda oculta en la publicación vigente no pueda calcularse comparándola con esta".into(),
            "complementary suppression: hidden so that a cell hidden in the current publication cannot be worked out by comparing it with this one".into(),
        ),
        Why::KeptFromPrevious => (
            "supresión complementaria: la celda está oculta en la publicación vigente y sigue oculta, para que comparar ambas no la revele".into(),
            "complementary suppression: the cell is hidden in the current publication and stays hidden, so that comparing the two does not reveal it".into(),
        ),
    }
}
