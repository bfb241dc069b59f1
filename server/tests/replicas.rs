//! Two `rumbo serve` replicas on one PostgreSQL database and one S3 bucket (both real: `common::services`): what
//! one acknowledges the other serves at once, a session started on one works on the other, concurrent lifecycle
//! changes on both never leave the current pointer on a retracted snapshot nor lose an audit row, and a replica
//! killed with SIGKILL in the middle of publishing loses nothing it acknowledged.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{Dirs, PASSWORD, Server, facts_csv, services, upload};

/// One database, one bucket, and the `rumbo` arguments and environment that name them.
struct Shared {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
}

impl Shared {
    fn new() -> Self {
        let (url, bucket) = (services::postgres().database(), services::s3().bucket());
        Self { args: vec!["--database-url".into(), url, "--blobs".into(), bucket], env: services::s3().env() }
    }

    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    /// A `rumbo` admin command on the shared store.
    fn rumbo(&self, dirs: &Dirs, args: &[&str]) -> Command {
        let mut cmd = common::rumbo(&dirs.data, args);
        cmd.args(self.args()).envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn replica(&self, dirs: &Dirs) -> Server {
        Server::start_env(dirs, &self.args(), &self.env)
    }

    /// Adds an admin account and returns an API token of hers.
    fn admin_token(&self, dirs: &Dirs) -> String {
        let add = self.rumbo(dirs, &["user", "add", "jefa", "--role", "admin"]).output().expect("user add");
        assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
        let out = self.rumbo(dirs, &["token", "create", "jefa"]).output().expect("token");
        let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(token.starts_with("rumbo_"), "{token} {}", String::from_utf8_lossy(&out.stderr));
        token
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

fn post(client: &reqwest::blocking::Client, url: &str, token: &str, body: &serde_json::Value) -> u16 {
    client.post(url).bearer_auth(token).json(body).send().map_or(0, |r| r.status().as_u16())
}

fn json(client: &reqwest::blocking::Client, url: &str, token: &str) -> serde_json::Value {
    let res = client.get(url).bearer_auth(token).send().expect("get");
    assert!(res.status().is_success(), "{url}: {}", res.status());
    res.json().expect("json")
}

/// Uploads and publishes on one replica; the snapshot's id once acknowledged.
fn publish(client: &reqwest::blocking::Client, url: &str, token: &str, i: usize) -> Option<String> {
    let (status, id) = upload(client, url, token, facts_csv(i));
    let id = id.filter(|_| status == 201)?;
    let published = post(client, &format!("{url}/api/drafts/{id}/publish"), token, &serde_json::json!({}));
    (published == 200).then_some(id)
}

#[test]
fn two_replicas_serve_one_store_at_once() {
    let shared = Shared::new();
    let (dirs_a, dirs_b) = (Dirs::new("replica-a"), Dirs::new("replica-b"));
    let token = shared.admin_token(&dirs_a);
    let (a, b) = (shared.replica(&dirs_a), shared.replica(&dirs_b));
    let client = client();

    // Published on A, read on B at once: manifest and table bytes.
    let id = publish(&client, &a.url, &token, 1).expect("published on A");
    let current = json(&client, &format!("{}/api/snapshots/current", b.url), &token);
    assert_eq!(current["snapshot_id"], id, "B serves A's publication at once");
    let table = |server: &Server| {
        let res = client.get(format!("{}/api/snapshots/{id}/tables/facts", server.url)).send().expect("table");
        assert_eq!(res.status(), 200);
        res.bytes().expect("bytes").to_vec()
    };
    assert_eq!(table(&b), table(&a), "the same bytes from the bucket");
    // Retracted on A (B has just read and kept its manifest): B refuses it at once.
    let second = publish(&client, &a.url, &token, 2).expect("second publication");
    let url = format!("{}/api/snapshots/{id}/retract", a.url);
    assert_eq!(post(&client, &url, &token, &serde_json::json!({ "reason": "cifras erróneas" })), 204);
    let gone = client.get(format!("{}/api/snapshots/{id}/tables/facts", b.url)).send().expect("table");
    assert_eq!(gone.status(), 410, "B sees A's retraction at once");
    assert_eq!(json(&client, &format!("{}/api/snapshots/current", b.url), &token)["snapshot_id"], second);
    for server in [&a, &b] {
        let ready = client.get(format!("{}/api/readyz", server.url)).send().expect("readyz");
        assert_eq!(ready.status(), 200, "database and bucket answer");
    }

    // A session started on A works on B.
    let login = client
        .post(format!("{}/api/session", a.url))
        .json(&serde_json::json!({ "username": "jefa", "password": PASSWORD }))
        .send()
        .expect("login");
    assert_eq!(login.status(), 200);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("rumbo_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    let me = client.get(format!("{}/api/me", b.url)).header("cookie", &cookie).send().expect("me");
    assert_eq!(me.status(), 200, "B knows A's session");
    assert_eq!(me.json::<serde_json::Value>().expect("me")["username"], "jefa");
}

#[test]
fn concurrent_lifecycle_changes_on_two_replicas_keep_current_published_and_every_audit_row() {
    let shared = Shared::new();
    let (dirs_a, dirs_b) = (Dirs::new("race-a"), Dirs::new("race-b"));
    let token = shared.admin_token(&dirs_a);
    let (a, b) = (shared.replica(&dirs_a), shared.replica(&dirs_b));
    let client = client();
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(publish(&client, if i % 2 == 0 { &a.url } else { &b.url }, &token, i).expect("published"));
    }
    let done = AtomicBool::new(false);
    let acknowledged: Vec<HashMap<&str, usize>> = std::thread::scope(|s| {
        // A reader on B meanwhile: whatever is current is published.
        let reader = s.spawn(|| {
            let client = self::client();
            let mut reads = 0;
            while !done.load(Ordering::Relaxed) {
                let managed = json(&client, &format!("{}/api/admin/snapshots", b.url), &token);
                for m in managed.as_array().expect("list") {
                    if m["current"] == true {
                        assert_eq!(m["lifecycle"], "published", "current on a retracted snapshot: {m}");
                    }
                }
                reads += 1;
            }
            assert!(reads > 0);
        });
        let workers: Vec<_> = [(&a, 0usize), (&b, 1), (&a, 2), (&b, 3)]
            .into_iter()
            .map(|(server, w)| {
                let ids = &ids;
                let token = &token;
                s.spawn(move || {
                    let client = self::client();
                    let mut ok: HashMap<&str, usize> = HashMap::new();
                    for step in 0..12 {
                        let target = &ids[(w * 7 + step * 5) % ids.len()];
                        let (action, status) = match (w + step) % 3 {
                            0 => {
                                let url = format!("{}/api/snapshots/{target}/retract", server.url);
                                ("retract", post(&client, &url, token, &serde_json::json!({ "reason": "prueba" })))
                            }
                            1 => {
                                let url = format!("{}/api/snapshots/{target}/make-current", server.url);
                                ("make-current", post(&client, &url, token, &serde_json::json!({})))
                            }
                            _ => {
                                let published = publish(&client, &server.url, token, 100 + w * 100 + step);
                                ("publish", if published.is_some() { 200 } else { 500 })
                            }
                        };
                        assert!(status == 200 || status == 204 || status == 409, "{action}: {status}");
                        if status != 409 {
                            *ok.entry(action).or_default() += 1;
                        }
                    }
                    ok
                })
            })
            .collect();
        let out: Vec<_> = workers.into_iter().map(std::thread::ScopedJoinHandle::join).collect();
        // Before any worker's failure is raised: the reader stops only then.
        done.store(true, Ordering::Relaxed);
        reader.join().expect("reader");
        out.into_iter().map(|w| w.unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    let managed = json(&client, &format!("{}/api/admin/snapshots", a.url), &token);
    let current: Vec<&serde_json::Value> =
        managed.as_array().expect("list").iter().filter(|m| m["current"] == true).collect();
    assert_eq!(current.len(), 1, "one current snapshot");
    assert_eq!(current[0]["lifecycle"], "published");
    for action in ["retract", "make-current", "publish"] {
        let acked: usize = acknowledged.iter().map(|ok| ok.get(action).copied().unwrap_or(0)).sum();
        let setup = if action == "publish" { ids.len() } else { 0 };
        let rows = json(&client, &format!("{}/api/audit?action={action}&limit=1000", b.url), &token);
        assert_eq!(rows.as_array().expect("rows").len(), acked + setup, "every acknowledged {action} audited once");
    }
}

#[test]
fn a_replica_killed_mid_publish_loses_nothing_it_acknowledged() {
    let shared = Shared::new();
    let (dirs_a, dirs_b) = (Dirs::new("kill-a"), Dirs::new("kill-b"));
    let token = shared.admin_token(&dirs_a);
    let (mut a, b) = (shared.replica(&dirs_a), shared.replica(&dirs_b));
    let count = std::sync::atomic::AtomicUsize::new(0);
    let acknowledged = std::thread::scope(|s| {
        let publisher = s.spawn(|| {
            let client = client();
            let mut acked = Vec::new();
            for i in 0.. {
                match publish(&client, &a.url, &token, i) {
                    Some(id) => acked.push(id),
                    None => break,
                }
                count.store(acked.len(), Ordering::Relaxed);
            }
            acked
        });
        // Killed once some publications are acknowledged, in the middle of the next one's upload or publish.
        while count.load(Ordering::Relaxed) < 3 {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(20));
        a.child.kill().expect("SIGKILL");
        publisher.join().expect("publisher")
    });
    let status = a.child.wait().expect("wait");
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "A died of SIGKILL");
    let client = client();
    let managed = json(&client, &format!("{}/api/admin/snapshots", b.url), &token);
    let published: Vec<&str> = managed
        .as_array()
        .expect("list")
        .iter()
        .filter(|m| m["lifecycle"] == "published")
        .filter_map(|m| m["snapshot_id"].as_str())
        .collect();
    for id in &acknowledged {
        assert!(published.contains(&id.as_str()), "{id}: acknowledged by A, published on B");
        let res = client.get(format!("{}/api/snapshots/{id}/tables/facts", b.url)).send().expect("table");
        assert_eq!(res.status(), 200, "{id}: its table is in the bucket");
    }
    let check = shared.rumbo(&dirs_b, &["check"]).output().expect("check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn migrate_store_moves_a_single_machine_store_with_its_ids_versions_and_audit_order() {
    use server::store::{Location, Role, Store};
    let dirs = Dirs::new("migrate");
    // The single-machine store: the demo published, a retracted snapshot, accounts, a token, an agenda and an
    // agreement with its history.
    let (retracted, token) = {
        let store = Store::open(&dirs.data).expect("open");
        // A snapshot with 1M rows of facts (and the one before it), then the demo itself, made current below.
        let large = server::commands::publish_demo_rows(&store, Some(1_000_000)).expect("1M rows");
        let facts = store.table(&large, "facts").expect("facts").expect("stored").1;
        let rows = shared::ipc::read_stream(&facts).expect("ipc").num_rows();
        assert!(rows >= 1_000_000, "a 1M-row table: {rows} rows");
        let demo = server::commands::publish_demo_rows(&store, None).expect("demo");
        let report = shared::validate::Report::default();
        let tables = vec![("facts".to_owned(), b"otra tabla".to_vec(), 1)];
        let old = store.create_draft("ana", "", &tables, &report, false).expect("draft");
        store.publish(&old, "ana", &shared::api::PublishMeta::default(), "").expect("publish");
        store.retract(&old, "ana", "cifras erróneas", "").expect("retract");
        store.make_current(&demo, "ana", "").expect("current");
        store.add_user("ana", PASSWORD, Role::Admin, "root").expect("user");
        let token = store.create_token("ana", "cli", "root").expect("token");
        let agenda = shared::agenda::AgendaInput {
            name: "Consejo".to_owned(),
            slides: vec![shared::agenda::Slide {
                url: "/".to_owned(),
                part: shared::agenda::Part::Map,
                title: String::new(),
            }],
            public_agreements: true,
        };
        let agenda = store.save_agenda(None, &agenda, "ana", "").expect("agenda");
        let taken = shared::agreement::AgreementInput {
            agenda_id: agenda.id,
            slide: 1,
            view_url: "/".to_owned(),
            snapshot_id: demo,
            text: "Revisar metas".to_owned(),
            institution: "SETRASS".to_owned(),
            due: "2027-01-31".to_owned(),
            intervention: String::new(),
        };
        let agreement = store.add_agreement(&taken, "ana", "").expect("agreement");
        let done = shared::agreement::StatusChange { status: shared::agreement::Status::Done, reason: String::new() };
        store.change_agreement(&agreement.id, &done, "ana", "").expect("change");
        (old, token)
    };
    let (url, bucket) = (services::postgres().database(), services::s3().bucket());
    let moved = common::rumbo(&dirs.data, &["migrate-store", "--to-database-url", &url, "--to-blobs", &bucket])
        .envs(services::s3().env())
        .output()
        .expect("migrate-store");
    assert!(
        moved.status.success(),
        "{}{}",
        String::from_utf8_lossy(&moved.stdout),
        String::from_utf8_lossy(&moved.stderr)
    );
    let again = common::rumbo(&dirs.data, &["migrate-store", "--to-database-url", &url, "--to-blobs", &bucket])
        .envs(services::s3().env())
        .output()
        .expect("migrate-store");
    assert!(!again.status.success(), "a second copy into a store no longer empty is refused");

    let source = Store::open(&dirs.data).expect("source");
    let target = Store::open_at(&Location {
        database_url: Some(url.clone()),
        blobs: Some(bucket.clone()),
        s3_options: services::s3().options(),
        ..Location::default()
    })
    .expect("target");
    assert_eq!(
        format!("{:?}", target.managed().expect("managed")),
        format!("{:?}", source.managed().expect("managed"))
    );
    assert_eq!(target.audit_log(10_000).expect("audit"), source.audit_log(10_000).expect("audit"), "audit in order");
    assert_eq!(target.agendas().expect("agendas"), source.agendas().expect("agendas"));
    assert_eq!(target.agreements(None).expect("agreements"), source.agreements(None).expect("agreements"));
    assert_eq!(format!("{:?}", target.users().expect("users")), format!("{:?}", source.users().expect("users")));
    assert_eq!(target.token_user(&token).expect("token").map(|u| u.username).as_deref(), Some("ana"));
    assert_eq!(target.retract_reason(&retracted).expect("reason").as_deref(), Some("cifras erróneas"));
    // New rows continue the numbering: the next account and audit row come after the copied ones.
    target.add_user("beto", PASSWORD, Role::Viewer, "root").expect("a new account after the copy");
    assert_eq!(target.audit_log(1).expect("audit")[0].action, "user-add");
    // The dashboard on the new store: a replica serves the same tables, byte for byte, so the same numbers.
    let replica = Server::start_env(&dirs, &["--database-url", &url, "--blobs", &bucket], &services::s3().env());
    let client = client();
    let current = json(&client, &format!("{}/api/snapshots/current", replica.url), &token);
    let id = current["snapshot_id"].as_str().expect("id").to_owned();
    assert_eq!(Some(id.clone()), source.current_id().expect("current"));
    serves_what_the_source_kept(&replica.url, &source, &token, &id);
}

/// Every snapshot published on the new store (the 1M-row ones too), as `url` serves it: each table the old
/// store kept, byte for byte, and the facts' sums per indicator (what the dashboard adds up) the same.
fn serves_what_the_source_kept(url: &str, source: &server::store::Store, token: &str, current: &str) {
    let client = client();
    let published: Vec<String> = json(&client, &format!("{url}/api/admin/snapshots"), token)
        .as_array()
        .expect("list")
        .iter()
        .filter(|m| m["lifecycle"] == "published")
        .filter_map(|m| m["snapshot_id"].as_str().map(str::to_owned))
        .collect();
    assert!(published.iter().any(|p| p == current) && published.len() >= 4, "{published:?}");
    for id in &published {
        let manifest = json(&client, &format!("{url}/api/snapshots/{id}"), token);
        for table in manifest["tables"].as_array().expect("tables") {
            let name = table["name"].as_str().expect("name");
            let res = client.get(format!("{url}/api/snapshots/{id}/tables/{name}")).send().expect("table");
            assert_eq!(res.status(), 200, "{id}/{name}");
            let served = res.bytes().expect("bytes").to_vec();
            let (_, stored) = source.table(id, name).expect("table").expect("stored");
            assert_eq!(served.len(), stored.len(), "{id}/{name}: the same length");
            assert!(served == stored, "{id}/{name}: the same bytes");
            if name == "facts" {
                assert_eq!(sums_by_indicator(&served), sums_by_indicator(&stored), "{id}: the same sums");
            }
        }
    }
}

/// The facts' values summed per indicator, read from an Arrow IPC table as the dashboard reads it.
fn sums_by_indicator(ipc: &[u8]) -> std::collections::BTreeMap<String, f64> {
    let facts = shared::facts::Facts::try_from(shared::ipc::read_stream(ipc).expect("ipc")).expect("facts");
    let mut sums = std::collections::BTreeMap::new();
    for row in 0..facts.len() {
        *sums.entry(facts.indicator.code(row).to_owned()).or_insert(0.0) += facts.value(row).unwrap_or(0.0);
    }
    sums
}

#[test]
fn the_per_address_log_in_limit_is_counted_across_replicas() {
    let shared = Shared::new();
    let (dirs_a, dirs_b) = (Dirs::new("limit-a"), Dirs::new("limit-b"));
    let (a, b) = (shared.replica(&dirs_a), shared.replica(&dirs_b));
    let client = client();
    let sign_in = |server: &Server, i: usize| {
        // A different unknown account each time: only the per-address limit applies, not the per-account delay.
        let body = serde_json::json!({ "username": format!("nadie{i}"), "password": "equivocada" });
        client.post(format!("{}/api/session", server.url)).json(&body).send().expect("sign in")
    };
    for i in 0..10 {
        let server = if i % 2 == 0 { &a } else { &b };
        assert_eq!(sign_in(server, i).status(), 401, "attempt {i}");
    }
    let refused = sign_in(&b, 10);
    assert_eq!(refused.status(), 429, "the eleventh attempt of the minute, whichever replica takes it");
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(sign_in(&a, 11).status(), 429);
}
