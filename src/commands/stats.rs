//! `newsdex stats`: what the index holds.

use std::io::Write;

use anyhow::Result;

use super::{Config, Outcome};
use crate::engine::{Engine, IndexLocation};
use crate::index::NewsIndex;
use crate::output::json;

/// Runs `stats`. It never builds an index: it reports on the one there is.
pub fn run(config: &Config, args: &crate::cli::StatsArgs) -> Result<Outcome> {
    let engine: Box<dyn Engine> = match &config.index {
        IndexLocation::Folder(dir) => Box::new(NewsIndex::open(dir)?),
        IndexLocation::Cluster(_) => super::open(config)?,
    };
    let stats = json::stats(&engine.stats()?);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        writeln!(out, "index           {}", engine.location())?;
        writeln!(out, "articles        {}", stats.articles)?;
        writeln!(out, "copies          {}", stats.copies)?;
        writeln!(out, "files           {}", stats.files)?;
        writeln!(
            out,
            "size            {:.1} MB",
            stats.size_bytes as f64 / 1e6
        )?;
        writeln!(out, "segments        {}", stats.segments)?;
        writeln!(out, "schema version  {}", stats.schema_version)?;
        writeln!(
            out,
            "last indexed    {}",
            stats.last_indexed.as_deref().unwrap_or("never")
        )?;
        writeln!(
            out,
            "corpus          {}",
            stats.corpus.as_deref().unwrap_or("unknown")
        )?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
