//! Topics: the compiled-in taxonomy (slash paths modelled on the IPTC Media Topics) and the
//! scorer that weighs its news-vocabulary terms in an article.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::countries::data_lines;
use super::text::{self, Segment};

pub(crate) const TOPICS_TSV: &str = include_str!("data/topics.tsv");
pub(crate) const TERMS_TSV: &str = include_str!("data/topic_terms.tsv");

/// A subtopic must score at least this much to be kept.
const MIN_SUBTOPIC_SCORE: f32 = 4.0;
/// ... and at least this share of the best subtopic's score.
const MIN_SUBTOPIC_SHARE: f32 = 0.3;
/// Hits of one term beyond this many add nothing.
const MAX_HITS_PER_TERM: u32 = 4;
/// The topic of an article with a body in which no term matched.
const FALLBACK_TOPIC: &str = "society";

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
    /// Lower-case terms and their variants, matched in any case.
    folded: Option<AhoCorasick>,
    folded_targets: Vec<Vec<(usize, f32)>>,
    /// Terms with capitals, matched as written.
    cased: Option<AhoCorasick>,
    cased_targets: Vec<Vec<(usize, f32)>>,
    /// Index of each topic's top-level parent.
    parents: Vec<usize>,
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
    /// A matcher over the compiled-in terms plus `extra`.
    pub(crate) fn new(extra: &[TopicTerm]) -> TopicMatcher {
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
        let (folded, folded_targets) = automaton(folded, true);
        let (cased, cased_targets) = automaton(cased, false);
        TopicMatcher {
            folded,
            folded_targets,
            cased,
            cased_targets,
            parents,
        }
    }

    /// The topics of an article, most salient first: subtopics scoring above the threshold,
    /// or a top level alone when none of its subtopics did; at least one topic when the body
    /// is not empty. Parents are implied by their subtopics' paths.
    pub(crate) fn find(&self, segments: &[Segment<'_>], has_body: bool) -> Vec<String> {
        let topics = taxonomy();
        let mut scores = vec![0f32; topics.len()];
        let mut hits: HashMap<(bool, usize), u32> = HashMap::new();
        for segment in segments {
            let passes = [
                (&self.folded, &self.folded_targets, true),
                (&self.cased, &self.cased_targets, false),
            ];
            for (automaton, targets, is_folded) in passes {
                for m in automaton.iter().flat_map(|a| a.find_iter(segment.text)) {
                    if !text::is_whole_word(segment.text, m.start(), m.end()) {
                        continue;
                    }
                    let pattern = m.pattern().as_usize();
                    let count = hits.entry((is_folded, pattern)).or_insert(0);
                    *count += 1;
                    if *count > MAX_HITS_PER_TERM {
                        continue;
                    }
                    let weight = segment.weight_at(m.start());
                    for &(topic, term_weight) in targets.get(pattern).into_iter().flatten() {
                        if let Some(score) = scores.get_mut(topic) {
                            *score += weight * term_weight;
                        }
                    }
                }
            }
        }
        self.select(&scores, has_body)
    }

    /// Picks the topics from the raw scores: subtopics that pass the thresholds, each listed
    /// instead of its parent; a top level alone when none of its subtopics passed. The first
    /// topic belongs to the best top level (its own score plus its subtopics'); the rest follow
    /// by score.
    fn select(&self, scores: &[f32], has_body: bool) -> Vec<String> {
        let topics = taxonomy();
        let is_top = |i: usize| self.parents.get(i) == Some(&i);
        let parent = |i: usize| self.parents.get(i).copied().unwrap_or(i);
        let mut totals = scores.to_vec();
        for (index, &score) in scores.iter().enumerate() {
            let parent = parent(index);
            if let Some(total) = totals.get_mut(parent).filter(|_| parent != index) {
                *total += score;
            }
        }
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
        if paths.is_empty() && has_body {
            paths.push(FALLBACK_TOPIC.to_string());
        }
        paths
    }
}

fn automaton(
    table: HashMap<String, Vec<(usize, f32)>>,
    fold: bool,
) -> (Option<AhoCorasick>, Vec<Vec<(usize, f32)>>) {
    let mut entries: Vec<(String, Vec<(usize, f32)>)> = table.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let (patterns, targets): (Vec<String>, Vec<Vec<(usize, f32)>>) = entries.into_iter().unzip();
    let built = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(fold)
        .build(&patterns)
        .ok();
    (built, targets)
}

#[cfg(test)]
#[path = "topics_tests.rs"]
mod tests;
