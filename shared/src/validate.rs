//! Validation of uploaded tables: every problem listed (not the first), each with severity, table, row, column,
//! the offending value and a message in Spanish and English. Valid input leaves here in canonical Arrow form
//! (dimension columns dictionary-encoded, with `Int16` keys while validating and the narrowest width that fits
//! once stored: `order::narrow`), ready to publish.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int16Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use crate::catalog::{self, Unit};
use crate::codebook::CodeBook;
use crate::codes::{self, TOTAL};
use crate::schema::{SCHEMA_VERSION, SCHEMA_VERSION_KEY, TABLE_KEY};
use crate::tables::{self, ColumnSpec, Kind, List, TableSpec};

/// A fast, non-cryptographic hasher (the Fx hash of rustc) for the row-level maps of validation, where keys
/// are small integers and SipHash's flooding resistance buys nothing (keys come from our own encoding).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, word: u128) {
        self.write_u64(word as u64);
        self.write_u64((word >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        // Fx alone leaves the low bits (hashbrown's bucket index) depending on the low input bits only; the
        // SplitMix64 finaliser spreads every input bit over them.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// Tables with at least this many rows have their columns typed on two threads.
const PARALLEL_ROWS: usize = 100_000;
/// Longest text accepted in a cell.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Detailed findings kept per table and column; beyond it one summary line says how many more there are.
pub const MAX_FINDINGS_PER_COLUMN: usize = 200;
/// Notes (severity info: cells hidden by disclosure control) kept per table and column; the stored table marks
/// every one of them `suppressed`.
pub const MAX_NOTES_PER_COLUMN: usize = 2_000;

/// How many findings of a severity a table's column keeps.
const fn kept_per_column(severity: Severity) -> usize {
    match severity {
        Severity::Info => MAX_NOTES_PER_COLUMN,
        Severity::Error | Severity::Warning => MAX_FINDINGS_PER_COLUMN,
    }
}

pub use crate::finding::{Finding, Severity};

/// All findings of one validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    #[serde(skip)]
    per_column: HashMap<(String, String, Severity), usize>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Findings that are notes, not problems (cells hidden by disclosure control).
    pub fn infos(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Info).count()
    }

    /// Adds a finding, keeping at most [`MAX_FINDINGS_PER_COLUMN`] per table, column and severity
    /// ([`MAX_NOTES_PER_COLUMN`] notes).
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        severity: Severity,
        table: &str,
        row: Option<usize>,
        column: Option<&str>,
        value: Option<&str>,
        es: String,
        en: String,
    ) {
        let key = (table.to_owned(), column.unwrap_or_default().to_owned(), severity);
        let n = self.per_column.entry(key).or_default();
        *n += 1;
        if *n > kept_per_column(severity) {
            return;
        }
        let value = value.map(|v| v.chars().take(80).collect());
        self.findings.push(Finding {
            severity,
            table: table.to_owned(),
            row,
            column: column.map(str::to_owned),
            value,
            message_es: es,
            message_en: en,
        });
    }

    /// Adds the findings of another report (of other columns), counting them against the same caps.
    fn append(&mut self, other: Self) {
        for (key, n) in other.per_column {
            *self.per_column.entry(key).or_default() += n;
        }
        self.findings.extend(other.findings);
    }

    /// Adds the "and N more" lines for columns whose findings were capped, and sorts by table, row, column.
    pub fn finish(&mut self) {
        let mut capped: Vec<_> =
            self.per_column.iter().filter(|((_, _, sev), n)| **n > kept_per_column(*sev)).collect();
        capped.sort();
        let extra: Vec<Finding> = capped
            .into_iter()
            .map(|((table, column, severity), n)| {
                let kept = kept_per_column(*severity);
                let more = n - kept;
                let (message_es, message_en) = if *severity == Severity::Info {
                    (
                        format!("… y {more} celdas ocultas más en esta columna (se muestran las primeras {kept}; la tabla las marca todas con estado suppressed)"),
                        format!("… and {more} more hidden cells in this column (the first {kept} are shown; the table marks every one with status suppressed)"),
                    )
                } else {
                    (
                        format!("… y {more} problemas más en esta columna (se muestran los primeros {kept})"),
                        format!("… and {more} more problems in this column (the first {kept} are shown)"),
                    )
                };
                Finding {
                    severity: *severity,
                    table: table.clone(),
                    row: None,
                    column: (!column.is_empty()).then(|| column.clone()),
                    value: None,
                    message_es,
                    message_en,
                }
            })
            .collect();
        self.per_column.clear();
        self.findings.extend(extra);
        self.findings.sort_by(|a, b| {
            (&a.table, a.row.unwrap_or(0), &a.column, a.severity).cmp(&(
                &b.table,
                b.row.unwrap_or(0),
                &b.column,
                b.severity,
            ))
        });
    }

    pub(crate) fn error(
        &mut self,
        table: &str,
        row: Option<usize>,
        column: Option<&str>,
        value: Option<&str>,
        es: String,
        en: String,
    ) {
        self.push(Severity::Error, table, row, column, value, es, en);
    }

    pub(crate) fn warning(
        &mut self,
        table: &str,
        row: Option<usize>,
        column: Option<&str>,
        value: Option<&str>,
        es: String,
        en: String,
    ) {
        self.push(Severity::Warning, table, row, column, value, es, en);
    }
}

