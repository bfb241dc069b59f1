//! The size of the 1M-row demo `facts` table as the server stores and serves it (issue 10): raw Arrow IPC, and
//! the gzip and brotli bytes the server compresses once per table. Exits 1 when the brotli floor (5 MB) is
//! missed. Run: `cargo run --release -p server --example table_sizes [rows|demo]`.
//!
//! Beside it, the same rows with count indicators stored as integers (issue 10 asked for them; ARCHITECTURE.md,
//! "One value type", says why `facts` keeps one `Float64` column), in the two layouts that could hold them: a
//! nullable `Int32` `count` column beside `value`, or the rows split into two tables (counts with an `Int32` value,
//! the rest with `Float64`). Compressed the same way; printed for the decision, not a floor.

use std::process::ExitCode;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use arrow_select::filter::filter_record_batch;
use shared::catalog::Unit;

const FLOOR: usize = 5_000_000;

fn main() -> ExitCode {
    // `demo`: the built-in demo snapshot; a number: a demo of that many rows (1M when none is given).
    let rows = match std::env::args().nth(1) {
        Some(a) if a == "demo" => None,
        a => Some(a.and_then(|a| a.parse().ok()).unwrap_or(1_000_000)),
    };
    let dir = std::env::temp_dir().join(format!("rumbo-table-sizes-{}", std::process::id()));
    let run = || -> Result<(usize, server::snapshots::Table), String> {
        let store = server::store::Store::open(&dir).map_err(|e| e.to_string())?;
        let id = server::commands::publish_demo_rows(&store, rows).map_err(|e| e.to_string())?;
        let (_, ipc) = store.table(&id, "facts").map_err(|e| e.to_string())?.ok_or("no facts table")?;
        let (manifest, _) = store.manifest(&id).map_err(|e| e.to_string())?.ok_or("no manifest")?;
        let facts = manifest.tables.iter().find(|t| t.name == "facts").ok_or("no facts entry")?;
        Ok((facts.rows, server::snapshots::Table::new(facts.sha256.clone(), ipc)))
    };
    let outcome = run();
    let _ = std::fs::remove_dir_all(&dir);
    let (rows, table) = match outcome {
        Ok(t) => t,
        Err(e) => {
            eprintln!("table_sizes: {e}");
            return ExitCode::FAILURE;
        }
    };
    let layouts = match with_integer_counts(&table.ipc) {
        Ok(layouts) => layouts,
        Err(e) => {
            eprintln!("table_sizes: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("| facts rows | stored as | Arrow IPC (raw) | gzip | brotli |");
    println!("|---:|---|---:|---:|---:|");
    let row = |layout: &str, tables: &[&server::snapshots::Table]| {
        let total = |size: fn(&server::snapshots::Table) -> usize| tables.iter().map(|t| size(t)).sum::<usize>();
        println!(
            "| {rows} | {layout} | {} | {} | {} |",
            total(|t| t.ipc.len()),
            total(|t| t.gzip.len()),
            total(|t| t.brotli.len())
        );
    };
    row("canonical (`value` Float64)", &[&table]);
    row("counts in an Int32 `count` column", &[&layouts.column]);
    row("two tables, counts as Int32", &[&layouts.tables[0], &layouts.tables[1]]);
    match first_view(&table.ipc) {
        Ok((first, share)) => {
            row(&format!("the rows the default view reads ({share:.1} % of them, issue 33)"), &[&first]);
        }
        Err(e) => eprintln!("table_sizes: the first view: {e}"),
    }
    if table.brotli.len() > FLOOR {
        println!("MISSED: brotli ≤ {FLOOR} bytes");
        return ExitCode::FAILURE;
    }
    println!("met: brotli ≤ {FLOOR} bytes");
    ExitCode::SUCCESS
}

/// The rows of the stored `facts` the dashboard's default view reads (`dashboard::rows_read`: the headline
/// indicator's last 12 months in the whole country, and the five tiles), as the server would store and compress
/// them, and their share of the table's rows.
fn first_view(ipc: &[u8]) -> Result<(server::snapshots::Table, f64), String> {
    let error = |e: arrow_schema::ArrowError| e.to_string();
    let facts =
        shared::facts::Facts::try_from(shared::ipc::read_stream(ipc).map_err(error)?).map_err(|e| e.to_string())?;
    let book = shared::codebook::CodeBook::builtin();
    let mask = shared::dashboard::DefaultView::of(&facts, &book).rows_read(&facts, &book);
    let share = 100.0 * mask.iter().filter(|k| **k).count() as f64 / facts.len().max(1) as f64;
    let rows = filter_record_batch(facts.batch(), &BooleanArray::from(mask)).map_err(error)?;
    let ipc = shared::ipc::write_stream(&rows).map_err(error)?;
    Ok((server::snapshots::Table::new(String::new(), ipc), share))
}

/// The stored `facts` with the count indicators' values as `Int32`, compressed as the server would.
struct IntegerCounts {
    /// A nullable `count` column beside `value`.
    column: server::snapshots::Table,
    /// The count rows (with an `Int32` value) and the other rows, as two tables.
    tables: [server::snapshots::Table; 2],
}

fn with_integer_counts(ipc: &[u8]) -> Result<IntegerCounts, String> {
    let error = |e: arrow_schema::ArrowError| e.to_string();
    let batch = shared::ipc::read_stream(ipc).map_err(error)?;
    let facts = shared::facts::Facts::try_from(batch.clone()).map_err(|e| e.to_string())?;
    let values = facts.values();
    let book = shared::codebook::CodeBook::builtin();
    let is_count: Vec<bool> =
        (0..values.len()).map(|row| book.unit(facts.indicator.code(row)) == Unit::Count).collect();
    let whole = |v: f64| (v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX)).then_some(v as i32);
    let mut counts: Vec<Option<i32>> = Vec::with_capacity(values.len());
    let mut rest: Vec<Option<f64>> = Vec::with_capacity(values.len());
    for (row, &count) in is_count.iter().enumerate() {
        let v = values.is_valid(row).then(|| values.value(row));
        if count {
            counts.push(v.map(|v| whole(v).ok_or(format!("row {row}: count {v} is not a whole Int32"))).transpose()?);
            rest.push(None);
        } else {
            counts.push(None);
            rest.push(v);
        }
    }
    let schema = batch.schema();
    let position = schema.index_of("value").map_err(error)?;
    let fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let table =
        |b: &RecordBatch| shared::ipc::write_stream(b).map(|ipc| server::snapshots::Table::new(String::new(), ipc));

    let (mut column_fields, mut columns) = (fields.clone(), batch.columns().to_vec());
    columns[position] = Arc::new(Float64Array::from(rest));
    column_fields.push(Field::new("count", DataType::Int32, true));
    columns.push(Arc::new(Int32Array::from(counts.clone())));
    let column = RecordBatch::try_new(Arc::new(Schema::new(column_fields)), columns).map_err(error)?;

    let count_values: Vec<Option<i32>> =
        counts.into_iter().zip(&is_count).filter(|(_, c)| **c).map(|(v, _)| v).collect();
    let others = filter_record_batch(&batch, &BooleanArray::from(is_count.iter().map(|c| !c).collect::<Vec<_>>()));
    let count_rows = filter_record_batch(&batch, &BooleanArray::from(is_count)).map_err(error)?;
    let mut count_fields = fields;
    count_fields[position] = Field::new("value", DataType::Int32, true);
    let mut count_columns: Vec<ArrayRef> = count_rows.columns().to_vec();
    count_columns[position] = Arc::new(Int32Array::from(count_values));
    let count_rows = RecordBatch::try_new(Arc::new(Schema::new(count_fields)), count_columns).map_err(error)?;

    Ok(IntegerCounts {
        column: table(&column).map_err(error)?,
        tables: [table(&count_rows).map_err(error)?, table(&others.map_err(error)?).map_err(error)?],
    })
}
