//! One person, one name: the people and organisations of an archive resolved across its
//! articles.
//!
//! Extraction reads one article at a time, so the same person reaches the index under several
//! values (`Reagan`, `Ronald Reagan`, `Ronald W. Reagan`, `Erdoğan` and `Erdogan`) and a company
//! written like a name (`Merrill Lynch`) among the people. The archive settles what one article
//! cannot: a full name seen in forty articles resolves the bare surname in the forty-first, and
//! a name that other articles show as an organisation (`Merrill Lynch & Co`, `shares of Morgan
//! Stanley`) is one. [`resolve`] turns the [`Evidence`] of the whole archive into [`Names`]:
//! entities, each with a kind, a stable id, a canonical name and the indexed values (forms) that
//! stand for it.
//!
//! The rules, in order, each only where the archive's evidence is clear:
//! 1. Forms that differ only in case, diacritics or punctuation are one (`Erdoğan`, `Erdogan`).
//! 2. A person value that the archive shows as an organisation often enough (as an organisation
//!    value of other articles, or beside an organisation cue) is one.
//! 3. Full names with the same given name and surname are one person (`Clayton E. Cramer`,
//!    `Clayton Cramer`; `Oscar Luigi Scalfaro`, `Oscar Scalfaro`), unless two different middle
//!    names show two people (`George Bush`, `George W. Bush`, `George H. W. Bush` stay apart).
//! 4. A rare spelling one edit from a surname under the same given name joins it
//!    (`Albert Einstien`, `Albert Einstein`).
//! 5. A rare three-word value holding a frequent name plus a word that is no given name joins
//!    that name (`Exchequer Nigel Lawson`, `Tim Clock Ph`).
//! 6. Initials join the one full name they fit (`S. Warne`, `Shane Warne`).
//! 7. A bare surname joins the full name that dominates it in the archive (`Reagan`,
//!    `Ronald Reagan`); where two people share it about as often (`Bush`), it stays as it is.
//! 8. Organisations whose names differ only in a company form, `the` or `&`/`and` are one
//!    (`IBM Corp`, `IBM`), and an acronym joins the one long name it abbreviates
//!    (`International Business Machines`).

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::article::Fnv1a;

/// What the archive holds about its names: how many articles carry each indexed value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Person values and the articles carrying each.
    pub people: BTreeMap<String, u64>,
    /// Organisation values and the articles carrying each.
    pub orgs: BTreeMap<String, u64>,
    /// Names and the articles showing each beside an organisation cue.
    pub org_cues: BTreeMap<String, u64>,
    /// Person values and the publication times of their dated articles: (sum of Unix seconds,
    /// dated articles), so that two people of one name decades apart are not taken for one.
    pub person_dates: BTreeMap<String, (i64, u64)>,
}

/// The word lists resolution consults.
pub struct NameLists<'a> {
    /// Whether a word is a given name (`Nigel`): a title or stray word glued before a name
    /// is not.
    pub is_given_name: &'a dyn Fn(&str) -> bool,
    /// Whether a word is a family name (`Clarke`): never a misspelling of another.
    pub is_surname: &'a dyn Fn(&str) -> bool,
}

/// Two forms whose articles are on average further apart than this many years are never
/// taken for one person (`George Bush` in 1987, `George W. Bush` in 2004).
const MAX_YEARS_APART: f64 = 6.0;

/// Seconds in a mean Gregorian year.
const SECONDS_A_YEAR: f64 = 31_556_952.0;

struct Context<'a> {
    lists: &'a NameLists<'a>,
    dates: &'a BTreeMap<String, (i64, u64)>,
}

impl Context<'_> {
    /// The mean publication time of a group's dated articles, in years since 1970.
    fn mean_year(&self, group: &Group) -> Option<f64> {
        let (sum, n) = group
            .forms
            .iter()
            .filter_map(|(form, _, _)| self.dates.get(form))
            .fold((0i128, 0u64), |(s, n), &(ds, dn)| {
                (s + i128::from(ds), n + dn)
            });
        (n > 0).then(|| sum as f64 / n as f64 / SECONDS_A_YEAR)
    }

    /// Whether two groups can be one person by their dates.
    fn same_era(&self, a: &Group, b: &Group) -> bool {
        match (self.mean_year(a), self.mean_year(b)) {
            (Some(x), Some(y)) => (x - y).abs() <= MAX_YEARS_APART,
            _ => true,
        }
    }
}

/// A person or an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// A person.
    Person,
    /// A company, bank, agency, party, club or university.
    Org,
}

impl NameKind {
    fn prefix(self) -> &'static str {
        match self {
            NameKind::Person => "p",
            NameKind::Org => "o",
        }
    }
}

