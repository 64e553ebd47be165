//! `newsdex facets`: counts of matching articles by one dimension, as a table with bars.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;

use super::{Config, Outcome, filters, open_or_build};
use crate::cli::{ByArg, FacetsArgs};
use crate::index::schema::FacetKind;
use crate::output::{human, json};
use crate::search::timeline::{Granularity, timeline};
use crate::search::{SearchRequest, search};

/// Runs `facets`.
pub fn run(config: &Config, args: &FacetsArgs) -> Result<Outcome> {
    let index = open_or_build(config)?;
    let text = args.query.clone().unwrap_or_default();
    let filters = filters(&args.filters);
    let kind = match args.by {
        ByArg::Country => Some(FacetKind::Country),
        ByArg::Person => Some(FacetKind::Person),
        ByArg::Topic => Some(FacetKind::Topic),
        ByArg::Source => Some(FacetKind::Source),
        ByArg::Lang => Some(FacetKind::Lang),
        ByArg::Year | ByArg::Month | ByArg::Week | ByArg::Day => None,
    };
    let (total, buckets) = match kind {
        Some(kind) => {
            let mut request = SearchRequest::new(&text);
            request.filters = filters;
            request.limit = 0;
            request.facets = vec![kind];
            request.facet_top = args.top;
            let mut results = search(&index, &request)?;
            (
                results.total,
                results.facets.remove(&kind).unwrap_or_default(),
            )
        }
        None => {
            let granularity = match args.by {
                ByArg::Year => Granularity::Year,
                ByArg::Week => Granularity::Week,
                ByArg::Day => Granularity::Day,
                _ => Granularity::Month,
            };

            let timeline = timeline(&index, &text, &filters, granularity)?;
            (timeline.total, timeline.buckets)
        }
    };
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
