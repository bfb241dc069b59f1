//! Test harness: the real server on a free loopback port, and a real headless Chromium driven over WebDriver.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// The built app, from `RUMBO_DIST` (set by `cargo xtask test`) or `<workspace>/dist`.
pub fn dist() -> PathBuf {
    std::env::var_os("RUMBO_DIST")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"), PathBuf::from)
}

/// Prints a benchmark's report; under `cargo xtask bench-app` (which sets `RUMBO_BENCH_REPORT` to a file) also appends
/// it there, for the command to append to BENCHMARKS.md.
pub fn report(text: &str) {
    use std::io::Write as _;
    print!("{text}");
    if let Some(path) = std::env::var_os("RUMBO_BENCH_REPORT") {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&path);
        file.and_then(|mut f| f.write_all(text.as_bytes())).expect("the benchmark report file is writable");
    }
}

/// The coverage page's people-served tile (COB-01, every dimension at its total).
pub const TILE: &str =
    "document.querySelector('[data-testid=\"tile-COB-01-_T\"] [data-testid=tile-value]')?.textContent";

pub fn facts_of(bytes: &[u8]) -> shared::facts::Facts {
    shared::facts::Facts::try_from(shared::ipc::read_stream(bytes).expect("arrow")).expect("facts")
}

/// Sums COB-01 rows of the default view through the string getters, independently of the app's key-based
/// aggregation: COB-01 counts distinct people, so the view opens on the year to date, the rows of the last month's
/// year published as a year (`2026`), never the months added up. `keep(territory, service, population, sex, age)`
/// picks the rows.
pub fn expected(facts: &shared::facts::Facts, keep: impl Fn(&str, &str, &str, &str, &str) -> bool) -> f64 {
    let last = (0..facts.len()).map(|r| facts.period.code(r)).filter(|p| shared::dashboard::is_month(p)).max();
    let year = last.expect("months")[..4].to_owned();
    (0..facts.len())
        .filter(|&r| {
            facts.indicator.code(r) == "COB-01"
                && facts.period.code(r) == year
                && keep(
                    facts.territory.code(r),
                    facts.service.code(r),
                    facts.population.code(r),
                    facts.sex.code(r),
                    facts.age_group.code(r),
                )
        })
        .filter_map(|r| facts.value(r))
        .sum()
}

/// The server, running in this process on its own task, listening on 127.0.0.1 with a free port, with its own
/// data directory (removed on drop) holding the published demo snapshot.
pub struct TestServer {
    pub addr: SocketAddr,
    pub store: std::sync::Arc<server::store::Store>,
    pub data: Option<TempDir>,
    /// Stops the server (see [`TestServer::stop`]).
    shutdown: Option<(tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(server::http::Settings::default()).await
    }

    pub async fn start_with(settings: server::http::Settings) -> Self {
        Self::start_demo(settings, None).await
    }

    /// The server with the demo's `facts` scaled to `rows` (benchmarks), or the built-in demo for `None`.
    pub async fn start_demo(settings: server::http::Settings, rows: Option<usize>) -> Self {
        Self::start_demo_serving(settings, rows, &dist()).await
    }