/// One person or organisation of the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id: the kind's letter and a hash of the entity's key (given name and surname for
    /// a person, the normalised name for an organisation), so it survives new evidence.
    pub id: String,
    /// Person or organisation.
    pub kind: NameKind,
    /// The name shown: its most frequent full form.
    pub name: String,
    /// Person values (`person_kw`) that stand for it, most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_forms: Vec<String>,
    /// Organisation values (`org_kw`) that stand for it, most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_forms: Vec<String>,
    /// Articles carrying any of its forms (an article holding two forms counts twice).
    pub articles: u64,
}

impl Entity {
    /// Every form, person values first.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.person_forms
            .iter()
            .chain(&self.org_forms)
            .map(String::as_str)
    }
}

/// The resolved names of an archive. Only entities that are more than their one indexed value
/// are held (several forms, or a person value that is an organisation); any other value is an
/// entity of its own, with the id its key gives.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Names {
    /// The entities, most articles first.
    pub entities: Vec<Entity>,
    #[serde(skip)]
    person_index: FxHashMap<String, usize>,
    #[serde(skip)]
    org_index: FxHashMap<String, usize>,
    /// Every form and name folded, built the first time a user's value is looked up (most
    /// requests name nobody, and folding every form costs more than reading them).
    #[serde(skip)]
    lookup: std::sync::OnceLock<FxHashMap<String, usize>>,
}

/// Names are equal when their entities are: the tables are built from them.
impl PartialEq for Names {
    fn eq(&self, other: &Names) -> bool {
        self.entities == other.entities
    }
}

impl Eq for Names {}

/// An indexed value as it reads after resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// Person or organisation.
    pub kind: NameKind,
    /// Stable id.
    pub id: String,
    /// Canonical name.
    pub name: &'a str,
}

impl Names {
    /// Names holding `entities`, with their look-up tables built.
    pub fn new(entities: Vec<Entity>) -> Names {
        let mut names = Names {
            entities,
            ..Names::default()
        };
        names.reindex();
        names
    }

    /// Rebuilds the look-up tables (after deserialising).
    pub fn reindex(&mut self) {
        self.person_index.clear();
        self.org_index.clear();
        self.lookup = std::sync::OnceLock::new();
        for (at, entity) in self.entities.iter().enumerate() {
            for form in &entity.person_forms {
                self.person_index.insert(form.clone(), at);
            }
            for form in &entity.org_forms {
                self.org_index.insert(form.clone(), at);
            }
        }
    }

    /// A user's spelling finds the entity by any form or by its name, ignoring case and
    /// diacritics; the entity with more articles wins a shared spelling.
    fn lookup(&self) -> &FxHashMap<String, usize> {
        self.lookup.get_or_init(|| {
            let mut lookup = FxHashMap::default();
            for (at, entity) in self.entities.iter().enumerate().rev() {
                for form in entity.forms().chain([entity.name.as_str()]) {
                    lookup.insert(fold(form), at);
                }
            }
            lookup
        })
    }

    /// Whether nothing was resolved.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entity a `person_kw` value stands for.
    pub fn person<'a>(&'a self, form: &'a str) -> Resolved<'a> {
        match self.person_index.get(form) {
            Some(&at) => self.resolved(at),
            None => Resolved {
                kind: NameKind::Person,
                id: entity_id(NameKind::Person, &person_key(form)),
                name: form,
            },
        }
    }

    /// The entity an `org_kw` value stands for.
    pub fn org<'a>(&'a self, form: &'a str) -> Resolved<'a> {
        match self.org_index.get(form) {
            Some(&at) => self.resolved(at),
            None => Resolved {
                kind: NameKind::Org,
                id: entity_id(NameKind::Org, &org_key(form)),
                name: form,
            },
        }
    }

    /// The entity a user's value names (any form or the canonical name, any case, with or
    /// without diacritics), if the archive resolved it.
    pub fn find(&self, value: &str) -> Option<&Entity> {
        self.lookup()
            .get(&fold(value))
            .map(|&at| &self.entities[at])
            .or_else(|| {
                let id = value.trim();
                self.entities.iter().find(|entity| entity.id == id)
            })
    }

    fn resolved(&self, at: usize) -> Resolved<'_> {
        let entity = &self.entities[at];
        Resolved {
            kind: entity.kind,
            id: entity.id.clone(),
            name: &entity.name,
        }
    }
}

