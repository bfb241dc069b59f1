//! The durable store: SQLite (WAL, `synchronous=FULL`) for metadata, users, sessions, tokens and the audit log;
//! content-addressed files ([`crate::blobs`]) for table bytes. Blobs are written and synced before the SQLite
//! transaction that references them commits, and a request is acknowledged only after that commit, so an
//! acknowledged snapshot survives a kill at any moment. The store never sees axum types.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;
use serde::Serialize;
use shared::agenda::{Agenda, AgendaInput};
pub use shared::api::Role;
use shared::api::{AuditEntry, DraftSummary, Lifecycle, Managed, NewToken, PublishMeta, TokenInfo};
use shared::finding::Finding;
use shared::manifest::{Manifest, TableEntry};

use crate::blobs::{BlobStore, FsBlobs};

mod agreements;
mod migrate;
pub(crate) mod sql;

pub use migrate::MigrateReport;
use sql::{Lite, Pg, Sql, p};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("database: {}", pg_message(.0))]
    Pg(#[from] postgres::Error),
    #[error("files: {0}")]
    Io(#[from] std::io::Error),
    #[error("not found")]
    NotFound,
    /// The operation does not apply to the snapshot's state (e.g. publishing a draft with errors).
    #[error("{es} / {en}")]
    Conflict { es: String, en: String },
    #[error("stored table {0} is missing or corrupt")]
    Corrupt(String),
}

/// PostgreSQL's own message when the server sent one (the client's `Display` says only "db error").
fn pg_message(e: &postgres::Error) -> String {
    e.as_db_error().map_or_else(|| e.to_string(), |d| format!("{}: {}", d.code().code(), d.message()))
}

impl StoreError {
    /// A unique constraint refused the write (a name already taken), in either database.
    fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(rusqlite::Error::SqliteFailure(f, _)) => f.code == rusqlite::ErrorCode::ConstraintViolation,
            StoreError::Pg(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

fn conflict(es: &str, en: &str) -> StoreError {
    StoreError::Conflict { es: es.to_owned(), en: en.to_owned() }
}

/// A snapshot's `state` column as a lifecycle (the table's `CHECK` allows only their codes).
fn stored_lifecycle(code: &str) -> Result<Lifecycle, StoreError> {
    Lifecycle::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("snapshot state «{code}»")))
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

/// What `Store::check` found. It only reads: nothing is removed or repaired.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub snapshots: usize,
    pub tables_verified: usize,
    /// `snapshot_id/table` of each referenced table whose file is missing or does not match its sha256.
    pub missing_or_corrupt: Vec<String>,
    /// Stored files no snapshot references (an upload in flight, or one a crash left): `rumbo gc` removes them.
    pub unreferenced: usize,
}

/// What `Store::gc` removed and kept.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcReport {
    /// Unreferenced files removed (older than the age asked for).
    pub removed: usize,
    /// Unreferenced files kept because they are younger: perhaps an upload about to commit.
    pub kept_recent: usize,
    /// Unfinished writes removed (older than the age asked for).
    pub stale_writes_removed: usize,
}

/// Which audit entries to list: each filter optional, days inclusive on the date `at` is written with.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub until: Option<String>,
    pub limit: usize,
}

pub struct Store {
    db: Db,
    blobs: Box<dyn BlobStore>,
    /// `gc.lock` in the data folder (SQLite): every write of blobs through its commit holds it shared, `gc`
    /// exclusively, so a sweep in another process never sees a blob written but not yet referenced. PostgreSQL
    /// stores use an advisory lock instead, which every replica shares (`lock_for_gc`).
    gc_lock: PathBuf,
    /// Manifests with their lifecycle, as read, so that a table request does not query SQLite. Filled and cleared
    /// only while `db` is locked: every change of a snapshot's lifecycle clears it before it commits, so no reader
    /// can keep a state older than the database's. With PostgreSQL, where other replicas change the lifecycle, only
    /// published and retracted manifests are kept (nothing in them changes after publishing) and their state is
    /// read from the database every time (ARCHITECTURE.md, "The store's two backends").
    manifests: std::sync::RwLock<std::collections::HashMap<String, (Manifest, Lifecycle)>>,
    /// The current snapshot's id as read, under the same rule.
    current: std::sync::RwLock<Current>,
}

/// The current snapshot's id, as the store last read it.
#[derive(Default)]
enum Current {
    /// Not read since the last change of lifecycle.
    #[default]
    Unknown,
    /// The id, or `None` when nothing is published.
    Known(Option<String>),
}

/// The metadata database.
enum Db {
    /// The embedded default: one connection, its mutex the process's serialisation.
    Lite(Mutex<Connection>),
    /// Shared by any number of replicas.
    Pg(sql::PgPool),
}

/// A held `gc` lock ([`Store::lock_for_gc`]); released when dropped.
enum GcGuard<'s> {
    File(#[allow(dead_code)] std::fs::File),
    Pg(&'s sql::PgPool, Option<Box<sql::PgConn>>, bool),
}

impl Drop for GcGuard<'_> {
    fn drop(&mut self) {
        if let GcGuard::Pg(pool, client, exclusive) = self
            && let Some(mut conn) = client.take()
        {
            let unlock =
                if *exclusive { "SELECT pg_advisory_unlock($1)" } else { "SELECT pg_advisory_unlock_shared($1)" };
            sql::blocking(|| {
                if conn.client.execute(unlock, &[&sql::GC_LOCK]).is_ok() {
                    pool.give(*conn);
                } else {
                    pool.discard(*conn);
                }
            });
        }
    }
}

/// Where a store keeps what it keeps: `rumbo serve --data-dir`, `--database-url`, `--blobs`.
#[derive(Debug, Clone, Default)]
pub struct Location {
    /// The data folder: SQLite's file and the default blob folder (`tables/`).
    pub data_dir: PathBuf,
    /// `postgres://…`: metadata in PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// `s3://bucket/prefix` or a folder: where table bytes go instead of `data_dir/tables`.
    pub blobs: Option<String>,
    /// Settings of the S3 client over the `AWS_*` variables, by object_store's names (`aws_endpoint`,
    /// `aws_access_key_id`, …): for tests, which cannot set a process's environment.
    pub s3_options: Vec<(String, String)>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retracted', 'discarded')),
    title_es TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    as_of TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT,
    version INTEGER UNIQUE,
    retract_reason TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    report_json TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS snapshot_tables (
    snapshot_id TEXT NOT NULL REFERENCES snapshots(snapshot_id),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, name)
);
CREATE TABLE IF NOT EXISTS current (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    snapshot_id TEXT NOT NULL REFERENCES snapshots(snapshot_id)
);
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id),
    csrf TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    seen_unix INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id),
    token_sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS login_failures (username TEXT NOT NULL, at_unix INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at_unix);
