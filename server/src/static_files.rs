//! The built app, held in memory (read once at start): hashed assets cached forever, the pages never cached,
//! the SPA fallback for client routes (`workspace.html` for the workspace's pages, `index.html` for the others), precompressed `.br`/`.gz` copies chosen by `Accept-Encoding`, an `ETag`, and a CSP that allows wasm but no inline code
//! except Trunk's loader script, allowed by its hash.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use base64::Engine;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use tower::util::BoxCloneSyncService;

/// The workspace bundle's page (`shared::api::WORKSPACE_PAGES`).
const WORKSPACE_HTML: &str = "workspace.html";

pub struct StaticFiles {
    /// The inline scripts of the pages (Trunk's loaders), allowed by their hashes.
    inline: Vec<String>,
    files: Arc<HashMap<String, Asset>>,
}

/// One file of `dist/`, held in memory with its precompressed copies (read once at start: the app is a few MB).
struct Asset {
    raw: Bytes,
    br: Option<Bytes>,
    gz: Option<Bytes>,
    mime: &'static str,
    etag: HeaderValue,
    cache: &'static str,
}

impl StaticFiles {
    pub fn new(dist: &Path) -> Result<Self, std::io::Error> {
        let index = dist.join("index.html");
        let index_html = std::fs::read_to_string(&index).map_err(|e| {
            std::io::Error::new(e.kind(), format!("{}: {e} (build the app: cargo xtask build)", index.display()))
        })?;
        // A dist built before the two bundles has no workspace page: every route then gets `index.html`.
        let workspace_html = std::fs::read_to_string(dist.join(WORKSPACE_HTML)).unwrap_or_default();
        // Both pages carry the same old-browser check: its hash is listed once.
        let mut inline: Vec<String> = Vec::new();
        for script in [&index_html, &workspace_html].into_iter().flat_map(|h| inline_scripts(h)) {
            if !inline.iter().any(|s| s == script) {
                inline.push(script.to_owned());
            }
        }
        let mut files = HashMap::new();
        load(dist, dist, &mut files)?;
        Ok(Self { inline, files: Arc::new(files) })
    }
    /// The Content-Security-Policy: scripts only from this origin plus the hashes of the pages' inline scripts
    /// (Trunk's wasm loaders), wasm compilation allowed, no `unsafe-inline`, no `unsafe-eval`.
    /// `frame_ancestors` is the CSP source list of who may frame the page (`'none'`, or an embed's origins).
    pub fn content_security_policy(&self, frame_ancestors: &str) -> HeaderValue {
        let mut hashes = String::new();
        for script in &self.inline {
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
            hashes.push_str(" 'sha256-");
            hashes.push_str(&digest);
            hashes.push('\'');
        }
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data: blob:; \
             connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors {frame_ancestors}"
        );
        HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    }

    /// Answers from memory: never the disk, never a compression per request. Unknown paths are the app's own
    /// routes: they get their bundle's page (the SPA fallback). The dashboard's page gets what `first` gives for its
    /// path and query (`crate::first_screen`): a `Link` header, and its first screen inserted in the page, each
    /// such page compressed once and kept.
    pub fn service(
        &self,
        first: Arc<dyn FirstScreens>,
    ) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
        let files = Arc::clone(&self.files);
        let pages = Arc::new(Pages::default());
        BoxCloneSyncService::new(tower::service_fn(move |req: Request<Body>| {
            let res = respond(&files, &pages, &req, &first);
            async move { Ok(res) }
        }))
    }
}

/// The dashboard's pages as the server completes them (`crate::first_screen`): a `Link` preload header, and the
/// page's first screen written into it.
pub trait FirstScreens: Send + Sync {
    /// What names the first screen of a path and query (cheap: asked on every request), if the page has one.
    fn key(&self, path: &str, query: &str) -> Option<String>;
    /// The `Link` header's value and the first screen's HTML of a key `key` gave (once per key).
    fn build(&self, key: &str) -> Option<(HeaderValue, String)>;
    /// The language of a key's page: an English page says so in `<html lang>` and its description.
    fn lang(&self, _key: &str) -> shared::Lang {
        shared::Lang::Es
    }
}

/// A built page in `lang`: `<html lang>` and the description (the built page is in Spanish).
fn in_language(page: &str, lang: shared::Lang) -> String {
    let description = shared::api::PAGE_DESCRIPTION;
    match lang {
        shared::Lang::Es => page.to_owned(),
        // As built (`lang="es"`) or as Trunk minified it (`lang=es`).
        shared::Lang::En => page
            .replacen("<html lang=\"es\">", "<html lang=\"en\">", 1)
            .replacen("<html lang=es>", "<html lang=en>", 1)
            .replacen(&format!("content=\"{}\"", description.es), &format!("content=\"{}\"", description.en), 1),
    }
}

/// The dashboard's page with its first screen, by key: each compressed once. A few dozen at most (a page, a
/// language and a published snapshot each); cleared when it grows past that.
#[derive(Default)]
struct Pages(Mutex<HashMap<String, (HeaderValue, Arc<Asset>)>>);

impl Pages {
    const MOST: usize = 256;

    fn get(&self, page: &Asset, key: &str, first: &dyn FirstScreens) -> Option<(HeaderValue, Arc<Asset>)> {
        if let Some(hit) = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(key) {
            return Some(hit.clone());
        }
        let (links, html) = first.build(key)?;
        let text = in_language(&String::from_utf8_lossy(&page.raw), first.lang(key));
        let raw = Bytes::from(text.replacen("</body>", &format!("{html}</body>"), 1));
        // Compressed as tables are (brotli and gzip, once).
        let packed = crate::snapshots::Table::new(String::new(), raw.to_vec());
        let asset = Arc::new(Asset {
            br: Some(packed.brotli),
            gz: Some(packed.gzip),
            etag: etag_of(&raw),
            mime: page.mime,
            cache: page.cache,
            raw,
        });
        let mut pages = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if pages.len() >= Self::MOST {
            pages.clear();
        }
        pages.insert(key.to_owned(), (links.clone(), Arc::clone(&asset)));
        Some((links, asset))
    }
}

