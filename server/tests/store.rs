//! The store's suite, each test run on both backends: SQLite with a folder of blobs (the default) and PostgreSQL
//! with an S3 bucket (several replicas), both real (`common::services`).

mod common;

use common::services;
use server::store::{Location, Role, Store, StoreError};
use shared::api::{Lifecycle, PublishMeta};

/// One backend's store location, its temporary folder removed when dropped.
struct Backend {
    name: &'static str,
    at: Location,
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.at.data_dir);
    }
}

impl Backend {
    fn open(&self) -> Store {
        Store::open_at(&self.at).unwrap_or_else(|e| panic!("{}: open: {e}", self.name))
    }

    /// Runs a statement on the database directly, as a person with its password could.
    fn raw(&self, sql: &str) -> Result<(), String> {
        if let Some(url) = &self.at.database_url {
            let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| e.to_string())?;
            client
                .batch_execute(sql)
                .map_err(|e| e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_owned()))
        } else {
            let conn = rusqlite::Connection::open(self.at.data_dir.join("rumbo.sqlite3")).map_err(|e| e.to_string())?;
            conn.execute_batch(sql).map_err(|e| e.to_string())
        }
    }
}

fn backends(test: &str) -> Vec<Backend> {
    let dir = |kind: &str| std::env::temp_dir().join(format!("rumbo-store-{test}-{kind}-{}", std::process::id()));
    let (sqlite, shared) = (dir("sqlite"), dir("pg"));
    let _ = std::fs::remove_dir_all(&sqlite);
    let s3 = services::s3();
    vec![
        Backend { name: "sqlite + folder", at: Location { data_dir: sqlite, ..Location::default() } },
        Backend {
            name: "postgres + s3",
            at: Location {
                data_dir: shared,
                database_url: Some(services::postgres().database()),
                blobs: Some(s3.bucket()),
                s3_options: s3.options(),
            },
        },
    ]
}

fn tables(i: u8) -> Vec<(String, Vec<u8>, usize)> {
    vec![("facts".to_owned(), vec![i; 1000], 10), ("targets".to_owned(), format!("targets {i}").into_bytes(), 1)]
}

fn draft(store: &Store, i: u8) -> String {
    store.create_draft("ana", "10.0.0.1", &tables(i), &shared::validate::Report::default(), false).expect("draft")
}

#[test]
fn snapshots_go_through_their_lifecycle_with_the_current_pointer_and_their_bytes() {
    for b in backends("lifecycle") {
        let store = b.open();
        let state = |id: &str| store.manifest(id).expect("manifest").map(|(_, s)| s);
        let current = || store.current_id().expect("current");
        let (a, c) = (draft(&store, 1), draft(&store, 2));
        assert_eq!(state(&a), Some(Lifecycle::Draft), "{}", b.name);
        assert_eq!((current(), current()), (None, None), "{}: nothing published", b.name);
        assert_eq!(store.drafts().expect("drafts").len(), 2, "{}", b.name);
        let meta = PublishMeta { notes: Some("Fuente: SI EMPLEO".to_owned()), ..PublishMeta::default() };
        let manifest = store.publish(&a, "beto", &meta, "").expect("publish");
        assert_eq!((manifest.publisher.as_str(), manifest.source_notes.as_str()), ("beto", "Fuente: SI EMPLEO"));
        assert_eq!(manifest.title_es, "Publicación 1", "{}", b.name);
        assert_eq!(state(&a), Some(Lifecycle::Published), "{}", b.name);
        assert_eq!(current().as_deref(), Some(a.as_str()), "{}: a publication is current at once", b.name);
        let (sha, bytes) = store.table(&a, "facts").expect("table").expect("stored");
        assert_eq!((bytes, sha.len()), (vec![1; 1000], 64), "{}", b.name);
        assert!(matches!(store.publish(&a, "beto", &meta, ""), Err(StoreError::Conflict { .. })), "{}", b.name);
        store.publish(&c, "beto", &PublishMeta::default(), "").expect("publish c");
        assert_eq!(current().as_deref(), Some(c.as_str()), "{}", b.name);
        store.make_current(&a, "beto", "").expect("rollback");
        assert_eq!(current().as_deref(), Some(a.as_str()), "{}", b.name);
        store.retract(&a, "beto", "cifras erróneas", "").expect("retract");
        assert_eq!(state(&a), Some(Lifecycle::Retracted), "{}: a retraction is seen at once", b.name);
        assert_eq!(store.lifecycle(&a).expect("lifecycle"), Some(Lifecycle::Retracted), "{}", b.name);
        assert_eq!(current().as_deref(), Some(c.as_str()), "{}: the newest other publication", b.name);
        assert_eq!(store.retract_reason(&a).expect("reason").as_deref(), Some("cifras erróneas"));
        assert!(matches!(store.make_current(&a, "beto", ""), Err(StoreError::Conflict { .. })), "{}", b.name);
        let managed = store.managed().expect("managed");
        let versions: Vec<(i64, bool)> = managed.iter().map(|m| (m.version, m.current)).collect();
        assert_eq!(versions, [(2, true), (1, false)], "{}", b.name);
        store.retract(&c, "beto", "todo", "").expect("retract c");
        assert_eq!(current(), None, "{}: every publication retracted: nothing current", b.name);
        let d = draft(&store, 3);
        store.discard(&d, "ana", "").expect("discard");
        assert_eq!(state(&d), Some(Lifecycle::Discarded), "{}", b.name);
        let actions: Vec<String> = store.audit_log(20).expect("audit").into_iter().map(|e| e.action).collect();
        let want =
            ["discard", "upload", "retract", "retract", "make-current", "publish", "publish", "upload", "upload"];
        assert_eq!(actions, want, "{}: every change audited, in order", b.name);
        let check = store.check().expect("check");
        assert_eq!((check.snapshots, check.tables_verified), (3, 6), "{}", b.name);
        assert!(check.missing_or_corrupt.is_empty() && check.unreferenced == 0, "{}: {check:?}", b.name);
        // Reopened (a restart, or another replica), the same state.
        drop(store);
        let store = b.open();
        assert_eq!(store.published().expect("published").len(), 0, "{}", b.name);
        assert_eq!(store.lifecycle(&c).expect("lifecycle"), Some(Lifecycle::Retracted), "{}", b.name);
    }
}

