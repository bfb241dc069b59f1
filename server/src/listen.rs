//! Accepting connections without letting slow or abusive clients starve the others (issue 28, item 3).
//!
//! `axum::serve` runs hyper without a timer, so a half-sent request is held for ever. Here each connection is
//! served by hyper's HTTP/1 with a timer: the request head must arrive within `header_timeout` (which also bounds
//! the idle wait between requests of a kept-alive connection), a request body that stalls for `body_timeout` is cut
//! with 408, and connections are capped in all and per client address, so that one address holding many half-open
//! connections leaves room for everyone else.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

/// How long and how many connections a client may hold.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Time to send a request's head, and the longest idle wait between requests on one connection.
    pub header_timeout: Duration,
    /// Longest pause while sending a request body.
    pub body_timeout: Duration,
    /// Open connections in all.
    pub max_connections: usize,
    /// Open connections from one address (0: no limit; behind a proxy every client shares its address).
    pub max_per_address: usize,
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 4096,
            max_per_address: 128,
        }
    }
}

/// Open connections per address; a `Slot` gives its place back when the connection ends.
#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

struct Slot {
    open: Arc<Mutex<Open>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        open.total -= 1;
        if let Some(n) = open.by_address.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.by_address.remove(&self.ip);
            }
        }
    }
}

fn take_slot(open: &Arc<Mutex<Open>>, ip: IpAddr, limits: ConnLimits) -> Option<Slot> {
    let mut guard = open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let here = guard.by_address.get(&ip).copied().unwrap_or(0);
    if guard.total >= limits.max_connections || (limits.max_per_address > 0 && here >= limits.max_per_address) {
        return None;
    }
    guard.total += 1;
    *guard.by_address.entry(ip).or_insert(0) += 1;
    Some(Slot { open: Arc::clone(open), ip })
}

/// Serves `app` on `listener` until the task is dropped, passing each client's address to the handlers.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, limits: ConnLimits) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_timeout));
    let open = Arc::new(Mutex::new(Open::default()));
    loop {
        let (stream, addr) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file handles, or a connection reset before it was accepted: wait, never stop serving.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Over a cap, the connection is closed at once: the client may retry, nobody waits behind it.
        let Some(slot) = take_slot(&open, addr.ip(), limits) else { continue };
        let app = app.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(addr));
                app.clone().oneshot(request)
            });
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(e) = served {
                tracing::debug!(error = %e, %addr, "connection ended");
            }
        });
    }
}
