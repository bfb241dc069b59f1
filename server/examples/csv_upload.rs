//! A CSV upload timed as the server does it (issue 33): the file read from disk, then intake, validation, the
//! canonical order and the key narrowing (`validate::read_files` + `validate_files_with`, what `http` runs for an
//! upload, under the server's default limits and with its allocator), without the disclosure control a publication
//! adds, which is timed beside it. `bench/csv_vs_pyarrow.sh` runs it beside `pyarrow.csv.read_csv` on the same file.
//!
//! - `cargo run --release -p server --example csv_upload -- write FILE [rows]`: writes the demo generator's `facts`
//!   (1,000,000 rows unless told) as the CSV an analyst would upload.
//! - `cargo run --release -p server --example csv_upload -- time FILE [runs]`: runs the upload path once untimed
//!   (it faults in the allocator's pages), then times it `runs` times (11 unless told) and prints each time in
//!   milliseconds, on one line, in the order run; on stderr, the median of each step (the file read, intake,
//!   validation with the canonical order and narrowing; and validation with disclosure control), so a slow run says
//!   where it was slow.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use shared::demo::DemoConfig;
use shared::validate::{read_files, validate_files, validate_files_with};

/// The allocator of the `rumbo` binary, which runs uploads in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let result = match (args.first().map(String::as_str), args.get(1)) {
        (Some("write"), Some(file)) => write(Path::new(file), number(2, 1_000_000)),
        (Some("time"), Some(file)) => time(Path::new(file), number(2, 11)),
        _ => Err("usage: csv_upload write FILE [rows] | csv_upload time FILE [runs]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csv_upload: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The demo's `facts` scaled to `rows` rows (765 rows a month), as the criterion bench `intake` builds it.
fn write(file: &Path, rows: usize) -> Result<(), String> {
    let config = DemoConfig { months: u32::try_from(rows.div_ceil(765)).unwrap_or(u32::MAX), ..DemoConfig::default() };
    let facts = shared::demo::facts(&config);
    let facts = facts.slice(0, rows.min(facts.num_rows()));
    let csv = shared::intake::write_csv(&facts).map_err(|e| e.to_string())?;
    std::fs::write(file, csv).map_err(|e| format!("{}: {e}", file.display()))
}

fn time(file: &Path, runs: usize) -> Result<(), String> {
    let settings = server::http::Settings::default();
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or("the file has no name")?;
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1000.0;
    // One upload: `[whole, file read, intake, validation]` without disclosure control (what pyarrow's reader is
    // compared with: it reads and types a file and protects nothing), then validation again as a publication runs
    // it, with disclosure control; in milliseconds.
    let upload = || -> Result<[f64; 5], String> {
        let start = Instant::now();
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let read_ms = ms(start);
        let files = [(name.clone(), bytes.as_slice())];
        let intake = Instant::now();
        let read = read_files(&files, settings.limits, settings.max_request_decoded_bytes);
        let intake_ms = ms(intake);
        let validation = Instant::now();
        let (report, tables) = validate_files_with(&read, None, false);
        let (validation_ms, whole_ms) = (ms(validation), ms(start));
        if report.has_errors() || tables.is_none() {
            return Err(format!("{name} did not validate: {:?}", report.findings.first()));
        }
        drop(tables);
        let published = Instant::now();
        let (report, tables) = validate_files(&read);
        let published_ms = ms(published);
        if report.has_errors() || tables.is_none() {
            return Err(format!("{name} did not validate with disclosure control: {:?}", report.findings.first()));
        }
        Ok([whole_ms, read_ms, intake_ms, validation_ms, published_ms])
    };
    upload()?;
    let times = (0..runs).map(|_| upload()).collect::<Result<Vec<_>, _>>()?;
    println!("{}", times.iter().map(|t| format!("{:.1}", t[0])).collect::<Vec<_>>().join(" "));
    let median = |step: usize| {
        let mut v: Vec<f64> = times.iter().map(|t| t[step]).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    eprintln!(
        "csv_upload: medians of {runs}: whole {:.0} ms = file read {:.0} + intake {:.0} + validation, canonical order \
         and narrowing {:.0}; the same validation with disclosure control, as a publication runs it: {:.0}",
        median(0),
        median(1),
        median(2),
        median(3),
        median(4)
    );
    Ok(())
}
