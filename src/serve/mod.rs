//! `newsdex serve`: the JSON API and the one-page browser interface, from the same binary.
//!
//! - [`api`]: `/api/...`, the CLI's JSON objects through the same [`Engine`] calls;
//! - [`assets`]: the page, its script and style, embedded in the binary;
//! - [`query`]: decoding request targets.
//!
//! A fixed pool of worker threads takes requests from one listener ([`tiny_http`]). The server
//! is read-only (GET and HEAD; anything else gets 405), sends a strict Content-Security-Policy
//! with every answer, and with a token requires `Authorization: Bearer TOKEN` on the API.

pub mod api;
pub mod assets;
pub mod query;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::engine::Engine;
use api::Reply;

/// The Content-Security-Policy of every answer: this origin only, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'";

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_BYTES: usize = 8192;

/// How long an API request may take before it is answered with 503.
pub const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(10);

/// Requests over their time limit that may still run in the background; beyond, new API
/// requests are turned away with 503.
const MAX_OVERDUE: usize = 4;

/// How a server is set up.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// A token the API requires as `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    /// Worker threads answering requests.
    pub threads: usize,
    /// How long an API request may take.
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
    /// The listener could not be set up.
    #[error("cannot serve on {addr}: {message}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        message: String,
    },
}

/// A bound server, not answering yet.
pub struct Bound {
    server: Arc<Server>,
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
        let server = Server::from_listener(listener, None).map_err(|e| ServeError::Listen {
            addr,
            message: e.to_string(),
        })?;
        Ok(Bound {
            server: Arc::new(server),
            addr,
        })
    }

    /// The address bound (with the port chosen when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests until the process ends.
    pub fn run(self, engine: Arc<dyn Engine>, options: &ServeOptions) {
        let shared = Arc::new(Shared {
            engine,
            token: options.token.clone(),
            time_limit: options.time_limit,
            threads: options.threads.max(1),
            running: AtomicUsize::new(0),
        });
        let workers: Vec<_> = (0..shared.threads)
            .map(|_| {
                let server = Arc::clone(&self.server);
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        shared.respond(request);
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// What every worker reads.
struct Shared {
    engine: Arc<dyn Engine>,
    token: Option<String>,
    time_limit: Duration,
    threads: usize,
    /// API requests running: at most one per worker plus those over their time limit.
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
    fn respond(self: &Arc<Self>, request: Request) {
        let answer = self.answer(&request);
        let mut response = Response::from_data(answer.body).with_status_code(answer.status);
        let mut headers = vec![
            ("Content-Type", answer.content_type),
            ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", "no-store"),
        ];
        headers.extend(answer.extra);
        for (name, value) in headers {
            if let Ok(header) = Header::from_bytes(name, value) {
                response.add_header(header);
            }
        }
        // A client that went away is no error of the server's.
        let _ = request.respond(response);
    }

    fn answer(self: &Arc<Self>, request: &Request) -> Answer {
        if !matches!(request.method(), Method::Get | Method::Head) {
            let mut answer = Answer::from(Reply::error(
                405,
                "read-only: only GET and HEAD are answered",
                None,
            ));
            answer.extra.push(("Allow", "GET, HEAD"));
            return answer;
        }
        let target = request.url();
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
                answer.extra.push(("WWW-Authenticate", "Bearer"));
                return answer;
            }
            return self.api(api_path.to_string(), pairs).into();
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
    fn authorized(&self, request: &Request) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        request
            .headers()
            .iter()
            .filter(|header| header.field.equiv("Authorization"))
            .filter_map(|header| header.value.as_str().strip_prefix("Bearer "))
            .any(|given| same_bytes(given.trim().as_bytes(), token.as_bytes()))
    }

    /// Runs an API request on its own thread, so that one taking longer than the time limit
    /// is answered with 503 while it finishes in the background.
    fn api(self: &Arc<Self>, path: String, pairs: Vec<(String, String)>) -> Reply {
        if self.running.fetch_add(1, Ordering::SeqCst) >= self.threads + MAX_OVERDUE {
            self.running.fetch_sub(1, Ordering::SeqCst);
            return Reply::error(503, "too many slow requests running; try again later", None);
        }
        let (send, receive) = mpsc::sync_channel(1);
        let shared = Arc::clone(self);
        let spawned = std::thread::Builder::new().spawn(move || {
            let reply = api::answer(shared.engine.as_ref(), &path, &pairs);
            shared.running.fetch_sub(1, Ordering::SeqCst);
            // Nobody waits any more when the request ran over its time limit.
            let _ = send.send(reply);
        });
        if spawned.is_err() {
            self.running.fetch_sub(1, Ordering::SeqCst);
            return Reply::error(503, "cannot start the request; try again later", None);
        }
        match receive.recv_timeout(self.time_limit) {
            Ok(reply) => reply,
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