#[test]
fn gc_removes_only_old_unreferenced_blobs() {
    for b in backends("gc") {
        let store = b.open();
        let id = draft(&store, 7);
        store.discard(&id, "ana", "").expect("discard");
        // Blobs stay referenced by the discarded draft's rows: nothing is unreferenced, nothing removed.
        let report = store.gc(std::time::Duration::ZERO).expect("gc");
        assert_eq!(report.removed, 0, "{}: {report:?}", b.name);
        assert_eq!(store.check().expect("check").tables_verified, 2, "{}", b.name);
    }
}

#[test]
fn accounts_sessions_tokens_and_log_in_failures_live_in_the_database() {
    for b in backends("accounts") {
        let store = b.open();
        let ana = store.create_user("ana", "clave-larga-de-ana", Role::Analyst, "root", "").expect("user");
        assert!(
            matches!(
                store.create_user("ana", "otra-clave-larga", Role::Viewer, "root", ""),
                Err(StoreError::Conflict { .. })
            ),
            "{}: a taken name is a conflict",
            b.name
        );
        for _ in 0..5 {
            assert!(store.login("ana", "mala", "10.0.0.9").expect("login").is_err());
        }
        let throttled = store.login("ana", "clave-larga-de-ana", "10.0.0.9").expect("login");
        assert!(
            matches!(throttled, Err(server::store::LoginError::Throttled { .. })),
            "{}: that address waits: {throttled:?}",
            b.name
        );
        let user = store.login("ana", "clave-larga-de-ana", "10.0.0.1").expect("login").expect("elsewhere, in");
        assert_eq!((user.user_id, user.role), (ana.user_id, Role::Analyst), "{}", b.name);
        let (token, csrf) = store.create_session(user.user_id).expect("session");
        let (seen, seen_csrf) = store.session_user(&token).expect("session").expect("live");
        assert_eq!((seen.username.as_str(), seen_csrf), ("ana", csrf), "{}", b.name);
        let api = store.issue_token("ana", "cli", "root", "").expect("token");
        assert_eq!(store.token_user(&api.token).expect("token").map(|u| u.username).as_deref(), Some("ana"));
        assert_eq!(store.tokens(Some("ana")).expect("tokens").len(), 1, "{}", b.name);
        assert!(matches!(store.issue_token("nadie", "cli", "root", ""), Err(StoreError::NotFound)), "{}", b.name);
        store.revoke_token_id(api.token_id, Some("ana"), "ana", "").expect("revoke");
        assert!(store.token_user(&api.token).expect("token").is_none(), "{}: revoked", b.name);
        assert!(store.tokens(None).expect("tokens")[0].revoked, "{}", b.name);
        store.update_user("ana", Some(Role::Admin), Some(true), "root", "").expect("update");
        assert!(store.session_user(&token).expect("session").is_none(), "{}: disabling ends sessions", b.name);
        let listed = store.users().expect("users");
        assert_eq!((listed[0].role, listed[0].disabled), (Role::Admin, true), "{}", b.name);
        assert_eq!(store.unlock("ana", "root").expect("unlock"), 5, "{}: five failures forgotten", b.name);
        let failed = store.audit_search(&server::store::AuditFilter {
            action: Some("login-failed".to_owned()),
            limit: 100,
            ..server::store::AuditFilter::default()
        });
        assert_eq!(failed.expect("audit").len(), 5, "{}", b.name);
    }
}

