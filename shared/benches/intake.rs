//! Intake + validation + canonicalisation of a 1M-row `facts` table, from Arrow IPC and from CSV, and its
//! disclosure control alone.
//! Run: `cargo bench -p shared --features intake --bench intake` (results in BENCHMARKS.md).

use criterion::{Criterion, criterion_group, criterion_main};
use shared::demo::DemoConfig;
use shared::intake::{self, Limits};
use shared::validate::validate_snapshot;

/// The allocator of the `rumbo` binary, which runs intake in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 1_000_000;

fn facts_1m() -> arrow_array::RecordBatch {
    let config = DemoConfig { months: u32::try_from(ROWS.div_ceil(765)).unwrap_or(u32::MAX), ..DemoConfig::default() };
    shared::demo::facts(&config).slice(0, ROWS)
}

fn bench(c: &mut Criterion) {
    let batch = facts_1m();
    let mut arrow = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut arrow, batch.schema_ref()).expect("writer");
        w.write(&batch).expect("write");
        w.finish().expect("finish");
    }
    let csv = intake::write_csv(&batch).expect("csv");
    if let Ok(dir) = std::env::var("RUMBO_BENCH_CSV_OUT") {
        // The CSV compared with pyarrow.csv.read_csv by bench/csv_vs_pyarrow.sh.
        std::fs::write(std::path::Path::new(&dir).join("facts-1m.csv"), &csv).expect("write csv");
    }
    let limits = Limits::default();
    let mut group = c.benchmark_group("facts_1m");
    group.sample_size(10);
    group.bench_function("arrow_intake_validate_canonical", |b| {
        b.iter(|| {
            let upload = intake::read("facts.arrow", &arrow, limits).expect("readable");
            let (report, tables) = validate_snapshot(&[upload]);
            assert!(!report.has_errors() && tables.is_some());
        });
    });
    group.bench_function("csv_intake_validate_canonical", |b| {
        b.iter(|| {
            let upload = intake::read("facts.csv", &csv, limits).expect("readable");
            let (report, tables) = validate_snapshot(&[upload]);
            assert!(!report.has_errors() && tables.is_some());
        });
    });
    group.bench_function("csv_read_only", |b| {
        b.iter(|| intake::read("facts.csv", &csv, limits).expect("readable"));
    });
    // Disclosure control alone (issue 34): a first publication, then the same table published again against it
    // (every cell hidden before is linked to its successor and checked in the joint system).
    let book = shared::codebook::CodeBook::builtin();
    let first = shared::disclosure::protect(&batch, &book, None).expect("protect");
    eprintln!(
        "facts_1m: {} primary, {} complementary suppressions, {} unprotected",
        first.primary(),
        first.complementary(),
        first.unprotected.len()
    );
    let previous = shared::facts::Facts::try_from(first.batch).expect("facts");
    group.bench_function("protect_first_publication", |b| {
        b.iter(|| shared::disclosure::protect(&batch, &book, None).expect("protect"));
    });
    group.bench_function("protect_against_previous", |b| {
        b.iter(|| shared::disclosure::protect(&batch, &book, Some(&previous)).expect("protect"));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
