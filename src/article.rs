//! Domain types shared by every stage: articles as read from a corpus and the entities found in
//! them.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A stable article identifier: the record's own `id` (or `url`) when its format has one, else a
/// hash of (relative path, ordinal in file).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// The id of the `ordinal`-th article of the file at `rel_path`, for formats without ids.
    ///
    /// FNV-1a 64 over the path, a NUL and the ordinal: stable across runs, machines and
    /// versions of the standard library (unlike `DefaultHasher`).
    pub fn derived(rel_path: &str, ordinal: usize) -> ArticleId {
        let mut hash = Fnv1a::new();
        hash.write(rel_path.as_bytes());
        hash.write(&[0]);
        hash.write(ordinal.to_string().as_bytes());
        ArticleId(format!("{:016x}", hash.finish()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 64-bit FNV-1a, the stable hash behind derived ids and fingerprints: the same on every
/// platform and release (unlike `DefaultHasher`), so stored values stay comparable.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Fnv1a {
    /// The hash of nothing yet.
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// Feeds `bytes`.
    pub fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash of everything fed so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One news article, as parsed from a corpus file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Article {
    /// Stable identifier.
    pub id: ArticleId,
    /// Path of the source file relative to the corpus root, `/`-separated.
    pub path: String,
    /// Headline.
    pub title: String,
    /// Dek or standfirst, where the source has one.
    pub subtitle: Option<String>,
    /// Author line ("News Desk", "By Jane Doe").
    pub byline: Option<String>,
    /// Publication time in UTC; `None` when unknown (never "now").
    pub published: Option<Timestamp>,
    /// Publisher or site name.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Language code such as `en`, where known.
    pub lang: Option<String>,
    /// Body text, furniture removed, paragraphs separated by blank lines.
    pub body: String,
    /// Where in its file the article was read: the whole file, or one of its records.
    pub place: Place,
}

/// Where in its file an article was read, so that a copy in a file of many records can be
/// found again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The whole file (plain text, Markdown, HTML).
    #[default]
    File,
    /// One record of a file that holds records (JSON Lines, JSON, CSV, a web archive, a feed).
    Record {
        /// Its position in the file: a number that grows from record to record (JSON Lines:
        /// the line counted from 0; others: the record's rank), unique in the file.
        ordinal: u64,
        /// The line it starts on (counted from 1), where the format is read by lines (JSON
        /// Lines and CSV).
        line: Option<u64>,
    },
}

impl Place {
    /// The record at position `ordinal`, starting on `line` if known.
    pub fn record(ordinal: u64, line: Option<u64>) -> Place {
        Place::Record { ordinal, line }
    }

    /// The position in the file: 0 for a whole file.
    pub fn ordinal(self) -> u64 {
        match self {
            Place::File => 0,
            Place::Record { ordinal, .. } => ordinal,
        }
    }

    /// Whether this is a record of a file that holds records.
    pub fn is_record(self) -> bool {
        matches!(self, Place::Record { .. })
    }

    /// The line the record starts on, where known.
    pub fn line(self) -> Option<u64> {
        match self {
            Place::File => None,
            Place::Record { line, .. } => line,
        }
    }
}

/// A syndicated copy of an article: the file holding it, its own id and where in its file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CopyAt {
    /// Path of the file relative to the corpus root.
    pub path: String,
    /// Where in the file (ordered by position, so copies in one file come in file order).
    pub place: Place,
    /// The copy's own id (`show` with it shows the article).
    pub id: ArticleId,
}

impl CopyAt {
    /// How renderers name the copy: its path, and for a record of a file of many its line
    /// and id (`wire/day.jsonl line 3 (id ap-7)`).
    pub fn label(&self) -> String {
        match self.place {
            Place::File => self.path.clone(),
            Place::Record {
                line: Some(line), ..
            } => format!("{} line {line} (id {})", self.path, self.id),
            Place::Record { line: None, .. } => format!("{} (id {})", self.path, self.id),
        }
    }
}

/// An ISO 3166-1 alpha-2 code (`IN`, `US`) or an archive-era code (`SU`, `DD`, `YU`, `CS`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CountryCode(pub String);

impl CountryCode {
    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an article is about, each list ordered by salience (most salient first).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Entities {
    /// Canonical full names ("Subrahmanyam Jaishankar").
    pub people: Vec<String>,
    /// Organisations the article names: companies, banks, agencies, parties, clubs,
    /// universities ("Merrill Lynch", "Bank of Japan"), most salient first.
    pub orgs: Vec<String>,
    /// Names the article shows with an organisation cue ("shares of X", "X Inc", "X said in a
    /// statement"), whatever list they went to: the evidence the archive stage weighs when it
    /// decides across articles whether a name is a person or an organisation.
    pub org_cues: Vec<String>,
    /// Country codes.
    pub countries: Vec<CountryCode>,
    /// Topic paths in the taxonomy (`economy/trade`); the first is the main topic. Empty when
    /// the evidence is too weak or too mixed to name one.
    pub topics: Vec<String>,
    /// How sure the main topic is, from 0 to 1 (its share of the topic evidence, scaled down
    /// when there is little); 0 when it was not computed (text not in English).
    pub topic_confidence: f32,
}

/// An article as read back from an index, with its entities.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredArticle {
    /// The article.
    pub article: Article,
    /// Its entities, in salience order.
    pub entities: Entities,
    /// Its copies in other files (or other records), sorted by path and line (filled in by
    /// searches, not stored).
    pub also_at: Vec<CopyAt>,
    /// Its people as the archive resolved them, in salience order; empty until resolved (then
    /// renderers show `entities.people` as extracted).
    pub people: Vec<NameRef>,
    /// Its organisations as the archive resolved them (person values the archive reads as
    /// organisations among them).
    pub orgs: Vec<NameRef>,
    /// The story it belongs to, where the archive placed it in one.
    pub story: Option<StoryRef>,
}

impl StoredArticle {
    /// An article with its extracted entities, not yet resolved across the archive.
    pub fn new(article: Article, entities: Entities) -> StoredArticle {
        StoredArticle {
            article,
            entities,
            also_at: Vec::new(),
            people: Vec::new(),
            orgs: Vec::new(),
            story: None,
        }
    }

    /// The files holding its copies, one a copy (a file holding two is named twice), sorted.
    pub fn also_at_paths(&self) -> Vec<String> {
        self.also_at.iter().map(|c| c.path.clone()).collect()
    }

    /// Whether the archive's resolution was applied.
    pub fn is_resolved(&self) -> bool {
        !self.people.is_empty() || !self.orgs.is_empty()
    }

    /// The people's names to show: resolved, else as extracted.
    pub fn people_names(&self) -> Vec<String> {
        if self.is_resolved() {
            self.people.iter().map(|p| p.name.clone()).collect()
        } else {
            self.entities.people.clone()
        }
    }

    /// The organisations' names to show: resolved, else as extracted.
    pub fn org_names(&self) -> Vec<String> {
        if self.is_resolved() {
            self.orgs.iter().map(|o| o.name.clone()).collect()
        } else {
            self.entities.orgs.clone()
        }
    }
}

/// The story of an article: the articles about one event (see [`crate::archive::stories`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryRef {
    /// Stable id (`s…`).
    pub id: String,
    /// The title of its most central article.
    pub headline: String,
    /// Its articles.
    pub articles: u32,
}

/// A person or organisation of an article, resolved across the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameRef {
    /// Stable id of the entity (`p…` a person, `o…` an organisation).
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// The values this article carries for it, as extracted.
    pub forms: Vec<String>,
}

/// A dimension articles can be filtered and counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetKind {
    /// Country codes.
    Country,
    /// Canonical person names.
    Person,
    /// Topic paths, ancestors included.
    Topic,
    /// Organisation names.
    Org,
    /// Publisher.
    Source,
    /// Language code (`en`, `fr`).
    Lang,
}

impl FacetKind {
    /// All kinds, in display order.
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Country,
        FacetKind::Person,
        FacetKind::Org,
        FacetKind::Topic,
        FacetKind::Source,
        FacetKind::Lang,
    ];

    /// The key used for this kind in JSON output and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            FacetKind::Country => "country",
            FacetKind::Person => "person",
            FacetKind::Org => "org",
            FacetKind::Topic => "topic",
            FacetKind::Source => "source",
            FacetKind::Lang => "lang",
        }
    }
}