/// The valid codes of each list: the snapshot's code book (built-in lists replaced by the code-list tables
/// published in the same snapshot) and the fixed lists of the data contract.
#[derive(Debug, Clone)]
pub struct CodeLists {
    lists: HashMap<List, Vec<String>>,
    book: CodeBook,
}

fn owned(codes: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    codes.into_iter().map(str::to_owned).collect()
}

impl CodeLists {
    pub fn builtin() -> Self {
        let c = |l: &[codes::Code]| owned(l.iter().map(|c| c.code));
        let lists = HashMap::from([
            (List::Service, c(&codes::SERVICES)),
            (List::Sex, c(&codes::SEXES)),
            (List::AgeGroup, c(&codes::AGE_GROUPS)),
            (List::ValueStatus, c(&codes::VALUE_STATUSES)),
            (List::Strategy, c(&catalog::STRATEGIES)),
            (List::InterventionStatus, c(&catalog::INTERVENTION_STATUSES)),
            (List::MilestoneStatus, c(&catalog::MILESTONE_STATUSES)),
            (List::FundingSource, c(&catalog::FUNDING_SOURCES)),
            (List::RiskState, c(&catalog::RISK_STATES)),
            (List::Unit, owned(["count", "percent", "days", "score", "points"])),
            (List::Frequency, owned(["M", "T", "A"])),
            (List::Combine, owned(catalog::Combine::<&str>::CODES)),
            // A department by its ISO 3166-2 code or its INE code: both are in the reference files analysts have.
            (List::Department, owned(codes::DEPARTMENTS.iter().flat_map(|d| [d.iso, d.code]))),
        ]);
        let mut out = Self { lists, book: CodeBook::builtin() };
        out.take_book_lists();
        out
    }

    /// The lists the code book holds.
    fn take_book_lists(&mut self) {
        let book = &self.book;
        let mut territories = owned(std::iter::once(codes::NATIONAL));
        territories.extend(self.lists[&List::Department].iter().cloned());
        territories.extend(book.territories.iter().map(|t| t.code.clone()));
        let indicators = book.indicators.iter().map(|i| i.id.clone()).collect();
        let populations = book.populations.iter().map(|p| p.code.clone()).collect();
        let institutions = book.institutions.iter().map(|i| i.code.clone()).collect();
        self.lists.extend([
            (List::Territory, territories),
            (List::Indicator, indicators),
            (List::Population, populations),
            (List::Institution, institutions),
        ]);
    }

    /// The code book the lists came from.
    pub const fn book(&self) -> &CodeBook {
        &self.book
    }

    pub fn contains(&self, list: List, code: &str) -> bool {
        self.lists.get(&list).is_some_and(|l| l.iter().any(|c| c == code))
    }