    /// [`TestServer::start_demo`] serving the app from `dist` (the benchmark adds its scripts to a copy).
    pub async fn start_demo_serving(settings: server::http::Settings, rows: Option<usize>, dist: &Path) -> Self {
        let data = TempDir::new("data");
        let store = server::store::Store::open(&data.0).expect("store opens");
        let store = std::sync::Arc::new(store);
        server::commands::publish_demo_rows(&store, rows).expect("demo publishes");
        let state = server::http::AppState::new(std::sync::Arc::clone(&store), settings);
        let app = server::http::router(state, dist).expect("dist/ must hold the built app: run `cargo xtask test`");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = axum::serve(listener, service).with_graceful_shutdown(async move { drop(rx.await) }).await;
        });
        Self { addr, store, data: Some(data), shutdown: Some((tx, task)) }
    }

    /// Adds an account and returns an API token for it.
    pub fn account(&self, username: &str, role: server::store::Role) -> String {
        self.store.add_user(username, PASSWORD, role, "test").expect("user");
        self.store.create_token(username, "test", "test").expect("token")
    }

    /// The app's files, with every API route failing (500): what a user sees when the data cannot load.
    pub async fn start_without_api() -> Self {
        let files = server::static_files::StaticFiles::new(&dist()).expect("dist/ must hold the built app");
        let app = axum::Router::new()
            .route("/api/{*rest}", axum::routing::get(|| async { axum::http::StatusCode::INTERNAL_SERVER_ERROR }))
            .fallback_service(files.service(std::sync::Arc::new(NoFirstScreen)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum_serve(listener, app).await });
        let store =
            server::store::Store::open(&std::env::temp_dir().join(format!("rumbo-noapi-{}", std::process::id())))
                .expect("store");
        Self { addr, store: std::sync::Arc::new(store), data: None, shutdown: None }
    }

    /// Stops the server: it closes its connections and its port (what a client sees when the server is gone).
    pub async fn stop(&mut self) {
        if let Some((tx, task)) = self.shutdown.take() {
            let _ = tx.send(());
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The id of the snapshot the server serves as current, as a client reads it from its manifest.
    pub async fn current_id(&self) -> String {
        let url = self.url(&shared::api::url(shared::api::route::SNAPSHOT, &[shared::api::CURRENT]));
        let manifest: serde_json::Value = reqwest::get(url).await.expect("get").json().await.expect("json");
        manifest["snapshot_id"].as_str().expect("id").to_owned()
    }
}

/// Uploads `files` (name, bytes) as the analyst or admin holding `token`, checks the draft has no error, and returns
/// its id.
pub async fn upload_draft(server: &TestServer, token: &str, files: Vec<(String, Vec<u8>)>) -> String {
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
    }
    let draft: serde_json::Value = reqwest::Client::new()
        .post(server.url("/api/uploads"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    assert_eq!(draft["errors"], 0, "{draft}");
    draft["draft_id"].as_str().expect("draft id").to_owned()
}

/// Uploads `files` as [`upload_draft`] does, publishes the draft with `title` (es, en) and data as of `as_of`, and
/// returns its id.
pub async fn publish(
    server: &TestServer,
    token: &str,
    files: Vec<(String, Vec<u8>)>,
    title: (&str, &str),
    as_of: &str,
) -> String {
    let id = upload_draft(server, token, files).await;
    let client = reqwest::Client::new();
    let meta = serde_json::json!({"title_es": title.0, "title_en": title.1, "as_of": as_of, "notes": ""});
    let res = client
        .post(server.url(&format!("/api/drafts/{id}/publish")))
        .bearer_auth(token)
        .json(&meta)
        .send()
        .await
        .expect("publish");
    assert_eq!(res.status(), 200);
    id
}

async fn axum_serve(listener: tokio::net::TcpListener, app: server::http::Router) {
    let _ = server::listen::serve(listener, app, server::listen::ConnLimits::default()).await;
}

/// chromedriver's passthrough to the DevTools protocol (`POST /session/{id}/goog/cdp/execute`): a command and its
/// parameters, for what WebDriver has no command for.
#[derive(Debug)]
pub struct Cdp(pub &'static str, pub serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.0, "params": self.1 }).to_string()))
    }
}

/// A chromedriver process and a headless Chromium session; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
    /// Where the browser saves downloads (exports, templates).
    pub downloads: TempDir,
}

/// Where screenshots to look at go: `target/screenshots`, created when missing.
pub fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshots folder");
    dir
}

