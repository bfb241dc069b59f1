//! Table bytes ready to serve: each table compressed (brotli, gzip) once, kept by sha256, never compressed per
//! request; and the open-data files made from them ([`DownloadCache`]). An upload compresses its tables in the background once validated, and a start those of the current snapshot,
//! in the background; any other table (an older snapshot after a restart) on its first request. Also the built-in demo snapshot's uploads.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// One table, ready to serve.
#[derive(Debug)]
pub struct Table {
    /// Hex sha256 of the uncompressed IPC bytes; the table's `ETag`.
    pub sha256: String,
    pub ipc: bytes::Bytes,
    pub brotli: bytes::Bytes,
    pub gzip: bytes::Bytes,
}

impl Table {
    /// Tables up to this size are compressed at brotli's best quality (11): the first view's rows, code lists,
    /// roadmap tables, pages, all read before a first chart, come about a fifth smaller than at 9 for well under a
    /// second of one core, once. Larger ones (a whole `facts`) at 9, which compresses megabytes a second.
    const BEST_UP_TO: usize = 4 << 20;

    pub fn new(sha256: String, ipc: Vec<u8>) -> Self {
        let mut brotli = Vec::new();
        {
            let quality = if ipc.len() <= Self::BEST_UP_TO { 11 } else { 9 };
            let mut w = brotli::CompressorWriter::new(&mut brotli, 4096, quality, 22);
            // Writing into memory cannot fail.
            let _ = w.write_all(&ipc);
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gz.write_all(&ipc);
        let gzip = gz.finish().unwrap_or_default();
        Self { sha256, ipc: ipc.into(), brotli: brotli.into(), gzip: gzip.into() }
    }
}

/// Compressed tables by sha256. Tables are immutable, so an entry never goes stale.
#[derive(Debug, Default, Clone)]
pub struct TableCache {
    tables: Arc<Mutex<HashMap<String, Arc<Table>>>>,
}

impl TableCache {
    pub fn get_or_insert(&self, sha256: &str, load: impl FnOnce() -> Option<Vec<u8>>) -> Option<Arc<Table>> {
        if let Some(t) = self.lock().get(sha256) {
            return Some(Arc::clone(t));
        }
        let table = Arc::new(Table::new(sha256.to_owned(), load()?));
        self.lock().insert(sha256.to_owned(), Arc::clone(&table));
        Some(table)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Table>>> {
        self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Which download of which table: the table's sha256, the format, and for CSV whether it carries the HXL row.
pub type DownloadKey = (String, shared::api::DownloadFormat, bool);

/// The open-data files made from tables, by [`DownloadKey`]: made once, kept while they fit in a byte budget (the
/// oldest made is forgotten first; a file larger than the budget is made per request). A table never changes, so
/// an entry never goes stale.
#[derive(Debug, Clone)]
pub struct DownloadCache {
    budget_bytes: usize,
    files: Arc<Mutex<Files>>,
}

#[derive(Debug, Default)]
struct Files {
    by_key: HashMap<DownloadKey, bytes::Bytes>,
    /// Keys in the order they were made.
    order: std::collections::VecDeque<DownloadKey>,
    bytes: usize,
}

impl DownloadCache {
    pub fn new(budget_bytes: usize) -> Self {
        Self { budget_bytes, files: Arc::default() }
    }

    pub fn get(&self, key: &DownloadKey) -> Option<bytes::Bytes> {
        self.lock().by_key.get(key).cloned()
    }

    pub fn insert(&self, key: DownloadKey, file: bytes::Bytes) {
        if file.len() > self.budget_bytes {
            return;
        }
        let mut files = self.lock();
        if files.by_key.contains_key(&key) {
            return;
        }
        while files.bytes + file.len() > self.budget_bytes {
            let Some(oldest) = files.order.pop_front() else { break };
            if let Some(gone) = files.by_key.remove(&oldest) {
                files.bytes -= gone.len();
            }
        }
        files.bytes += file.len();
        files.order.push_back(key.clone());
        files.by_key.insert(key, file);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Files> {
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A validated snapshot's tables as the store keeps them (name, IPC stream, rows), followed by the rows of `facts`
/// its default view reads ([`shared::manifest::FIRST_VIEW_TABLE`], made by `shared::dashboard::first_view_cut`) when
/// those are a small part of it: written once here, at upload, so that it is stored, hashed, checked and
/// served like any table, never cut per request.
///
/// # Errors
/// When a table cannot be written as IPC, or is not canonical.
pub fn stored_tables(
    canonical: &[(&'static shared::tables::TableSpec, arrow_array::RecordBatch)],
) -> Result<Vec<(String, Vec<u8>, usize)>, String> {
    let mut tables = canonical
        .iter()
        .map(|(spec, batch)| {
            Ok((spec.name.to_owned(), shared::ipc::write_stream(batch).map_err(|e| e.to_string())?, batch.num_rows()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if let Some(part) = shared::dashboard::first_view_cut(canonical)? {
        let bytes = shared::ipc::write_stream(&part).map_err(|e| e.to_string())?;
        tables.push((shared::manifest::FIRST_VIEW_TABLE.to_owned(), bytes, part.num_rows()));
    }
    Ok(tables)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The last day of a month as an ISO date.
pub fn last_day(year: i32, month: u32) -> String {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{year:04}-{month:02}-{days:02}")
}

/// The `facts` the public reads now (the current snapshot's), which an upload's disclosure control compares with
/// (`shared::disclosure`: what was hidden stays hidden, and no difference between the two reveals it). `None`
/// when nothing is published or the current snapshot has no `facts`. A table that cannot be read is an error:
/// protecting as if there were no earlier snapshot could reveal what it hid.
pub fn current_facts(store: &crate::store::Store) -> Result<Option<shared::facts::Facts>, crate::store::StoreError> {
    let Some(id) = store.current_id()? else { return Ok(None) };
    let Some((_, bytes)) = store.table(&id, shared::schema::FACTS)? else { return Ok(None) };
    let corrupt = |e: &dyn std::fmt::Display| crate::store::StoreError::Corrupt(format!("{id}/facts: {e}"));
    let batch = shared::ipc::read_stream(&bytes).map_err(|e| corrupt(&e))?;
    shared::facts::Facts::try_from(batch).map(Some).map_err(|e| corrupt(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_day_knows_leap_years() {
        assert_eq!(last_day(2024, 2), "2024-02-29");
        assert_eq!(last_day(2025, 2), "2025-02-28");
        assert_eq!(last_day(2025, 12), "2025-12-31");
    }

    #[test]
    fn downloads_stay_within_their_budget_forgetting_the_oldest() {
        use shared::api::DownloadFormat::{Csv, Parquet};
        let cache = DownloadCache::new(100);
        let key = |s: &str, f| (s.to_owned(), f, false);
        cache.insert(key("a", Csv), bytes::Bytes::from(vec![0; 60]));
        cache.insert(key("a", Parquet), bytes::Bytes::from(vec![0; 30]));
        cache.insert(key("b", Csv), bytes::Bytes::from(vec![0; 50]));
        assert!(cache.get(&key("a", Csv)).is_none(), "the oldest went");
        assert!(cache.get(&key("a", Parquet)).is_some() && cache.get(&key("b", Csv)).is_some());
        cache.insert(key("c", Csv), bytes::Bytes::from(vec![0; 101]));
        assert!(cache.get(&key("c", Csv)).is_none(), "larger than the budget: not kept");
        assert!(cache.lock().bytes <= 100);
    }

    #[test]
    fn a_table_is_compressed_once() {
        let cache = TableCache::default();
        let mut loads = 0;
        for _ in 0..3 {
            cache.get_or_insert("abc", || {
                loads += 1;
                Some(vec![7; 10_000])
            });
        }
        assert_eq!(loads, 1);
    }
}