    /// The valid code nearest to `code` (edit distance), as a hint for typos.
    pub fn closest(&self, list: List, code: &str) -> Option<&str> {
        let lower = code.to_lowercase();
        self.lists
            .get(&list)?
            .iter()
            .map(|c| (edit_distance(&c.to_lowercase(), &lower), c))
            .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c.as_str())
    }

    pub fn unit(&self, indicator: &str) -> Option<Unit> {
        self.book.indicator(indicator).map(|i| i.unit)
    }

    pub fn is_sensitive(&self, population: &str) -> bool {
        self.book.is_sensitive(population)
    }

    /// Replaces lists with a code-list table of the snapshot (already canonical).
    fn apply(&mut self, spec: &TableSpec, batch: &RecordBatch) {
        // A canonical code list always has its `code` column: nothing to report.
        if self.book.apply(spec.name, batch).is_ok() {
            self.take_book_lists();
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether a string is a valid period code: `YYYY-MM`, `YYYY-Tn` or `YYYY`.
pub fn is_period(s: &str) -> bool {
    let b = s.as_bytes();
    let year = |b: &[u8]| b.len() == 4 && b.iter().all(u8::is_ascii_digit) && b[0] != b'0';
    match b.len() {
        4 => year(b),
        7 if b[4] == b'-' && b[5] == b'T' => year(&b[..4]) && (b'1'..=b'4').contains(&b[6]),
        7 if b[4] == b'-' => year(&b[..4]) && matches!(s[5..].parse::<u8>(), Ok(1..=12)) && b[5].is_ascii_digit(),
        _ => false,
    }
}

/// Whether a string is a valid ISO calendar date `YYYY-MM-DD`.
#[allow(clippy::many_single_char_names)] // y, m, d read as the date they are
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (s[..4].parse::<u32>(), s[5..7].parse::<u32>(), s[8..].parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// The canonical Arrow type of a column kind.
pub fn canonical_type(kind: Kind) -> DataType {
    match kind {
        Kind::Code { .. } | Kind::Period => DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8)),
        Kind::Codes(_) | Kind::Date | Kind::Text | Kind::Ref(_) => DataType::Utf8,
        Kind::Integer { .. } => DataType::Int64,
        Kind::Number => DataType::Float64,
        Kind::Bool => DataType::Boolean,
    }
}

/// The canonical schema of a table, versioned in its metadata.
pub fn canonical_schema(spec: &TableSpec) -> Arc<Schema> {
    let fields: Vec<Field> =
        spec.columns.iter().map(|c| Field::new(c.name, canonical_type(c.kind), c.nullable)).collect();
    let metadata = HashMap::from([
        (SCHEMA_VERSION_KEY.to_owned(), SCHEMA_VERSION.to_owned()),
        (TABLE_KEY.to_owned(), spec.name.to_owned()),
    ]);
    Arc::new(Schema::new_with_metadata(fields, metadata))
}

/// Converts one input column to the canonical type of its spec, reporting every bad cell.
struct ColumnCheck<'a> {
    spec: &'a TableSpec,
    column: &'a ColumnSpec,
    lists: &'a CodeLists,
    report: &'a mut Report,
    /// Rows with a cell that failed typing (0-based).
    bad_rows: &'a mut HashSet<usize>,
}

