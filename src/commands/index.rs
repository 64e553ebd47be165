//! `newsdex index`: build or refresh the index and report what changed.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::{Config, Outcome};
use crate::cli::IndexArgs;
use crate::index::build;
use crate::output::human;

/// Runs `index`.
pub fn run(config: &Config, args: &IndexArgs) -> Result<Outcome> {
    let mut options = config.build_options(&args.corpus);
    options.full = args.full;
    options.progress = !args.quiet && std::io::stderr().is_terminal();
    let report = build(&options)?;
    for failed in &report.failed {
        eprintln!("warning: {}: {}", failed.path, failed.error);
    }
    if !args.quiet {
        eprintln!("{}", human::report_line(&report));
    }
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    }
    Ok(if report.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Nothing
    })
}
