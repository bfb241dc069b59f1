//! Intake: bytes from the tools analysts use (Arrow IPC file or stream, compressed or not; CSV from Excel;
//! Parquet) become one uploaded table. Limits on bytes, rows, columns and decompressed size are checked before any
//! large allocation; malformed input is an error, never a panic.

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::schema::TABLE_KEY;
use crate::validate::Upload;

mod fast_csv;
pub mod workbook;

/// Limits on one uploaded file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
    pub max_columns: usize,
    /// Largest table once decompressed and decoded (a compression bomb stops here, before it is inflated when the
    /// file declares its sizes: Arrow IPC buffer prefixes, Parquet row-group metadata).
    pub max_decoded_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_rows: 5_000_000,
            max_columns: 64,
            max_decoded_bytes: 1024 * 1024 * 1024,
        }
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
    #[error(
        "descomprimido, el archivo ocuparía más de {max} bytes / decompressed, the file would take more than {max} bytes"
    )]
    TooLargeDecoded { max: usize },
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
    if workbook::is_workbook(bytes) {
        // A workbook holds several tables: `validate::read_files` reads it sheet by sheet.
        return Err(IntakeError::Malformed {
            format: "Excel/ODS",
            detail: "un libro se lee hoja por hoja / a workbook is read sheet by sheet".to_owned(),
        });
    }
    let format = Format::detect(bytes);
    let malformed = |e: &dyn std::fmt::Display| IntakeError::Malformed { format: format.name(), detail: e.to_string() };
    let (schema, batches) = match format {
        Format::ArrowFile => {
            check_ipc_file(bytes, limits)?;
            let reader = arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None).map_err(|e| malformed(&e))?;
            let schema = reader.schema();
            check_columns(&schema, limits)?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::ArrowStream => {
            check_ipc_messages(bytes, 0, limits)?;
            let reader =
                arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| malformed(&e))?;
            let schema = reader.schema();
            check_columns(&schema, limits)?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::Parquet => {
            let bytes = bytes::Bytes::copy_from_slice(bytes);
            let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes.clone())
                .map_err(|e| malformed(&e))?;
            let declared = builder.metadata().file_metadata().num_rows();
            if usize::try_from(declared).map_or(true, |n| n > limits.max_rows) {
                return Err(IntakeError::TooManyRows { max: limits.max_rows });
            }
            // Declared uncompressed sizes, before any page is inflated.
            let declared_bytes = builder
                .metadata()
                .row_groups()
                .iter()
                .flat_map(parquet::file::metadata::RowGroupMetaData::columns)
                .fold(0u64, |sum, c| sum.saturating_add(u64::try_from(c.uncompressed_size()).unwrap_or(u64::MAX)));
            if usize::try_from(declared_bytes).map_or(true, |n| n > limits.max_decoded_bytes) {
                return Err(IntakeError::TooLargeDecoded { max: limits.max_decoded_bytes });
            }
            check_columns(builder.schema(), limits)?;
            // Every column chunk inside the file: the reader asserts (panics) on negative offsets or sizes.
            let file_len = bytes.len() as u64;
            let chunks =
                builder.metadata().row_groups().iter().flat_map(parquet::file::metadata::RowGroupMetaData::columns);
            for chunk in chunks {
                let start = chunk.dictionary_page_offset().unwrap_or_else(|| chunk.data_page_offset());
                let (Ok(start), Ok(len), Ok(_)) = (
                    u64::try_from(start),
                    u64::try_from(chunk.compressed_size()),
                    u64::try_from(chunk.data_page_offset()),
                ) else {
                    return Err(malformed(
                        &"un bloque de columna tiene un tamaño negativo / a column chunk has a negative size",
                    ));
                };
                if start.checked_add(len).is_none_or(|end| end > file_len) {
                    return Err(malformed(
                        &"un bloque de columna queda fuera del archivo / a column chunk lies outside the file",
                    ));
                }
            }
            parquet_pages_declare_their_values(&bytes).map_err(|e| malformed(&e))?;
            // Text is read dictionary-encoded, as it is stored: a dictionary page holding one long value repeated
            // on every row would otherwise be copied once per row before anything could count it (`collect`
            // counts what it expands to).
            let schema = Arc::new(parquet_text_as_dictionary(builder.schema()).map_err(|e| malformed(&e))?);
            let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new().with_schema(Arc::clone(&schema));
            let reader =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new_with_options(bytes, options)
                    .map_err(|e| malformed(&e))?
                    .with_batch_size(65_536)
                    .build()
                    .map_err(|e| malformed(&e))?;
            (schema, collect(reader, limits, &malformed)?)
        }
        Format::Csv => csv(file_name, bytes, limits)?,
    };
    let name = table_name(file_name, &schema);
    let batch = if batches.len() == 1 {
        batches.into_iter().next().unwrap_or_else(|| RecordBatch::new_empty(Arc::clone(&schema)))
    } else {
        arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| malformed(&e))?
    };
    Ok(Upload { name, batch })
}

