//! Topics: the compiled-in taxonomy (slash paths modelled on the IPTC Media Topics) and the
//! scorer that weighs its news-vocabulary terms in an article.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::countries::data_lines;
use super::phrases::{Found, List};
use super::text::{self, Part, Segment};

pub(crate) const TOPICS_TSV: &str = include_str!("data/topics.tsv");
pub(crate) const TERMS_TSV: &str = include_str!("data/topic_terms.tsv");
pub(crate) const SECTIONS_TSV: &str = include_str!("data/topic_sections.tsv");

#[path = "topic_words.rs"]
mod words;
pub(crate) use words::MODEL_TSV;
use words::WordModel;
pub use words::each_word;

/// A subtopic must score at least this much to be kept.
const MIN_SUBTOPIC_SCORE: f32 = 4.0;
/// ... and at least this share of the best subtopic's score.
const MIN_SUBTOPIC_SHARE: f32 = 0.3;
/// Hits of one term beyond this many add nothing.
const MAX_HITS_PER_TERM: u32 = 4;
/// A lower-case term found capitalised within a sentence (`the Miami Heat`) counts this much.
const PROPER_NOUN_FACTOR: f32 = 0.2;
/// Bytes of a headline looked at to tell title case from sentence case.
const TITLE_CASE_PREFIX: usize = 200;
/// A headline's weight for topics, against its weight for names: headlines pun (`Gazza goes
/// back to school`), so their words weigh less here than when naming people.
const TITLE_FACTOR: f32 = 2.0 / 3.0;
/// Weight of a result score (`70-63`) for sport.
const SCORE_WEIGHT: f32 = 2.0;
/// Weight of an instrument code (`(MSFT.O)`) for business.
const TICKER_WEIGHT: f32 = 3.0;
/// Evidence (weighted term hits) at which the best top level's share of the evidence is
/// taken at face value; less evidence lowers the confidence in proportion.
const FULL_EVIDENCE: f32 = 6.0;
/// Below this confidence an article gets no topic rather than a likely wrong one.
pub(crate) const MIN_CONFIDENCE: f32 = 0.1;
/// Evidence a section cue of the URL or path (`/sport/`) adds to its top level: as much as
/// the evidence at which a share is taken at face value.
const SECTION_WEIGHT: f32 = FULL_EVIDENCE;
/// Below this confidence of the lexicon, the compiled-in word model adds its evidence.
const MODEL_BELOW: f32 = 0.3;
/// The evidence the word model adds, spread over the top levels by its posterior.
const MODEL_WEIGHT: f32 = 3.0;

/// One topic of the taxonomy.
#[derive(Debug)]
struct TopicInfo {
    path: &'static str,
    label: &'static str,
    qcodes: Vec<&'static str>,
}

fn parse_taxonomy(text: &'static str) -> (Vec<TopicInfo>, Vec<usize>) {
    let mut topics = Vec::new();
    let mut bad = Vec::new();
    for (number, line) in data_lines(text) {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            [path, label, qcodes] if !path.is_empty() => topics.push(TopicInfo {
                path,
                label,
                qcodes: qcodes
                    .split('|')
                    .filter(|q| q.starts_with("medtop:"))
                    .collect(),
            }),
            _ => bad.push(number),
        }
    }
    (topics, bad)
}

fn taxonomy() -> &'static [TopicInfo] {
    static TAXONOMY: OnceLock<Vec<TopicInfo>> = OnceLock::new();
    TAXONOMY.get_or_init(|| parse_taxonomy(TOPICS_TSV).0)
}

fn topic_index(path: &str) -> Option<usize> {
    taxonomy().iter().position(|t| t.path == path)
}

/// The label of a topic path (`economy/trade` -> `Trade`).
pub fn topic_label(path: &str) -> Option<&'static str> {
    taxonomy().iter().find(|t| t.path == path).map(|t| t.label)
}

/// The IPTC Media Topic qcodes of a topic path; empty where only its parent's apply.
pub fn topic_qcodes(path: &str) -> Option<&'static [&'static str]> {
    taxonomy()
        .iter()
        .find(|t| t.path == path)
        .map(|t| t.qcodes.as_slice())
}

