//! A small blocking HTTP client for one OpenSearch index: JSON in, JSON out, credentials from
//! the environment or a netrc file, TLS verified by default, and errors that name the URL
//! (without credentials) and OpenSearch's own reason.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use crate::engine::redact_userinfo;

/// Environment variable holding the user name for basic authentication.
pub const USER_VAR: &str = "NEWSDEX_OPENSEARCH_USER";
/// Environment variable holding the password for basic authentication.
pub const PASSWORD_VAR: &str = "NEWSDEX_OPENSEARCH_PASSWORD";
/// Environment variable holding an API key (sent as `Authorization: ApiKey ...`).
pub const API_KEY_VAR: &str = "NEWSDEX_OPENSEARCH_API_KEY";

/// How to reach a cluster over TLS.
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// A PEM file of CA certificates to trust instead of the built-in roots (`--ca-cert`).
    pub ca_cert: Option<PathBuf>,
    /// Accept any certificate (`--insecure`), for self-signed test clusters only.
    pub insecure: bool,
}

/// Errors talking to OpenSearch.
#[derive(Debug, thiserror::Error)]
pub enum OpenSearchError {
    /// The `--index` URL does not name a host and an index.
    #[error("{url}: not an OpenSearch index URL (expected http[s]://HOST:PORT/INDEX)")]
    BadUrl {
        /// The URL, without credentials.
        url: String,
    },
    /// The `--ca-cert` file could not be read or holds no certificate.
    #[error("--ca-cert {path}: {reason}")]
    CaCert {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No answer (connection refused, reset, timed out, TLS failure).
    #[error("{url}: cannot reach OpenSearch: {reason}")]
    Unreachable {
        /// The request URL, without credentials.
        url: String,
        /// What failed.
        reason: String,
    },
    /// OpenSearch answered with an error status.
    #[error("{url}: OpenSearch answered {status}: {reason}")]
    Status {
        /// The request URL, without credentials.
        url: String,
        /// The HTTP status.
        status: u16,
        /// OpenSearch's `error.reason` (or the body's start).
        reason: String,
    },
    /// The answer was not the JSON expected.
    #[error("{url}: unexpected answer from OpenSearch: {reason}")]
    Answer {
        /// The request URL, without credentials.
        url: String,
        /// What was wrong.
        reason: String,
    },
}

impl OpenSearchError {
    /// Whether retrying later may succeed: 429, 502, 503, 504 or no answer at all.
    pub fn is_transient(&self) -> bool {
        match self {
            OpenSearchError::Unreachable { .. } => true,
            OpenSearchError::Status { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The HTTP status, when OpenSearch answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            OpenSearchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// HTTP methods used.
#[derive(Clone, Copy, Debug)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// HEAD
    Head,
}

/// A connection to one cluster, and the index (or alias) named by the URL.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    /// `scheme://host:port` without credentials.
    base: String,
    /// The index or alias name.
    index: String,
    authorization: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the index at `url` (`http[s]://[user:password@]host:port/index`). Credentials
    /// come from the URL's userinfo, the environment ([`USER_VAR`] and [`PASSWORD_VAR`], or
    /// [`API_KEY_VAR`]) or the netrc file (`NETRC` or `~/.netrc`), in that order.
    pub fn new(url: &str, tls: &TlsOptions) -> Result<Client, OpenSearchError> {
        let bad = || OpenSearchError::BadUrl {
            url: redact_userinfo(url),
        };
        let scheme_end = url.find("://").ok_or_else(bad)? + 3;
        let rest = &url[scheme_end..];
        let (authority, path) = rest.split_at(rest.find('/').ok_or_else(bad)?);
        let index = path.trim_matches('/');
        if index.is_empty() || index.contains('/') || index.contains(['?', '#']) {
            return Err(bad());
        }
        let (userinfo, host) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(bad());
        }
        let base = format!("{}{}", url[..scheme_end].to_ascii_lowercase(), host);
        let hostname = host
            .rsplit_once(':')
            .map_or(host, |(name, _)| name)
            .trim_matches(['[', ']']);
        let authorization = match userinfo {
            Some(info) => Some(basic(info)),
            None => credentials_from_env().or_else(|| credentials_from_netrc(hostname)),
        };
        let mut tls_config = ureq::tls::TlsConfig::builder();
        if let Some(path) = &tls.ca_cert {
            let ca = |reason: String| OpenSearchError::CaCert {
                path: path.clone(),
                reason,
            };
            let pem = std::fs::read(path).map_err(|e| ca(e.to_string()))?;
            let mut certs = Vec::new();
            for item in ureq::tls::parse_pem(&pem) {
                if let ureq::tls::PemItem::Certificate(cert) =
                    item.map_err(|e| ca(e.to_string()))?
                {
                    certs.push(cert);
                }
            }
            if certs.is_empty() {
                return Err(ca("no PEM certificate in the file".to_string()));
            }
            tls_config = tls_config.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
        }
        if tls.insecure {
            tls_config = tls_config.disable_verification(true);
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .max_idle_connections_per_host(8)
            .tls_config(tls_config.build())
            .build()
            .new_agent();
        Ok(Client {
            agent,
            base,
            index: index.to_string(),
            authorization,
        })
    }

    /// The index or alias name from the URL.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// The URL of the index, without credentials.
    pub fn index_url(&self) -> String {
        format!("{}/{}", self.base, self.index)
    }

    /// The same cluster, addressing another index.
    pub fn with_index(&self, index: &str) -> Client {
        Client {
            index: index.to_string(),
            ..self.clone()
        }
    }

    /// Sends a request to `path` (from the cluster root, e.g. `/news/_search`) and parses the
    /// JSON answer; a status of 400 or more is an error carrying OpenSearch's reason. A HEAD
    /// request answers `Value::Bool` (found or not).
    pub fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, OpenSearchError> {
        let body = body.map(|b| ("application/json", b.to_string()));
        self.send_raw(method, path, body.as_ref().map(|(t, b)| (*t, b.as_str())))
    }

    /// Like [`Client::send`] with a body given as text and its content type (for `_bulk`).
    pub fn send_raw(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, &str)>,
    ) -> Result<Value, OpenSearchError> {
        let url = format!("{}{}", self.base, path);
        // Messages name the endpoint, without its parameters.
        let shown = redact_userinfo(url.split('?').next().unwrap_or(&url));
        let unreachable = |e: ureq::Error| OpenSearchError::Unreachable {
            url: shown.clone(),
            reason: e.to_string(),
        };
        let response = match (method, body) {
            (Method::Get, None) => self.with_auth(self.agent.get(&url)).call(),
            (Method::Get, Some((kind, body))) => self
                .with_auth(self.agent.get(&url))
                .force_send_body()
                .content_type(kind)
                .send(body),
            (Method::Head, _) => self.with_auth(self.agent.head(&url)).call(),
            (Method::Delete, None) => self.with_auth(self.agent.delete(&url)).call(),
            (Method::Delete, Some((kind, body))) => self
                .with_auth(self.agent.delete(&url))
                .force_send_body()
                .content_type(kind)
                .send(body),
            (Method::Put, body) => {
                let (kind, body) = body.unwrap_or(("application/json", ""));
                self.with_auth(self.agent.put(&url))
                    .content_type(kind)
                    .send(body)
            }
            (Method::Post, body) => {
                let (kind, body) = body.unwrap_or(("application/json", ""));
                self.with_auth(self.agent.post(&url))
                    .content_type(kind)
                    .send(body)
            }
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        if matches!(method, Method::Head) {
            return match status {
                200..=299 => Ok(Value::Bool(true)),
                404 => Ok(Value::Bool(false)),
                _ => Err(OpenSearchError::Status {
                    url: shown.clone(),
                    status,
                    reason: "HEAD request failed".to_string(),
                }),
            };
        }
        let text = response
            .into_body()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(unreachable)?;
        if status >= 400 {
            return Err(OpenSearchError::Status {
                url: shown.clone(),
                status,
                reason: error_reason(&text),
            });
        }
        serde_json::from_str(&text).map_err(|e| OpenSearchError::Answer {
            url: shown.clone(),
            reason: e.to_string(),
        })
    }

    fn with_auth<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.authorization {
            Some(value) => request.header("Authorization", value),
            None => request,
        }
    }

    /// An error about an answer of a request to `path`.
    pub fn answer_error(&self, path: &str, reason: impl Into<String>) -> OpenSearchError {
        OpenSearchError::Answer {
            url: format!("{}{}", self.base, path),
            reason: reason.into(),
        }
    }
}

/// OpenSearch's reason from an error body: `error.root_cause[0].reason` or `error.reason`, with
/// the error type; the body's start when it is not JSON.
fn error_reason(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return body.chars().take(200).collect();
    };
    let error = &value["error"];
    if let Some(reason) = error["reason"].as_str() {
        let kind = error["type"].as_str().unwrap_or("error");
        let cause = error["root_cause"][0]["reason"]
            .as_str()
            .filter(|cause| *cause != reason);
        return match cause {
            Some(cause) => format!("{kind}: {reason} ({cause})"),
            None => format!("{kind}: {reason}"),
        };
    }
    if let Some(text) = error.as_str() {
        return text.to_string();
    }
    body.chars().take(200).collect()
}

fn basic(userinfo: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(userinfo)
    )
}

