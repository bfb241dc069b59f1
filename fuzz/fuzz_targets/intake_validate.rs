//! Fuzz target: arbitrary bytes through `shared::validate::read_files` (intake, and workbooks sheet by sheet) and
//! `validate_files`.
//! The first byte picks the file name (so the table spec and the extension), the rest is the file. Intake detects
//! the format from magic bytes (Arrow file, Arrow stream, Parquet; anything else is CSV), so every format is reached
//! whatever the name. Modest limits keep each run small.
//!
//! Findings: any panic, an abort, an AddressSanitizer report, an input slower than `-timeout`, memory over
//! `-rss_limit_mb`. A panic raised inside an arrow-rs reader counts even though `read`'s guard would catch it and
//! report a damaged file: each one is a corrupt-input case worth a check before the reader, as in
//! `check_ipc_file` or `parquet_pages_declare_their_values`, or a patch to `vendor/arrow-ipc`. No exception: the one
//! upstream panic once tolerated (parquet's plain byte-array decoder dividing by a page's declared count of 0) is
//! refused before the reader since session 18. `RUMBO_FUZZ_TOLERANT=1` prints every caught panic instead, to look
//! past one while it is being fixed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::intake::Limits;
use shared::validate::{read_files, validate_files};

/// Table names (each table spec and one unknown) times the extensions analysts upload.
const TABLES: [&str; 8] =
    ["facts", "targets", "interventions", "milestones", "budget_lines", "risks", "indicators", "x"];
const EXTENSIONS: [&str; 6] = ["csv", "arrow", "arrows", "parquet", "xlsx", "ods"];

const LIMITS: Limits = Limits { max_bytes: 1 << 20, max_rows: 100_000, max_columns: 64, max_decoded_bytes: 64 << 20 };

/// With `RUMBO_FUZZ_TOLERANT=1`, replaces libfuzzer-sys' abort-on-any-panic hook with one that prints each caught
/// panic, to look past one while it is being fixed. Without it every panic aborts the run, caught or not. A panic
/// that escapes always ends the run: libfuzzer-sys aborts when the target unwinds.
fn tolerant_when_asked() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RUMBO_FUZZ_TOLERANT").is_some() {
            std::panic::set_hook(Box::new(|info| {
                eprintln!("panic (caught by intake's guard unless it escapes): {info}");
            }));
        }
    });
}

fuzz_target!(|data: &[u8]| {
    tolerant_when_asked();
    let Some((&selector, bytes)) = data.split_first() else { return };
    let table = TABLES[usize::from(selector & 0x07)];
    let extension = EXTENSIONS[usize::from(selector >> 3) % EXTENSIONS.len()];
    let name = format!("{table}.{extension}");
    // The path of every upload: workbooks sheet by sheet, an unreadable file an error of the report.
    let files = read_files(&[(name, bytes)], LIMITS, LIMITS.max_decoded_bytes);
    let (report, tables) = validate_files(&files);
    // A report with errors never comes with canonical tables, and the other way round.
    assert_eq!(report.has_errors(), tables.is_none());
});
