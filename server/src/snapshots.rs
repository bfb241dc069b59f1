//! Published snapshots held by the server. Each table is encoded as an Arrow IPC stream and compressed
//! (brotli, gzip) once, when the snapshot is loaded, never per request.

use std::io::Write;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use shared::manifest::{Manifest, TableEntry};
use shared::schema::FACTS;

/// One table of a snapshot, ready to serve.
#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub rows: usize,
    /// Hex sha256 of the uncompressed IPC bytes; the table's `ETag`.
    pub sha256: String,
    pub ipc: Vec<u8>,
    pub brotli: Vec<u8>,
    pub gzip: Vec<u8>,
}

impl Table {
    pub fn new(name: &str, batch: &arrow_array::RecordBatch) -> Result<Self, arrow_schema::ArrowError> {
        let ipc = shared::ipc::write_stream(batch)?;
        let sha256 = hex(&Sha256::digest(&ipc));
        let mut brotli = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut brotli, 4096, 9, 22);
            w.write_all(&ipc).map_err(|e| arrow_schema::ArrowError::IoError(e.to_string(), e))?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&ipc).map_err(|e| arrow_schema::ArrowError::IoError(e.to_string(), e))?;
        let gzip = gz.finish().map_err(|e| arrow_schema::ArrowError::IoError(e.to_string(), e))?;
        Ok(Self { name: name.to_owned(), rows: batch.num_rows(), sha256, ipc, brotli, gzip })
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[derive(Debug)]
pub struct Snapshot {
    pub manifest: Manifest,
    pub tables: Vec<Table>,
}

impl Snapshot {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// The snapshots the server can serve and which one is current.
#[derive(Debug, Clone)]
pub struct Snapshots {
    pub current: Arc<Snapshot>,
}

impl Snapshots {
    /// The built-in synthetic demo snapshot.
    pub fn with_demo() -> Self {
        Self { current: Arc::new(demo_snapshot()) }
    }

    pub fn get(&self, snapshot_id: &str) -> Option<Arc<Snapshot>> {
        (snapshot_id == shared::api::CURRENT || snapshot_id == self.current.manifest.snapshot_id)
            .then(|| Arc::clone(&self.current))
    }
}

fn demo_snapshot() -> Snapshot {
    let config = shared::demo::DemoConfig::default();
    // The demo goes through the same validation as any upload; it is built to be clean.
    let uploads = crate::commands::demo_uploads(None).expect("demo tables are readable");
    let (report, canonical) = shared::validate::validate_snapshot(&uploads);
    let canonical = canonical.unwrap_or_else(|| panic!("the demo snapshot is valid: {:?}", report.findings));
    let tables: Vec<Table> =
        canonical.iter().map(|(spec, batch)| Table::new(spec.name, batch).expect("canonical tables encode")).collect();
    let facts = tables.iter().find(|t| t.name == FACTS).map_or_else(String::new, |t| t.sha256.clone());
    let (y, m) = config.last_month;
    let manifest = Manifest {
        snapshot_id: format!("demo-{}", &facts[..12]),
        title_es: format!("{} — SI EMPLEO", shared::demo::SYNTHETIC_LABEL.es),
        title_en: format!("{} — SI EMPLEO", shared::demo::SYNTHETIC_LABEL.en),
        as_of: last_day(y, m),
        published_at: "2026-11-01T00:00:00-06:00".to_owned(),
        synthetic: true,
        schema_version: shared::schema::SCHEMA_VERSION.to_owned(),
        tables: tables
            .iter()
            .map(|t| TableEntry { name: t.name.clone(), rows: t.rows, sha256: t.sha256.clone() })
            .collect(),
    };
    Snapshot { manifest, tables }
}

/// The last day of a month as an ISO date.
fn last_day(year: i32, month: u32) -> String {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{year:04}-{month:02}-{days:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_snapshot_round_trips_through_ipc() {
        let s = Snapshots::with_demo();
        let facts = s.current.table(FACTS).expect("facts");
        let batch = shared::ipc::read_stream(&facts.ipc).expect("decodes");
        assert_eq!(batch, shared::demo::facts(&shared::demo::DemoConfig::default()));
        assert_eq!(s.current.manifest.as_of, "2026-10-31");
        assert!(facts.brotli.len() < facts.ipc.len() / 3);
    }

    #[test]
    fn last_day_knows_leap_years() {
        assert_eq!(last_day(2024, 2), "2024-02-29");
        assert_eq!(last_day(2025, 2), "2025-02-28");
        assert_eq!(last_day(2025, 12), "2025-12-31");
    }
}