fn respond(
    files: &HashMap<String, Asset>,
    pages: &Pages,
    req: &Request<Body>,
    first: &Arc<dyn FirstScreens>,
) -> Response<Body> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    let path = req.uri().path().trim_start_matches('/');
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_owned() };
    // Only an unknown path (a route of the app) needs its bundle's page.
    let shell = || if shared::api::in_workspace(req.uri().path()) { WORKSPACE_HTML } else { "index.html" };
    let (asset, name) = match files.get_key_value(&key).or_else(|| files.get_key_value(shell())) {
        Some((name, asset)) => (asset, name.as_str()),
        None => match files.get("index.html") {
            Some(asset) => (asset, "index.html"),
            None => return status(StatusCode::NOT_FOUND),
        },
    };
    let key =
        if name == "index.html" { first.key(req.uri().path(), req.uri().query().unwrap_or_default()) } else { None };
    let screen = key.and_then(|key| pages.get(asset, &key, first.as_ref()));
    let asset = screen.as_ref().map_or(asset, |(_, page)| page.as_ref());
    let headers = req.headers();
    let mut res = Response::builder()
        .header(header::CACHE_CONTROL, asset.cache)
        .header(header::VARY, "accept-encoding")
        .header(header::ETAG, asset.etag.clone());
    if let Some((links, _)) = &screen {
        res = res.header(header::LINK, links.clone());
    }
    let fresh = asset.etag.to_str().is_ok_and(|etag| crate::http::etag_matches(headers, etag));
    if fresh {
        return res
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_else(|_| status(StatusCode::NOT_MODIFIED));
    }
    let accepts = |coding: &str| crate::http::accepts_encoding(headers, coding);
    let body = match (&asset.br, &asset.gz) {
        (Some(br), _) if accepts("br") => {
            res = res.header(header::CONTENT_ENCODING, "br");
            br.clone()
        }
        (_, Some(gz)) if accepts("gzip") => {
            res = res.header(header::CONTENT_ENCODING, "gzip");
            gz.clone()
        }
        _ => asset.raw.clone(),
    };
    let res = res.header(header::CONTENT_TYPE, asset.mime).header(header::CONTENT_LENGTH, body.len());
    let body = if req.method() == Method::HEAD { Body::empty() } else { Body::from(body) };
    res.body(body).unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
}

fn status(code: StatusCode) -> Response<Body> {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = code;
    res
}

/// Reads every file under `dir` (recursively) into `files`, keyed by its path relative to `root`; `.br` and `.gz`
/// copies are attached to their file.
fn load(root: &Path, dir: &Path, files: &mut HashMap<String, Asset>) -> Result<(), std::io::Error> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            load(root, &path, files)?;
            continue;
        }
        let name = path.to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let key = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let raw = Bytes::from(std::fs::read(&path)?);
        let copy = |ext: &str| std::fs::read(format!("{name}.{ext}")).ok().map(Bytes::from);
        let etag = etag_of(&raw);
        let cache = if is_hashed_asset(&key) { "public, max-age=31536000, immutable" } else { "no-cache" };
        let asset = Asset { br: copy("br"), gz: copy("gz"), mime: mime_of(&key), etag, cache, raw };
        files.insert(key, asset);
    }
    Ok(())
}

fn etag_of(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    HeaderValue::from_str(&format!("\"{}\"", hex(&digest[..16]))).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The content type of the app's files, by extension.
fn mime_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a path names a Trunk asset whose name carries a content hash (`app-0123456789abcdef_bg.wasm`).
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '_', '.']).any(|seg| (10..=16).contains(&seg.len()) && seg.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The contents of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, body) = rest.split_once('>')?;
        if attrs.contains("src=") {
            return None;
        }
        body.split_once("</script>").map(|(content, _)| content)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset("/app-3f2a9b8c7d6e5f40_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/publicar"));
    }

    #[test]
    fn the_service_worker_knows_the_workspace_pages() {
        // sw.js caches one copy of each bundle's page: its list must be the server's.
        let sw = include_str!("../../app/sw.js");
        let listed = sw.lines().find(|l| l.starts_with("const WORKSPACE_PAGES")).unwrap_or_default();
        let quoted: Vec<String> = shared::api::WORKSPACE_PAGES.iter().map(|p| format!("'{p}'")).collect();
        assert_eq!(listed, format!("const WORKSPACE_PAGES = [{}];", quoted.join(", ")));
    }

    #[test]
    fn a_script_on_both_pages_is_allowed_once() {
        let dist = std::env::temp_dir().join(format!("rumbo-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("a temporary dist");
        let page = |name: &str, own: &str| {
            std::fs::write(dist.join(name), format!("<script>check()</script><script type=module>{own}</script>"))
                .expect("a page written");
        };
        page("index.html", "a()");
        page(WORKSPACE_HTML, "b()");
        let files = StaticFiles::new(&dist);
        std::fs::remove_dir_all(&dist).expect("the temporary dist removed");
        let csp = files.expect("the pages read").content_security_policy("'none'");
        let csp = csp.to_str().expect("an ASCII header");
        assert_eq!(csp.matches("'sha256-").count(), 3, "{csp}");
    }

    #[test]
    fn inline_scripts_exclude_external_ones() {
        let html = r#"<script type="module">init()</script><script src="/a.js"></script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init()"]);
    }
}
