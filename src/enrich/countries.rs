//! Countries: the compiled-in table of codes, names, aliases, demonyms and cities, lookups for
//! the search command line, and the matcher that finds countries in article text.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::phrases::{Found, List};
use super::text::{self, Segment};
use crate::article::CountryCode;

pub(crate) const COUNTRIES_TSV: &str = include_str!("data/countries.tsv");
pub(crate) const CONTEXT_TSV: &str = include_str!("data/country_context.tsv");
pub(crate) const BLOCKERS_TXT: &str = include_str!("data/country_blockers.txt");
pub(crate) const DATELINE_TSV: &str = include_str!("data/dateline_places.tsv");

/// Weight of the dateline place.
const DATELINE_WEIGHT: f32 = 2.0;

/// Capitalised words that, right after a country term, make it part of the name of an event,
/// a competition or a company (`U.S. Open`, `American League`, `Italian Cup`, `Swiss Bank
/// Corp`): such a match only supports a country found elsewhere.
const NAME_HEADS: &[&str] = &[
    "Open",
    "Opens",
    "League",
    "Cup",
    "Supercup",
    "Championship",
    "Championships",
    "Masters",
    "Amateur",
    "Rules",
    "Football",
    "Stock",
    "Bank",
    "Airlines",
    "Airways",
    "Petroleum",
    "Broadcasting",
];

/// One row of the country table.
#[derive(Debug)]
struct CountryInfo {
    code: &'static str,
    name: &'static str,
    aliases: Vec<&'static str>,
    demonyms: Vec<&'static str>,
    cities: Vec<&'static str>,
}

/// Lines of a data file that are neither blank nor comments, numbered from 1.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
}

fn split_list(field: &str) -> Vec<&str> {
    if field == "-" {
        return Vec::new();
    }
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses the country table, returning the rows and the numbers of malformed lines.
fn parse_table(text: &'static str) -> (Vec<CountryInfo>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (number, line) in data_lines(text) {
        let fields: Vec<&'static str> = line.split('\t').collect();
        match fields.as_slice() {
            [code, name, aliases, demonyms, cities] if is_code(code) => {
                rows.push(CountryInfo {
                    code,
                    name,
                    aliases: split_list(aliases),
                    demonyms: split_list(demonyms),
                    cities: split_list(cities),
                });
            }
            _ => bad.push(number),
        }
    }
    (rows, bad)
}

fn table() -> &'static [CountryInfo] {
    static TABLE: OnceLock<Vec<CountryInfo>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(COUNTRIES_TSV).0)
}

/// The common English short name of a country code (`IN` -> `India`), case-insensitively;
/// archive-era codes (`SU`, `DD`, `YU`, `CS`) included.
pub fn country_name(code: &str) -> Option<&'static str> {
    static NAMES: OnceLock<HashMap<[u8; 2], &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        for (code, name) in short_names() {
            if let [a, b] = *code.as_bytes() {
                names.entry([a, b]).or_insert(name);
            }
        }
        names
    });
    // Every code of the table is two ASCII capitals.
    match *code.trim().as_bytes() {
        [a, b] => names
            .get(&[a.to_ascii_uppercase(), b.to_ascii_uppercase()])
            .copied(),
        _ => None,
    }
}

/// `(code, name)` of every well-formed row, read from the first two columns only: naming the
/// countries of a few search hits should not cost parsing the whole table with its aliases.
fn short_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    data_lines(COUNTRIES_TSV).filter_map(|(_, line)| {
        let (code, rest) = line.split_once('\t')?;
        let (name, _) = rest.split_once('\t')?;
        is_code(code).then_some((code, name))
    })
}

/// Whether a table cell is a country code: two ASCII capitals.
fn is_code(cell: &str) -> bool {
    cell.len() == 2 && cell.chars().all(|c| c.is_ascii_uppercase())
}

/// Every known country as `(code, name)`, in table order.
pub fn all_countries() -> impl Iterator<Item = (&'static str, &'static str)> {
    table().iter().map(|row| (row.code, row.name))
}

