//! Open data out (issue 32): the OpenAPI document validates and describes the server's real answers for every
//! public route; each table downloads as CSV (with an HXL row on request), Parquet and Arrow, which pandas and
//! pyarrow read into the numbers the app reads; the downloads follow the table route's access and caching rules.
//! The Python checks run with the Python `cargo xtask test` installs in `.tools/py` (`RUMBO_PYTHON`).

use std::collections::BTreeSet;
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::Value;
use server::store::Role;
use shared::api::{API_PREFIX, DownloadFormat, route};
use tests::TestServer;

fn python() -> String {
    std::env::var("RUMBO_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/py/bin/python").to_owned())
}

/// Every route of the API a reader may call without an account (on a server that is not private): what the
/// OpenAPI document must describe, no more and no less.
const PUBLIC: [&str; 14] = [
    route::HEALTHZ,
    route::READYZ,
    route::OPENAPI,
    route::EMBEDS,
    route::SNAPSHOTS,
    route::SNAPSHOT,
    route::SNAPSHOT_AGREEMENTS,
    route::TABLE,
    route::DOWNLOAD,
    route::DATAPACKAGE,
    route::AGENDAS,
    route::AGENDA,
    route::TEMPLATES,
    route::TEMPLATE,
];

/// The `GET` routes that need an account: not public, so not in the document (each answers 401 to a stranger).
const SIGNED_IN: [&str; 8] = [
    route::ME,
    route::DRAFTS,
    route::DRAFT,
    route::ADMIN_SNAPSHOTS,
    route::USERS,
    route::TOKENS,
    route::AUDIT,
    route::AGREEMENTS,
];

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    reqwest::get(server.url(path)).await.expect("request")
}

async fn json(server: &TestServer, path: &str) -> Value {
    get(server, path).await.json().await.expect("json")
}

/// Follows a `$ref` within the document.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(pointer) => resolve(doc, doc.pointer(pointer.trim_start_matches('#')).expect("the $ref resolves")),
        None => node,
    }
}

/// Checks `value` against a JSON Schema of the document: `$ref`, `allOf`, `type`, `properties`, `required`,
/// `additionalProperties` (not declared means no key beyond `properties`: the serde types write what they declare),
/// `items`, `enum` and `const`. Pushes every mismatch, each with where it is.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    check_part(doc, schema, value, at, problems, true);
}