/// Every page of a Parquet file's text (byte-array) columns declares values when it holds bytes. parquet's plain
/// byte-array decoder divides by the declared count (`parquet` 60.1 and 60.2, `array_reader/byte_array.rs`), so a
/// dictionary or data page declaring none but carrying data would panic; such a file is refused here, before the
/// reader sees it. Pages are read one at a time (a dictionary page, or a data page's levels and values, inflated
/// once more: small next to what the reader then does), and only for text columns.
fn parquet_pages_declare_their_values(bytes: &bytes::Bytes) -> Result<(), String> {
    use parquet::column::page::Page;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(bytes.clone()).map_err(|e| e.to_string())?;
    let empty_but_full = |page: &Page| match page {
        Page::DictionaryPage { buf, num_values, .. } | Page::DataPage { buf, num_values, .. } => {
            *num_values == 0 && !buf.is_empty()
        }
        Page::DataPageV2 { buf, num_values, num_nulls, def_levels_byte_len, rep_levels_byte_len, .. } => {
            let levels = u64::from(*def_levels_byte_len) + u64::from(*rep_levels_byte_len);
            num_nulls >= num_values && buf.len() as u64 > levels
        }
    };
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(|e| e.to_string())?;
        for c in 0..group.num_columns() {
            if group.metadata().column(c).column_type() != parquet::basic::Type::BYTE_ARRAY {
                continue;
            }
            for page in group.get_column_page_reader(c).map_err(|e| e.to_string())? {
                if empty_but_full(&page.map_err(|e| e.to_string())?) {
                    return Err(
                        "una página declara 0 valores pero trae datos / a page declares 0 values but holds data"
                            .to_owned(),
                    );
                }
            }
        }
    }
    Ok(())
}

/// A Parquet file's Arrow schema with its text columns as dictionaries of text. Nested columns are refused: no
/// table of the data contract has one, and their leaves could not be counted before they are read.
fn parquet_text_as_dictionary(schema: &Schema) -> Result<Schema, String> {
    let fields = schema.fields().iter().map(|f| {
        let text = |value: DataType| DataType::Dictionary(Box::new(DataType::Int32), Box::new(value));
        match f.data_type() {
            DataType::Utf8 | DataType::Utf8View => Ok(f.as_ref().clone().with_data_type(text(DataType::Utf8))),
            DataType::LargeUtf8 => Ok(f.as_ref().clone().with_data_type(text(DataType::LargeUtf8))),
            t if t.is_nested() => Err(format!(
                "la columna «{}» es anidada ({t}); se esperan columnas simples / the column «{}» is nested ({t}); \
                 plain columns are expected",
                f.name(),
                f.name()
            )),
            _ => Ok(f.as_ref().clone()),
        }
    });
    Ok(Schema::new_with_metadata(fields.collect::<Result<Vec<_>, _>>()?, schema.metadata().clone()))
}

/// The bytes a batch takes once every column is plain: its buffers, plus, for each dictionary-encoded column, the
/// text it expands to (validation reads codes and numbers as text). A dictionary holding one long value on every
/// row is counted once per row, as it will be materialised, not once as it arrived.
pub fn materialised_size(batch: &RecordBatch) -> usize {
    use arrow_array::cast::AsArray;
    let mut size = batch.get_array_memory_size();
    for column in batch.columns() {
        let Some(dictionary) = column.as_any_dictionary_opt() else { continue };
        let values = dictionary.values();
        if values.is_empty() {
            // Every row null (`normalized_keys` would panic): nothing to expand.
            continue;
        }
        let length = |i: usize| -> usize {
            if let Some(v) = values.as_string_opt::<i32>() {
                v.value_length(i) as usize
            } else if let Some(v) = values.as_string_opt::<i64>() {
                v.value_length(i) as usize
            } else if let Some(v) = values.as_binary_opt::<i32>() {
                v.value_length(i) as usize
            } else {
                // Fixed-width values: their width.
                values.data_type().primitive_width().unwrap_or(0)
            }
        };
        let lengths: Vec<usize> = (0..values.len()).map(length).collect();
        let expanded = if let Some(keys) = column.as_dictionary_opt::<arrow_array::types::Int32Type>() {
            // The CSV reader's keys, read in place (normalising them would allocate 8 bytes a row); a null row's
            // key counts as its value, as `normalized_keys` counts it.
            // Four counters per key, taken in turn: runs of one key (sorted columns) then do not wait on one counter.
            let keys = keys.keys();
            let mut rows_per_key = vec![[0usize; 4]; lengths.len()];
            for four in keys.values().chunks(4) {
                for (lane, &key) in four.iter().enumerate() {
                    if let Some(count) = usize::try_from(key).ok().and_then(|k| rows_per_key.get_mut(k)) {
                        count[lane] += 1;
                    }
                }
            }
            let text = rows_per_key
                .iter()
                .zip(&lengths)
                .fold(0usize, |sum, (n, len)| sum.saturating_add(n.iter().sum::<usize>() * len));
            text.saturating_add(keys.len().saturating_mul(8))
        } else {
            dictionary
                .normalized_keys()
                .iter()
                .fold(0usize, |sum, &key| sum.saturating_add(lengths.get(key).copied().unwrap_or(0)).saturating_add(8))
        };
        size = size.saturating_add(expanded);
    }
    size
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
    let mut decoded = 0usize;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| malformed(&e))?;
        rows += batch.num_rows();
        if rows > limits.max_rows {
            return Err(IntakeError::TooManyRows { max: limits.max_rows });
        }
        // Sizes a file did not declare (or declared falsely) are still capped, one batch late at most, and what a
        // dictionary expands to counts as expanded.
        decoded = decoded.saturating_add(materialised_size(&batch));
        if decoded > limits.max_decoded_bytes {
            return Err(IntakeError::TooLargeDecoded { max: limits.max_decoded_bytes });
        }
        out.push(batch);
    }
    Ok(out)
}