/// Every name, alias, demonym and city of the table.
pub(crate) fn all_terms() -> impl Iterator<Item = &'static str> {
    table().iter().flat_map(|row| {
        std::iter::once(row.name)
            .chain(row.aliases.iter().copied())
            .chain(row.demonyms.iter().copied())
            .chain(row.cities.iter().copied())
    })
}

/// Lower-cased codes, names, aliases and demonyms, each with its row.
fn resolution_index() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for (row_index, row) in table().iter().enumerate() {
            let forms = [row.code, row.name]
                .into_iter()
                .chain(row.aliases.iter().copied())
                .chain(row.demonyms.iter().copied());
            for form in forms {
                index.entry(form.to_lowercase()).or_insert(row_index);
            }
        }
        index
    })
}

/// Resolves what a user typed (a code, name, alias or demonym, in any case: `IN`, `India`,
/// `Indian`, `U.S.`, `America`) to a country code. On failure, returns up to three of the
/// nearest countries by edit distance, nearest first.
pub fn resolve_country(input: &str) -> Result<CountryCode, Vec<(CountryCode, &'static str)>> {
    let key = input.trim().to_lowercase();
    let rows = table();
    if let Some(row) = resolution_index().get(&key).and_then(|&i| rows.get(i)) {
        return Ok(CountryCode(row.code.to_string()));
    }
    let limit = 2 + key.chars().count() / 4;
    let mut best: HashMap<usize, usize> = HashMap::new();
    for (form, &row) in resolution_index() {
        // Levenshtein by characters: a swap of neighbours counts two edits.
        let distance = strsim::levenshtein(&key, form);
        if distance <= limit {
            let entry = best.entry(row).or_insert(distance);
            *entry = (*entry).min(distance);
        }
    }
    let mut ranked: Vec<(usize, usize)> = best.into_iter().map(|(row, d)| (d, row)).collect();
    ranked.sort_unstable();
    Err(ranked
        .into_iter()
        .filter_map(|(_, row)| rows.get(row))
        .take(3)
        .map(|row| (CountryCode(row.code.to_string()), row.name))
        .collect())
}

/// How a term names its country.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TermKind {
    /// Name, official or former name, alias or abbreviation.
    Name,
    /// Demonym or adjective.
    Demonym,
    /// Capital, major city or metonym.
    City,
    /// A phrase naming no country that hides the terms inside it.
    Blocker,
}

/// Context rules for one ambiguous term.
#[derive(Debug, Default, Clone)]
struct Rules {
    needs: Vec<String>,
    not_next: Vec<String>,
    not_prev: Vec<String>,
    not_name: bool,
}

#[derive(Debug)]
struct Term {
    text: String,
    /// Index into `CountryMatcher::codes`; unused for blockers.
    code: usize,
    kind: TermKind,
    rules: Option<Rules>,
}

/// Finds countries in text. Built once by the enricher.
#[derive(Debug)]
pub(crate) struct CountryMatcher {
    codes: Vec<String>,
    terms: Vec<Term>,
    /// Terms usable in all-caps text ([`List::CountriesCaps`]); its phrase i is
    /// `terms[caps_terms[i]]`. All terms are [`List::Countries`].
    caps_terms: Vec<usize>,
    /// Lower-cased names and cities, for datelines.
    places: HashMap<String, usize>,
}

/// A country found in an article with its salience.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    strong: f32,
    weak: f32,
    /// A city in the headline or lead: stands in when nothing else does.
    setting: bool,
    first: usize,
    /// How many times the text names it.
    mentions: u32,
    /// Whether the headline or lead names it.
    in_lead: bool,
}