CREATE TABLE IF NOT EXISTS audit (
    audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agendas (
    agenda_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slides_json TEXT NOT NULL,
    public_agreements INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agreements (
    agreement_id TEXT PRIMARY KEY,
    agenda_id TEXT NOT NULL,
    slide INTEGER NOT NULL,
    view_url TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    text TEXT NOT NULL,
    institution TEXT NOT NULL,
    due TEXT NOT NULL,
    intervention TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dropped')),
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS agreements_agenda ON agreements (agenda_id);
CREATE TABLE IF NOT EXISTS agreement_changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id TEXT NOT NULL REFERENCES agreements(agreement_id),
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS agreement_changes_append_only_u BEFORE UPDATE ON agreement_changes BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS agreement_changes_append_only_d BEFORE DELETE ON agreement_changes BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_u BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_d BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
";

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Now as RFC 3339 in Tegucigalpa time (UTC−6, no daylight saving).
pub fn now_rfc3339() -> String {
    let t = now_unix() - 6 * 3600;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}-06:00",
        shared::demo::roadmap::civil_from_days(days),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Random bytes as hex, for ids and secrets. A failing OS random source is an error: no secret is made without it.
pub fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(format!("OS random source: {e}")))?;
    Ok(crate::snapshots::hex(&buf))
}

pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    crate::snapshots::hex(&sha2::Sha256::digest(s.as_bytes()))
}

