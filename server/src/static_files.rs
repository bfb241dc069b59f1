//! The built app: hashed assets cached forever, `index.html` never cached, the SPA fallback for client routes,
//! precompressed `.br`/`.gz` files chosen by `Accept-Encoding`, and a CSP that allows wasm but no inline code
//! except Trunk's loader script, allowed by its hash.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::{ServeDir, ServeFile};

pub struct StaticFiles {
    dist: PathBuf,
    index_html: String,
}

impl StaticFiles {
    pub fn new(dist: &Path) -> Result<Self, std::io::Error> {
        let index = dist.join("index.html");
        let index_html = std::fs::read_to_string(&index).map_err(|e| {
            std::io::Error::new(e.kind(), format!("{}: {e} (build the app: cargo xtask build)", index.display()))
        })?;
        Ok(Self { dist: dist.to_path_buf(), index_html })
    }

    /// The Content-Security-Policy: scripts only from this origin plus the hashes of `index.html`'s inline
    /// scripts (Trunk's wasm loader), wasm compilation allowed, no `unsafe-inline`, no `unsafe-eval`.
    pub fn content_security_policy(&self) -> HeaderValue {
        let mut hashes = String::new();
        for script in inline_scripts(&self.index_html) {
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
            hashes.push_str(" 'sha256-");
            hashes.push_str(&digest);
            hashes.push('\'');
        }
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data: blob:; \
             connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    }

    pub fn service(&self) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
        let index = ServeFile::new(self.dist.join("index.html")).precompressed_br().precompressed_gzip();
        let dir = ServeDir::new(&self.dist).precompressed_br().precompressed_gzip().fallback(index);
        BoxCloneSyncService::new(tower::service_fn(move |req: Request<Body>| {
            let hashed = is_hashed_asset(req.uri().path());
            let dir = dir.clone();
            async move {
                let res = dir.oneshot(req).await?;
                let mut res = res.map(Body::new);
                let cache = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                Ok(res)
            }
        }))
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
    fn inline_scripts_exclude_external_ones() {
        let html = r#"<script type="module">init()</script><script src="/a.js"></script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init()"]);
    }
}
