//! `newsdex serve`: the binary on a free loopback port, asked over plain HTTP; its JSON is the
//! CLI's `--json` output byte for byte, bad parameters get 400s naming them, and the security
//! headers, methods and token are enforced.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::util::Fixture;

/// A running `newsdex serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The stderr lines before the address.
    before: Vec<String>,
}

impl Server {
    /// Starts `newsdex serve ARGS` in the fixture and reads the address it prints.
    fn start(fixture: &Fixture, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("newsdex"));
        command
            .current_dir(fixture.root())
            .env_remove("NEWSDEX_INDEX")
            .env_remove("NEWSDEX_TOKEN")
            .arg("serve")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start newsdex serve");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut before = Vec::new();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("utf-8");
            if let Some(rest) = line.strip_prefix("serving index on http://") {
                break rest.trim_end_matches('/').to_string();
            }
            before.push(line);
        };
        Server {
            child,
            addr,
            before,
        }
    }

    /// Sends `METHOD TARGET` with extra header lines; returns status, headers and body.
    fn request(&self, method: &str, target: &str, headers: &str) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n{headers}Connection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8(raw).expect("utf-8 answer");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        let mut head_lines = head.lines();
        let status = head_lines.next().expect("status line")[9..12]
            .parse()
            .expect("status");
        let headers = head_lines
            .filter_map(|line| line.split_once(": "))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn get(&self, target: &str) -> Answer {
        self.request("GET", target, "")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

fn indexed() -> Fixture {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    fixture
}

/// The API answers 200 with exactly what the command prints (less its newline).
fn same_as_cli(server: &Server, fixture: &Fixture, target: &str, args: &[&str], code: i32) {
    let answer = server.get(target);
    assert_eq!(answer.status, 200, "{target}: {}", answer.body);
    let cli = fixture.run_ok(args, code);
    assert_eq!(answer.body, cli.trim_end_matches('\n'), "{target}");
}

#[test]
fn api_objects_are_the_cli_json() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    assert_eq!(server.before, Vec::<String>::new());
    same_as_cli(
        &server,
        &fixture,
        "/api/search?q=trade&facets=true",
        &["search", "trade", "--facets", "--json"],
        0,
    );
    same_as_cli(
        &server,
        &fixture,
        "/api/search?q=&country=Indonesia&country=JP&sort=date&limit=1&offset=1",
        &[
            "search",
            "",
            "--country",
            "Indonesia",
            "--country",
            "JP",
            "--sort",
            "date",
            "-n",
            "1",
            "--offset",
            "1",
            "--json",
        ],
        0,
    );
    same_as_cli(
        &server,
        &fixture,
        "/api/facets?by=country&since=2024&until=2024-03",
        &[
            "facets", "--by", "country", "--since", "2024", "--until", "2024-03", "--json",
        ],
        0,
    );
    for (request, flag) in [
        ("/api/facets?by=country&limit=2", "-n"),
        ("/api/facets?by=country&top=2", "--top"),
    ] {
        same_as_cli(
            &server,
            &fixture,
            request,
            &["facets", "--by", "country", flag, "2", "--json"],
            0,
        );
    }
    same_as_cli(
        &server,
        &fixture,
        "/api/facets?by=month&q=bank+OR+trade",
        &["facets", "bank OR trade", "--by", "month", "--json"],
        0,
    );
    same_as_cli(
        &server,
        &fixture,
        "/api/articles/w1",
        &["show", "w1", "--json"],
        0,
    );
    same_as_cli(
        &server,
        &fixture,
        "/api/similar/w1?limit=2",
        &["similar", "w1", "-n", "2", "--json"],
        0,
    );
    same_as_cli(&server, &fixture, "/api/stats", &["stats", "--json"], 0);
    same_as_cli(
        &server,
        &fixture,
        "/api/search?q=nothingmatchesthis",
        &["search", "nothingmatchesthis", "--json"],
        1,
    );
    let search = server.get("/api/search?q=trade&country=IN");
    let value: serde_json::Value = serde_json::from_str(&search.body).unwrap();
    assert_eq!(value["total"], 1);
    assert_eq!(value["hits"][0]["id"], "w1");
    assert_eq!(
        search.header("content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[test]
fn malformed_parameters_get_a_400_naming_them() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    let long_query = format!("/api/search?q={}", "a".repeat(1001));
    let cases = [
        (
            "/api/search?country=Atlantis",
            400,
            r#"{"error":"unknown country `Atlantis`; did you mean Albania (AL), Kuwait (KW), Oman (OM)?","parameter":"country"}"#,
        ),
        (
            "/api/search?q=x&since=soon",
            400,
            r#"{"error":"invalid date `soon`: expected YYYY-MM-DD, YYYY-MM, YYYY or a span back from now such as 7d, 2w, 3m, 1y","parameter":"since"}"#,
        ),
        (
            "/api/search?limit=101",
            400,
            r#"{"error":"at most 100","parameter":"limit"}"#,
        ),
        (
            "/api/search?offset=-1",
            400,
            r#"{"error":"invalid number `-1`","parameter":"offset"}"#,
        ),
        (
            "/api/search?sort=best",
            400,
            r#"{"error":"invalid sort `best`: expected relevance or date","parameter":"sort"}"#,
        ),
        (
            "/api/search?q=a&q=b",
            400,
            r#"{"error":"given more than once","parameter":"q"}"#,
        ),
        (
            "/api/search?facets=maybe",
            400,
            r#"{"error":"invalid switch `maybe`: expected true or false","parameter":"facets"}"#,
        ),
        (
            "/api/search?colour=red",
            400,
            r#"{"error":"unknown parameter `colour`","parameter":"colour"}"#,
        ),
        (
            "/api/search?q=title:(",
            400,
            r#"{"error":"invalid query at position 7: expected word","parameter":"q"}"#,
        ),
        (
            "/api/search?person=%ff",
            400,
            r#"{"error":"`%ff` is not UTF-8 once decoded","parameter":"person"}"#,
        ),
        (
            &long_query,
            400,
            r#"{"error":"query longer than 1000 bytes","parameter":"q"}"#,
        ),
        (
            "/api/facets?q=x",
            400,
            r#"{"error":"missing","parameter":"by"}"#,
        ),
        (
            "/api/facets?by=mood",
            400,
            r#"{"error":"invalid dimension `mood`: expected one of country, person, org, topic, source, lang, year, month, week, day","parameter":"by"}"#,
        ),
        (
            "/api/facets?by=country&top=1001",
            400,
            r#"{"error":"at most 1000","parameter":"top"}"#,
        ),
        (
            "/api/facets?by=country&limit=1001",
            400,
            r#"{"error":"at most 1000","parameter":"limit"}"#,
        ),
        (
            "/api/facets?by=country&limit=2&top=2",
            400,
            r#"{"error":"`limit` and `top` are the same parameter: give one","parameter":"top"}"#,
        ),
        (
            "/api/stats?country=IN",
            400,
            r#"{"error":"unknown parameter `country`","parameter":"country"}"#,
        ),
        (
            "/api/articles/nope",
            404,
            r#"{"error":"no article with id `nope`","parameter":"id"}"#,
        ),
        (
            "/api/similar/nope",
            404,
            r#"{"error":"no article with id `nope`","parameter":"id"}"#,
        ),
        ("/api/delete", 404, r#"{"error":"no endpoint /api/delete"}"#),
        ("/etc/passwd", 404, r#"{"error":"nothing at /etc/passwd"}"#),
    ];
    for (target, status, body) in cases {
        let answer = server.get(target);
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (status, body),
            "{target}"
        );
    }
    let huge = format!("/api/search?q={}", "a".repeat(9000));
    assert_eq!(server.get(&huge).status, 414);
}

#[test]
fn the_server_is_read_only_and_sends_its_security_headers() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let answer = server.request(method, "/api/search?q=trade", "Content-Length: 0\r\n");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"));
        assert_eq!(
            answer.body,
            r#"{"error":"read-only: only GET and HEAD are answered"}"#
        );
    }
    for target in ["/", "/app.js", "/app.css", "/api/stats"] {
        let answer = server.get(target);
        assert_eq!(answer.status, 200, "{target}");
        assert_eq!(
            answer.header("content-security-policy"),
            Some(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 connect-src 'self'"
            ),
            "{target}"
        );
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    }
    let page = server.get("/");
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body
            .contains(r#"<script src="/app.js" defer></script>"#)
    );
    assert!(!page.body.contains("<script>"), "no inline script");
    let head = server.request("HEAD", "/api/stats", "");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
}

#[test]
fn a_token_is_required_when_given() {
    let fixture = indexed();
    let server = Server::start(
        &fixture,
        &["--bind", "127.0.0.1:0"],
        &[("NEWSDEX_TOKEN", "s3cret")],
    );
    let denied = server.get("/api/stats");
    assert_eq!(denied.status, 401);
    assert_eq!(denied.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        denied.body,
        r#"{"error":"this server needs `Authorization: Bearer TOKEN`"}"#
    );
    let wrong = server.request("GET", "/api/stats", "Authorization: Bearer s3cre\r\n");
    assert_eq!(wrong.status, 401);
    let right = server.request("GET", "/api/stats", "Authorization: Bearer s3cret\r\n");
    assert_eq!(right.status, 200, "{}", right.body);
    // The page holds no data: it loads without the token, and sends the token it is given.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_bind_beyond_loopback_warns() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "0.0.0.0:0", "--token", "t0k"], &[]);
    assert_eq!(
        server.before,
        vec![
            "warning: listening on 0.0.0.0:0, reachable from other machines: anyone who can \
             reach it can read the archive with the token"
                .to_string()
        ]
    );
    let open = Server::start(&fixture, &["--bind", "0.0.0.0:0"], &[]);
    assert_eq!(
        open.before,
        vec![
            "warning: listening on 0.0.0.0:0, reachable from other machines: anyone who can \
             reach it can read the archive; give --token (or NEWSDEX_TOKEN) to require one"
                .to_string()
        ]
    );
}

#[test]
fn markup_in_articles_comes_back_as_text() {
    let fixture = Fixture::new();
    fixture.write(
        "evil.jsonl",
        concat!(
            r#"{"id":"x1","title":"<img src=x onerror=alert(1)>","body":"Trade <script>alert(2)</script> & more trade talk in Paris, France.","date":"2024-05-01","source":"<b>Wire</b>"}"#,
            "\n"
        ),
    );
    fixture.run_ok(&["index", "-q"], 0);
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    let answer = server.get("/api/search?q=trade");
    let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(value["hits"][0]["title"], "<img src=x onerror=alert(1)>");
    assert_eq!(
        value["hits"][0]["snippet"],
        "<b>Trade</b> &lt;script&gt;alert(2)&lt;/script&gt; &amp; more <b>trade</b> talk in \
         Paris,"
    );
}

#[test]
fn new_commits_are_seen_without_a_restart() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    let total = |server: &Server| -> u64 {
        let answer = server.get("/api/search?q=marathon+OR+volcano");
        let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        value["total"].as_u64().unwrap()
    };
    assert_eq!(total(&server), 1);
    fixture.write(
        "scraped/iceland.txt",
        "Volcano erupts in Iceland\n\nA volcano erupted near Reykjavik on Monday.\n",
    );
    fixture.run_ok(&["index", "-q"], 0);
    // The reader reloads shortly after the commit; give it a bounded while.
    let deadline = Instant::now() + Duration::from_secs(20);
    while total(&server) != 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(total(&server), 2);
}

