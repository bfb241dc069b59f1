//! The typed view over a `facts` batch. Untrusted Arrow becomes a [`Facts`] in exactly one place
//! ([`Facts::try_from`]); afterwards getters cannot fail.

use std::borrow::Cow;
use std::ops::Range;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int16Type};
use arrow_array::{Array, Float64Array, Int8Array, Int16Array, RecordBatch, StringArray};

use crate::schema::{FACTS, FactsColumn, SCHEMA_VERSION, SCHEMA_VERSION_KEY};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FactsError {
    #[error("falta la columna «{0}» / missing column «{0}»")]
    MissingColumn(&'static str),
    #[error(
        "la columna «{column}» tiene tipo {found}, se esperaba {expected} / column «{column}» has type {found}, expected {expected}"
    )]
    WrongType { column: &'static str, expected: &'static str, found: String },
    #[error("la columna «{0}» tiene valores nulos / column «{0}» has nulls")]
    NullCode(&'static str),
    #[error(
        "versión de esquema {found:?}, se esperaba {SCHEMA_VERSION} / schema version {found:?}, expected {SCHEMA_VERSION}"
    )]
    SchemaVersion { found: Option<String> },
}

/// A dictionary-encoded code column: keys into a small list of codes.
#[derive(Debug, Clone)]
pub struct Dim {
    keys: Keys,
    codes: StringArray,
}

/// Some rows' keys of one dimension, as stored.
#[derive(Debug, Clone, Copy)]
pub enum DimKeys<'a> {
    I8(&'a [i8]),
    I16(&'a [i16]),
}

/// Some rows' keys of the seven key columns: the period's as stored, and the six others (indicator, territory,
/// service, population, sex, age group) as stored when they share one width, as `i16` otherwise (the narrow ones
/// widened, for those rows only). The period is apart because it is the dictionary that outgrows `i8`: more than
/// ten years of months.
pub struct RowKeys<'a> {
    pub period: DimKeys<'a>,
    pub others: OtherKeys<'a>,
}

/// [`RowKeys::others`].
pub enum OtherKeys<'a> {
    I8([&'a [i8]; 6]),
    I16([Cow<'a, [i16]>; 6]),
}

/// A dimension's keys as stored: canonical tables use the narrowest width that fits the dictionary (`Int8` up to
/// 128 codes, `validate::order::narrow`); tables published before that, and larger dictionaries, `Int16`.
#[derive(Debug, Clone)]
enum Keys {
    I8(Int8Array),
    I16(Int16Array),
}

impl Dim {
    fn try_new(batch: &RecordBatch, column: FactsColumn) -> Result<Self, FactsError> {
        let name = column.name();
        let array = batch.column_by_name(name).ok_or(FactsError::MissingColumn(name))?;
        let wrong = || FactsError::WrongType {
            column: name,
            expected: "Dictionary(Int8 | Int16, Utf8)",
            found: array.data_type().to_string(),
        };
        let (keys, codes) = if let Some(dict) = array.as_dictionary_opt::<Int8Type>() {
            (Keys::I8(dict.keys().clone()), dict.values())
        } else if let Some(dict) = array.as_dictionary_opt::<Int16Type>() {
            (Keys::I16(dict.keys().clone()), dict.values())
        } else {
            return Err(wrong());
        };
        let codes = codes.as_string_opt::<i32>().ok_or_else(wrong)?.clone();
        if array.null_count() > 0 {
            return Err(FactsError::NullCode(name));
        }
        // Every key points inside the code list, so `code()` cannot fail later: arrow-rs checks the keys of every
        // dictionary array it builds (`ArrayData::validate_values` when decoding IPC, `DictionaryArray::try_new`
        // otherwise), and no key is null (above). Checking them again here cost 10 ms at 1M rows in the browser.
        i16::try_from(codes.len()).map_err(|_| wrong())?;
        Ok(Self { keys, codes })
    }

    /// The dictionary key of a row.
    #[inline]
    pub fn key(&self, row: usize) -> i16 {
        match &self.keys {
            Keys::I8(k) => i16::from(k.values()[row]),
            Keys::I16(k) => k.values()[row],
        }
    }

    /// The stored keys of `rows`, for column-wise loops (index them from 0 for `rows.start`).
    pub fn keys_in(&self, rows: Range<usize>) -> DimKeys<'_> {
        match &self.keys {
            Keys::I8(k) => DimKeys::I8(&k.values()[rows]),
            Keys::I16(k) => DimKeys::I16(&k.values()[rows]),
        }
    }

    /// [`Dim::keys_in`] as `i16`: borrowed when stored so, widened (a copy of those rows alone) when `i8`.
    pub fn wide_keys_in(&self, rows: Range<usize>) -> Cow<'_, [i16]> {
        match self.keys_in(rows) {
            DimKeys::I8(k) => Cow::Owned(k.iter().map(|&k| i16::from(k)).collect()),
            DimKeys::I16(k) => Cow::Borrowed(k),
        }
    }

    /// The code of a row.
    pub fn code(&self, row: usize) -> &str {
        self.codes.value(self.key(row) as usize)
    }

    /// The code a key stands for.
    pub fn code_of_key(&self, key: i16) -> &str {
        self.codes.value(key as usize)
    }

    /// The key of a code, if the code occurs in this column's dictionary.
    pub fn key_of(&self, code: &str) -> Option<i16> {
        (0..self.codes.len()).find(|&i| self.codes.value(i) == code).map(|i| i as i16)
    }

    /// Number of distinct codes in the dictionary.
    pub fn dictionary_len(&self) -> usize {
        self.codes.len()
    }
}

/// A validated `facts` table.
#[derive(Debug, Clone)]
pub struct Facts {
    pub indicator: Dim,
    pub period: Dim,
    pub territory: Dim,
    pub service: Dim,
    pub population: Dim,
    pub sex: Dim,
    pub age_group: Dim,
    pub status: Dim,
    value: Float64Array,
    /// Per indicator key, its rows, when each indicator's rows are contiguous (canonical tables are sorted by
    /// indicator first); `None` for tables in any other order.
    runs: Option<Vec<Range<usize>>>,
    batch: RecordBatch,
}

/// The rows of each key when every key's rows are contiguous; `None` when some key occurs in two runs.
fn runs<K: Copy + PartialEq + Into<i16>>(keys: &[K], dictionary_len: usize) -> Option<Vec<Range<usize>>> {
    let mut runs = vec![0..0; dictionary_len];
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start];
        let end = start + keys[start..].iter().position(|&k| k != key).unwrap_or(keys.len() - start);
        let run = runs.get_mut(usize::try_from(key.into()).ok()?)?;
        if run.end != 0 {
            return None;
        }
        *run = start..end;
        start = end;
    }
    Some(runs)
}

