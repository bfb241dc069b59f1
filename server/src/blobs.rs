//! Content-addressed table bytes. The file system implementation writes temp file → fsync → rename → fsync
//! directory, so a file under its hash name is always whole. Behind a trait so an object store can replace it.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::snapshots::hex;

pub trait BlobStore: Send + Sync {
    /// Stores bytes durably under their sha256; returns the hex digest. Idempotent.
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;
    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>>;
    /// Every stored digest.
    fn list(&self) -> std::io::Result<Vec<String>>;
    fn remove(&self, sha256: &str) -> std::io::Result<()>;
}

pub struct FsBlobs {
    dir: PathBuf,
}

impl FsBlobs {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        // Leftover temp files are writes that were never acknowledged.
        for entry in std::fs::read_dir(dir)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
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
            return Ok(sha);
        }
        let tmp = self.dir.join(format!(".tmp-{sha}-{}", std::process::id()));
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

    fn list(&self) -> std::io::Result<Vec<String>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if self.path(&name).is_ok() {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn remove(&self, sha256: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.path(sha256)?)?;
        sync_dir(&self.dir)
    }
}