impl ColumnCheck<'_> {
    fn err(&mut self, row: usize, value: Option<&str>, es: String, en: String) {
        self.bad_rows.insert(row);
        self.report.error(self.spec.name, Some(row + 1), Some(self.column.name), value, es, en);
    }

    fn empty(&mut self, row: usize) {
        self.err(
            row,
            None,
            "celda vacía: este dato es obligatorio".into(),
            "empty cell: this value is required".into(),
        );
    }

    fn as_strings(&mut self, input: &ArrayRef) -> Option<StringArray> {
        match arrow_cast::cast(input, &DataType::Utf8) {
            Ok(a) => a.as_string_opt::<i32>().cloned(),
            Err(e) => {
                self.report.error(
                    self.spec.name,
                    None,
                    Some(self.column.name),
                    Some(&input.data_type().to_string()),
                    format!("la columna no se puede leer como texto: {e}"),
                    format!("the column cannot be read as text: {e}"),
                );
                None
            }
        }
    }

    fn as_numbers(&mut self, input: &ArrayRef) -> Option<(arrow_array::Float64Array, Option<StringArray>)> {
        // Text input keeps its strings so that a bad cell can be quoted back to the analyst.
        let text =
            if matches!(input.data_type(), DataType::Float64 | DataType::Float32) || input.data_type().is_integer() {
                None
            } else {
                Some(self.as_strings(input)?)
            };
        if let Some(t) = &text {
            // What casting the trimmed text to Float64 gives, without copying the text first.
            use arrow_cast::parse::Parser;
            let numbers: arrow_array::Float64Array =
                t.iter().map(|v| v.and_then(|s| arrow_array::types::Float64Type::parse(s.trim()))).collect();
            return Some((numbers, text));
        }
        match arrow_cast::cast(input, &DataType::Float64) {
            Ok(a) => Some((a.as_primitive::<arrow_array::types::Float64Type>().clone(), text)),
            Err(e) => {
                self.report.error(
                    self.spec.name,
                    None,
                    Some(self.column.name),
                    Some(&input.data_type().to_string()),
                    format!("la columna debe ser numérica: {e}"),
                    format!("the column must be numeric: {e}"),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_lines)] // one arm per column kind reads better than the kinds spread over functions
    fn run(mut self, input: &ArrayRef) -> Option<ArrayRef> {
        let kind = self.column.kind;
        match kind {
            Kind::Code { list, with_total } => self.dictionary(input, |this, s| {
                if (with_total && s == TOTAL) || this.lists.contains(list, s) {
                    return Ok(());
                }
                let hint = this.lists.closest(list, s);
                let (mut es, mut en) = match hint {
                    Some(h) => (
                        format!("código desconocido; ¿quiso decir «{h}»?"),
                        format!("unknown code; did you mean «{h}»?"),
                    ),
                    None => ("código desconocido".to_owned(), "unknown code".to_owned()),
                };
                match list {
                    List::Department => {
                        es.push_str(" Use el código ISO 3166-2 (HN-FM) o el del INE (08) del departamento.");
                        en.push_str(" Use the department's ISO 3166-2 code (HN-FM) or its INE code (08).");
                    }
                    List::Territory => {
                        es.push_str(
                            " Use el código de una oficina de la lista de territorios, el de un departamento \
                             (ISO 3166-2 como HN-FM o INE como 08) o HN para todo el país.",
                        );
                        en.push_str(
                            " Use an office code from the territories list, a department code (ISO 3166-2 such \
                             as HN-FM, or INE such as 08) or HN for the whole country.",
                        );
                    }
                    _ => {}
                }
                Err((es, en))
            }),
            Kind::Period => self.dictionary(input, |_, s| {
                if is_period(s) {
                    Ok(())
                } else {
                    Err((
                        "periodo no válido: use AAAA-MM (mes), AAAA-T1..T4 (trimestre) o AAAA (año)".to_owned(),
                        "invalid period: use YYYY-MM (month), YYYY-T1..T4 (quarter) or YYYY (year)".to_owned(),
                    ))
                }
            }),
            Kind::Date | Kind::Text | Kind::Ref(_) | Kind::Codes(_) => {
                let strings = self.as_strings(input)?;
                let mut out = StringBuilder::with_capacity(strings.len(), strings.value_data().len());
                for row in 0..strings.len() {
                    let Some(s) = strings.is_valid(row).then(|| strings.value(row).trim()).filter(|s| !s.is_empty())
                    else {
                        if !self.column.nullable {
                            self.empty(row);
                        }
                        out.append_null();
                        continue;
                    };
                    match kind {
                        Kind::Date if !is_date(s) => self.err(
                            row,
                            Some(s),
                            "fecha no válida: use AAAA-MM-DD".into(),
                            "invalid date: use YYYY-MM-DD".into(),
                        ),
                        Kind::Codes(list) => {
                            for code in s.split(';').map(str::trim).filter(|c| !c.is_empty()) {
                                if !self.lists.contains(list, code) {
                                    let hint = self.lists.closest(list, code).map(str::to_owned);
                                    let (es, en) = match hint {
                                        Some(h) => (
                                            format!("código desconocido «{code}»; ¿quiso decir «{h}»?"),
                                            format!("unknown code «{code}»; did you mean «{h}»?"),
                                        ),
                                        None => {
                                            (format!("código desconocido «{code}»"), format!("unknown code «{code}»"))
                                        }
                                    };
                                    self.err(row, Some(s), es, en);
                                }
                            }
                        }
                        _ if s.chars().count() > MAX_TEXT_CHARS => self.err(
                            row,
                            Some(s),
                            format!("texto demasiado largo (más de {MAX_TEXT_CHARS} caracteres)"),
                            format!("text too long (over {MAX_TEXT_CHARS} characters)"),
                        ),
                        _ => {}
                    }
                    out.append_value(s);
                }
                Some(Arc::new(out.finish()))
            }
            Kind::Number | Kind::Integer { .. } => {
                // The common case: Float64 already, every value finite, nulls only where allowed.
                if matches!(kind, Kind::Number)
                    && let Some(floats) = input.as_primitive_opt::<arrow_array::types::Float64Type>()
                    && (self.column.nullable || floats.null_count() == 0)
                    && if floats.null_count() == 0 {
                        floats.values().iter().all(|v| v.is_finite())
                    } else {
                        floats.iter().flatten().all(f64::is_finite)
                    }
                {
                    return Some(Arc::new(floats.clone()));
                }
                let (numbers, text) = self.as_numbers(input)?;
                let mut floats = Float64Builder::with_capacity(numbers.len());
                let mut ints =
                    Int64Builder::with_capacity(if matches!(kind, Kind::Integer { .. }) { numbers.len() } else { 0 });
                for row in 0..numbers.len() {
                    let raw = text.as_ref().and_then(|t| t.is_valid(row).then(|| t.value(row).trim()));
                    let was_empty = match &text {
                        Some(_) => raw.is_none_or(str::is_empty),
                        None => input.is_null(row),
                    };
                    if was_empty {
                        if !self.column.nullable {
                            self.empty(row);
                        }
                        floats.append_null();
                        ints.append_null();
                        continue;
                    }
                    let v = numbers.is_valid(row).then(|| numbers.value(row)).filter(|v| v.is_finite());
                    let Some(v) = v else {
                        self.err(
                            row,
                            raw,
                            "no es un número (use punto decimal y sin separador de miles: 1234.5)".into(),
                            "not a number (use a decimal point and no thousands separator: 1234.5)".into(),
                        );
                        floats.append_null();
                        ints.append_null();
                        continue;
                    };
                    if let Kind::Integer { min, max } = kind {
                        if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
                            let shown = raw.map_or_else(|| v.to_string(), str::to_owned);
                            self.err(
                                row,
                                Some(&shown),
                                format!("se esperaba un número entero entre {min} y {max}"),
                                format!("expected a whole number from {min} to {max}"),
                            );
                            ints.append_null();
                        } else {
                            ints.append_value(v as i64);
                        }
                    }
                    floats.append_value(v);
                }
                Some(if matches!(kind, Kind::Integer { .. }) {
                    Arc::new(ints.finish())
                } else {
                    Arc::new(floats.finish())
                })
            }
            Kind::Bool => {
                let strings = self.as_strings(input)?;
                let mut out = BooleanBuilder::with_capacity(strings.len());
                for row in 0..strings.len() {
                    let s = strings
                        .is_valid(row)
                        .then(|| strings.value(row).trim().to_lowercase())
                        .filter(|s| !s.is_empty());
                    match s.as_deref() {
                        None => {
                            if !self.column.nullable {
                                self.empty(row);
                            }
                            out.append_null();
                        }
                        Some("true" | "verdadero" | "sí" | "si" | "1" | "yes") => out.append_value(true),
                        Some("false" | "falso" | "no" | "0") => out.append_value(false),
                        Some(other) => {
                            let other = other.to_owned();
                            self.err(
                                row,
                                Some(&other),
                                "se esperaba sí/no (true/false)".into(),
                                "expected yes/no (true/false)".into(),
                            );
                            out.append_null();
                        }
                    }
                }
                Some(Arc::new(out.finish()))
            }
        }
    }

    /// Dictionary-encodes a code column, checking each distinct value once and reporting each bad row.
    fn dictionary(
        &mut self,
        input: &ArrayRef,
        check: impl Fn(&Self, &str) -> Result<(), (String, String)>,
    ) -> Option<ArrayRef> {
        let mut dictionary: Vec<String> = Vec::new();
        // Checks a code once and gives it its canonical key.
        let mut admit = |this: &Self, s: &str| -> Result<i16, (String, String)> {
            check(this, s)?;
            let key = i16::try_from(dictionary.len()).map_err(|_| {
                (
                    "demasiados códigos distintos en la columna (máximo 32,767)".to_owned(),
                    "too many distinct codes in the column (at most 32,767)".to_owned(),
                )
            })?;
            dictionary.push(s.to_owned());
            Ok(key)
        };
        // Its validity bitmap is only made once a null occurs.
        let mut keys = Int16Builder::with_capacity(input.len());
        // Dictionary input (Arrow and Parquet from analysts' tools, the fast CSV path): check each dictionary
        // value once, then map keys, without materialising a string per row.
        let as_dict = matches!(input.data_type(), DataType::Dictionary(_, _))
            .then(|| {
                arrow_cast::cast(input, &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))).ok()
            })
            .flatten();
        if let Some(cast) = as_dict {
            let dict = cast.as_dictionary_opt::<arrow_array::types::Int32Type>()?;
            let values = dict.values().as_string_opt::<i32>()?.clone();
            // The canonical key of each dictionary value once admitted (`-1` until then).
            let mut admitted: Vec<i16> = vec![-1; values.len()];
            let mut per_value: Vec<Option<Result<i16, (String, String)>>> = vec![None; values.len()];
            // Dictionary values that trim to the same code (repeated values, or " a" and "a") are one code.
            let mut per_code: FastMap<&str, Result<i16, (String, String)>> = FastMap::default();
            let (key_values, nulls) = (dict.keys().values(), dict.nulls());
            for row in 0..dict.len() {
                // The common case: a value already admitted.
                if let Some(&k) = usize::try_from(key_values[row]).ok().and_then(|i| admitted.get(i))
                    && k >= 0
                    && nulls.is_none_or(|n| n.is_valid(row))
                {
                    keys.append_value(k);
                    continue;
                }
                let value_index =
                    dict.is_valid(row).then(|| dict.keys().value(row) as usize).filter(|&i| i < values.len());
                let raw = value_index.filter(|&i| values.is_valid(i)).map(|i| values.value(i).trim());
                let (Some(i), Some(s)) = (value_index, raw.filter(|s| !s.is_empty())) else {
                    if !self.column.nullable {
                        self.empty(row);
                    }
                    keys.append_null();
                    continue;
                };
                let outcome = per_value[i]
                    .get_or_insert_with(|| per_code.entry(s).or_insert_with(|| admit(self, s)).clone())
                    .clone();
                match outcome {
                    Ok(k) => {
                        admitted[i] = k;
                        keys.append_value(k);
                    }
                    Err((es, en)) => {
                        self.err(row, Some(s), es, en);
                        keys.append_null();
                    }
                }
            }
        } else {
            let strings = self.as_strings(input)?;
            let mut seen: FastMap<&str, Result<i16, (String, String)>> = FastMap::default();
            for row in 0..strings.len() {
                let raw = strings.is_valid(row).then(|| strings.value(row));
                let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
                    if !self.column.nullable {
                        self.empty(row);
                    }
                    keys.append_null();
                    continue;
                };
                match seen.entry(s).or_insert_with(|| admit(self, s)) {
                    Ok(k) => keys.append_value(*k),
                    Err((es, en)) => {
                        let (es, en) = (es.clone(), en.clone());
                        self.err(row, Some(s), es, en);
                        keys.append_null();
                    }
                }
            }
        }
        let values: ArrayRef = Arc::new(StringArray::from(dictionary));
        DictionaryArray::try_new(keys.finish(), values).ok().map(|d| Arc::new(d) as ArrayRef)
    }
}

