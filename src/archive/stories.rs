//! Stories: the articles about one event grouped together, over time.
//!
//! Every article belongs to at most one story. A story is kept as the sum of its articles'
//! word vectors (TF-IDF of headline and body, each article's [`ARTICLE_TERMS`] strongest terms,
//! unit length), so that the mean similarity of a new article to every article of a story is
//! one dot product with that sum divided by the story's size (average linkage, without holding
//! the articles). A new article joins the story it is most like on average, when that is at
//! least [`JOIN_SIMILARITY`], among the stories whose days reach within [`WINDOW_DAYS`] of its
//! day; else it starts one. The articles of one run are then moved, [`REFINE_PASSES`] times,
//! to the story they fit best now that the run's other articles are in place, which undoes
//! what the order of arrival decided badly. Articles of earlier runs stay where they are, and
//! only the stories a run's articles join or leave are rewritten.
//!
//! Articles are known by their text key (see [`crate::index::copies`]): a syndicated copy
//! shares its article's key and is never counted as separate coverage; an article whose text
//! changed is a new article. An article without a date is compared only with stories without
//! dates, and starts those before dated articles are placed (a dated article may join them).
//!
//! Each story has a stable id (from the article that started it), a headline (the title of its
//! most central article: the one most like the others), its span of days, its sources, and the
//! people and countries its articles name most.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::article::Fnv1a;

/// Terms kept of each article's vector.
pub const ARTICLE_TERMS: usize = 40;
/// Terms kept of a story's summed vector when it is saved.
pub const STORY_TERMS: usize = 200;
/// The least mean similarity of an article to a story's articles for it to join the story.
pub const JOIN_SIMILARITY: f32 = 0.15;
/// How far (in days) an article's day may lie before a story's first day or after its last.
pub const WINDOW_DAYS: i64 = 14;
/// The longest span (in days) a story grows to; a later article starts another story.
pub const MAX_SPAN_DAYS: i64 = 60;
/// The most candidate stories an article is compared with.
pub const MAX_CANDIDATES: usize = 64;
/// The most entries of the term-to-story index read to gather them.
pub const MAX_VISITS: usize = 2_000;
/// Passes moving the articles of one run to the story they fit best.
pub const REFINE_PASSES: usize = 2;
/// The centrality of a headline not chosen by similarity (below any similarity, which is never
/// negative), so that the next article placed in the story takes over.
const NO_CENTRAL: f32 = -1.0;
/// A candidate story of at most this many times an article's terms is scored by reading its
/// terms whole rather than by looking up the article's.
const READ_WHOLE: usize = 4;
/// Terms shorter than this (in bytes) are not features.
const MIN_TERM_LEN: usize = 3;
/// People, countries and sources kept per story.
const KEPT_NAMES: usize = 10;

/// The stories of an archive and the story of each article, as kept beside the index.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stories {
    /// Stories by id.
    pub stories: BTreeMap<String, Story>,
    /// The story of each article, by the article's text key.
    pub articles: BTreeMap<u64, Member>,
    /// The articles read so far holding each term (the stage's own document frequencies, the
    /// same whichever backend holds the index).
    #[serde(default)]
    pub df: BTreeMap<String, u32>,
    /// The articles read so far.
    #[serde(default)]
    pub read: u64,
}

/// Where an article is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The story's id.
    pub story: String,
    /// The article's day (days since 1970-01-01), when dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<i64>,
}

/// One story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable id: `s` and twelve hex digits.
    pub id: String,
    /// The title of its most central article.
    pub headline: String,
    /// The text key of that article.
    pub headline_key: u64,
    /// That article's mean similarity to the story's articles when it was chosen.
    pub central: f32,
    /// Articles (copies not counted).
    pub articles: u32,
    /// Of them, articles without a date.
    #[serde(default)]
    pub undated: u32,
    /// First day of its dated articles (days since 1970-01-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<i64>,
    /// Last day of its dated articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<i64>,
    /// Sources and their articles, most first.
    pub sources: Vec<(String, u32)>,
    /// People (canonical names) and the articles naming them, most first.
    pub people: Vec<(String, u32)>,
    /// Country codes and the articles naming them, most first.
    pub countries: Vec<(String, u32)>,
    /// The summed vector of its articles, strongest terms first.
    pub terms: Vec<(String, f32)>,
}

