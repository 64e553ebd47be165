//! Searching an index: a [`SearchRequest`] becomes one tantivy query and one pass of collectors
//! (top hits, total count, facet counts), and comes back as plain data in [`SearchResults`].

pub mod collect;
pub mod explain;
pub mod period;
pub mod query;
pub mod similar;
pub mod snippet;
pub mod suggest;
pub mod timeline;

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::Timestamp;
use tantivy::collector::{Count, DocSetCollector, TopDocs};

use tantivy::{DocAddress, Score, SegmentReader, TantivyDocument};

use crate::article::{CountryCode, Place};
use crate::index::copies;
use crate::index::document::{StoredArticle, from_document, is_copy, stored_place, text_key_of};
use crate::index::schema::{FacetKind, Fields, PUBLISHED};
use crate::index::{IndexError, NewsIndex};
use collect::KeywordCounts;

/// Longest snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 220;

/// Filters of a request: values of one kind are OR-ed, kinds are AND-ed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// Country codes.
    pub countries: Vec<CountryCode>,
    /// Person names or surnames, as given: read as text unless `people_forms` is set.
    pub people: Vec<String>,
    /// Organisation names, as given: read as text unless `org_forms` is set.
    pub orgs: Vec<String>,
    /// The person filter as the archive resolved it (set by the request layer).
    pub people_forms: Option<NameForms>,
    /// The organisation filter as the archive resolved it (set by the request layer).
    pub org_forms: Option<NameForms>,
    /// Topic paths; a parent matches its subtopics.
    pub topics: Vec<String>,
    /// Sources, matched ignoring case.
    pub sources: Vec<String>,
    /// Language codes (`en`, `fr`), matched ignoring case.
    pub langs: Vec<String>,
    /// Published at or after.
    pub since: Option<Timestamp>,
    /// Published before.
    pub until: Option<Timestamp>,
    /// Story ids (`newsdex stories`): read through `story_keys`, which the request layer sets.
    pub stories: Vec<String>,
    /// The text keys of the articles of `stories`, as the archive placed them (set by the
    /// request layer); stories given and no keys match nothing.
    pub story_keys: Option<Vec<u64>>,
}

/// A person or organisation filter resolved against the archive's names: an article matches
/// when it holds any of the exact values, or any of the text names as a phrase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameForms {
    /// Exact `person_kw` values.
    pub person_kw: Vec<String>,
    /// Exact `org_kw` values.
    pub org_kw: Vec<String>,
    /// Names the archive does not know, matched as phrases in the entity's text field (a
    /// surname finds every full name that holds it).
    pub text: Vec<String>,
}

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best BM25 score first, ties broken by newest.
    #[default]
    Relevance,
    /// Newest first, undated last.
    Date,
}

/// A resolved search.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRequest {
    /// Query text in tantivy's query language; empty matches everything.
    pub text: String,
    /// Filters.
    pub filters: Filters,
    /// Order of hits.
    pub sort: SortOrder,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Facet kinds to count over the whole result set, and how many values of each to keep.
    pub facets: Vec<FacetKind>,
    /// Values kept per facet kind.
    pub facet_top: usize,
    /// In relevance order, boost newer articles (see [`recency_boost`]).
    pub recent: bool,
    /// Explain each hit's score (see [`explain`]).
    pub explain: bool,
    /// Person and organisation values that stand for one entity (set by the request layer):
    /// an article holding two of them is counted once, on the first.
    pub name_groups: Option<std::sync::Arc<NameGroups>>,
}

/// Which person and organisation values stand for one entity: each value of an entity with
/// several forms, mapped to the entity's number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameGroups {
    /// `person_kw` values.
    pub person: rustc_hash::FxHashMap<String, u32>,
    /// `org_kw` values.
    pub org: rustc_hash::FxHashMap<String, u32>,
}

impl SearchRequest {
    /// A request for the top 10 by relevance, no filters, no facets.
    pub fn new(text: &str) -> SearchRequest {
        SearchRequest {
            text: text.to_string(),
            filters: Filters::default(),
            sort: SortOrder::Relevance,
            limit: 10,
            offset: 0,
            facets: Vec::new(),
            facet_top: 10,
            recent: false,
            explain: false,
            name_groups: None,
        }
    }
}

