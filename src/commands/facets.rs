//! `newsdex facets`: counts of matching articles by one dimension, as a table with bars.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;

use super::{Config, Outcome, filters, open};
use crate::article::FacetKind;
use crate::cli::{ByArg, FacetsArgs};
use crate::engine::{FacetTable, FacetsBy, FacetsRequest};
use crate::output::{human, json};
use crate::search::timeline::Granularity;

/// Runs `facets`.
pub fn run(config: &Config, args: &FacetsArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let kind = match args.by {
        ByArg::Country => Some(FacetKind::Country),
        ByArg::Person => Some(FacetKind::Person),
        ByArg::Topic => Some(FacetKind::Topic),
        ByArg::Source => Some(FacetKind::Source),
        ByArg::Lang => Some(FacetKind::Lang),
        ByArg::Year | ByArg::Month | ByArg::Week | ByArg::Day => None,
    };
    let by = match (kind, args.by) {
        (Some(kind), _) => FacetsBy::Kind(kind),
        (None, ByArg::Year) => FacetsBy::Period(Granularity::Year),
        (None, ByArg::Week) => FacetsBy::Period(Granularity::Week),
        (None, ByArg::Day) => FacetsBy::Period(Granularity::Day),
        (None, _) => FacetsBy::Period(Granularity::Month),
    };
    let FacetTable { total, buckets } = engine.facets(&FacetsRequest {
        text: args.query.clone().unwrap_or_default(),
        filters: filters(&args.filters),
        by,
        top: args.top,
    })?;
    let by = args
        .by
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
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