#[test]
fn agendas_and_agreements_keep_their_history_and_audit() {
    use shared::agenda::{AgendaInput, Part, Slide};
    use shared::agreement::{AgreementInput, Status, StatusChange};
    for b in backends("agendas") {
        let store = b.open();
        let slide = |url: &str| Slide { url: url.to_owned(), part: Part::Map, title: String::new() };
        let input = AgendaInput { name: " Consejo ".to_owned(), slides: vec![slide("/")], public_agreements: true };
        let a = store.save_agenda(None, &input, "ana", "").expect("agenda");
        let other = AgendaInput { name: "Otra".to_owned(), slides: vec![slide("/x")], public_agreements: false };
        let o = store.save_agenda(None, &other, "ana", "").expect("agenda");
        assert_eq!(a.name, "Consejo", "{}", b.name);
        let listed: Vec<String> = store.agendas().expect("agendas").into_iter().map(|x| x.id).collect();
        assert_eq!(listed.len(), 2, "{}", b.name);
        assert!(store.agenda_exists(&a.id).expect("exists"), "{}", b.name);
        let snapshot = draft(&store, 4);
        store.publish(&snapshot, "beto", &PublishMeta::default(), "").expect("publish");
        let taken = |agenda: &str, text: &str| AgreementInput {
            agenda_id: agenda.to_owned(),
            slide: 1,
            view_url: "/".to_owned(),
            snapshot_id: snapshot.clone(),
            text: text.to_owned(),
            institution: "SETRASS".to_owned(),
            due: "2027-01-31".to_owned(),
            intervention: String::new(),
        };
        let first = store.add_agreement(&taken(&a.id, "Revisar metas"), "ana", "").expect("agreement");
        store.add_agreement(&taken(&o.id, "Privado"), "ana", "").expect("agreement");
        let change = StatusChange { status: Status::Dropped, reason: "ya no aplica".to_owned() };
        let changed = store.change_agreement(&first.id, &change, "beto", "").expect("change");
        assert_eq!(changed.history.len(), 2, "{}", b.name);
        assert_eq!((changed.history[1].status, changed.history[1].by.as_str()), (Status::Dropped, "beto"));
        assert_eq!(store.agreements(None).expect("all").len(), 2, "{}", b.name);
        assert_eq!(store.agreements(Some(&a.id)).expect("agenda's").len(), 1, "{}", b.name);
        let public = store.public_agreements(&snapshot).expect("public");
        assert_eq!(public.iter().map(|x| x.taken.text.as_str()).collect::<Vec<_>>(), ["Revisar metas"], "{}", b.name);
        store.delete_agenda(&o.id, "ana", "").expect("delete");
        assert!(matches!(store.delete_agenda(&o.id, "ana", ""), Err(StoreError::NotFound)), "{}", b.name);
        let actions: Vec<String> = store.audit_log(4).expect("audit").into_iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            ["agenda.delete", "agreement.status", "agreement.create", "agreement.create"],
            "{}",
            b.name
        );
    }
}

#[test]
fn the_audit_log_and_agreement_history_are_append_only() {
    for b in backends("append-only") {
        let store = b.open();
        let taken = shared::agreement::AgreementInput {
            agenda_id: "a".to_owned(),
            slide: 1,
            view_url: "/".to_owned(),
            snapshot_id: "s".to_owned(),
            text: "Revisar".to_owned(),
            institution: "SETRASS".to_owned(),
            due: "2027-01-31".to_owned(),
            intervention: String::new(),
        };
        store.add_agreement(&taken, "ana", "").expect("agreement");
        for sql in ["UPDATE audit SET actor = 'otro'", "DELETE FROM audit", "DELETE FROM agreement_changes"] {
            let refused = b.raw(sql);
            assert!(refused.is_err_and(|e| e.contains("append-only")), "{}: {sql} must be refused", b.name);
        }
        assert_eq!(store.audit_log(10).expect("audit").len(), 1, "{}", b.name);
        assert_eq!(store.agreements(None).expect("agreements")[0].history.len(), 1, "{}", b.name);
    }
}

#[test]
fn a_store_says_whether_it_is_ready() {
    for b in backends("ready") {
        let store = b.open();
        store.ready().unwrap_or_else(|e| panic!("{}: {e}", b.name));
    }
}
