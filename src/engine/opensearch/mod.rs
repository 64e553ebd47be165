//! The OpenSearch backend: an index (or alias) on an OpenSearch 2.x cluster
//! (`--index http://127.0.0.1:9200/news`), read through the same requests and results as the
//! local index, and kept up to date by [`sync`].
//!
//! - [`client`]: HTTP, credentials, TLS and errors.
//! - [`document`]: the mapping and the JSON form of articles.
//! - [`query`]: requests as query DSL.
//! - [`sync`]: the nightly run sending what changed.
//! - [`names`], [`stories`]: the archive stage's evidence and findings on the cluster.

pub mod client;
pub mod document;
pub mod lease;
pub mod names;
pub mod query;
pub mod stories;
pub mod sync;
pub mod topics;

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde_json::{Value, json};

pub use client::{Client, OpenSearchError, TlsOptions};

use super::{Engine, EngineError, Stats};
use crate::article::{CopyAt, FacetKind, StoredArticle};
use crate::search::timeline::{self, Granularity, Timeline};
use crate::search::{
    FacetCount, Filters, Hit, NameGroups, SNIPPET_CHARS, SearchRequest, SearchResults, Snippet,
    SortOrder, lead_snippet,
};

/// Marks around a highlighted term in OpenSearch's fragments (control characters, never in a
/// body).
const PRE_TAG: char = '\u{1}';
const POST_TAG: char = '\u{2}';

/// Words of an article that "similar" looks for (as locally).
const SIMILAR_TERMS: usize = 25;

/// Hits fetched per page of an export.
const EXPORT_PAGE: usize = 500;

/// Values of a person or organisation facet asked for when the request layer counts them by
/// entity (the terms aggregation's practical bound; the local index counts every value).
const FACET_POOL: usize = 10_000;

/// Buckets read per page of a composite aggregation.
const COMPOSITE_PAGE: usize = 5_000;

/// How long a point in time stays open between two pages read from it.
const POINT_IN_TIME_KEEP_ALIVE: &str = "5m";

/// Documents by file, then by place in it: a unique order (each `_id` is a file's path and a
/// place in it, [`document::doc_id`]) that pages can follow, and the order in which the local
/// index chooses among documents with one id or key.
fn in_file_order() -> Value {
    json!([{"path": "asc"}, {"ordinal": "asc"}])
}

/// An index on an OpenSearch cluster.
#[derive(Clone, Debug)]
pub struct OpenSearch {
    client: Client,
}

impl From<OpenSearchError> for EngineError {
    fn from(error: OpenSearchError) -> EngineError {
        EngineError::Backend(Box::new(error))
    }
}

