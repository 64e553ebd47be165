//! Topics learned from the archive itself: the articles the lexicon labels with confidence
//! teach a naive Bayes the archive's own vocabulary (its team names, companies, products,
//! places, sources and sections), which then decides the short and unsure articles.
//!
//! After the names ([`super::refresh`]), [`refresh`] reads every live article once:
//!
//! - an article whose extracted topics are sure (`topic_confidence` at least [`CONFIDENT`])
//!   adds its [`features`] to the counts of its main top level: a multinomial naive Bayes over
//!   binary features (each feature once per article), so the counts are sums over the live
//!   confident articles and the model of any state of the archive is the same whatever order
//!   it was built in;
//! - every other article is decided again: its
//!   topics are found as extraction finds them, with the model's posterior added as
//!   [`MODEL_WEIGHT`] weighted hits spread over the top levels
//!   ([`crate::enrich::Enricher::topics_with`]), and it gets no topic when the result's
//!   confidence is under [`ABSTAIN_BELOW`].
//!
//! Only the articles whose topics change are rewritten in the index ([`TopicStore::set_topics`]),
//! so filters and facet counts read the stored topics, exact on both backends, at no cost per
//! request. `topic_confidence` stays the extraction's: an article is decided by the archive
//! again on every run, and never trains it. The counts are kept beside the index
//! ([`TOPICS_FILE`]; on OpenSearch a document beside the names).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::DocSetCollector;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, IndexWriter, SegmentReader, TantivyDocument, Term};

use super::{ArchiveError, ArchiveStore, Names};
use crate::article::{Article, StoredArticle};
use crate::enrich::Enricher;
use crate::enrich::topics::{all_topics, each_word};
use crate::index::document::{from_document, is_copy, to_document};
use crate::index::schema::{FINGERPRINT, ORG_CUE_KW};

/// The file beside a local index holding the archive's topic model.
pub const TOPICS_FILE: &str = "topics.json";

/// Version of [`TOPICS_FILE`]'s format; a file of another version is learned again.
const TOPICS_VERSION: u32 = 2;

/// Articles whose extracted topic confidence is at least this teach the model; the others
/// are decided with it. One threshold, so no article both teaches and is rewritten.
pub const CONFIDENT: f32 = 0.8;
/// The weighted hits the model's posterior adds, spread over the top levels: twice what the
/// lexicon takes at face value (6), so that the archive's own vocabulary outweighs a few
/// hand-written terms of another top level.
pub const MODEL_WEIGHT: f32 = 12.0;
/// A decided article whose topics' confidence is under this gets no topic.
pub const ABSTAIN_BELOW: f32 = 0.1;
/// A top level with fewer confident articles than this is left out of the model.
const MIN_CLASS_ARTICLES: u32 = 20;
/// A feature seen in fewer confident articles than this says nothing.
const MIN_FEATURE_ARTICLES: u32 = 2;
/// Additive smoothing of the counts.
const SMOOTHING: f32 = 0.5;
/// The log-likelihoods are divided by this many known features beyond the first ones, so
/// that an article of many features does not make the model certain (they are not
/// independent).
const FEATURES_PER_UNIT: f32 = 8.0;
/// Bytes of the body read for words, after the headline and standfirst.
const BODY_BYTES: usize = 600;
/// Most words of a URL or path segment read as a section (`uk-politics`); more is a slug.
const MAX_SECTION_WORDS: usize = 3;

/// What a refresh of the topics found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TopicsReport {
    /// Confident articles the model learned from, by top level.
    pub trained: BTreeMap<String, u64>,
    /// Unsure articles decided with the model.
    pub decided: u64,
    /// Of those, the ones whose topics differ from extraction's.
    pub reassigned: u64,
    /// Of those, the ones left without a topic.
    pub abstained: u64,
    /// Articles rewritten by this run.
    pub rewritten: u64,
}

/// A change of one article's topics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicChange {
    /// The article's id.
    pub id: String,
    /// Its file.
    pub path: String,
    /// Its position in the file ([`crate::article::Place::ordinal`]).
    pub ordinal: u64,
    /// Its topics from now on, most salient first.
    pub topics: Vec<String>,
}

/// What [`TOPICS_FILE`] holds: the model's counts and what the last refresh did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopicsFile {
    version: u32,
    /// What the refresh that wrote it found.
    pub report: TopicsReport,
    /// Per feature seen in at least two confident articles: in how many of each top level
    /// (`economy:12 sport:1`).
    pub counts: BTreeMap<String, String>,
}

