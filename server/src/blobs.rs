//! Content-addressed table bytes. The file system implementation writes temp file → fsync → rename → fsync
//! directory, so a file under its hash name is always whole. Behind a trait so an object store can replace it.
//!
//! Nothing here deletes on its own: opening the store (the server, or an admin command beside it) never sweeps, as
//! another process may be between writing a blob and committing the draft that references it. Only `rumbo gc`
//! removes, under the store's exclusive lock (`Store::gc`).
//!
//! [`S3Blobs`] keeps them in an S3-compatible bucket instead (`--blobs s3://bucket/prefix`), for several replicas.

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
    /// Whether the store is reachable (`GET /api/readyz`).
    fn health(&self) -> std::io::Result<()>;
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

    fn health(&self) -> std::io::Result<()> {
        std::fs::read_dir(&self.dir).map(drop)
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

/// Blobs in an S3-compatible bucket, each object named `prefix/sha256`. A `PUT` is whole or absent (S3 has no
/// partial objects), so there are no unfinished writes to sweep; `put` rewrites an existing object (the same bytes,
/// its key being their hash), which renews its age for `rumbo gc` as `FsBlobs` does. Credentials, region and
/// endpoint come from the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
/// `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`).
pub struct S3Blobs {
    store: object_store::aws::AmazonS3,
    prefix: object_store::path::Path,
    /// The object store's client is asynchronous: its requests run here, from the store's synchronous calls
    /// (`crate::store::sql::blocking` keeps them off the server's own threads). A folder's blobs need none of this.
    runtime: Option<tokio::runtime::Runtime>,
}

impl S3Blobs {
    /// `s3://bucket` or `s3://bucket/prefix`; `options` (object_store's names, `aws_endpoint`…) over the
    /// environment's.
    pub fn open(url: &str, options: &[(String, String)]) -> std::io::Result<Self> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| invalid(format!("not an s3:// address: {url}")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(invalid(format!("no bucket in {url}")));
        }
        let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
        // object_store reads `AWS_ENDPOINT`; the AWS tools' own name is `AWS_ENDPOINT_URL`.
        if let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL") {
            builder = builder.with_endpoint(endpoint);
        }
        for (key, value) in options {
            let key: object_store::aws::AmazonS3ConfigKey = key.parse().map_err(|e| invalid(format!("{e}")))?;
            builder = builder.with_config(key, value);
        }
        let store = builder.build().map_err(std::io::Error::other)?;
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        Ok(Self { store, prefix: object_store::path::Path::from(prefix.trim_matches('/')), runtime: Some(runtime) })
    }

    fn key(&self, sha256: &str) -> std::io::Result<object_store::path::Path> {
        if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(self.prefix.child(sha256))
        } else {
            Err(invalid("not a sha256".to_owned()))
        }
    }

    fn run<T: Send>(&self, f: impl std::future::Future<Output = object_store::Result<T>> + Send) -> std::io::Result<T> {
        let runtime = self.runtime.as_ref().ok_or_else(|| std::io::Error::other("object store closed"))?;
        crate::store::sql::blocking(|| runtime.block_on(f)).map_err(|e| match e {
            object_store::Error::NotFound { .. } => std::io::Error::new(std::io::ErrorKind::NotFound, e.to_string()),
            e => std::io::Error::other(e.to_string()),
        })
    }
}

impl Drop for S3Blobs {
    fn drop(&mut self) {
        // Allowed on any thread, a server's included (a plain drop of a runtime is not).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

impl BlobStore for S3Blobs {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        use object_store::ObjectStore;
        let sha = hex(&Sha256::digest(bytes));
        let key = self.key(&sha)?;
        self.run(self.store.put(&key, object_store::PutPayload::from(bytes.to_vec())))?;
        Ok(sha)
    }

    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        use object_store::ObjectStore;
        let key = self.key(sha256)?;
        self.run(async { self.store.get(&key).await?.bytes().await }).map(|b| b.to_vec())
    }

    fn list(&self) -> std::io::Result<Vec<(String, SystemTime)>> {
        use futures::TryStreamExt;
        use object_store::ObjectStore;
        let metas: Vec<object_store::ObjectMeta> = self.run(self.store.list(Some(&self.prefix)).try_collect())?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let name = m.location.filename()?.to_owned();
                (self.key(&name).is_ok() && m.location == self.prefix.child(name.as_str()))
                    .then(|| (name, SystemTime::from(m.last_modified)))
            })
            .collect())
    }

    fn remove(&self, sha256: &str) -> std::io::Result<()> {
        use object_store::ObjectStore;
        let key = self.key(sha256)?;
        self.run(self.store.delete(&key))
    }

    fn remove_stale_writes(&self, _age: Duration) -> std::io::Result<usize> {
        Ok(0)
    }

    fn health(&self) -> std::io::Result<()> {
        use object_store::ObjectStore;
        // A key that never exists: "not found" is the bucket answering.
        match self.run(self.store.head(&self.prefix.child(".rumbo-health"))) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other.map(drop),
        }
    }
}