impl Store {
    /// Opens (or creates) the embedded store in `dir`: SQLite and a folder of blobs. Removes nothing: a server may
    /// be running beside an admin command.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::open_at(&Location { data_dir: dir.to_path_buf(), ..Location::default() })
    }

    /// Opens (or creates) the store where `at` says: SQLite in the data folder or PostgreSQL, blobs in a folder or
    /// an S3 bucket. Creating the schema is idempotent and, in PostgreSQL, serialised between replicas.
    pub fn open_at(at: &Location) -> Result<Self, StoreError> {
        let db = if let Some(url) = &at.database_url {
            Db::Pg(open_pg(url)?)
        } else {
            std::fs::create_dir_all(&at.data_dir)?;
            Db::Lite(Mutex::new(open_sqlite(&at.data_dir)?))
        };
        let blobs: Box<dyn BlobStore> = match at.blobs.as_deref() {
            Some(spec) if spec.starts_with("s3://") => Box::new(crate::blobs::S3Blobs::open(spec, &at.s3_options)?),
            Some(folder) => Box::new(FsBlobs::open(Path::new(folder))?),
            None => Box::new(FsBlobs::open(&at.data_dir.join("tables"))?),
        };
        Ok(Self {
            db,
            blobs,
            gc_lock: at.data_dir.join("gc.lock"),
            manifests: std::sync::RwLock::default(),
            current: std::sync::RwLock::default(),
        })
    }

    /// Whether this store keeps manifests and the current id in memory (SQLite: no other process changes them
    /// without this one's lock; PostgreSQL: other replicas do).
    fn caching(&self) -> bool {
        matches!(self.db, Db::Lite(_))
    }

    /// Runs statements outside a transaction (with SQLite, under the connection's lock).
    fn run<R: Send>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<R, StoreError> + Send) -> Result<R, StoreError> {
        match &self.db {
            Db::Lite(conn) => f(&mut Lite(&conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner))),
            Db::Pg(pool) => pool.with(|conn| f(&mut Pg(&mut conn.client, &mut conn.statements))),
        }
    }

    /// Runs statements in one transaction, committed when `f` succeeds. Writes are serialised: SQLite's
    /// `BEGIN IMMEDIATE` (beside the connection's lock), and for a change of lifecycle (`lifecycle`) PostgreSQL's
    /// advisory lock, held until the commit, so two replicas never interleave publish, retract and make-current.
    fn tx<R: Send>(
        &self,
        lifecycle: bool,
        f: impl FnOnce(&mut dyn Sql) -> Result<R, StoreError> + Send,
    ) -> Result<R, StoreError> {
        match &self.db {
            Db::Lite(conn) => {
                // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
                // poisoned lock is still usable.
                let mut conn = conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&mut Lite(&tx))?;
                tx.commit()?;
                Ok(out)
            }
            Db::Pg(pool) => pool.with(|conn| {
                let mut tx = conn.client.transaction()?;
                if lifecycle {
                    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&sql::LIFECYCLE_LOCK])?;
                }
                let out = f(&mut Pg(&mut tx, &mut conn.statements))?;
                tx.commit()?;
                Ok(out)
            }),
        }
    }

    /// The lock between writers (shared) and `gc` (exclusive); released when the guard is dropped. With SQLite a
    /// file lock (`gc.lock`), with PostgreSQL an advisory lock, which every replica shares.
    fn lock_for_gc(&self, exclusive: bool) -> Result<GcGuard<'_>, StoreError> {
        if let Db::Pg(pool) = &self.db {
            let lock = if exclusive { "SELECT pg_advisory_lock($1)" } else { "SELECT pg_advisory_lock_shared($1)" };
            let client = sql::blocking(|| -> Result<_, StoreError> {
                let mut conn = pool.take()?;
                if let Err(e) = conn.client.execute(lock, &[&sql::GC_LOCK]) {
                    pool.discard(conn);
                    return Err(e.into());
                }
                Ok(conn)
            })?;
            return Ok(GcGuard::Pg(pool, Some(Box::new(client)), exclusive));
        }
        let file = std::fs::File::options().create(true).truncate(false).write(true).open(&self.gc_lock)?;
        if exclusive {
            file.lock()?;
        } else {
            file.lock_shared()?;
        }
        Ok(GcGuard::File(file))
    }

    /// Forgets the cached manifests and current id; called with `db` locked, before a change of lifecycle commits.
    fn forget_manifests(&self) {
        self.manifests.write().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Current::Unknown;
    }

    /// Whether the database answers and the blob store is reachable (`GET /api/readyz`).
    pub fn ready(&self) -> Result<(), StoreError> {
        self.run(|s| s.row("SELECT 1", &[]).map(drop))?;
        self.blobs.health()?;
        Ok(())
    }

    /// Verifies every referenced table (present, with the right sha256) and counts unreferenced files. Reads only.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let (referenced, snapshots) = self.run(|s| {
            let refs = s
                .rows("SELECT snapshot_id || '/' || name, sha256 FROM snapshot_tables", &[])?
                .iter()
                .map(|r| Ok((r.text(0)?, r.text(1)?)))
                .collect::<Result<Vec<(String, String)>, StoreError>>()?;
            let n = s.row("SELECT count(*) FROM snapshots", &[])?.map_or(Ok(0), |r| r.int(0))?;
            Ok((refs, n))
        })?;
        let mut report = CheckReport { snapshots: snapshots as usize, ..CheckReport::default() };
        for (what, sha) in &referenced {
            match self.blobs.get(sha) {
                Ok(bytes) if sha256_of(&bytes) == *sha => report.tables_verified += 1,
                _ => report.missing_or_corrupt.push(what.clone()),
            }
        }
        let referenced: std::collections::HashSet<&str> = referenced.iter().map(|(_, s)| s.as_str()).collect();
        let listed = self.blobs.list()?;
        report.unreferenced = listed.iter().filter(|(sha, _)| !referenced.contains(sha.as_str())).count();
        Ok(report)
    }

    /// Removes the stored files no snapshot references and the unfinished writes, each only when older than `age`
    /// (`rumbo gc`: a day by default). Holds the store's lock exclusively, so no upload is between writing its blobs
    /// and committing them meanwhile (they wait, and go on once the sweep ends); with PostgreSQL the lock is the
    /// cluster's, so no replica's upload is either.
    pub fn gc(&self, age: std::time::Duration) -> Result<GcReport, StoreError> {
        let _lock = self.lock_for_gc(true)?;
        let referenced: std::collections::HashSet<String> =
            self.run(|s| s.rows("SELECT sha256 FROM snapshot_tables", &[])?.iter().map(|r| r.text(0)).collect())?;
        let mut report = GcReport { stale_writes_removed: self.blobs.remove_stale_writes(age)?, ..GcReport::default() };
        for (sha, modified) in self.blobs.list()? {
            if referenced.contains(&sha) {
                continue;
            }
            if modified.elapsed().is_ok_and(|elapsed| elapsed >= age) {
                self.blobs.remove(&sha)?;
                report.removed += 1;
            } else {
                report.kept_recent += 1;
            }
        }
        Ok(report)
    }

    /// Stores validated tables as a draft. Blobs first (synced), then one transaction.
    pub fn create_draft(
        &self,
        actor: &str,
        from: &str,
        tables: &[(String, Vec<u8>, usize)],
        report: &shared::validate::Report,
        synthetic: bool,
    ) -> Result<String, StoreError> {
        // Held from the first blob written until the draft that references them commits (`gc`).
        let _writing = self.lock_for_gc(false)?;
        let mut stored = Vec::new();
        for (name, bytes, rows) in tables {
            stored.push((name, self.blobs.put(bytes)?, *rows));
        }
        let snapshot_id = format!("{}-{}", now_rfc3339().get(..10).unwrap_or("0000-00-00"), random_hex(4)?);
        let report_json = serde_json::to_string(&report.findings).unwrap_or_else(|_| "[]".to_owned());
        let (errors, warnings) = (report.errors() as i64, report.warnings() as i64);
        self.tx(false, |tx| {
            self.forget_manifests();
            tx.exec(
                "INSERT INTO snapshots (snapshot_id, state, created_at, created_by, errors, warnings, report_json, synthetic)
                 VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?6, ?7)",
                p![&snapshot_id, &now_rfc3339(), actor, errors, warnings, &report_json, synthetic],
            )?;
            for (name, sha, rows) in &stored {
                tx.exec(
                    "INSERT INTO snapshot_tables (snapshot_id, name, sha256, rows) VALUES (?1, ?2, ?3, ?4)",
                    p![&snapshot_id, *name, sha, *rows as i64],
                )?;
            }
            audit_in(tx, actor, "upload", &snapshot_id, &format!("{errors} errores, {warnings} avisos"), from)
        })?;
        Ok(snapshot_id)
    }

    /// Publishes a draft without errors: it becomes the current snapshot, its bytes immutable.
    pub fn publish(
        &self,
        snapshot_id: &str,
        actor: &str,
        meta: &PublishMeta,
        from: &str,
    ) -> Result<Manifest, StoreError> {
        self.tx(true, |tx| {
            self.forget_manifests();
            let row = tx
                .row("SELECT state, errors FROM snapshots WHERE snapshot_id = ?1", p![snapshot_id])?
                .ok_or(StoreError::NotFound)?;
            if row.text(0)? != Lifecycle::Draft.code() {
                return Err(conflict("solo se publica un borrador", "only a draft can be published"));
            }
            if row.int(1)? > 0 {
                return Err(conflict(
                    "el borrador tiene errores: corríjalos antes de publicar",
                    "the draft has errors: fix them before publishing",
                ));
            }
            let version =
                tx.row("SELECT coalesce(max(version), 0) + 1 FROM snapshots", &[])?.map_or(Ok(1), |r| r.int(0))?;
            let title_es = meta.title_es.clone().unwrap_or_else(|| format!("Publicación {version}"));
            let title_en = meta.title_en.clone().unwrap_or_else(|| format!("Snapshot {version}"));
            let as_of = meta
                .as_of
                .clone()
                .filter(|d| shared::validate::is_date(d))
                .unwrap_or_else(|| now_rfc3339()[..10].to_owned());
            let notes = meta.notes.clone().unwrap_or_default();
            tx.exec(
                "UPDATE snapshots SET state = 'published', title_es = ?2, title_en = ?3, as_of = ?4, notes = ?5,
                 published_at = ?6, version = ?7, published_by = ?8 WHERE snapshot_id = ?1",
                p![snapshot_id, &title_es, &title_en, &as_of, &notes, &now_rfc3339(), version, actor],
            )?;
            set_current(tx, snapshot_id)?;
            audit_in(tx, actor, "publish", snapshot_id, &format!("versión {version}"), from)
        })?;
        self.manifest(snapshot_id)?.map(|(m, _)| m).ok_or(StoreError::NotFound)
    }

    /// Hides a published snapshot (kept and audited). If it was current, the newest other published one is.
    pub fn retract(&self, snapshot_id: &str, actor: &str, reason: &str, from: &str) -> Result<(), StoreError> {
        self.tx(true, |tx| {
            self.forget_manifests();
            let n = tx.exec(
                "UPDATE snapshots SET state = 'retracted', retract_reason = ?2 WHERE snapshot_id = ?1 AND state = 'published'",
                p![snapshot_id, reason],
            )?;
            if n == 0 {
                return Err(conflict(
                    "solo se retira una publicación vigente",
                    "only a published snapshot can be retracted",
                ));
            }
            let current = tx.row("SELECT snapshot_id FROM current", &[])?.map(|r| r.text(0)).transpose()?;
            if current.as_deref() == Some(snapshot_id) {
                let next = tx
                    .row("SELECT snapshot_id FROM snapshots WHERE state = 'published' ORDER BY version DESC LIMIT 1", &[])?
                    .map(|r| r.text(0))
                    .transpose()?;
                match next {
                    Some(next) => tx.exec("UPDATE current SET snapshot_id = ?1", p![&next])?,
                    None => tx.exec("DELETE FROM current", &[])?,
                };
            }
            audit_in(tx, actor, "retract", snapshot_id, reason, from)
        })
    }

    /// Makes an earlier published snapshot current again (rollback).
    pub fn make_current(&self, snapshot_id: &str, actor: &str, from: &str) -> Result<(), StoreError> {
        self.tx(true, |tx| {
            self.forget_manifests();
            let state = tx.row("SELECT state FROM snapshots WHERE snapshot_id = ?1", p![snapshot_id])?;
            match state.map(|r| r.text(0)).transpose()?.as_deref() {
                None => return Err(StoreError::NotFound),
                Some(code) if code == Lifecycle::Published.code() => {}
                Some(_) => {
                    return Err(conflict(
                        "solo una publicación vigente puede ser la actual",
                        "only a published snapshot can be current",
                    ));
                }
            }
            set_current(tx, snapshot_id)?;
            audit_in(tx, actor, "make-current", snapshot_id, "", from)
        })
    }

    /// Discards a draft (published bytes are never deleted).
    pub fn discard(&self, snapshot_id: &str, actor: &str, from: &str) -> Result<(), StoreError> {
        self.tx(true, |tx| {
            self.forget_manifests();
            let n = tx.exec(
                "UPDATE snapshots SET state = 'discarded' WHERE snapshot_id = ?1 AND state = 'draft'",
                p![snapshot_id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit_in(tx, actor, "discard", snapshot_id, "", from)
        })
    }

    /// Every table stored for a snapshot, its first view ([`shared::manifest::FIRST_VIEW_TABLE`]) among them.
    fn tables_of(s: &mut dyn Sql, snapshot_id: &str) -> Result<Vec<TableEntry>, StoreError> {
        s.rows("SELECT name, rows, sha256 FROM snapshot_tables WHERE snapshot_id = ?1 ORDER BY name", p![snapshot_id])?
            .iter()
            .map(|r| Ok(TableEntry { name: r.text(0)?, rows: r.int(1)? as usize, sha256: r.text(2)? }))
            .collect()
    }

    /// A snapshot's manifest and state.
    pub fn manifest(&self, snapshot_id: &str) -> Result<Option<(Manifest, Lifecycle)>, StoreError> {
        let hit = self.manifests.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(snapshot_id).cloned();
        if let Some((manifest, state)) = hit {
            if self.caching() {
                return Ok(Some((manifest, state)));
            }
            // PostgreSQL: a published or retracted manifest never changes but for its state, which another replica
            // may change at any moment: read each time, alone.
            let row = self.run(|s| s.row("SELECT state FROM snapshots WHERE snapshot_id = ?1", p![snapshot_id]))?;
            return row.map(|r| Ok((manifest, stored_lifecycle(&r.text(0)?)?))).transpose();
        }
        self.run(|s| {
            let Some(row) = s.row(
                "SELECT title_es, title_en, as_of, coalesce(published_at, created_at), synthetic, state,
                        coalesce(published_by, created_by), notes
                 FROM snapshots WHERE snapshot_id = ?1",
                p![snapshot_id],
            )?
            else {
                return Ok(None);
            };
            let state = stored_lifecycle(&row.text(5)?)?;
            let (first_view, tables): (Vec<_>, Vec<_>) = Self::tables_of(s, snapshot_id)?
                .into_iter()
                .partition(|t| t.name == shared::manifest::FIRST_VIEW_TABLE);
            let manifest = Manifest {
                snapshot_id: snapshot_id.to_owned(),
                title_es: row.text(0)?,
                title_en: row.text(1)?,
                as_of: row.text(2)?,
                published_at: row.text(3)?,
                synthetic: row.bool(4)?,
                publisher: row.text(6)?,
                source_notes: row.text(7)?,
                schema_version: shared::schema::SCHEMA_VERSION.to_owned(),
                tables,
                first_view: first_view.into_iter().next(),
            };
            if self.caching() || matches!(state, Lifecycle::Published | Lifecycle::Retracted) {
                // With SQLite still under the `db` lock (see `manifests`); with PostgreSQL only what is immutable.
                self.manifests
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(snapshot_id.to_owned(), (manifest.clone(), state));
            }
            Ok(Some((manifest, state)))
        })
    }

    pub fn current_id(&self) -> Result<Option<String>, StoreError> {
        if self.caching()
            && let Current::Known(id) = &*self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return Ok(id.clone());
        }
        self.run(|s| {
            let id = s.row("SELECT snapshot_id FROM current", &[])?.map(|r| r.text(0)).transpose()?;
            if self.caching() {
                // Still under the `db` lock (see `manifests`).
                *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Current::Known(id.clone());
            }
            Ok(id)
        })
    }

    /// A snapshot's state, without copying its manifest.
    pub fn lifecycle(&self, snapshot_id: &str) -> Result<Option<Lifecycle>, StoreError> {
        if !self.caching() {
            let state = self.run(|s| s.row("SELECT state FROM snapshots WHERE snapshot_id = ?1", p![snapshot_id]))?;
            return state.map(|r| stored_lifecycle(&r.text(0)?)).transpose();
        }
        if let Some((_, state)) =
            self.manifests.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(snapshot_id)
        {
            return Ok(Some(*state));
        }
        Ok(self.manifest(snapshot_id)?.map(|(_, state)| state))
    }

    /// Published snapshots, newest first.
    pub fn published(&self) -> Result<Vec<Manifest>, StoreError> {
        let ids: Vec<String> = self.run(|s| {
            s.rows("SELECT snapshot_id FROM snapshots WHERE state = 'published' ORDER BY version DESC", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect()
        })?;
        let mut out = Vec::new();
        for id in ids {
            if let Some((m, _)) = self.manifest(&id)? {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// Published and retracted snapshots, newest version first, with their state.
    pub fn managed(&self) -> Result<Vec<Managed>, StoreError> {
        let rows = self.run(|s| {
            s.rows(
                "SELECT snapshot_id, state, version, retract_reason FROM snapshots
                 WHERE state IN ('published', 'retracted') ORDER BY version DESC",
                &[],
            )
        })?;
        let current = self.current_id()?;
        let mut out = Vec::new();
        for row in rows {
            let id = row.text(0)?;
            if let Some((manifest, _)) = self.manifest(&id)? {
                out.push(Managed {
                    manifest,
                    lifecycle: stored_lifecycle(&row.text(1)?)?,
                    current: current.as_deref() == Some(id.as_str()),
                    version: row.int(2)?,
                    retract_reason: row.opt_text(3)?,
                });
            }
        }
        Ok(out)
    }

    /// Why a snapshot was retracted (`None` when it was not).
    pub fn retract_reason(&self, snapshot_id: &str) -> Result<Option<String>, StoreError> {
        let row =
            self.run(|s| s.row("SELECT retract_reason FROM snapshots WHERE snapshot_id = ?1", p![snapshot_id]))?;
        Ok(row.map(|r| r.opt_text(0)).transpose()?.flatten())
    }

    pub fn drafts(&self) -> Result<Vec<DraftSummary>, StoreError> {
        self.run(|s| {
            let rows = s.rows(
                "SELECT snapshot_id, created_at, created_by, errors, warnings FROM snapshots WHERE state = 'draft' ORDER BY created_at DESC",
                &[],
            )?;
            rows.iter()
                .map(|r| {
                    let draft_id = r.text(0)?;
                    let mut tables = Self::tables_of(s, &draft_id)?;
                    tables.retain(|t| t.name != shared::manifest::FIRST_VIEW_TABLE);
                    Ok(DraftSummary {
                        draft_id,
                        created_at: r.text(1)?,
                        created_by: r.text(2)?,
                        errors: r.int(3)? as usize,
                        warnings: r.int(4)? as usize,
                        tables,
                    })
                })
                .collect()
        })
    }

    /// A draft's validation report as stored.
    pub fn draft_report(&self, snapshot_id: &str) -> Result<Option<Vec<Finding>>, StoreError> {
        let row = self.run(|s| {
            s.row("SELECT report_json FROM snapshots WHERE snapshot_id = ?1 AND state = 'draft'", p![snapshot_id])
        })?;
        let json = row.map(|r| r.text(0)).transpose()?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// A table's bytes, checked against their hash.
    pub fn table(&self, snapshot_id: &str, name: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = self.run(|s| {
            s.row("SELECT sha256 FROM snapshot_tables WHERE snapshot_id = ?1 AND name = ?2", p![snapshot_id, name])
        })?;
        let Some(sha) = row.map(|r| r.text(0)).transpose()? else { return Ok(None) };
        let corrupt = || StoreError::Corrupt(format!("{snapshot_id}/{name}"));
        let bytes = self.blobs.get(&sha).map_err(|_| corrupt())?;
        if sha256_of(&bytes) != sha {
            tracing::error!(table = %format!("{snapshot_id}/{name}"), "stored table does not match its sha256");
            return Err(corrupt());
        }
        Ok(Some((sha, bytes)))
    }

    pub fn audit(&self, actor: &str, action: &str, target: &str, detail: &str, from: &str) -> Result<(), StoreError> {
        self.run(|s| audit_in(s, actor, action, target, detail, from))
    }

    /// The newest `limit` entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_search(&AuditFilter { limit, ..AuditFilter::default() })
    }

    /// The entries that pass the filter, newest first (filtered in SQL).
    pub fn audit_search(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self.run(|s| {
            s.rows(
                "SELECT at, actor, action, target, detail, source FROM audit
                 WHERE (CAST(?1 AS TEXT) IS NULL OR actor = ?1) AND (CAST(?2 AS TEXT) IS NULL OR action = ?2)
                   AND (CAST(?3 AS TEXT) IS NULL OR substr(at, 1, 10) >= ?3) AND (CAST(?4 AS TEXT) IS NULL OR substr(at, 1, 10) <= ?4)
                 ORDER BY audit_id DESC LIMIT ?5",
                p![&filter.actor, &filter.action, &filter.since, &filter.until, filter.limit as i64],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.text(0)?,
                    actor: r.text(1)?,
                    action: r.text(2)?,
                    target: r.text(3)?,
                    detail: r.text(4)?,
                    from: r.text(5)?,
                })
            })
            .collect()
    }

    // ---- accounts ----

    pub fn add_user(&self, username: &str, password: &str, role: Role, actor: &str) -> Result<(), StoreError> {
        self.create_user(username, password, role, actor, "").map(drop)
    }

    /// Adds an account (its password hashed here: slow on purpose).
    pub fn create_user(
        &self,
        username: &str,
        password: &str,
        role: Role,
        actor: &str,
        from: &str,
    ) -> Result<User, StoreError> {
        if username.trim().is_empty() || username.chars().count() > USERNAME_MAX_CHARS {
            return Err(conflict(
                &format!("el nombre de usuario debe tener de 1 a {USERNAME_MAX_CHARS} caracteres"),
                &format!("the username must have 1 to {USERNAME_MAX_CHARS} characters"),
            ));
        }
        let hash = crate::auth::hash_password(password).map_err(|e| conflict(&e, &e))?;
        let user_id = self
            .tx(false, |tx| {
                let row = tx.row(
                    "INSERT INTO users (username, password_hash, role) VALUES (?1, ?2, ?3) RETURNING user_id",
                    p![username, &hash, role.code()],
                )?;
                audit_in(tx, actor, "user-add", username, role.code(), from)?;
                row.map_or(Err(StoreError::NotFound), |r| r.int(0))
            })
            .map_err(|e| {
                if e.is_unique_violation() {
                    conflict("ese nombre de usuario ya existe", "that username already exists")
                } else {
                    e
                }
            })?;
        Ok(User { user_id, username: username.to_owned(), role, disabled: false })
    }

    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows =
            self.run(|s| s.rows("SELECT user_id, username, role, disabled FROM users ORDER BY username", &[]))?;
        rows.iter()
            .map(|r| {
                Ok(User {
                    user_id: r.int(0)?,
                    username: r.text(1)?,
                    role: Role::from_code(&r.text(2)?).unwrap_or(Role::Viewer),
                    disabled: r.bool(3)?,
                })
            })
            .collect()
    }

    pub fn set_role(&self, username: &str, role: Role, actor: &str) -> Result<(), StoreError> {
        self.update_user(username, Some(role), None, actor, "")
    }

    /// Disables an account and ends its sessions.
    pub fn disable_user(&self, username: &str, actor: &str) -> Result<(), StoreError> {
        self.update_user(username, None, Some(true), actor, "")
    }

    /// Changes an account's role, or turns it off (ending its sessions) or on again, in one transaction; each
    /// change audited.
    pub fn update_user(
        &self,
        username: &str,
        role: Option<Role>,
        disabled: Option<bool>,
        actor: &str,
        from: &str,
    ) -> Result<(), StoreError> {
        self.tx(false, |tx| {
            let user_id = tx
                .row("SELECT user_id FROM users WHERE username = ?1", p![username])?
                .ok_or(StoreError::NotFound)?
                .int(0)?;
            if let Some(role) = role {
                tx.exec("UPDATE users SET role = ?2 WHERE user_id = ?1", p![user_id, role.code()])?;
                audit_in(tx, actor, "user-set-role", username, role.code(), from)?;
            }
            match disabled {
                Some(true) => {
                    tx.exec("UPDATE users SET disabled = TRUE WHERE user_id = ?1", p![user_id])?;
                    tx.exec("DELETE FROM sessions WHERE user_id = ?1", p![user_id])?;
                    audit_in(tx, actor, "user-disable", username, "", from)?;
                }
                Some(false) => {
                    tx.exec("UPDATE users SET disabled = FALSE WHERE user_id = ?1", p![user_id])?;
                    audit_in(tx, actor, "user-enable", username, "", from)?;
                }
                None => {}
            }
            Ok(())
        })
    }

    /// Sets a new password, ends the account's sessions and forgets its failed log-ins (so a lockout ends too).
    pub fn reset_password(&self, username: &str, password: &str, actor: &str, from: &str) -> Result<(), StoreError> {
        let hash = crate::auth::hash_password(password).map_err(|e| conflict(&e, &e))?;
        self.tx(false, |tx| {
            let user_id = tx
                .row("SELECT user_id FROM users WHERE username = ?1", p![username])?
                .ok_or(StoreError::NotFound)?
                .int(0)?;
            tx.exec("UPDATE users SET password_hash = ?2 WHERE user_id = ?1", p![user_id, &hash])?;
            tx.exec("DELETE FROM sessions WHERE user_id = ?1", p![user_id])?;
            tx.exec("DELETE FROM login_failures WHERE username = ?1", p![username])?;
            audit_in(tx, actor, "user-password-reset", username, "", from)
        })
    }

    /// Signs in. Failures are counted per account *and* address: after [`LOGIN_FREE_FAILURES`] from one address,
    /// that address waits a growing delay before its next try for that account (30 s, doubling, at most 15
    /// minutes); the owner elsewhere is never locked out by someone else's guesses (ASVS 2.2.1). An unknown or
    /// overlong username costs the same argon2 verification as a known one, so timing does not tell which exist.
    /// The failures live in the database, so every replica counts the same ones.
    pub fn login(&self, username: &str, password: &str, from: &str) -> Result<Result<User, LoginError>, StoreError> {
        if username.chars().count() > USERNAME_MAX_CHARS {
            crate::auth::verify_password(password, crate::auth::dummy_hash());
            return Ok(Err(LoginError::Wrong));
        }
        let now = now_unix();
        let (failures, last, row) = self.run(|s| {
            let counted = s.row(
                "SELECT count(*), max(at_unix) FROM login_failures WHERE username = ?1 AND source = ?2 AND at_unix > ?3",
                p![username, from, now - LOGIN_FAILURE_WINDOW_SECS],
            )?;
            let (failures, last) = match counted {
                Some(r) => (r.int(0)?, r.opt_int(1)?),
                None => (0, None),
            };
            let user = s.row("SELECT user_id, password_hash, role, disabled FROM users WHERE username = ?1", p![username])?;
            Ok((failures, last, user))
        })?;
        if let (Some(wait), Some(last)) = (login_delay(failures), last) {
            let retry_after = last + wait - now;
            if retry_after > 0 {
                return Ok(Err(LoginError::Throttled { retry_after_secs: retry_after }));
            }
        }
        // Outside the database lock: argon2 takes tens of milliseconds.
        let ok = if let Some(r) = &row {
            crate::auth::verify_password(password, &r.text(1)?)
        } else {
            crate::auth::verify_password(password, crate::auth::dummy_hash());
            false
        };
        match row {
            Some(r) if ok => {
                if r.bool(3)? {
                    return Ok(Err(LoginError::Disabled));
                }
                self.run(|s| {
                    s.exec("DELETE FROM login_failures WHERE username = ?1 AND source = ?2", p![username, from])?;
                    audit_in(s, username, "login", username, "", from)
                })?;
                Ok(Ok(User {
                    user_id: r.int(0)?,
                    username: username.to_owned(),
                    role: Role::from_code(&r.text(2)?).unwrap_or(Role::Viewer),
                    disabled: false,
                }))
            }
            _ => {
                self.run(|s| {
                    // Old failures are purged as new ones arrive: the table holds at most a window's worth.
                    s.exec("DELETE FROM login_failures WHERE at_unix <= ?1", p![now - LOGIN_FAILURE_WINDOW_SECS])?;
                    s.exec(
                        "INSERT INTO login_failures (username, at_unix, source) VALUES (?1, ?2, ?3)",
                        p![username, now, from],
                    )?;
                    audit_in(s, username, "login-failed", username, "", from)
                })?;
                Ok(Err(LoginError::Wrong))
            }
        }
    }

    /// Whether replicas share this store (PostgreSQL): then per-address limits are counted in the database.
    pub fn is_shared(&self) -> bool {
        matches!(self.db, Db::Pg(_))
    }

    /// One attempt under `key` in a fixed window of `window_secs`, counted in PostgreSQL so that every replica
    /// counts the same ones (the per-address log-in limit of `http`): `None` when it is among the first `max` of
    /// its window, else the seconds until the window ends and whether this is the window's first refusal.
    pub fn rate_attempt(&self, key: &str, max: i64, window_secs: i64) -> Result<Option<(i64, bool)>, StoreError> {
        let now = now_unix();
        let row = self.run(|s| {
            let row = s.row(
                "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                   window_start = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN ?2 ELSE rate_limits.window_start END,
                   count = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN 1 ELSE rate_limits.count + 1 END
                 RETURNING window_start, count",
                p![key, now, window_secs],
            )?;
            if row.as_ref().map(|r| r.int(1)).transpose()? == Some(1) {
                // A window starts: the windows that are over are forgotten (bounded table).
                s.exec("DELETE FROM rate_limits WHERE window_start <= ?1", p![now - window_secs])?;
            }
            Ok(row)
        })?;
        let Some(row) = row else { return Ok(None) };
        let (start, count) = (row.int(0)?, row.int(1)?);
        Ok((count > max).then_some((start + window_secs - now, count == max + 1)))
    }

    /// `rumbo user unlock`: forgets an account's failed log-ins from every address, so no delay applies.
    pub fn unlock(&self, username: &str, actor: &str) -> Result<usize, StoreError> {
        self.tx(false, |tx| {
            let n = tx.exec("DELETE FROM login_failures WHERE username = ?1", p![username])?;
            audit_in(tx, actor, "user-unlock", username, &format!("{n} intentos fallidos olvidados"), "")?;
            Ok(n as usize)
        })
    }

    pub fn create_session(&self, user_id: i64) -> Result<(String, String), StoreError> {
        let (token, csrf) = (random_hex(32)?, random_hex(16)?);
        let now = now_unix();
        self.run(|s| {
            s.exec(
                "INSERT INTO sessions (token_sha256, user_id, csrf, created_unix, seen_unix) VALUES (?1, ?2, ?3, ?4, ?4)",
                p![&sha256_hex(&token), user_id, &csrf, now],
            )
        })?;
        Ok((token, csrf))
    }

    /// The user of a live session (idle timeout 30 min, absolute 8 h), touching it; and its CSRF token.
    pub fn session_user(&self, token: &str) -> Result<Option<(User, String)>, StoreError> {
        let now = now_unix();
        let key = sha256_hex(token);
        let row = self.run(|s| {
            s.exec(
                "DELETE FROM sessions WHERE seen_unix < ?1 OR created_unix < ?2",
                p![now - 30 * 60, now - 8 * 3600],
            )?;
            let row = s.row(
                "SELECT u.user_id, u.username, u.role, s.csrf FROM sessions s JOIN users u USING (user_id)
                 WHERE s.token_sha256 = ?1 AND u.disabled = FALSE",
                p![&key],
            )?;
            if row.is_some() {
                s.exec("UPDATE sessions SET seen_unix = ?2 WHERE token_sha256 = ?1", p![&key, now])?;
            }
            Ok(row)
        })?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            User {
                user_id: r.int(0)?,
                username: r.text(1)?,
                role: Role::from_code(&r.text(2)?).unwrap_or(Role::Viewer),
                disabled: false,
            },
            r.text(3)?,
        )))
    }

    pub fn end_session(&self, token: &str) -> Result<(), StoreError> {
        self.run(|s| s.exec("DELETE FROM sessions WHERE token_sha256 = ?1", p![&sha256_hex(token)]))?;
        Ok(())
    }

    /// Creates an API token for a user; the token is returned once and only its hash is kept.
    pub fn create_token(&self, username: &str, name: &str, actor: &str) -> Result<String, StoreError> {
        self.issue_token(username, name, actor, "").map(|t| t.token)
    }

    /// Creates an API token for a user, with its id; the token is returned once and only its hash is kept.
    pub fn issue_token(&self, username: &str, name: &str, actor: &str, from: &str) -> Result<NewToken, StoreError> {
        let token = format!("rumbo_{}", random_hex(24)?);
        let token_id = self.tx(false, |tx| {
            let row = tx.row(
                "INSERT INTO api_tokens (user_id, token_sha256, name, created_at) SELECT user_id, ?2, ?3, ?4 FROM users WHERE username = ?1 RETURNING token_id",
                p![username, &sha256_hex(&token), name, &now_rfc3339()],
            )?;
            let id = row.ok_or(StoreError::NotFound)?.int(0)?;
            audit_in(tx, actor, "token-create", username, name, from)?;
            Ok(id)
        })?;
        Ok(NewToken { token_id, token, name: name.to_owned(), username: username.to_owned() })
    }

    /// Revokes a user's tokens of that name (the command line names tokens, not ids).
    pub fn revoke_token(&self, username: &str, name: &str, actor: &str) -> Result<(), StoreError> {
        self.tx(false, |tx| {
            let n = tx.exec(
                "UPDATE api_tokens SET revoked = TRUE WHERE name = ?2 AND user_id = (SELECT user_id FROM users WHERE username = ?1)",
                p![username, name],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit_in(tx, actor, "token-revoke", username, name, "")
        })
    }

    /// Revokes one token by id; with `owner`, only if that user owns it (otherwise: not found).
    pub fn revoke_token_id(
        &self,
        token_id: i64,
        owner: Option<&str>,
        actor: &str,
        from: &str,
    ) -> Result<(), StoreError> {
        self.tx(false, |tx| {
            let token = tx.row(
                "SELECT u.username, t.name FROM api_tokens t JOIN users u USING (user_id) WHERE t.token_id = ?1",
                p![token_id],
            )?;
            let token = token.map(|r| Ok::<_, StoreError>((r.text(0)?, r.text(1)?))).transpose()?;
            let Some((username, name)) = token.filter(|(u, _)| owner.is_none_or(|o| o == u)) else {
                return Err(StoreError::NotFound);
            };
            tx.exec("UPDATE api_tokens SET revoked = TRUE WHERE token_id = ?1", p![token_id])?;
            audit_in(tx, actor, "token-revoke", &username, &name, from)
        })
    }

    /// API tokens, newest first: one user's, or everyone's for `None`.
    pub fn tokens(&self, username: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = self.run(|s| {
            s.rows(
                "SELECT t.token_id, u.username, t.name, t.created_at, t.revoked FROM api_tokens t JOIN users u USING (user_id)
                 WHERE CAST(?1 AS TEXT) IS NULL OR u.username = ?1 ORDER BY t.token_id DESC",
                p![username],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    token_id: r.int(0)?,
                    username: r.text(1)?,
                    name: r.text(2)?,
                    created_at: r.text(3)?,
                    revoked: r.bool(4)?,
                })
            })
            .collect()
    }

    pub fn token_user(&self, token: &str) -> Result<Option<User>, StoreError> {
        let row = self.run(|s| {
            s.row(
                "SELECT u.user_id, u.username, u.role FROM api_tokens t JOIN users u USING (user_id)
                 WHERE t.token_sha256 = ?1 AND t.revoked = FALSE AND u.disabled = FALSE",
                p![&sha256_hex(token)],
            )
        })?;
        row.map(|r| {
            Ok(User {
                user_id: r.int(0)?,
                username: r.text(1)?,
                role: Role::from_code(&r.text(2)?).unwrap_or(Role::Viewer),
                disabled: false,
            })
        })
        .transpose()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    Wrong,
    /// Too many failures for this account from this address: try again in this many seconds.
    Throttled {
        retry_after_secs: i64,
    },
    Disabled,
}