/// A passage of the body with the matched terms marked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The text cut into pieces, each with whether it is highlighted; ranges that overlap or
    /// fall outside the text are skipped.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut pieces = Vec::with_capacity(self.highlights.len() * 2 + 1);
        let mut at = 0;
        for range in &self.highlights {
            let (Some(before), Some(marked)) =
                (self.text.get(at..range.start), self.text.get(range.clone()))
            else {
                continue;
            };
            if !before.is_empty() {
                pieces.push((before, false));
            }
            pieces.push((marked, true));
            at = range.end;
        }
        if let Some(rest) = self.text.get(at..).filter(|rest| !rest.is_empty()) {
            pieces.push((rest, false));
        }
        pieces
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The article and its entities.
    pub stored: StoredArticle,
    /// BM25 score (0 when the query has no text).
    pub score: Score,
    /// The best passage.
    pub snippet: Snippet,
    /// What made the score, when the request asked.
    pub explanation: Option<explain::Explanation>,
}

/// One value of a facet and how many matching articles carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetCount {
    /// The value (`IN`, `Marco Rubio`, `economy/trade`).
    pub value: String,
    /// Matching articles carrying it.
    pub count: u64,
}

/// What a search found.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    /// Matching articles in all.
    pub total: u64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Counts over all matching articles, most frequent first, per requested kind.
    pub facets: BTreeMap<FacetKind, Vec<FacetCount>>,
    /// Matching articles per month, every month from the first to the last (with facets).
    pub timeline: Vec<FacetCount>,
    /// The query's words that match no article, each with the nearest words of the index.
    pub suggestions: Vec<suggest::Suggestion>,
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text does not parse.
    #[error("invalid query at position {position}: {message}\n  {query}\n  {marker:>width$}", marker = "^", width = position + 1)]
    Syntax {
        /// The query as given.
        query: String,
        /// Byte offset of the problem.
        position: usize,
        /// What is wrong.
        message: String,
    },
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// tantivy failed while searching.
    #[error("search failed: {0}")]
    Tantivy(#[source] tantivy::TantivyError),
}

/// Runs `request` against `index`.
pub fn search(index: &NewsIndex, request: &SearchRequest) -> Result<SearchResults, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = index.fields();
    let text_query = query::parse_text(&searcher, fields, &request.text)?;
    let full_query = query::filtered(&searcher, fields, text_query.box_clone(), &request.filters)?;
    let mut results = run(index, &searcher, &*full_query, &*text_query, request)?;
    results.suggestions = suggestions(&searcher, fields, &request.text)?;
    Ok(results)
}

/// "Did you mean" for each word of `text` that no article holds in the fields it is searched in.
pub fn suggestions(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    text: &str,
) -> Result<Vec<suggest::Suggestion>, SearchError> {
    let mut analyzer = searcher
        .index()
        .tokenizer_for_field(fields.body)
        .map_err(SearchError::Tantivy)?;
    let mut out: Vec<suggest::Suggestion> = Vec::new();
    for (word, searched) in query::text_words(fields, searcher, text) {
        if out.iter().any(|s| s.word.eq_ignore_ascii_case(&word)) {
            continue;
        }
        let stems = suggest::stems(&mut analyzer, &word);
        let mut found = stems.is_empty();
        for (stem, _) in &stems {
            for &field in &searched {
                let term = tantivy::Term::from_field_text(field, stem);
                if searcher.doc_freq(&term).map_err(SearchError::Tantivy)? > 0 {
                    found = true;
                }
            }
        }
        if !found {
            out.push(
                suggest::suggest(searcher, fields, &searched, &mut analyzer, &word)
                    .map_err(SearchError::Tantivy)?,
            );
        }
    }
    Ok(out)
}

/// Articles like the one with id `id`, with the request's filters, order and page; `None` when
/// no article has that id.
pub fn similar(
    index: &NewsIndex,
    id: &str,
    request: &SearchRequest,
) -> Result<Option<SearchResults>, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = index.fields();
    let Some(doc) = find_article(&searcher, index, id)? else {
        return Ok(None);
    };
    let stored = from_document(fields, &doc);
    let like = similar::like_query(&searcher, fields, &stored)?;
    let full_query = query::filtered(&searcher, fields, like.box_clone(), &request.filters)?;
    run(index, &searcher, &*full_query, &*like, request).map(Some)
}