impl CountryMatcher {
    /// A matcher over the compiled-in table plus `extra` (alias, code) pairs, codes already
    /// validated.
    pub(crate) fn new(extra: &[(String, String)]) -> CountryMatcher {
        let rows = table();
        let codes: Vec<String> = rows.iter().map(|r| r.code.to_string()).collect();
        let rules = parse_rules(CONTEXT_TSV);
        let mut terms = Vec::new();
        let mut push = |text: &str, code: usize, kind: TermKind| {
            terms.push(Term {
                text: text.to_string(),
                code,
                kind,
                rules: rules.get(text).cloned(),
            });
        };
        for (code, row) in rows.iter().enumerate() {
            push(row.name, code, TermKind::Name);
            for alias in &row.aliases {
                push(alias, code, TermKind::Name);
            }
            for demonym in &row.demonyms {
                push(demonym, code, TermKind::Demonym);
            }
            for city in &row.cities {
                push(city, code, TermKind::City);
            }
        }
        for (alias, code) in extra {
            if let Some(index) = codes.iter().position(|c| c == code) {
                push(alias, index, TermKind::Name);
            }
        }
        for (_, line) in data_lines(BLOCKERS_TXT) {
            push(line.trim(), 0, TermKind::Blocker);
        }
        let mut places = HashMap::new();
        for term in terms.iter().filter(|t| t.kind != TermKind::Blocker) {
            places.entry(term.text.to_lowercase()).or_insert(term.code);
        }
        for (_, line) in data_lines(DATELINE_TSV) {
            let Some((place, code)) = line.split_once('\t') else {
                continue;
            };
            if let Some(index) = codes.iter().position(|c| c == code.trim()) {
                places.entry(place.trim().to_lowercase()).or_insert(index);
            }
        }
        let caps_terms: Vec<usize> = (0..terms.len())
            .filter(|&i| usable_in_caps(&terms[i].text))
            .collect();
        CountryMatcher {
            codes,
            terms,
            caps_terms,
            places,
        }
    }

    /// The phrases of [`List::Countries`] and [`List::CountriesCaps`].
    pub(crate) fn phrases(&self) -> [Vec<Box<str>>; 2] {
        let all = self.terms.iter().map(|t| Box::from(t.text.as_str()));
        let caps = self
            .caps_terms
            .iter()
            .map(|&i| Box::from(self.terms[i].text.as_str()));
        [all.collect(), caps.collect()]
    }

