//! `newsdex stories`: the stories of the matching articles, largest or newest first, with
//! their span, articles, sources, people and countries.

use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Result;

use super::{Config, Outcome, filters, open};
use crate::archive::stories::Story;
use crate::cli::{StoriesArgs, StorySortArg};
use crate::output::{human, json};
use crate::search::SearchRequest;

/// The best-matching articles whose stories a query lists.
const MATCHING_ARTICLES: usize = 1_000;

/// Runs `stories`.
pub fn run(config: &Config, args: &StoriesArgs) -> Result<Outcome> {
    let engine = open(config)?;
    let stories = engine.stories()?;
    let text = args.query.clone().unwrap_or_default();
    let filters = filters(&args.filters);
    let everything = text.trim().is_empty() && filters == crate::search::Filters::default();
    // Each story listed with the articles of it that match.
    let mut listed: Vec<(&Story, u64)> = Vec::new();
    let total = if everything {
        listed.extend(
            stories
                .stories
                .values()
                .map(|story| (story, u64::from(story.articles))),
        );
        stories.articles.len() as u64
    } else {
        let mut request = SearchRequest::new(&text);
        request.filters = filters;
        request.limit = MATCHING_ARTICLES;
        let results = engine.search(&request)?;
        let mut matching: BTreeMap<&str, u64> = BTreeMap::new();
        for hit in &results.hits {
            if let Some(story) = &hit.stored.story {
                *matching.entry(story.id.as_str()).or_default() += 1;
            }
        }
        for (id, count) in matching {
            if let Some(story) = stories.stories.get(id) {
                listed.push((story, count));
            }
        }
        results.total
    };
    match args.sort {
        StorySortArg::Size => listed.sort_by(|a, b| {
            (b.0.articles, b.0.last, &a.0.id).cmp(&(a.0.articles, a.0.last, &b.0.id))
        }),
        StorySortArg::Newest => listed.sort_by(|a, b| {
            (b.0.last, b.0.articles, &a.0.id).cmp(&(a.0.last, a.0.articles, &b.0.id))
        }),
    }
    let found = listed.len();
    listed.truncate(args.limit);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        let object = json::stories(args.query.as_deref(), total, found, &listed);
        serde_json::to_writer(&mut out, &object)?;
        writeln!(out)?;
    } else {
        let painter = human::Painter::new(std::io::stdout().is_terminal());
        human::stories(&mut out, total, found, &listed, painter)?;
    }
    out.flush()?;
    Ok(if found == 0 {
        Outcome::Nothing
    } else {
        Outcome::Success
    })
}
