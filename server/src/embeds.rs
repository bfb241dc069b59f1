//! Embeds: one part of a published snapshot's view, alone, framed by another site (`/s/{id}/embed/{part}?…`,
//! shown by the app's embed page). Off unless `rumbo serve --embed-origins` names the sites that may frame it; then
//! the page's CSP `frame-ancestors` lists exactly those origins. Only a published snapshot under its own id can be
//! embedded: a draft, a retracted or unknown snapshot, `current`, an unknown part or a private server gets a 404
//! that no site may frame.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::api::Lifecycle;

use crate::store::Store;

/// Who may frame what: the allowed origins, checked once at start.
#[derive(Clone)]
pub struct Embeds {
    store: Arc<Store>,
    /// The CSP `frame-ancestors` source list (`https://a.org https://b.org`); empty when embedding is off.
    ancestors: Arc<str>,
}

/// What a request's path is, for framing.
pub enum Framing {
    /// Not an embed: nobody may frame it.
    Never,
    /// An embeddable part: the origins in the policy may frame it.
    Allowed,
    /// An embed path that names nothing embeddable here.
    Refused,
}

impl Embeds {
    pub fn new(store: Arc<Store>, origins: &[String], private: bool) -> Self {
        // A private server shows nothing before sign-in, so nothing on it is embeddable.
        let ancestors = if private { String::new() } else { origins.join(" ") };
        Self { store, ancestors: Arc::from(ancestors) }
    }

    /// The `frame-ancestors` sources of an allowed embed (`'none'` when embedding is off).
    pub fn ancestors(&self) -> &str {
        if self.ancestors.is_empty() { "'none'" } else { &self.ancestors }
    }

    /// Whether `path` is an embed, and of something this server lets other sites frame.
    pub fn framing(&self, path: &str) -> Framing {
        let Some((id, page)) = shared::view::split_frozen(path) else { return Framing::Never };
        if !page.starts_with(shared::view::EMBED.trim_end_matches('/')) {
            return Framing::Never;
        }
        let embeddable = !self.ancestors.is_empty()
            && shared::view::embedded_part(&page).is_some()
            && id.is_some_and(|id| matches!(self.store.lifecycle(&id), Ok(Some(Lifecycle::Published))));
        if embeddable { Framing::Allowed } else { Framing::Refused }
    }
}

/// The page an embed path gets when it names nothing embeddable (the browser shows it only when opened directly:
/// in a frame, the policy refuses it).
pub fn refused() -> Response {
    let body = "<!doctype html><html lang=\"es\"><meta charset=\"utf-8\"><title>Rumbo</title>\
        <p>Esta vista no se puede insertar: el servidor no lo permite o la publicación no existe o fue retirada.</p>\
        <p lang=\"en\">This view cannot be embedded: the server does not allow it, or the snapshot does not exist or \
        was retracted.</p></html>";
    let mut res = (StatusCode::NOT_FOUND, Body::from(body)).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

/// Answers a refused embed at once; otherwise runs the request, then says who may frame the answer.
pub async fn layer(embeds: Embeds, req: Request, next: Next) -> Response {
    let framing = embeds.framing(req.uri().path());
    if matches!(framing, Framing::Refused) {
        return refused();
    }
    let mut res = next.run(req).await;
    if matches!(framing, Framing::Allowed) {
        res.extensions_mut().insert(FramedBy);
    }
    res
}

/// Marks a response other sites may frame (read by the security headers' layer).
#[derive(Clone, Copy)]
pub struct FramedBy;

/// Checks an origin given to `--embed-origins`: `http(s)://host[:port]`, nothing after it, where the host may begin
/// with `*.` (any subdomain, as CSP allows).
pub fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let invalid = || format!("«{s}» is not an origin: write scheme://host[:port], e.g. https://donante.org");
    let (scheme, rest) = s.split_once("://").ok_or_else(invalid)?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return Err(invalid());
    }
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => host,
        _ => rest,
    };
    let bare = host.strip_prefix("*.").unwrap_or(host);
    let labels_ok = !bare.is_empty()
        && bare.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !labels_ok {
        return Err(invalid());
    }
    Ok(s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::parse_origin;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(parse_origin("https://Donante.org/").as_deref(), Ok("https://donante.org"));
        assert_eq!(parse_origin("http://127.0.0.1:8081").as_deref(), Ok("http://127.0.0.1:8081"));
        assert_eq!(parse_origin("https://*.example.org").as_deref(), Ok("https://*.example.org"));
        for bad in [
            "*",
            "'none'",
            "donante.org",
            "ftp://a.org",
            "https://",
            "https://a.org/path",
            "https://a b",
            "https://a.org;x",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