impl Story {
    /// A story of no articles yet, headed by the article with text key `key` and title
    /// `headline` until a more central one takes over.
    pub fn empty(id: String, headline: &str, key: u64) -> Story {
        Story {
            id,
            headline: headline.to_string(),
            headline_key: key,
            central: NO_CENTRAL,
            articles: 0,
            undated: 0,
            first: None,
            last: None,
            sources: Vec::new(),
            people: Vec::new(),
            countries: Vec::new(),
            terms: Vec::new(),
        }
    }
}

impl From<&Story> for crate::article::StoryRef {
    fn from(story: &Story) -> Self {
        crate::article::StoryRef {
            id: story.id.clone(),
            headline: story.headline.clone(),
            articles: story.articles,
        }
    }
}

/// An article to place: what the stage read of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    /// Its text key.
    pub key: u64,
    /// Its day (days since 1970-01-01), when dated.
    pub day: Option<i64>,
    /// Its title.
    pub title: String,
    /// Its source.
    pub source: Option<String>,
    /// Its people under their canonical names, most salient first.
    pub people: Vec<String>,
    /// Its country codes.
    pub countries: Vec<String>,
    /// Its word vector: terms and weights, unit length ([`weigh`]). A run's articles share
    /// each term's text: a million of them hold forty terms each.
    pub terms: Vec<(Arc<str>, f32)>,
}

/// What an update did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoriesReport {
    /// Stories in all.
    pub stories: usize,
    /// Stories of more than one article.
    pub grouped: usize,
    /// Articles placed by this run.
    pub placed: usize,
    /// Articles that left the archive (or changed) since the last run.
    pub removed: usize,
    /// Stories written by this run (new, joined or left).
    pub touched: usize,
}

/// The word vector of an article from its term counts `tf` (headline words counted twice,
/// only terms [`is_feature`] keeps), weighted by `(1 + ln tf) · ln((N + 1) / (df + 0.5))`
/// where `df(term)` is how many of the archive's `live` articles hold the term; the
/// [`ARTICLE_TERMS`] strongest, unit length. Each term `T` is read as text by `text` (ties
/// between equal weights go to the lesser text): in any order of `tf`, the same.
pub fn weigh<'a, T: Copy>(
    tf: impl Iterator<Item = (T, u32)>,
    df: &mut dyn FnMut(T) -> u64,
    text: &dyn Fn(T) -> &'a str,
    live: u64,
) -> Vec<(T, f32)> {
    let n = live.max(1) as f32;
    let mut weighted: Vec<(T, f32)> = tf
        .map(|(term, count)| {
            let df = df(term).min(live) as f32;
            let idf = ((n + 1.0) / (df + 0.5)).ln().max(0.0);
            (term, (1.0 + (count as f32).ln()) * idf)
        })
        .filter(|(_, weight)| *weight > 0.0)
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| text(a.0).cmp(text(b.0))));
    weighted.truncate(ARTICLE_TERMS);
    let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, weight) in &mut weighted {
            *weight /= norm;
        }
    }
    weighted
}

/// Whether a word of the analyzer is a feature: three bytes or more, and not a number.
pub fn is_feature(word: &str) -> bool {
    word.len() >= MIN_TERM_LEN && !word.bytes().all(|b| b.is_ascii_digit())
}

/// The id of a story started by the article with text key `key`.
fn story_id(key: u64, salt: u32) -> String {
    let mut hash = Fnv1a::new();
    hash.write(&key.to_le_bytes());
    if salt > 0 {
        hash.write(&salt.to_le_bytes());
    }
    format!("s{:012x}", hash.finish() >> 16)
}