/// The stable id of an entity of `kind` with `key`.
pub fn entity_id(kind: NameKind, key: &str) -> String {
    let mut hash = Fnv1a::new();
    hash.write(kind.prefix().as_bytes());
    hash.write(&[0]);
    hash.write(key.as_bytes());
    format!("{}{:012x}", kind.prefix(), hash.finish() & 0xffff_ffff_ffff)
}

/// Lower case, diacritics and other scripts transliterated to ASCII, every run of
/// non-alphanumerics one space.
pub fn fold(text: &str) -> String {
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(text))
    };
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

/// Suffixes that end a name without being part of it.
const NAME_SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// The folded words of a person value, suffixes dropped.
fn person_words(form: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(form).split(' ').map(str::to_string).collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|word| NAME_SUFFIXES.contains(&word.as_str()))
    {
        words.pop();
    }
    words.retain(|word| !word.is_empty());
    words
}

/// The key of a person value: given name and surname (`ronald|reagan`), or `|surname` for a
/// bare surname.
pub fn person_key(form: &str) -> String {
    let words = person_words(form);
    match words.as_slice() {
        [] => String::new(),
        [only] => format!("|{only}"),
        [first, .., last] => format!("{first}|{last}"),
    }
}

/// Given names and their short forms, each group one name (`james`, `jim`, `jimmy`, `jamie`):
/// folded, as the keys hold them. Hand-written; a short form of two names (`steve`) is in both.
const SAME_GIVEN_NAMES: &[&[&str]] = &[
    &["james", "jim", "jimmy", "jamie"],
    &["william", "bill", "billy", "will", "willie", "willy"],
    &["robert", "bob", "bobby", "rob", "robbie"],
    &["richard", "dick", "rick", "ricky", "rich", "richie"],
    &["michael", "mike", "mick", "mickey"],
    &["thomas", "tom", "tommy"],
    &["anthony", "tony"],
    &["antony", "tony"],
    &["edward", "ed", "eddie", "ted", "teddy"],
    &["charles", "charlie", "chuck"],
    &["david", "dave"],
    &["daniel", "dan", "danny"],
    &["joseph", "joe", "joey"],
    &["patrick", "pat"],
    &["frederick", "fred", "freddie"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don"],
    &["kenneth", "ken", "kenny"],
    &["lawrence", "larry"],
    &["laurence", "larry"],
    &["gerald", "gerry", "jerry"],
    &["andrew", "andy"],
    &["alexander", "alex"],
    &["samuel", "sam"],
    &["benjamin", "ben"],
    &["nicholas", "nick"],
    &["matthew", "matt"],
    &["christopher", "chris"],
    &["peter", "pete"],
    &["gregory", "greg"],
    &["jeffrey", "jeff"],
    &["timothy", "tim"],
    &["philip", "phil"],
    &["phillip", "phil"],
    &["douglas", "doug"],
    &["stephen", "steve"],
    &["steven", "steve"],
    &["raymond", "ray"],
    &["terence", "terry"],
    &["vincent", "vince"],
    &["walter", "walt"],
    &["bernard", "bernie"],
    &["leonard", "len", "lenny"],
    &["elizabeth", "liz", "beth"],
    &["margaret", "maggie"],
    &["katherine", "kate", "kathy"],
    &["catherine", "kate", "cathy"],
    &["susan", "sue"],
    &["deborah", "debbie"],
    &["jennifer", "jenny"],
    &["rebecca", "becky"],
    &["victoria", "vicky"],
];

/// Whether one of two groups is written with a given name's short form and no middle name, the
/// other with its formal name (`Jim Wright`, `James Wright`; not `Tom Jones` and `Tommy Lee
/// Jones`, both short forms), and every surname of the one, as written, is one of the other's
/// (`Ed Sullivan` is not `Eddie O'Sullivan`).
fn short_and_formal(a: &Group, b: &Group) -> bool {
    let firsts = |group: &Group| -> Vec<String> {
        group
            .forms
            .iter()
            .filter_map(|(form, _, _)| person_words(form).first().cloned())
            .collect()
    };
    let is_formal = |first: &str| SAME_GIVEN_NAMES.iter().any(|names| names[0] == first);
    let formal = |group: &Group| firsts(group).iter().all(|first| is_formal(first));
    let short = |group: &Group| {
        firsts(group).iter().all(|first| !is_formal(first))
            && group
                .forms
                .iter()
                .all(|(form, _, _)| person_words(form).len() == 2)
    };
    let surnames = |group: &Group| -> FxHashSet<String> {
        group
            .forms
            .iter()
            .filter_map(|(form, _, _)| form.split_whitespace().last().map(fold))
            .collect()
    };
    ((short(a) && formal(b)) || (formal(a) && short(b))) && surnames(a).is_subset(&surnames(b))
}

/// The other given names that `first` (folded) is the same name as.
fn same_given_name(first: &str) -> impl Iterator<Item = &'static str> + '_ {
    SAME_GIVEN_NAMES
        .iter()
        .filter(move |names| names.contains(&first))
        .flat_map(|names| names.iter().copied())
        .filter(move |name| *name != first)
}

/// The formal name of the given name `first` (folded): `james` for `jim`, itself for a name
/// of no group (a short form of two names, `steve`, is read as the first).
fn formal_given_name(first: &str) -> &str {
    SAME_GIVEN_NAMES
        .iter()
        .find(|names| names.contains(&first))
        .map_or(first, |names| names[0])
}

/// Given names (as formal names) the archive writes with a surname, at which it counts as
/// common: a short and a formal given name on it are often two people (`Mike Smith`, `Michael
/// Smith`; `Will Smith`, `William Smith`), where on a rarer one they are one (`Bernie Ebbers`,
/// `Bernard Ebbers`).
const COMMON_SURNAME_GIVEN_NAMES: usize = 11;

/// Company forms and articles that do not tell two organisations apart.
const ORG_NOISE: &[&str] = &[
    "the",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "ag",
    "sa",
    "nv",
    "bv",
    "spa",
    "se",
    "gmbh",
    "kk",
    "ab",
    "asa",
    "oyj",
    "pty",
];

/// The key of an organisation value: folded, `&` read as `and`, company forms and a leading
/// `the` dropped (`the International Business Machines Corp.` -> `international business
/// machines`).
pub fn org_key(form: &str) -> String {
    let folded = if form.contains('&') {
        fold(&form.replace('&', " and "))
    } else {
        fold(form)
    };
    let mut kept: Vec<&str> = folded
        .split(' ')
        .filter(|word| !word.is_empty() && !ORG_NOISE.contains(word))
        .collect();
    // `and` before a dropped company form (`Merrill Lynch & Co`) goes with it.
    while kept.last() == Some(&"and") {
        kept.pop();
    }
    if kept.is_empty() {
        fold(form)
    } else {
        kept.join(" ")
    }
}

/// The acronym of a long organisation key (`international business machines` -> `ibm`), its
/// small words skipped; `None` for a one-word key.
fn acronym(key: &str) -> Option<String> {
    const SMALL: &[&str] = &[
        "of", "and", "for", "the", "de", "du", "des", "la", "le", "in",
    ];
    let words: Vec<&str> = key.split(' ').filter(|w| !SMALL.contains(w)).collect();
    (words.len() >= 2).then(|| words.iter().filter_map(|w| w.chars().next()).collect())
}

/// Whether a value is written as an acronym: 2 to 6 capitals, dots allowed (`IBM`, `U.N.`).
fn is_acronym(form: &str) -> bool {
    let letters: Vec<char> = form.chars().filter(|c| *c != '.').collect();
    (2..=6).contains(&letters.len()) && letters.iter().all(|c| c.is_ascii_uppercase())
}

/// A person value is read as an organisation when at least this many articles show it as one
/// (an organisation value, or beside an organisation cue)...
const ORG_MIN_ARTICLES: u64 = 2;
/// ...and they are at least this share of the articles that carry it as a person.
const ORG_MIN_SHARE: f64 = 0.2;
/// A bare surname joins the person with the most articles under it when that person has at
/// least this many...
const SURNAME_MIN_ARTICLES: u64 = 2;
/// ...and this many times the articles of the next person of that surname.
const SURNAME_DOMINANCE: u64 = 3;
/// A rare variant (a misspelling, a glued word) joins a name with at least this many times its
/// articles.
const VARIANT_DOMINANCE: u64 = 3;
/// A variant is rare when it is in at most this many articles.
const VARIANT_MAX_ARTICLES: u64 = 3;
/// Surnames shorter than this are never taken for misspellings of each other (`Li`, `Lee`).
const MISSPELLING_MIN_LEN: usize = 5;

/// One entity under construction.
#[derive(Clone, Debug, Default)]
struct Group {
    kind: Option<NameKind>,
    key: String,
    /// (form, articles, is a person value)
    forms: Vec<(String, u64, bool)>,
}

impl Group {
    fn articles(&self) -> u64 {
        self.forms.iter().map(|(_, n, _)| n).sum()
    }
}

/// Resolves the archive's names, with the word lists of `lists`.
pub fn resolve(evidence: &Evidence, lists: &NameLists<'_>) -> Names {
    // Organisation evidence by key, from both organisation values and cues.
    let mut org_articles: FxHashMap<String, u64> = FxHashMap::default();
    for (form, n) in &evidence.orgs {
        *org_articles.entry(org_key(form)).or_default() += n;
    }
    let mut cue_articles: FxHashMap<String, u64> = FxHashMap::default();
    for (form, n) in &evidence.org_cues {
        *cue_articles.entry(org_key(form)).or_default() += n;
    }

    // Rule 2: person values that are organisations.
    let mut person_forms: Vec<(&str, u64)> = Vec::new();
    let mut demoted: Vec<(&str, u64)> = Vec::new();
    for (form, &n) in &evidence.people {
        let key = org_key(form);
        let as_org = org_articles.get(&key).copied().unwrap_or(0)
            + cue_articles.get(&key).copied().unwrap_or(0);
        if as_org >= ORG_MIN_ARTICLES && as_org as f64 >= ORG_MIN_SHARE * n as f64 {
            demoted.push((form, n));
        } else {
            person_forms.push((form, n));
        }
    }

    let context = Context {
        lists,
        dates: &evidence.person_dates,
    };
    let people = resolve_people(&person_forms, &context);
    let orgs = resolve_orgs(&evidence.orgs, &demoted);

    let mut entities: Vec<Entity> = people
        .into_iter()
        .chain(orgs)
        .filter(|group| {
            group.forms.len() > 1
                || group
                    .forms
                    .iter()
                    .any(|f| f.2 && group.kind == Some(NameKind::Org))
        })
        .map(|group| finish(group, lists))
        .collect();
    entities.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.id.cmp(&b.id)));
    Names::new(entities)
}