/// [`check`]; `closed`: keys beyond `properties` are mismatches (not for a part of an `allOf`, whose other parts
/// declare them).
fn check_part(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>, closed: bool) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            check_part(doc, part, value, at, problems, false);
        }
        // The properties of the parts together are what an object may hold.
        if let Some(object) = value.as_object() {
            let known: BTreeSet<&str> = all
                .iter()
                .filter_map(|p| resolve(doc, p).get("properties").and_then(Value::as_object))
                .flat_map(|p| p.keys().map(String::as_str))
                .collect();
            for key in object.keys().filter(|k| !known.contains(k.as_str())) {
                problems.push(format!("{at}.{key}: not declared"));
            }
        }
        return;
    }
    if let Some(expected) = schema.get("type") {
        let types: Vec<&str> = match expected {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let matches = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        };
        if !types.iter().any(|t| matches(t)) {
            problems.push(format!("{at}: expected {types:?}, got {value}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        problems.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        problems.push(format!("{at}: {value} is not {constant}"));
    }
    if let Some(object) = value.as_object() {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let key = required.as_str().expect("a required name");
            if !object.contains_key(key) {
                problems.push(format!("{at}.{key}: required, missing"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let open = !closed || schema.get("additionalProperties").is_some();
            for (key, item) in object {
                match properties.get(key) {
                    Some(property) => check(doc, property, item, &format!("{at}.{key}"), problems),
                    None if !open => problems.push(format!("{at}.{key}: not declared")),
                    None => {}
                }
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{i}]"), problems);
        }
    }
}

/// A path of the document with each `{…}` filled from `fill`.
fn fill(path: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(path.to_owned(), |p, (name, value)| p.replace(&format!("{{{name}}}"), value))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_validates_and_describes_every_public_route_as_it_answers() {
    let server = TestServer::start().await;
    server::agendas::seed_demo(&server.store).expect("the demo agenda");

    // The validator, on the document exactly as served.
    let res = get(&server, &shared::api::url(route::OPENAPI, &[])).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/json");
    let text = res.text().await.expect("body");
    let dir = tests::TempDir::new("openapi");
    let file = dir.0.join("openapi.json");
    std::fs::write(&file, &text).expect("write");
    let out = Command::new(python())
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{} must run (installed by `cargo xtask test`): {e}", python()));
    assert!(
        out.status.success(),
        "openapi-spec-validator: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_str(&text).expect("json");

    // Every public route, and nothing else, is documented.
    let documented: BTreeSet<String> = doc["paths"].as_object().expect("paths").keys().cloned().collect();
    let public: BTreeSet<String> = PUBLIC.iter().map(|r| format!("{API_PREFIX}{r}")).collect();
    assert_eq!(documented, public);
    // And the public ones are public: a stranger reads them; the others need an account.
    for route in SIGNED_IN {
        let status = get(&server, &shared::api::url(route, &["x"])).await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{route} needs an account, so it is not in the document");
    }

    // What fills each path's parameters: the demo's current snapshot under its fixed id and as `current`.
    let id = json(&server, "/api/snapshots/current").await["snapshot_id"].as_str().expect("id").to_owned();
    let agendas = json(&server, "/api/agendas").await;
    let agenda_id = agendas[0]["id"].as_str().expect("the demo agenda").to_owned();
    // An agreement on the demo agenda, which shows them with its frozen links: the shared list is not empty.
    let analyst = server.account("ana", server::store::Role::Analyst);
    let agreement = serde_json::json!({
        "agenda_id": agenda_id, "slide": 2, "view_url": "/", "snapshot_id": id,
        "text": "Publicar la cobertura por municipio", "institution": "DGE-OML", "due": "2027-01-31"
    });
    let res = reqwest::Client::new()
        .post(server.url(&shared::api::url(route::AGREEMENTS, &[])))
        .bearer_auth(&analyst)
        .json(&agreement)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::CREATED);
    let templates = json(&server, "/api/templates").await;
    let template = templates[1]["file"].as_str().expect("a template").to_owned();
    let mut calls: Vec<(String, String)> = Vec::new();
    for path in &documented {
        let mut variants: Vec<Vec<(&str, &str)>> = vec![vec![]];
        if path.contains("{snapshot_id}") {
            variants = vec![vec![("snapshot_id", id.as_str())], vec![("snapshot_id", "current")]];
        }
        let mut files: Vec<String> = vec![String::new()];
        if path.ends_with("/downloads/{file}") {
            files = DownloadFormat::ALL.iter().map(|f| shared::api::download_file("facts", *f)).collect();
            files.push("facts.csv?hxl=1".to_owned());
        }
        for variant in &variants {
            for file in &files {
                let mut values = variant.clone();
                values.extend([("table", "facts"), ("agenda_id", agenda_id.as_str())]);
                let file = if path.starts_with("/api/templates/") { template.as_str() } else { file.as_str() };
                values.push(("file", file));
                calls.push((path.clone(), fill(path, &values)));
            }
        }
    }
    let mut problems = Vec::new();
    for (path, url) in &calls {
        let res = get(&server, url).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {url}");
        let declared = &doc["paths"][path]["get"]["responses"]["200"]["content"];
        let mime = res.headers()[CONTENT_TYPE].to_str().expect("ascii").to_owned();
        let content = declared.get(&mime).unwrap_or_else(|| panic!("GET {url}: {mime} is not declared: {declared}"));
        if mime == "application/json" {
            let body: Value = res.json().await.expect("json");
            check(&doc, &content["schema"], &body, &format!("GET {url} $"), &mut problems);
        } else {
            let body = res.bytes().await.expect("body");
            assert!(!body.is_empty(), "GET {url}: a body");
            if let Some(schema) = content.get("schema")
                && let Ok(text) = std::str::from_utf8(&body)
            {
                check(&doc, schema, &Value::String(text.to_owned()), &format!("GET {url} $"), &mut problems);
            }
        }
    }
    // The documented errors answer with the documented body.
    for (path, url, status) in [
        ("/api/snapshots/{snapshot_id}", "/api/snapshots/2020-01-01-none".to_owned(), "404"),
        ("/api/snapshots/{snapshot_id}/tables/{table}", format!("/api/snapshots/{id}/tables/nada"), "404"),
        ("/api/snapshots/{snapshot_id}/downloads/{file}", format!("/api/snapshots/{id}/downloads/facts.xlsx"), "404"),
        ("/api/agendas/{agenda_id}", "/api/agendas/ffff".to_owned(), "404"),
    ] {
        let res = get(&server, &url).await;
        assert_eq!(res.status().as_str(), status, "GET {url}");
        let declared = resolve(&doc, &doc["paths"][path]["get"]["responses"][status]);
        let body: Value = res.json().await.expect("json");
        check(&doc, &declared["content"]["application/json"]["schema"], &body, &format!("GET {url} $"), &mut problems);
    }
    assert!(problems.is_empty(), "answers that differ from the document:\n{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pandas_and_pyarrow_read_the_downloads_into_the_numbers_of_the_arrow_stream() {
    let server = TestServer::start().await;
    let id = json(&server, "/api/snapshots/current").await["snapshot_id"].as_str().expect("id").to_owned();
    let stream = get(&server, &shared::api::table_path(&id, "facts")).await.bytes().await.expect("stream");
    let facts = tests::facts_of(&stream);
    let dir = tests::TempDir::new("downloads");
    for (name, path) in [
        ("facts.parquet", shared::api::download_path(&id, "facts", DownloadFormat::Parquet)),
        ("facts.arrow", shared::api::download_path(&id, "facts", DownloadFormat::Arrow)),
        ("facts.csv", shared::api::download_path(&id, "facts", DownloadFormat::Csv)),
        ("facts-hxl.csv", format!("{}?hxl=1", shared::api::download_path(&id, "facts", DownloadFormat::Csv))),
    ] {
        let res = get(&server, &path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        std::fs::write(dir.0.join(name), res.bytes().await.expect("body")).expect("write");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/read_downloads.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&dir.0)
        .output()
        .unwrap_or_else(|e| panic!("{} must run (installed by `cargo xtask test`): {e}", python()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    let rows = facts.len();
    let sum: f64 = (0..rows).filter_map(|r| facts.value(r)).sum();
    let nulls = (0..rows).filter(|&r| facts.value(r).is_none()).count();
    assert!(nulls > 0, "the demo has missing values, so empty cells are tested");
    for file in ["parquet", "arrow", "csv", "csv_hxl"] {
        let got = &read[file];
        assert_eq!(got["rows"].as_u64(), u64::try_from(rows).ok(), "{file}: rows");
        assert_eq!(got["nulls"].as_u64(), u64::try_from(nulls).ok(), "{file}: empty values");
        let their_sum = got["sum"].as_f64().expect("sum");
        assert!((their_sum - sum).abs() <= sum.abs() * 1e-12, "{file}: sum {their_sum} against {sum}");
        for (row, cells) in got["first"].as_array().expect("rows").iter().enumerate() {
            for (column, code) in [
                ("indicator", facts.indicator.code(row)),
                ("period", facts.period.code(row)),
                ("territory", facts.territory.code(row)),
                ("service", facts.service.code(row)),
                ("population", facts.population.code(row)),
                ("sex", facts.sex.code(row)),
                ("age_group", facts.age_group.code(row)),
                ("status", facts.status.code(row)),
            ] {
                assert_eq!(cells[column].as_str(), Some(code), "{file}: row {row}, {column}");
            }
            assert_eq!(cells["value"].as_f64(), facts.value(row), "{file}: row {row}, value");
        }
    }
    let dictionaries: Vec<&str> =
        read["parquet_dictionary"].as_array().expect("names").iter().filter_map(Value::as_str).collect();
    assert!(dictionaries.contains(&"indicator") && !dictionaries.contains(&"value"), "{dictionaries:?}");
    let hxl: Vec<&str> = read["hxl_row"].as_array().expect("tags").iter().filter_map(Value::as_str).collect();
    let expected: Vec<&str> = shared::tables::FACTS.columns.iter().map(shared::tables::ColumnSpec::hxl).collect();
    assert_eq!(hxl, expected);
    assert_eq!(hxl[0], "#indicator+code");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_are_named_typed_and_cached_as_the_table_route_and_hidden_as_it_is() {
    let server = TestServer::start().await;
    let id = json(&server, "/api/snapshots/current").await["snapshot_id"].as_str().expect("id").to_owned();
    for format in DownloadFormat::ALL {
        let res = get(&server, &shared::api::download_path(&id, "targets", format)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(h[CONTENT_TYPE], format.mime());
        assert_eq!(h[CONTENT_DISPOSITION], format!("attachment; filename=\"{id}-targets.{}\"", format.ext()));
        assert_eq!(h[CACHE_CONTROL], "public, max-age=31536000, immutable");
        let etag = h[ETAG].clone();
        let again = reqwest::Client::new()
            .get(server.url(&shared::api::download_path(&id, "targets", format)))
            .header(IF_NONE_MATCH, etag)
            .send()
            .await
            .expect("request");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
    let res = get(&server, &shared::api::download_path("current", "targets", DownloadFormat::Csv)).await;
    assert_eq!(res.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(res.headers()[CONTENT_DISPOSITION], format!("attachment; filename=\"{id}-targets.csv\""));
    let unknown = get(&server, &shared::api::download_path(&id, "nada", DownloadFormat::Csv)).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // The data package: the manifest's words, the licence, every table with its downloads under the fixed id.
    let package = json(&server, &shared::api::url(route::DATAPACKAGE, &["current"])).await;
    let manifest = json(&server, &format!("/api/snapshots/{id}")).await;
    assert_eq!(package["as_of"], manifest["as_of"]);
    assert_eq!(package["title"], manifest["title_es"]);
    assert_eq!(package["description"], manifest["source_notes"]);
    assert_eq!(package["licenses"][0]["title"], "CC BY 4.0");
    let names: Vec<&Value> = package["resources"].as_array().expect("resources").iter().map(|r| &r["name"]).collect();
    let tables: Vec<&Value> = manifest["tables"].as_array().expect("tables").iter().map(|t| &t["name"]).collect();
    assert_eq!(names, tables);
    let facts =
        package["resources"].as_array().expect("resources").iter().find(|r| r["name"] == "facts").expect("facts");
    assert_eq!(facts["path"], "downloads/facts.csv");
    assert_eq!(facts["downloads"]["parquet"], shared::api::download_path(&id, "facts", DownloadFormat::Parquet));
    let resolved = get(&server, &format!("/api/snapshots/{id}/{}", facts["path"].as_str().expect("path"))).await;
    assert_eq!(resolved.status(), StatusCode::OK, "the relative path resolves against datapackage.json");

    // A draft's downloads: analysts only, kept nowhere. A retracted snapshot's: gone, for everyone.
    let analyst = server.account("ana", Role::Analyst);
    let csv = shared::intake::write_csv(&shared::demo::facts(&shared::demo::DemoConfig::default())).expect("csv");
    let draft_id = tests::upload_draft(&server, &analyst, vec![("facts.csv".to_owned(), csv)]).await;
    let path = shared::api::download_path(&draft_id, "facts", DownloadFormat::Parquet);
    assert_eq!(get(&server, &path).await.status(), StatusCode::UNAUTHORIZED);
    let res = reqwest::Client::new().get(server.url(&path)).bearer_auth(&analyst).send().await.expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CACHE_CONTROL], "private, no-store");
    let package = shared::api::url(route::DATAPACKAGE, &[&draft_id]);
    assert_eq!(get(&server, &package).await.status(), StatusCode::UNAUTHORIZED);

    let previous = json(&server, "/api/snapshots")
        .await
        .as_array()
        .expect("list")
        .iter()
        .find_map(|s| (s["current"] == false).then(|| s["snapshot_id"].as_str().expect("id").to_owned()));
    let previous = previous.expect("the demo publishes two snapshots");
    server.store.retract(&previous, "admin", "cifras erróneas", "").expect("retract");
    let path = shared::api::download_path(&previous, "facts", DownloadFormat::Csv);
    assert_eq!(get(&server, &path).await.status(), StatusCode::GONE);
    assert_eq!(get(&server, &shared::api::url(route::DATAPACKAGE, &[&previous])).await.status(), StatusCode::GONE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_server_keeps_its_downloads_to_its_readers() {
    let settings =
        server::http::Settings { private: true, licence: "ODbL-1.0".into(), ..server::http::Settings::default() };
    let server = TestServer::start_with(settings).await;
    let viewer = server.account("vera", Role::Viewer);
    let path = shared::api::download_path("current", "facts", DownloadFormat::Csv);
    assert_eq!(get(&server, &path).await.status(), StatusCode::UNAUTHORIZED);
    let res = reqwest::Client::new().get(server.url(&path)).bearer_auth(&viewer).send().await.expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CACHE_CONTROL], "private, no-store");
    let package: Value = reqwest::Client::new()
        .get(server.url(&shared::api::url(route::DATAPACKAGE, &["current"])))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(package["licenses"][0]["name"], "ODbL-1.0");
}
