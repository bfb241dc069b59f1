//! Files written by other Arrow implementations (pyarrow, polars) and by Excel-style CSV read to the same
//! canonical values. The files are written in the test's setup by `tests/interop/write_files.py`, with the
//! Python that `cargo xtask test` installs in `.tools/py` (RUMBO_PYTHON).

use std::process::Command;

use shared::facts::Facts;
use shared::intake::{self, Limits};
use shared::validate::validate_snapshot;

fn canonical(name: &str, bytes: &[u8]) -> Facts {
    let upload = intake::read(name, bytes, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let upload = shared::validate::Upload { name: "facts".into(), ..upload };
    let (report, tables) = validate_snapshot(&[upload]);
    assert!(!report.has_errors(), "{name}: {:?}", &report.findings[..report.findings.len().min(3)]);
    Facts::try_from(tables.expect("valid").remove(0).1).expect("canonical facts")
}

fn same(a: &Facts, b: &Facts, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: rows");
    for row in 0..a.len() {
        for (x, y) in [
            (&a.indicator, &b.indicator),
            (&a.period, &b.period),
            (&a.territory, &b.territory),
            (&a.service, &b.service),
            (&a.population, &b.population),
            (&a.sex, &b.sex),
            (&a.age_group, &b.age_group),
            (&a.status, &b.status),
        ] {
            assert_eq!(x.code(row), y.code(row), "{what}: row {row}");
        }
        assert_eq!(a.value(row), b.value(row), "{what}: row {row} value");
    }
}

#[test]
fn files_from_pyarrow_and_polars_read_to_the_same_canonical_values() {
    let python = std::env::var("RUMBO_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/py/bin/python").to_owned());
    let dir = tests::TempDir::new("interop");
    let batch = shared::demo::facts(&shared::demo::DemoConfig::default()).slice(0, 3000);
    let csv = intake::write_csv(&batch).expect("csv");
    let csv_path = dir.0.join("facts.csv");
    std::fs::write(&csv_path, &csv).expect("write csv");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/write_files.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(&csv_path)
        .arg(&dir.0)
        .output()
        .unwrap_or_else(|e| panic!("{python} must run (installed by `cargo xtask test`): {e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let reference = canonical("facts.csv", &csv);
    for file in [
        "lz4.arrow",
        "zstd.arrows",
        "view.arrow",
        "large.arrows",
        "dict.arrow",
        "pyarrow.parquet",
        "polars.parquet",
        "polars.arrow",
    ] {
        let bytes = std::fs::read(dir.0.join(file)).expect("written");
        same(&reference, &canonical(file, &bytes), file);
    }
    // Excel in a Spanish locale: BOM, semicolons, CRLF.
    let text = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
    let excel = format!("\u{feff}{}", text.replace(',', ";").replace('\n', "\r\n"));
    same(&reference, &canonical("facts.csv", excel.as_bytes()), "Excel CSV");
}

fn python() -> String {
    std::env::var("RUMBO_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/py/bin/python").to_owned())
}

/// Reads and validates files as an upload does; the canonical tables as Arrow IPC bytes by name.
fn published(files: &[(String, Vec<u8>)]) -> (shared::validate::Report, Vec<(String, Vec<u8>)>) {
    let files: Vec<(String, &[u8])> = files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    let limits = Limits::default();
    let (report, tables) = shared::validate::validate_files(&shared::validate::read_files(&files, limits, 1 << 30));
    let tables = tables
        .unwrap_or_default()
        .into_iter()
        .map(|(spec, batch)| (spec.name.to_owned(), shared::ipc::write_stream(&batch).expect("ipc")))
        .collect();
    (report, tables)
}

#[test]
fn workbooks_from_excel_and_libreoffice_publish_the_same_tables_as_the_csvs() {
    let dir = tests::TempDir::new("workbooks");
    let csv_dir = dir.0.join("csv");
    server::commands::demo(&server::cli::DemoArgs { out: csv_dir.clone(), rows: None }).expect("demo files");
    // The first 1,000 rows of facts (odfpy writes a few hundred rows a second): every table, every column kind.
    let facts = csv_dir.join("facts.csv");
    let text = std::fs::read_to_string(&facts).expect("facts");
    std::fs::write(&facts, text.lines().take(1_001).collect::<Vec<_>>().join("\n")).expect("write");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/write_workbooks.py");
    let out = Command::new(python()).arg(script).arg(&csv_dir).arg(&dir.0).output().expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let names = ["facts", "targets", "interventions", "milestones", "budget_lines", "risks"];
    let csvs: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (format!("{n}.csv"), std::fs::read(csv_dir.join(format!("{n}.csv"))).expect("csv")))
        .collect();
    let (report, reference) = published(&csvs);
    assert_eq!(report.errors(), 0, "{:?}", report.findings);
    assert_eq!(reference.len(), names.len());
    for workbook in ["snapshot.xlsx", "snapshot.ods"] {
        let bytes = std::fs::read(dir.0.join(workbook)).expect("workbook");
        let (report, tables) = published(&[(workbook.to_owned(), bytes)]);
        assert_eq!(report.errors(), 0, "{workbook}: {:?}", &report.findings[..report.findings.len().min(5)]);
        assert_eq!(tables.len(), reference.len(), "{workbook}: one table per sheet, the notes sheet left out");
        for ((name, ours), (ref_name, theirs)) in tables.iter().zip(&reference) {
            assert_eq!(name, ref_name);
            assert!(ours == theirs, "{workbook}: table {name} differs from the CSV's canonical bytes");
        }
    }
}

#[test]
fn a_workbooks_problems_name_the_sheet_row_and_column_as_excel_shows_them() {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Datos").expect("name");
    // A title merged over the columns, then the header on row 2, as analysts lay sheets out.
    sheet.merge_range(0, 0, 0, 8, "Cifras de SI EMPLEO", &rust_xlsxwriter::Format::new()).expect("title");
    // Headers as people type them: capitals and stray spaces.
    let header = ["Indicator", "period ", "territory", "service", "population", "sex", "age_group", "Value", "status"];
    for (c, h) in header.iter().enumerate() {
        sheet.write(1, c as u16, *h).expect("header");
    }
    let rows = [
        ["COB-01", "2026-01", "T01", "_T", "_T", "_T", "_T", "", "reported"],
        ["COB-01", "2026-02", "T01", "_T", "_T", "_T", "_T", "", "reported"],
        ["COB-01", "2026-03", "T99", "_T", "_T", "_T", "_T", "12", "reported"],
        ["COB-01", "2026-04", "T01", "_T", "_T", "_T", "_T", "abc", "reported"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write(r as u32 + 2, c as u16, *cell).expect("cell");
            }
        }
    }
    // Values as Excel keeps them: a number, and a formula with its cached result.
    sheet.write(2, 7, 40).expect("number");
    sheet.write_formula(3, 7, Formula::new("=40+2").set_result("42")).expect("formula");
    let bytes = book.save_to_buffer().expect("xlsx");
    let (report, _) = published(&[("facts.xlsx".to_owned(), bytes)]);
    let errors: Vec<(Option<usize>, Option<&str>)> =
        report.findings.iter().filter(|f| f.is_error()).map(|f| (f.row, f.column.as_deref())).collect();
    assert_eq!(
        errors,
        [(Some(5), Some("territory (C)")), (Some(6), Some("value (H)"))],
        "exactly the injected problems, where Excel shows them: {:?}",
        report.findings
    );
    assert!(report.findings.iter().all(|f| f.table == "facts (Datos)"), "{:?}", report.findings);
}