/// Every topic path with its label, parents before their subtopics.
pub fn all_topics() -> impl Iterator<Item = (&'static str, &'static str)> {
    taxonomy().iter().map(|t| (t.path, t.label))
}

/// A weighted term of a topic, as read from a terms file.
#[derive(Debug, Clone)]
pub(crate) struct TopicTerm {
    pub topic: String,
    pub term: String,
    pub weight: f32,
}

/// Parses a terms file (`path<TAB>term|term<TAB>weight`), calling `fail(line, message)` on a
/// bad line.
pub(crate) fn parse_terms(text: &str, mut fail: impl FnMut(usize, String)) -> Vec<TopicTerm> {
    let mut terms = Vec::new();
    for (number, line) in data_lines(text) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [path, words, weight] = fields.as_slice() else {
            fail(
                number,
                format!("expected 3 tab-separated fields, found {}", fields.len()),
            );
            continue;
        };
        if topic_index(path).is_none() {
            fail(number, format!("unknown topic `{path}`"));
            continue;
        }
        let Ok(weight) = weight.trim().parse::<f32>() else {
            fail(number, format!("weight `{weight}` is not a number"));
            continue;
        };
        if !weight.is_finite() || weight <= 0.0 {
            fail(number, format!("weight `{weight}` must be positive"));
            continue;
        }
        for word in words.split('|').map(str::trim).filter(|w| !w.is_empty()) {
            terms.push(TopicTerm {
                topic: path.to_string(),
                term: word.to_string(),
                weight,
            });
        }
    }
    terms
}

/// Scores the taxonomy's terms in articles. Built once by the enricher.
#[derive(Debug)]
pub(crate) struct TopicMatcher {
    /// The topics each phrase of [`List::TopicsFolded`] (lower-case terms and their variants,
    /// matched in any case) counts for, by the phrase's index.
    folded_targets: Vec<Vec<(usize, f32)>>,
    /// The same for [`List::TopicsCased`] (terms with capitals, matched as written).
    cased_targets: Vec<Vec<(usize, f32)>>,
    /// Index of each topic's top-level parent.
    parents: Vec<usize>,
    /// Where result scores and instrument codes count.
    sport: Option<usize>,
    economy: Option<usize>,
    /// The naive Bayes over words learned from the labelled sets.
    model: WordModel,
}

/// Plural variants of a term's last word.
fn variants(term: &str) -> Vec<String> {
    let mut out = vec![term.to_string()];
    let last = term.rsplit(' ').next().unwrap_or(term);
    if last.chars().count() < 3 || !last.chars().all(char::is_alphabetic) {
        return out;
    }
    if let Some(stem) = term
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'o', 'u']))
    {
        out.push(format!("{stem}ies"));
        return out;
    }
    if term.ends_with(['s', 'x', 'z']) || term.ends_with("ch") || term.ends_with("sh") {
        out.push(format!("{term}es"));
    } else {
        out.push(format!("{term}s"));
    }
    out
}

impl TopicMatcher {
    /// A matcher over the compiled-in terms plus `extra`, and the phrases it scores: those of
    /// [`List::TopicsFolded`] and [`List::TopicsCased`], for the lexicon that finds them.
    pub(crate) fn new(extra: &[TopicTerm]) -> (TopicMatcher, [Vec<Box<str>>; 2]) {
        let topics = taxonomy();
        let parents = topics
            .iter()
            .map(|t| {
                let top = t.path.split('/').next().unwrap_or(t.path);
                topic_index(top).unwrap_or(0)
            })
            .collect();
        let mut folded: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
        let mut cased: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
        let builtin = parse_terms(TERMS_TSV, |_, _| {});
        for term in builtin.iter().chain(extra) {
            let Some(topic) = topic_index(&term.topic) else {
                continue;
            };
            let lower = !term.term.chars().any(char::is_uppercase);
            let table = if lower { &mut folded } else { &mut cased };
            for variant in variants(&term.term) {
                let targets = table.entry(variant).or_default();
                match targets.iter_mut().find(|(t, _)| *t == topic) {
                    Some(target) => target.1 = target.1.max(term.weight),
                    None => targets.push((topic, term.weight)),
                }
            }
        }
        let (folded, folded_targets) = phrases(folded);
        let (cased, cased_targets) = phrases(cased);
        let matcher = TopicMatcher {
            sport: topic_index("sport"),
            economy: topic_index("economy"),
            folded_targets,
            cased_targets,
            parents,
            model: WordModel::parse(MODEL_TSV),
        };
        (matcher, [folded, cased])
    }

