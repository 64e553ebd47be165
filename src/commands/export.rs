//! `newsdex export`: every article as one JSON object a line, streamed in constant memory, for
//! Quickwit, Elasticsearch, DuckDB, pandas or any other tool that reads JSON Lines.

use std::io::{BufWriter, Write};

use anyhow::Result;

use super::{Config, Outcome, open};
use crate::cli::ExportArgs;
use crate::output::json;

/// Runs `export`.
pub fn run(config: &Config, _args: &ExportArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let exported = engine.export(&mut |stored| {
        serde_json::to_writer(&mut out, &json::show(stored))?;
        out.write_all(b"\n")
    })?;
    out.flush()?;
    eprintln!("exported {exported} articles from {}", engine.location());
    Ok(if exported == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
