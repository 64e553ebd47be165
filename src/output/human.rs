//! Terminal rendering: ranked hits with highlighted snippets, articles, facet tables with bars,
//! index statistics. Colour only when the stream is a terminal and `NO_COLOR` is unset.

use std::io::{self, Write};

use crate::article::StoredArticle;
use crate::article::{CopyAt, CountryCode};
use crate::enrich::countries::country_name;
use crate::report::IndexReport;
use crate::search::explain::Explanation;
use crate::search::suggest::Suggestion;
use crate::search::{FacetCount, Hit, SearchResults, Snippet};

/// Whether and how to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Painter {
    color: bool,
}

impl Painter {
    /// Colour when `is_terminal` and `NO_COLOR` is unset or empty.
    pub fn new(is_terminal: bool) -> Painter {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Painter {
            color: is_terminal && !no_color,
        }
    }

    /// A painter that never colours.
    pub fn plain() -> Painter {
        Painter { color: false }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn highlight(self, text: &str) -> String {
        if self.color {
            self.paint("1;31", text)
        } else {
            format!("[{text}]")
        }
    }
}

/// Prints the hits of a search, numbered from `offset + 1`.
pub fn search(
    out: &mut dyn Write,
    results: &SearchResults,
    offset: usize,
    painter: Painter,
) -> io::Result<()> {
    for (rank, hit) in results.hits.iter().enumerate() {
        write_hit(out, offset + rank + 1, hit, painter)?;
    }
    let shown = results.hits.len();
    let summary = match shown {
        0 if results.total == 0 => "no articles match".to_string(),
        0 => format!("{} articles match; none on this page", results.total),
        _ => format!(
            "{}-{} of {} article{}",
            offset + 1,
            offset + shown,
            results.total,
            if results.total == 1 { "" } else { "s" }
        ),
    };
    writeln!(out, "{}", painter.dim(&summary))?;
    for (kind, counts) in &results.facets {
        writeln!(
            out,
            "{}: {}",
            painter.bold(kind.key()),
            facet_line(counts, kind.key())
        )?;
    }
    if let (Some(first), Some(last)) = (results.timeline.first(), results.timeline.last()) {
        let line = format!(
            "{} {} {}",
            first.value,
            sparkline(&results.timeline),
            last.value
        );
        writeln!(out, "{}: {line}", painter.bold("months"))?;
    }
    Ok(())
}

/// One character per bucket, from `▁` (fewest) to `█` (the most); blank for none.
pub fn sparkline(buckets: &[FacetCount]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    buckets
        .iter()
        .map(|b| match b.count {
            0 => ' ',
            count => LEVELS[((count * 8).div_ceil(max).clamp(1, 8) - 1) as usize],
        })
        .collect()
}

fn facet_line(counts: &[FacetCount], key: &str) -> String {
    counts
        .iter()
        .map(|c| {
            let label = match key {
                "country" => country_name(&c.value).unwrap_or(&c.value).to_string(),
                _ => c.value.clone(),
            };
            format!("{label} ({})", c.count)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_hit(out: &mut dyn Write, rank: usize, hit: &Hit, painter: Painter) -> io::Result<()> {
    let article = &hit.stored.article;
    writeln!(out, "{:>3}. {}", rank, painter.bold(&article.title))?;
    let mut meta = Vec::new();
    meta.push(article.published.map_or("undated".to_string(), |t| {
        t.strftime("%Y-%m-%d").to_string()
    }));
    if let Some(source) = &article.source {
        meta.push(source.clone());
    }
    meta.push(article.path.clone());
    if !hit.stored.entities.countries.is_empty() {
        meta.push(country_list(&hit.stored.entities.countries));
    }
    writeln!(out, "     {}", painter.dim(&meta.join(" · ")))?;
    let snippet = paint_snippet(&hit.snippet, painter);
    if !snippet.is_empty() {
        writeln!(out, "     {snippet}")?;
    }
    if !hit.stored.also_at.is_empty() {
        writeln!(
            out,
            "     {}",
            painter.dim(&format!(
                "also at {}",
                shortened_list(&copy_labels(&hit.stored.also_at), 3)
            ))
        )?;
    }
    writeln!(out, "     {}", painter.dim(&format!("id {}", article.id)))?;
    if let Some(explanation) = &hit.explanation {
        for line in explanation_lines(explanation) {
            writeln!(out, "     {line}")?;
        }
    }
    writeln!(out)
}

/// The lines of `search --explain` under a hit: the score, one line per part, the recency factor.
pub fn explanation_lines(explanation: &Explanation) -> Vec<String> {
    let mut lines = vec![format!("score {:.4} =", explanation.score)];
    for part in &explanation.parts {
        let words = if part.phrase {
            format!("\"{}\"", part.words.join(" "))
        } else {
            part.words.join(" ")
        };
        let boost = if part.boost == 1.0 {
            String::new()
        } else {
            format!(" × boost {}", part.boost)
        };
        lines.push(format!(
            "  {:>9.4}  {:<8} {:<16} bm25 {:.4}{boost}",
            part.score, part.field, words, part.bm25
        ));
    }
    if let Some(recency) = explanation.recency {
        lines.push(format!(
            "ranked by {:.4} × recency {recency:.4} = {:.4}",
            explanation.score,
            f64::from(explanation.score) * recency
        ));
    }
    lines
}

/// The first `max` items joined with commas, and how many more there are.
fn shortened_list(items: &[String], max: usize) -> String {
    let mut list = items[..items.len().min(max)].join(", ");
    if items.len() > max {
        list.push_str(&format!(" and {} more", items.len() - max));
    }
    list
}

/// The copies as the terminal names them: paths, and a record's line and id.
fn copy_labels(copies: &[CopyAt]) -> Vec<String> {
    copies.iter().map(CopyAt::label).collect()
}

fn country_list(codes: &[CountryCode]) -> String {
    codes
        .iter()
        .map(|c| country_name(c.as_str()).unwrap_or(c.as_str()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The snippet on one line with its highlights painted.
pub fn paint_snippet(snippet: &Snippet, painter: Painter) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    for (piece, highlighted) in snippet.pieces() {
        if highlighted {
            out.push_str(&painter.highlight(piece));
        } else {
            out.push_str(piece);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints one whole article.
pub fn show(out: &mut dyn Write, stored: &StoredArticle, painter: Painter) -> io::Result<()> {
    let article = &stored.article;
    writeln!(out, "{}", painter.bold(&article.title))?;
    if let Some(subtitle) = &article.subtitle {
        writeln!(out, "{subtitle}")?;
    }
    let story = stored.story.as_ref().map(|story| {
        let others = story.articles.saturating_sub(1);
        let plural = if others == 1 { "" } else { "s" };
        format!(
            "{} ({}; {others} other article{plural})",
            story.id, story.headline
        )
    });
    let rows: [(&str, Option<String>); 12] = [
        ("id", Some(article.id.to_string())),
        ("path", Some(article.path.clone())),
        ("also at", Some(copy_labels(&stored.also_at).join(", "))),
        ("published", article.published.map(|t| t.to_string())),
        ("byline", article.byline.clone()),
        ("source", article.source.clone()),
        ("url", article.url.clone()),
        ("countries", Some(country_list(&stored.entities.countries))),
        ("people", Some(stored.people_names().join(", "))),
        ("orgs", Some(stored.org_names().join(", "))),
        ("topics", Some(topic_list(stored))),
        ("story", story),
    ];
    writeln!(out)?;
    for (label, value) in rows {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            writeln!(out, "{:>10}  {}", painter.dim(label), value)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", article.body)
}

/// The topics, main topic first, with how sure the main topic is when known.
fn topic_list(stored: &StoredArticle) -> String {
    let topics = stored.entities.topics.join(", ");
    let confidence = stored.entities.topic_confidence;
    if topics.is_empty() || confidence <= 0.0 {
        topics
    } else {
        format!("{topics} (confidence {confidence:.2})")
    }
}

/// The "did you mean" lines for query words that matched nothing (for stderr).
pub fn suggestion_lines(query: &str, suggestions: &[Suggestion]) -> Vec<String> {
    let mut lines: Vec<String> = suggestions
        .iter()
        .map(|s| match s.alternatives.as_slice() {
            [] => format!("note: no article contains `{}`", s.word),
            alternatives => format!(
                "note: no article contains `{}`; did you mean {}?",
                s.word,
                alternatives.join(", ")
            ),
        })
        .collect();
    if let Some(corrected) = crate::search::suggest::corrected_query(query, suggestions) {
        lines.push(format!("try: newsdex search '{corrected}'"));
    }
    lines
}

/// The one-line summary of an index run, for stderr.
pub fn report_line(report: &IndexReport) -> String {
    let copies = match report.copies {
        0 => String::new(),
        1 => " (+1 copy)".to_string(),
        n => format!(" (+{n} copies)"),
    };
    format!(
        "indexed: {} added, {} updated, {} removed, {} unchanged, {} failed; {} articles{} in {:.2}s",
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.failed.len(),
        report.articles,
        copies,
        report.seconds
    )
}

/// Width of the bars of a facet table when the output is not a terminal.
pub const DEFAULT_BAR_WIDTH: usize = 40;

/// Prints a facet table: value, count and a bar scaled to the largest count, the table fitting
/// in `columns` characters (the bar between 10 and 60 cells).
pub fn facet_table(
    out: &mut dyn Write,
    by: &str,
    total: u64,
    buckets: &[FacetCount],
    country_names: bool,
    columns: Option<usize>,
    painter: Painter,
) -> io::Result<()> {
    let labels: Vec<String> = buckets
        .iter()
        .map(
            |b| match country_names.then(|| country_name(&b.value)).flatten() {
                Some(name) => format!("{name} ({})", b.value),
                None => b.value.clone(),
            },
        )
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let count_width = max.to_string().len();
    let bar_width = columns.map_or(DEFAULT_BAR_WIDTH, |columns| {
        columns
            .saturating_sub(width + count_width + 5)
            .clamp(10, 60)
    });
    for (label, bucket) in labels.iter().zip(buckets) {
        let bar = bar(bucket.count, max, bar_width);
        writeln!(
            out,
            "{label:<width$}  {:>count_width$}  {}",
            bucket.count,
            painter.paint("36", &bar)
        )?;
    }
    writeln!(
        out,
        "{}",
        painter.dim(&format!("{total} matching articles, by {by}"))
    )
}

/// A bar of eighth-blocks for `count` out of `max`, at most `width` cells.
pub fn bar(count: u64, max: u64, width: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = (count as u128 * width as u128 * 8 / max.max(1) as u128) as usize;
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push(PARTS[eighths % 8 - 1]);
    }
    bar
}

/// Prints `stories` (each story with its matching articles): a line with its id, articles,
/// span and headline, then its sources, people and countries.
pub fn stories(
    out: &mut dyn Write,
    total: u64,
    found: usize,
    listed: &[(&crate::archive::stories::Story, u64)],
    painter: Painter,
) -> io::Result<()> {
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let stories_word = if found == 1 { "story" } else { "stories" };
    writeln!(
        out,
        "{} in {found} {stories_word}",
        plural(total, "matching article")
    )?;
    let names = |values: &[(String, u32)], countries: bool| -> String {
        values
            .iter()
            .take(5)
            .map(|(value, count)| {
                let name = if countries {
                    country_name(value).unwrap_or(value).to_string()
                } else {
                    value.clone()
                };
                format!("{name} ({count})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (story, matching) in listed {
        let span = match (story.first, story.last) {
            (Some(first), Some(last)) if first == last => super::json::day_text(first),
            (Some(first), Some(last)) => format!(
                "{} to {}",
                super::json::day_text(first),
                super::json::day_text(last)
            ),
            _ => "undated".to_string(),
        };
        let articles = u64::from(story.articles);
        let count = if *matching == articles {
            plural(articles, "article")
        } else {
            format!("{} ({matching} matching)", plural(articles, "article"))
        };
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}",
            painter.dim(&story.id),
            painter.bold(&story.headline)
        )?;
        writeln!(out, "{:>11}  {count}, {span}", painter.dim("articles"))?;
        for (label, value) in [
            ("sources", names(&story.sources, false)),
            ("people", names(&story.people, false)),
            ("countries", names(&story.countries, true)),
        ] {
            if !value.is_empty() {
                writeln!(out, "{:>11}  {value}", painter.dim(label))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    #[test]
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 4), "▎");
        assert_eq!(bar(0, 10, 4), "");
    }

    #[test]
    fn sparklines_scale_to_the_busiest_period() {
        let buckets: Vec<FacetCount> = [0, 1, 4, 8, 2]
            .into_iter()
            .map(|count| FacetCount {
                value: String::new(),
                count,
            })
            .collect();
        assert_eq!(sparkline(&buckets), " ▁▄█▂");
    }

    #[test]
    fn plain_snippets_mark_highlights_with_brackets() {
        let snippet = Snippet {
            text: "US  and India\ntrade".into(),
            highlights: vec![Range { start: 8, end: 13 }],
        };
        assert_eq!(
            paint_snippet(&snippet, Painter::plain()),
            "US and [India] trade"
        );
    }
}