/// Checks an Arrow IPC file's record and dictionary batches, found through its footer as the reader finds them.
/// The reader allocates each block's declared length (zeroed) before reading it, so a block that does not lie
/// inside the file is refused here; anything else unreadable is left to the reader, which reports it.
fn check_ipc_file(bytes: &[u8], limits: Limits) -> Result<(), IntakeError> {
    let outside = || IntakeError::Malformed {
        format: Format::ArrowFile.name(),
        detail: "un bloque declarado queda fuera del archivo / a declared block lies outside the file".to_owned(),
    };
    let Some(tail) = bytes.len().checked_sub(10).and_then(|at| bytes.get(at..)) else { return Ok(()) };
    let footer_len = i32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let Some(footer) = usize::try_from(footer_len)
        .ok()
        .and_then(|n| (bytes.len() - 10).checked_sub(n))
        .and_then(|start| bytes.get(start..bytes.len() - 10))
    else {
        // The reader would allocate the declared footer length before finding it does not fit.
        return Err(outside());
    };
    let Ok(footer) = arrow_ipc::root_as_footer(footer) else { return Ok(()) };
    let mut tally = Tally::default();
    let blocks = footer.dictionaries().into_iter().flatten().chain(footer.recordBatches().into_iter().flatten());
    for block in blocks {
        let (Ok(offset), Ok(meta_len), Ok(body_len)) = (
            usize::try_from(block.offset()),
            usize::try_from(block.metaDataLength()),
            usize::try_from(block.bodyLength()),
        ) else {
            return Err(outside());
        };
        let Some(meta) = offset.checked_add(meta_len).and_then(|end| bytes.get(offset..end)) else {
            return Err(outside());
        };
        let Some(body) = (offset + meta_len).checked_add(body_len).and_then(|end| bytes.get(offset + meta_len..end))
        else {
            return Err(outside());
        };
        let meta = match meta.get(..4) {
            Some([0xFF, 0xFF, 0xFF, 0xFF]) => meta.get(8..),
            _ => meta.get(4..),
        };
        if let Some(message) = meta.and_then(|m| arrow_ipc::root_as_message(m).ok()) {
            tally.add(&message, body, limits)?;
        }
    }
    Ok(())
}

/// Walks the messages of an Arrow IPC stream from `pos`, framed as the stream reader frames them, checking each
/// batch's declared rows and decompressed buffer sizes before the reader inflates anything. Framing it cannot
/// follow ends the walk: the reader stops at the same place, with an error.
fn check_ipc_messages(bytes: &[u8], mut pos: usize, limits: Limits) -> Result<(), IntakeError> {
    let word = |at: usize| bytes.get(at..at + 4).map(|w| [w[0], w[1], w[2], w[3]]);
    let mut tally = Tally::default();
    while let Some(first) = word(pos) {
        pos += 4;
        let len = if first == [0xFF; 4] {
            let Some(len) = word(pos) else { break };
            pos += 4;
            i32::from_le_bytes(len)
        } else {
            i32::from_le_bytes(first)
        };
        let Ok(len) = usize::try_from(len) else { break };
        if len == 0 {
            break;
        }
        let Some(meta) = bytes.get(pos..pos.saturating_add(len)) else { break };
        let Ok(message) = arrow_ipc::root_as_message(meta) else { break };
        pos += len;
        let Ok(body_len) = usize::try_from(message.bodyLength()) else { break };
        let Some(body) = bytes.get(pos..pos.saturating_add(body_len)) else { break };
        pos += body_len;
        tally.add(&message, body, limits)?;
    }
    Ok(())
}

/// Running totals of an IPC file's declared rows and decoded bytes.
#[derive(Default)]
struct Tally {
    rows: u64,
    decoded: u64,
}