/// Sends a keep-alive GET on `stream` and reads one answer by its Content-Length; the status.
fn keep_alive_get(stream: &mut TcpStream, addr: &str, target: &str) -> std::io::Result<u16> {
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0))
}

/// Opens `count` connections at the same moment, sends a keep-alive GET of `target` on each
/// and waits up to `wait` for each answer; the statuses (or why none came) and the
/// connections, still open.
fn together(
    server: &Server,
    count: usize,
    target: &str,
    wait: Duration,
) -> Vec<(Result<u16, std::io::ErrorKind>, TcpStream)> {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(count));
    let clients: Vec<_> = (0..count)
        .map(|_| {
            let barrier = std::sync::Arc::clone(&barrier);
            let (addr, target) = (server.addr.clone(), target.to_string());
            std::thread::spawn(move || {
                barrier.wait();
                let mut stream = TcpStream::connect(&addr).expect("connect");
                stream.set_read_timeout(Some(wait)).expect("read timeout");
                let status = keep_alive_get(&mut stream, &addr, &target);
                (status.map_err(|e| e.kind()), stream)
            })
        })
        .collect();
    clients
        .into_iter()
        .map(|client| client.join().expect("client thread"))
        .collect()
}

/// A browser opens several connections at once and keeps them open: every one is answered
/// while the others stay idle.
#[test]
fn connections_opened_together_and_kept_open_are_all_answered() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0"], &[]);
    let mut open = Vec::new();
    for round in 0..40 {
        for (status, stream) in together(&server, 6, "/api/stats", Duration::from_secs(5)) {
            assert_eq!(status, Ok(200), "round {round}");
            open.push(stream);
        }
    }
    assert_eq!(open.len(), 240);
}

/// Requests beyond `--threads` wait for their turn rather than being turned away.
#[test]
fn requests_beyond_the_threads_wait_their_turn() {
    let fixture = indexed();
    let server = Server::start(&fixture, &["--bind", "127.0.0.1:0", "--threads", "1"], &[]);
    let answers = together(
        &server,
        24,
        "/api/search?q=trade&facets=true",
        Duration::from_secs(10),
    );
    let statuses: Vec<_> = answers.into_iter().map(|(status, _)| status).collect();
    assert_eq!(statuses, vec![Ok(200); 24]);
}
