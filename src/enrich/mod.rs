//! Entity extraction: the people, countries and topics an article is about.
//!
//! [`Enricher::new`] builds every matcher once from the tables compiled into the binary
//! (`src/enrich/data/`); [`Enricher::with_extra`] adds a user's own gazetteer files. The
//! [`countries`] and [`topics`] modules also answer lookups without an enricher.

pub mod countries;
mod lang;
mod orgs;
mod people;
mod phrases;
mod text;
pub mod topics;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::article::{Article, Entities, Fnv1a};
use countries::CountryMatcher;
use orgs::OrgFinder;
use people::PeopleFinder;
use phrases::{Found, Lexicon, List, Lists};
use topics::{TopicMatcher, TopicTerm};

/// File of extra people in a gazetteer folder: one full name a line.
pub const EXTRA_PEOPLE_FILE: &str = "people.txt";
/// File of extra country aliases in a gazetteer folder: `alias<TAB>CODE` a line.
pub const EXTRA_COUNTRIES_FILE: &str = "countries.tsv";
/// File of extra topic terms in a gazetteer folder: `topic/path<TAB>term<TAB>weight` a line.
pub const EXTRA_TOPICS_FILE: &str = "topics.tsv";

/// Every compiled-in data table, for fingerprinting what extraction produces.
pub const COMPILED_DATA: &[&str] = &[
    countries::COUNTRIES_TSV,
    countries::CONTEXT_TSV,
    countries::BLOCKERS_TXT,
    countries::DATELINE_TSV,
    people::GIVEN_NAMES,
    people::GIVEN_NAMES_US,
    people::SURNAMES,
    people::FAMILY_FIRST,
    people::ROLES,
    people::NOT_NAMES,
    orgs::ORG_WORDS,
    orgs::ORG_KNOWN,
    topics::TOPICS_TSV,
    topics::TERMS_TSV,
    topics::SECTIONS_TSV,
    topics::MODEL_TSV,
];

/// The source of the extraction rules: a change to any of them is a change of what extraction
/// produces, fingerprinted like a change of data.
const RULES: &[&str] = &[
    include_str!("mod.rs"),
    include_str!("countries.rs"),
    include_str!("people.rs"),
    include_str!("orgs.rs"),
    include_str!("phrases.rs"),
    include_str!("topics.rs"),
    include_str!("topic_words.rs"),
    include_str!("text.rs"),
    include_str!("lang.rs"),
];

/// Identifies what extraction produces: this version of newsdex, its compiled-in tables, the
/// source of its rules and the extra gazetteers in `dir`. An index records it, so that a change
/// makes the next run extract every article again. Missing gazetteer files count as empty.
pub fn extraction_fingerprint(dir: Option<&Path>) -> Result<String, EnrichError> {
    fingerprint_of(COMPILED_DATA.iter().chain(RULES), dir)
}

fn fingerprint_of<'a>(
    parts: impl Iterator<Item = &'a &'a str>,
    dir: Option<&Path>,
) -> Result<String, EnrichError> {
    let mut hash = Fnv1a::new();
    let mut feed = |bytes: &[u8]| {
        hash.write(bytes);
        hash.write(&[0xff]);
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        feed(part.as_bytes());
    }
    if let Some(dir) = dir {
        for name in [EXTRA_PEOPLE_FILE, EXTRA_COUNTRIES_FILE, EXTRA_TOPICS_FILE] {
            feed(
                read_optional(&dir.join(name))?
                    .unwrap_or_default()
                    .as_bytes(),
            );
        }
    }
    Ok(format!(
        "{}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        hash.finish()
    ))
}

/// A user gazetteer that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EnrichError {
    /// The folder or one of its files could not be read.
    #[error("cannot read gazetteer `{}`", path.display())]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A line of a gazetteer file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Its line number, from 1.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
}

/// Finds people, countries and topics in articles. Build once per process; `enrich` is cheap
/// and thread-safe.
#[derive(Debug)]
pub struct Enricher {
    /// The phrase lists of topics and countries, searched in one walk over each segment.
    lexicon: Lexicon,
    countries: CountryMatcher,
    people: PeopleFinder,
    orgs: OrgFinder,
    topics: TopicMatcher,
}

impl Default for Enricher {
    fn default() -> Self {
        Enricher::new()
    }
}

impl Enricher {
    /// An enricher with the gazetteers compiled into the binary.
    pub fn new() -> Enricher {
        Enricher::build(&[], &[], &[])
    }

