//! The store's one query layer over its two databases: SQLite (rusqlite, the embedded default) and PostgreSQL (the
//! synchronous `postgres` client, for several replicas). The store writes each statement once, in the SQL both
//! accept (`?N` placeholders, rewritten to `$N` for PostgreSQL; `TRUE`/`FALSE`; `RETURNING`), binds [`V`] values
//! and reads [`Row`]s of plain values, so no query is written twice. Why this and not sqlx: ARCHITECTURE.md.

use std::sync::Mutex;

use rusqlite::Connection;

use super::StoreError;

/// A bound parameter.
#[derive(Debug, Clone, Copy)]
pub enum V<'a> {
    Int(i64),
    Text(&'a str),
    Bool(bool),
    /// A missing text.
    Null,
}

impl From<i64> for V<'_> {
    fn from(v: i64) -> Self {
        V::Int(v)
    }
}
impl From<bool> for V<'_> {
    fn from(v: bool) -> Self {
        V::Bool(v)
    }
}
impl<'a> From<&'a str> for V<'a> {
    fn from(v: &'a str) -> Self {
        V::Text(v)
    }
}
impl<'a> From<&'a String> for V<'a> {
    fn from(v: &'a String) -> Self {
        V::Text(v)
    }
}
impl<'a> From<Option<&'a str>> for V<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(V::Null, V::Text)
    }
}
impl<'a> From<&'a Option<String>> for V<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().map_or(V::Null, V::Text)
    }
}

/// Parameters as a slice of [`V`].
macro_rules! p {
    ($($v:expr),* $(,)?) => { &[$($crate::store::sql::V::from($v)),*] };
}
pub(crate) use p;

impl rusqlite::ToSql for V<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match *self {
            V::Int(v) => ToSqlOutput::Owned(Value::Integer(v)),
            V::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            V::Bool(v) => ToSqlOutput::Owned(Value::Integer(i64::from(v))),
            V::Null => ToSqlOutput::Owned(Value::Null),
        })
    }
}

impl postgres::types::ToSql for V<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            V::Int(v) => v.to_sql(ty, out),
            V::Text(v) => v.to_sql(ty, out),
            V::Bool(v) => v.to_sql(ty, out),
            V::Null => Ok(postgres::types::IsNull::Yes),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <i64 as postgres::types::ToSql>::accepts(ty)
            || <&str as postgres::types::ToSql>::accepts(ty)
            || <bool as postgres::types::ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

/// One read value.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
}

/// One row of a result, its columns in the order the statement names them.
#[derive(Debug, Clone)]
pub struct Row(Vec<Val>);

fn bad(i: usize, what: &str) -> StoreError {
    StoreError::Corrupt(format!("column {i}: not {what}"))
}

impl Row {
    fn at(&self, i: usize) -> &Val {
        self.0.get(i).unwrap_or(&Val::Null)
    }

    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| bad(i, "an integer"))
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i) {
            Val::Int(v) => Ok(Some(*v)),
            Val::Null => Ok(None),
            _ => Err(bad(i, "an integer")),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| bad(i, "a text"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i) {
            Val::Text(v) => Ok(Some(v.clone())),
            Val::Null => Ok(None),
            _ => Err(bad(i, "a text")),
        }
    }

    /// Column `i` as a parameter of the kind `kind` (`b` flag, `i` integer, `t` text): to copy a row to the other
    /// database, where a flag is a `BOOLEAN` rather than 0 or 1.
    pub fn param(&self, i: usize, kind: u8) -> V<'_> {
        match (self.at(i), kind) {
            (Val::Null, _) => V::Null,
            (Val::Int(v), b'b') => V::Bool(*v != 0),
            (Val::Int(v), _) => V::Int(*v),
            (Val::Bool(v), _) => V::Bool(*v),
            (Val::Text(v), _) => V::Text(v),
        }
    }

    /// A flag: PostgreSQL's `BOOLEAN`, SQLite's 0 or 1.
    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        match self.at(i) {
            Val::Bool(v) => Ok(*v),
            Val::Int(v) => Ok(*v != 0),
            _ => Err(bad(i, "a flag")),
        }
    }
}

