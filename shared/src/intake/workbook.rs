//! Workbooks (`.xlsx` from Excel, `.ods` from LibreOffice, old `.xls`), read with calamine. A workbook is a snapshot:
//! one sheet per table, named like the files (`facts`, `targets`, `territories`, …), or a single sheet named by the
//! file (`facts.xlsx`). Formulas give their cached values; dates become ISO dates (a month column's date becomes its
//! `YYYY-MM`); numbers stored as text stay text for validation to parse; title rows above the header, empty rows and
//! empty trailing columns are skipped. Every cell becomes text, typed afterwards by validation like a CSV's, and each
//! table keeps where its rows and columns are in the sheet ([`SheetSource`]), so the report can say "fila 7,
//! columna C" as Excel numbers them.
//!
//! A workbook is a zip: before calamine opens it, every entry is inflated once into nothing, counting, so what it
//! inflates to is bounded by the decoded-bytes limit (a zip bomb is refused, whatever its entries declare).

use std::io::{Cursor, Read};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use calamine::{Data, Reader};

use super::{IntakeError, Limits};
use crate::tables::{self, Kind};
use crate::validate::Upload;

/// Where a table read from a workbook lies in its sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSource {
    pub sheet: String,
    /// The sheet's row number (1-based, as Excel shows it) of each row of the table.
    pub rows: Vec<u32>,
    /// The column letter of each column of the table (`A`, `B`, … `AA`).
    pub columns: Vec<String>,
}

/// Sheets an analyst keeps beside the tables (the templates' instructions): never read as tables.
const NOTES: [&str; 4] = ["léame", "leame", "readme", "instrucciones"];

/// How many rows from the top may hold titles before the header.
const HEADER_SEARCH: usize = 20;

/// Whether the bytes are a workbook: a zip (`.xlsx`, `.ods`) or an OLE compound file (`.xls`).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

fn malformed(detail: impl std::fmt::Display) -> IntakeError {
    IntakeError::Malformed { format: "Excel/ODS", detail: detail.to_string() }
}

/// Inflates every entry of a zip into nothing, counting: refused as soon as the total passes `max` bytes.
fn check_zip(bytes: &[u8], max: usize) -> Result<(), IntakeError> {
    const MAX_ENTRIES: usize = 10_000;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(malformed)?;
    if zip.len() > MAX_ENTRIES {
        return Err(malformed(format!("más de {MAX_ENTRIES} partes / more than {MAX_ENTRIES} parts")));
    }
    let mut left = max as u64;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(malformed)?;
        if entry.size() > left {
            return Err(IntakeError::TooLargeDecoded { max });
        }
        let inflated = std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink()).map_err(malformed)?;
        left = left.checked_sub(inflated).ok_or(IntakeError::TooLargeDecoded { max })?;
    }
    Ok(())
}