    /// An enricher with the compiled-in gazetteers plus those in `dir`: any of
    /// [`EXTRA_PEOPLE_FILE`], [`EXTRA_COUNTRIES_FILE`] and [`EXTRA_TOPICS_FILE`]; missing files
    /// are skipped. Errors name the file and line.
    pub fn with_extra(dir: &Path) -> Result<Enricher, EnrichError> {
        if let Err(source) = fs::read_dir(dir) {
            return Err(EnrichError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
        let people = match read_optional(&dir.join(EXTRA_PEOPLE_FILE))? {
            Some(text) => countries::data_lines(&text)
                .map(|(_, l)| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect(),
            None => Vec::new(),
        };
        let countries = match read_optional(&dir.join(EXTRA_COUNTRIES_FILE))? {
            Some(text) => parse_extra_countries(&text, &dir.join(EXTRA_COUNTRIES_FILE))?,
            None => Vec::new(),
        };
        let topics = match read_optional(&dir.join(EXTRA_TOPICS_FILE))? {
            Some(text) => {
                let path = dir.join(EXTRA_TOPICS_FILE);
                let mut first_error = None;
                let terms = topics::parse_terms(&text, |line, message| {
                    first_error.get_or_insert(EnrichError::Invalid {
                        path: path.clone(),
                        line,
                        message,
                    });
                });
                if let Some(error) = first_error {
                    return Err(error);
                }
                terms
            }
            None => Vec::new(),
        };
        Ok(Enricher::build(&people, &countries, &topics))
    }

    fn build(people: &[String], countries: &[(String, String)], topics: &[TopicTerm]) -> Self {
        let country_matcher = CountryMatcher::new(countries);
        let mut places: HashSet<String> = countries::all_terms().map(str::to_string).collect();
        places.extend(countries.iter().map(|(alias, _)| alias.clone()));
        for name in countries::name_like_terms() {
            places.remove(&name);
        }
        let (topics, [topics_folded, topics_cased]) = TopicMatcher::new(topics);
        let [countries_all, countries_caps] = country_matcher.phrases();
        Enricher {
            lexicon: Lexicon::new([topics_folded, topics_cased, countries_all, countries_caps]),
            countries: country_matcher,
            people: PeopleFinder::new(places, people),
            orgs: OrgFinder::new(),
            topics,
        }
    }

    /// The entities of one article, each list ordered by salience. The language is the
    /// record's own (`article.lang`) or else detected; people and topics are looked for only in
    /// English (or undetermined) text, countries in any.
    pub fn enrich(&self, article: &Article) -> Entities {
        let lang = language(article);
        self.enrich_as(article, lang.as_deref())
    }

    /// Like [`Enricher::enrich`], and fills in `article.lang` with the detected language (an
    /// ISO 639-1 code such as `en` or `fr`) when the record gave none, so that it is stored.
    pub fn enrich_article(&self, article: &mut Article) -> Entities {
        let lang = language(article);
        if article.lang.is_none() {
            article.lang.clone_from(&lang);
        }
        self.enrich_as(article, lang.as_deref())
    }

    /// The topics of an article and their confidence as [`Enricher::enrich`] finds them, and
    /// as found with `extra` evidence (weighted hits for top levels, as `("sport", 2.5)`)
    /// added to the lexicon's before the topics are chosen: how the archive stage's model has
    /// its say. `None` for an article not in English, whose topics are not looked for.
    pub fn topics_with(
        &self,
        article: &Article,
        extra: &[(&str, f32)],
    ) -> Option<[(Vec<String>, f32); 2]> {
        let lang = language(article);
        if lang.as_deref().is_some_and(|code| code != "en") {
            return None;
        }
        let segments = text::segments(article);
        let found = self.found(&segments, true);
        Some(self.topics.find_with(
            &segments,
            &found,
            article.url.as_deref(),
            &article.path,
            extra,
        ))
    }

    /// The hits of the lexicon's lists in each segment: countries, and topics in English.
    fn found(&self, segments: &[text::Segment<'_>], english: bool) -> Vec<Vec<Found>> {
        segments
            .iter()
            .map(|segment| {
                let country_list = if segment.all_caps {
                    List::CountriesCaps
                } else {
                    List::Countries
                };
                let lists = if english {
                    Lists::of(&[List::TopicsFolded, List::TopicsCased, country_list])
                } else {
                    Lists::of(&[country_list])
                };
                self.lexicon.find(segment.text, lists)
            })
            .collect()
    }

    fn enrich_as(&self, article: &Article, lang: Option<&str>) -> Entities {
        let segments = text::segments(article);
        let english = lang.is_none_or(|code| code == "en");
        let tokens = if english {
            text::segment_tokens(&segments)
        } else {
            Vec::new()
        };
        let mut people = if english {
            self.people.find(&segments, &tokens)
        } else {
            Vec::new()
        };
        let found = self.found(&segments, english);
        let is_given_name = |word: &str| self.people.is_given_name(word);
        let countries =
            self.countries
                .find(&segments, &found, &article.body, &is_given_name, &people);
        let (topics, topic_confidence) = if english {
            self.topics
                .find(&segments, &found, article.url.as_deref(), &article.path)
        } else {
            (Vec::new(), 0.0)
        };
        let found_orgs = if english {
            let sport = topics.iter().take(2).any(|t| t.starts_with("sport"));
            let is_title = |word: &str| self.people.is_title(word);
            self.orgs
                .find(&segments, &tokens, sport, &people, &is_title)
        } else {
            orgs::FoundOrgs::default()
        };
        // A name this article shows to be an organisation (`Merrill Lynch & Co`) is no person,
        // nor is a fragment of an organisation's name ([`is_org_fragment`]).
        people.retain(|person| {
            !found_orgs.strong.contains(person)
                && !found_orgs
                    .orgs
                    .iter()
                    .any(|org| is_org_fragment(person, org, &|w| self.people.is_given_name(w)))
        });
        Entities {
            countries,
            people,
            topics,
            topic_confidence,
            orgs: found_orgs.orgs,
            org_cues: found_orgs.cues,
        }
    }
}

/// The language of an article: the record's own code, normalised, or the detected one.
fn language(article: &Article) -> Option<String> {
    match &article.lang {
        Some(code) => lang::normalise(code),
        None => lang::detect(&article.title, &article.body).map(str::to_string),
    }
}

/// Whether the person value `person` is a fragment of the organisation `org` found in the same
/// article: one word of it that is no given or family name (`Electric`, read after the title `General`
/// of `General Electric`; `Accounting` of `General Accounting Office`), or the first words of
/// it, starting with no given name (`Shearson Lehman` of `Shearson Lehman Brothers`, `Raymond
/// James` of `Raymond James Financial`), or the last words of it after `of`, starting with no
/// given name (`California Davis` of `University of California Davis`). A full name inside a
/// longer name (`Trainer Berti Vogts`, `Freedom Front of General Constand Viljoen`) stays a
/// person.
pub(crate) fn is_org_fragment(
    person: &str,
    org: &str,
    is_given_name: &dyn Fn(&str) -> bool,
) -> bool {
    // Read on the text alone, allocating nothing: most people are inside no organisation
    // of their article.
    match person.split_once(' ') {
        // One word of a longer name.
        None => {
            org.contains(' ')
                && org.split(' ').any(|word| word == person)
                && !is_surname(person)
                && !is_given_name(person)
        }
        // The words of `person` opening those of the longer `org`, or ending them after `of`.
        Some((first, _)) => {
            (org.strip_prefix(person)
                .is_some_and(|rest| rest.starts_with(' '))
                || org
                    .strip_suffix(person)
                    .is_some_and(|rest| rest.ends_with(" of ")))
                && !is_given_name(first)
        }
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, EnrichError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(EnrichError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn parse_extra_countries(text: &str, path: &Path) -> Result<Vec<(String, String)>, EnrichError> {
    let invalid = |line, message: String| EnrichError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut out = Vec::new();
    for (line, content) in countries::data_lines(text) {
        let fields: Vec<&str> = content.split('\t').map(str::trim).collect();
        let [alias, code] = fields.as_slice() else {
            return Err(invalid(
                line,
                format!("expected `alias<TAB>CODE`, found {} fields", fields.len()),
            ));
        };
        if alias.is_empty() {
            return Err(invalid(line, "empty alias".to_string()));
        }
        let code = code.to_ascii_uppercase();
        if countries::country_name(&code).is_none() {
            return Err(invalid(line, format!("unknown country code `{code}`")));
        }
        out.push((alias.to_string(), code));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;

/// Whether `word` is a given name of the compiled-in list (`Nigel`, `Shane`), as the people
/// finder reads it: what the archive stage asks to tell a name from a word glued to it.
pub fn is_given_name(word: &str) -> bool {
    static GIVEN: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    GIVEN
        .get_or_init(people::compiled_given_names)
        .contains(word)
}

/// Whether `word` is a family name of the compiled-in list (`Clarke`, `Davies`): a spelling
/// the archive stage never takes for a misspelling of another.
pub fn is_surname(word: &str) -> bool {
    static SURNAMES: std::sync::OnceLock<rustc_hash::FxHashSet<String>> =
        std::sync::OnceLock::new();
    SURNAMES
        .get_or_init(|| name_set(people::SURNAMES))
        .contains(word)
}

fn name_set(text: &str) -> rustc_hash::FxHashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}
