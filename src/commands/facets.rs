//! `newsdex facets`: counts of matching articles by one dimension, as a table with bars.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use clap::ValueEnum;

use super::{Outcome, filters, open_or_build};
use crate::cli::{ByArg, FacetsArgs};
use crate::index::schema::FacetKind;
use crate::output::{human, json};
use crate::search::timeline::{Granularity, timeline};
use crate::search::{SearchRequest, search};

/// Runs `facets`.
pub fn run(index_dir: &Path, args: &FacetsArgs) -> Result<Outcome> {
    let index = open_or_build(index_dir)?;
    let text = args.query.clone().unwrap_or_default();
    let filters = filters(&args.filters);
    let kind = match args.by {
        ByArg::Country => Some(FacetKind::Country),
        ByArg::Person => Some(FacetKind::Person),
        ByArg::Topic => Some(FacetKind::Topic),
        ByArg::Source => Some(FacetKind::Source),
        ByArg::Year | ByArg::Month => None,
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
            let granularity = if args.by == ByArg::Year {
                Granularity::Year
            } else {
                Granularity::Month
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
        let painter = human::Painter::new(std::io::stdout().is_terminal());
        human::facet_table(
            &mut out,
            &by,
            total,
            &buckets,
            kind == Some(FacetKind::Country),
            painter,
        )?;
    }
    out.flush()?;
    Ok(if total == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
