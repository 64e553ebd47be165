//! JSON wire types: the shapes scripts rely on (see the README), kept apart from the domain
//! types so that changing one never silently changes the other.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::article::StoredArticle;
use crate::engine::Stats;
use crate::enrich::countries::country_name;
use crate::search::{FacetCount, Hit, SearchResults, Snippet};

/// A country as printed: code and name.
#[derive(Debug, Serialize)]
pub struct CountryJson {
    /// ISO code.
    pub code: String,
    /// Common English short name.
    pub name: String,
}

/// A person or organisation of an article, resolved across the archive.
#[derive(Debug, Serialize)]
pub struct EntityJson {
    /// `person` or `org`.
    pub kind: &'static str,
    /// Stable id (`p…`, `o…`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// The forms this article used.
    pub forms: Vec<String>,
}

impl EntityJson {
    /// The people, then the organisations, of `stored`.
    pub fn all(stored: &StoredArticle) -> Vec<EntityJson> {
        let people = stored.people.iter().map(|name| ("person", name));
        let orgs = stored.orgs.iter().map(|name| ("org", name));
        people
            .chain(orgs)
            .map(|(kind, name)| EntityJson {
                kind,
                id: name.id.clone(),
                name: name.name.clone(),
                forms: name.forms.clone(),
            })
            .collect()
    }
}

/// The fields every article carries in JSON output.
#[derive(Debug, Serialize)]
pub struct ArticleJson {
    /// Article id.
    pub id: String,
    /// Source file path relative to the corpus root.
    pub path: String,
    /// Headline.
    pub title: String,
    /// RFC 3339 publication time, or null.
    pub published: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// People, most salient first, under their canonical names.
    pub people: Vec<String>,
    /// Organisations, most salient first, under their canonical names.
    pub orgs: Vec<String>,
    /// The people and organisations resolved across the archive: kind, stable id, canonical
    /// name and the forms this article used; left out when not resolved (`extract
    /// --per-article`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityJson>,
    /// Countries, most salient first.
    pub countries: Vec<CountryJson>,
    /// Topic paths, main topic first.
    pub topics: Vec<String>,
    /// How sure the main topic is, from 0 to 1, to three decimals; 0 without topic evidence or
    /// for text not in English.
    pub topic_confidence: f64,
    /// The files holding the same article text (syndicated copies), one a copy, sorted; left
    /// out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<String>,
    /// The same copies, in the same order, each with its own id and, where its file is read by
    /// lines (JSON Lines, CSV), the line its record starts on; left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<CopyJson>,
    /// The story the article belongs to; left out when it is in none (or not yet placed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<StoryJson>,
}