/// The entity a group stands for: its canonical name the most frequent form (for a person, the
/// most frequent full name; for an organisation, an acronym too: `NATO` where the archive writes
/// it more often than `North Atlantic Treaty Organisation`).
fn finish(mut group: Group, lists: &NameLists<'_>) -> Entity {
    let kind = group.kind.unwrap_or(NameKind::Person);
    group
        .forms
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let words = |form: &str| form.split_whitespace().count();
    // A person's name starts with a given name where one of its forms does (`Nigel Lawson`, not
    // the more frequent `Exchequer Nigel Lawson`).
    let given = |form: &str| {
        kind == NameKind::Person
            && form
                .split_whitespace()
                .next()
                .is_some_and(|word| (lists.is_given_name)(word.trim_end_matches('.')))
    };
    let name = group
        .forms
        .iter()
        .filter(|(form, _, _)| kind == NameKind::Org || words(form) >= 2)
        .max_by(|a, b| {
            given(&a.0)
                .cmp(&given(&b.0))
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| words(&a.0).cmp(&words(&b.0)).reverse())
                .then_with(|| b.0.cmp(&a.0))
        })
        .or(group.forms.first())
        .map(|(form, _, _)| form.clone())
        .unwrap_or_default();
    let articles = group.articles();
    let (person_forms, org_forms): (Vec<_>, Vec<_>) =
        group.forms.into_iter().partition(|(_, _, person)| *person);
    Entity {
        id: entity_id(kind, &group.key),
        kind,
        name,
        person_forms: person_forms.into_iter().map(|f| f.0).collect(),
        org_forms: org_forms.into_iter().map(|f| f.0).collect(),
        articles,
    }
}