/// Validates one table against its spec; returns the canonical batch when it has no errors.
pub fn validate_table(
    spec: &TableSpec,
    input: &RecordBatch,
    lists: &CodeLists,
    report: &mut Report,
) -> Option<RecordBatch> {
    validate_table_on(spec, input, lists, report, input.num_rows() >= PARALLEL_ROWS)
}

/// `validate_table`, its columns typed on two threads when `parallel`.
fn validate_table_on(
    spec: &TableSpec,
    input: &RecordBatch,
    lists: &CodeLists,
    report: &mut Report,
    parallel: bool,
) -> Option<RecordBatch> {
    let errors_before = report.errors();
    let mut bad_rows: HashSet<usize> = HashSet::new();
    let schema = input.schema();
    let find = |name: &str| schema.fields().iter().position(|f| f.name().trim().eq_ignore_ascii_case(name));
    for field in schema.fields() {
        if spec.column(field.name().trim()).is_none()
            && !spec.columns.iter().any(|c| c.name.eq_ignore_ascii_case(field.name().trim()))
        {
            report.warning(
                spec.name,
                None,
                Some(field.name()),
                None,
                "columna desconocida: se ignora".into(),
                "unknown column: ignored".into(),
            );
        }
    }
    let mut inputs: Vec<(&ColumnSpec, ArrayRef)> = Vec::with_capacity(spec.columns.len());
    let mut missing_column = false;
    for column in spec.columns {
        let array: ArrayRef = if let Some(i) = find(column.name) {
            Arc::clone(input.column(i))
        } else if column.nullable {
            arrow_array::new_null_array(&DataType::Utf8, input.num_rows())
        } else {
            let expected: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            report.error(
                spec.name,
                None,
                Some(column.name),
                None,
                format!("falta la columna obligatoria «{}» (columnas esperadas: {})", column.name, expected.join(", ")),
                format!("missing required column «{}» (expected columns: {})", column.name, expected.join(", ")),
            );
            missing_column = true;
            continue;
        };
        inputs.push((column, array));
    }
    // Each column is typed on its own; large tables split the columns over two threads, each with its own
    // findings (a column's findings stay together, and `Report::finish` orders them all).
    let check = |inputs: &[(&ColumnSpec, ArrayRef)]| {
        let (mut report, mut bad_rows) = (Report::default(), HashSet::new());
        let arrays: Vec<Option<ArrayRef>> = inputs
            .iter()
            .map(|(column, array)| {
                ColumnCheck { spec, column, lists, report: &mut report, bad_rows: &mut bad_rows }.run(array)
            })
            .collect();
        (arrays, report, bad_rows)
    };
    let halves = if parallel {
        let (first, second) = inputs.split_at(inputs.len() / 2);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| check(second));
            let first = check(first);
            second.join().map(|second| vec![first, second])
        })
        .ok()?
    } else {
        vec![check(&inputs)]
    };
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(spec.columns.len());
    for (arrays, part, bad) in halves {
        columns.extend(arrays.into_iter().flatten());
        report.append(part);
        bad_rows.extend(bad);
    }
    if missing_column || columns.len() != spec.columns.len() {
        return None;
    }
    // Rules over rows run on the rows that typed cleanly, so that every problem is listed without repeating a
    // typing error as a rule error; findings keep the original row numbers.
    let n = input.num_rows();
    let kept: Option<Vec<usize>> = (!bad_rows.is_empty()).then(|| (0..n).filter(|r| !bad_rows.contains(r)).collect());
    let clean_columns: Vec<ArrayRef> = if kept.is_none() {
        columns
    } else {
        let keep: arrow_array::BooleanArray = (0..n).map(|r| Some(!bad_rows.contains(&r))).collect();
        columns.iter().map(|c| arrow_select::filter::filter(c, &keep)).collect::<Result<_, _>>().ok()?
    };
    let clean = RecordBatch::try_new(canonical_schema(spec), clean_columns).ok()?;
    rules::table(spec, &clean, Kept(kept.as_deref()), lists, report);
    (report.errors() == errors_before).then_some(clean)
}

