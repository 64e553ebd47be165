//! Rebuilds left unfinished. `--full` (or a schema upgrade) builds a new concrete index beside
//! the one the alias points at; a run that is killed half-way leaves it behind, unaliased and
//! holding a share of the cluster's disk. So that the next run can tell such an index from one
//! that another run is still building:
//!
//! - while a rebuild runs, its index's `_meta.building` names the run (host, boot and process)
//!   and carries a heartbeat renewed every [`HEARTBEAT`];
//! - the `_meta` a finished run writes has no `building`, so a finished index is never taken for
//!   an unfinished one;
//! - each run starts by deleting the unaliased `NAME-TIMESTAMP` indexes whose builder is known
//!   to be gone: a process that no longer exists on this machine since its last boot, or a
//!   heartbeat older than [`ABANDONED_AFTER`].

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::OpenSearchError;
use super::client::{Client, Method};

/// How often a running rebuild renews its heartbeat.
pub const HEARTBEAT: Duration = Duration::from_secs(30);
/// A rebuild whose heartbeat is older than this is abandoned, wherever it ran.
pub const ABANDONED_AFTER: SignedDuration = SignedDuration::from_secs(10 * 60);
/// Digits of the timestamp in a concrete index's name (`%Y%m%d%H%M%S%3f`).
const STAMP_DIGITS: usize = 17;

/// This machine since its last boot: (host name, boot id), on Linux.
fn this_machine() -> Option<(String, String)> {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    };
    Some((
        read("/proc/sys/kernel/hostname")?,
        read("/proc/sys/kernel/random/boot_id")?,
    ))
}

/// The `_meta.building` of a rebuild this process starts now.
pub fn building(now: Timestamp) -> Value {
    let (host, boot) = this_machine().unwrap_or_default();
    json!({
        "host": host,
        "boot": boot,
        "pid": std::process::id(),
        "started": now.to_string(),
        "heartbeat": now.to_string(),
    })
}

