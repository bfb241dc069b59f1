//! A published table in the files open-data users download (HDX, IATI, pandas, R): CSV (optionally with an HXL
//! row), Parquet and the Arrow IPC file format, and the snapshot's Frictionless Data Package that lists them. Bytes
//! in, bytes out; the server serves them.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int16Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType};

use crate::api::{DataPackage, DownloadFormat, Downloads, License, PackageField, Resource, TableSchema, download_file};
use crate::format::csv_cell;
use crate::manifest::Manifest;
use crate::tables;

/// A canonical table as CSV: UTF-8 without a BOM (machine readers; the templates carry one for Excel), LF line
/// ends, a header of the contract's column names, dictionary columns as their codes, numbers as Rust prints them
/// (`.` decimal, no thousands separator, shortest text that reads back to the same `f64`), empty cells for nulls,
/// every cell through [`csv_cell`]. With `hxl`, a row of each column's [`tables::ColumnSpec::hxl`] hashtag under
/// the header (empty for a column the table's spec does not know).
pub fn csv(table: &str, batch: &RecordBatch, hxl: bool) -> Result<Vec<u8>, ArrowError> {
    let schema = batch.schema();
    let spec = tables::spec(table);
    let mut out = String::with_capacity(batch.num_rows().saturating_mul(48));
    let header: Vec<String> = schema.fields().iter().map(|f| csv_cell(f.name())).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    if hxl {
        let tags: Vec<&str> = schema
            .fields()
            .iter()
            .map(|f| spec.and_then(|s| s.column(f.name())).map_or("", tables::ColumnSpec::hxl))
            .collect();
        out.push_str(&tags.join(","));
        out.push('\n');
    }
    let columns: Vec<Column<'_>> = batch.columns().iter().map(Column::of).collect::<Result<_, _>>()?;
    let mut cell = String::new();
    for row in 0..batch.num_rows() {
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell.clear();
            column.write(row, &mut cell)?;
            if needs_care(&cell) {
                out.push_str(&csv_cell(&cell));
            } else {
                out.push_str(&cell);
            }
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// Whether a cell must go through [`csv_cell`]'s quoting or formula guard (most cells, codes and numbers, do not:
/// writing them straight keeps a million rows fast).
fn needs_care(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.contains([',', '"', '\n', '\r'])
}

/// One column, typed once, read row by row.
enum Column<'a> {
    Float(&'a arrow_array::Float64Array),
    Int(&'a arrow_array::Int64Array),
    Bool(&'a arrow_array::BooleanArray),
    Text(&'a arrow_array::StringArray),
    /// Dictionary keys (read in place, whatever their width) and the codes they point at.
    Codes {
        keys: Keys<'a>,
        values: &'a arrow_array::StringArray,
    },
    Other(arrow_cast::display::ArrayFormatter<'a>),
}

/// A dictionary's keys at their stored width.
enum Keys<'a> {
    I8(&'a arrow_array::PrimitiveArray<Int8Type>),
    I16(&'a arrow_array::PrimitiveArray<Int16Type>),
    I32(&'a arrow_array::PrimitiveArray<Int32Type>),
    I64(&'a arrow_array::PrimitiveArray<Int64Type>),
}

impl Keys<'_> {
    /// The key of `row`, if it has one that can index.
    fn get(&self, row: usize) -> Option<usize> {
        match self {
            Self::I8(k) => k.is_valid(row).then(|| usize::try_from(k.value(row)).ok()),
            Self::I16(k) => k.is_valid(row).then(|| usize::try_from(k.value(row)).ok()),
            Self::I32(k) => k.is_valid(row).then(|| usize::try_from(k.value(row)).ok()),
            Self::I64(k) => k.is_valid(row).then(|| usize::try_from(k.value(row)).ok()),
        }
        .flatten()
    }
}

impl<'a> Column<'a> {
    fn of(array: &'a ArrayRef) -> Result<Self, ArrowError> {
        Ok(match array.data_type() {
            DataType::Float64 => Self::Float(array.as_primitive()),
            DataType::Int64 => Self::Int(array.as_primitive()),
            DataType::Boolean => Self::Bool(array.as_boolean()),
            DataType::Utf8 => Self::Text(array.as_string()),
            DataType::Dictionary(key, value) if **value == DataType::Utf8 => {
                let (keys, values) = match **key {
                    DataType::Int8 => {
                        let d = array.as_dictionary::<Int8Type>();
                        (Keys::I8(d.keys()), d.values())
                    }
                    DataType::Int16 => {
                        let d = array.as_dictionary::<Int16Type>();
                        (Keys::I16(d.keys()), d.values())
                    }
                    DataType::Int32 => {
                        let d = array.as_dictionary::<Int32Type>();
                        (Keys::I32(d.keys()), d.values())
                    }
                    DataType::Int64 => {
                        let d = array.as_dictionary::<Int64Type>();
                        (Keys::I64(d.keys()), d.values())
                    }
                    _ => return Self::other(array),
                };
                Self::Codes { keys, values: values.as_string() }
            }
            _ => return Self::other(array),
        })
    }

    fn other(array: &'a ArrayRef) -> Result<Self, ArrowError> {
        let options = arrow_cast::display::FormatOptions::default();
        Ok(Self::Other(arrow_cast::display::ArrayFormatter::try_new(array, &options)?))
    }

    /// Writes the cell of `row` (nothing for a null).
    fn write(&self, row: usize, out: &mut String) -> Result<(), ArrowError> {
        use std::fmt::Write as _;
        let done = |r: std::fmt::Result| r.map_err(|e| ArrowError::ExternalError(Box::new(e)));
        match self {
            Self::Float(a) if a.is_valid(row) => done(write!(out, "{}", a.value(row))),
            Self::Int(a) if a.is_valid(row) => done(write!(out, "{}", a.value(row))),
            Self::Bool(a) if a.is_valid(row) => done(write!(out, "{}", a.value(row))),
            Self::Text(a) if a.is_valid(row) => {
                out.push_str(a.value(row));
                Ok(())
            }
            Self::Codes { keys, values } => {
                if let Some(k) = keys.get(row)
                    && k < values.len()
                    && values.is_valid(k)
                {
                    out.push_str(values.value(k));
                }
                Ok(())
            }
            Self::Other(f) => done(write!(out, "{}", f.value(row))),
            Self::Float(_) | Self::Int(_) | Self::Bool(_) | Self::Text(_) => Ok(()),
        }
    }
}

/// A table as Parquet: ZSTD-compressed, dictionary columns written as dictionary-encoded strings (and read back as
/// dictionaries by pyarrow, through the Arrow schema the writer stores beside the file's own).
pub fn parquet(batch: &RecordBatch) -> Result<Vec<u8>, parquet::errors::ParquetError> {
    use parquet::basic::{Compression, ZstdLevel};
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_dictionary_enabled(true)
        .set_created_by(format!("rumbo {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut out = Vec::new();
    let mut writer = parquet::arrow::ArrowWriter::try_new(&mut out, Arc::clone(batch.schema_ref()), Some(props))?;
    writer.write(batch)?;
    writer.close()?;
    Ok(out)
}

/// A table in the Arrow IPC *file* format (random access, what `pyarrow.ipc.open_file` and `arrow::read_feather`
/// read), uncompressed, as the stream the app reads is.
pub fn arrow_file(batch: &RecordBatch) -> Result<Vec<u8>, ArrowError> {
    let mut out = Vec::new();
    let mut writer = arrow_ipc::writer::FileWriter::try_new(&mut out, batch.schema_ref())?;
    writer.write(batch)?;
    writer.finish()?;
    drop(writer);
    Ok(out)
}

/// A column's Table Schema type (Frictionless): what its CSV cells read as.
pub const fn field_type(kind: tables::Kind) -> &'static str {
    use tables::Kind;
    match kind {
        Kind::Code { .. } | Kind::Codes(_) | Kind::Period | Kind::Text | Kind::Ref(_) => "string",
        Kind::Date => "date",
        Kind::Integer { .. } => "integer",
        Kind::Number => "number",
        Kind::Bool => "boolean",
    }
}

/// A snapshot as a Frictionless Data Package: its manifest, every table with its schema and downloads (under the
/// snapshot's fixed id, so the package names files that never change), and the licence.
pub fn data_package(manifest: &Manifest, licence: &str) -> DataPackage {
    let id = &manifest.snapshot_id;
    let resources = manifest
        .tables
        .iter()
        .map(|entry| {
            let spec = tables::spec(&entry.name);
            let fields = spec.map_or_else(Vec::new, |s| {
                s.columns
                    .iter()
                    .map(|c| PackageField {
                        name: c.name.to_owned(),
                        field_type: field_type(c.kind).to_owned(),
                        hxl: c.hxl().to_owned(),
                    })
                    .collect()
            });
            Resource {
                name: entry.name.clone(),
                profile: "tabular-data-resource".to_owned(),
                path: format!("downloads/{}", download_file(&entry.name, DownloadFormat::Csv)),
                format: DownloadFormat::Csv.ext().to_owned(),
                mediatype: "text/csv".to_owned(),
                encoding: "utf-8".to_owned(),
                rows: entry.rows,
                schema: TableSchema {
                    fields,
                    primary_key: spec.map_or_else(Vec::new, |s| s.key.iter().map(|&k| k.to_owned()).collect()),
                    missing_values: vec![String::new()],
                },
                downloads: Downloads::of(id, &entry.name),
            }
        })
        .collect();
    DataPackage {
        profile: "tabular-data-package".to_owned(),
        name: format!("rumbo-{}", id.to_ascii_lowercase()),
        id: id.clone(),
        title: manifest.title_es.clone(),
        title_en: manifest.title_en.clone(),
        description: manifest.source_notes.clone(),
        as_of: manifest.as_of.clone(),
        created: manifest.published_at.clone(),
        publisher: manifest.publisher.clone(),
        synthetic: manifest.synthetic,
        licenses: vec![License::of_setting(licence)],
        resources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> RecordBatch {
        let batch = crate::demo::facts(&crate::demo::DemoConfig::default());
        let spec = &tables::FACTS;
        let upload = crate::validate::Upload { name: spec.name.into(), batch };
        let (report, canonical) = crate::validate::validate_snapshot(&[upload]);
        assert!(!report.has_errors());
        canonical.expect("valid").remove(0).1
    }

    #[test]
    fn the_csv_has_the_contract_header_an_hxl_row_codes_and_plain_numbers() {
        let batch = facts().slice(0, 50);
        let text = String::from_utf8(csv("facts", &batch, true).expect("csv")).expect("utf-8");
        let mut lines = text.lines();
        let names: Vec<&str> = tables::FACTS.columns.iter().map(|c| c.name).collect();
        assert_eq!(lines.next(), Some(names.join(",").as_str()));
        assert_eq!(
            lines.next(),
            Some(
                "#indicator+code,#date+period,#loc+code,#service+code,#population+type,#group+sex,#group+age,\
                 #indicator+value+num,#status+value"
            )
        );
        let first: Vec<&str> = lines.next().expect("a row").split(',').collect();
        assert_eq!(first.len(), names.len());
        assert!(first[0].starts_with("COB-") || first[0].contains('-'), "a code, not a key: {first:?}");
        assert_eq!(text.lines().count(), 2 + 50);
        assert!(!text.contains(".0,"), "numbers are printed shortest: {text}");
        let plain = String::from_utf8(csv("facts", &batch, false).expect("csv")).expect("utf-8");
        assert_eq!(plain.lines().count(), 1 + 50);
    }

    #[test]
    fn a_formula_in_a_text_cell_is_neutralised() {
        let text: ArrayRef = Arc::new(arrow_array::StringArray::from(vec![Some("=1+1"), None, Some("a,b")]));
        let codes: ArrayRef =
            Arc::new([Some("-x"), Some("T01"), None].into_iter().collect::<arrow_array::DictionaryArray<Int16Type>>());
        let batch = RecordBatch::try_from_iter([("name_es", text), ("territory", codes)]).expect("batch");
        let out = String::from_utf8(csv("x", &batch, true).expect("csv")).expect("utf-8");
        assert_eq!(out, "name_es,territory\n,\n'=1+1,'-x\n,T01\n\"a,b\",\n");
    }

    #[test]
    fn parquet_and_arrow_files_read_back_to_the_same_batch() {
        let batch = facts();
        let bytes = bytes::Bytes::from(parquet(&batch).expect("parquet"));
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes)
            .expect("reader")
            .build()
            .expect("build");
        let read: Vec<RecordBatch> = reader.collect::<Result<_, _>>().expect("batches");
        let read = arrow_select::concat::concat_batches(batch.schema_ref(), &read).expect("concat");
        assert_eq!(read, batch);
        let file = arrow_file(&batch).expect("arrow");
        let mut reader =
            arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(file), None).expect("arrow file reader");
        assert_eq!(reader.next().expect("a batch").expect("reads"), batch);
    }
}
