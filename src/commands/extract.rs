//! `newsdex extract`: parse and enrich files without an index, for checks and debugging.

use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Result;

use super::{Config, Outcome};
use crate::archive::{self, Evidence};
use crate::article::StoredArticle;
use crate::cli::ExtractArgs;
use crate::corpus;
use crate::engine::resolved::resolve_article;
use crate::enrich::Enricher;
use crate::index::copies::text_key;
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
    let mut evidence = Evidence::default();
    let mut read: Vec<StoredArticle> = Vec::new();
    let mut seen: std::collections::HashSet<u64> = std::collections::HashSet::new();
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
                let stored = StoredArticle::new(article, entities);
                if args.per_article {
                    print(&mut out, &stored, args.json, painter)?;
                } else {
                    // A syndicated copy is evidence once, as in an index.
                    if seen.insert(text_key(&stored.article)) {
                        evidence.add(&stored.entities, stored.article.published);
                    }
                    read.push(stored);
                }
            }
        }
    }
    // The names resolved across everything read, as the archive stage resolves an index's.
    let names = archive::resolve(&evidence);
    for stored in read {
        print(
            &mut out,
            &resolve_article(&names, stored),
            args.json,
            painter,
        )?;
    }
    out.flush()?;
    Ok(if failures == 0 {
        Outcome::Success
    } else {
        Outcome::Nothing
    })
}

/// Prints one article, as JSON or for people.
fn print(
    out: &mut dyn Write,
    stored: &StoredArticle,
    json: bool,
    painter: human::Painter,
) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &json::ExtractJson::new(stored))?;
    } else {
        human::show(out, stored, painter)?;
    }
    writeln!(out)
}