    /// The topics of an article, most salient first: subtopics scoring above the threshold,
    /// or a top level alone when none of its subtopics did; at least one topic when the body
    /// is not empty. Parents are implied by their subtopics' paths. Section words of the
    /// article's `url` and `path` count for their top levels; where the terms leave the choice
    /// unsure, the compiled-in word model adds its evidence.
    pub(crate) fn find(
        &self,
        segments: &[Segment<'_>],
        found: &[Vec<Found>],
        url: Option<&str>,
        path: &str,
    ) -> (Vec<String>, f32) {
        let evidence = self.evidence(segments, found, url, path);
        self.select(&evidence.scores, &evidence.totals)
    }

    /// The topics [`TopicMatcher::find`] finds, and the topics found when `extra` evidence for
    /// top levels by slug (the archive stage's model) is added to the same evidence.
    pub(crate) fn find_with(
        &self,
        segments: &[Segment<'_>],
        found: &[Vec<Found>],
        url: Option<&str>,
        path: &str,
        extra: &[(&str, f32)],
    ) -> [(Vec<String>, f32); 2] {
        let mut evidence = self.evidence(segments, found, url, path);
        let extracted = self.select(&evidence.scores, &evidence.totals);
        for &(top, weight) in extra {
            if let Some(top) = topic_index(top).filter(|&t| self.parents.get(t) == Some(&t)) {
                evidence.totals[top] += weight.max(0.0);
            }
        }
        let with_extra = self.select(&evidence.scores, &evidence.totals);
        [extracted, with_extra]
    }

    /// The weighted evidence of an article for each topic.
    fn evidence(
        &self,
        segments: &[Segment<'_>],
        found: &[Vec<Found>],
        url: Option<&str>,
        path: &str,
    ) -> Evidence {
        let topics = taxonomy();
        let mut evidence = Evidence {
            scores: vec![0f32; topics.len()],
            totals: vec![0f32; topics.len()],
            credited: Vec::new(),
        };
        let mut hits: FxHashMap<(bool, usize), u32> = FxHashMap::default();
        for (segment, found) in segments.iter().zip(found) {
            let title_case = segment.all_caps || is_title_case(segment.text);
            evidence.credited.clear();
            self.add_patterns(segment, &mut evidence);
            // Hits come in text order; at one start, the any-case list's before the as-written
            // list's, as the count-once rule needs.
            for m in found {
                let (targets, is_folded) = match m.list {
                    List::TopicsFolded => (&self.folded_targets, true),
                    List::TopicsCased => (&self.cased_targets, false),
                    _ => continue,
                };
                let pattern = m.pattern;
                let count = hits.entry((is_folded, pattern)).or_insert(0);
                *count += 1;
                if *count > MAX_HITS_PER_TERM {
                    continue;
                }
                let mut weight = topic_weight(segment, m.start);
                if is_folded && !title_case && is_proper_use(segment.text, m.start) {
                    weight *= PROPER_NOUN_FACTOR;
                }
                let targets = targets.get(pattern).map_or(&[][..], Vec::as_slice);
                self.add_hit(m.start, targets, weight, &mut evidence, is_folded);
            }
        }
        for top in section_topics(url, path) {
            if let Some(top) = topic_index(top) {
                evidence.scores[top] += SECTION_WEIGHT;
                evidence.totals[top] += SECTION_WEIGHT;
            }
        }
        if self.lexicon_confidence(&evidence.totals) < MODEL_BELOW {
            for (top, p) in self.model.posterior(segments) {
                evidence.totals[top] += MODEL_WEIGHT * p;
            }
        }
        evidence
    }

    /// The confidence of the best top level by `totals` alone.
    fn lexicon_confidence(&self, totals: &[f32]) -> f32 {
        (0..totals.len())
            .filter(|&i| self.parents.get(i) == Some(&i))
            .max_by(|&a, &b| totals[a].total_cmp(&totals[b]).then(b.cmp(&a)))
            .filter(|&t| totals[t] > 0.0)
            .map_or(0.0, |top| confidence(totals, &self.parents, top))
    }

    /// Adds one term hit at byte `start` to each topic it names, and to the top levels' totals
    /// once per top level and word: a word listed under a parent and under one of its subtopics
    /// (`school`), or matched both in any case and as written (`cup`, `Cup`), is one piece of
    /// evidence for the top level, counted at its largest weight there. Hits of the first pass
    /// (`first_pass`, in order of `start`) are recorded for the second pass to look up.
    fn add_hit(
        &self,
        start: usize,
        targets: &[(usize, f32)],
        weight: f32,
        evidence: &mut Evidence,
        first_pass: bool,
    ) {
        let top_of = |topic: usize| self.parents.get(topic).copied().unwrap_or(topic);
        for (k, &(topic, term_weight)) in targets.iter().enumerate() {
            if let Some(score) = evidence.scores.get_mut(topic) {
                *score += weight * term_weight;
            }
            let top = top_of(topic);
            if targets[..k].iter().any(|&(other, _)| top_of(other) == top) {
                continue;
            }
            let best = targets
                .iter()
                .filter(|&&(other, _)| top_of(other) == top)
                .map(|&(_, w)| weight * w)
                .fold(0f32, f32::max);
            let credited = if first_pass {
                evidence.credited.push((start, top, best));
                0.0
            } else {
                evidence.credit_at(start, top)
            };
            if let Some(total) = evidence.totals.get_mut(top).filter(|_| best > credited) {
                *total += best - credited;
            }
        }
    }

    /// Adds the evidence of patterns no term list holds: result scores for sport, instrument
    /// codes for business.
    fn add_patterns(&self, segment: &Segment<'_>, evidence: &mut Evidence) {
        let weight = topic_weight(segment, 0);
        let scores_found = score_count(segment.text).min(MAX_HITS_PER_TERM as usize);
        let tickers = ticker_count(segment.text).min(MAX_HITS_PER_TERM as usize);
        let found = [
            (self.sport, SCORE_WEIGHT * scores_found as f32),
            (self.economy, TICKER_WEIGHT * tickers as f32),
        ];
        for (topic, value) in found {
            let Some(topic) = topic else { continue };
            for table in [&mut evidence.scores, &mut evidence.totals] {
                if let Some(score) = table.get_mut(topic) {
                    *score += weight * value;
                }
            }
        }
    }

    /// Picks the topics from the raw scores: subtopics that pass the thresholds, each listed
    /// instead of its parent; a top level alone when none of its subtopics passed. The first
    /// topic belongs to the best top level (its own score plus its subtopics'); the rest follow
    /// by score.
    fn select(&self, scores: &[f32], totals: &[f32]) -> (Vec<String>, f32) {
        let topics = taxonomy();
        let is_top = |i: usize| self.parents.get(i) == Some(&i);
        let parent = |i: usize| self.parents.get(i).copied().unwrap_or(i);
        let best_sub = (0..scores.len())
            .filter(|&i| !is_top(i))
            .map(|i| scores[i])
            .fold(0f32, f32::max);
        let subs: Vec<usize> = (0..scores.len())
            .filter(|&i| !is_top(i))
            .filter(|&i| {
                scores[i] >= MIN_SUBTOPIC_SCORE && scores[i] >= MIN_SUBTOPIC_SHARE * best_sub
            })
            .collect();
        let best_top = (0..totals.len())
            .filter(|&i| is_top(i))
            .max_by(|&a, &b| totals[a].total_cmp(&totals[b]).then(b.cmp(&a)))
            .filter(|&t| totals[t] > 0.0);
        // (topic, the score it is ranked by)
        let mut chosen: Vec<(usize, f32)> = subs.iter().map(|&i| (i, scores[i])).collect();
        if let Some(top) = best_top.filter(|&t| !subs.iter().any(|&s| parent(s) == t)) {
            chosen.push((top, totals[top]));
        }
        chosen.sort_by(|&(a, sa), &(b, sb)| sb.total_cmp(&sa).then(a.cmp(&b)));
        if let Some(top) = best_top
            && let Some(lead) = chosen.iter().position(|&(i, _)| parent(i) == top)
        {
            let first = chosen.remove(lead);
            chosen.insert(0, first);
        }
        let mut paths: Vec<String> = chosen
            .into_iter()
            .filter_map(|(i, _)| topics.get(i))
            .map(|t| t.path.to_string())
            .collect();
        let confidence = best_top.map_or(0.0, |top| confidence(totals, &self.parents, top));
        if confidence < MIN_CONFIDENCE {
            paths.clear();
        }
        (paths, confidence)
    }
}

/// The weighted evidence of one article.
struct Evidence {
    /// Per topic: the weighted hits of its own terms and patterns.
    scores: Vec<f32>,
    /// Per top level: the evidence for it and its subtopics, each word counted once.
    totals: Vec<f32>,
    /// What each word of the first pass over the current segment added to a top level's total:
    /// (byte where the word starts, top level, evidence), in order of the byte.
    credited: Vec<(usize, usize, f32)>,
}

impl Evidence {
    /// What the first pass credited top level `top` with for the word starting at `start`.
    fn credit_at(&self, start: usize, top: usize) -> f32 {
        let from = self.credited.partition_point(|&(at, _, _)| at < start);
        self.credited[from..]
            .iter()
            .take_while(|&&(at, _, _)| at == start)
            .find(|&&(_, t, _)| t == top)
            .map_or(0.0, |&(_, _, value)| value)
    }
}

/// The weight of a match at byte `offset` of `segment` for topics: a headline weighs less
/// than for names (`TITLE_FACTOR`).
fn topic_weight(segment: &Segment<'_>, offset: usize) -> f32 {
    let weight = segment.weight_at(offset);
    if segment.part == Part::Title {
        weight * TITLE_FACTOR
    } else {
        weight
    }
}

/// How sure the choice of `top` is, from 0 to 1: its share of the evidence over all top
/// levels, scaled down when there is little evidence at all.
fn confidence(totals: &[f32], parents: &[usize], top: usize) -> f32 {
    let all: f32 = totals
        .iter()
        .enumerate()
        .filter(|&(i, _)| parents.get(i) == Some(&i))
        .map(|(_, &t)| t)
        .sum();
    let best = totals.get(top).copied().unwrap_or(0.0);
    if all <= 0.0 {
        return 0.0;
    }
    (best / all) * (best / FULL_EVIDENCE).min(1.0)
}

/// Whether the opening words of `text` are mostly capitalised (`Iowa Bests Iowa St.`): a
/// headline style in which case says nothing about proper nouns.
fn is_title_case(text: &str) -> bool {
    let head = text::prefix(text, TITLE_CASE_PREFIX);
    let (mut words, mut capitalised) = (0u32, 0u32);
    for word in head.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 4 || !word.starts_with(|c: char| c.is_alphabetic()) {
            continue;
        }
        words += 1;
        capitalised += u32::from(text::is_capitalised(word));
    }
    words >= 2 && capitalised * 3 >= words * 2
}

/// Whether the word at byte `start` is capitalised within a sentence (`the Miami Heat`,
/// `Virginia Tech`): a name rather than the common word a lower-case term means.
fn is_proper_use(text: &str, start: usize) -> bool {
    if !text[start..].starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    let before = text[..start].trim_end();
    match before.chars().next_back() {
        None => false,
        Some(c) => !matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '“' | '\'' | '‘' | '(' | '-' | '—' | '–' | '|'
        ),
    }
}

/// Result scores in a text (`70-63`, `(5-2)`, `3-1`): one or two numbers of up to three digits
/// joined by a hyphen, standing alone, and not a date, a range of years or a percentage.
fn score_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut from = 0;
    while let Some(found) = memchr_hyphen(&bytes[from..]) {
        let dash = from + found;
        from = dash + 1;
        let left = bytes[..dash]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let right = bytes[dash + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=3).contains(&left) || !(1..=3).contains(&right) {
            continue;
        }
        let before = bytes[..dash - left].last().copied();
        let after = bytes.get(dash + 1 + right).copied();
        let clean_before = before.is_none_or(|b| matches!(b, b' ' | b'(' | b'\n' | b','));
        let clean_after =
            after.is_none_or(|b| matches!(b, b' ' | b')' | b',' | b'.' | b';' | b'\n'));
        let tail = &text[dash + 1 + right..];
        let percentage = tail.trim_start().starts_with(['%', 'p']);
        if clean_before && clean_after && !percentage {
            count += 1;
        }
    }
    count
}