/// The longest username an account may have; a longer one is refused before anything is stored.
pub const USERNAME_MAX_CHARS: usize = 64;
/// Failed log-ins from one address for one account before each next try waits.
pub const LOGIN_FREE_FAILURES: i64 = 5;
/// How long a failed log-in counts.
const LOGIN_FAILURE_WINDOW_SECS: i64 = 24 * 3600;

/// The wait before the next try after `failures` failures: none for the first five, then 30 s doubling, at most
/// 15 minutes.
fn login_delay(failures: i64) -> Option<i64> {
    let over = failures - LOGIN_FREE_FAILURES;
    (over >= 0).then(|| (30_i64 << over.min(5)).min(15 * 60))
}

fn sha256_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::snapshots::hex(&sha2::Sha256::digest(bytes))
}

/// Meeting agendas: stored with the rest, every change audited in the same transaction.
impl Store {
    /// Every agenda, the most recently changed first.
    pub fn agendas(&self) -> Result<Vec<Agenda>, StoreError> {
        let rows = self.run(|s| {
            s.rows(
                "SELECT agenda_id, name, slides_json, created_by, updated_at, public_agreements FROM agendas ORDER BY updated_at DESC, rowid DESC",
                &[],
            )
        })?;
        rows.iter().map(agenda_row).collect()
    }

