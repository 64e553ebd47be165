//! The hostile set: files built to make reading slow or memory-hungry, generated in memory,
//! each parsed and enriched as `newsdex index` does. Reports seconds per MiB (CPU time of the
//! one thread doing the work, so that a busy machine does not skew it; wall time beside it)
//! and the peak anonymous memory (RssAnon) of each, and the worst of both; fails when a case
//! goes past 1 CPU s/MiB (slower than linear shows up there first) or 400 MB, or reads wrong.
//!
//! `cargo bench --bench hostile` runs them all; `cargo bench --bench hostile -- NAME` runs the
//! cases whose name contains NAME.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use newsdex::corpus;
use newsdex::enrich::Enricher;

/// The allocator the binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MIB: usize = 1024 * 1024;

/// Seconds per MiB a case may take at most.
const MAX_SECONDS_PER_MIB: f64 = 1.0;

/// Peak anonymous memory a case may reach.
const MAX_RSS_BYTES: u64 = 400 * 1000 * 1000;

/// What reading a case must give.
enum Expect {
    /// This many articles, the first with this text somewhere in its title or body.
    Articles(usize, &'static str),
    /// A file error whose reason starts with this.
    Refused(&'static str),
}

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
}

/// A small deterministic generator (xorshift), so every run reads the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const NAMES: [&str; 16] = [
    "Amara", "Bello", "Chen", "Dmitri", "Elena", "Farouk", "Greta", "Hiro", "Ingrid", "Jamal",
    "Kofi", "Lucia", "Marco", "Nadia", "Omar", "Priya",
];

const WORDS: [&str; 12] = [
    "trade", "minister", "talks", "the", "of", "energy", "said", "on", "Monday", "India",
    "tariffs", "in",
];

fn words(rng: &mut Rng, bytes: usize, capitalised: bool, separator: &str) -> String {
    let mut out = String::with_capacity(bytes + 32);
    while out.len() < bytes {
        out.push_str(if capitalised {
            rng.pick(&NAMES)
        } else {
            rng.pick(&WORDS)
        });
        out.push_str(separator);
    }
    out
}

/// The cases, by name; [`case`] generates one.
const CASES: [&str; 21] = [
    "html_deep_closed",
    "html_deep_unclosed",
    "html_huge_attribute",
    "html_many_attributes",
    "html_tiny_paragraphs",
    "json_deep",
    "jsonl_deep_lines",
    "txt_one_line",
    "txt_tiny_paragraphs",
    "md_tiny_paragraphs",
    "txt_one_token",
    "txt_capitalised_run",
    "md_capitalised_run",
    "jsonl_odd_dates",
    "csv_million_columns",
    "jsonl_ten_million_records",
    "txt_invalid_encoding_mid_file",
    "warc_gigabyte_content_length",
    "warc_gzip_bomb",
    "warc_million_tiny_records",
    "feed_entity_expansion",
];

const ODD_DATES: [&str; 12] = [
    "26-FEB-1987 15:01:01.79999999999999999999",
    "99999999999999999999",
    "-99999999999",
    "Nov 31, 2026",
    "2026-13-45T99:99:99Z",
    "+999999-01-01",
    "1e308",
    "Monday, 32 Septembruary 10000",
    "2026-11-26T01:11:00+99:99",
    "0000-00-00 00:00:00",
    "26 November 2026 26 November 2026 26 November 2026",
    "\u{6f2}\u{6f0}\u{6f2}\u{6f6}-\u{6f1}\u{6f1}-\u{6f2}\u{6f6}",
];

