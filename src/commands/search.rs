//! `newsdex search`: ranked hits with snippets, optionally facet counts.

use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Result;

use super::{Config, Outcome, filters, open};
use crate::cli::{SearchArgs, SortArg};
use crate::engine::params;
use crate::output::{human, json};
use crate::search::SortOrder;

/// Runs `search`.
pub fn run(config: &Config, args: &SearchArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let sort = match args.sort {
        SortArg::Relevance => SortOrder::Relevance,
        SortArg::Date => SortOrder::Date,
    };
    let request = params::search_request(
        &args.query,
        filters(&args.filters),
        sort,
        args.limit,
        args.offset,
        params::Switches {
            facets: args.facets,
            recent: args.recent,
            explain: args.explain,
        },
    );
    let results = engine.search(&request)?;
    for line in human::suggestion_lines(&args.query, &results.suggestions) {
        eprintln!("{line}");
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &json::search(&args.query, &results, args.facets))?;
        writeln!(out)?;
    } else {
        let painter = human::Painter::new(std::io::stdout().is_terminal());
        human::search(&mut out, &results, args.offset, painter)?;
    }
    out.flush()?;
    // A command runs once per process (`main`), and a search is a short one: the index's maps
    // and caches go with the process when it exits, all at once, instead of being unmapped and
    // freed one by one first (about a tenth of a one-shot search's system time).
    std::mem::forget(engine);
    Ok(if results.total == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