    pub fn agenda(&self, id: &str) -> Result<Option<Agenda>, StoreError> {
        let row = self.run(|s| {
            s.row(
                "SELECT agenda_id, name, slides_json, created_by, updated_at, public_agreements FROM agendas WHERE agenda_id = ?1",
                p![id],
            )
        })?;
        row.as_ref().map(agenda_row).transpose()
    }

    /// Saves a new agenda (`id` = `None`) or replaces one; the input has passed `shared::agenda::check`.
    pub fn save_agenda(
        &self,
        id: Option<&str>,
        input: &AgendaInput,
        actor: &str,
        from: &str,
    ) -> Result<Agenda, StoreError> {
        let json = serde_json::to_string(&input.slides).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = now_rfc3339();
        let name = input.name.trim();
        let id = self.tx(true, |tx| {
            if let Some(id) = id {
                let n = tx.exec(
                    "UPDATE agendas SET name = ?2, slides_json = ?3, updated_at = ?4, public_agreements = ?5 WHERE agenda_id = ?1",
                    p![id, name, &json, &now, input.public_agreements],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                audit_in(tx, actor, "agenda.update", id, name, from)?;
                Ok(id.to_owned())
            } else {
                let id = random_hex(8)?;
                tx.exec(
                    "INSERT INTO agendas (agenda_id, name, slides_json, created_by, created_at, updated_at, public_agreements) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                    p![&id, name, &json, actor, &now, input.public_agreements],
                )?;
                audit_in(tx, actor, "agenda.create", &id, name, from)?;
                Ok(id)
            }
        })?;
        self.agenda(&id)?.ok_or(StoreError::NotFound)
    }

    pub fn delete_agenda(&self, id: &str, actor: &str, from: &str) -> Result<(), StoreError> {
        self.tx(true, |tx| {
            let row = tx.row("SELECT name FROM agendas WHERE agenda_id = ?1", p![id])?;
            let Some(row) = row else { return Err(StoreError::NotFound) };
            tx.exec("DELETE FROM agendas WHERE agenda_id = ?1", p![id])?;
            audit_in(tx, actor, "agenda.delete", id, &row.text(0)?, from)
        })
    }
}

fn agenda_row(r: &sql::Row) -> Result<Agenda, StoreError> {
    let id = r.text(0)?;
    let slides = serde_json::from_str(&r.text(2)?).map_err(|e| StoreError::Corrupt(format!("agenda {id}: {e}")))?;
    Ok(Agenda {
        id,
        name: r.text(1)?,
        slides,
        public_agreements: r.bool(5)?,
        created_by: r.text(3)?,
        updated_at: r.text(4)?,
    })
}

/// Points `current` at a snapshot (in the caller's transaction).
fn set_current(tx: &mut dyn Sql, snapshot_id: &str) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO current (one, snapshot_id) VALUES (1, ?1) ON CONFLICT(one) DO UPDATE SET snapshot_id = ?1",
        p![snapshot_id],
    )?;
    Ok(())
}

