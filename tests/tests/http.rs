//! The HTTP contract of the real server: static files, caching, compression, security headers, the table API.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use tests::TestServer;

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("request succeeds")
}

fn header(res: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> &str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn index_is_not_cached_and_carries_a_strict_csp() {
    let server = TestServer::start().await;
    let res = get(&server.url("/"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CACHE_CONTROL), "no-cache");
    let csp = header(&res, "content-security-policy").to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    let etag = header(&res, "etag").to_owned();
    let page = res.text().await.expect("body");
    assert!(page.contains("<html lang=es>") || page.contains("<html lang=\"es\">"), "{page}");
    // Revalidation is cheap: the same page answers 304 with no body.
    let res = get(&server.url("/"), &[("if-none-match", &etag)]).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "etag {etag}");
    assert!(res.bytes().await.expect("body").is_empty());
}

/// The wasm a page loads (Trunk's loader names it).
fn wasm_of(page: &str) -> &str {
    page.split(['\'', '"']).find(|s| s.ends_with("_bg.wasm")).unwrap_or_default()
}

#[tokio::test]
async fn client_routes_fall_back_to_their_bundle() {
    let server = TestServer::start().await;
    let res = get(&server.url("/hoja-de-ruta"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CACHE_CONTROL), "no-cache");
    let roadmap = res.text().await.expect("body");
    assert!(roadmap.contains("<noscript>"));
    // The dashboard's pages load the dashboard bundle, the workspace's pages the whole app.
    assert!(wasm_of(&roadmap).starts_with("/app-"), "{roadmap}");
    let index = get(&server.url("/"), &[]).await.text().await.expect("body");
    assert_eq!(wasm_of(&index), wasm_of(&roadmap));
    for page in shared::api::WORKSPACE_PAGES {
        let res = get(&server.url(&format!("{page}?lang=en")), &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        let csp = header(&res, "content-security-policy").to_owned();
        let html = res.text().await.expect("body");
        assert!(wasm_of(&html).starts_with("/workspace-"), "{page}: {html}");
        // The CSP allows the loader of either page, whichever is served.
        // Trunk's loader, the page's one inline script (`<script type=module>`, however the minifier quotes it).
        let script =
            html.split("<script").nth(1).and_then(|s| s.split_once('>')).and_then(|(_, s)| s.split("</script>").next());
        let digest = sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), script.unwrap_or("")));
        let hash = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest);
        assert!(csp.contains(&hash), "{page}: {csp}");
    }
    // The API does not fall back: unknown routes are JSON 404s.
    let res = get(&server.url("/api/nada"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["message_es"], "Ruta de la API desconocida");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let server = TestServer::start().await;
    let index = get(&server.url("/"), &[]).await.text().await.expect("body");
    let wasm =
        index.split(['\'', '"']).find(|s| s.ends_with("_bg.wasm")).expect("index references the wasm").to_owned();
    let res = get(&server.url(&wasm), &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CACHE_CONTROL), "public, max-age=31536000, immutable");
    assert_eq!(header(&res, CONTENT_ENCODING), "br");
    assert_eq!(header(&res, CONTENT_TYPE), "application/wasm");
    let res = get(&server.url(&wasm), &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "gzip");
    let res = get(&server.url(&wasm), &[]).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "");
    assert_eq!(&res.bytes().await.expect("body")[..4], b"\0asm");
}

