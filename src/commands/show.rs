//! `newsdex show`: one article in full.

use std::io::{IsTerminal, Write};

use anyhow::{Result, bail};

use super::{Config, Outcome, open};
use crate::cli::ShowArgs;
use crate::output::{human, json};

/// Runs `show`.
pub fn run(config: &Config, args: &ShowArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let Some(stored) = engine.article(&args.id)? else {
        bail!("no article with id `{}` in {}", args.id, engine.location());
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer(&mut out, &json::show(&stored))?;
        writeln!(out)?;
    } else {
        human::show(
            &mut out,
            &stored,
            human::Painter::new(std::io::stdout().is_terminal()),
        )?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
