//! In-process search latency over an existing index: opens it once, then runs each query of a
//! file (one query a line, in newsdex's query syntax) through `newsdex::search::search` for
//! the top 10 with snippets, interleaved over several rounds, and prints p50, p95 and max in
//! microseconds, without and with facet counts. The CLI figures of `benches/compare/run.sh`
//! add process start-up, index opening and printing to these.
//!
//! ```sh
//! cargo run --release --example search_latency -- --index /tmp/idx --queries q.txt
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use newsdex::index::NewsIndex;
use newsdex::index::schema::FacetKind;
use newsdex::search::{SearchRequest, search};

/// Measure in-process search latency.
#[derive(Parser, Debug)]
struct Args {
    /// Index folder built by `newsdex index`.
    #[arg(long)]
    index: PathBuf,
    /// File of queries, one a line, in newsdex's syntax.
    #[arg(long)]
    queries: PathBuf,
    /// Timed rounds over all queries (after one untimed warm-up round).
    #[arg(long, default_value_t = 20)]
    rounds: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let index = NewsIndex::open(&args.index)
        .with_context(|| format!("cannot open {}", args.index.display()))?;
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("cannot read {}", args.queries.display()))?;
    let queries: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if queries.is_empty() {
        bail!("no queries in {}", args.queries.display());
    }
    println!("| request | p50 µs | p95 µs | max µs |");
    println!("|---|---:|---:|---:|");
    for (name, facets) in [
        ("top-10 with snippets", vec![]),
        (
            "top-10 with snippets and facets",
            vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic],
        ),
    ] {
        let requests: Vec<SearchRequest> = queries
            .iter()
            .map(|q| {
                let mut request = SearchRequest::new(q);
                request.facets = facets.clone();
                request
            })
            .collect();
        let mut samples = Vec::with_capacity(requests.len() * args.rounds);
        let mut hits = 0;
        for round in 0..=args.rounds {
            for request in &requests {
                let started = Instant::now();
                let results = search(&index, request)
                    .with_context(|| format!("query {:?} failed", request.text))?;
                let elapsed = started.elapsed().as_secs_f64() * 1e6;
                if round > 0 {
                    samples.push(elapsed);
                    hits += results.hits.len();
                }
            }
        }
        assert!(hits > 0, "no query found anything: wrong index?");
        samples.sort_by(f64::total_cmp);
        let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} |",
            at(0.5),
            at(0.95),
            samples[samples.len() - 1]
        );
    }
    Ok(())
}
