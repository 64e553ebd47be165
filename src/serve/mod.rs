//! `newsdex serve`: the JSON API and the one-page browser interface, from the same binary.
//!
//! - [`api`]: `/api/...`, the CLI's JSON objects through the same [`Engine`] calls;
//! - [`assets`]: the page, its script and style, embedded in the binary;
//! - [`query`]: decoding request targets.
//!
//! One listener on a small [`tokio`] runtime, connections served by [`hyper`] (HTTP/1.1 with
//! keep-alive, a 30 s limit on reading a request's head): a browser may open several
//! connections at once and keep them all open. Each API request runs on tokio's blocking pool,
//! at most `--threads` at a time, since a search is CPU work. The server is read-only (GET and
//! HEAD; anything else gets 405), sends a strict Content-Security-Policy with every answer, and
//! with a token requires `Authorization: Bearer TOKEN` on the API.

pub mod api;
pub mod assets;
pub mod query;

use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use crate::engine::Engine;
use api::Reply;

/// The Content-Security-Policy of every answer: this origin only, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'";

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_BYTES: usize = 8192;

/// How long an API request may take before it is answered with 503.
pub const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(10);

/// How long a client may take to send a request's head before its connection is closed.
pub const HEAD_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Requests over their time limit that may still run in the background; beyond, new API
/// requests are turned away with 503.
const MAX_OVERDUE: usize = 4;

/// Threads of the runtime that accept connections and read and write requests; the API's work
/// runs on the blocking pool beside them.
const IO_THREADS: usize = 2;

/// How a server is set up.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// A token the API requires as `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    /// API requests answered at once; more wait for their turn.
    pub threads: usize,
    /// How long an API request may take, its wait for a turn included.
    pub time_limit: Duration,
}

/// Errors of starting a server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr} (`--bind`): {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The listener or the runtime could not be set up.
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A bound server, not answering yet.
pub struct Bound {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Bound {
    /// Binds `addr`.
    pub fn bind(addr: SocketAddr) -> Result<Bound, ServeError> {
        let listener =
            TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Bound { listener, addr })
    }

    /// The address bound (with the port chosen when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests until the process ends.
    pub fn run(self, engine: Arc<dyn Engine>, options: &ServeOptions) -> Result<(), ServeError> {
        let addr = self.addr;
        let listen = |source| ServeError::Listen { addr, source };
        let threads = options.threads.max(1);
        let shared = Arc::new(Shared {
            engine,
            token: options.token.clone(),
            time_limit: options.time_limit,
            turns: Semaphore::new(threads),
            limit: threads + MAX_OVERDUE,
            running: AtomicUsize::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(IO_THREADS)
            .max_blocking_threads(shared.limit)
            .thread_name("newsdex-serve")
            .enable_io()
            .enable_time()
            .build()
            .map_err(listen)?;
        self.listener.set_nonblocking(true).map_err(listen)?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener).map_err(listen)?;
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, Infallible>(shared.respond(request).await) }
                    });
                    // A client that went away or sent garbage is no error of the server's.
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEAD_TIME_LIMIT)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        })
    }
}

/// What every connection reads.
struct Shared {
    engine: Arc<dyn Engine>,
    token: Option<String>,
    time_limit: Duration,
    /// One permit per API request answered at once (`--threads`).
    turns: Semaphore,
    /// Most API requests running, those over their time limit included: `--threads` and
    /// [`MAX_OVERDUE`].
    limit: usize,
    /// API requests running (not those waiting for a turn).
    running: AtomicUsize,
}

/// An answer's status, type and body.
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, &'static str)>,
}

impl From<Reply> for Answer {
    fn from(reply: Reply) -> Answer {
        Answer {
            status: reply.status,
            content_type: "application/json; charset=utf-8",
            body: reply.body.into_bytes(),
            extra: Vec::new(),
        }
    }
}