    /// The countries of an article, most salient first; `found` holds each segment's phrases.
    ///
    /// Names and demonyms are strong evidence; cities outside the lead, and terms inside the
    /// name of an event or company only support a country named elsewhere. A dateline marks
    /// wire copy, whose countries are its places as a wire desk files them: the dateline's
    /// country (`TOKYO, March 3 -` gives Japan) and the countries named more than in passing
    /// (see [`drop_passing_mentions`]). Without a dateline every country named counts.
    /// A term that is the surname of a person in `people` (`Neil Jordan`) does not count.
    pub(crate) fn find(
        &self,
        segments: &[Segment<'_>],
        found: &[Vec<Found>],
        body: &str,
        is_given_name: &dyn Fn(&str) -> bool,
        people: &[String],
    ) -> Vec<CountryCode> {
        let mut tallies: HashMap<usize, Tally> = HashMap::new();
        let mut position = 0usize;
        let dateline = text::dateline(body).and_then(|d| {
            let region = d.region.map(str::to_lowercase);
            let place = d.place.to_lowercase();
            let key = region
                .filter(|r| self.places.contains_key(r))
                .unwrap_or(place);
            self.places.get(&key)
        });
        let surnames: Vec<&str> = people
            .iter()
            .filter(|p| p.contains(' '))
            .filter_map(|p| p.rsplit(' ').next())
            .collect();
        for (segment, found) in segments.iter().zip(found) {
            let text = segment.text;
            let matches = found.iter().filter_map(|m| {
                let term = match m.list {
                    List::Countries if !segment.all_caps => m.pattern,
                    List::CountriesCaps if segment.all_caps => *self.caps_terms.get(m.pattern)?,
                    _ => return None,
                };
                Some((term, m.start, m.end))
            });
            for (index, start, end) in matches {
                let Some(term) = self.terms.get(index) else {
                    continue;
                };
                if term.kind == TermKind::Blocker || is_sign_off(text, start) {
                    continue;
                }
                let after = &text[end..];
                if after.starts_with('$') {
                    // A currency: `US$`, `NZ$`.
                    continue;
                }
                let matched = &text[start..end];
                if surnames.iter().any(|s| s.eq_ignore_ascii_case(matched)) {
                    continue;
                }
                let mut verdict = match &term.rules {
                    Some(rules) if !segment.all_caps => {
                        judge(rules, text, start, end, segments, is_given_name)
                    }
                    Some(rules) if !rules.needs.is_empty() => Verdict::Weak,
                    _ => Verdict::Strong,
                };
                // A city is a setting, not the subject: it only adds to a country named
                // elsewhere, or stands in for one in the headline or lead of a text that names
                // none and has no dateline.
                if term.kind == TermKind::City && verdict == Verdict::Strong {
                    verdict = if segment.is_lead(start) {
                        Verdict::Setting
                    } else {
                        Verdict::Weak
                    };
                }
                if verdict == Verdict::Strong && is_inside_name(after) {
                    verdict = Verdict::Weak;
                }
                let weight = segment.weight_at(start);
                let tally = tallies.entry(term.code).or_insert(Tally {
                    first: position + start,
                    ..Tally::default()
                });
                if verdict != Verdict::Reject {
                    tally.mentions += 1;
                    tally.in_lead |= segment.is_lead(start);
                }
                match verdict {
                    Verdict::Strong => tally.strong += weight,
                    Verdict::Weak => tally.weak += weight,
                    Verdict::Setting => {
                        tally.weak += weight;
                        tally.setting = true;
                    }
                    Verdict::Reject => {}
                }
            }
            position += text.len() + 1;
        }
        let any_strong = tallies.values().any(|t| t.strong > 0.0);
        if let Some(&code) = dateline {
            let tally = tallies.entry(code).or_insert(Tally {
                first: usize::MAX,
                ..Tally::default()
            });
            // Wire copy: the dateline is the story's setting.
            tally.strong += DATELINE_WEIGHT;
            drop_passing_mentions(&mut tallies, code, position);
        } else if !any_strong {
            for tally in tallies.values_mut().filter(|t| t.setting) {
                tally.strong += tally.weak;
            }
        }
        let mut found: Vec<(usize, Tally)> = tallies
            .into_iter()
            .filter(|(_, t)| t.strong > 0.0)
            .collect();
        found.sort_by(|(ca, a), (cb, b)| {
            (b.strong + b.weak)
                .total_cmp(&(a.strong + a.weak))
                .then(a.first.cmp(&b.first))
                .then(ca.cmp(cb))
        });
        found
            .into_iter()
            .filter_map(|(code, _)| self.codes.get(code))
            .map(|code| CountryCode(code.clone()))
            .collect()
    }
}

/// In wire copy (`setting` is the dateline's country; `length` the bytes of title and body),
/// leaves out the countries named only in passing: once, past the lead and in the second half
/// of the story, where the dateline already tells where the story is.
fn drop_passing_mentions(tallies: &mut HashMap<usize, Tally>, setting: usize, length: usize) {
    let second_half = length / 2;
    for (&code, tally) in tallies.iter_mut() {
        if code != setting && tally.mentions == 1 && !tally.in_lead && tally.first >= second_half {
            tally.strong = 0.0;
        }
    }
}

/// Whether the words after a match make it part of an event or company name.
fn is_inside_name(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    let word_end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let word = &rest[..word_end];
    NAME_HEADS
        .iter()
        .any(|head| head.eq_ignore_ascii_case(word))
        && word.starts_with(|c: char| c.is_uppercase())
}

/// Whether byte `start` lies on a wire sign-off line (`-- Paris Newsroom +33 1 ...`), which
/// names the desk that filed the story, not a country it is about. Sign-off lines are short:
/// only the [`SIGN_OFF_BYTES`] before `start` are searched for the line's start, so a text of
/// one long line costs linear time, not the square of its length.
fn is_sign_off(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(SIGN_OFF_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let line_start = match text[from..start].rfind('\n') {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    text[line_start..].trim_start().starts_with("--")
}

/// How far before a country name the start of a sign-off line is looked for.
const SIGN_OFF_BYTES: usize = 200;

/// How much one ambiguous match counts.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Strong,
    /// Counts only when the country has strong evidence elsewhere.
    Weak,
    /// Weak, but stands in for a country when the article names none and has no dateline.
    Setting,
    Reject,
}

fn judge(
    rules: &Rules,
    text: &str,
    start: usize,
    end: usize,
    segments: &[Segment<'_>],
    is_given_name: &dyn Fn(&str) -> bool,
) -> Verdict {
    let prev = previous_word(text, start);
    let (next, possessive) = next_word(text, end);
    if prev.is_some_and(|p| rules.not_prev.iter().any(|w| w == p)) {
        return Verdict::Reject;
    }
    if rules.not_name && !possessive {
        let prev_is_name = prev.is_some_and(is_given_name);
        let next_is_name = next.is_some_and(|n| text::is_capitalised(n) && !possessive);
        if prev_is_name || next_is_name {
            return Verdict::Reject;
        }
    }
    if rules.not_name && prev.is_some_and(is_given_name) {
        return Verdict::Reject;
    }
    // A results line: `Rubens Barrichello (Brazil) Jordan 1:55.645` names a team.
    if rules.not_name && text[..start].trim_end_matches(' ').ends_with(')') {
        return Verdict::Reject;
    }
    if next.is_some_and(|n| rules.not_next.iter().any(|w| w == n)) {
        return Verdict::Weak;
    }
    if !rules.needs.is_empty() && !rules.needs.iter().any(|w| mentions(segments, w)) {
        return Verdict::Weak;
    }
    Verdict::Strong
}

/// The word just before `start` on the same line, if only spaces separate them.
fn previous_word(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start)?;
    let trimmed = before.trim_end_matches(' ');
    if trimmed.len() == before.len() && !before.is_empty() {
        return None;
    }
    let word_start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.' || *c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &trimmed[word_start..];
    (!word.is_empty()).then_some(word)
}

/// The word after `end` (skipping a possessive `'s` and spaces), and whether there was a
/// possessive.
fn next_word(text: &str, end: usize) -> (Option<&str>, bool) {
    let Some(after) = text.get(end..) else {
        return (None, false);
    };
    let (after, possessive) = match after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("’s"))
    {
        Some(rest) => (rest, true),
        None => (after, false),
    };
    let trimmed = after.trim_start_matches(' ');
    let word_end = trimmed
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '-'))
        .map_or(trimmed.len(), |(i, _)| i);
    let word = &trimmed[..word_end];
    ((!word.is_empty()).then_some(word), possessive)
}