impl Tally {
    fn add(&mut self, message: &arrow_ipc::Message<'_>, body: &[u8], limits: Limits) -> Result<(), IntakeError> {
        let batch = if let Some(batch) = message.header_as_record_batch() {
            self.rows = self.rows.saturating_add(u64::try_from(batch.length()).unwrap_or(0));
            if usize::try_from(self.rows).map_or(true, |n| n > limits.max_rows) {
                return Err(IntakeError::TooManyRows { max: limits.max_rows });
            }
            batch
        } else if let Some(batch) = message.header_as_dictionary_batch().and_then(|d| d.data()) {
            batch
        } else {
            return Ok(());
        };
        let compressed = batch.compression().is_some();
        for buffer in batch.buffers().into_iter().flatten() {
            // arrow-rs slices each buffer out of the body and panics when it lies outside.
            let inside = usize::try_from(buffer.offset())
                .ok()
                .zip(usize::try_from(buffer.length()).ok())
                .and_then(|(offset, length)| offset.checked_add(length))
                .is_some_and(|end| end <= body.len());
            if !inside {
                return Err(IntakeError::Malformed {
                    format: "Arrow IPC",
                    detail: "un búfer declarado queda fuera del mensaje / a declared buffer lies outside its message"
                        .to_owned(),
                });
            }
            let length = u64::try_from(buffer.length()).unwrap_or(0);
            let size = if compressed && length >= 8 {
                // A compressed buffer starts with its uncompressed length (-1: stored uncompressed).
                let prefix = usize::try_from(buffer.offset())
                    .ok()
                    .and_then(|at| body.get(at..at.checked_add(8)?))
                    .map_or(0, |p| i64::from_le_bytes([p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]]));
                if prefix == -1 { length - 8 } else { u64::try_from(prefix).unwrap_or(0) }
            } else {
                length
            };
            self.decoded = self.decoded.saturating_add(size);
            if usize::try_from(self.decoded).map_or(true, |n| n > limits.max_decoded_bytes) {
                return Err(IntakeError::TooLargeDecoded { max: limits.max_decoded_bytes });
            }
        }
        Ok(())
    }
}

/// CSV as Excel and other tools write it: UTF-8 with or without BOM, comma or semicolon, LF or CRLF. Code columns
/// of the table the file name names come out dictionary-encoded (each distinct trimmed value once), every other
/// column as text; validation does the typing, so each bad cell is reported with its row and column. Plain files
/// take the parallel fast path (`fast_csv`); quoted fields and anything unusual go through arrow-csv.
fn csv(file_name: &str, bytes: &[u8], limits: Limits) -> Result<(SchemaRef, Vec<RecordBatch>), IntakeError> {
    let header = CsvHeader::parse(bytes, limits)?;
    if let Some(read) = header.fast(file_name, limits) {
        return Ok(read);
    }
    header.general(limits)
}

/// A CSV's header, read before either path parses the body.
struct CsvHeader<'a> {
    /// The file without its BOM: valid UTF-8.
    text: &'a str,
    /// Where the body starts (just after the header's line feed).
    body_at: usize,
    delimiter: u8,
    names: Vec<String>,
}