/// Runs a built query: top hits, total and facet counts in one pass, then snippets.
fn run(
    index: &NewsIndex,
    searcher: &tantivy::Searcher,
    full_query: &dyn tantivy::query::Query,
    text_query: &dyn tantivy::query::Query,
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let fields = index.fields();

    let sort = request.sort;
    let newest = if request.recent {
        newest_published(searcher)
    } else {
        None
    };
    // `-n 0` asks for counts only: no top-docs collector at all.
    let top = (request.limit > 0).then(|| {
        TopDocs::with_limit(request.limit)
            .and_offset(request.offset)
            .tweak_score(move |segment: &SegmentReader| {
                let dates = segment.fast_fields().date(PUBLISHED).ok();
                move |doc, score: Score| {
                    let date = dates
                        .as_ref()
                        .and_then(|column| column.first(doc))
                        .map_or(i64::MIN, |d| d.into_timestamp_secs());
                    match sort {
                        SortOrder::Relevance => {
                            let boost = newest.map_or(1.0, |newest| recency_boost(newest, date));
                            (f64::from(score) * boost, date as f64, score)
                        }
                        SortOrder::Date => (date as f64, f64::from(score), score),
                    }
                }
            })
    });
    let counts = KeywordCounts::new(request.facets.clone()).grouping(request.name_groups.clone());
    let days = (!request.facets.is_empty()).then_some(collect::PublishedDays);
    let (top_docs, total, counts, days) = searcher
        .search(full_query, &(top, Count, counts, days))
        .map_err(SearchError::Tantivy)?;
    let top_docs: Vec<((f64, f64, Score), DocAddress)> = top_docs.unwrap_or_default();

    let mut snippets = snippet::Snippeter::new(searcher, text_query, fields.body, SNIPPET_CHARS)
        .map_err(SearchError::Tantivy)?;
    let mut hits = Vec::with_capacity(top_docs.len());
    let mut tree = None;
    for ((_, _, score), address) in top_docs {
        let doc: TantivyDocument = searcher.doc(address).map_err(SearchError::Tantivy)?;
        let stored = with_copies(searcher, fields, &doc)?;
        let snippet = snippets
            .snippet(&stored.article.body)
            .unwrap_or_else(|| lead_snippet(&stored.article.body));
        let explanation = if request.explain {
            let recency = newest.map(|newest| {
                let date = stored.article.published.map_or(i64::MIN, |d| d.as_second());
                recency_boost(newest, date)
            });
            let tree = match &tree {
                Some(tree) => tree,
                None => tree.insert(query::parse_tree(searcher, fields, &request.text)?),
            };
            Some(
                explain::explain(searcher, tree, address, score, recency)
                    .map_err(SearchError::Tantivy)?,
            )
        } else {
            None
        };
        hits.push(Hit {
            stored,
            score,
            snippet,
            explanation,
        });
    }

    let facets = counts
        .into_iter()
        .map(|(kind, values)| (kind, top_counts(values, request.facet_top)))
        .collect();
    let timeline = days
        .map(|(days, _)| timeline::bucket(&days, timeline::Granularity::Month))
        .unwrap_or_default();
    Ok(SearchResults {
        total: total as u64,
        hits,
        facets,
        timeline,
        suggestions: Vec::new(),
    })
}

/// Half-life of the `--recent` boost, in days.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 30.0;

/// The `--recent` factor: `1 + 0.5^(age / 30 days)`, where age is measured back from the newest
/// article in the index (not from today, so an archive of old news is boosted the same way).
/// The newest article's score is doubled, a month older ×1.5, a year older ×1.0002; undated
/// articles are not boosted.
pub fn recency_boost(newest_secs: i64, published_secs: i64) -> f64 {
    if published_secs == i64::MIN {
        return 1.0;
    }
    let age_days = (newest_secs.saturating_sub(published_secs)).max(0) as f64 / 86_400.0;
    1.0 + 0.5f64.powf(age_days / RECENCY_HALF_LIFE_DAYS)
}

/// The latest publication time in the index, in Unix seconds.
fn newest_published(searcher: &tantivy::Searcher) -> Option<i64> {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|segment| segment.fast_fields().date(PUBLISHED).ok())
        .filter(|column| column.values.num_vals() > 0)
        .map(|column| column.max_value().into_timestamp_secs())
        .max()
}

/// The article with this id, if any, with the files holding copies of it. The id of a copy
/// finds the article it is a copy of. When several files hold the id (a page saved in two web
/// archives), the full article of the first file by path is chosen, the first in that file
/// when it holds the id twice; only when no full article has the id, the article of the first
/// copy with it, chosen alike. The OpenSearch backend chooses the same.
pub fn by_id(index: &NewsIndex, id: &str) -> Result<Option<StoredArticle>, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    match find_article(&searcher, index, id)? {
        Some(doc) => with_copies(&searcher, index.fields(), &doc).map(Some),
        None => Ok(None),
    }
}

