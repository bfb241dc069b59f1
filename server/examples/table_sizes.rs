//! The size of the 1M-row demo `facts` table as the server stores and serves it (issue 10): raw Arrow IPC, and
//! the gzip and brotli bytes the server compresses once per table. Exits 1 when the brotli floor (5 MB) is
//! missed. Run: `cargo run --release -p server --example table_sizes [rows]`.

use std::process::ExitCode;

const FLOOR: usize = 5_000_000;

fn main() -> ExitCode {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("rumbo-table-sizes-{}", std::process::id()));
    let run = || -> Result<(usize, server::snapshots::Table), String> {
        let (store, _) = server::store::Store::open(&dir).map_err(|e| e.to_string())?;
        let id = server::commands::publish_demo_rows(&store, Some(rows)).map_err(|e| e.to_string())?;
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
    println!("| facts rows | Arrow IPC (raw) | gzip | brotli |");
    println!("|---:|---:|---:|---:|");
    println!("| {rows} | {} | {} | {} |", table.ipc.len(), table.gzip.len(), table.brotli.len());
    if table.brotli.len() > FLOOR {
        println!("MISSED: brotli ≤ {FLOOR} bytes");
        return ExitCode::FAILURE;
    }
    println!("met: brotli ≤ {FLOOR} bytes");
    ExitCode::SUCCESS
}