/// Which original rows a clean batch holds: all of them (`None`), or those listed (0-based, ascending).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept<'a>(Option<&'a [usize]>);

impl Kept<'_> {
    /// The 1-based line number, as reported, of the clean batch's row `row`.
    fn line(self, row: usize) -> usize {
        self.0.map_or(row, |rows| rows[row]) + 1
    }
}

/// One uploaded table: its name (from the file name or the Arrow metadata) and its batch as read.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub batch: RecordBatch,
}

/// Validates every table of a snapshot, code lists first (they change what counts as a valid code), then the
/// rules across tables. Returns the report and, when there are no errors, the canonical batches, `facts`
/// protected by disclosure control ([`crate::disclosure`]) as for a first publication.
pub fn validate_snapshot(uploads: &[Upload]) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    validate_snapshot_after(uploads, None)
}

/// [`validate_snapshot`] for a snapshot that will follow `previous`, the `facts` the public reads now: the
/// protection also keeps what comparing the two would reveal hidden.
pub fn validate_snapshot_after(
    uploads: &[Upload],
    previous: Option<&crate::facts::Facts>,
) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    validate_snapshot_with(uploads, previous, true)
}

/// [`validate_snapshot_after`], with disclosure control or without it. Without, it only serves the benchmark that
/// times a CSV's reading, typing and checking against a reader that protects nothing (`bench/csv_vs_pyarrow.sh`);
/// every snapshot published goes through [`validate_snapshot_after`].
pub fn validate_snapshot_with(
    uploads: &[Upload],
    previous: Option<&crate::facts::Facts>,
    disclosure_control: bool,
) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    let mut report = Report::default();
    let mut lists = CodeLists::builtin();
    let mut canonical = Vec::new();
    let mut names = HashSet::new();
    for upload in uploads {
        if !names.insert(upload.name.as_str()) {
            report.error(
                &upload.name,
                None,
                None,
                None,
                "la tabla se envió dos veces".into(),
                "the table was sent twice".into(),
            );
        }
        if tables::spec(&upload.name).is_none() {
            let known: Vec<&str> = tables::ALL.iter().map(|s| s.name).collect();
            report.error(
                &upload.name,
                None,
                None,
                Some(&upload.name),
                format!("tabla desconocida; las tablas válidas son: {}", known.join(", ")),
                format!("unknown table; valid tables are: {}", known.join(", ")),
            );
        }
    }
    for spec in tables::ALL {
        for upload in uploads.iter().filter(|u| u.name == spec.name) {
            if let Some(batch) = validate_table(spec, &upload.batch, &lists, &mut report) {
                lists.apply(spec, &batch);
                // Valid facts keep every row in upload order here, so a row's index is its line less one.
                let batch = if spec.name == crate::schema::FACTS && disclosure_control {
                    disclose::protect(batch, lists.book(), previous, &mut report)
                } else {
                    batch
                };
                match order::canonical(batch) {
                    Ok(batch) => canonical.push((spec, batch)),
                    Err(e) => report.error(
                        spec.name,
                        None,
                        None,
                        None,
                        format!("la tabla no se pudo ordenar: {e}"),
                        format!("the table could not be sorted: {e}"),
                    ),
                }
            }
        }
    }
    rules::across(&canonical, &mut report);
    let mut stored = Vec::with_capacity(canonical.len());
    for (spec, batch) in canonical {
        match order::narrow(&batch) {
            Ok(batch) => stored.push((spec, batch)),
            Err(e) => report.error(
                spec.name,
                None,
                None,
                None,
                format!("la tabla no se pudo compactar: {e}"),
                format!("the table could not be compacted: {e}"),
            ),
        }
    }
    report.finish();
    let ok = !report.has_errors();
    (report, ok.then_some(stored))
}