/// A story while a run works on it.
struct Open {
    story: Story,
    /// The summed vector by term number.
    sum: FxHashMap<u32, f32>,
    /// Articles now (a float: the sum is scaled when an article of an earlier run leaves).
    size: f32,
    /// Articles without a date now.
    undated: i64,
    /// Whether this run changed it.
    touched: bool,
}

/// The working state of one update.
struct Work {
    open: Vec<Open>,
    terms: Vec<String>,
    numbers: FxHashMap<String, u32>,
    ids: HashMap<String, usize>,
    /// The stories whose summed vector holds each term (by term number).
    postings: FxHashMap<u32, Vec<usize>>,
    /// The stories already gathered as candidates of the article being placed, by slot.
    seen: Vec<bool>,
    /// The weights of the article being placed by term number (zero elsewhere).
    dense: Vec<f32>,
}

impl Work {
    fn number(&mut self, term: &str) -> u32 {
        if let Some(&number) = self.numbers.get(term) {
            return number;
        }
        let number = self.terms.len() as u32;
        self.terms.push(term.to_string());
        self.numbers.insert(term.to_string(), number);
        number
    }

    /// Whether an article of `day` may join the story in `slot`: an undated article a story
    /// holding undated articles (or no dated one); a dated one a story without dated articles,
    /// or one whose days reach within [`WINDOW_DAYS`] of its day and would span no more than
    /// [`MAX_SPAN_DAYS`] with it.
    fn may_join(&self, slot: usize, day: Option<i64>) -> bool {
        let open = &self.open[slot];
        let story = &open.story;
        let (Some(first), Some(last)) = (story.first, story.last) else {
            return true;
        };
        let Some(day) = day else {
            return open.undated > 0;
        };
        first - WINDOW_DAYS <= day
            && day <= last + WINDOW_DAYS
            && day.max(last) - day.min(first) <= MAX_SPAN_DAYS
    }

    /// The mean similarity of `vector` to the articles of the story in `slot`.
    fn similarity(&self, vector: &[(u32, f32)], slot: usize) -> f32 {
        let open = &self.open[slot];
        if open.size <= 0.0 {
            return 0.0;
        }
        let dot: f32 = vector
            .iter()
            .map(|(term, weight)| weight * open.sum.get(term).copied().unwrap_or(0.0))
            .sum();
        dot / open.size
    }