fn memchr_hyphen(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'-')
}

/// Market suffixes of instrument codes (`MSFT.O`, `IBM.N`, `NT.TO`, `VOW.ETR`).
const MARKETS: &[&str] = &[
    "N", "O", "OQ", "A", "L", "TO", "T", "DE", "F", "PA", "AS", "MI", "MC", "HK", "AX", "KS", "SS",
    "SW", "ST", "BR", "ETR", "NS", "BO",
];

/// Instrument codes (`MSFT.O`, `(IBM.N)`, `<CIEN.O>`, `NT.TO`): a company's shares, so
/// business news.
fn ticker_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut from = 0;
    while let Some(found) = bytes[from..].iter().position(|&b| b == b'.') {
        let dot = from + found;
        from = dot + 1;
        let symbol = bytes[..dot]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_uppercase())
            .count();
        let market = bytes[dot + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if !(2..=5).contains(&symbol) || market == 0 {
            continue;
        }
        let before = bytes[..dot - symbol].last().copied();
        let after = bytes.get(dot + 1 + market).copied();
        let opens = before.is_none_or(|b| matches!(b, b' ' | b'(' | b'<' | b'\n'));
        let closes = after.is_none_or(|b| matches!(b, b' ' | b')' | b'>' | b':' | b',' | b'\n'));
        let suffix = &text[dot + 1..dot + 1 + market];
        if opens && closes && MARKETS.contains(&suffix) {
            count += 1;
        }
    }
    count
}