impl Browser {
    /// For a screenshot to look at: opens every chart's table, lets the page settle, then scrolls `selector` (when
    /// not empty) into view and lets it settle again.
    pub async fn settle_for_screenshot(&self, selector: &str) {
        let open = "document.querySelectorAll('details.table-alt').forEach(d => d.open = true);";
        self.client.execute(open, vec![]).await.expect("open tables");
        tokio::time::sleep(Duration::from_secs(2)).await;
        if !selector.is_empty() {
            let js = format!("document.querySelector('{selector}')?.scrollIntoView();");
            self.client.execute(&js, vec![]).await.expect("scroll");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Writes what the window shows to `name` in [`screenshots_dir`].
    pub async fn save_screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(screenshots_dir().join(name), png).expect("write the screenshot");
    }

    pub async fn start(width: u32, height: u32) -> Self {
        Self::start_at_density(width, height, 1).await
    }

    /// A browser whose screen has `density` device pixels per CSS pixel (2: a high-density laptop or phone).
    pub async fn start_at_density(width: u32, height: u32, density: u32) -> Self {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (installed by `cargo xtask test`)");
        let profile = TempDir::new("chromium-profile");
        let downloads = TempDir::new("downloads");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.0.display()),
                    format!("--force-device-scale-factor={density}"),
                ],
                "prefs": {
                    "download.default_directory": downloads.0.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    // More than one download from a page is otherwise held for a permission prompt.
                    "profile.default_content_setting_values.automatic_downloads": 1,
                }
            }
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("chromedriver did not answer: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Self { client, driver, _profile: profile, downloads }
    }

    /// Waits until a JavaScript expression is truthy (polling, with a deadline), returning its value.
    pub async fn wait_for(&self, js: &str, what: &str) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.client.execute(&format!("return ({js});"), vec![]).await.expect("script runs");
            let truthy = !matches!(&value, serde_json::Value::Null | serde_json::Value::Bool(false))
                && value != serde_json::json!(0)
                && value != serde_json::json!("");
            if truthy {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Number of distinct colours on a canvas: a drawn canvas has more than one. Canvases draw in the tasks after
    /// their page's first paint, so this waits (up to 10 s) for more than five.
    pub async fn canvas_colours(&self, selector: &str) -> u64 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let colours = self.canvas_colours_now(selector).await;
            if colours > 5 || Instant::now() > deadline {
                return colours;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn canvas_colours_now(&self, selector: &str) -> u64 {
        let js = format!(
            "const c = document.querySelector('{selector}'); if (!c) return 0; \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set(); \
             for (let i = 0; i < d.length; i += 4) {{ s.add((d[i] << 16) | (d[i+1] << 8) | d[i+2]); if (s.size > 50) break; }} \
             return s.size;"
        );
        self.client.execute(&js, vec![]).await.expect("script runs").as_u64().unwrap_or(0)
    }

    /// Runs axe-core (injected from the npm package `cargo xtask test` installs) and returns the serious and
    /// critical violations as "id: help (n nodes)" lines.
    pub async fn axe_serious(&self) -> Vec<String> {
        let path = std::env::var("RUMBO_AXE").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/node_modules/axe-core/axe.min.js").to_owned()
        });
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path} must exist (installed by `cargo xtask test`): {e}"));
        self.client.execute(&source, vec![]).await.expect("axe injects");
        let js = "const done = arguments[arguments.length - 1]; \
                  axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations \
                    .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                    .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' \
                      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')'))) \
                  .catch(e => done(['axe failed: ' + e]));";
        let value = self.client.execute_async(js, vec![]).await.expect("axe runs");
        value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    }

    /// Waits for a file the page downloaded (complete, not a `.crdownload`) and returns its bytes.
    pub async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.0.join(name);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(bytes) = std::fs::read(&path)
                && !bytes.is_empty()
            {
                return bytes;
            }
            assert!(Instant::now() < deadline, "timed out waiting for the download {name}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page's current URL (path and query).
    pub async fn location(&self) -> String {
        let v = self.client.execute("return location.pathname + location.search;", vec![]).await.expect("script runs");
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the URL (path and query) contains `part`: the app updates the history in the task after a
    /// change has been drawn, so the URL may lag what the page shows by one task.
    pub async fn wait_for_location(&self, part: &str) {
        let js = format!("(location.pathname + location.search).includes({})", serde_json::json!(part));
        self.wait_for(&js, &format!("the URL to contain {part}")).await;
    }

    /// The page as Chromium prints it (what Ctrl+P saves as PDF): the stylesheet's `@page` size and margins, no
    /// header or footer, backgrounds kept.
    pub async fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine as _;
        let params = serde_json::json!({ "preferCSSPageSize": true, "printBackground": true });
        let answer = self.client.issue_cmd(Cdp("Page.printToPDF", params)).await.expect("Page.printToPDF");
        let data = answer.get("data").and_then(|d| d.as_str()).expect("printToPDF answers with data");
        base64::engine::general_purpose::STANDARD.decode(data).expect("base64 PDF")
    }

    /// A phone's screen: 390 × 844 CSS pixels, touch, as Chromium's device emulation gives it (a headless window
    /// cannot be narrower than 500 px).
    pub async fn phone() -> Self {
        let browser = Self::start(500, 900).await;
        let metrics = serde_json::json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true});
        browser.client.issue_cmd(Cdp("Emulation.setDeviceMetricsOverride", metrics)).await.expect("phone metrics");
        browser
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        // Tests of one process start together: the clock alone gave two of them the same folder.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("rumbo-{prefix}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Pages served as built (no snapshot to show before the wasm).
struct NoFirstScreen;

impl server::static_files::FirstScreens for NoFirstScreen {
    fn key(&self, _: &str, _: &str) -> Option<String> {
        None
    }

    fn build(&self, _: &str) -> Option<(axum::http::HeaderValue, String)> {
        None
    }
}

/// The password of every account the tests add.
pub const PASSWORD: &str = "contraseña-de-prueba";