    /// The best story for an article of `vector` and `day` (ties to the earlier slot), with
    /// its similarity, when one reaches [`JOIN_SIMILARITY`]. Only stories holding one of its
    /// terms are scored (the others are at similarity 0): those of the terms held by the fewest
    /// stories first, the newest stories of each first, at most [`MAX_CANDIDATES`] of them and
    /// [`MAX_VISITS`] entries of the term index read, so that an article costs the same
    /// whatever the size of the archive.
    fn best(&mut self, vector: &[(u32, f32)], day: Option<i64>) -> Option<(usize, f32)> {
        if self.seen.len() < self.open.len() {
            self.seen.resize(self.open.len(), false);
        }
        // Candidates: the stories holding one of the article's terms, the terms of the fewest
        // stories first and the newest stories of each first, up to a budget.
        let mut probes: Vec<&Vec<usize>> = vector
            .iter()
            .filter_map(|(term, _)| self.postings.get(term))
            .collect();
        probes.sort_by_key(|slots| slots.len());
        let mut marked: Vec<usize> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        let mut visits = 0;
        'gather: for slots in probes {
            for &slot in slots.iter().rev() {
                visits += 1;
                if visits > MAX_VISITS || candidates.len() >= MAX_CANDIDATES {
                    break 'gather;
                }
                if self.seen[slot] {
                    continue;
                }
                self.seen[slot] = true;
                marked.push(slot);
                if self.open[slot].size >= 0.5 && self.may_join(slot, day) {
                    candidates.push(slot);
                }
            }
        }
        for slot in marked {
            self.seen[slot] = false;
        }
        if self.dense.len() < self.terms.len() {
            self.dense.resize(self.terms.len(), 0.0);
        }
        for &(term, weight) in vector {
            self.dense[term as usize] = weight;
        }
        let mut best: Option<(usize, f32)> = None;
        for slot in candidates {
            let similarity = self.score(vector, slot);
            if similarity >= JOIN_SIMILARITY
                && best.is_none_or(|(at, score)| {
                    similarity > score || (similarity == score && slot < at)
                })
            {
                best = Some((slot, similarity));
            }
        }
        for &(term, _) in vector {
            self.dense[term as usize] = 0.0;
        }
        best
    }

    /// [`Work::similarity`] for an article whose weights are in `dense`: a story of few terms
    /// is read whole against them (one pass over its memory), a larger one looked up term by
    /// term.
    fn score(&self, vector: &[(u32, f32)], slot: usize) -> f32 {
        let open = &self.open[slot];
        if open.size <= 0.0 {
            return 0.0;
        }
        if open.sum.len() > READ_WHOLE * vector.len() {
            return self.similarity(vector, slot);
        }
        let dot: f32 = open
            .sum
            .iter()
            .map(|(term, weight)| weight * self.dense[*term as usize])
            .sum();
        dot / open.size
    }

    fn add(&mut self, slot: usize, vector: &[(u32, f32)], day: Option<i64>, sign: f32) {
        let open = &mut self.open[slot];
        for (term, weight) in vector {
            match open.sum.entry(*term) {
                std::collections::hash_map::Entry::Occupied(mut entry) => {
                    *entry.get_mut() += sign * weight;
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(sign * weight);
                    self.postings.entry(*term).or_default().push(slot);
                }
            }
        }
        open.size += sign;
        if day.is_none() {
            open.undated += sign as i64;
        }
        open.touched = true;
        if sign > 0.0
            && let Some(day) = day
        {
            open.story.first = Some(open.story.first.map_or(day, |first| first.min(day)));
            open.story.last = Some(open.story.last.map_or(day, |last| last.max(day)));
        }
    }

    /// A new, empty story started by the article with key `key`.
    fn start(&mut self, key: u64, title: &str) -> usize {
        let mut salt = 0;
        let mut id = story_id(key, salt);
        while self.ids.contains_key(&id) {
            salt += 1;
            id = story_id(key, salt);
        }
        let slot = self.open.len();
        self.ids.insert(id.clone(), slot);
        self.open.push(Open {
            story: Story::empty(id, title, key),
            sum: FxHashMap::default(),
            size: 0.0,
            undated: 0,
            touched: true,
        });
        slot
    }
}

impl Stories {
    /// The text keys of articles kept here that are no longer live (gone, or changed: a
    /// changed text has another key), and the live keys not placed yet, in key order.
    pub fn changes(&self, live: &BTreeSet<u64>) -> (Vec<u64>, Vec<u64>) {
        let gone = self
            .articles
            .keys()
            .filter(|key| !live.contains(key))
            .copied()
            .collect();
        let fresh = live
            .iter()
            .filter(|key| !self.articles.contains_key(key))
            .copied()
            .collect();
        (gone, fresh)
    }