/// The files of one upload, read: workbooks give a table per sheet and say where each table lies in its sheet.
#[derive(Debug, Default)]
pub struct Files {
    pub uploads: Vec<Upload>,
    /// Where each table read from a workbook lies: `(table, source)`.
    pub sheets: Vec<(String, crate::intake::workbook::SheetSource)>,
    /// Files that could not be read: an error each, with what to do.
    pub unreadable: Report,
}

/// Reads each file of an upload, within its own limits and one budget of decoded bytes for the whole upload (many
/// small bombs add up). A file that cannot be read is an error of the report, never left out of its counts.
pub fn read_files(files: &[(String, &[u8])], limits: crate::intake::Limits, request_max: usize) -> Files {
    use crate::intake::{self, IntakeError, Limits, workbook};
    let mut out = Files::default();
    let mut budget = request_max;
    for (name, bytes) in files {
        let file_limits = Limits { max_decoded_bytes: limits.max_decoded_bytes.min(budget), ..limits };
        let read = if workbook::is_workbook(bytes) {
            workbook::read(name, bytes, file_limits).map(|t| t.into_iter().map(|(u, s)| (u, Some(s))).collect())
        } else {
            intake::read(name, bytes, file_limits).map(|u| vec![(u, None)])
        };
        let e = match read {
            Ok(tables) => {
                for (upload, source) in tables {
                    budget = budget.saturating_sub(intake::materialised_size(&upload.batch));
                    if let Some(source) = source {
                        out.sheets.push((upload.name.clone(), source));
                    }
                    out.uploads.push(upload);
                }
                continue;
            }
            Err(e) => e,
        };
        let over_budget = matches!(e, IntakeError::TooLargeDecoded { .. })
            && file_limits.max_decoded_bytes < limits.max_decoded_bytes;
        let (es, en) = if over_budget {
            (
                format!(
                    "con los archivos anteriores, el envío ocuparía más de {request_max} bytes descomprimido: \
                     envíe este archivo por separado"
                ),
                format!(
                    "with the files before it, the upload would take more than {request_max} bytes decompressed: \
                     send this file on its own"
                ),
            )
        } else {
            let text = e.to_string();
            let (es, en) = text.split_once(" / ").unwrap_or((&text, &text));
            (es.to_owned(), en.to_owned())
        };
        out.unreadable.push(Severity::Error, name, None, None, None, es, en);
    }
    out
}

