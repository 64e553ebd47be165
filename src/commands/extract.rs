//! `newsdex extract`: parse and enrich files without an index, for checks and debugging.

use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Result;

use super::{Config, Outcome};
use crate::article::StoredArticle;
use crate::cli::ExtractArgs;
use crate::corpus;
use crate::enrich::Enricher;
use crate::output::{human, json};

/// Runs `extract`. Files that fail are reported on stderr and the others still printed.
pub fn run(config: &Config, args: &ExtractArgs) -> Result<Outcome> {
    let enricher = match &config.gazetteer {
        Some(dir) => Enricher::with_extra(dir)?,
        None => Enricher::new(),
    };
    // Buffered: standard output is line-buffered, a write per article otherwise.
    let mut out = BufWriter::new(std::io::stdout().lock());
    let painter = human::Painter::new(std::io::stdout().is_terminal());
    let mut failures = 0usize;
    for root in &args.paths {
        if !root.exists() {
            eprintln!("error: {}: no such file or folder", root.display());
            failures += 1;
            continue;
        }
        let (files, errors) = corpus::walk(root);
        for error in errors {
            eprintln!("warning: {error}");
            failures += 1;
        }
        for file in files {
            let parsed = match corpus::parse(&file) {
                Ok(parsed) => parsed,
                Err(error) => {
                    eprintln!("warning: {error}");
                    failures += 1;
                    continue;
                }
            };
            for warning in &parsed.warnings {
                eprintln!("warning: {}: {warning}", file.rel_path);
            }
            for mut article in parsed.articles {
                let entities = enricher.enrich_article(&mut article);
                let stored = StoredArticle {
                    article,
                    entities,
                    also_at: Vec::new(),
                };
                if args.json {
                    serde_json::to_writer(&mut out, &json::ExtractJson::new(&stored))?;
                    writeln!(out)?;
                } else {
                    human::show(&mut out, &stored, painter)?;
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if failures == 0 {
        Outcome::Success
    } else {
        Outcome::Nothing
    })
}
