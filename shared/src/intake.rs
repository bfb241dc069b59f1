//! Intake: bytes from the tools analysts use (Arrow IPC file or stream, compressed or not; CSV from Excel;
//! Parquet) become one uploaded table. Limits on bytes, rows, columns and cell length are checked before any
//! large allocation; malformed input is an error, never a panic.

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::schema::TABLE_KEY;
use crate::validate::Upload;

/// Limits on one uploaded file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 256 * 1024 * 1024, max_rows: 5_000_000, max_columns: 64 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ArrowFile,
    ArrowStream,
    Parquet,
    Csv,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum IntakeError {
    #[error("el archivo supera el máximo de {max} bytes / the file exceeds the maximum of {max} bytes")]
    TooLarge { max: usize },
    #[error("el archivo tiene más de {max} filas / the file has more than {max} rows")]
    TooManyRows { max: usize },
    #[error(
        "el archivo tiene {found} columnas; el máximo es {max} / the file has {found} columns; the maximum is {max}"
    )]
    TooManyColumns { found: usize, max: usize },
    #[error("el archivo está vacío / the file is empty")]
    Empty,
    #[error(
        "el CSV no está en UTF-8 (línea {line}): guárdelo como «CSV UTF-8» / the CSV is not UTF-8 (line {line}): save it as «CSV UTF-8»"
    )]
    NotUtf8 { line: usize },
    #[error("el CSV tiene columnas repetidas: «{0}» / the CSV repeats a column: «{0}»")]
    DuplicateColumn(String),
    #[error("no se pudo leer el archivo {format}: {detail} / could not read the {format} file: {detail}")]
    Malformed { format: &'static str, detail: String },
}

impl Format {
    /// Recognises a format by its magic bytes; anything else is read as CSV.
    pub fn detect(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"ARROW1") {
            Self::ArrowFile
        } else if bytes.starts_with(b"PAR1") {
            Self::Parquet
        } else if bytes.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
            Self::ArrowStream
        } else {
            Self::Csv
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::ArrowFile => "Arrow IPC",
            Self::ArrowStream => "Arrow IPC (stream)",
            Self::Parquet => "Parquet",
            Self::Csv => "CSV",
        }
    }
}

/// The table name of an uploaded file: the Arrow metadata `rumbo.table` when present, else the file name's stem
/// (`facts.csv` → `facts`).
fn table_name(file_name: &str, schema: &Schema) -> String {
    if let Some(name) = schema.metadata().get(TABLE_KEY) {
        return name.clone();
    }
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.split('.').next().unwrap_or(base).trim().to_lowercase()
}

/// Reads one file into an [`Upload`].
///
/// arrow-rs readers can panic on some corrupt inputs (e.g. buffer offsets past the end) instead of returning an
/// error; such a panic is caught here and reported as a damaged file, so no input can take the server down.
pub fn read(file_name: &str, bytes: &[u8], limits: Limits) -> Result<Upload, IntakeError> {
    std::panic::catch_unwind(|| read_unguarded(file_name, bytes, limits)).unwrap_or_else(|_| {
        Err(IntakeError::Malformed {
            format: Format::detect(bytes).name(),
            detail: "archivo dañado / damaged file".to_owned(),
        })
    })
}

fn read_unguarded(file_name: &str, bytes: &[u8], limits: Limits) -> Result<Upload, IntakeError> {
    if bytes.len() > limits.max_bytes {
        return Err(IntakeError::TooLarge { max: limits.max_bytes });
    }
    if bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    let format = Format::detect(bytes);
    let malformed = |e: &dyn std::fmt::Display| IntakeError::Malformed { format: format.name(), detail: e.to_string() };
    let (schema, batches) = match format {
        Format::ArrowFile => {
            let reader = arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None).map_err(|e| malformed(&e))?;
            let schema = reader.schema();
            check_columns(&schema, limits)?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::ArrowStream => {
            let reader =
                arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| malformed(&e))?;
            let schema = reader.schema();
            check_columns(&schema, limits)?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::Parquet => {
            let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                bytes::Bytes::copy_from_slice(bytes),
            )
            .map_err(|e| malformed(&e))?;
            let declared = builder.metadata().file_metadata().num_rows();
            if usize::try_from(declared).map_or(true, |n| n > limits.max_rows) {
                return Err(IntakeError::TooManyRows { max: limits.max_rows });
            }
            let schema = Arc::clone(builder.schema());
            check_columns(&schema, limits)?;
            let reader = builder.with_batch_size(65_536).build().map_err(|e| malformed(&e))?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::Csv => csv(bytes, limits)?,
    };
    let name = table_name(file_name, &schema);
    let batch = if batches.len() == 1 {
        batches.into_iter().next().unwrap_or_else(|| RecordBatch::new_empty(Arc::clone(&schema)))
    } else {
        arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| malformed(&e))?
    };
    Ok(Upload { name, batch })
}

