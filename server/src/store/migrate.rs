//! `rumbo migrate-store`: copies a store (the single-machine one, usually) into another, empty one (PostgreSQL and
//! a bucket, usually): every referenced blob, checked against its sha256 before and after, then every row of every
//! table in one transaction, with its ids, versions and the audit log's order.

use serde::Serialize;

use super::sql::{Row, V};
use super::{Db, Store, StoreError, sha256_of};

/// A table to copy: name, columns with kinds, order, identity column.
type Table = (&'static str, &'static [(&'static str, u8)], &'static str, Option<&'static str>);

/// Each table to copy, parents before children: its name, its columns with their kinds (`t` text, `i` integer,
/// `b` flag), its order, and the identity column PostgreSQL numbers (set explicitly, then moved past).
const TABLES: [Table; 11] = [
    (
        "snapshots",
        &[
            ("snapshot_id", b't'),
            ("state", b't'),
            ("title_es", b't'),
            ("title_en", b't'),
            ("as_of", b't'),
            ("notes", b't'),
            ("synthetic", b'b'),
            ("created_at", b't'),
            ("created_by", b't'),
            ("published_at", b't'),
            ("published_by", b't'),
            ("version", b'i'),
            ("retract_reason", b't'),
            ("errors", b'i'),
            ("warnings", b'i'),
            ("report_json", b't'),
        ],
        "snapshot_id",
        None,
    ),
    (
        "snapshot_tables",
        &[("snapshot_id", b't'), ("name", b't'), ("sha256", b't'), ("rows", b'i')],
        "snapshot_id, name",
        None,
    ),
    ("current", &[("one", b'i'), ("snapshot_id", b't')], "one", None),
    (
        "users",
        &[("user_id", b'i'), ("username", b't'), ("password_hash", b't'), ("role", b't'), ("disabled", b'b')],
        "user_id",
        Some("user_id"),
    ),
    (
        "sessions",
        &[("token_sha256", b't'), ("user_id", b'i'), ("csrf", b't'), ("created_unix", b'i'), ("seen_unix", b'i')],
        "token_sha256",
        None,
    ),
    (
        "api_tokens",
        &[
            ("token_id", b'i'),
            ("user_id", b'i'),
            ("token_sha256", b't'),
            ("name", b't'),
            ("created_at", b't'),
            ("revoked", b'b'),
        ],
        "token_id",
        Some("token_id"),
    ),
    ("login_failures", &[("username", b't'), ("at_unix", b'i'), ("source", b't')], "at_unix", None),
    (
        "audit",
        &[
            ("audit_id", b'i'),
            ("at", b't'),
            ("actor", b't'),
            ("action", b't'),
            ("target", b't'),
            ("detail", b't'),
            ("source", b't'),
        ],
        "audit_id",
        Some("audit_id"),
    ),
    (
        "agendas",
        &[
            ("agenda_id", b't'),
            ("name", b't'),
            ("slides_json", b't'),
            ("public_agreements", b'b'),
            ("created_by", b't'),
            ("created_at", b't'),
            ("updated_at", b't'),
        ],
        "rowid",
        None,
    ),
    (
        "agreements",
        &[
            ("agreement_id", b't'),
            ("agenda_id", b't'),
            ("slide", b'i'),
            ("view_url", b't'),
            ("snapshot_id", b't'),
            ("text", b't'),
            ("institution", b't'),
            ("due", b't'),
            ("intervention", b't'),
            ("status", b't'),
            ("reason", b't'),
            ("created_by", b't'),
            ("created_at", b't'),
        ],
        "rowid",
        None,
    ),
    (
        "agreement_changes",
        &[("change_id", b'i'), ("agreement_id", b't'), ("at", b't'), ("by", b't'), ("status", b't'), ("reason", b't')],
        "change_id",
        Some("change_id"),
    ),
];

/// What `migrate-store` copied.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrateReport {
    /// Blobs copied, each checked against its sha256 as read and as stored.
    pub blobs: usize,
    /// Rows copied, by table, in the order copied.
    pub rows: Vec<(String, usize)>,
}

impl Store {
    /// Copies this store into `target`, which must be empty (no snapshot, no account). Blobs first, each verified;
    /// then the rows in one transaction, so a failure leaves `target` without any of them.
    pub fn copy_into(&self, target: &Store) -> Result<MigrateReport, StoreError> {
        let occupied = target.run(|s| {
            let mut n = |sql: &str| s.row(sql, &[])?.map_or(Ok(0), |r| r.int(0));
            Ok(n("SELECT count(*) FROM snapshots")? + n("SELECT count(*) FROM users")?)
        })?;
        if occupied > 0 {
            return Err(super::conflict("el almacén de destino no está vacío", "the target store is not empty"));
        }
        let shas: Vec<String> = self.run(|s| {
            s.rows("SELECT DISTINCT sha256 FROM snapshot_tables ORDER BY sha256", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect()
        })?;
        let mut report = MigrateReport::default();
        for sha in &shas {
            let bytes = self.blobs.get(sha)?;
            if sha256_of(&bytes) != *sha {
                return Err(StoreError::Corrupt(format!("blob {sha}")));
            }
            if target.blobs.put(&bytes)? != *sha || sha256_of(&target.blobs.get(sha)?) != *sha {
                return Err(StoreError::Corrupt(format!("blob {sha} as copied")));
            }
            report.blobs += 1;
        }
        let pg = matches!(target.db, Db::Pg(_));
        let mut copied = Vec::new();
        for (table, columns, order, _) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let sql = format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", "));
            copied.push(self.run(|s| s.rows(&sql, &[]))?);
        }
        target.tx(true, |tx| {
            for ((table, columns, _, identity), rows) in TABLES.iter().zip(&copied) {
                let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
                let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
                let overriding = if pg && identity.is_some() { " OVERRIDING SYSTEM VALUE" } else { "" };
                let insert =
                    format!("INSERT INTO {table} ({}){overriding} VALUES ({})", names.join(", "), marks.join(", "));
                for row in rows {
                    tx.exec(&insert, &params(row, columns))?;
                }
                if let (true, Some(id)) = (pg, identity) {
                    tx.row(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', '{id}'), coalesce(max({id}), 0) + 1, false) FROM {table}"
                        ),
                        &[],
                    )?;
                }
                report.rows.push(((*table).to_owned(), rows.len()));
            }
            Ok(())
        })?;
        target.forget_manifests();
        Ok(report)
    }
}