/// Signs `username` in through the sign-in page.
pub async fn sign_in(browser: &Browser, server: &TestServer, username: &str) {
    browser.client.goto(&server.url("/entrar")).await.expect("sign-in page");
    browser.wait_for("document.querySelector('#u')", "the sign-in form").await;
    let script = format!(
        "const u = document.querySelector('#u'); u.value = {username:?}; u.dispatchEvent(new Event('input', {{ bubbles: true }})); u.dispatchEvent(new Event('change', {{ bubbles: true }})); \
         const p = document.querySelector('#p'); p.value = {PASSWORD:?}; p.dispatchEvent(new Event('input', {{ bubbles: true }})); p.dispatchEvent(new Event('change', {{ bubbles: true }})); \
         document.querySelector('.signin button[type=submit]').click();"
    );
    browser.client.execute(&script, vec![]).await.expect("sign in");
    browser.wait_for("document.querySelector('[data-testid=user]')", "signed in").await;
}

/// A browser whose viewport (not its window) is exactly 1920 × 1080, the projector's resolution.
pub async fn projector() -> Browser {
    let browser = Browser::start(1920, 1080).await;
    let inner = browser.client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.expect("size");
    let (w, h) = (inner[0].as_u64().unwrap_or(1920), inner[1].as_u64().unwrap_or(1080));
    if (w, h) != (1920, 1080) {
        let (dw, dh) = (1920_u64.saturating_sub(w), 1080_u64.saturating_sub(h));
        browser
            .client
            .set_window_size(u32::try_from(1920 + dw).unwrap_or(1920), u32::try_from(1080 + dh).unwrap_or(1080))
            .await
            .expect("resize");
    }
    assert_eq!(
        browser.client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.expect("size"),
        serde_json::json!([1920, 1080]),
        "the viewport"
    );
    browser
}

/// Presses a key on the page (as a presenter's remote does).
pub async fn press(browser: &Browser, key: &str) {
    let body = browser.client.find(fantoccini::Locator::Css("body")).await.expect("body");
    body.send_keys(key).await.expect("key");
}

/// Text under 24 px, anywhere visible on the slide: HTML text by its computed size, canvas text by the
/// smallest font each chart draws (13 px; the map's 14 px) times the canvas' shown size over its layout size.
pub const SMALL_TEXT: &str = r"(() => {
  const small = [];
  for (const el of document.querySelectorAll('.meeting *')) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.tagName === 'CANVAS') {
      const min = el.dataset.testid === 'map' ? 14 : 13;
      const px = min * el.clientWidth / (el.width / 2);
      if (px < 24) small.push('canvas ' + el.dataset.testid + ' ' + px.toFixed(1));
      continue;
    }
    const text = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (text && size < 24) small.push(el.tagName + ' ' + size + 'px «' + el.textContent.trim().slice(0, 40) + '»');
  }
  return small;
})()";

/// A text column of a served table as strings (empty for nulls), whether plain `Utf8` or dictionary-encoded
/// (`Int8` or `Int16` keys), read with arrow-rs's own getters, independently of `shared::facts`.
pub fn strings(batch: &arrow_array::RecordBatch, name: &str) -> Vec<String> {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{ArrowDictionaryKeyType, Int8Type, Int16Type};
    fn decoded<K: ArrowDictionaryKeyType>(d: &arrow_array::DictionaryArray<K>) -> Vec<String> {
        let values = d.values().as_string::<i32>();
        let text = |k: K::Native| values.value(arrow_buffer::ArrowNativeType::as_usize(k)).to_owned();
        d.keys().iter().map(|k| k.map_or_else(String::new, text)).collect()
    }
    let array = batch.column_by_name(name).unwrap_or_else(|| panic!("column {name}"));
    if let Some(s) = array.as_string_opt::<i32>() {
        return (0..s.len()).map(|i| if s.is_null(i) { String::new() } else { s.value(i).to_owned() }).collect();
    }
    match array.as_dictionary_opt::<Int8Type>() {
        Some(d) => decoded(d),
        None => decoded(array.as_dictionary::<Int16Type>()),
    }
}

/// chromedriver's network emulation (`POST /session/{id}/chromium/network_conditions`) at Slow 4G: 150 ms,
/// 1.6 Mbit/s down (200,000 B/s), 750 kbit/s up (93,750 B/s).
#[derive(Debug)]
pub struct SlowLink;

impl fantoccini::wd::WebDriverCompatibleCommand for SlowLink {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "network_conditions": {
            "offline": false, "latency": 150, "download_throughput": 200_000, "upload_throughput": 93_750,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}