/// Whether `name` is one of the concrete indexes newsdex names after `alias`
/// (`news-20261130181936123`).
fn is_concrete_name(alias: &str, name: &str) -> bool {
    name.strip_prefix(alias)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|stamp| {
            stamp.len() == STAMP_DIGITS && stamp.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Whether the run that wrote `building` is gone: its heartbeat is older than
/// [`ABANDONED_AFTER`] (or unreadable), or it ran on `here` (this machine and boot) as a
/// process that no longer exists.
fn abandoned(building: &Value, now: Timestamp, here: Option<&(String, String)>) -> bool {
    let heartbeat = building["heartbeat"]
        .as_str()
        .and_then(|text| text.parse::<Timestamp>().ok());
    let stale = heartbeat.is_none_or(|at| now.duration_since(at) > ABANDONED_AFTER);
    let ran_here = here.is_some_and(|(host, boot)| {
        building["host"].as_str() == Some(host) && building["boot"].as_str() == Some(boot)
    });
    let gone_here = ran_here
        && building["pid"]
            .as_u64()
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
    stale || gone_here
}

/// Deletes the unfinished rebuilds of the client's index whose runs are gone, and returns
/// their names. Indexes behind the alias, indexes without a `building` mark and names newsdex
/// does not give are never touched.
pub fn remove_abandoned(client: &Client) -> Result<Vec<String>, OpenSearchError> {
    let alias = client.index();
    let path = format!("/{alias}-*?filter_path=*.aliases,*.mappings._meta.building");
    let answer = client.send(Method::Get, &path, None)?;
    let now = Timestamp::now();
    let here = this_machine();
    let mut removed = Vec::new();
    for (name, index) in answer.as_object().into_iter().flatten() {
        let building = &index["mappings"]["_meta"]["building"];
        if !is_concrete_name(alias, name)
            || index["aliases"].get(alias).is_some()
            || !building.is_object()
            || !abandoned(building, now, here.as_ref())
        {
            continue;
        }
        match client.send(Method::Delete, &format!("/{name}"), None) {
            Ok(_) => removed.push(name.clone()),
            Err(error) if error.status() == Some(404) => {}
            Err(error) => return Err(error),
        }
    }
    removed.sort();
    Ok(removed)
}

/// Renews a running rebuild's heartbeat in its index's `_meta` every [`HEARTBEAT`] until
/// stopped (or dropped). Once [`Heartbeat::stop`] returns, no renewal is under way or to come,
/// so the finished run's `_meta` cannot be overwritten by a late one.
pub struct Heartbeat {
    stopped: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Heartbeat {
    /// Starts renewing `meta` (holding `building`) on the client's index every `period`
    /// ([`HEARTBEAT`] outside tests).
    pub fn start(client: Client, mut meta: Value, period: Duration) -> Heartbeat {
        let stopped = Arc::new((Mutex::new(false), Condvar::new()));
        let state = Arc::clone(&stopped);
        let thread = std::thread::spawn(move || {
            let (lock, wake) = &*state;
            let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                done = wake
                    .wait_timeout(done, period)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
                if *done {
                    return;
                }
                meta["building"]["heartbeat"] = json!(Timestamp::now().to_string());
                let path = format!("/{}/_mapping", client.index());
                // A missed renewal costs nothing while the next one lands in time.
                let _ = client.send(Method::Put, &path, Some(&json!({"_meta": &meta})));
            }
        });
        Heartbeat {
            stopped,
            thread: Some(thread),
        }
    }

    /// Stops renewing, waiting for a renewal under way.
    pub fn stop(&mut self) {
        let (lock, wake) = &*self.stopped;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    use crate::engine::opensearch::client::TlsOptions;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn only_names_newsdex_gives_are_concrete() {
        assert!(is_concrete_name("news", "news-20261130181936123"));
        assert!(!is_concrete_name("news", "news-archive"));
        assert!(!is_concrete_name("news", "news-2026113018193612"));
        assert!(!is_concrete_name("news", "newsx-20261130181936123"));
        assert!(!is_concrete_name("news", "news-2026113018193612a"));
    }

    fn mark(host: &str, boot: &str, pid: u32, heartbeat: &str) -> Value {
        json!({"host": host, "boot": boot, "pid": pid, "heartbeat": heartbeat})
    }

    #[test]
    fn a_rebuild_is_abandoned_when_its_heartbeat_is_old_or_its_process_is_gone_here() {
        let now = at("2026-11-30T12:00:00Z");
        let here = ("host-a".to_string(), "boot-1".to_string());
        let alive = std::process::id();
        // No live process has a pid this large (Linux caps pids at 2^22).
        let dead = 4_194_305 + 7;
        let fresh = "2026-11-30T11:59:40Z";
        let old = "2026-11-30T11:49:59Z";
        let cases = [
            (mark("host-a", "boot-1", alive, fresh), Some(&here), false),
            (mark("host-a", "boot-1", dead, fresh), Some(&here), true),
            // Elsewhere, or before a reboot, a process id says nothing: only the heartbeat
            // counts.
            (mark("host-b", "boot-1", dead, fresh), Some(&here), false),
            (mark("host-a", "boot-0", dead, fresh), Some(&here), false),
            (mark("host-a", "boot-1", dead, fresh), None, false),
            (mark("host-b", "boot-1", alive, old), Some(&here), true),
            (json!({"pid": alive}), Some(&here), true),
        ];
        for (building, machine, expected) in cases {
            assert_eq!(abandoned(&building, now, machine), expected, "{building}");
        }
    }

    /// Answers one request on `listener` with `{}` and returns its request line and body.
    fn answer_one(listener: &TcpListener) -> (String, Value) {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("request line");
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).expect("header");
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            .expect("answer");
        (
            line.trim().to_string(),
            serde_json::from_slice(&body).expect("json"),
        )
    }

    #[test]
    fn the_heartbeat_renews_the_mark_and_nothing_is_sent_once_stopped() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!(
            "http://{}/news-20261130120000000",
            listener.local_addr().unwrap()
        );
        let client = Client::new(&url, &TlsOptions::default()).expect("client");
        let started = Timestamp::now();
        let meta = json!({"schema_version": 4, "building": building(started)});
        let mut heartbeat = Heartbeat::start(client, meta, Duration::from_millis(20));
        let mut beats = Vec::new();
        for _ in 0..2 {
            let (line, body) = answer_one(&listener);
            assert_eq!(line, "PUT /news-20261130120000000/_mapping HTTP/1.1");
            let mark = &body["_meta"]["building"];
            assert_eq!(body["_meta"]["schema_version"], 4);
            assert_eq!(mark["pid"], std::process::id());
            assert_eq!(mark["started"], started.to_string());
            let beat: Timestamp = mark["heartbeat"].as_str().unwrap().parse().unwrap();
            assert!(beat > started);
            beats.push(beat);
        }
        assert!(beats[1] > beats[0]);
        heartbeat.stop();
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::sleep(Duration::from_millis(200));
        let late = listener.accept();
        assert!(
            matches!(&late, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a renewal was sent after stop: {late:?}"
        );
    }
}