fn check_columns(schema: &Schema, limits: Limits) -> Result<(), IntakeError> {
    let found = schema.fields().len();
    if found > limits.max_columns {
        return Err(IntakeError::TooManyColumns { found, max: limits.max_columns });
    }
    Ok(())
}

fn collect<E: std::fmt::Display>(
    reader: impl Iterator<Item = Result<RecordBatch, E>>,
    limits: Limits,
    malformed: &dyn Fn(&dyn std::fmt::Display) -> IntakeError,
) -> Result<Vec<RecordBatch>, IntakeError> {
    let mut rows = 0usize;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| malformed(&e))?;
        rows += batch.num_rows();
        if rows > limits.max_rows {
            return Err(IntakeError::TooManyRows { max: limits.max_rows });
        }
        out.push(batch);
    }
    Ok(out)
}

/// CSV as Excel and other tools write it: UTF-8 with or without BOM, comma or semicolon, LF or CRLF. Every column
/// is read as text; validation does the typing, so each bad cell is reported with its row and column.
fn csv(bytes: &[u8], limits: Limits) -> Result<(SchemaRef, Vec<RecordBatch>), IntakeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()].split(|&b| b == b'\n').count();
        return Err(IntakeError::NotUtf8 { line });
    }
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    let header = std::str::from_utf8(&bytes[..header_end]).unwrap_or_default().trim_end_matches('\r');
    if header.trim().is_empty() {
        return Err(IntakeError::Empty);
    }
    // Excel in Spanish locales writes semicolons; count outside quotes in the header line only.
    let delimiter = if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' };
    let found = header.split(char::from(delimiter)).count();
    if found > limits.max_columns {
        return Err(IntakeError::TooManyColumns { found, max: limits.max_columns });
    }
    let mut names: Vec<String> = Vec::with_capacity(found);
    for raw in header.split(char::from(delimiter)) {
        let name = raw.trim().trim_matches('"').trim().to_owned();
        if names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return Err(IntakeError::DuplicateColumn(name));
        }
        names.push(name);
    }
    let schema: SchemaRef =
        Arc::new(Schema::new(names.iter().map(|n| Field::new(n, DataType::Utf8, true)).collect::<Vec<_>>()));
    let reader = arrow_csv::ReaderBuilder::new(Arc::clone(&schema))
        .with_header(true)
        .with_delimiter(delimiter)
        .with_batch_size(65_536)
        .build(Cursor::new(bytes))
        .map_err(|e| IntakeError::Malformed { format: "CSV", detail: e.to_string() })?;
    let batches = collect(reader, limits, &|e| IntakeError::Malformed { format: "CSV", detail: e.to_string() })?;
    Ok((schema, batches))
}

/// Writes a batch as CSV (UTF-8 with BOM so Excel opens accents right), for `rumbo demo` and templates.
pub fn write_csv(batch: &RecordBatch) -> Result<Vec<u8>, arrow_schema::ArrowError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    // Dictionary columns are written as their codes.
    let columns: Vec<arrow_array::ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Dictionary(_, _) => arrow_cast::cast(c, &DataType::Utf8),
            _ => Ok(Arc::clone(c)),
        })
        .collect::<Result<_, _>>()?;
    let fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .zip(&columns)
        .map(|(f, c)| Field::new(f.name(), c.data_type().clone(), true))
        .collect();
    let plain = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    let mut writer = arrow_csv::WriterBuilder::new().with_header(true).build(&mut out);
    writer.write(&plain)?;
    drop(writer);
    Ok(out)
}