    /// Removes the articles with keys `gone` and places `incoming`; only the stories they
    /// leave or join change. Returns the keys of stories whose headline article left, with no
    /// article of this run to take over (the caller names another of their articles through
    /// [`Stories::set_headline`]).
    pub fn update(&mut self, gone: &[u64], incoming: &[Incoming]) -> (StoriesReport, Vec<String>) {
        let mut work = Work {
            open: Vec::with_capacity(self.stories.len() + incoming.len()),
            terms: Vec::new(),
            numbers: FxHashMap::default(),
            ids: HashMap::with_capacity(self.stories.len()),
            postings: FxHashMap::default(),
            seen: Vec::new(),
            dense: Vec::new(),
        };
        for (id, story) in std::mem::take(&mut self.stories) {
            let mut sum =
                FxHashMap::with_capacity_and_hasher(story.terms.len(), Default::default());
            let slot = work.open.len();
            for (term, weight) in &story.terms {
                let number = work.number(term);
                sum.insert(number, *weight);
                work.postings.entry(number).or_default().push(slot);
            }
            work.ids.insert(id, slot);
            work.open.push(Open {
                size: story.articles as f32,
                undated: i64::from(story.undated),
                story,
                sum,
                touched: false,
            });
        }

        // Articles that left: the story shrinks by one article of average weight.
        let mut headless: BTreeSet<usize> = BTreeSet::new();
        let mut removed = 0;
        for key in gone {
            let Some(member) = self.articles.remove(key) else {
                continue;
            };
            removed += 1;
            let Some(&slot) = work.ids.get(&member.story) else {
                continue;
            };
            let open = &mut work.open[slot];
            if member.day.is_none() {
                open.undated = (open.undated - 1).max(0);
                open.story.undated = open.story.undated.saturating_sub(1);
            }
            if open.size > 0.0 {
                let keep = (open.size - 1.0).max(0.0) / open.size;
                for weight in open.sum.values_mut() {
                    *weight *= keep;
                }
            }
            open.size = (open.size - 1.0).max(0.0);
            open.story.articles = open.story.articles.saturating_sub(1);
            open.touched = true;
            if open.story.headline_key == *key {
                open.story.central = NO_CENTRAL;
                headless.insert(slot);
            }
        }

        // Undated articles first (they may only join undated stories), then by day and key.
        let mut order: Vec<usize> = (0..incoming.len()).collect();
        order.sort_by_key(|&at| {
            (
                incoming[at].day.is_some(),
                incoming[at].day,
                incoming[at].key,
            )
        });
        let vectors: Vec<Vec<(u32, f32)>> = incoming
            .iter()
            .map(|article| {
                article
                    .terms
                    .iter()
                    .map(|(term, weight)| (work.number(term), *weight))
                    .collect()
            })
            .collect();
        let mut place: Vec<usize> = vec![usize::MAX; incoming.len()];
        for &at in &order {
            let article = &incoming[at];
            let slot = match work.best(&vectors[at], article.day) {
                Some((slot, _)) => slot,
                None => work.start(article.key, &article.title),
            };
            work.add(slot, &vectors[at], article.day, 1.0);
            place[at] = slot;
        }
        for _ in 0..REFINE_PASSES {
            for &at in &order {
                let article = &incoming[at];
                let was = place[at];
                work.add(was, &vectors[at], article.day, -1.0);
                let slot = match work.best(&vectors[at], article.day) {
                    Some((slot, _)) => slot,
                    None if work.open[was].size < 0.5 => was,
                    None => work.start(article.key, &article.title),
                };
                work.add(slot, &vectors[at], article.day, 1.0);
                place[at] = slot;
            }
        }

        // The run's articles: membership, counts, headlines.
        let mut names: HashMap<usize, [BTreeMap<String, u32>; 3]> = HashMap::new();
        for &at in &order {
            let article = &incoming[at];
            let slot = place[at];
            let central = work.similarity(&vectors[at], slot);
            let open = &mut work.open[slot];
            open.story.articles += 1;
            if article.day.is_none() {
                open.story.undated += 1;
            }
            if central > open.story.central
                || (central == open.story.central && article.key < open.story.headline_key)
            {
                open.story.central = central;
                open.story.headline = article.title.clone();
                open.story.headline_key = article.key;
                headless.remove(&slot);
            }
            let counts = names.entry(slot).or_insert_with(|| {
                let story = &open.story;
                [&story.sources, &story.people, &story.countries]
                    .map(|kept| kept.iter().cloned().collect::<BTreeMap<String, u32>>())
            });
            let count = |into: &mut BTreeMap<String, u32>, values: &[String]| {
                let mut seen: Vec<&str> = Vec::new();
                for value in values {
                    if !seen.contains(&value.as_str()) {
                        seen.push(value);
                        *into.entry(value.clone()).or_default() += 1;
                    }
                }
            };
            count(&mut counts[0], article.source.as_slice());
            count(&mut counts[1], &article.people);
            count(&mut counts[2], &article.countries);
            self.articles.insert(
                article.key,
                Member {
                    story: open.story.id.clone(),
                    day: article.day,
                },
            );
        }
        for (slot, [sources, people, countries]) in names {
            let story = &mut work.open[slot].story;
            story.sources = most(sources);
            story.people = most(people);
            story.countries = most(countries);
        }

        // Spans of the stories articles left or moved out of, from their articles' days.
        let mut spans: HashMap<String, (Option<i64>, Option<i64>)> = HashMap::new();
        let touched: BTreeSet<&str> = work
            .open
            .iter()
            .filter(|open| open.touched)
            .map(|open| open.story.id.as_str())
            .collect();
        for member in self.articles.values() {
            if touched.contains(member.story.as_str()) {
                let span = spans.entry(member.story.clone()).or_default();
                if let Some(day) = member.day {
                    span.0 = Some(span.0.map_or(day, |first: i64| first.min(day)));
                    span.1 = Some(span.1.map_or(day, |last: i64| last.max(day)));
                }
            }
        }

        let mut report = StoriesReport {
            placed: incoming.len(),
            removed,
            ..StoriesReport::default()
        };
        let mut headless_ids = Vec::new();
        for (slot, open) in work.open.into_iter().enumerate() {
            let mut story = open.story;
            if open.touched {
                if story.articles == 0 {
                    continue;
                }
                report.touched += 1;
                if let Some(&(first, last)) = spans.get(&story.id) {
                    story.first = first;
                    story.last = last;
                }
                let mut terms: Vec<(u32, f32)> = open
                    .sum
                    .into_iter()
                    .filter(|(_, weight)| *weight > 1e-6)
                    .collect();
                terms.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then_with(|| work.terms[a.0 as usize].cmp(&work.terms[b.0 as usize]))
                });
                terms.truncate(STORY_TERMS);
                story.terms = terms
                    .into_iter()
                    .map(|(term, weight)| (work.terms[term as usize].clone(), weight))
                    .collect();
                if headless.contains(&slot) {
                    headless_ids.push(story.id.clone());
                }
            }
            report.stories += 1;
            if story.articles > 1 {
                report.grouped += 1;
            }
            self.stories.insert(story.id.clone(), story);
        }
        (report, headless_ids)
    }

    /// Names the article with text key `key` and title `title` the headline of story `id`.
    pub fn set_headline(&mut self, id: &str, key: u64, title: &str) {
        if let Some(story) = self.stories.get_mut(id) {
            story.headline = title.to_string();
            story.headline_key = key;
            story.central = NO_CENTRAL;
        }
    }

    /// The story of the article with text key `key`.
    pub fn of(&self, key: u64) -> Option<&Story> {
        self.articles
            .get(&key)
            .and_then(|member| self.stories.get(&member.story))
    }

    /// Whether no story is kept.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// The text keys of the articles of the stories `ids`, in key order.
    pub fn keys_of(&self, ids: &[String]) -> Vec<u64> {
        self.articles
            .iter()
            .filter(|(_, member)| ids.contains(&member.story))
            .map(|(&key, _)| key)
            .collect()
    }
}

/// `counts` as a list, most first (ties by value), the first [`KEPT_NAMES`].
fn most(counts: BTreeMap<String, u32>) -> Vec<(String, u32)> {
    let mut list: Vec<(String, u32)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(KEPT_NAMES);
    list
}

#[cfg(test)]
#[path = "stories_tests.rs"]
mod tests;
