//! Writes the seed corpus of the `intake_validate` fuzz target (`fuzz/seeds/intake_validate/`): small demo tables
//! as CSV (plain and Excel-style), Arrow file, Arrow stream and Parquet, each prefixed with the target's selector
//! byte (low 3 bits: table, next bits: extension). Run: `cargo run -p shared --features intake --example fuzz_seeds`.

use std::path::PathBuf;

use arrow_array::RecordBatch;
use shared::demo::DemoConfig;
use shared::intake;

/// The fuzz target's table order (`fuzz/fuzz_targets/intake_validate.rs`).
const TABLES: [&str; 8] =
    ["facts", "targets", "interventions", "milestones", "budget_lines", "risks", "indicators", "x"];

fn selector(table: &str, extension: u8) -> u8 {
    let t = TABLES.iter().position(|n| *n == table).unwrap_or(7) as u8;
    t | (extension << 3)
}

fn arrow_file(batch: &RecordBatch) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, batch.schema_ref())?;
    w.write(batch)?;
    w.finish()?;
    drop(w);
    Ok(out)
}

fn parquet(batch: &RecordBatch) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None)?;
    w.write(batch)?;
    w.close()?;
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/intake_validate"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let facts = shared::demo::facts(&DemoConfig::default()).slice(0, 24);
    let csv = intake::write_csv(&facts)?;
    // Excel in a Spanish locale: BOM, semicolons, CRLF.
    let excel: Vec<u8> = String::from_utf8_lossy(&csv).replace(',', ";").replace('\n', "\r\n").into_bytes();
    let mut seeds: Vec<(String, Vec<u8>)> = vec![
        ("facts-csv".into(), [&[selector("facts", 0)], &csv[..]].concat()),
        ("facts-excel-csv".into(), [&[selector("facts", 0)], &excel[..]].concat()),
        ("facts-arrow".into(), [&[selector("facts", 1)], &arrow_file(&facts)?[..]].concat()),
        ("facts-arrows".into(), [&[selector("facts", 2)], &shared::ipc::write_stream(&facts)?[..]].concat()),
        ("facts-parquet".into(), [&[selector("facts", 3)], &parquet(&facts)?[..]].concat()),
    ];
    for (table, text) in shared::demo::roadmap::tables(&DemoConfig::default()) {
        // The header and a few rows are enough to reach every column kind and rule.
        let head = text.lines().take(6).collect::<Vec<_>>().join("\n") + "\n";
        seeds.push((format!("{table}-csv"), [&[selector(table, 0)], head.as_bytes()].concat()));
    }
    for (name, bytes) in &seeds {
        std::fs::write(dir.join(name), bytes)?;
    }
    println!("{} seeds in {}", seeds.len(), dir.display());
    Ok(())
}