/// A cell as text for a column of `kind` (`None` when empty).
fn text(cell: &Data, kind: Option<Kind>) -> Option<String> {
    let iso_date = |(y, m, d): (u16, u8, u8)| match kind {
        Some(Kind::Period) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    };
    let s = match cell {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        // Whole numbers without a decimal point: a code typed as 8 is "8", not "8.0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            iso_date((y, m, day))
        }
        Data::DateTimeIso(s) => match kind {
            Some(Kind::Period) if s.len() >= 7 => s[..7].to_owned(),
            _ => s.get(..10).unwrap_or(s).to_owned(),
        },
        Data::DurationIso(s) => s.clone(),
        // Excel's error values (`#DIV/0!`, `#N/A`) stay visible: validation quotes them back.
        Data::Error(e) => format!("#{e:?}"),
    };
    (!s.is_empty()).then_some(s)
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column index.
pub fn column_letter(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The table a sheet holds: its own name when that names a table, or the file's when the workbook has one sheet.
fn table_of(sheet: &str, file_name: &str, sheets: usize) -> Option<String> {
    let name = sheet.trim().to_lowercase();
    if NOTES.contains(&name.as_str()) {
        return None;
    }
    if tables::spec(&name).is_some() || sheets > 1 {
        return Some(name);
    }
    let stem = file_name.rsplit('/').next().unwrap_or(file_name);
    Some(stem.split('.').next().unwrap_or(stem).to_lowercase())
}

/// Reads every table sheet of a workbook. Like [`super::read`], a panic inside the readers on a corrupt file is
/// reported as a damaged file (the fuzz target still counts it as a finding).
pub fn read(file_name: &str, bytes: &[u8], limits: Limits) -> Result<Vec<(Upload, SheetSource)>, IntakeError> {
    std::panic::catch_unwind(|| read_unguarded(file_name, bytes, limits))
        .unwrap_or_else(|_| Err(malformed("archivo dañado / damaged file")))
}

fn read_unguarded(file_name: &str, bytes: &[u8], limits: Limits) -> Result<Vec<(Upload, SheetSource)>, IntakeError> {
    if bytes.len() > limits.max_bytes {
        return Err(IntakeError::TooLarge { max: limits.max_bytes });
    }
    if bytes.starts_with(b"PK") {
        check_zip(bytes, limits.max_decoded_bytes)?;
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(malformed)?;
    let sheets = book.sheet_names();
    let mut out = Vec::new();
    let mut decoded = 0_usize;
    for sheet in &sheets {
        let Some(table) = table_of(sheet, file_name, sheets.len()) else { continue };
        let range = book.worksheet_range(sheet).map_err(malformed)?;
        let Some((top, left)) = range.start() else { continue };
        let rows: Vec<&[Data]> = range.rows().collect();
        let Some(read) = read_sheet(&table, &rows, limits, &mut decoded)? else { continue };
        let (batch, at_rows, at_columns) = read;
        let source = SheetSource {
            sheet: sheet.clone(),
            rows: at_rows.into_iter().map(|r| top + r as u32 + 1).collect(),
            columns: at_columns.into_iter().map(|c| column_letter(left + c as u32)).collect(),
        };
        out.push((Upload { name: table, batch }, source));
    }
    if out.is_empty() {
        return Err(IntakeError::Empty);
    }
    Ok(out)
}

/// A sheet's rows (relative to its used range) as a table of text: `None` for a sheet with nothing in it. Also
/// gives the range-relative index of each kept row and column.
#[allow(clippy::type_complexity)]
fn read_sheet(
    table: &str,
    rows: &[&[Data]],
    limits: Limits,
    decoded: &mut usize,
) -> Result<Option<(RecordBatch, Vec<usize>, Vec<usize>)>, IntakeError> {
    let spec = tables::spec(table);
    // A header cell names a column of the table whatever its case and spaces (`Indicator ` is `indicator`).
    let column_of = |cell: &Data| -> Option<&'static str> {
        let Data::String(s) = cell else { return None };
        spec?.columns.iter().find(|c| c.name.eq_ignore_ascii_case(s.trim())).map(|c| c.name)
    };
    let known = |cell: &Data| column_of(cell).is_some();
    let filled = |row: &[Data]| row.iter().any(|c| !matches!(c, Data::Empty));
    // The header: the first row naming a column of the table (titles may sit above it), else the first non-empty.
    let Some(header_at) = rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| r.iter().any(known))
        .or_else(|| rows.iter().position(|r| filled(r)))
    else {
        return Ok(None);
    };
    let header = rows[header_at];
    let data: Vec<usize> = (header_at + 1..rows.len()).filter(|&r| filled(rows[r])).collect();
    // Columns with a header, or with data under an empty header (named by their letter, so the report can say so).
    let columns: Vec<usize> = (0..header.len())
        .filter(|&c| {
            !matches!(header[c], Data::Empty)
                || data.iter().any(|&r| !matches!(rows[r].get(c), None | Some(Data::Empty)))
        })
        .collect();
    if columns.len() > limits.max_columns {
        return Err(IntakeError::TooManyColumns { found: columns.len(), max: limits.max_columns });
    }
    if data.len() > limits.max_rows {
        return Err(IntakeError::TooManyRows { max: limits.max_rows });
    }
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for &c in &columns {
        let name = column_of(&header[c])
            .map(str::to_owned)
            .or_else(|| text(&header[c], None))
            .unwrap_or_else(|| format!("(columna {})", column_letter(c as u32)));
        let kind = spec.and_then(|s| s.column(&name)).map(|col| col.kind);
        let cells: Vec<Option<String>> =
            data.iter().map(|&r| rows[r].get(c).and_then(|cell| text(cell, kind))).collect();
        *decoded = decoded.saturating_add(cells.iter().map(|s| s.as_ref().map_or(0, String::len) + 8).sum::<usize>());
        if *decoded > limits.max_decoded_bytes {
            return Err(IntakeError::TooLargeDecoded { max: limits.max_decoded_bytes });
        }
        fields.push(Field::new(name, DataType::Utf8, true));
        arrays.push(Arc::new(StringArray::from(cells)));
    }
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(malformed)?;
    Ok(Some((batch, data, columns)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_as_in_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn cells_become_the_text_an_analyst_typed() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = Data::DateTime(ExcelDateTime::new(46_023.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(text(&date, Some(Kind::Period)).as_deref(), Some("2026-01"));
        assert_eq!(text(&date, Some(Kind::Date)).as_deref(), Some("2026-01-01"));
        assert_eq!(text(&Data::Float(8.0), None).as_deref(), Some("8"));
        assert_eq!(text(&Data::Float(12.5), None).as_deref(), Some("12.5"));
        assert_eq!(text(&Data::String("  0801 ".into()), None).as_deref(), Some("0801"));
        assert_eq!(text(&Data::String("   ".into()), None), None);
        assert_eq!(text(&Data::Empty, None), None);
    }

    #[test]
    fn a_sheet_is_its_table_or_the_files() {
        assert_eq!(table_of("facts", "libro.xlsx", 3).as_deref(), Some("facts"));
        assert_eq!(table_of(" Targets ", "libro.xlsx", 3).as_deref(), Some("targets"));
        assert_eq!(table_of("Hoja1", "facts.xlsx", 1).as_deref(), Some("facts"));
        assert_eq!(table_of("Léame", "plantillas.xlsx", 2), None);
        assert_eq!(
            table_of("Hoja2", "libro.xlsx", 2).as_deref(),
            Some("hoja2"),
            "named: validation says it is unknown"
        );
    }
}

#[cfg(test)]
mod bombs {
    use std::io::Write;

    use super::*;

    /// A zip whose one part inflates to `size` zeros, named like a workbook's sheet.
    fn bomb(size: usize) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).expect("entry");
        let chunk = vec![0_u8; 1 << 20];
        for _ in 0..size / chunk.len() {
            zip.write_all(&chunk).expect("zeros");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_zip_bomb_disguised_as_a_workbook_is_refused_before_it_is_opened() {
        let bytes = bomb(256 << 20);
        assert!(bytes.len() < 1 << 20, "{} bytes on the wire", bytes.len());
        let limits = Limits { max_decoded_bytes: 64 << 20, ..Limits::default() };
        assert!(is_workbook(&bytes));
        assert_eq!(
            read("facts.xlsx", &bytes, limits).map(|t| t.len()),
            Err(IntakeError::TooLargeDecoded { max: 64 << 20 })
        );
        // Under the limit it is read, and found not to be a workbook.
        let small = bomb(1 << 20);
        assert!(matches!(read("facts.xlsx", &small, limits), Err(IntakeError::Malformed { .. })));
    }
}