/// One syndicated copy of an article.
#[derive(Debug, Serialize)]
pub struct CopyJson {
    /// Path of its file.
    pub path: String,
    /// Its own id (`show` with it shows the article).
    pub id: String,
    /// The line its record starts on (counted from 1), for a record of a JSON Lines or CSV
    /// file; left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// An article's story as printed.
#[derive(Debug, Serialize)]
pub struct StoryJson {
    /// Stable id (`s…`).
    pub id: String,
    /// The title of its most central article.
    pub headline: String,
    /// Its articles.
    pub articles: u32,
}

impl ArticleJson {
    /// The JSON view of an article and its entities.
    pub fn new(stored: &StoredArticle) -> ArticleJson {
        let article = &stored.article;
        ArticleJson {
            id: article.id.to_string(),
            path: article.path.clone(),
            title: article.title.clone(),
            published: article.published.map(|t| t.to_string()),
            source: article.source.clone(),
            url: article.url.clone(),
            people: stored.people_names(),
            orgs: stored.org_names(),
            entities: EntityJson::all(stored),
            countries: stored
                .entities
                .countries
                .iter()
                .map(|code| CountryJson {
                    code: code.to_string(),
                    name: country_name(code.as_str())
                        .unwrap_or(code.as_str())
                        .to_string(),
                })
                .collect(),
            topics: stored.entities.topics.clone(),
            topic_confidence: (f64::from(stored.entities.topic_confidence) * 1000.0).round()
                / 1000.0,
            also_at: stored.also_at_paths(),
            copies: stored
                .also_at
                .iter()
                .map(|copy| CopyJson {
                    path: copy.path.clone(),
                    id: copy.id.to_string(),
                    line: copy.place.line(),
                })
                .collect(),
            story: stored.story.as_ref().map(|story| StoryJson {
                id: story.id.clone(),
                headline: story.headline.clone(),
                articles: story.articles,
            }),
        }
    }
}

/// An article as `extract --json` prints it: the fields of every article, with what only
/// extraction knows.
#[derive(Debug, Serialize)]
pub struct ExtractJson {
    /// The article fields.
    #[serde(flatten)]
    pub article: ArticleJson,
    /// ISO 639-1 language code (the record's, or detected), or null when undetermined.
    pub lang: Option<String>,
    /// Author line, as read.
    pub byline: Option<String>,
    /// The body text read, paragraphs separated by a blank line, so that a user can check what
    /// a page gave.
    pub body: String,
}

impl ExtractJson {
    /// The JSON view of a freshly extracted article.
    pub fn new(stored: &StoredArticle) -> ExtractJson {
        ExtractJson {
            article: ArticleJson::new(stored),
            lang: stored.article.lang.clone(),
            byline: stored.article.byline.clone(),
            body: stored.article.body.clone(),
        }
    }
}

/// One search hit.
#[derive(Debug, Serialize)]
pub struct HitJson {
    /// The article fields.
    #[serde(flatten)]
    pub article: ArticleJson,
    /// BM25 score.
    pub score: f32,
    /// Best passage, matched terms in `<b>`...`</b>`, HTML-escaped.
    pub snippet: String,
    /// What made the score, with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<ExplainJson>,
}

/// A hit's score explained, in `search --explain --json`.
#[derive(Debug, Serialize)]
pub struct ExplainJson {
    /// The score: the sum of the parts' scores.
    pub score: f32,
    /// One part per word or phrase matched in a field.
    pub parts: Vec<PartJson>,
    /// The `--recent` factor of the ranking, or null.
    pub recency: Option<f64>,
}

/// One part of an explained score.
#[derive(Debug, Serialize)]
pub struct PartJson {
    /// Field name.
    pub field: String,
    /// Indexed words matched (stems in stemmed fields).
    pub words: Vec<String>,
    /// Whether they matched as a phrase.
    pub phrase: bool,
    /// BM25 value before boosts.
    pub bm25: f32,
    /// Product of the boosts applied.
    pub boost: f32,
    /// `bm25 × boost`.
    pub score: f32,
}

/// A full article, for `show`.
#[derive(Debug, Serialize)]
pub struct ShowJson {
    /// The article fields.
    #[serde(flatten)]
    pub article: ArticleJson,
    /// Dek.
    pub subtitle: Option<String>,
    /// Author line.
    pub byline: Option<String>,
    /// Language.
    pub lang: Option<String>,
    /// Body text.
    pub body: String,
}

/// One facet value.
#[derive(Debug, Serialize)]
pub struct BucketJson {
    /// The value.
    pub value: String,
    /// Display name, for countries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Matching articles.
    pub count: u64,
}

/// The output of `search --json`.
#[derive(Debug, Serialize)]
pub struct SearchJson {
    /// The query as given.
    pub query: String,
    /// Matching articles in all.
    pub total: u64,
    /// The page of hits.
    pub hits: Vec<HitJson>,
    /// Counts per kind, with `--facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<&'static str, Vec<BucketJson>>>,
    /// The query's words that match no article and the nearest words of the index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<SuggestionJson>,
}

/// A word of a query that matched nothing, in `search --json`.
#[derive(Debug, Serialize)]
pub struct SuggestionJson {
    /// The word as typed.
    pub word: String,
    /// The nearest words of the index, best first (may be empty).
    pub alternatives: Vec<String>,
}

/// The output of `facets --json`.
#[derive(Debug, Serialize)]
pub struct FacetsJson {
    /// The dimension counted.
    pub by: String,
    /// The query, or null for the whole index.
    pub query: Option<String>,
    /// Matching articles in all.
    pub total: u64,
    /// Values and counts.
    pub buckets: Vec<BucketJson>,
}

/// The output of `stats --json`.
#[derive(Debug, Serialize)]
pub struct StatsJson {
    /// Articles in the index, each counted once however many files hold it.
    pub articles: u64,
    /// Copies: articles whose text is already indexed from another file.
    pub copies: u64,
    /// Corpus files they came from.
    pub files: u64,
    /// Bytes the index takes on disk.
    pub size_bytes: u64,
    /// Index segments.
    pub segments: usize,
    /// Schema version.
    pub schema_version: u32,
    /// Time of the last commit.
    pub last_indexed: Option<String>,
    /// Corpus folder last indexed.
    pub corpus: Option<String>,
}

/// The `stats --json` object.
pub fn stats(stats: &Stats) -> StatsJson {
    StatsJson {
        articles: stats.articles,
        copies: stats.copies,
        files: stats.files,
        size_bytes: stats.size_bytes,
        segments: stats.segments,
        schema_version: stats.schema_version,
        last_indexed: stats.last_indexed.map(|time| time.to_string()),
        corpus: stats.corpus.clone(),
    }
}

/// Marks the highlighted ranges of a snippet with `<b>`, escaping the text as HTML.
pub fn mark_snippet(snippet: &Snippet) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    for (piece, highlighted) in snippet.pieces() {
        if highlighted {
            out.push_str("<b>");
            escape_into(&mut out, piece);
            out.push_str("</b>");
        } else {
            escape_into(&mut out, piece);
        }
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The buckets of one facet kind, with country names.
pub fn buckets(counts: &[FacetCount], with_names: bool) -> Vec<BucketJson> {
    counts
        .iter()
        .map(|count| BucketJson {
            value: count.value.clone(),
            name: if with_names {
                country_name(&count.value).map(str::to_string)
            } else {
                None
            },
            count: count.count,
        })
        .collect()
}

/// The `search --json` object.
pub fn search(query: &str, results: &SearchResults, with_facets: bool) -> SearchJson {
    let hits = results.hits.iter().map(hit).collect();
    let facets = with_facets.then(|| {
        results
            .facets
            .iter()
            .map(|(kind, counts)| {
                (
                    kind.key(),
                    buckets(counts, *kind == crate::article::FacetKind::Country),
                )
            })
            .collect()
    });
    SearchJson {
        query: query.to_string(),
        total: results.total,
        hits,
        facets,
        suggestions: results
            .suggestions
            .iter()
            .map(|s| SuggestionJson {
                word: s.word.clone(),
                alternatives: s.alternatives.clone(),
            })
            .collect(),
    }
}

fn hit(hit: &Hit) -> HitJson {
    HitJson {
        article: ArticleJson::new(&hit.stored),
        score: hit.score,
        snippet: mark_snippet(&hit.snippet),
        explain: hit.explanation.as_ref().map(|e| ExplainJson {
            score: e.score,
            parts: e
                .parts
                .iter()
                .map(|p| PartJson {
                    field: p.field.clone(),
                    words: p.words.clone(),
                    phrase: p.phrase,
                    bm25: p.bm25,
                    boost: p.boost,
                    score: p.score,
                })
                .collect(),
            recency: e.recency,
        }),
    }
}

/// The `show --json` object.
pub fn show(stored: &StoredArticle) -> ShowJson {
    let article = &stored.article;
    ShowJson {
        article: ArticleJson::new(stored),
        subtitle: article.subtitle.clone(),
        byline: article.byline.clone(),
        lang: article.lang.clone(),
        body: article.body.clone(),
    }
}

/// A story as `stories --json` prints it.
#[derive(Debug, Serialize)]
pub struct StoryListedJson {
    /// Stable id (`s…`).
    pub id: String,
    /// The title of its most central article.
    pub headline: String,
    /// Its articles (copies not counted).
    pub articles: u32,
    /// Of them, the articles matching the query and filters.
    pub matching: u64,
    /// Its first and last days of publication (`YYYY-MM-DD`), null when no article is dated.
    pub first: Option<String>,
    /// See `first`.
    pub last: Option<String>,
    /// Its sources, most articles first.
    pub sources: Vec<BucketJson>,
    /// The people its articles name most, under their canonical names.
    pub people: Vec<BucketJson>,
    /// The countries its articles name most, with their names.
    pub countries: Vec<BucketJson>,
}

/// The `stories --json` object.
#[derive(Debug, Serialize)]
pub struct StoriesJson {
    /// The query, or null.
    pub query: Option<String>,
    /// Matching articles in all.
    pub total: u64,
    /// Stories holding them (before `--limit`).
    pub found: usize,
    /// The stories, in the order asked.
    pub stories: Vec<StoryListedJson>,
}

/// A day number (days since 1970-01-01) as `YYYY-MM-DD`.
pub fn day_text(day: i64) -> String {
    jiff::Timestamp::from_second(day * 86_400)
        .map(|at| at.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The `stories --json` object for `listed` (each story with its matching articles).
pub fn stories(
    query: Option<&str>,
    total: u64,
    found: usize,
    listed: &[(&crate::archive::stories::Story, u64)],
) -> StoriesJson {
    let counts = |values: &[(String, u32)], with_names: bool| -> Vec<BucketJson> {
        let counts: Vec<FacetCount> = values
            .iter()
            .map(|(value, count)| FacetCount {
                value: value.clone(),
                count: u64::from(*count),
            })
            .collect();
        buckets(&counts, with_names)
    };
    StoriesJson {
        query: query.map(str::to_string),
        total,
        found,
        stories: listed
            .iter()
            .map(|(story, matching)| StoryListedJson {
                id: story.id.clone(),
                headline: story.headline.clone(),
                articles: story.articles,
                matching: *matching,
                first: story.first.map(day_text),
                last: story.last.map(day_text),
                sources: counts(&story.sources, false),
                people: counts(&story.people, false),
                countries: counts(&story.countries, true),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    #[test]
    fn snippets_are_marked_and_escaped() {
        let snippet = Snippet {
            text: "Trade & <tariffs> trade".into(),
            highlights: vec![0..5, 18..23],
        };
        assert_eq!(
            mark_snippet(&snippet),
            "<b>Trade</b> &amp; &lt;tariffs&gt; <b>trade</b>"
        );
        let broken = Snippet {
            text: "abc".into(),
            highlights: vec![Range { start: 2, end: 9 }],
        };
        assert_eq!(mark_snippet(&broken), "abc");
    }
}
