//! `newsdex similar`: articles like a given one.

use std::io::{IsTerminal, Write};

use anyhow::{Result, bail};

use super::{Config, Outcome, filters, open};
use crate::cli::SimilarArgs;
use crate::output::{human, json};
use crate::search::SearchRequest;

/// Runs `similar`.
pub fn run(config: &Config, args: &SimilarArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let mut request = SearchRequest::new("");
    request.filters = filters(&args.filters);
    request.limit = args.limit;
    let Some(results) = engine.similar(&args.id, &request)? else {
        bail!("no article with id `{}` in {}", args.id, engine.location());
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer(&mut out, &json::search(&args.id, &results, false))?;
        writeln!(out)?;
    } else {
        human::search(
            &mut out,
            &results,
            0,
            human::Painter::new(std::io::stdout().is_terminal()),
        )?;
    }
    out.flush()?;
    Ok(if results.total == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