impl OpenSearch {
    /// The index at `url`; nothing is sent until the first request.
    pub fn new(url: &str, tls: &TlsOptions) -> Result<OpenSearch, OpenSearchError> {
        Ok(OpenSearch {
            client: Client::new(url, tls)?,
        })
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn search_raw(&self, body: &Value) -> Result<Value, OpenSearchError> {
        let path = format!("/{}/_search", self.client.index());
        self.client.send(client::Method::Post, &path, Some(body))
    }

    /// The text keys of articles with a copy from one of `sources`.
    fn copy_keys(&self, filters: &Filters) -> Result<Vec<String>, OpenSearchError> {
        if filters.sources.is_empty() {
            return Ok(Vec::new());
        }
        let answer = self.search_raw(&query::source_copies_query(&filters.sources))?;
        Ok(buckets(&answer["aggregations"]["keys"])
            .filter_map(|bucket| bucket["key"].as_str().map(str::to_string))
            .collect())
    }

    fn filtered(&self, text_query: Value, filters: &Filters) -> Result<Value, EngineError> {
        let keys = self.copy_keys(filters)?;
        Ok(query::filtered(
            text_query,
            query::filter_clauses(filters, &keys),
        ))
    }

    /// The newest publication time in the index, in Unix seconds.
    fn newest_published(&self) -> Result<Option<i64>, OpenSearchError> {
        let answer = self.search_raw(&json!({
            "size": 0,
            "aggs": {"newest": {"max": {"field": "published"}}}
        }))?;
        Ok(answer["aggregations"]["newest"]["value"]
            .as_f64()
            .map(|millis| (millis / 1000.0) as i64))
    }

    /// Runs a built query with the request's order, page and facets.
    fn run(
        &self,
        full_query: Value,
        request: &SearchRequest,
    ) -> Result<SearchResults, EngineError> {
        let mut full_query = full_query;
        if request.recent
            && request.sort == SortOrder::Relevance
            && let Some(newest) = self.newest_published()?
        {
            // 1 + 0.5^(age / 30 days), age from the newest article; undated articles ×1.
            let scale = format!("{}d", crate::search::RECENCY_HALF_LIFE_DAYS);
            full_query = json!({"function_score": {
                "query": full_query,
                "functions": [
                    {"weight": 1},
                    {"filter": {"exists": {"field": "published"}},
                     "exp": {"published": {"origin": newest * 1000, "scale": scale, "decay": 0.5}}}
                ],
                "score_mode": "sum",
                "boost_mode": "multiply"
            }});
        }
        let date = json!({"published": {"order": "desc", "missing": "_last"}});
        let sort = match request.sort {
            SortOrder::Relevance => json!([{"_score": "desc"}, date]),
            SortOrder::Date => json!([date, {"_score": "desc"}]),
        };
        let mut aggs = serde_json::Map::new();
        for kind in &request.facets {
            let top = request.facet_top.max(1);
            aggs.insert(
                facet_name(*kind).to_string(),
                json!({"terms": {
                    "field": kind.keyword_field_name(),
                    "size": top,
                    "shard_size": top.saturating_mul(10).max(1_000),
                    "order": [{"_count": "desc"}, {"_key": "asc"}]
                }}),
            );
        }
        if !request.facets.is_empty() {
            aggs.insert("days".into(), days_histogram());
        }
        let body = json!({
            "query": full_query,
            "from": request.offset,
            "size": request.limit,
            "sort": sort,
            "track_scores": true,
            "track_total_hits": true,
            "aggs": aggs,
            "highlight": {
                "fields": {"body": {
                    "type": "unified",
                    "fragment_size": SNIPPET_CHARS,
                    "number_of_fragments": 1,
                    "pre_tags": [PRE_TAG.to_string()],
                    "post_tags": [POST_TAG.to_string()]
                }}
            }
        });
        // Term statistics of the whole index, not of each shard (one shard skips the extra
        // round trip).
        let path = format!(
            "/{}/_search?search_type=dfs_query_then_fetch",
            self.client.index()
        );
        let answer = self.client.send(client::Method::Post, &path, Some(&body))?;
        let total = answer["hits"]["total"]["value"].as_u64().unwrap_or(0);
        let raw_hits = answer["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let stored = self.articles_of(&raw_hits)?;
        let hits = raw_hits
            .iter()
            .zip(stored)
            .map(|(hit, stored)| {
                let snippet = hit["highlight"]["body"][0]
                    .as_str()
                    .map(parse_fragment)
                    .unwrap_or_else(|| lead_snippet(&stored.article.body));
                Hit {
                    stored,
                    score: hit["_score"].as_f64().unwrap_or(0.0) as f32,
                    snippet,
                    explanation: None,
                }
            })
            .collect();
        let aggregations = &answer["aggregations"];
        let mut facets: BTreeMap<FacetKind, Vec<FacetCount>> = request
            .facets
            .iter()
            .map(|kind| {
                let counts = buckets(&aggregations[facet_name(*kind)])
                    .filter_map(|b| {
                        Some(FacetCount {
                            value: b["key"].as_str()?.to_string(),
                            count: b["doc_count"].as_u64()?,
                        })
                    })
                    .take(request.facet_top)
                    .collect();
                (*kind, counts)
            })
            .collect();
        if let Some(groups) = &request.name_groups {
            self.count_groups_once(&full_query, groups, &mut facets)?;
        }
        let timeline = if request.facets.is_empty() {
            Vec::new()
        } else {
            timeline::bucket(&day_counts(&aggregations["days"]), Granularity::Month)
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
            timeline,
            suggestions: Vec::new(),
        })
    }

    /// Makes the person and organisation counts of `facets` sum, over the values of each
    /// group, to the articles holding any of them (as the local index counts an article
    /// holding two values of one entity once): one more request counts, for each group with
    /// two or more values among the buckets, the articles matching `full_query` that hold one,
    /// and the group's largest count gives up the excess.
    fn count_groups_once(
        &self,
        full_query: &Value,
        groups: &NameGroups,
        facets: &mut BTreeMap<FacetKind, Vec<FacetCount>>,
    ) -> Result<(), EngineError> {
        // Each group's values among the buckets: (kind, position in its counts).
        let mut present: BTreeMap<u32, Vec<(FacetKind, usize)>> = BTreeMap::new();
        for (kind, of) in [
            (FacetKind::Person, &groups.person),
            (FacetKind::Org, &groups.org),
        ] {
            for (at, count) in facets.get(&kind).into_iter().flatten().enumerate() {
                if let Some(&group) = of.get(&count.value) {
                    present.entry(group).or_default().push((kind, at));
                }
            }
        }
        present.retain(|_, values| values.len() > 1);
        if present.is_empty() {
            return Ok(());
        }
        let value = |kind: FacetKind, at: usize| &facets[&kind][at];
        let filters: serde_json::Map<String, Value> = present
            .iter()
            .map(|(group, values)| {
                let terms = |kind: FacetKind| {
                    let field = kind.keyword_field_name();
                    let of_kind: Vec<&str> = values
                        .iter()
                        .filter(|(k, _)| *k == kind)
                        .map(|&(k, at)| value(k, at).value.as_str())
                        .collect();
                    (!of_kind.is_empty()).then(|| json!({"terms": {field: of_kind}}))
                };
                let should: Vec<Value> = [FacetKind::Person, FacetKind::Org]
                    .into_iter()
                    .filter_map(terms)
                    .collect();
                (
                    group.to_string(),
                    json!({"bool": {"should": should, "minimum_should_match": 1}}),
                )
            })
            .collect();
        let answer = self.search_raw(&json!({
            "size": 0,
            "query": full_query,
            "aggs": {"groups": {"filters": {"filters": filters}}}
        }))?;
        let counted = &answer["aggregations"]["groups"]["buckets"];
        let mut excess: Vec<(FacetKind, usize, u64)> = Vec::new();
        for (group, values) in &present {
            let Some(distinct) = counted[group.to_string()]["doc_count"].as_u64() else {
                continue;
            };
            let sum: u64 = values.iter().map(|&(k, at)| value(k, at).count).sum();
            if let Some(&(kind, at)) = values.iter().max_by_key(|&&(k, at)| value(k, at).count) {
                excess.push((kind, at, sum.saturating_sub(distinct)));
            }
        }
        for (kind, at, excess) in excess {
            if let Some(count) = facets.get_mut(&kind).and_then(|counts| counts.get_mut(at)) {
                count.count = count.count.saturating_sub(excess);
            }
        }
        Ok(())
    }

    /// The articles of search hits, in order, with `also_at` filled in.
    fn articles_of(&self, hits: &[Value]) -> Result<Vec<StoredArticle>, OpenSearchError> {
        let mut stored: Vec<StoredArticle> = hits
            .iter()
            .map(|hit| document::from_json(&hit["_source"]))
            .collect();
        // One key per hit (empty when a hit has none), so keys and articles stay aligned.
        let keys: Vec<String> = hits
            .iter()
            .map(|hit| {
                hit["_source"]["text_key"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        self.fill_also_at(&mut stored, &keys)?;
        Ok(stored)
    }

    /// Runs the search `body`, which must sort on a unique field, `page` hits at a time
    /// (`search_after` from the last hit of each page), handing each page's hits to `each`.
    /// With `one_point_in_time` the pages are read from one point in time, so a run that
    /// writes to the index meanwhile neither adds nor moves articles (at the cost of two more
    /// requests); a cluster that cannot open one (before OpenSearch 2.4) is paged as it is.
    fn for_each_page<E: From<OpenSearchError>>(
        &self,
        mut body: Value,
        page: usize,
        one_point_in_time: bool,
        mut each: impl FnMut(&[Value]) -> Result<(), E>,
    ) -> Result<(), E> {
        body["size"] = json!(page);
        let mut pit = if one_point_in_time {
            self.open_point_in_time()
        } else {
            None
        };
        let outcome = (|| loop {
            let answer = match &pit {
                Some(id) => {
                    body["pit"] = json!({"id": id, "keep_alive": POINT_IN_TIME_KEEP_ALIVE});
                    let answer = self
                        .client
                        .send(client::Method::Post, "/_search", Some(&body))?;
                    if let Some(id) = answer["pit_id"].as_str() {
                        pit = Some(id.to_string());
                    }
                    answer
                }
                None => self.search_raw(&body)?,
            };
            let hits = answer["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            each(&hits)?;
            match hits.last() {
                Some(last) if hits.len() >= page => body["search_after"] = last["sort"].clone(),
                _ => return Ok(()),
            }
        })();
        if let Some(id) = pit {
            // It expires by itself too; closing it frees its resources now.
            let _ = self.client.send(
                client::Method::Delete,
                "/_search/point_in_time",
                Some(&json!({"pit_id": [id]})),
            );
        }
        outcome
    }

    /// Opens a point in time on the index, or None when the cluster cannot.
    fn open_point_in_time(&self) -> Option<String> {
        let path = format!(
            "/{}/_search/point_in_time?keep_alive={POINT_IN_TIME_KEEP_ALIVE}",
            self.client.index()
        );
        let answer = self.client.send(client::Method::Post, &path, None).ok()?;
        answer["pit_id"].as_str().map(str::to_string)
    }

    /// Fills in `also_at` of articles with text keys `keys` (same order).
    fn fill_also_at(
        &self,
        stored: &mut [StoredArticle],
        keys: &[String],
    ) -> Result<(), OpenSearchError> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut copies: HashMap<String, Vec<CopyAt>> = HashMap::new();
        let body = json!({
            "_source": ["id", "path", "ordinal", "line", "text_key"],
            "query": {"bool": {"filter": [
                {"term": {"copy": true}},
                {"terms": {"text_key": keys}}
            ]}},
            "sort": in_file_order()
        });
        // Usually one page: the point in time would cost two more requests per search.
        self.for_each_page(body, 1_000, false, |hits| {
            for hit in hits {
                let source = &hit["_source"];
                if let Some(key) = source["text_key"].as_str() {
                    copies
                        .entry(key.to_string())
                        .or_default()
                        .push(document::copy_at(source));
                }
            }
            Ok::<(), OpenSearchError>(())
        })?;
        for (article, key) in stored.iter_mut().zip(keys) {
            if let Some(found) = copies.get(key) {
                let mut found = found.clone();
                found.sort();
                article.also_at = found;
            }
        }
        Ok(())
    }

    /// The `_source` of the first document (by path, then place in its file) whose `field` is
    /// `value`, among the full articles or the copies; as the local index chooses.
    fn source_by(
        &self,
        field: &str,
        value: &str,
        copy: bool,
    ) -> Result<Option<Value>, OpenSearchError> {
        let answer = self.search_raw(&json!({
            "size": 1,
            "query": {"bool": {"filter": [
                {"term": {field: value}},
                {"term": {"copy": copy}}
            ]}},
            "sort": in_file_order()
        }))?;
        Ok(answer["hits"]["hits"][0].get("_source").cloned())
    }

    /// The full article with this id, or the article a copy with this id is a copy of; when
    /// several files hold the id, the first by path (as [`crate::search::by_id`] chooses).
    fn find_article(&self, id: &str) -> Result<Option<Value>, OpenSearchError> {
        if let Some(source) = self.source_by("id", id, false)? {
            return Ok(Some(source));
        }
        let Some(copy) = self.source_by("id", id, true)? else {
            return Ok(None);
        };
        match copy["text_key"].as_str() {
            Some(key) => self.source_by("text_key", key, false),
            None => Ok(None),
        }
    }

    /// The most distinctive words of an article, weighted as [`crate::search::similar`] weighs
    /// them locally (frequency in the title twice and the body, times the body's idf), as
    /// boosted term queries on body and title.
    fn like_terms(&self, source: &Value) -> Result<Vec<Value>, OpenSearchError> {
        let path = format!(
            "/{}/_termvectors/{}?fields=body,title&term_statistics=true&positions=false&offsets=false",
            self.client.index(),
            utf8_percent(&document::doc_id_of(source))
        );
        let vectors = self.client.send(client::Method::Get, &path, None)?;
        let (articles, copies) = self.counts()?;
        let live = (articles + copies).max(1) as f32;
        let terms = |field: &str| {
            vectors["term_vectors"][field]["terms"]
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let body = terms("body");
        let mut frequencies: BTreeMap<String, (f32, f32)> = BTreeMap::new();
        for (term, stats) in &body {
            let tf = stats["term_freq"].as_f64().unwrap_or(0.0) as f32;
            let df = stats["doc_freq"].as_f64().unwrap_or(1.0) as f32;
            frequencies.insert(term.clone(), (tf, df));
        }
        for (term, stats) in terms("title") {
            let tf = stats["term_freq"].as_f64().unwrap_or(0.0) as f32;
            let entry = match frequencies.entry(term) {
                std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::btree_map::Entry::Vacant(entry) => {
                    // A word of the title only: its idf is still the body's.
                    let answer = self.search_raw(&json!({
                        "size": 0,
                        "track_total_hits": true,
                        "query": {"term": {"body": entry.key()}}
                    }))?;
                    let df = answer["hits"]["total"]["value"].as_f64().unwrap_or(0.0) as f32;
                    entry.insert((0.0, df))
                }
            };
            entry.0 += 2.0 * tf;
        }
        let mut weighted: Vec<(f32, String)> = frequencies
            .into_iter()
            .filter(|(term, _)| term.len() >= 3 && !term.bytes().all(|b| b.is_ascii_digit()))
            .map(|(term, (tf, df))| {
                let df = df.clamp(1.0, live);
                let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln();
                (tf * idf, term)
            })
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighted.truncate(SIMILAR_TERMS);
        let best = weighted.first().map_or(1.0, |(w, _)| *w).max(f32::EPSILON);
        Ok(weighted
            .iter()
            .flat_map(|(weight, term)| {
                ["body", "title"]
                    .map(|field| json!({"term": {field: {"value": term, "boost": weight / best}}}))
            })
            .collect())
    }

    /// The index's `_meta` and the name of the concrete index behind the URL's name.
    pub fn meta(&self) -> Result<Option<(String, Value)>, OpenSearchError> {
        let path = format!("/{}/_mapping", self.client.index());
        let answer = match self.client.send(client::Method::Get, &path, None) {
            Ok(answer) => answer,
            Err(error) if error.status() == Some(404) => return Ok(None),
            Err(error) => return Err(error),
        };
        let Some((name, mapping)) = answer.as_object().and_then(|indexes| {
            // With an alias on several indexes, the newest name (indexes are named by time).
            indexes.iter().max_by(|a, b| a.0.cmp(b.0))
        }) else {
            return Ok(None);
        };
        Ok(Some((name.clone(), mapping["mappings"]["_meta"].clone())))
    }

    /// Live full articles and copies.
    fn counts(&self) -> Result<(u64, u64), OpenSearchError> {
        let answer = self.search_raw(&json!({
            "size": 0,
            "track_total_hits": true,
            "aggs": {"copy": {"terms": {"field": "copy", "size": 2}}}
        }))?;
        let mut counts = (0, 0);
        for bucket in buckets(&answer["aggregations"]["copy"]) {
            let count = bucket["doc_count"].as_u64().unwrap_or(0);
            match bucket["key_as_string"].as_str() {
                Some("true") => counts.1 = count,
                _ => counts.0 = count,
            }
        }
        Ok(counts)
    }

    /// Every indexed file with its fingerprint and number of documents, in path order, a page
    /// at a time (a composite aggregation on path and fingerprint). A file with more than one
    /// fingerprint (a run stopped half-way through it) is passed once per fingerprint.
    pub fn each_file(&self, each: &mut dyn FnMut(&str, &str, u64)) -> Result<(), OpenSearchError> {
        let sources = json!([
            {"path": {"terms": {"field": "path"}}},
            {"fingerprint": {"terms": {"field": "fingerprint"}}}
        ]);
        self.each_bucket(sources, None, &mut |bucket| {
            if let (Some(path), Some(fingerprint), Some(count)) = (
                bucket["key"]["path"].as_str(),
                bucket["key"]["fingerprint"].as_str(),
                bucket["doc_count"].as_u64(),
            ) {
                each(path, fingerprint, count);
            }
        })
    }

    /// Every bucket of a composite aggregation over `sources` (with the sub-aggregations
    /// `aggs`), a page of [`COMPOSITE_PAGE`] buckets at a time.
    fn each_bucket(
        &self,
        sources: Value,
        aggs: Option<Value>,
        each: &mut dyn FnMut(&Value),
    ) -> Result<(), OpenSearchError> {
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "composite": {"size": COMPOSITE_PAGE, "sources": sources}
            });
            if let Some(after) = after.take() {
                composite["composite"]["after"] = after;
            }
            if let Some(aggs) = &aggs {
                composite["aggs"] = aggs.clone();
            }
            let answer = self.search_raw(&json!({"size": 0, "aggs": {"pages": composite}}))?;
            let pages = &answer["aggregations"]["pages"];
            let mut any = false;
            for bucket in buckets(pages) {
                any = true;
                each(bucket);
            }
            match pages.get("after_key") {
                Some(key) if any => after = Some(key.clone()),
                _ => return Ok(()),
            }
        }
    }
}

/// `text` with everything but unreserved URL characters percent-encoded.
fn utf8_percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn facet_name(kind: FacetKind) -> &'static str {
    kind.keyword_field_name()
}

/// Counts per day since the epoch, from publication time.
fn days_histogram() -> Value {
    json!({"date_histogram": {
        "field": "published",
        "calendar_interval": "day",
        "min_doc_count": 1
    }})
}

fn day_counts(aggregation: &Value) -> BTreeMap<i64, u64> {
    buckets(aggregation)
        .filter_map(|b| {
            let millis = b["key"].as_i64()?;
            Some((millis.div_euclid(86_400_000), b["doc_count"].as_u64()?))
        })
        .collect()
}

fn buckets(aggregation: &Value) -> impl Iterator<Item = &Value> {
    aggregation["buckets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
}

/// A highlighted fragment as a snippet: whitespace runs collapsed, marks turned into ranges.
fn parse_fragment(fragment: &str) -> Snippet {
    let mut text = String::with_capacity(fragment.len());
    let mut highlights = Vec::new();
    let mut start = None;
    let mut space = false;
    for c in fragment.trim().chars() {
        match c {
            PRE_TAG => {
                if space {
                    text.push(' ');
                    space = false;
                }
                start = Some(text.len());
            }
            POST_TAG => {
                if let Some(start) = start.take() {
                    highlights.push(start..text.len());
                }
            }
            c if c.is_whitespace() => space = !text.is_empty(),
            c => {
                if space {
                    text.push(' ');
                    space = false;
                }
                text.push(c);
            }
        }
    }
    Snippet { text, highlights }
}

impl Engine for OpenSearch {
    fn location(&self) -> String {
        self.client.index_url()
    }

    fn names(&self) -> Result<crate::archive::Names, EngineError> {
        Ok(self.load_names()?)
    }

    fn stories(&self) -> Result<crate::archive::stories::Stories, EngineError> {
        Ok(self.load_stories()?)
    }

    fn story_refs(
        &self,
        keys: &[u64],
    ) -> Result<std::collections::BTreeMap<u64, crate::article::StoryRef>, EngineError> {
        if keys.is_empty() {
            return Ok(Default::default());
        }
        match self.lookup_refs(keys)? {
            Some(refs) => Ok(refs),
            None => Ok(super::story_refs(&self.load_stories()?, keys)),
        }
    }

    fn story_keys(&self, ids: &[String]) -> Result<Vec<u64>, EngineError> {
        match self.lookup_keys(ids)? {
            Some(keys) => Ok(keys),
            None => Ok(self.load_stories()?.keys_of(ids)),
        }
    }

    fn facet_pool(&self) -> usize {
        FACET_POOL
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        let text = query::text_query(&request.text)?;
        let full = self.filtered(text, &request.filters)?;
        self.run(full, request)
    }

    fn timeline(
        &self,
        text: &str,
        filters: &Filters,
        granularity: Granularity,
    ) -> Result<Timeline, EngineError> {
        let full = self.filtered(query::text_query(text)?, filters)?;
        let answer = self.search_raw(&json!({
            "size": 0,
            "track_total_hits": true,
            "query": full,
            "aggs": {"days": days_histogram()}
        }))?;
        let total = answer["hits"]["total"]["value"].as_u64().unwrap_or(0);
        let days = day_counts(&answer["aggregations"]["days"]);
        let dated: u64 = days.values().sum();
        Ok(Timeline {
            total,
            undated: total.saturating_sub(dated),
            buckets: timeline::bucket(&days, granularity),
        })
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>, EngineError> {
        let Some(source) = self.find_article(id)? else {
            return Ok(None);
        };
        let mut stored = [document::from_json(&source)];
        let key = source["text_key"].as_str().unwrap_or_default().to_string();
        self.fill_also_at(&mut stored, &[key])?;
        let [stored] = stored;
        Ok(Some(stored))
    }

    fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, EngineError> {
        let Some(source) = self.find_article(id)? else {
            return Ok(None);
        };
        let stored = document::from_json(&source);
        let mut should = self.like_terms(&source)?;
        let entities = &stored.entities;
        for (field, values) in [
            ("person_kw", entities.people.clone()),
            ("org_kw", entities.orgs.clone()),
            (
                "country_kw",
                entities.countries.iter().map(|c| c.0.clone()).collect(),
            ),
            ("topic_kw", entities.topics.clone()),
        ] {
            for value in values {
                should.push(json!({"term": {field: {"value": value, "boost": 0.5}}}));
            }
        }
        let like = json!({"bool": {
            "should": should,
            "minimum_should_match": 1,
            "must_not": [{"term": {"id": stored.article.id.as_str()}}],
            "filter": [{"term": {"copy": false}}]
        }});
        let full = self.filtered(like, &request.filters)?;
        self.run(full, request).map(Some)
    }

    fn stats(&self) -> Result<Stats, EngineError> {
        let (concrete, meta) = self.meta()?.ok_or_else(|| OpenSearchError::Status {
            url: self.client.index_url(),
            status: 404,
            reason: "no such index (run `newsdex index CORPUS --index URL` first)".to_string(),
        })?;
        let (articles, copies) = self.counts()?;
        let mut files = std::collections::HashSet::new();
        self.each_file(&mut |path, _, _| {
            files.insert(path.to_string());
        })?;
        let stats_path = format!("/{}/_stats/store", self.client.index());
        let store = self.client.send(client::Method::Get, &stats_path, None)?;
        let size_bytes = store["_all"]["primaries"]["store"]["size_in_bytes"]
            .as_u64()
            .unwrap_or(0);
        let settings_path = format!("/{concrete}/_settings");
        let settings = self
            .client
            .send(client::Method::Get, &settings_path, None)?;
        let shards = settings[&concrete]["settings"]["index"]["number_of_shards"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(Stats {
            location: self.location(),
            articles,
            copies,
            files: files.len() as u64,
            size_bytes,
            segments: shards,
            schema_version: meta["schema_version"].as_u64().unwrap_or(0) as u32,
            last_indexed: meta["last_indexed"]
                .as_str()
                .and_then(|t| t.parse::<Timestamp>().ok()),
            corpus: meta["corpus"].as_str().map(str::to_string),
        })
    }

    fn export(
        &self,
        each: &mut dyn FnMut(&StoredArticle) -> std::io::Result<()>,
    ) -> Result<u64, EngineError> {
        let mut exported = 0;
        let body = json!({
            "query": {"bool": {"filter": [{"term": {"copy": false}}]}},
            "sort": in_file_order()
        });
        self.for_each_page(body, EXPORT_PAGE, true, |hits| {
            for stored in &self.articles_of(hits)? {
                each(stored).map_err(EngineError::Output)?;
                exported += 1;
            }
            Ok::<(), EngineError>(())
        })?;
        Ok(exported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_snippets_with_byte_ranges() {
        let snippet = parse_fragment("The \u{1}pact\u{2} was  signed\nin \u{1}Delhí\u{2}.");
        assert_eq!(snippet.text, "The pact was signed in Delhí.");
        assert_eq!(snippet.highlights, vec![4..8, 23..29]);
        assert_eq!(&snippet.text[23..29], "Delhí");
    }
}