/// Generates the case called `name`.
fn case(name: &'static str) -> Case {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let depth = 200_000;
    let (file, bytes, expect): (&str, Vec<u8>, Expect) = match name {
        "html_deep_closed" => (
            "deep.html",
            format!(
                "<html><body>{}<p>Deep text about France.</p>{}</body></html>",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
            .into_bytes(),
            Expect::Articles(1, "Deep text about France."),
        ),
        "html_deep_unclosed" => (
            "unclosed.html",
            format!(
                "<title>Unclosed</title>{}<p>Never closed.",
                "<div><span><b><font><table><td>".repeat(500_000)
            )
            .into_bytes(),
            Expect::Articles(1, "Never closed."),
        ),
        "html_huge_attribute" => (
            "attribute.html",
            format!(
                "<h1 data-x=\"{}\">Huge attribute</h1><p>Text.</p>",
                "x".repeat(15 * MIB)
            )
            .into_bytes(),
            Expect::Articles(1, "Text."),
        ),
        "html_many_attributes" => {
            let attributes: String = (0..450_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
            (
                "attributes.html",
                format!("<h1{attributes}>Many attributes</h1><p{attributes}>Text.</p>")
                    .into_bytes(),
                Expect::Articles(1, "Text."),
            )
        }
        "html_tiny_paragraphs" => (
            "paragraphs.html",
            format!("<h1>Paragraphs</h1>{}", "<p>Word.</p>".repeat(1_390_000)).into_bytes(),
            Expect::Articles(1, "Word."),
        ),
        "json_deep" => (
            "deep.json",
            format!("{}{}", "[".repeat(4 * MIB), "]".repeat(4 * MIB)).into_bytes(),
            Expect::Refused("invalid JSON: recursion limit exceeded"),
        ),
        "jsonl_deep_lines" => (
            "deep.jsonl",
            format!(
                "{{\"title\": \"First\", \"body\": \"Fine.\"}}\n{}",
                format!("{{\"a\":{}1{}}}\n", "[".repeat(1000), "]".repeat(1000)).repeat(4000)
            )
            .into_bytes(),
            Expect::Articles(1, "Fine."),
        ),
        "txt_one_line" => (
            "line.txt",
            words(&mut rng, 16 * MIB - 1024, false, " ").into_bytes(),
            Expect::Articles(1, "trade"),
        ),
        "txt_tiny_paragraphs" => (
            "paragraphs.txt",
            format!(
                "Paragraphs headline\n\n{}",
                "Word.\n\n".repeat(16 * MIB / 7 - 10)
            )
            .into_bytes(),
            Expect::Articles(1, "Word."),
        ),
        "md_tiny_paragraphs" => (
            "paragraphs.md",
            format!(
                "# Paragraphs\n\n{}",
                "*Word.*\n\n".repeat(16 * MIB / 9 - 10)
            )
            .into_bytes(),
            Expect::Articles(1, "Word."),
        ),
        "txt_one_token" => (
            "token.txt",
            format!("One token headline\n\n{}\n", "a".repeat(MIB)).into_bytes(),
            Expect::Articles(1, "aaaa"),
        ),
        "txt_capitalised_run" => (
            "names.txt",
            format!(
                "Names headline\n\n{}",
                words(&mut rng, 16 * MIB - 64, true, " ")
            )
            .into_bytes(),
            Expect::Articles(1, "Amara"),
        ),
        "md_capitalised_run" => (
            "names.md",
            format!("# Names\n\n{}", words(&mut rng, 16 * MIB - 64, true, " ")).into_bytes(),
            Expect::Articles(1, "Amara"),
        ),
        "jsonl_odd_dates" => {
            let mut dated = String::new();
            for i in 0..200_000 {
                let date = ODD_DATES[i % ODD_DATES.len()];
                let _ = writeln!(
                    dated,
                    "{{\"id\":\"d{i}\",\"title\":\"Dated {i}\",\"body\":\"Body.\",\"date\":\"{date}\"}}"
                );
            }
            (
                "dates.jsonl",
                dated.into_bytes(),
                Expect::Articles(200_000, "Dated 0"),
            )
        }
        "csv_million_columns" => {
            let columns = 1_000_000;
            let mut csv = String::from("title,body");
            for i in 0..columns {
                let _ = write!(csv, ",c{i}");
            }
            csv.push_str("\nWide table,Body of the wide row.");
            csv.push_str(&",x".repeat(columns));
            csv.push('\n');
            (
                "wide.csv",
                csv.into_bytes(),
                Expect::Articles(1, "Wide table"),
            )
        }
        "jsonl_ten_million_records" => (
            "tiny.jsonl",
            "{\"title\":\"t\"}\n".repeat(10_000_000).into_bytes(),
            Expect::Articles(10_000_000, "t"),
        ),
        "warc_gigabyte_content_length" => {
            // A record claiming a gigabyte, 8 MiB of it there, then the records it would hide.
            let mut warc = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://big.example/\r\nContent-Length: 1073741824\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
            warc.extend_from_slice(words(&mut rng, 8 * MIB, false, " ").as_bytes());
            warc.extend_from_slice(b"\r\n\r\n");
            for i in 0..200 {
                warc.extend(warc_page(i));
            }
            (
                "big.warc",
                warc,
                Expect::Articles(200, "Record 0 of the crawl"),
            )
        }
        "warc_gzip_bomb" => {
            // A member inflating to 256 MiB of zeros (a record claiming them), a response whose
            // gzip payload inflates to 64 MiB, then good records, one gzip member each.
            let mut block = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://bomb.example/\r\nContent-Length: 268435456\r\n\r\n".to_vec();
            block.resize(block.len() + 256 * MIB, 0);
            let mut warc = gzip(&block);
            drop(block);
            let zeros = gzip(&vec![0u8; 64 * MIB]);
            let mut http =
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                    .to_vec();
            http.extend_from_slice(&zeros);
            let mut payload_bomb = format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://payload.example/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
                http.len()
            )
            .into_bytes();
            payload_bomb.extend_from_slice(&http);
            warc.extend(gzip(&payload_bomb));
            for i in 0..2000 {
                warc.extend(gzip(&warc_page(i)));
            }
            (
                "bomb.warc.gz",
                warc,
                Expect::Articles(2000, "Record 0 of the crawl"),
            )
        }
        "warc_million_tiny_records" => {
            let mut warc = Vec::with_capacity(120 * 1_000_000);
            for i in 0..1_000_000 {
                if i % 10_000 == 0 {
                    warc.extend(warc_page(i / 10_000));
                } else {
                    let _ = write!(
                        VecWriter(&mut warc),
                        "WARC/1.0\r\nWARC-Type: metadata\r\nContent-Length: 2\r\n\r\n{}\r\n\r\n\r\n",
                        i % 100
                    );
                }
            }
            (
                "tiny.warc",
                warc,
                Expect::Articles(100, "Record 0 of the crawl"),
            )
        }
        "feed_entity_expansion" => {
            // The billion laughs: ten levels of ten references, used by every item.
            let mut rss =
                String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol0 \"lol\">");
            for i in 1..10 {
                let _ = write!(
                    rss,
                    "<!ENTITY lol{i} \"{}\">",
                    format!("&lol{};", i - 1).repeat(10)
                );
            }
            rss.push_str("]><rss version=\"2.0\"><channel><title>Laughs</title>");
            for i in 0..20_000 {
                let _ = write!(
                    rss,
                    "<item><guid>g{i}</guid><title>Laughs {i} &lol9;</title><description>&lt;p&gt;Trade talks &lol9; in India.&lt;/p&gt;</description></item>"
                );
            }
            rss.push_str("</channel></rss>");
            (
                "laughs.rss",
                rss.into_bytes(),
                Expect::Articles(20_000, "Laughs 0"),
            )
        }
        _ => {
            let mut mixed = words(&mut rng, 8 * MIB, false, " ").into_bytes();
            mixed.extend_from_slice(b"\xff\xfe caf\xe9 \x93quoted\x94 \xc3\x28 ");
            mixed.extend_from_slice(words(&mut rng, 8 * MIB - 1024, false, " ").as_bytes());
            ("mixed.txt", mixed, Expect::Articles(1, "caf\u{e9}"))
        }
    };
    Case {
        name,
        file,
        bytes,
        expect,
    }
}