impl<'a> CsvHeader<'a> {
    fn parse(bytes: &'a [u8], limits: Limits) -> Result<Self, IntakeError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let line = bytes[..e.valid_up_to()].split(|&b| b == b'\n').count();
                return Err(IntakeError::NotUtf8 { line });
            }
        };
        let header_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
        let header = text.get(..header_end).unwrap_or_default().trim_end_matches('\r');
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
        Ok(Self { text, body_at: (header_end + 1).min(text.len()), delimiter, names })
    }

    /// The fast path, or `None` when the file is not plain enough for it (see `fast_csv`) or so large that the
    /// general reader must decide whether it fits the decoded-size limit.
    fn fast(&self, file_name: &str, limits: Limits) -> Option<(SchemaRef, Vec<RecordBatch>)> {
        let header = self.text.get(..self.body_at)?.trim_end_matches('\n').trim_end_matches('\r');
        if header.contains(['"', '\r']) {
            return None;
        }
        let body = self.text.get(self.body_at..)?;
        // A generous bound on what the general reader would decode (text, offsets, validity per cell).
        let estimate = body.len().saturating_mul(2).saturating_add(body.len().saturating_mul(self.names.len()));
        if estimate > limits.max_decoded_bytes {
            return None;
        }
        let spec = crate::tables::spec(&table_name(file_name, &Schema::empty()));
        let columns: Vec<fast_csv::Column> = self
            .names
            .iter()
            .map(|name| {
                let kind = spec.and_then(|s| s.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)));
                match kind.map(|c| c.kind) {
                    Some(crate::tables::Kind::Code { .. } | crate::tables::Kind::Period) => {
                        fast_csv::Column::Dictionary
                    }
                    Some(crate::tables::Kind::Number) => fast_csv::Column::Number,
                    _ => fast_csv::Column::Text,
                }
            })
            .collect();
        let arrays = fast_csv::read(body, self.delimiter, &columns, limits.max_rows)?;
        let fields: Vec<Field> = self
            .names
            .iter()
            .zip(&arrays)
            .map(|(name, array)| Field::new(name, array.data_type().clone(), true))
            .collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).ok()?;
        Some((schema, vec![batch]))
    }

    /// arrow-csv, every column as text.
    fn general(&self, limits: Limits) -> Result<(SchemaRef, Vec<RecordBatch>), IntakeError> {
        let fields: Vec<Field> = self.names.iter().map(|n| Field::new(n, DataType::Utf8, true)).collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let reader = arrow_csv::ReaderBuilder::new(Arc::clone(&schema))
            .with_header(true)
            .with_delimiter(self.delimiter)
            .with_batch_size(65_536)
            .build(Cursor::new(self.text.as_bytes()))
            .map_err(|e| IntakeError::Malformed { format: "CSV", detail: e.to_string() })?;
        let batches = collect(reader, limits, &|e| IntakeError::Malformed { format: "CSV", detail: e.to_string() })?;
        Ok((schema, batches))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_ipc::CompressionType;
    use arrow_ipc::writer::{FileWriter, IpcWriteOptions, StreamWriter};

    /// A table of `rows` zeros (`Int16`): 2 bytes a row decoded, a few hundred bytes compressed.
    fn zeros(rows: usize) -> RecordBatch {
        let column: arrow_array::ArrayRef = Arc::new(arrow_array::Int16Array::from(vec![0i16; rows]));
        RecordBatch::try_from_iter([("value", column)]).expect("batch")
    }

    fn ipc(batch: &RecordBatch, codec: CompressionType, file: bool) -> Vec<u8> {
        let options = IpcWriteOptions::default().try_with_compression(Some(codec)).expect("codec");
        let mut out = Vec::new();
        if file {
            let mut w = FileWriter::try_new_with_options(&mut out, &batch.schema(), options).expect("writer");
            w.write(batch).expect("write");
            w.finish().expect("finish");
        } else {
            let mut w = StreamWriter::try_new_with_options(&mut out, &batch.schema(), options).expect("writer");
            w.write(batch).expect("write");
            w.finish().expect("finish");
        }
        out
    }

    /// Reads a CSV through the fast path (which must accept it when `fast` is true, and refuse it otherwise) and
    /// through arrow-csv, validates both, and checks that reports and canonical batches are identical.
    fn same_through_both_csv_paths(name: &str, bytes: &[u8], fast: bool) -> crate::validate::Report {
        let limits = Limits::default();
        let header = CsvHeader::parse(bytes, limits).expect("header");
        let upload = |(schema, batches): (SchemaRef, Vec<RecordBatch>)| Upload {
            name: table_name(name, &Schema::empty()),
            batch: arrow_select::concat::concat_batches(&schema, &batches).expect("concat"),
        };
        let general = upload(header.general(limits).expect("arrow-csv reads it"));
        let Some(quick) = header.fast(name, limits).map(upload) else {
            assert!(!fast, "{name}: the fast path refused a plain file");
            return crate::validate::validate_snapshot(&[general]).0;
        };
        assert!(fast, "{name}: the fast path took a file it should leave to arrow-csv");
        assert_eq!(quick.batch.num_rows(), general.batch.num_rows(), "{name}");
        let (report_quick, canonical_quick) = crate::validate::validate_snapshot(std::slice::from_ref(&quick));
        let (report_general, canonical_general) = crate::validate::validate_snapshot(&[general]);
        assert_eq!(report_quick, report_general, "{name}");
        let batches = |c: Option<Vec<(&crate::tables::TableSpec, RecordBatch)>>| {
            c.map(|c| c.into_iter().map(|(_, b)| b).collect::<Vec<_>>())
        };
        assert_eq!(batches(canonical_quick), batches(canonical_general), "{name}");
        // And `read` itself takes the fast path: the code columns arrive dictionary-encoded.
        let read = read(name, bytes, limits).expect("read");
        assert_eq!(read.batch, quick.batch, "{name}");
        report_general
    }

    fn demo_csv(rows: usize) -> Vec<u8> {
        let months = u32::try_from(rows.div_ceil(765)).expect("small");
        let config = crate::demo::DemoConfig { months: months.max(24), ..crate::demo::DemoConfig::default() };
        write_csv(&crate::demo::facts(&config).slice(0, rows)).expect("csv")
    }

    /// Inputs the strict fuzz runs found (`fuzz/seeds/*/regress-*`; the first byte is the fuzzer's selector),
    /// read without `read`'s panic guard: each must be an error, not a panic.
    #[test]
    fn inputs_the_fuzzer_found_are_errors_not_panics() {
        let intake: [(&str, &[u8]); 2] = [
            // A Parquet column chunk with a negative offset (parquet asserts in `byte_range`).
            ("facts.parquet", include_bytes!("../../fuzz/seeds/intake_validate/regress-bc4937961478")),
            // An Arrow file dictionary block shorter than its message's length prefix (arrow-ipc indexed past it).
            ("facts.arrow", include_bytes!("../../fuzz/seeds/intake_validate/regress-4a1259f57772")),
        ];
        for (name, input) in intake {
            assert!(read_unguarded(name, &input[1..], Limits::default()).is_err(), "{name}");
        }
        let app: [&[u8]; 3] = [
            // A buffer outside its message body; buffers that are not a whole number of values.
            include_bytes!("../../fuzz/seeds/app_decode/regress-1f454e668325"),
            include_bytes!("../../fuzz/seeds/app_decode/regress-badc936c6301"),
            include_bytes!("../../fuzz/seeds/app_decode/regress-bf6cb4a11e4f"),
        ];
        for input in app {
            assert!(crate::ipc::decode_stream(input[1..].to_vec()).is_err());
        }
        // A dictionary page declaring no values but holding data: parquet's plain byte-array decoder divides by
        // the count. Refused before the reader sees it (not by `read`'s guard catching a panic).
        let upstream = include_bytes!("../../fuzz/seeds/intake_validate/regress-parquet-page-without-values");
        let bytes = bytes::Bytes::copy_from_slice(&upstream[1..]);
        let refused = parquet_pages_declare_their_values(&bytes).expect_err("refused from its page headers");
        assert!(refused.contains("0 valores"), "{refused}");
        assert!(read("facts.parquet", &upstream[1..], Limits::default()).is_err());
    }

    #[test]
    fn a_dictionary_counts_as_the_text_it_expands_to() {
        let rows = 1_000;
        let keys = arrow_array::Int32Array::from(vec![0; rows]);
        let long = arrow_array::StringArray::from(vec!["x".repeat(10_000)]);
        let dict = arrow_array::DictionaryArray::try_new(keys, Arc::new(long)).expect("dictionary");
        let batch = RecordBatch::try_from_iter([("c", Arc::new(dict) as arrow_array::ArrayRef)]).expect("batch");
        assert!(materialised_size(&batch) >= rows * 10_000, "{}", materialised_size(&batch));
        // All null: no values to expand (and no panic).
        let keys = arrow_array::Int32Array::from(vec![None::<i32>; rows]);
        let empty = arrow_array::StringArray::from(Vec::<&str>::new());
        let dict = arrow_array::DictionaryArray::try_new(keys, Arc::new(empty)).expect("dictionary");
        let batch = RecordBatch::try_from_iter([("c", Arc::new(dict) as arrow_array::ArrayRef)]).expect("batch");
        assert!(materialised_size(&batch) < rows * 64);
    }

    #[test]
    fn fast_csv_path_matches_arrow_csv_on_the_demo_facts() {
        let small = demo_csv(3_000);
        let report = same_through_both_csv_paths("facts.csv", &small, true);
        assert!(!report.has_errors(), "{:?}", report.findings.first());
        // The value column arrives as numbers, the code columns as dictionaries.
        let batch = read("facts.csv", &small, Limits::default()).expect("read").batch;
        let types: Vec<String> = batch.schema().fields().iter().map(|f| f.data_type().to_string()).collect();
        assert_eq!(types[7], "Float64");
        assert!(types[..7].iter().chain([&types[8]]).all(|t| t == "Dictionary(Int32, Utf8)"), "{types:?}");
        // Over 1 MB: parsed in chunks on several threads, dictionaries merged.
        let big = demo_csv(60_000);
        assert!(big.len() > 2 * fast_csv::MIN_BYTES_PER_THREAD, "{} bytes", big.len());
        let report = same_through_both_csv_paths("facts.csv", &big, true);
        assert!(!report.has_errors(), "{:?}", report.findings.first());
        for (table, text) in crate::demo::roadmap::tables(&crate::demo::DemoConfig::default()) {
            let plain = !text.contains('"');
            same_through_both_csv_paths(&format!("{table}.csv"), text.as_bytes(), plain);
        }
    }

    #[test]
    fn fast_csv_path_matches_arrow_csv_on_excel_csv_with_bom_semicolons_and_crlf() {
        let csv = String::from_utf8(demo_csv(500)).expect("utf-8");
        let excel = csv.replace(',', ";").replace('\n', "\r\n");
        assert!(excel.starts_with('\u{FEFF}'));
        let report = same_through_both_csv_paths("facts.csv", excel.as_bytes(), true);
        assert!(!report.has_errors(), "{:?}", report.findings.first());
    }

    #[test]
    fn quoted_fields_with_separators_and_newlines_go_through_arrow_csv() {
        let header = "indicator,period,territory,service,population,sex,age_group,value,status\n";
        let rows =
            "\"COB-01\",2025-01,T01,_T,_T,_T,_T,\"1,5\",reported\nCOB-01,2025-02,T01,_T,_T,_T,_T,\"3\n4\",reported\n";
        let report = same_through_both_csv_paths("facts.csv", format!("{header}{rows}").as_bytes(), false);
        let bad: Vec<_> = report.findings.iter().map(|f| (f.row, f.column.as_deref(), f.value.as_deref())).collect();
        assert_eq!(bad, [(Some(1), Some("value"), Some("1,5")), (Some(2), Some("value"), Some("3\n4"))]);
        // A quoted header, a lone CR, a blank line, a short row: each left to arrow-csv, which reads or refuses it.
        let odd = [
            format!("\"indicator\",{}", &header[10..]),
            format!("{header}COB-01,2025-01,T01,_T,_T,_T,_T,1,reported\rCOB-01,2025-02,T01,_T,_T,_T,_T,1,reported\n"),
            format!("{header}COB-01,2025-01,T01,_T,_T,_T,_T,1,reported\n\nCOB-01,2025-02,T01,_T,_T,_T,_T,1,reported\n"),
        ];
        for csv in &odd {
            same_through_both_csv_paths("facts.csv", csv.as_bytes(), false);
        }
        let short = format!("{header}COB-01,2025-01,T01,_T,_T,_T,_T,1\n");
        let limits = Limits::default();
        assert!(CsvHeader::parse(short.as_bytes(), limits).expect("header").fast("facts.csv", limits).is_none());
        assert!(matches!(read("facts.csv", short.as_bytes(), limits), Err(IntakeError::Malformed { .. })));
    }

    #[test]
    fn fast_csv_path_matches_arrow_csv_on_bad_cells() {
        let header = "indicator,period,territory,service,population,sex,age_group,value,status,notes\n";
        let rows = [
            " COB-01 ,2025-01,T01,_T,_T,_T,_T, 120 ,reported,",
            "COB-01,2025-01,T01,_T,_T,_T,_T,120,reported,same key as row 1 once trimmed",
            "COB-1,2025-13,T99,_T,retornado,_T,_T,doce,reported,",
            ",,,,,,,,,empty everywhere",
            "COB-01,2025-02,T01,_T,_T,_T,_T,-3,reported,",
            "COB-01,2025-03,T01,_T,_T,_T,_T,,reported,",
            "COB-01,2025-03,T02,_T,_T,_T,_T,7,suppressed,",
            "COB-01,2025-04,T01,_T,_T,_T,_T,10,reported,",
            "COB-01,2025-04,T01,_T,_T,mujer,_T,8,reported,",
            "COB-01,2025-04,T01,_T,_T,hombre,_T,9,reported,",
            "COB-01,2025-04,T01,_T,_T,_T,_T,1e400,reported,",
            "INT-05,2025-04,T01,_T,_T,_T,_T,140,reported,a percentage over 100",
        ];
        let csv = format!("{header}{}\n", rows.join("\n"));
        let report = same_through_both_csv_paths("facts.csv", csv.as_bytes(), true);
        // A value that is not a number keeps the column as text, so that the report can quote it.
        let batch = read("facts.csv", csv.as_bytes(), Limits::default()).expect("read").batch;
        assert_eq!(batch.column_by_name("value").expect("value").data_type(), &DataType::Utf8);
        let columns: std::collections::HashSet<_> =
            report.findings.iter().filter_map(|f| f.column.as_deref()).collect();
        for column in ["indicator", "period", "territory", "population", "value", "status", "sex"] {
            assert!(columns.contains(column), "no finding on {column}: {:#?}", report.findings);
        }
        // Over the findings cap of a column: the same 200 are kept either way.
        let many: String =
            (0..500).map(|i| format!("COB-01,2025-01,T01,_T,_T,_T,_T,x{i},reported,")).collect::<Vec<_>>().join("\n");
        same_through_both_csv_paths("facts.csv", format!("{header}{many}").as_bytes(), true);
    }

    #[test]
    fn compressed_ipc_larger_than_the_decoded_limit_is_refused_before_inflating() {
        let small = Limits { max_decoded_bytes: 1024 * 1024, ..Limits::default() };
        let batch = zeros(1_000_000); // 2 MB decoded
        for codec in [CompressionType::ZSTD, CompressionType::LZ4_FRAME] {
            for file in [false, true] {
                let bytes = ipc(&batch, codec, file);
                assert!(bytes.len() < 64 * 1024, "{codec:?}: {} bytes", bytes.len());
                // Refused from the declared sizes alone, before the reader inflates a byte.
                let declared = if file { check_ipc_file(&bytes, small) } else { check_ipc_messages(&bytes, 0, small) };
                assert_eq!(declared, Err(IntakeError::TooLargeDecoded { max: 1024 * 1024 }), "{codec:?} file={file}");
                assert_eq!(
                    read("facts.arrow", &bytes, small).map(|u| u.batch.num_rows()),
                    Err(IntakeError::TooLargeDecoded { max: 1024 * 1024 }),
                    "{codec:?} file={file}"
                );
                // The same file under the default limits reads whole.
                assert_eq!(read("facts.arrow", &bytes, Limits::default()).map(|u| u.batch.num_rows()), Ok(1_000_000));
            }
        }
    }

    #[test]
    fn an_absurd_declared_decompressed_length_is_refused_not_allocated() {
        // 77,777 Int16 zeros: the values buffer's prefix declares 155,554 bytes. Declare 1 TiB instead: without the
        // check, the decompressor reserves 1 TiB up front (harmless only where the kernel overcommits memory).
        let rows = 77_777usize;
        for codec in [CompressionType::ZSTD, CompressionType::LZ4_FRAME] {
            for file in [false, true] {
                let mut bytes = ipc(&zeros(rows), codec, file);
                let prefix = i64::try_from(rows * 2).expect("small").to_le_bytes();
                let at = bytes.windows(8).rposition(|w| w == prefix).expect("the buffer's length prefix");
                bytes[at..at + 8].copy_from_slice(&(1i64 << 40).to_le_bytes());
                let started = std::time::Instant::now();
                let err = read("facts.arrow", &bytes, Limits::default()).map(|u| u.batch.num_rows());
                assert_eq!(err, Err(IntakeError::TooLargeDecoded { max: Limits::default().max_decoded_bytes }));
                assert!(started.elapsed() < std::time::Duration::from_secs(1));
                let text = IntakeError::TooLargeDecoded { max: 1 }.to_string();
                assert!(text.contains("descomprimido") && text.contains("decompressed"), "{text}");
            }
        }
    }

    #[test]
    fn an_arrow_file_block_declared_past_the_end_is_refused_not_allocated() {
        // Found by `cargo fuzz` (fuzz/): the file reader allocates a footer block's declared length, zeroed, before
        // reading it; a body length of 2^50 asked the allocator for a petabyte.
        let bytes = ipc(&zeros(1_000), CompressionType::ZSTD, true);
        let footer_len =
            usize::try_from(i32::from_le_bytes(bytes[bytes.len() - 10..bytes.len() - 6].try_into().expect("4 bytes")))
                .expect("footer length");
        let footer_at = bytes.len() - 10 - footer_len;
        let block = *arrow_ipc::root_as_footer(&bytes[footer_at..bytes.len() - 10])
            .expect("footer")
            .recordBatches()
            .expect("blocks")
            .get(0);
        let body = block.bodyLength().to_le_bytes();
        let at = footer_at
            + bytes[footer_at..].windows(8).position(|w| w == body).expect("the block's body length in the footer");
        for (what, value) in [("past the end", 1i64 << 50), ("negative", -1)] {
            let mut bad = bytes.clone();
            bad[at..at + 8].copy_from_slice(&value.to_le_bytes());
            let started = std::time::Instant::now();
            let err = read("facts.arrow", &bad, Limits::default()).map(|u| u.batch.num_rows());
            assert!(
                matches!(&err, Err(IntakeError::Malformed { detail, .. }) if detail.contains("outside")),
                "{what}: {err:?}"
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(1), "{what}");
        }
        // A footer length longer than the file.
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 10..n - 6].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(matches!(read("facts.arrow", &bad, Limits::default()), Err(IntakeError::Malformed { .. })));
        assert_eq!(read("facts.arrow", &bytes, Limits::default()).map(|u| u.batch.num_rows()), Ok(1_000));
    }

    #[test]
    fn an_ipc_buffer_declared_outside_its_message_is_refused_not_sliced() {
        // Found by `cargo fuzz`: arrow-rs panics slicing a buffer whose declared offset lies past the message body
        // (caught by `read`, but refused now before the reader sees it).
        for file in [false, true] {
            let mut bad = ipc(&zeros(1_000), CompressionType::ZSTD, file);
            // Skip the schema message (continuation marker, length, flatbuffer); the next one is the batch.
            let message_len = |at: usize| usize::try_from(i32::from_le_bytes(bad[at..at + 4].try_into().expect("4")));
            let schema_at = bad.windows(4).position(|w| w == [0xFF; 4]).expect("the schema message");
            let batch_at = schema_at + 8 + message_len(schema_at + 4).expect("schema length");
            let meta = batch_at + 8..batch_at + 8 + message_len(batch_at + 4).expect("batch length");
            let message = arrow_ipc::root_as_message(&bad[meta.clone()]).expect("message");
            let buffer = message
                .header_as_record_batch()
                .and_then(|b| b.buffers())
                .and_then(|b| b.iter().rfind(|b| b.length() > 0))
                .expect("a buffer");
            let descriptor = [buffer.offset().to_le_bytes(), buffer.length().to_le_bytes()].concat();
            let at = meta.start
                + bad[meta].windows(16).position(|w| w == descriptor.as_slice()).expect("the buffer's descriptor");
            bad[at..at + 8].copy_from_slice(&(1i64 << 53).to_le_bytes());
            let name = if file { "facts.arrow" } else { "facts.arrows" };
            let err = read(name, &bad, Limits::default()).map(|u| u.batch.num_rows());
            // Refused by the check (not by the reader's caught panic, which says "damaged file").
            let refused =
                matches!(&err, Err(IntakeError::Malformed { detail, .. }) if detail.contains("outside its message"));
            assert!(refused, "file={file}: {err:?}");
        }
    }

    #[test]
    fn declared_rows_over_the_limit_are_refused_before_decoding() {
        let bytes = ipc(&zeros(2_000), CompressionType::ZSTD, false);
        let limits = Limits { max_rows: 1_000, ..Limits::default() };
        assert_eq!(check_ipc_messages(&bytes, 0, limits), Err(IntakeError::TooManyRows { max: 1_000 }));
        assert_eq!(
            read("facts.arrows", &bytes, limits).map(|u| u.batch.num_rows()),
            Err(IntakeError::TooManyRows { max: 1_000 })
        );
    }

    #[test]
    fn parquet_larger_than_the_decoded_limit_is_refused_from_its_metadata() {
        let batch = zeros(1_000_000);
        let mut bytes = Vec::new();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(parquet::basic::Compression::ZSTD(parquet::basic::ZstdLevel::default()))
            .set_dictionary_enabled(false)
            .build();
        let mut w = parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props)).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");
        let small = Limits { max_decoded_bytes: 1024 * 1024, ..Limits::default() };
        assert_eq!(
            read("facts.parquet", &bytes, small).map(|u| u.batch.num_rows()),
            Err(IntakeError::TooLargeDecoded { max: 1024 * 1024 })
        );
        assert_eq!(read("facts.parquet", &bytes, Limits::default()).map(|u| u.batch.num_rows()), Ok(1_000_000));
    }
}