#[tokio::test]
async fn tables_are_arrow_with_etag_304_and_compression() {
    let server = TestServer::start().await;
    let manifest: serde_json::Value = get(&server.url("/api/snapshots/current"), &[]).await.json().await.expect("json");
    let id = manifest["snapshot_id"].as_str().expect("id").to_owned();
    assert_eq!(manifest["synthetic"], true);
    let facts = manifest["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["name"] == "facts")
        .expect("facts listed")
        .clone();
    let url = server.url(&shared::api::table_path(&id, "facts"));
    let res = get(&url, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CONTENT_TYPE), shared::api::ARROW_STREAM_MIME);
    assert_eq!(header(&res, CACHE_CONTROL), "public, max-age=31536000, immutable");
    let etag = header(&res, ETAG).to_owned();
    assert_eq!(etag, format!("\"{}\"", facts["sha256"].as_str().expect("sha")));
    let bytes = res.bytes().await.expect("body");
    let batch = shared::ipc::read_stream(&bytes).expect("valid Arrow IPC stream");
    assert_eq!(batch.num_rows() as u64, facts["rows"].as_u64().expect("rows"));

    let res = get(&url, &[(IF_NONE_MATCH.as_str(), &etag)]).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    let res = get(&url, &[(ACCEPT_ENCODING.as_str(), "br;q=1.0, gzip;q=0.5")]).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "br");
    let res = get(&url, &[(ACCEPT_ENCODING.as_str(), "br;q=0, gzip")]).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "gzip");

    // Under the `current` alias the bytes may change with the next publication: not immutable.
    let res = get(&server.url(&shared::api::table_path("current", "facts")), &[]).await;
    assert_eq!(header(&res, CACHE_CONTROL), "no-cache");
    let res = get(&server.url(&shared::api::table_path(&id, "nope")), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The URLs of a page's `Link: <url>; rel=preload` header, in order.
fn preloaded(res: &reqwest::Response) -> Vec<String> {
    header(res, reqwest::header::LINK)
        .split(", ")
        .filter(|link| link.contains("rel=preload; as=fetch; crossorigin"))
        .filter_map(|link| link.strip_prefix('<')?.split_once('>').map(|(url, _)| url.to_owned()))
        .collect()
}

/// The rows of `facts` a snapshot's default view reads, written at upload: listed apart in the manifest (not a
/// table of the data contract, not a download), served by the table route under `vista=inicio` as any table is.
#[tokio::test]
async fn the_first_view_is_a_part_of_facts_served_like_a_table() {
    let server = TestServer::start().await;
    let manifest: shared::manifest::Manifest =
        get(&server.url("/api/snapshots/current"), &[]).await.json().await.expect("manifest");
    let id = &manifest.snapshot_id;
    let first = manifest.first_view.clone().expect("the demo has a first view");
    let facts = manifest.tables.iter().find(|t| t.name == "facts").expect("facts");
    assert!(first.rows * 2 <= facts.rows, "{} of {} rows", first.rows, facts.rows);
    assert!(manifest.tables.iter().all(|t| t.name != shared::manifest::FIRST_VIEW_TABLE));
    let res = get(&server.url(&shared::api::first_view_path(id)), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, ETAG), format!("\"{}\"", first.sha256));
    assert_eq!(header(&res, CACHE_CONTROL), "public, max-age=31536000, immutable");
    let part = tests::facts_of(&res.bytes().await.expect("body"));
    assert_eq!(part.len(), first.rows);
    let whole = tests::facts_of(
        &get(&server.url(&shared::api::table_path(id, "facts")), &[]).await.bytes().await.expect("body"),
    );
    let default = shared::dashboard::DefaultView::of(&whole, &shared::codebook::CodeBook::builtin());
    assert_eq!(shared::dashboard::DefaultView::of(&part, &shared::codebook::CodeBook::builtin()), default);
    // No other view, no view of another table, no download of it.
    for path in [
        format!("{}?vista=otra", shared::api::table_path(id, "facts")),
        format!("{}?vista=inicio", shared::api::table_path(id, "targets")),
        shared::api::table_path(id, shared::manifest::FIRST_VIEW_TABLE),
        shared::api::download_path(id, shared::manifest::FIRST_VIEW_TABLE, shared::api::DownloadFormat::Csv),
    ] {
        assert_eq!(get(&server.url(&path), &[]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn dashboard_pages_preload_the_data_they_ask_for_first() {
    let server = TestServer::start().await;
    let id = {
        let manifest: serde_json::Value =
            get(&server.url("/api/snapshots/current"), &[]).await.json().await.expect("json");
        manifest["snapshot_id"].as_str().expect("id").to_owned()
    };
    // Coverage without filters draws from the rows of `facts` its default view reads (issue 33): those, not the
    // whole table; with a filter, the whole table.
    let coverage = preloaded(&get(&server.url("/?lang=en"), &[]).await);
    assert_eq!(
        coverage,
        [
            "/api/snapshots/current".to_owned(),
            shared::api::first_view_path(&id),
            shared::api::table_path(&id, "targets")
        ]
    );
    let filtered = preloaded(&get(&server.url("/?sexo=mujer&lang=en"), &[]).await);
    assert_eq!(filtered[1..], [shared::api::table_path(&id, "facts"), shared::api::table_path(&id, "targets")]);
    let roadmap = preloaded(&get(&server.url(&format!("/hoja-de-ruta?s={id}")), &[]).await);
    assert_eq!(roadmap[0], format!("/api/snapshots/{id}"));
    let tables: Vec<&str> = roadmap[1..].iter().filter_map(|u| u.rsplit('/').next()).collect();
    assert_eq!(tables, ["interventions", "milestones", "budget_lines", "risks"]);
    // A donor's frozen link preloads that snapshot, and its first screen's links keep to it.
    let res = get(&server.url(&format!("/s/{id}/hoja-de-ruta?lang=en")), &[]).await;
    assert_eq!(preloaded(&res), roadmap);
    let page = res.text().await.expect("body");
    assert!(page.contains(&format!("<a href=\"/s/{id}/?lang=en\">Coverage</a>")), "{page}");
    assert!(page.contains(&format!("href=\"/s/{id}/hoja-de-ruta\" lang=\"es\">Español</a>")), "{page}");
    // Every preloaded URL answers, as the app's own request would.
    for url in coverage.iter().chain(&filtered).chain(&roadmap) {
        let res = get(&server.url(url), &[]).await;
        assert_eq!(res.status(), StatusCode::OK, "{url}");
    }
    // No preload where the page would not ask for it: an unknown snapshot, the workspace, other files.
    for path in ["/?s=2020-01-01-00000000", "/s/2020-01-01-00000000/", "/?s=..%2Fx", "/s/..%2Fx/", "/entrar", "/sw.js"]
    {
        let res = get(&server.url(path), &[]).await;
        assert!(preloaded(&res).is_empty(), "{path}");
        let first_screen = format!("id=\"{}\"", shared::api::FIRST_SCREEN_ID);
        assert!(!res.text().await.expect("body").contains(&first_screen), "{path}");
    }
}

#[tokio::test]
async fn dashboard_pages_show_the_snapshot_banner_before_the_wasm() {
    let server = TestServer::start().await;
    let manifest: serde_json::Value = get(&server.url("/api/snapshots/current"), &[]).await.json().await.expect("json");
    let title = |lang: &str| manifest[format!("title_{lang}")].as_str().expect("title").to_owned();
    let as_of = shared::format::date(manifest["as_of"].as_str().expect("as_of"));
    for (path, lang, words) in [
        ("/", "es", ["Datos al", "Datos ficticios de demostración", "Cargando datos…"]),
        ("/hoja-de-ruta?lang=en", "en", ["Data as of", "Synthetic demonstration data", "Loading data…"]),
    ] {
        let res = get(&server.url(path), &[(ACCEPT_ENCODING.as_str(), "br")]).await;
        // Compressed once like every page (brotli here), revalidated by its own ETag.
        assert_eq!(header(&res, CONTENT_ENCODING), "br", "{path}");
        let etag = header(&res, ETAG).to_owned();
        let page = get(&server.url(path), &[]).await.text().await.expect("body");
        let shell = page.split(&format!("<div id=\"{}\"", shared::api::FIRST_SCREEN_ID)).nth(1).expect("first screen");
        assert!(shell.contains(&format!("<h1 class=\"banner-title\">{}</h1>", title(lang))), "{path}: {shell}");
        assert!(shell.contains(&format!("<strong>{as_of}</strong>")), "{path}: {shell}");
        for w in words {
            assert!(shell.contains(w), "{path}: {w} in {shell}");
        }
        // The first screen comes before `</body>`, after the `<noscript>` sentence (which it would otherwise hide).
        assert!(page.find("<noscript>") < page.find(shared::api::FIRST_SCREEN_ID), "{path}");
        let res = get(&server.url(path), &[(IF_NONE_MATCH.as_str(), &etag)]).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
}