/// A WARC response record holding a small page, the `i`-th of a crawl.
fn warc_page(i: usize) -> Vec<u8> {
    let page = format!(
        "<html><head><title>Record {i} of the crawl</title></head><body><article><p>Ministers of India and France met for trade talks on Monday, record {i}.</p></article></body></html>"
    );
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://news.example/{i}\r\nWARC-Date: 2026-11-02T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes()
}

/// `bytes` as one gzip member.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// `write!` into a byte vector.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The process's anonymous resident memory in bytes (Linux), or 0.
fn rss_anon() -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("RssAnon:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU time of the calling thread in seconds (Linux), or 0.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}

/// Samples [`rss_anon`] every millisecond until stopped, keeping the highest.
struct Sampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    fn start() -> Sampler {
        let peak = Arc::new(AtomicU64::new(rss_anon()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_anon(), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        Sampler {
            peak,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak.load(Ordering::Relaxed).max(rss_anon())
    }
}

/// Parses and enriches one case; returns the articles and the text found, or the refusal.
/// A JSON Lines file or a web archive is read a chunk at a time, as `newsdex index` reads it.
fn run(enricher: &Enricher, case: &Case) -> Result<(usize, bool), String> {
    if corpus::is_streamed(case.file) {
        return run_streamed(enricher, case);
    }
    let parsed = corpus::parse_bytes(case.file, &case.bytes).map_err(|e| e.reason)?;
    let needle = match case.expect {
        Expect::Articles(_, needle) => needle,
        Expect::Refused(_) => "",
    };
    let found = parsed
        .articles
        .first()
        .is_some_and(|a| a.title.contains(needle) || a.body.contains(needle));
    let mut entities = 0usize;
    for article in &parsed.articles {
        let found = enricher.enrich(article);
        entities += found.people.len() + found.countries.len() + found.topics.len();
    }
    std::hint::black_box(entities);
    Ok((parsed.articles.len(), found))
}

/// [`run`] for a JSON Lines file or a web archive, read in chunks.
fn run_streamed(enricher: &Enricher, case: &Case) -> Result<(usize, bool), String> {
    let scan = corpus::scan_lines(case.file, case.bytes.as_slice())
        .map_err(|e| e.reason)?
        .ok_or("not read in chunks")?;
    let needle = match case.expect {
        Expect::Articles(_, needle) => needle,
        Expect::Refused(_) => "",
    };
    let mut found = None;
    let mut entities = 0usize;
    let read = corpus::read_lines(case.file, case.bytes.as_slice(), &scan, |articles| {
        if let Some(first) = articles.first() {
            found.get_or_insert(first.title.contains(needle) || first.body.contains(needle));
        }
        for article in &articles {
            let found = enricher.enrich(article);
            entities += found.people.len() + found.countries.len() + found.topics.len();
        }
    })
    .map_err(|e| e.reason)?;
    std::hint::black_box(entities);
    let articles = usize::try_from(read.articles).unwrap_or(usize::MAX);
    Ok((articles, found.unwrap_or(false)))
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let enricher = Enricher::new();
    let mut worst_speed = (0.0f64, "");
    let mut worst_rss = (0u64, "");
    let mut failures = Vec::new();
    println!(
        "{:<32} {:>8} {:>9} {:>9} {:>8} {:>10}  result",
        "case", "MiB", "wall s", "CPU s", "s/MiB", "RssAnon MB"
    );
    for name in CASES {
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        // Generated one at a time, so that only one case's bytes are held at once.
        let case = case(name);
        let mib = case.bytes.len() as f64 / MIB as f64;
        let sampler = Sampler::start();
        let started = Instant::now();
        let cpu_started = thread_cpu_seconds();
        let outcome = run(&enricher, &case);
        let cpu = thread_cpu_seconds() - cpu_started;
        let seconds = started.elapsed().as_secs_f64();
        let peak = sampler.finish();
        let per_mib = cpu / mib;
        let verdict = match (&case.expect, &outcome) {
            (Expect::Articles(n, _), Ok((got, true))) if got == n => Ok(format!("{got} articles")),
            (Expect::Refused(reason), Err(got)) if got.starts_with(reason) => {
                Ok(format!("refused: {got}"))
            }
            (_, got) => Err(format!("{got:?}")),
        };
        println!(
            "{:<32} {:>8.2} {:>9.3} {:>9.3} {:>8.3} {:>10.1}  {}",
            case.name,
            mib,
            seconds,
            cpu,
            per_mib,
            peak as f64 / 1e6,
            verdict.as_ref().unwrap_or_else(|e| e)
        );
        if per_mib > worst_speed.0 {
            worst_speed = (per_mib, case.name);
        }
        if peak > worst_rss.0 {
            worst_rss = (peak, case.name);
        }
        if let Err(got) = verdict {
            failures.push(format!("{}: read wrong: {got}", case.name));
        }
        if per_mib > MAX_SECONDS_PER_MIB {
            failures.push(format!("{}: {per_mib:.2} s/MiB", case.name));
        }
        if peak > MAX_RSS_BYTES {
            failures.push(format!("{}: {:.0} MB", case.name, peak as f64 / 1e6));
        }
    }
    println!(
        "worst: {:.3} CPU s/MiB ({}), peak RssAnon {:.1} MB ({})",
        worst_speed.0,
        worst_speed.1,
        worst_rss.0 as f64 / 1e6,
        worst_rss.1
    );
    if !failures.is_empty() {
        eprintln!("over the limits:\n  {}", failures.join("\n  "));
        std::process::exit(1);
    }
}
