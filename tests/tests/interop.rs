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