/// Where the topic stage reads the articles and writes what it decides, beside the names.
pub trait TopicStore {
    /// Calls `each` with every live article (copies not separately), handing it over.
    fn each_article(
        &self,
        each: &mut dyn FnMut(StoredArticle) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError>;
    /// Gives each article of `changes` its new topics (every other field as it was), all at
    /// once: a reader sees the old topics or the new ones.
    fn set_topics(&self, changes: &[TopicChange]) -> Result<(), ArchiveError>;
    /// The model kept by the last refresh; `None` before the first.
    fn load_topics(&self) -> Result<Option<TopicsFile>, ArchiveError>;
    /// Keeps `file`.
    fn save_topics(&self, file: &TopicsFile) -> Result<(), ArchiveError>;
}

/// The features of an article for the model: the words of its headline, standfirst and the
/// start of its body (as the word model reads them), its people and organisations as the
/// archive resolved them (`@ronald reagan`), its source (`^reuters`) and the section words of
/// its URL and file (`/money`), each once, sorted.
pub fn features(stored: &StoredArticle, names: &Names) -> Vec<String> {
    let article = &stored.article;
    let mut out: Vec<String> = Vec::new();
    let mut word = |w: &str| out.push(singular(w).to_string());
    each_word(&article.title, &mut word);
    if let Some(subtitle) = &article.subtitle {
        each_word(subtitle, &mut word);
    }
    each_word(prefix(&article.body, BODY_BYTES), &mut word);
    let entities = &stored.entities;
    for person in &entities.people {
        out.push(format!("@{}", names.person(person).name.to_lowercase()));
    }
    for org in &entities.orgs {
        out.push(format!("@{}", names.org(org).name.to_lowercase()));
    }
    if let Some(source) = &article.source {
        out.push(format!("^{}", source.to_lowercase()));
    }
    sections(article, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// A lower-case word without its plural `s` (`shares`, `rebels`, `games` as `share`, `rebel`,
/// `game`), so that the model counts the two forms of a word as one: words of five letters or
/// more not ending in `ss`, `us` or `is` (`business`, `virus`, `crisis` stay).
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if word.len() > 4 && !stem.ends_with(['s', 'u', 'i']) => stem,
        _ => word,
    }
}

/// The section words of an article's URL (a host's first label when it has three, every path
/// segment) and of its file path (every folder, the file's name without extension): the words
/// of each segment of at most [`MAX_SECTION_WORDS`] words, numbers aside, as `/word`.
fn sections(article: &Article, out: &mut Vec<String>) {
    let mut segments: Vec<&str> = Vec::new();
    if let Some(url) = &article.url {
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let (host, route) = rest.split_once('/').unwrap_or((rest, ""));
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() >= 3 {
            segments.push(labels[0]);
        }
        segments.extend(route.split('/'));
    }
    let mut components: Vec<&str> = article.path.split(['/', '\\']).collect();
    if let Some(last) = components.last_mut() {
        *last = last.split('.').next().unwrap_or(last);
    }
    segments.extend(components);
    for segment in segments {
        let words: Vec<&str> = segment
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        if words.len() > MAX_SECTION_WORDS {
            continue;
        }
        for word in words {
            out.push(format!("/{}", word.to_lowercase()));
        }
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The top levels of the taxonomy, in its order: the model's classes.
fn top_levels() -> Vec<&'static str> {
    all_topics()
        .map(|(path, _)| path)
        .filter(|path| !path.contains('/'))
        .collect()
}

/// The archive's naive Bayes: per feature, the confident articles of each top level holding it.
#[derive(Clone, Debug)]
pub struct Model {
    classes: Vec<&'static str>,
    /// Confident articles per class.
    articles: Vec<u32>,
    /// Per feature, per class.
    counts: FxHashMap<String, Vec<u32>>,
    /// Per class: log P(feature | class) of the features, after [`Model::finish`].
    logs: FxHashMap<String, Vec<f32>>,
    /// The classes with enough articles, after [`Model::finish`].
    usable: Vec<usize>,
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

impl Model {
    /// A model that has learned nothing.
    pub fn new() -> Model {
        let classes = top_levels();
        Model {
            articles: vec![0; classes.len()],
            classes,
            counts: FxHashMap::default(),
            logs: FxHashMap::default(),
            usable: Vec::new(),
        }
    }

    /// Learns one confident article of the top level `top` (its main topic's first segment).
    pub fn add(&mut self, top: &str, features: &[String]) {
        let Some(class) = self.classes.iter().position(|&c| c == top) else {
            return;
        };
        self.articles[class] += 1;
        let width = self.classes.len();
        for feature in features {
            match self.counts.get_mut(feature.as_str()) {
                Some(row) => row[class] += 1,
                None => {
                    let mut row = vec![0; width];
                    row[class] = 1;
                    self.counts.insert(feature.clone(), row);
                }
            }
        }
    }

    /// Turns the counts into log-likelihoods; call once all articles are added.
    pub fn finish(&mut self) {
        self.usable = (0..self.classes.len())
            .filter(|&c| self.articles[c] >= MIN_CLASS_ARTICLES)
            .collect();
        self.logs.clear();
        if self.usable.len() < 2 {
            return;
        }
        let kept: Vec<(&String, &Vec<u32>)> = self
            .counts
            .iter()
            .filter(|(_, row)| row.iter().sum::<u32>() >= MIN_FEATURE_ARTICLES)
            .collect();
        let vocabulary = kept.len() as f32;
        let mut totals = vec![0f32; self.classes.len()];
        for (_, row) in &kept {
            for &c in &self.usable {
                totals[c] += row[c] as f32;
            }
        }
        for (feature, row) in kept {
            let logs = self
                .usable
                .iter()
                .map(|&c| ((row[c] as f32 + SMOOTHING) / (totals[c] + SMOOTHING * vocabulary)).ln())
                .collect();
            self.logs.insert(feature.clone(), logs);
        }
    }

    /// The posterior over the top levels of an article's features (uniform prior), as (top
    /// level, probability); empty when the model knows none of them or has fewer than two
    /// top levels.
    pub fn posterior(&self, features: &[String]) -> Vec<(&'static str, f32)> {
        let mut sums = vec![0f32; self.usable.len()];
        let mut known = 0usize;
        for feature in features {
            if let Some(logs) = self.logs.get(feature.as_str()) {
                known += 1;
                for (sum, log) in sums.iter_mut().zip(logs) {
                    *sum += log;
                }
            }
        }
        if known == 0 {
            return Vec::new();
        }
        let scale = (known as f32 / FEATURES_PER_UNIT).max(1.0);
        let max = sums.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut total = 0.0;
        for sum in sums.iter_mut() {
            *sum = ((*sum - max) / scale).exp();
            total += *sum;
        }
        self.usable
            .iter()
            .zip(sums)
            .map(|(&c, p)| (self.classes[c], p / total))
            .collect()
    }

    /// The confident articles learned, by top level.
    fn trained(&self) -> BTreeMap<String, u64> {
        self.classes
            .iter()
            .zip(&self.articles)
            .filter(|&(_, &n)| n > 0)
            .map(|(c, &n)| (c.to_string(), u64::from(n)))
            .collect()
    }

    /// The counts of the features seen in at least [`MIN_FEATURE_ARTICLES`] articles, as kept.
    fn kept_counts(&self) -> BTreeMap<String, String> {
        self.counts
            .iter()
            .filter(|(_, row)| row.iter().sum::<u32>() >= MIN_FEATURE_ARTICLES)
            .map(|(feature, row)| {
                let cells: Vec<String> = row
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0)
                    .map(|(c, n)| format!("{}:{n}", self.classes[c]))
                    .collect();
                (feature.clone(), cells.join(" "))
            })
            .collect()
    }
}

/// Unsure articles decided together (in parallel): the stage holds no more of them at once,
/// so its memory does not grow with the archive.
const DECIDE_BATCH: usize = 4_096;

/// Learns the model from the confident articles of `store`, decides the unsure ones with it,
/// rewrites those whose topics change, and keeps the model. The articles are read twice: once
/// to learn, once to decide a batch at a time.
pub fn refresh(
    store: &dyn ArchiveStore,
    enricher: &Enricher,
) -> Result<TopicsReport, ArchiveError> {
    let names = store.load_names()?;
    let mut model = Model::new();
    let mut seen: FxHashSet<(String, u64)> = FxHashSet::default();
    let mut twice: FxHashSet<(String, u64)> = FxHashSet::default();
    store.each_article(&mut |stored| {
        let key = (stored.article.path.clone(), stored.article.place.ordinal());
        if !seen.insert(key.clone()) {
            twice.insert(key);
        }
        if stored.entities.topic_confidence >= CONFIDENT
            && let Some(top) = stored.entities.topics.first()
        {
            let top = top.split('/').next().unwrap_or(top);
            model.add(top, &features(&stored, &names));
        }
        Ok(())
    })?;
    drop(seen);
    model.finish();
    let mut decided = Decided {
        report: TopicsReport {
            trained: model.trained(),
            ..TopicsReport::default()
        },
        changes: Vec::new(),
    };
    let context = DecideContext {
        model: &model,
        enricher,
        names: &names,
        twice: &twice,
    };
    let mut batch: Vec<StoredArticle> = Vec::with_capacity(DECIDE_BATCH);
    store.each_article(&mut |stored| {
        if stored.entities.topic_confidence < CONFIDENT {
            batch.push(stored);
            if batch.len() == DECIDE_BATCH {
                decided.add(&context, std::mem::take(&mut batch));
            }
        }
        Ok(())
    })?;
    decided.add(&context, batch);
    let Decided {
        mut report,
        mut changes,
    } = decided;
    changes.sort_by(|a, b| (&a.path, a.ordinal).cmp(&(&b.path, b.ordinal)));
    store.set_topics(&changes)?;
    report.rewritten = changes.len() as u64;
    store.save_topics(&TopicsFile {
        version: TOPICS_VERSION,
        report: report.clone(),
        counts: model.kept_counts(),
    })?;
    Ok(report)
}

/// What deciding an unsure article reads.
struct DecideContext<'a> {
    model: &'a Model,
    enricher: &'a Enricher,
    names: &'a Names,
    /// Places (file, ordinal) holding two articles: an index damaged by hand, where neither can
    /// be rewritten alone.
    twice: &'a FxHashSet<(String, u64)>,
}

/// The unsure articles decided so far: the report and the topics to rewrite.
struct Decided {
    report: TopicsReport,
    changes: Vec<TopicChange>,
}

impl Decided {
    /// Decides `batch` (in parallel) and adds what it found.
    fn add(&mut self, context: &DecideContext<'_>, batch: Vec<StoredArticle>) {
        let decided: Vec<(StoredArticle, Decision)> = batch
            .into_par_iter()
            .filter(|stored| {
                context.twice.is_empty()
                    || !context
                        .twice
                        .contains(&(stored.article.path.clone(), stored.article.place.ordinal()))
            })
            .filter_map(|stored| {
                let features = features(&stored, context.names);
                let decision = decide(context.model, context.enricher, &stored.article, &features)?;
                Some((stored, decision))
            })
            .collect();
        for (stored, decision) in decided {
            let report = &mut self.report;
            report.decided += 1;
            report.abstained += u64::from(decision.topics.is_empty());
            report.reassigned += u64::from(decision.topics != decision.extracted);
            if decision.topics != stored.entities.topics {
                self.changes.push(TopicChange {
                    id: stored.article.id.0,
                    path: stored.article.path,
                    ordinal: stored.article.place.ordinal(),
                    topics: decision.topics,
                });
            }
        }
    }
}

/// Like [`refresh`], but a run that changed no article (`articles_changed` false) keeps the
/// model and the topics it has. `None` when skipped.
/// The extraction of the articles is that of the gazetteer folder `gazetteer`, as in the run.
pub fn refresh_after(
    store: &dyn ArchiveStore,
    gazetteer: Option<&Path>,
    articles_changed: bool,
) -> Result<Option<TopicsReport>, ArchiveError> {
    if !articles_changed && store.load_topics()?.is_some() {
        return Ok(None);
    }
    let enricher = match gazetteer {
        Some(dir) => Enricher::with_extra(dir)?,
        None => Enricher::new(),
    };
    refresh(store, &enricher).map(Some)
}

/// What the archive decides for an unsure article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Its topics as extraction finds them.
    pub extracted: Vec<String>,
    /// Its topics with the model's evidence, none when their confidence is under
    /// [`ABSTAIN_BELOW`].
    pub topics: Vec<String>,
}

