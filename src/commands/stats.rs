//! `newsdex stats`: what the index holds.

use std::io::Write;

use anyhow::Result;

use super::{Config, Outcome};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::state::indexed_files;
use crate::index::{NewsIndex, copies};
use crate::output::json::StatsJson;

/// Runs `stats`.
pub fn run(config: &Config, args: &crate::cli::StatsArgs) -> Result<Outcome> {
    let index = NewsIndex::open(&config.index_dir)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let files = indexed_files(&searcher)?;
    let info = index.commit_info();
    let (articles, copies) = copies::counts(&searcher, index.fields())?;
    let stats = StatsJson {
        articles,
        copies,
        files: files.len() as u64,
        size_bytes: folder_size(&config.index_dir),
        segments: searcher.segment_readers().len(),
        schema_version: SCHEMA_VERSION,
        last_indexed: info.as_ref().map(|i| i.last_indexed.to_string()),
        corpus: info.map(|i| i.corpus),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        writeln!(out, "index           {}", config.index_dir.display())?;
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

fn folder_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}