fn mentions(segments: &[Segment<'_>], word: &str) -> bool {
    segments.iter().any(|s| {
        s.text
            .match_indices(word)
            .any(|(i, m)| text::is_whole_word(s.text, i, i + m.len()))
    })
}

/// Whether a term may match in all-caps text: abbreviations of two letters (`US`, `UK`) may
/// not, they are ordinary words there.
fn usable_in_caps(term: &str) -> bool {
    let letters = term.chars().filter(|c| c.is_alphabetic()).count();
    let all_upper = term.chars().all(|c| !c.is_lowercase());
    !(all_upper && letters <= 2 && !term.contains('.'))
}

/// Terms that are also personal names ("Jordan", "Chad"), by their context rules.
pub(crate) fn name_like_terms() -> impl Iterator<Item = String> {
    parse_rules(CONTEXT_TSV)
        .into_iter()
        .filter(|(_, rules)| rules.not_name)
        .map(|(term, _)| term)
}

fn parse_rules(text: &str) -> HashMap<String, Rules> {
    let mut rules: HashMap<String, Rules> = HashMap::new();
    for (_, line) in data_lines(text) {
        let mut fields = line.split('\t');
        let (Some(term), Some(rule)) = (fields.next(), fields.next()) else {
            continue;
        };
        let words: Vec<String> = split_list(fields.next().unwrap_or("-"))
            .into_iter()
            .map(str::to_string)
            .collect();
        let entry = rules.entry(term.to_string()).or_default();
        match rule {
            "needs" => entry.needs.extend(words),
            "notnext" => entry.not_next.extend(words),
            "notprev" => entry.not_prev.extend(words),
            "notname" => entry.not_name = true,
            _ => {}
        }
    }
    rules
}

#[cfg(test)]
#[path = "countries_tests.rs"]
mod tests;