/// The stored document of the article with this id, or of the article a copy with this id is
/// a copy of.
fn find_article(
    searcher: &tantivy::Searcher,
    index: &NewsIndex,
    id: &str,
) -> Result<Option<TantivyDocument>, SearchError> {
    let fields = index.fields();
    let Some(doc) = find_id(searcher, index, id)? else {
        return Ok(None);
    };
    if !is_copy(fields, &doc) {
        return Ok(Some(doc));
    }
    let Some(key) = text_key_of(fields, &doc) else {
        return Ok(None);
    };
    match copies::article_with_key(searcher, fields, key).map_err(SearchError::Tantivy)? {
        Some(address) => searcher
            .doc(address)
            .map(Some)
            .map_err(SearchError::Tantivy),
        None => Ok(None),
    }
}

/// The document with this id: a full article before a copy, then the first by path, then the
/// first in its file.
fn find_id(
    searcher: &tantivy::Searcher,
    index: &NewsIndex,
    id: &str,
) -> Result<Option<TantivyDocument>, SearchError> {
    let fields = index.fields();
    let term = tantivy::Term::from_field_text(fields.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let found = searcher
        .search(&query, &DocSetCollector)
        .map_err(SearchError::Tantivy)?;
    let mut best: Option<((bool, String, Place, DocAddress), TantivyDocument)> = None;
    for address in found {
        let doc: TantivyDocument = searcher.doc(address).map_err(SearchError::Tantivy)?;
        let path = doc
            .get_first(fields.path)
            .and_then(|v| tantivy::schema::Value::as_str(&v))
            .unwrap_or_default()
            .to_string();
        let rank = (
            is_copy(fields, &doc),
            path,
            stored_place(fields, &doc),
            address,
        );
        if best.as_ref().is_none_or(|(first, _)| rank < *first) {
            best = Some((rank, doc));
        }
    }
    Ok(best.map(|(_, doc)| doc))
}

/// The stored article of `doc` with the files holding copies of it.
pub(crate) fn with_copies(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    doc: &TantivyDocument,
) -> Result<StoredArticle, SearchError> {
    let mut stored = from_document(fields, doc);
    if let Some(key) = text_key_of(fields, doc) {
        stored.also_at = copies::also_at(searcher, fields, key).map_err(SearchError::Tantivy)?;
    }
    Ok(stored)
}

/// The most frequent values first, ties by value; at most `top` of them.
pub fn top_counts(values: BTreeMap<String, u64>, top: usize) -> Vec<FacetCount> {
    let mut counts: Vec<FacetCount> = values
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    counts.truncate(top);
    counts
}

/// The first sentences of a body, when no query term is in it.
pub(crate) fn lead_snippet(body: &str) -> Snippet {
    let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = text
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| text[..i].rfind(' ').unwrap_or(i));
    Snippet {
        text: text[..end].to_string(),
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_snippet_cuts_at_a_word_boundary() {
        let body = "word ".repeat(100);
        let snippet = lead_snippet(&body);
        assert!(snippet.text.len() <= SNIPPET_CHARS);
        assert!(snippet.text.ends_with("word"));
        assert_eq!(
            lead_snippet("Short  body.\n\nTwo.").text,
            "Short body. Two."
        );
    }

    #[test]
    fn recency_boost_halves_every_thirty_days() {
        let day = 86_400;
        assert_eq!(recency_boost(100 * day, 100 * day), 2.0);
        assert_eq!(recency_boost(100 * day, 70 * day), 1.5);
        assert_eq!(recency_boost(100 * day, 40 * day), 1.25);
        assert_eq!(recency_boost(100 * day, i64::MIN), 1.0);
        assert_eq!(recency_boost(100 * day, 200 * day), 2.0);
    }

    #[test]
    fn top_counts_orders_by_count_then_value() {
        let values = BTreeMap::from([("b".to_string(), 2), ("a".to_string(), 2), ("c".into(), 5)]);
        let top = top_counts(values, 2);
        assert_eq!(
            top,
            vec![
                FacetCount {
                    value: "c".into(),
                    count: 5
                },
                FacetCount {
                    value: "a".into(),
                    count: 2
                }
            ]
        );
    }
}