/// The section words of URLs and paths, each with the top level it names.
fn section_words() -> &'static FxHashMap<&'static str, &'static str> {
    static WORDS: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        data_lines(SECTIONS_TSV)
            .filter_map(|(_, line)| line.split_once('\t'))
            .map(|(word, topic)| (word.trim(), topic.trim()))
            .filter(|(_, topic)| topic_index(topic).is_some())
            .collect()
    })
}

/// The most words a URL or path segment ending in a number (an article's slug such as
/// `world-us-canada-12345`) may have for its section words to count; one fewer without a number.
const MAX_SECTION_WORDS: usize = 3;

/// The top levels the section words of a URL or path name (`https://example.com/sport/`,
/// `news/business-61791234`, `corpus/tech/001.txt`, `sports.example.com`), each once, in the
/// order found. A segment counts when it is one or two words (`uk-politics`), or up to three
/// followed by a number (`world-us-canada-12345`): longer ones are headlines made slugs.
pub fn section_topics(url: Option<&str>, path: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut segments: Vec<&str> = Vec::new();
    if let Some(url) = url {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let (host, route) = rest.split_once('/').unwrap_or((rest, ""));
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() >= 3 {
            segments.push(labels[0]);
        }
        segments.extend(route.split('/'));
    }
    let mut components: Vec<&str> = path.split(['/', '\\']).collect();
    if let Some(last) = components.last_mut() {
        *last = last.split('.').next().unwrap_or(last);
    }
    segments.extend(components);
    let table = section_words();
    for segment in segments {
        if segment.len() > 80 {
            continue;
        }
        let parts: Vec<&str> = segment
            .split(['-', '_', '.', '+', ' ', ','])
            .filter(|p| !p.is_empty())
            .collect();
        let numbered = parts.iter().any(|p| p.bytes().all(|b| b.is_ascii_digit()));
        let words: Vec<&str> = parts
            .into_iter()
            .filter(|p| !p.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let limit = if numbered {
            MAX_SECTION_WORDS
        } else {
            MAX_SECTION_WORDS - 1
        };
        if words.is_empty() || words.len() > limit {
            continue;
        }
        for word in words {
            let lower = word.to_ascii_lowercase();
            if let Some(&topic) = table.get(lower.as_str())
                && !out.contains(&topic)
            {
                out.push(topic);
            }
        }
    }
    out
}

/// The topics a term counts for, with its weight for each.
type Targets = Vec<(usize, f32)>;

fn phrases(table: HashMap<String, Targets>) -> (Vec<Box<str>>, Vec<Targets>) {
    let mut entries: Vec<(String, Targets)> = table.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(phrase, targets)| (phrase.into_boxed_str(), targets))
        .unzip()
}

#[cfg(test)]
#[path = "topics_tests.rs"]
mod tests;