/// What the store's statements run on: a connection or a transaction of either database.
pub trait Sql {
    /// Runs a statement; returns the rows it changed.
    fn exec(&mut self, sql: &str, params: &[V<'_>]) -> Result<u64, StoreError>;
    fn rows(&mut self, sql: &str, params: &[V<'_>]) -> Result<Vec<Row>, StoreError>;
    fn row(&mut self, sql: &str, params: &[V<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// A SQLite connection (or a transaction, through `Deref`).
pub struct Lite<'c>(pub &'c Connection);

impl Sql for Lite<'_> {
    fn exec(&mut self, sql: &str, params: &[V<'_>]) -> Result<u64, StoreError> {
        Ok(self.0.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn rows(&mut self, sql: &str, params: &[V<'_>]) -> Result<Vec<Row>, StoreError> {
        use rusqlite::types::ValueRef;
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(match r.get_ref(i)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Real(_) | ValueRef::Blob(_) => return Err(bad(i, "a stored kind")),
                });
            }
            out.push(Row(vals));
        }
        Ok(out)
    }
}

/// A statement as PostgreSQL spells it: `?N` → `$N`, SQLite's `rowid` → the `seq` column that replaces it.
pub fn pg_sql(sql: &str) -> String {
    sql.replace('?', "$").replace("rowid", "seq")
}

/// A PostgreSQL client or transaction, with its connection's prepared statements (one round trip a query once a
/// statement is known, not two).
pub struct Pg<'c, C: postgres::GenericClient>(pub &'c mut C, pub &'c mut Statements);

/// A connection's prepared statements, by their SQLite spelling.
pub type Statements = std::collections::HashMap<String, postgres::Statement>;

fn pg_params<'a>(params: &'a [V<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect()
}

impl<C: postgres::GenericClient> Pg<'_, C> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(statement) = self.1.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.0.prepare(&pg_sql(sql))?;
        self.1.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl<C: postgres::GenericClient> Sql for Pg<'_, C> {
    fn exec(&mut self, sql: &str, params: &[V<'_>]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.0.execute(&statement, &pg_params(params))?)
    }

    fn rows(&mut self, sql: &str, params: &[V<'_>]) -> Result<Vec<Row>, StoreError> {
        use postgres::types::Type;
        let statement = self.statement(sql)?;
        let rows = self.0.query(&statement, &pg_params(params))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut vals = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let ty = col.type_();
                let val = if *ty == Type::INT8 {
                    r.try_get::<_, Option<i64>>(i)?.map(Val::Int)
                } else if *ty == Type::INT4 {
                    r.try_get::<_, Option<i32>>(i)?.map(|v| Val::Int(v.into()))
                } else if *ty == Type::BOOL {
                    r.try_get::<_, Option<bool>>(i)?.map(Val::Bool)
                } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                    r.try_get::<_, Option<String>>(i)?.map(Val::Text)
                } else {
                    return Err(bad(i, "a stored kind"));
                };
                vals.push(val.unwrap_or(Val::Null));
            }
            out.push(Row(vals));
        }
        Ok(out)
    }
}

/// Runs blocking work (a query through the synchronous PostgreSQL client, an object-store request) from wherever
/// the store is called. The `postgres` client drives its own runtime, which may not be entered from a thread of
/// the server's: there it runs on a scoped thread (tens of microseconds), elsewhere on the caller's.
pub fn blocking<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// PostgreSQL connections, at most [`POOL_MAX`] open: a caller takes an idle one, or opens one while fewer are
/// open, or waits for one to come back. A broken connection is dropped and another opened on demand. Opening a
/// connection costs PostgreSQL a process, so one per request would cost more than the request.
pub struct PgPool {
    url: String,
    state: Mutex<PoolState>,
    returned: std::sync::Condvar,
}

#[derive(Default)]
struct PoolState {
    idle: Vec<PgConn>,
    open: usize,
}

/// A pooled connection and its prepared statements.
pub struct PgConn {
    pub client: postgres::Client,
    pub statements: Statements,
}

/// Connections a replica opens at most (PostgreSQL's default `max_connections` is 100: a few replicas fit).
const POOL_MAX: usize = 16;

impl PgPool {
    pub fn new(url: &str) -> Self {
        Self { url: url.to_owned(), state: Mutex::default(), returned: std::sync::Condvar::new() }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A connection for blocking work (call inside [`blocking`]); give it back with [`PgPool::give`].
    pub fn take(&self) -> Result<PgConn, StoreError> {
        let mut state = self.state();
        loop {
            if let Some(conn) = state.idle.pop() {
                if !conn.client.is_closed() {
                    return Ok(conn);
                }
                state.open -= 1;
                continue;
            }
            if state.open < POOL_MAX {
                state.open += 1;
                drop(state);
                return match postgres::Client::connect(&self.url, postgres::NoTls) {
                    Ok(client) => Ok(PgConn { client, statements: Statements::new() }),
                    Err(e) => {
                        self.state().open -= 1;
                        self.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            state = self.returned.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    pub fn give(&self, conn: PgConn) {
        let mut state = self.state();
        if conn.client.is_closed() {
            state.open -= 1;
        } else {
            state.idle.push(conn);
        }
        drop(state);
        self.returned.notify_one();
    }

    /// Closes a connection that must not be reused (a session lock it could not release dies with it).
    pub fn discard(&self, conn: PgConn) {
        drop(conn);
        self.state().open -= 1;
        self.returned.notify_one();
    }

    /// Runs `f` on a pooled connection.
    pub fn with<R: Send>(&self, f: impl FnOnce(&mut PgConn) -> Result<R, StoreError> + Send) -> Result<R, StoreError> {
        blocking(|| {
            let mut conn = self.take()?;
            let out = f(&mut conn);
            self.give(conn);
            out
        })
    }
}

/// Advisory lock keys (PostgreSQL): one for lifecycle changes, one for writers against `gc`, one for migrations.
pub const LIFECYCLE_LOCK: i64 = 0x7275_6d62_6f01;
pub const GC_LOCK: i64 = 0x7275_6d62_6f02;
pub const MIGRATE_LOCK: i64 = 0x7275_6d62_6f03;

/// The PostgreSQL schema: the SQLite one's tables and columns, with `BIGINT`, `BOOLEAN`, identities, a `seq`
/// column where SQLite's `rowid` orders rows, and append-only triggers on the audit log and agreement history.
pub const PG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retracted', 'discarded')),
    title_es TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    as_of TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT,
    version BIGINT UNIQUE,
    retract_reason TEXT,
    errors BIGINT NOT NULL DEFAULT 0,
    warnings BIGINT NOT NULL DEFAULT 0,
    report_json TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS snapshot_tables (
    snapshot_id TEXT NOT NULL REFERENCES snapshots(snapshot_id),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, name)
);
CREATE TABLE IF NOT EXISTS current (
    one BIGINT PRIMARY KEY CHECK (one = 1),
    snapshot_id TEXT NOT NULL REFERENCES snapshots(snapshot_id)
);
CREATE TABLE IF NOT EXISTS users (
    user_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(user_id),
    csrf TEXT NOT NULL,
    created_unix BIGINT NOT NULL,
    seen_unix BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(user_id),
    token_sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    at_unix BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at_unix);
CREATE TABLE IF NOT EXISTS rate_limits (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    audit_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agendas (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    agenda_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slides_json TEXT NOT NULL,
    public_agreements BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agreements (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    agreement_id TEXT PRIMARY KEY,
    agenda_id TEXT NOT NULL,
    slide BIGINT NOT NULL,
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
    change_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES agreements(agreement_id),
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION rumbo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION rumbo_append_only();
CREATE OR REPLACE TRIGGER agreement_changes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON agreement_changes
    FOR EACH STATEMENT EXECUTE FUNCTION rumbo_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit, agreement_changes FROM PUBLIC;
";