fn params<'r>(row: &'r Row, columns: &[(&str, u8)]) -> Vec<V<'r>> {
    columns.iter().enumerate().map(|(i, (_, kind))| row.param(i, *kind)).collect()
}

impl Store {
    /// `rumbo backup`: a consistent copy of an embedded store in `dir`, which then is a data folder of its own
    /// (restore: serve it, or put it in place of the lost one). SQLite's `VACUUM INTO` copies the database as of one
    /// moment, beside a running server; then every table it references is copied and checked against its sha256
    /// (a referenced blob is never removed, so each is there). Returns the number of tables copied.
    pub fn backup_to(&self, dir: &std::path::Path) -> Result<usize, StoreError> {
        let Db::Lite(conn) = &self.db else {
            return Err(super::conflict(
                "con PostgreSQL, use las copias de la base de datos (pg_dump) y del bucket",
                "with PostgreSQL, back up the database (pg_dump) and the bucket with their own tools",
            ));
        };
        let file = dir.join("rumbo.sqlite3");
        if file.exists() {
            return Err(super::conflict("la carpeta ya tiene una copia", "the folder already holds a backup"));
        }
        std::fs::create_dir_all(dir)?;
        let path = file.to_str().ok_or_else(|| StoreError::Corrupt("backup path is not UTF-8".to_owned()))?;
        conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner).execute("VACUUM INTO ?1", [path])?;
        let copy = Store::open(dir)?;
        let shas: Vec<String> = copy
            .run(|s| s.rows("SELECT DISTINCT sha256 FROM snapshot_tables", &[])?.iter().map(|r| r.text(0)).collect())?;
        for sha in &shas {
            let bytes = self.blobs.get(sha)?;
            if sha256_of(&bytes) != *sha || copy.blobs.put(&bytes)? != *sha {
                return Err(StoreError::Corrupt(format!("blob {sha}")));
            }
        }
        Ok(shas.len())
    }
}