/// Validates what [`read_files`] read: the report counts the unreadable files, and a workbook's findings name the
/// sheet's row as Excel numbers it and the column's letter (`territory (C)`).
pub fn validate_files(files: &Files) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    validate_files_after(files, None)
}

/// [`validate_files`] for a snapshot that will follow `previous` ([`validate_snapshot_after`]).
pub fn validate_files_after(
    files: &Files,
    previous: Option<&crate::facts::Facts>,
) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    validate_files_with(files, previous, true)
}

/// [`validate_files_after`], with disclosure control or without it ([`validate_snapshot_with`]).
pub fn validate_files_with(
    files: &Files,
    previous: Option<&crate::facts::Facts>,
    disclosure_control: bool,
) -> (Report, Option<Vec<(&'static TableSpec, RecordBatch)>>) {
    let (mut report, canonical) = validate_snapshot_with(&files.uploads, previous, disclosure_control);
    for f in &mut report.findings {
        let Some((_, source)) = files.sheets.iter().find(|(table, _)| *table == f.table) else { continue };
        if let Some(row) = f.row.and_then(|r| source.rows.get(r.checked_sub(1)?)) {
            f.row = Some(*row as usize);
        }
        let upload = files.uploads.iter().find(|u| u.name == f.table);
        let index = f.column.as_deref().and_then(|c| upload?.batch.schema().index_of(c).ok());
        if let (Some(column), Some(letter)) = (f.column.as_mut(), index.and_then(|i| source.columns.get(i))) {
            *column = format!("{column} ({letter})");
        }
        if !source.sheet.eq_ignore_ascii_case(&f.table) {
            f.table = format!("{} ({})", f.table, source.sheet);
        }
    }
    report.findings.splice(0..0, files.unreadable.findings.iter().cloned());
    let ok = !report.has_errors();
    (report, canonical.filter(|_| ok))
}

mod disclose;
mod order;
mod rules;

#[cfg(test)]
mod tests;
