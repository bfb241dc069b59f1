//! Content-addressed table bytes. The file system implementation writes temp file → fsync → rename → fsync
//! directory, so a file under its hash name is always whole. Behind a trait so an object store can replace it.
//!
//! Nothing here deletes on its own: opening the store (the server, or an admin command beside it) never sweeps, as
//! another process may be between writing a blob and committing the draft that references it. Only `rumbo gc`
//! removes, under the store's exclusive lock (`Store::gc`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::snapshots::hex;

pub trait BlobStore: Send + Sync {
    /// Stores bytes durably under their sha256; returns the hex digest. Idempotent.
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;
    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>>;
    /// Every stored digest, with when it was last written (or stored again: `put` of existing bytes renews it).
    fn list(&self) -> std::io::Result<Vec<(String, SystemTime)>>;
    fn remove(&self, sha256: &str) -> std::io::Result<()>;
    /// Removes unfinished writes (a crash between writing and naming a blob) older than `age`; returns how many.
    fn remove_stale_writes(&self, age: Duration) -> std::io::Result<usize>;
}

/// Temp-file names unique within the process: identical uploads at the same moment never share one.
static WRITES: AtomicU64 = AtomicU64::new(0);

pub struct FsBlobs {
    dir: PathBuf,
}

impl FsBlobs {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self { dir: dir.to_path_buf() })
    }

    fn path(&self, sha256: &str) -> std::io::Result<PathBuf> {
        if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(self.dir.join(sha256))
        } else {
            Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a sha256"))
        }
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

impl BlobStore for FsBlobs {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = hex(&Sha256::digest(bytes));
        let path = self.path(&sha)?;
        if path.exists() {
            // Stored again: renew its age, so that `rumbo gc` cannot take it as long unreferenced.
            std::fs::File::options().write(true).open(&path)?.set_modified(SystemTime::now())?;
            return Ok(sha);
        }
        let write = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(format!(".tmp-{sha}-{}-{write}", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        sync_dir(&self.dir)?;
        Ok(sha)
    }

    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(sha256)?)
    }

    fn list(&self) -> std::io::Result<Vec<(String, SystemTime)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if self.path(&name).is_ok() {
                out.push((name, entry.metadata()?.modified()?));
            }
        }
        Ok(out)
    }

    fn remove(&self, sha256: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.path(sha256)?)?;
        sync_dir(&self.dir)
    }

    fn remove_stale_writes(&self, age: Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            if !entry.file_name().to_string_lossy().starts_with(".tmp-") {
                continue;
            }
            let modified = entry.metadata()?.modified()?;
            if modified.elapsed().is_ok_and(|elapsed| elapsed >= age) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}