impl Shared {
    async fn respond(self: Arc<Self>, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let answer = self.answer(&request).await;
        let mut response = Response::new(Full::new(Bytes::from(answer.body)));
        *response.status_mut() =
            StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        let fixed = [
            ("content-type", answer.content_type),
            ("content-security-policy", CONTENT_SECURITY_POLICY),
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("cache-control", "no-store"),
        ];
        for (name, value) in fixed.into_iter().chain(answer.extra) {
            headers.insert(name, HeaderValue::from_static(value));
        }
        response
    }

    async fn answer(self: &Arc<Self>, request: &Request<Incoming>) -> Answer {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            let mut answer = Answer::from(Reply::error(
                405,
                "read-only: only GET and HEAD are answered",
                None,
            ));
            answer.extra.push(("allow", "GET, HEAD"));
            return answer;
        }
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |target| target.as_str());
        if target.len() > MAX_TARGET_BYTES {
            return Reply::error(
                414,
                &format!("request target longer than {MAX_TARGET_BYTES} bytes"),
                None,
            )
            .into();
        }
        let (path, pairs) = match query::split_target(target) {
            Ok(split) => split,
            Err(error) => return Reply::error(400, &error.message, Some(&error.parameter)).into(),
        };
        if let Some(api_path) = path.strip_prefix("/api/") {
            if !self.authorized(request) {
                let mut answer = Answer::from(Reply::error(
                    401,
                    "this server needs `Authorization: Bearer TOKEN`",
                    None,
                ));
                answer.extra.push(("www-authenticate", "Bearer"));
                return answer;
            }
            return self.api(api_path.to_string(), pairs).await.into();
        }
        match assets::find(path) {
            Some((content_type, body)) => Answer {
                status: 200,
                content_type,
                body: body.as_bytes().to_vec(),
                extra: Vec::new(),
            },
            None => Reply::error(404, &format!("nothing at {path}"), None).into(),
        }
    }

    /// Whether the request carries the token, when one is required.
    fn authorized(&self, request: &Request<Incoming>) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        request
            .headers()
            .get_all(AUTHORIZATION)
            .iter()
            .filter_map(|value| value.to_str().ok()?.strip_prefix("Bearer "))
            .any(|given| same_bytes(given.trim().as_bytes(), token.as_bytes()))
    }

    /// Runs an API request on the blocking pool when its turn comes; one taking longer than
    /// the time limit is answered with 503 while it finishes in the background.
    async fn api(self: &Arc<Self>, path: String, pairs: Vec<(String, String)>) -> Reply {
        let in_time = tokio::time::timeout(self.time_limit, async {
            // The turn is held while this request is waited for, not past its time limit.
            let _turn = self.turns.acquire().await;
            if self.running.fetch_add(1, Ordering::SeqCst) >= self.limit {
                self.running.fetch_sub(1, Ordering::SeqCst);
                return Ok(Reply::error(
                    503,
                    "too many slow requests running; try again later",
                    None,
                ));
            }
            let running = Running(Arc::clone(self));
            tokio::task::spawn_blocking(move || {
                let reply = api::answer(running.0.engine.as_ref(), &path, &pairs);
                drop(running);
                reply
            })
            .await
        })
        .await;
        match in_time {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Reply::error(500, "the request failed inside the server", None),
            Err(_) => Reply::error(
                503,
                &format!(
                    "the request took longer than {} s",
                    self.time_limit.as_secs_f64()
                ),
                None,
            ),
        }
    }
}

/// Counts an API request as running until it is dropped, after its work or with it.
struct Running(Arc<Shared>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Compares two byte strings in time independent of where they differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `addr` can only be reached from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_bytes(b"s3cret", b"s3cret"));
        assert!(!same_bytes(b"s3cret", b"s3cre"));
        assert!(!same_bytes(b"s3cret", b"s3creT"));
    }

    #[test]
    fn only_loopback_addresses_are_loopback() {
        assert!(is_loopback(&"127.0.0.1:7700".parse().unwrap()));
        assert!(is_loopback(&"[::1]:7700".parse().unwrap()));
        assert!(!is_loopback(&"0.0.0.0:7700".parse().unwrap()));
        assert!(!is_loopback(&"192.168.1.5:7700".parse().unwrap()));
    }
}