fn credentials_from_env() -> Option<String> {
    if let Some(key) = std::env::var(API_KEY_VAR).ok().filter(|k| !k.is_empty()) {
        return Some(format!("ApiKey {key}"));
    }
    let user = std::env::var(USER_VAR).ok().filter(|u| !u.is_empty())?;
    let password = std::env::var(PASSWORD_VAR).unwrap_or_default();
    Some(basic(&format!("{user}:{password}")))
}

fn credentials_from_netrc(host: &str) -> Option<String> {
    let path = match std::env::var_os("NETRC") {
        Some(path) => PathBuf::from(path),
        None => Path::new(&std::env::var_os("HOME")?).join(".netrc"),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let (user, password) = netrc_entry(&text, host)?;
    Some(basic(&format!("{user}:{password}")))
}

/// The login and password of `host` in a netrc file's text (or of its `default` entry).
pub fn netrc_entry(text: &str, host: &str) -> Option<(String, String)> {
    // Entries as (machine, login, password); `None` is the default entry.
    let mut entries: Vec<(Option<String>, String, String)> = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(token) = tokens.next() {
        match token {
            "machine" => entries.push((
                Some(tokens.next().unwrap_or_default().to_string()),
                String::new(),
                String::new(),
            )),
            "default" => entries.push((None, String::new(), String::new())),
            "login" | "password" => {
                let value = tokens.next().unwrap_or_default().to_string();
                if let Some(entry) = entries.last_mut() {
                    if token == "login" {
                        entry.1 = value;
                    } else {
                        entry.2 = value;
                    }
                }
            }
            _ => {}
        }
    }
    let exact = entries
        .iter()
        .find(|(machine, _, _)| machine.as_deref() == Some(host));
    exact
        .or_else(|| entries.iter().find(|(machine, _, _)| machine.is_none()))
        .map(|(_, login, password)| (login.clone(), password.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_prefers_the_host_entry_over_default() {
        let text = "machine other login a password b\n\
                    default login d password e\n\
                    machine os.example login admin password s3cret\n";
        assert_eq!(
            netrc_entry(text, "os.example"),
            Some(("admin".into(), "s3cret".into()))
        );
        assert_eq!(
            netrc_entry(text, "elsewhere"),
            Some(("d".into(), "e".into()))
        );
        assert_eq!(netrc_entry("machine x login y password z", "w"), None);
    }

    #[test]
    fn urls_name_a_host_and_one_index() {
        let tls = TlsOptions::default();
        let client = Client::new("http://u:p@127.0.0.1:9200/news", &tls).unwrap();
        assert_eq!(client.index_url(), "http://127.0.0.1:9200/news");
        assert_eq!(client.index(), "news");
        for bad in ["http://127.0.0.1:9200", "http://h:1/", "http://h:1/a/b"] {
            let error = Client::new(bad, &tls).unwrap_err().to_string();
            assert!(
                error.ends_with("(expected http[s]://HOST:PORT/INDEX)"),
                "{error}"
            );
        }
        let error = Client::new("http://user:pw@h:1/", &tls).unwrap_err();
        assert_eq!(
            error.to_string(),
            "http://h:1/: not an OpenSearch index URL (expected http[s]://HOST:PORT/INDEX)"
        );
    }

    #[test]
    fn error_reasons_come_from_the_error_object() {
        let body = r#"{"error":{"root_cause":[{"type":"x","reason":"inner"}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}"#;
        assert_eq!(
            error_reason(body),
            "search_phase_execution_exception: all shards failed (inner)"
        );
        assert_eq!(error_reason("not json"), "not json");
    }
}