/// The topics of an unsure article with the model's evidence; `None` for an article whose
/// topics are not looked for (not in English).
pub fn decide(
    model: &Model,
    enricher: &Enricher,
    article: &Article,
    features: &[String],
) -> Option<Decision> {
    let extra: Vec<(&str, f32)> = model
        .posterior(features)
        .into_iter()
        .map(|(top, p)| (top, MODEL_WEIGHT * p))
        .collect();
    let [(extracted, _), (mut topics, confidence)] = enricher.topics_with(article, &extra)?;
    if confidence < ABSTAIN_BELOW {
        topics.clear();
    }
    Some(Decision { extracted, topics })
}

/// The model kept beside the index in `dir`; `None` when the stage has not run there.
pub fn load(dir: &Path) -> Result<Option<TopicsFile>, ArchiveError> {
    let path = dir.join(TOPICS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ArchiveError::Io {
                path,
                action: "read it",
                source,
            });
        }
    };
    from_json(&bytes).map_err(|message| ArchiveError::Format { path, message })
}

/// The model from the JSON of [`TOPICS_FILE`]; `None` for a file of another version (learned
/// again by the next refresh).
pub fn from_json(bytes: &[u8]) -> Result<Option<TopicsFile>, String> {
    let file: TopicsFile = serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    Ok((file.version == TOPICS_VERSION).then_some(file))
}