impl TryFrom<RecordBatch> for Facts {
    type Error = FactsError;

    fn try_from(batch: RecordBatch) -> Result<Self, FactsError> {
        let version = batch.schema_ref().metadata().get(SCHEMA_VERSION_KEY).cloned();
        if version.as_deref() != Some(SCHEMA_VERSION) {
            return Err(FactsError::SchemaVersion { found: version });
        }
        let value_name = FactsColumn::Value.name();
        let value_array = batch.column_by_name(value_name).ok_or(FactsError::MissingColumn(value_name))?;
        let value = value_array
            .as_primitive_opt::<arrow_array::types::Float64Type>()
            .ok_or_else(|| FactsError::WrongType {
                column: value_name,
                expected: "Float64",
                found: value_array.data_type().to_string(),
            })?
            .clone();
        let indicator = Dim::try_new(&batch, FactsColumn::Indicator)?;
        let runs = match &indicator.keys {
            Keys::I8(k) => runs(k.values(), indicator.dictionary_len()),
            Keys::I16(k) => runs(k.values(), indicator.dictionary_len()),
        };
        Ok(Self {
            indicator,
            period: Dim::try_new(&batch, FactsColumn::Period)?,
            territory: Dim::try_new(&batch, FactsColumn::Territory)?,
            service: Dim::try_new(&batch, FactsColumn::Service)?,
            population: Dim::try_new(&batch, FactsColumn::Population)?,
            sex: Dim::try_new(&batch, FactsColumn::Sex)?,
            age_group: Dim::try_new(&batch, FactsColumn::AgeGroup)?,
            status: Dim::try_new(&batch, FactsColumn::Status)?,
            value,
            runs,
            batch,
        })
    }
}

impl Facts {
    pub fn len(&self) -> usize {
        self.batch.num_rows()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows that may hold an indicator (by key): exactly its rows in a table sorted by indicator, every row
    /// otherwise. Row loops over one indicator go through this.
    pub fn rows_of(&self, indicator: i16) -> Range<usize> {
        match &self.runs {
            Some(runs) => runs.get(indicator as usize).cloned().unwrap_or(0..0),
            None => 0..self.len(),
        }
    }

    /// The keys of `rows` in the seven key columns ([`RowKeys`]; index them from 0 for `rows.start`).
    pub fn keys_in(&self, rows: &Range<usize>) -> RowKeys<'_> {
        let dims = [&self.indicator, &self.territory, &self.service, &self.population, &self.sex, &self.age_group];
        let others = match dims.map(|d| d.keys_in(rows.clone())) {
            [
                DimKeys::I8(ind),
                DimKeys::I8(ter),
                DimKeys::I8(ser),
                DimKeys::I8(pop),
                DimKeys::I8(sex),
                DimKeys::I8(age),
            ] => OtherKeys::I8([ind, ter, ser, pop, sex, age]),
            _ => OtherKeys::I16(dims.map(|d| d.wide_keys_in(rows.clone()))),
        };
        RowKeys { period: self.period.keys_in(rows.clone()), others }
    }

    /// The value of a row; `None` when missing (its status says why). A null is never a zero.
    pub fn value(&self, row: usize) -> Option<f64> {
        self.value.is_valid(row).then(|| self.value.value(row))
    }

    /// The raw value buffer and validity, for column-wise loops.
    pub fn values(&self) -> &Float64Array {
        &self.value
    }

    pub fn batch(&self) -> &RecordBatch {
        &self.batch
    }

    /// Name of the table, as in the schema metadata.
    pub const fn table_name() -> &'static str {
        FACTS
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_are_found_only_when_each_key_is_contiguous() {
        assert_eq!(runs::<i16>(&[0, 0, 2, 2, 2, 1], 4), Some(vec![0..2, 5..6, 2..5, 0..0]));
        assert_eq!(runs::<i8>(&[0, 0, 2, 2, 2, 1], 4), Some(vec![0..2, 5..6, 2..5, 0..0]));
        assert_eq!(runs::<i16>(&[], 2), Some(vec![0..0, 0..0]));
        assert_eq!(runs::<i8>(&[0, 1, 0], 2), None, "key 0 twice: every row must be read");
    }
}