fn audit_in(
    db: &mut dyn Sql,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    from: &str,
) -> Result<(), StoreError> {
    db.exec(
        "INSERT INTO audit (at, actor, action, target, detail, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        p![&now_rfc3339(), actor, action, target, detail, from],
    )?;
    Ok(())
}

/// Opens SQLite (WAL, `synchronous=FULL`, foreign keys) and brings an existing file's schema up to date.
fn open_sqlite(dir: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(dir.join("rumbo.sqlite3"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    // Stores created before `published_by` existed gain the column; their manifests fall back to the uploader.
    let has_publisher =
        conn.prepare("SELECT 1 FROM pragma_table_info('snapshots') WHERE name = 'published_by'")?.exists([])?;
    if !has_publisher {
        conn.execute("ALTER TABLE snapshots ADD COLUMN published_by TEXT", [])?;
    }
    // Log-in failures are counted per account and address (`login`); older stores gain the address.
    let has_address =
        conn.prepare("SELECT 1 FROM pragma_table_info('login_failures') WHERE name = 'source'")?.exists([])?;
    if !has_address {
        conn.execute("ALTER TABLE login_failures ADD COLUMN source TEXT NOT NULL DEFAULT ''", [])?;
    }
    // Agendas gain the donors' view of their agreements, off for those made before.
    let has_public =
        conn.prepare("SELECT 1 FROM pragma_table_info('agendas') WHERE name = 'public_agreements'")?.exists([])?;
    if !has_public {
        conn.execute("ALTER TABLE agendas ADD COLUMN public_agreements INTEGER NOT NULL DEFAULT 0", [])?;
    }
    Ok(conn)
}

/// Connects to PostgreSQL and creates the schema if missing, under an advisory lock so replicas starting together
/// do not race.
fn open_pg(url: &str) -> Result<sql::PgPool, StoreError> {
    let pool = sql::PgPool::new(url);
    pool.with(|conn| {
        let mut tx = conn.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&sql::MIGRATE_LOCK])?;
        tx.batch_execute(sql::PG_SCHEMA)?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Store {
        /// The SQLite connection, to age a store's schema as an older version left it.
        fn sqlite(&self) -> std::sync::MutexGuard<'_, Connection> {
            match &self.db {
                Db::Lite(conn) => conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
                Db::Pg(_) => panic!("not SQLite"),
            }
        }
    }

    #[test]
    fn a_store_from_before_published_by_gains_the_column_and_names_the_uploader() {
        let dir = std::env::temp_dir().join(format!("rumbo-store-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let id = {
            let store = Store::open(&dir).expect("open");
            let report = shared::validate::Report::default();
            let id = store.create_draft("ana", "", &[], &report, false).expect("draft");
            // As an older version left it: no published_by column.
            store.sqlite().execute("ALTER TABLE snapshots DROP COLUMN published_by", []).expect("drop");
            id
        };
        let store = Store::open(&dir).expect("reopen migrates");
        assert_eq!(store.manifest(&id).expect("manifest").expect("exists").0.publisher, "ana");
        let meta = PublishMeta { notes: Some("Fuente: SI EMPLEO".to_owned()), ..PublishMeta::default() };
        let manifest = store.publish(&id, "beto", &meta, "").expect("publish");
        assert_eq!((manifest.publisher.as_str(), manifest.source_notes.as_str()), ("beto", "Fuente: SI EMPLEO"));
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cached_manifest_follows_every_change_of_lifecycle() {
        let dir = std::env::temp_dir().join(format!("rumbo-store-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).expect("open");
        let report = shared::validate::Report::default();
        let state = |id: &str| store.manifest(id).expect("manifest").map(|(_, s)| s);
        let (a, b) = (
            store.create_draft("ana", "", &[], &report, false).expect("draft"),
            store.create_draft("ana", "", &[], &report, false).expect("draft"),
        );
        let current = || store.current_id().expect("current");
        assert_eq!(state(&a), Some(Lifecycle::Draft));
        assert_eq!(state(&a), Some(Lifecycle::Draft), "read twice: the second from the cache");
        assert_eq!((current(), current()), (None, None), "nothing published, twice");
        store.publish(&a, "beto", &PublishMeta::default(), "").expect("publish");
        assert_eq!(state(&a), Some(Lifecycle::Published));
        assert_eq!(store.lifecycle(&a).expect("lifecycle"), Some(Lifecycle::Published));
        assert_eq!(current().as_deref(), Some(a.as_str()), "a publication is current at once");
        assert_eq!(state(&b), Some(Lifecycle::Draft));
        store.discard(&b, "ana", "").expect("discard");
        assert_eq!(state(&b), Some(Lifecycle::Discarded));
        store.retract(&a, "beto", "cifras erróneas", "").expect("retract");
        assert_eq!(state(&a), Some(Lifecycle::Retracted), "a retraction is seen at once");
        assert_eq!(store.lifecycle(&a).expect("lifecycle"), Some(Lifecycle::Retracted));
        assert_eq!(current(), None, "the only publication retracted: nothing current");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn slide(url: &str, part: shared::agenda::Part) -> shared::agenda::Slide {
        shared::agenda::Slide { url: url.to_owned(), part, title: String::new() }
    }

    #[test]
    fn agendas_are_replaced_deleted_audited_and_survive_a_reopen() {
        use shared::agenda::Part;
        let dir = std::env::temp_dir().join(format!("rumbo-store-agendas-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let input = AgendaInput {
            name: "  Consejo de diciembre ".to_owned(),
            slides: vec![slide("/", Part::Map), slide("/hoja-de-ruta", Part::Timeline)],
            public_agreements: true,
        };
        let (kept, gone) = {
            let store = Store::open(&dir).expect("open");
            let a = store.save_agenda(None, &input, "ana", "10.0.0.1").expect("create");
            assert_eq!((a.name.as_str(), a.created_by.as_str()), ("Consejo de diciembre", "ana"), "name trimmed");
            assert!(a.id.len() == 16 && a.id.chars().all(|c| c.is_ascii_hexdigit()), "{}", a.id);
            assert_eq!(a.slides, input.slides);
            let other = AgendaInput {
                name: "Otra".to_owned(),
                slides: vec![slide("/", Part::Tiles)],
                public_agreements: false,
            };
            let b = store.save_agenda(None, &other, "beto", "").expect("create b");
            assert_ne!(a.id, b.id);

            let mut changed = input.clone();
            changed.name = "Consejo (revisada)".to_owned();
            changed.slides.reverse();
            let a2 = store.save_agenda(Some(&a.id), &changed, "beto", "").expect("update");
            assert_eq!((a2.id.as_str(), a2.name.as_str()), (a.id.as_str(), "Consejo (revisada)"));
            assert_eq!(a2.slides, changed.slides, "slides replaced, in the new order");
            assert_eq!(a2.created_by, "ana", "the author stays");
            assert!(a2.updated_at >= a.updated_at);
            assert!(matches!(store.save_agenda(Some("nope"), &changed, "beto", ""), Err(StoreError::NotFound)));

            let listed = store.agendas().expect("list");
            assert_eq!(listed.len(), 2);
            assert!(listed.windows(2).all(|w| w[0].updated_at >= w[1].updated_at), "newest change first");

            store.delete_agenda(&b.id, "ana", "").expect("delete");
            assert!(matches!(store.delete_agenda(&b.id, "ana", ""), Err(StoreError::NotFound)));
            let log: Vec<(String, String, String)> = store
                .audit_log(20)
                .expect("audit")
                .into_iter()
                .filter(|e| e.action.starts_with("agenda."))
                .map(|e| (e.action, e.target, e.detail))
                .collect();
            let want = [
                ("agenda.delete", &b.id, "Otra"),
                ("agenda.update", &a.id, "Consejo (revisada)"),
                ("agenda.create", &b.id, "Otra"),
                ("agenda.create", &a.id, "Consejo de diciembre"),
            ];
            assert_eq!(log, want.map(|(x, t, d)| (x.to_owned(), t.clone(), d.to_owned())));
            (a2, b.id)
        };
        let store = Store::open(&dir).expect("reopen");
        assert_eq!(store.agendas().expect("list"), std::slice::from_ref(&kept));
        assert_eq!(store.agenda(&kept.id).expect("get"), Some(kept));
        assert_eq!(store.agenda(&gone).expect("get"), None);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_store_from_before_agendas_gains_the_table() {
        let dir = std::env::temp_dir().join(format!("rumbo-store-no-agendas-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let store = Store::open(&dir).expect("open");
            store.sqlite().execute("DROP TABLE agendas", []).expect("drop");
        }
        let store = Store::open(&dir).expect("reopen migrates");
        assert!(store.agendas().expect("list").is_empty());
        let input = AgendaInput {
            name: "Consejo".to_owned(),
            slides: vec![slide("/", shared::agenda::Part::Tiles)],
            public_agreements: false,
        };
        store.save_agenda(None, &input, "ana", "").expect("create");
        assert_eq!(store.agendas().expect("list").len(), 1);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
