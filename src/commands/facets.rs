//! `newsdex facets`: counts of matching articles by one dimension, as a table with bars.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;

use super::{Config, Outcome, filters, open};
use crate::article::FacetKind;
use crate::cli::FacetsArgs;
use crate::engine::{FacetTable, FacetsBy, FacetsRequest, params};
use crate::output::{human, json};

/// Runs `facets`.
pub fn run(config: &Config, args: &FacetsArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let by_name = args
        .by
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let by = params::facets_by(&by_name).map_err(anyhow::Error::msg)?;
    let kind = match by {
        FacetsBy::Kind(kind) => Some(kind),
        FacetsBy::Period(_) => None,
    };
    let FacetTable { total, buckets } = engine.facets(&FacetsRequest {
        text: args.query.clone().unwrap_or_default(),
        filters: filters(&args.filters),
        by,
        top: args.limit,
    })?;
    let by = by_name;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let object = json::FacetsJson {
            by: by.clone(),
            query: args.query.clone(),
            total,
            buckets: json::buckets(&buckets, kind == Some(FacetKind::Country)),
        };
        serde_json::to_writer(&mut out, &object)?;
        writeln!(out)?;
    } else {
        let is_terminal = std::io::stdout().is_terminal();
        let columns = is_terminal
            .then(|| terminal_size::terminal_size().map(|(width, _)| usize::from(width.0)))
            .flatten();
        let painter = human::Painter::new(is_terminal);
        let names = kind == Some(FacetKind::Country);
        human::facet_table(&mut out, &by, total, &buckets, names, columns, painter)?;
    }
    out.flush()?;
    Ok(if total == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