fn is_initial(word: &str) -> bool {
    word.len() == 1
}

/// Rules 1 and 3 to 7 over the person values.
fn resolve_people(forms: &[(&str, u64)], context: &Context<'_>) -> Vec<Group> {
    // Rules 1 and 3: full names by given name and surname; their middle names tell people apart.
    struct Full {
        first: String,
        last: String,
        middle: String,
        form: String,
        n: u64,
    }
    let mut fulls: Vec<Full> = Vec::new();
    let mut bare: Vec<(String, String, u64)> = Vec::new();
    let mut initialled: Vec<(String, String, u64)> = Vec::new();
    for &(form, n) in forms {
        let words = person_words(form);
        match words.as_slice() {
            [] => {}
            [only] => bare.push((only.clone(), form.to_string(), n)),
            [first, middle @ .., last] => {
                if is_initial(first) {
                    initialled.push((format!("{first}|{last}"), form.to_string(), n));
                    continue;
                }
                fulls.push(Full {
                    first: first.clone(),
                    last: last.clone(),
                    middle: middle.join(" "),
                    form: form.to_string(),
                    n,
                })
            }
        }
    }
    let mut by_name: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (at, full) in fulls.iter().enumerate() {
        by_name
            .entry((full.first.clone(), full.last.clone()))
            .or_default()
            .push(at);
    }
    let mut groups: Vec<Group> = Vec::new();
    for ((first, last), members) in by_name {
        // Middle names that are not initials of one another stand for different people.
        let mut middles: Vec<&str> = Vec::new();
        for &at in &members {
            let middle = fulls[at].middle.as_str();
            if !middle.is_empty() && !middles.iter().any(|m| compatible_middle(m, middle)) {
                middles.push(middle);
            }
        }
        let key = format!("{first}|{last}");
        let group_of = |key: String, keep: &dyn Fn(&Full) -> bool| Group {
            kind: Some(NameKind::Person),
            key,
            forms: members
                .iter()
                .filter(|&&at| keep(&fulls[at]))
                .map(|&at| (fulls[at].form.clone(), fulls[at].n, true))
                .collect(),
        };
        if middles.len() <= 1 {
            // One middle name: one person, unless the forms with it and those without it are
            // from different eras.
            let with = group_of(
                format!(
                    "{first}|{}|{last}",
                    middles.first().copied().unwrap_or_default()
                ),
                &|full| !full.middle.is_empty(),
            );
            let without = group_of(key.clone(), &|full| full.middle.is_empty());
            if with.forms.is_empty()
                || without.forms.is_empty()
                || context.same_era(&with, &without)
            {
                groups.push(group_of(key, &|_| true));
            } else {
                groups.push(with);
                groups.push(without);
            }
            continue;
        }
        // Several people: one group per middle name, the forms without one left alone.
        let mut split: Vec<Group> = middles
            .iter()
            .map(|middle| Group {
                kind: Some(NameKind::Person),
                key: format!("{first}|{middle}|{last}"),
                forms: Vec::new(),
            })
            .collect();
        for &at in &members {
            let full = &fulls[at];
            let group = if full.middle.is_empty() {
                None
            } else {
                middles
                    .iter()
                    .position(|m| compatible_middle(m, &full.middle))
            };
            match group {
                Some(g) => split[g].forms.push((full.form.clone(), full.n, true)),
                None => groups.push(Group {
                    kind: Some(NameKind::Person),
                    key: key.clone(),
                    forms: vec![(full.form.clone(), full.n, true)],
                }),
            }
        }
        groups.extend(split);
    }

    // Rule 4: a rare misspelt surname joins the frequent one under the same given name.
    // A spelling that is itself a family name (`Clark`, `Davies`, `Barker`) is another person.
    let given_name = |group: &Group| split_key(&group.key).map(|(first, _)| first.to_string());
    let own_key = |group: &Group| Some(group.key.clone());
    merge_variants(
        &mut groups,
        VARIANT_MAX_ARTICLES,
        given_name,
        |small| given_name(small).into_iter().collect(),
        |small, big| {
            let (Some((sf, sl)), Some((bf, bl))) = (split_key(&small.key), split_key(&big.key))
            else {
                return false;
            };
            let written = small
                .forms
                .iter()
                .filter_map(|(form, _, _)| form.split_whitespace().last())
                .any(|word| (context.lists.is_surname)(word));
            sf == bf
                && sl != bl
                && !written
                && sl.len() >= MISSPELLING_MIN_LEN
                && bl.len() >= MISSPELLING_MIN_LEN
                && strsim::damerau_levenshtein(sl, bl) == 1
                && context.same_era(small, big)
        },
    );
    // Rule 4b: a short form of a given name is that name (`Jim Wright`, `James Wright`): the
    // less frequent joins the more frequent, where exactly one such name fits, and not on a
    // surname the archive shows to be common.
    let mut given_names: FxHashMap<&str, FxHashSet<&str>> = FxHashMap::default();
    for group in &groups {
        if let Some((first, last)) = split_key(&group.key)
            && first.len() > 1
        {
            given_names
                .entry(last)
                .or_default()
                .insert(formal_given_name(first));
        }
    }
    let common: FxHashSet<String> = given_names
        .into_iter()
        .filter(|(_, firsts)| firsts.len() >= COMMON_SURNAME_GIVEN_NAMES)
        .map(|(last, _)| last.to_string())
        .collect();
    let full_key = |group: &Group| {
        split_key(&group.key)
            .filter(|_| group.key.matches('|').count() == 1)
            .map(|_| group.key.clone())
    };
    merge_variants(
        &mut groups,
        u64::MAX,
        full_key,
        |small| {
            let Some((first, last)) = full_key(small)
                .as_deref()
                .and_then(split_key)
                .map(|(first, last)| (first.to_string(), last.to_string()))
            else {
                return Vec::new();
            };
            same_given_name(&first)
                .map(|other| format!("{other}|{last}"))
                .collect()
        },
        |small, big| {
            (big.articles(), &small.key) > (small.articles(), &big.key)
                && split_key(&big.key).is_some_and(|(_, last)| !common.contains(last))
                && short_and_formal(small, big)
                && context.same_era(small, big)
        },
    );
    // Rule 5: a value with a title or stray word glued before a given name and surname
    // (`Exchequer Nigel Lawson`, `Secretary James Baker`), however frequent, is that name.
    let after_first = |small: &Group| -> Vec<String> {
        small
            .forms
            .iter()
            .filter_map(|(form, _, _)| {
                let original: Vec<&str> = form.split_whitespace().collect();
                (original.len() >= 3).then(|| person_key(&original[1..].join(" ")))
            })
            .collect()
    };
    merge_variants(&mut groups, u64::MAX, own_key, after_first, |small, big| {
        small.forms.iter().all(|(form, _, _)| {
            let original: Vec<&str> = form.split_whitespace().collect();
            let given = |word: &str| (context.lists.is_given_name)(word.trim_end_matches('.'));
            original.len() >= 3
                && !given(original[0])
                && given(original[1])
                && person_key(&original[1..].join(" ")) == big.key
        })
    });
    // ...and a rare value with a stray word glued before or after a frequent name.
    let without_an_end = |small: &Group| -> Vec<String> {
        let mut keys = Vec::new();
        for (form, _, _) in &small.forms {
            let words = person_words(form);
            if words.len() >= 3 {
                keys.push(person_key(&words[1..].join(" ")));
                keys.push(person_key(&words[..words.len() - 1].join(" ")));
            }
        }
        keys
    };
    merge_variants(
        &mut groups,
        VARIANT_MAX_ARTICLES,
        own_key,
        without_an_end,
        |small, big| {
            small.forms.iter().all(|(form, _, _)| {
                let words = person_words(form);
                if words.len() < 3 {
                    return false;
                }
                let joined = |words: &[String]| person_key(&words.join(" "));
                let original: Vec<&str> = form.split_whitespace().collect();
                let head_is_stray = original
                    .first()
                    .is_some_and(|word| !(context.lists.is_given_name)(word.trim_end_matches('.')));
                // A stray word at the end is a short abbreviation (`Ph`, `Univ`), never a surname.
                let tail_is_stray = words.last().is_some_and(|word| word.len() <= 4);
                (head_is_stray && joined(&words[1..]) == big.key)
                    || (tail_is_stray && joined(&words[..words.len() - 1]) == big.key)
            })
        },
    );

    // Rule 6: initials join the one full name they fit.
    let mut by_last: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (at, group) in groups.iter().enumerate() {
        if let Some((_, last)) = split_key(&group.key) {
            by_last.entry(last.to_string()).or_default().push(at);
        }
    }
    for (key, form, n) in initialled {
        let (initial, last) = split_key(&key).unwrap_or_default();
        let fits: Vec<usize> = by_last
            .get(last)
            .map(|members| {
                members
                    .iter()
                    .copied()
                    .filter(|&at| {
                        split_key(&groups[at].key)
                            .is_some_and(|(first, _)| first.starts_with(initial))
                    })
                    .filter(|&at| !groups[at].forms.is_empty())
                    .filter(|&at| {
                        let alone = Group {
                            forms: vec![(form.clone(), n, true)],
                            ..Group::default()
                        };
                        context.same_era(&alone, &groups[at])
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let [only] = fits.as_slice() {
            groups[*only].forms.push((form, n, true));
        } else {
            groups.push(Group {
                kind: Some(NameKind::Person),
                key,
                forms: vec![(form, n, true)],
            });
        }
    }

    // Rule 7: a bare surname joins the person who dominates it.
    let mut bare_groups: BTreeMap<String, Group> = BTreeMap::new();
    for (word, form, n) in bare {
        bare_groups
            .entry(word.clone())
            .or_insert_with(|| Group {
                kind: Some(NameKind::Person),
                key: format!("|{word}"),
                forms: Vec::new(),
            })
            .forms
            .push((form, n, true));
    }
    for (word, group) in bare_groups {
        let mut candidates: Vec<(u64, usize)> = by_last
            .get(&word)
            .map(|members| {
                members
                    .iter()
                    .filter(|&&at| context.same_era(&group, &groups[at]))
                    .map(|&at| (groups[at].articles(), at))
                    .filter(|(n, _)| *n > 0)
                    .collect()
            })
            .unwrap_or_default();
        candidates.sort_by(|a, b| b.cmp(a));
        let best = candidates.first().copied();
        let second = candidates.get(1).map_or(0, |c| c.0);
        match best {
            Some((n, at)) if n >= SURNAME_MIN_ARTICLES && n >= SURNAME_DOMINANCE * second => {
                groups[at].forms.extend(group.forms);
            }
            _ => groups.push(group),
        }
    }
    groups.retain(|group| !group.forms.is_empty());
    groups
}

/// `first|last` of a person key (`first|middle|last` gives its outer words), `None` for a bare
/// surname.
fn split_key(key: &str) -> Option<(&str, &str)> {
    let first = key.split('|').next()?;
    let last = key.rsplit('|').next()?;
    (!first.is_empty()).then_some((first, last))
}

/// Whether two middle names can be one person's: equal, or one the other's initials
/// (`w` and `walker`, `h w` and `herbert walker`).
fn compatible_middle(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x == y || (x.len() == 1 && y.starts_with(x)) || (y.len() == 1 && x.starts_with(y))
        })
}

/// Merges each rare group into the one frequent group `belongs` accepts for it, when exactly one
/// does. Only the groups filed under one of the small group's `probe` keys (each group filed
/// under its `file` key) are candidates, so a pass costs a lookup per group, not a comparison
/// of every pair.
fn merge_variants(
    groups: &mut Vec<Group>,
    max_articles: u64,
    file: impl Fn(&Group) -> Option<String>,
    probe: impl Fn(&Group) -> Vec<String>,
    belongs: impl Fn(&Group, &Group) -> bool,
) {
    let counts: Vec<u64> = groups.iter().map(Group::articles).collect();
    let mut filed: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (at, group) in groups.iter().enumerate() {
        if let Some(key) = file(group) {
            filed.entry(key).or_default().push(at);
        }
    }
    // Below the rare threshold a variant joins only a name with many times its articles; a
    // glued title joins its name whatever the counts.
    let dominance = if max_articles == u64::MAX {
        0
    } else {
        VARIANT_DOMINANCE
    };
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for (small, group) in groups.iter().enumerate() {
        if counts[small] > max_articles {
            continue;
        }
        let mut targets: Vec<usize> = probe(group)
            .iter()
            .filter_map(|key| filed.get(key))
            .flatten()
            .copied()
            .filter(|&big| big != small && counts[big] >= dominance * counts[small])
            .filter(|&big| belongs(group, &groups[big]))
            .collect();
        targets.sort_unstable();
        targets.dedup();
        if let [only] = targets.as_slice() {
            moves.push((small, *only));
        }
    }
    let moved: FxHashSet<usize> = moves.iter().map(|m| m.0).collect();
    for (small, big) in moves {
        if moved.contains(&big) {
            continue;
        }
        let forms = std::mem::take(&mut groups[small].forms);
        groups[big].forms.extend(forms);
    }
    groups.retain(|group| !group.forms.is_empty());
}

/// Rule 8 over the organisation values and the person values read as organisations.
fn resolve_orgs(orgs: &BTreeMap<String, u64>, demoted: &[(&str, u64)]) -> Vec<Group> {
    let mut by_key: BTreeMap<String, Group> = BTreeMap::new();
    let all = orgs
        .iter()
        .map(|(form, &n)| (form.as_str(), n, false))
        .chain(demoted.iter().map(|&(form, n)| (form, n, true)));
    for (form, n, person) in all {
        let key = org_key(form);
        by_key
            .entry(key.clone())
            .or_insert_with(|| Group {
                kind: Some(NameKind::Org),
                key,
                forms: Vec::new(),
            })
            .forms
            .push((form.to_string(), n, person));
    }
    // An acronym joins the one long name it abbreviates.
    let mut long_by_acronym: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for key in by_key.keys() {
        if key.split(' ').all(|word| word.len() == 1) {
            continue;
        }
        if let Some(short) = acronym(key) {
            long_by_acronym.entry(short).or_default().push(key.clone());
        }
    }
    let acronyms: Vec<String> = by_key
        .iter()
        .filter(|(key, group)| {
            (!key.contains(' ') || key.split(' ').all(|word| word.len() == 1))
                && group.forms.iter().any(|(form, _, _)| is_acronym(form))
        })
        .map(|(key, _)| key.clone())
        .collect();
    for short in acronyms {
        let compact: String = short.chars().filter(|c| *c != ' ').collect();
        if let Some([long]) = long_by_acronym.get(&compact).map(Vec::as_slice)
            && let Some(group) = by_key.remove(&short)
        {
            match by_key.get_mut(long) {
                Some(target) => target.forms.extend(group.forms),
                None => {
                    by_key.insert(short, group);
                }
            }
        }
    }
    by_key.into_values().collect()
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