/// The JSON of [`TOPICS_FILE`].
pub fn to_json(file: &TopicsFile) -> Vec<u8> {
    serde_json::to_vec(file).unwrap_or_default()
}

/// Writes `file` to `dir`'s [`TOPICS_FILE`] atomically.
pub fn save(dir: &Path, file: &TopicsFile) -> Result<(), ArchiveError> {
    super::write_atomically(&dir.join(TOPICS_FILE), &to_json(file))
}

/// The topic store of a local index: its stored articles, rewritten through a writer of its
/// own in one commit that keeps the last commit's payload, and [`TOPICS_FILE`] in its folder.
impl TopicStore for super::Local<'_> {
    fn each_article(
        &self,
        each: &mut dyn FnMut(StoredArticle) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError> {
        let index = self.0;
        let fields = index.fields();
        let searcher = index.reader()?.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|alive| !alive.is_alive(doc_id)) {
                    continue;
                }
                let doc: TantivyDocument = store.get(doc_id)?;
                if is_copy(fields, &doc) {
                    continue;
                }
                each(from_document(fields, &doc))?;
            }
        }
        Ok(())
    }

    fn set_topics(&self, changes: &[TopicChange]) -> Result<(), ArchiveError> {
        let index = self.0;
        let Some(info) = index.commit_info().filter(|_| !changes.is_empty()) else {
            return Ok(());
        };
        let fields = index.fields();
        let searcher = index.reader()?.searcher();
        let mut writer: IndexWriter<TantivyDocument> =
            index.index().writer_with_num_threads(1, WRITER_BUDGET)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // The articles of one id in one file, rewritten together: a query finds them all.
        let mut groups: BTreeMap<(&str, &str), Vec<&TopicChange>> = BTreeMap::new();
        for change in changes {
            groups
                .entry((&change.id, &change.path))
                .or_default()
                .push(change);
        }
        for ((id, path), group) in groups {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    term_query(Term::from_field_text(fields.id, id)),
                ),
                (
                    Occur::Must,
                    term_query(Term::from_field_text(fields.path, path)),
                ),
                (
                    Occur::Must,
                    term_query(Term::from_field_bool(fields.copy, false)),
                ),
            ]);
            let mut found: Vec<DocAddress> = searcher
                .search(&query, &DocSetCollector)?
                .into_iter()
                .collect();
            found.sort_unstable();
            let mut docs = Vec::with_capacity(found.len());
            // All are added back, each at a changed place with its new topics.
            for address in found {
                let doc: TantivyDocument = searcher.doc(address)?;
                let segment = searcher.segment_reader(address.segment_ord);
                let fingerprint = column_values(segment, FINGERPRINT, address.doc_id)?;
                let mut stored = from_document(fields, &doc);
                let ordinal = stored.article.place.ordinal();
                if let Some(change) = group.iter().find(|change| change.ordinal == ordinal) {
                    stored.entities.topics.clone_from(&change.topics);
                }
                stored.entities.org_cues = column_values(segment, ORG_CUE_KW, address.doc_id)?;
                docs.push(to_document(
                    fields,
                    &stored.article,
                    &stored.entities,
                    fingerprint.first().map_or("", String::as_str),
                ));
            }
            writer.delete_query(Box::new(query))?;
            for doc in docs {
                writer.add_document(doc)?;
            }
        }
        let payload = serde_json::to_string(&info).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    fn load_topics(&self) -> Result<Option<TopicsFile>, ArchiveError> {
        load(self.0.dir())
    }

    fn save_topics(&self, file: &TopicsFile) -> Result<(), ArchiveError> {
        save(self.0.dir(), file)
    }
}

/// Memory of the writer that rewrites topics (one thread; the documents are few).
const WRITER_BUDGET: usize = 50_000_000;

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// The values of the keyword column `name` of one document.
fn column_values(
    segment: &SegmentReader,
    name: &str,
    doc: DocId,
) -> Result<Vec<String>, ArchiveError> {
    let Some(column) = segment.fast_fields().str(name)? else {
        return Ok(Vec::new());
    };
    let mut values = Vec::new();
    for ord in column.term_ords(doc) {
        let mut value = String::new();
        column
            .ord_to_str(ord, &mut value)
            .map_err(tantivy::TantivyError::from)?;
        values.push(value);
    }
    Ok(values)
}

#[cfg(test)]
#[path = "topics_tests.rs"]
mod tests;
