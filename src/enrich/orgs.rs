//! Organisations: capitalised runs that end in or are headed by an organisation word (`Toyota
//! Motor Corp`, `Bank of Japan`, `European Commission`), names in organisation contexts (`shares
//! of Morgan Stanley`, `Merrill Lynch & Co`, `(NYSE: X)`), acronyms the article defines or uses as
//! a body (`the IMF`), a short hand-written list of common world organisations, and in sports
//! stories the clubs of results lines and tables (`Ajax 2 PSV 1`). Mentions of one organisation
//! in an article become one name: its fullest form without a trailing company form (`IBM Corp`
//! and `IBM` give `IBM`; `BOJ` joins `Bank of Japan`). A name ends before a title and one of
//! the article's people (`NASA Administrator Jim Bridenstine`, `Senate Minority Whip Dick
//! Durbin`): the person is no part of it.
//!
//! Evidence is strong (a company form, an organisation word, an organisation context, the list)
//! or weak (a sports line, an acronym after `the`): a weak name that the article's people hold
//! is a person, and a person whose name has strong evidence here is an organisation.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::countries::{self, data_lines};
use super::text::{self, Segment, Token, TokenKind};

pub(crate) const ORG_WORDS: &str = include_str!("data/orgs_words.tsv");
pub(crate) const ORG_KNOWN: &str = include_str!("data/orgs_known.txt");

/// The most words a listed name is looked for in.
const MAX_KNOWN_WORDS: usize = 7;

/// Words that qualify a title (`Senate Minority Whip`, `Deputy Secretary`): the words of the
/// people finder's titles that are no words of a department as well (`Foreign`, `Air`).
const TITLE_QUALIFIERS: &[&str] = &[
    "Deputy",
    "Vice",
    "Assistant",
    "Associate",
    "Acting",
    "Interim",
    "Minority",
    "Majority",
    "Senior",
    "Junior",
    "Chief",
    "Executive",
    "Managing",
    "Prime",
    "Former",
    "Emeritus",
];

/// The most items a person's name is looked for in (`Nikolaus van der Pas`, `John F. Kennedy`).
const MAX_PERSON_ITEMS: usize = 8;

/// Whether the words `a b` before a name make it a company (`shares of X`, `a stake in X`),
/// told by `b` first: most words before a name are none of these.
fn is_cue_before(a: &str, b: &str) -> bool {
    match b {
        "of" => matches!(
            a,
            "shares" | "unit" | "subsidiary" | "division" | "affiliate" | "stock" | "takeover"
        ),
        "in" => matches!(a, "shares" | "stake"),
        // People are not employers: `an analyst at Shearson Lehman`, `economists with
        // Citibank`.
        "at" => is_market_job(a),
        "with" => matches!(
            a,
            "merger" | "analyst" | "analysts" | "economist" | "economists" | "strategist"
        ),
        // A bond issue's managers are banks: `lead manager Credit Lyonnais`, `lead managed by
        // X`.
        "manager" => a == "lead",
        "by" => a == "managed",
        _ => false,
    }
}

/// Whether a word is a noun of a kind of company, just before a name (`French bank Societe
/// Generale`, `the brokerage Shearson Lehman`, `statistics agency Statistics Canada`).
fn is_company_noun(word: &str) -> bool {
    matches!(
        word,
        "bank"
            | "broker"
            | "brokerage"
            | "insurer"
            | "lender"
            | "firm"
            | "agency"
            | "airline"
            | "carrier"
            | "automaker"
            | "carmaker"
            | "retailer"
            | "conglomerate"
            | "chipmaker"
            | "utility"
    )
}

/// Whether a word is a market occupation, which makes the name beside it an employer
/// (`Societe Generale economist Alain Marais`, `an analyst at Shearson Lehman`).
fn is_market_job(word: &str) -> bool {
    matches!(
        word,
        "analyst"
            | "analysts"
            | "economist"
            | "economists"
            | "strategist"
            | "dealer"
            | "dealers"
            | "trader"
            | "traders"
    )
}

/// Words after a name's possessive that make it a company (`Morgan Stanley's shares`).
const CUES_AFTER_POSSESSIVE: &[&str] = &[
    "shares",
    "stock",
    "unit",
    "subsidiary",
    "board",
    "shareholders",
    "stake",
    "profit",
    "profits",
    "earnings",
    "revenue",
    "revenues",
    "net",
    "takeover",
    "chief",
];

/// Words right after a name that make it a company (`Morgan Stanley shares rose`).
const CUES_AFTER: &[&str] = &["shares", "stock", "Inc", "shareholders"];

/// Words after a name that say a body speaks (`X spokesman`): weak, a person's office also has
/// one.
const SPEAKER_AFTER: &[&str] = &["spokesman", "spokeswoman", "spokesperson", "officials"];

/// Reporting words after an acronym that make it a body (`NATO said`).
const ACRONYM_AFTER: &[&str] = &[
    "said",
    "says",
    "spokesman",
    "spokeswoman",
    "official",
    "officials",
    "chairman",
    "leader",
    "leaders",
    "members",
    "member",
    "chief",
    "president",
    "announced",
    "statement",
    "board",
];

/// Verbs of a sports result between two teams (`Ajax beat PSV`).
const RESULT_VERBS: &[&str] = &[
    "beat",
    "beats",
    "defeated",
    "drew",
    "lost",
    "won",
    "edged",
    "routed",
    "thrashed",
    "crushed",
    "trounced",
    "overcame",
    "held",
    "eliminated",
];

/// Words before a team in a sports story (`beat PSV`, `against Ajax`).
const RESULT_BEFORE: &[&str] = &[
    "beat", "beating", "defeated", "against", "v", "vs", "to", "host", "hosts", "visit", "visiting",
];

/// Words that join the parts of a name.
const CONNECTORS: &[&str] = &[
    "of", "for", "and", "&", "de", "du", "des", "la", "di", "van", "von", "der", "del", "in",
];

/// How a word bears on an organisation's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Form,
    Head,
    Gov,
    Club,
    Role,
    Lead,
    NotOrg,
}

/// The shape of an item of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A capital then lower case (`Toyota`), or a single capital.
    Cap,
    /// Two or more capitals and no lower case (`IBM`, `U.N.`, `BALTIMORE`).
    Upper,
    Lower,
    Number,
    Punct,
}

/// A word or punctuation mark, with dotted abbreviations (`U.N.`) as one item and a possessive
/// taken off.
#[derive(Clone, Copy, Debug)]
struct Item<'a> {
    text: &'a str,
    start: usize,
    shape: Shape,
    /// How the word bears on an organisation's name, looked up once.
    kind: Option<Kind>,
    newline: bool,
    possessive: bool,
}

impl Item<'_> {
    fn is_name(&self) -> bool {
        matches!(self.shape, Shape::Cap | Shape::Upper)
    }

    fn is(&self, word: &str) -> bool {
        self.text == word
    }
}

/// How sure an organisation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// Only a sports line or an acronym's context: a person of the article wins.
    Weak,
    /// An organisation word, a company form, a cue or the list.
    Strong,
}

/// One mention of an organisation.
#[derive(Debug)]
struct Mention {
    name: String,
    strength: Strength,
    /// A listed organisation: its line in [`ORG_KNOWN`].
    group: Option<u32>,
    /// Shown with a company form or context (`X Inc`, `shares of X`): an organisation cue.
    cue: bool,
    /// A lone word that only joins a longer name (`Commission`, `Orioles`).
    alias_only: bool,
    weight: f32,
    position: usize,
}

/// The organisations of one article.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct FoundOrgs {
    /// Canonical names, most salient first.
    pub orgs: Vec<String>,
    /// Names shown with an organisation cue, in first-seen order.
    pub cues: Vec<String>,
    /// The names with strong evidence, and their words: a person of the same name is not one.
    pub strong: Vec<String>,
}

/// The lexicons of the organisation finder. Built once.
#[derive(Debug)]
pub(crate) struct OrgFinder {
    words: FxHashMap<&'static str, Kind>,
    known: FxHashMap<&'static str, u32>,
    /// The first items of the listed names (`U.S.` of `U.S. Treasury`, `St` of `St. Louis`):
    /// a piece starting elsewhere holds no listed name there.
    known_starts: FxHashSet<&'static str>,
    /// The words of the table that start with no capital.
    uncapitalised: Vec<(&'static str, Kind)>,
    /// Country names, aliases and demonyms: no organisation alone.
    countries: FxHashSet<&'static str>,
    /// Demonyms of the country table (`Indonesian`), also in `countries`.
    demonyms: FxHashSet<&'static str>,
    /// Cities of the country table: not a team alone outside a results line.
    cities: FxHashSet<&'static str>,
}

impl Default for OrgFinder {
    fn default() -> Self {
        OrgFinder::new()
    }
}

impl OrgFinder {
    /// A finder with the compiled-in tables.
    pub(crate) fn new() -> OrgFinder {
        let mut words = FxHashMap::default();
        for (_, line) in data_lines(ORG_WORDS) {
            let mut fields = line.split('\t');
            let (Some(word), Some(kind)) = (fields.next(), fields.next()) else {
                continue;
            };
            let kind = match kind.trim() {
                "form" => Kind::Form,
                "head" => Kind::Head,
                "gov" => Kind::Gov,
                "club" => Kind::Club,
                "role" => Kind::Role,
                "lead" => Kind::Lead,
                _ => Kind::NotOrg,
            };
            words.insert(word.trim(), kind);
        }
        let uncapitalised = words
            .iter()
            .filter(|(w, _)| !w.chars().next().is_some_and(char::is_uppercase))
            .map(|(&w, &kind)| (w, kind))
            .collect();
        let mut known = FxHashMap::default();
        for (index, (_, line)) in data_lines(ORG_KNOWN).enumerate() {
            for name in line.split('|').map(str::trim).filter(|n| !n.is_empty()) {
                known.entry(name).or_insert(index as u32);
            }
        }
        let mut known_starts = FxHashSet::default();
        for name in known.keys() {
            let first = name.split(' ').next().unwrap_or(name);
            known_starts.insert(first);
            // A dot may be an item of its own (`St. Louis`: `St` then `.`).
            for (at, _) in first.match_indices('.') {
                known_starts.insert(&first[..at]);
            }
        }
        let mut countries = FxHashSet::default();
        let mut cities = FxHashSet::default();
        let mut demonyms = FxHashSet::default();
        for (_, line) in data_lines(countries::COUNTRIES_TSV) {
            for (column, field) in line.split('\t').enumerate().skip(1) {
                for term in field.split('|').map(str::trim) {
                    if term.is_empty() || term == "-" {
                        continue;
                    }
                    if column == 4 {
                        cities.insert(term);
                    } else {
                        if column == 3 {
                            demonyms.insert(term);
                        }
                        countries.insert(term);
                    }
                }
            }
        }
        for term in [
            "U.S.", "US", "USA", "U.K.", "UK", "America", "Britain", "Soviet",
        ] {
            countries.insert(term);
        }
        OrgFinder {
            words,
            known,
            known_starts,
            uncapitalised,
            countries,
            demonyms,
            cities,
        }
    }

    fn kind(&self, word: &str) -> Option<Kind> {
        self.words.get(word).copied()
    }

    /// The kind of an item: a capitalised word from the table, another from the few words of
    /// the table that start otherwise (`plc`), so that most words cost no lookup.
    fn item_kind(&self, word: &str, shape: Shape) -> Option<Kind> {
        if matches!(shape, Shape::Cap | Shape::Upper) {
            self.kind(word)
        } else {
            self.uncapitalised
                .iter()
                .find(|(w, _)| *w == word)
                .map(|&(_, kind)| kind)
        }
    }

    /// The organisations of an article. `sport` says the article is a sports story (its clubs
    /// are looked for); `people` are the article's people, who win over weak evidence and
    /// end a name before the title they follow (`NASA Administrator Jim Bridenstine`), a word
    /// `is_title` tells. `tokens` are each segment's tokens, as the people finder read them
    /// (empty for a segment in capitals, which it skips).
    pub(crate) fn find(
        &self,
        segments: &[Segment<'_>],
        tokens: &[Vec<Token<'_>>],
        sport: bool,
        people: &[String],
        is_title: &dyn Fn(&str) -> bool,
    ) -> FoundOrgs {
        let people_here = People::new(people, is_title);
        let mut mentions = Vec::new();
        let mut offset = 0;
        let mut items = Vec::new();
        for (segment, tokens) in segments.iter().zip(tokens) {
            if !segment.all_caps || sport {
                if segment.all_caps {
                    let tokens = text::tokenize(segment.text);
                    self::items(self, segment.text, &tokens, &mut items);
                } else {
                    self::items(self, segment.text, tokens, &mut items);
                }
                if !segment.all_caps {
                    self.scan(segment, &items, offset, sport, &people_here, &mut mentions);
                }
                if sport {
                    self.scan_lines(segment, &items, offset, &mut mentions);
                }
            }
            offset += segment.text.len() + 1;
        }
        self.resolve(mentions, people)
    }

    /// Names in running text.
    fn scan(
        &self,
        segment: &Segment<'_>,
        items: &[Item<'_>],
        offset: usize,
        sport: bool,
        people: &People<'_>,
        out: &mut Vec<Mention>,
    ) {
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < items.len() {
            if !items[i].is_name() {
                i += 1;
                continue;
            }
            let end = self.run_end(items, i);
            self.pieces(items, i, end, people, &mut pieces);
            for &(from, to) in &pieces {
                self.classify(segment, items, from, to, offset, sport, out);
            }
            i = end;
        }
    }

    /// The end of the capitalised run that starts at item `i`: names, and connectors between
    /// names, on one line; a possessive ends it.
    fn run_end(&self, items: &[Item<'_>], i: usize) -> usize {
        let mut j = i + 1;
        // A possessive ends a name, but for a plural one before an organisation word
        // (`Farmers' Union`).
        let ends = |item: &Item<'_>, next: Option<&Item<'_>>| {
            item.possessive
                && !(item.text.ends_with('s')
                    && next.is_some_and(|n| {
                        !n.newline && matches!(n.kind, Some(Kind::Head | Kind::Gov))
                    }))
        };
        if ends(&items[i], items.get(i + 1)) {
            return j;
        }
        while j < items.len() && !items[j].newline {
            if items[j].is_name() {
                j += 1;
            } else if (CONNECTORS.contains(&items[j].text)
                || (items[j].is(".") && is_short_form(items[j - 1].text)))
                && items.get(j + 1).is_some_and(|n| n.is_name() && !n.newline)
            {
                j += 2;
            } else if items[j].is("of")
                && items.get(j + 1).is_some_and(|n| n.is("the"))
                && items.get(j + 2).is_some_and(|n| n.is_name() && !n.newline)
            {
                j += 3;
            } else {
                break;
            }
            if ends(&items[j - 1], items.get(j)) {
                break;
            }
        }
        j
    }

    /// Splits a run at its connectors where they join two names rather than make one (`Britain
    /// and France`; `Governor of the Bank of Japan`), at a title inside it (`Bank of Japan
    /// Governor Yasuo Matsushita`), and before the words of a title that one of the article's
    /// people follows (`Senate Minority Whip Dick Durbin`, `NASA Administrator Jim
    /// Bridenstine`), the person left out. The pieces go into `out`, cleared first.
    fn pieces(
        &self,
        items: &[Item<'_>],
        from: usize,
        to: usize,
        people: &People<'_>,
        out: &mut Vec<(usize, usize)>,
    ) {
        out.clear();
        // Where the article's people start in the run, where they end, and whether by their
        // family name alone; most runs hold none.
        let mut persons: Vec<(usize, usize, bool)> = Vec::new();
        for p in from..to {
            if let Some((end, alone)) = people.person_at(items, p)
                && (end >= to || CONNECTORS.contains(&items[end].text))
            {
                persons.push((p, end, alone));
            }
        }
        let mut start = from;
        let mut k = from;
        // The piece begun at `start` is the object of a title (`Chief of Judicial Police`).
        let mut of_title = false;
        while k < to {
            let item = &items[k];
            let kind = item.kind;
            let person = if persons.is_empty() {
                None
            } else if of_title && k > start {
                // `Chief of Judicial Police Manuel Alvarado`: a full name after the title's
                // object is the title's holder.
                persons
                    .iter()
                    .find(|&&(p, _, alone)| p == k && !alone)
                    .map(|&(_, end, _)| end)
                    .or_else(|| self.title_to_person(items, start, k, to, &persons, people))
            } else {
                self.title_to_person(items, start, k, to, &persons, people)
            };
            if let Some(end) = person {
                push_piece(out, items, start, k);
                start = end;
                while start < to
                    && (CONNECTORS.contains(&items[start].text) || items[start].is("the"))
                {
                    start += 1;
                }
                k = start;
                of_title = false;
                continue;
            }
            if kind == Some(Kind::Role) {
                // `Senate Minority Leader`, `Treasury Deputy Secretary`: the words that qualify
                // the title are its own.
                let mut end = k;
                while end > start && self.is_title_word(items, start, end - 1, people) {
                    end -= 1;
                }
                push_piece(out, items, start, end);
                start = k + 1;
                // `Secretary of State James Baker`, `Chairman of the Board`: the title's own
                // words.
                of_title = items.get(start).is_some_and(|n| n.is("of") || n.is("for"));
                start += usize::from(of_title);
                if items.get(start).is_some_and(|n| n.is("the")) {
                    start += 1;
                }
                k = start;
                continue;
            } else if CONNECTORS.contains(&item.text) && k > start {
                let before = &items[k - 1];
                let keep = match item.text {
                    // `F.W. de Klerk and African National Congress Deputy President Thabo
                    // Mbeki`: one of the article's people before it, and a title and another
                    // after (not `Arthur Andersen and Co`, `Louisiana Land and Exploration`).
                    "and"
                        if persons
                            .iter()
                            .any(|&(p, end, alone)| p == start && end == k && !alone)
                            && persons.iter().any(|&(p, _, _)| {
                                p > k + 2 && self.is_title_word(items, k + 1, p - 1, people)
                            }) =>
                    {
                        false
                    }
                    "&" | "and" => {
                        // `& Co`, `Procter & Gamble` (listed), `Securities and Exchange
                        // Commission`, `Ministry of Trade and Industry`: the name goes on
                        // after it.
                        let next = items.get(k + 1).map(|n| n.kind);
                        let head_before = self.has_head(items, start, k);
                        let head_after = self.has_head(items, k + 1, to);
                        let head_of = items[start..k].windows(2).any(|pair| {
                            matches!(pair[0].kind, Some(Kind::Head | Kind::Gov))
                                && (pair[1].is("of") || pair[1].is("for"))
                        });
                        next == Some(Some(Kind::Form))
                            || (item.text == "&" && head_after)
                            || (!head_before && head_after)
                            || (head_of && !head_after)
                    }
                    "of" | "for" => matches!(before.kind, Some(Kind::Head | Kind::Gov)),
                    "in" => false,
                    _ => true,
                };
                if !keep {
                    out.push((start, k));
                    start = k + 1;
                    of_title = false;
                    if items.get(start).is_some_and(|n| n.is("the")) {
                        start += 1;
                    }
                }
            }
            k += 1;
        }
        if start < to {
            out.push((start, to));
        }
        // A known name with a connector inside (`Procter & Gamble`, `Group of Seven`) stays
        // whole.
        if out.len() > 1 {
            let mut from = from;
            while from < to && items[from].kind == Some(Kind::Lead) {
                from += 1;
            }
            let whole = span_text(items, from, to);
            if self.known.contains_key(whole.as_str()) {
                out.clear();
                out.push((from, to));
            }
        }
    }

    /// Whether item `j` of the piece begun at `start` is a word of a title rather than of an
    /// organisation's name: a title of the table or of the people finder (`Whip`,
    /// `Administrator`, `Judge`), or a word that qualifies one (`Deputy`, `Minority`); not a
    /// word of an organisation's name (`Senate`, `Board`, `Court`, a listed name as
    /// `Treasury`), nor the word after an `of` or `for` (`Department of Agriculture`).
    fn is_title_word(
        &self,
        items: &[Item<'_>],
        start: usize,
        j: usize,
        people: &People<'_>,
    ) -> bool {
        let item = &items[j];
        (item.kind == Some(Kind::Role)
            || (!matches!(
                item.kind,
                Some(Kind::Head | Kind::Gov | Kind::Form | Kind::Club)
            ) && (TITLE_QUALIFIERS.contains(&item.text) || (people.is_title)(item.text))))
            && !(j > start && (items[j - 1].is("of") || items[j - 1].is("for")))
            && !self.known.contains_key(item.text)
    }

    /// The end of the person that the title words from item `k` lead to, when `k` starts such
    /// words ([`OrgFinder::is_title_word`]) within the piece begun at `start` of the run that
    /// ends at `to`. `persons` are
    /// where the article's people start and end in the run, and whether by their family name
    /// alone. Such a name, or one that a connector follows inside the run, ends an
    /// organisation's name only after some of it: `General Mills` stays whole beside a `John
    /// Mills`, `Admiral Builders Savings and Loan Association` beside a `Builders Savings`.
    fn title_to_person(
        &self,
        items: &[Item<'_>],
        start: usize,
        k: usize,
        to: usize,
        persons: &[(usize, usize, bool)],
        people: &People<'_>,
    ) -> Option<usize> {
        let title = |j: usize| self.is_title_word(items, start, j, people);
        let mut j = k;
        for &(p, end, alone) in persons {
            if p <= k {
                continue;
            }
            if (alone || end < to) && k == start {
                return None;
            }
            while j < p {
                if !title(j) {
                    return None;
                }
                j += 1;
            }
            return Some(end);
        }
        None
    }

    fn has_head(&self, items: &[Item<'_>], from: usize, to: usize) -> bool {
        items[from..to.min(items.len())]
            .iter()
            .any(|i| matches!(i.kind, Some(Kind::Head | Kind::Gov | Kind::Form)))
    }

    /// Decides what the piece `from..to` of a run is, and records it if an organisation.
    #[allow(clippy::too_many_arguments)]
    fn classify(
        &self,
        segment: &Segment<'_>,
        items: &[Item<'_>],
        mut from: usize,
        to: usize,
        offset: usize,
        sport: bool,
        out: &mut Vec<Mention>,
    ) {
        while from < to && items[from].kind == Some(Kind::Lead) {
            from += 1;
        }
        if from >= to {
            return;
        }
        let at = items[from].start;
        let mut record = |name: String, strength, group, cue, alias_only| {
            out.push(Mention {
                name,
                strength,
                group,
                cue,
                alias_only,
                weight: segment.weight_at(at),
                position: offset + at,
            });
        };
        let piece = &items[from..to];
        let last = &piece[piece.len() - 1];

        // A company form at the end: `Toyota Motor Corp`, `Merrill Lynch & Co`.
        let mut end = piece.len();
        while end > 0
            && (piece[end - 1].kind == Some(Kind::Form)
                || (end < piece.len() && matches!(piece[end - 1].text, "&" | "and")))
        {
            end -= 1;
        }
        if end < piece.len() && end > 0 {
            let name = words_text(&piece[..end]);
            if !self.countries.contains(name.as_str()) {
                let group = self.known.get(name.as_str()).copied();
                record(name, Strength::Strong, group, true, false);
            }
            return;
        }

        // The list, as the whole piece or inside it (`U.S. Treasury`, `Reuters Television`).
        if let Some((s, e, group)) = self.known_within(piece) {
            // `U.S. Treasury`, `Republican Senate`, not `Indonesian Democratic Party`.
            let leading_countries = piece[..s].iter().all(|item| {
                (self.countries.contains(item.text) && !self.demonyms.contains(item.text))
                    || matches!(item.text, "Republican" | "Democratic" | "Democrat")
            });
            // `Airbus 310` is an aircraft; `(NYSE: IBM)` is a ticker.
            let model = items
                .get(from + e)
                .is_some_and(|n| n.shape == Shape::Number);
            let exchange = from > 0
                && items[from - 1].is("(")
                && items.get(from + e).is_some_and(|n| n.is(":"));
            if e == piece.len() && leading_countries && !model && !exchange {
                let name = words_text(&piece[s..e]);
                let cue = self.cue_around(items, from + s, from + e).is_some();
                record(name, Strength::Strong, Some(group), cue, false);
                return;
            }
        }

        // An organisation word: `European Commission`, `Bank of Japan`, `Finance Ministry`.
        let head = piece
            .iter()
            .enumerate()
            .rposition(|(n, item)| match item.kind {
                Some(Kind::Head | Kind::Gov) => true,
                Some(Kind::Club) => sport && (n + 1 == piece.len() || item.shape == Shape::Upper),
                _ => false,
            });
        if let Some(h) = head {
            let whole = words_text(piece);
            if self.countries.contains(whole.as_str())
                || self.kind(&whole) == Some(Kind::NotOrg)
                || piece[piece.len() - 1].kind == Some(Kind::NotOrg)
            {
                return;
            }
            if piece.len() == 1 {
                // A lone organisation word names nothing by itself, but joins a longer name.
                record(words_text(piece), Strength::Weak, None, false, true);
                return;
            }
            let kind = piece[h].kind;
            let mut s = 0;
            // A nationality before a government body is no part of its name (`German Finance
            // Ministry`); before other bodies it is (`Indonesian Democratic Party`).
            while s + 1 < h && kind == Some(Kind::Gov) && self.countries.contains(piece[s].text) {
                s += 1;
            }
            let name = words_text(&piece[s..]);
            if piece.len() - s >= 2 || h < piece.len() - 1 {
                let cue = self.cue_around(items, from, to).is_some();
                record(name, Strength::Strong, None, cue, false);
            }
            return;
        }

        if last.kind == Some(Kind::NotOrg) || piece.len() > 5 {
            return;
        }
        let name = piece_text(piece);
        if self.countries.contains(&*name) {
            return;
        }

        // An organisation context: `shares of X`, `X's shares`, `(NYSE: X)`, `X spokesman`.
        if let Some(strength) = self.cue_around(items, from, to) {
            let alias_only =
                piece.len() == 1 && piece[0].shape == Shape::Cap && is_sentence_start(items, from);
            record(name.into_owned(), strength, None, true, alias_only);
            return;
        }

        // An acronym used as a body: `the IMF`, `NATO said`, or defined: `(NFU)`.
        if piece.len() == 1 && last.shape == Shape::Upper && is_acronym(last.text) {
            let defined =
                from > 0 && items[from - 1].is("(") && items.get(to).is_some_and(|n| n.is(")"));
            let the = from > 0 && items[from - 1].is("the");
            let after = items
                .get(to)
                .is_some_and(|n| ACRONYM_AFTER.contains(&n.text))
                || last.possessive;
            if defined {
                record(name.into_owned(), Strength::Strong, None, false, false);
            } else if the || after {
                record(name.into_owned(), Strength::Weak, None, false, false);
            }
            return;
        }

        if sport {
            self.sport_context(segment, items, from, to, name, offset, out);
        }
    }

    /// The longest listed name inside `piece`, as (start, end, line).
    fn known_within(&self, piece: &[Item<'_>]) -> Option<(usize, usize, u32)> {
        let mut text = String::new();
        let mut ends = Vec::new();
        for s in 0..piece.len() {
            if !self.known_starts.contains(piece[s].text) {
                continue;
            }
            // The text of `piece[s..e]` is a prefix of the text of `piece[s..e + 1]`.
            let end = piece.len().min(s + MAX_KNOWN_WORDS);
            text.clear();
            ends.clear();
            for (n, item) in piece[s..end].iter().enumerate() {
                push_word(&mut text, item, n == 0);
                ends.push(text.len());
            }
            let longest = (s + 1..=end).rev().find_map(|e| {
                let words = &text[..ends[e - s - 1]];
                self.known.get(words).map(|&g| (s, e, g))
            });
            if longest.is_some() {
                return longest;
            }
        }
        None
    }

    /// The organisation context around the piece `from..to`, if any, and how strong it is.
    fn cue_around(&self, items: &[Item<'_>], from: usize, to: usize) -> Option<Strength> {
        let last = &items[to - 1];
        let next = items.get(to);
        if from >= 2 {
            let (a, b) = (items[from - 2].text, items[from - 1].text);
            if is_cue_before(a, b) {
                return Some(Strength::Strong);
            }
        }
        if from >= 1
            && is_company_noun(items[from - 1].text)
            && items[from].kind != Some(Kind::Role)
        {
            return Some(Strength::Strong);
        }
        if last.possessive {
            if next.is_some_and(|n| CUES_AFTER_POSSESSIVE.contains(&n.text)) {
                return Some(Strength::Strong);
            }
            return None;
        }
        let next = next?;
        if CUES_AFTER.contains(&next.text) || is_market_job(next.text) {
            return Some(Strength::Strong);
        }
        // A Reuters ticker in angle brackets: `Societe Generale <SGEN.PA>`, `<GE>`.
        if next.is("<")
            && items.get(to + 1).is_some_and(|n| n.shape == Shape::Upper)
            && items.get(to + 2).is_some_and(|n| n.is(">") || n.is("."))
        {
            return Some(Strength::Strong);
        }
        // A ticker: `(NYSE: IBM)`, `(Nasdaq: MSFT)`, `(IBM.N)`.
        if next.is("(")
            && items
                .get(to + 1)
                .is_some_and(|n| n.shape == Shape::Upper || n.shape == Shape::Cap)
            && items.get(to + 2).is_some_and(|n| {
                n.is(":")
                    || (n.is(".")
                        && items
                            .get(to + 3)
                            .is_some_and(|m| m.shape == Shape::Upper || m.text.len() == 1))
            })
        {
            return Some(Strength::Strong);
        }
        // `X, a unit of`, `X, a subsidiary of`.
        if next.is(",")
            && items.get(to + 1).is_some_and(|n| n.is("a") || n.is("the"))
            && items
                .get(to + 2)
                .is_some_and(|n| matches!(n.text, "unit" | "subsidiary" | "division"))
        {
            return Some(Strength::Strong);
        }
        if SPEAKER_AFTER.contains(&next.text) {
            return Some(Strength::Weak);
        }
        // `X said in a statement`.
        if next.is("said")
            && items.get(to + 1).is_some_and(|n| n.is("in"))
            && items.get(to + 2).is_some_and(|n| n.is("a"))
            && items.get(to + 3).is_some_and(|n| n.is("statement"))
        {
            return Some(Strength::Weak);
        }
        None
    }

    /// Teams in the running text of a sports story: `Ajax beat PSV`, `against Ajax`,
    /// `Seattle Mariners`. `name` is the text of the piece `from..to`.
    #[allow(clippy::too_many_arguments)]
    fn sport_context(
        &self,
        segment: &Segment<'_>,
        items: &[Item<'_>],
        from: usize,
        to: usize,
        name: Cow<'_, str>,
        offset: usize,
        out: &mut Vec<Mention>,
    ) {
        let piece = &items[from..to];
        if self.cities.contains(&*name) && piece.len() > 1 {
            return;
        }
        let last = &piece[piece.len() - 1];
        // `Seattle Mariners`: a nickname in the plural after a place.
        let nickname = piece.len() >= 2
            && last.kind != Some(Kind::NotOrg)
            && last.shape == Shape::Cap
            && last.text.len() > 3
            && last.text.ends_with('s')
            && !last.text.ends_with("ss");
        let mut k = to;
        // `Benetton of Italy beat`, `Gloria Bistrita (Romania) beat`.
        if items.get(k).is_some_and(|n| n.is("of"))
            && items
                .get(k + 1)
                .is_some_and(|n| self.countries.contains(n.text))
        {
            k += 2;
        } else if items.get(k).is_some_and(|n| n.is("("))
            && items
                .get(k + 1)
                .is_some_and(|n| self.countries.contains(n.text))
            && items.get(k + 2).is_some_and(|n| n.is(")"))
        {
            k += 3;
        }
        let verb_after = items.get(k).is_some_and(|n| RESULT_VERBS.contains(&n.text))
            && (from == 0
                || items[from].newline
                || is_sentence_start(items, from)
                || items[from - 1].is(","));
        let word_before = from > 0 && RESULT_BEFORE.contains(&items[from - 1].text);
        let result_before = (1..=8).filter_map(|back| from.checked_sub(back)).any(|b| {
            RESULT_VERBS.contains(&items[b].text)
                && items[b + 1..from]
                    .iter()
                    .all(|i| matches!(i.shape, Shape::Number | Shape::Punct) || i.is("halftime"))
        }) && from > 0
            && !items[from - 1].is_name();
        if nickname || verb_after || word_before || result_before {
            let at = items[from].start;
            out.push(Mention {
                name: name.into_owned(),
                strength: Strength::Weak,
                group: None,
                cue: false,
                alias_only: false,
                weight: segment.weight_at(at),
                position: offset + at,
            });
        } else if piece.len() == 1 && last.shape == Shape::Cap && last.text.ends_with('s') {
            // A lone nickname (`Orioles`) joins its team.
            let at = items[from].start;
            out.push(Mention {
                name: name.into_owned(),
                strength: Strength::Weak,
                group: None,
                cue: false,
                alias_only: true,
                weight: segment.weight_at(at),
                position: offset + at,
            });
        }
    }

    /// Teams in the lines of results and tables: `Ajax 2 PSV 1`, `BALTIMORE 67 58 .536 5`,
    /// `OAKLAND AT BOSTON`.
    fn scan_lines(
        &self,
        segment: &Segment<'_>,
        items: &[Item<'_>],
        offset: usize,
        out: &mut Vec<Mention>,
    ) {
        let mut start = 0;
        while start < items.len() {
            let mut end = start + 1;
            while end < items.len() && !items[end].newline {
                end += 1;
            }
            for (from, to) in self.line_teams(&items[start..end]) {
                let (from, to) = (start + from, start + to);
                let name = words_text(&items[from..to]);
                if self.countries.contains(name.as_str()) {
                    continue;
                }
                let at = items[from].start;
                out.push(Mention {
                    name,
                    strength: Strength::Weak,
                    group: None,
                    cue: false,
                    alias_only: false,
                    weight: segment.weight_at(at),
                    position: offset + at,
                });
            }
            start = end;
        }
    }

    /// The teams of one line, as item ranges within it.
    fn line_teams(&self, line: &[Item<'_>]) -> Vec<(usize, usize)> {
        let name_end = |from: usize| {
            let mut j = from;
            while j < line.len()
                && (line[j].is_name() || (j > from && line[j].is(".") && line[j - 1].text == "St"))
                && line[j].kind != Some(Kind::NotOrg)
            {
                j += 1;
            }
            j
        };
        let numbers_from = |from: usize| {
            line[from..]
                .iter()
                .take_while(|i| matches!(i.shape, Shape::Number | Shape::Punct))
                .filter(|i| i.shape == Shape::Number)
                .count()
        };
        let mut teams = Vec::new();
        let first = if line.first().is_some_and(|i| i.shape == Shape::Number)
            && line.get(1).is_some_and(|i| i.is("."))
        {
            2
        } else {
            0
        };
        let a_end = name_end(first);
        if a_end == first || a_end - first > 5 || line[first..a_end].iter().any(|i| i.possessive) {
            return teams;
        }
        if line[first].kind == Some(Kind::Lead) {
            return teams;
        }
        // `LONDON 1996-08-22`: a dateline, not a score.
        if is_date(&line[a_end..]) {
            return teams;
        }
        // `Ajax 2 PSV 1`.
        if line.get(a_end).is_some_and(|i| i.shape == Shape::Number) {
            let b_start = a_end + 1;
            let b_end = name_end(b_start);
            if b_end > b_start
                && b_end - b_start <= 5
                && line.get(b_end).is_some_and(|i| i.shape == Shape::Number)
                && line
                    .get(b_end + 1)
                    .is_none_or(|i| i.is("(") || i.is_name() || i.shape == Shape::Number)
            {
                teams.push((first, a_end));
                teams.push((b_start, b_end));
                return teams;
            }
            // `BALTIMORE 67 58 .536 5`: a table row; `Surrey 395 and 203-4`: a score.
            let row =
                numbers_from(a_end) >= 3 && a_end + numbers_from_len(line, a_end) == line.len();
            let score = first == 0 && !line[a_end - 1].possessive;
            if row || score {
                teams.push((first, a_end));
            }
            return teams;
        }
        // `OAKLAND AT BOSTON`, `Ajax v PSV`.
        if line
            .get(a_end)
            .is_some_and(|i| matches!(i.text, "AT" | "at" | "v" | "vs" | "VS"))
        {
            let b_start = a_end + 1 + usize::from(line.get(a_end + 1).is_some_and(|i| i.is(".")));
            let b_end = name_end(b_start);
            if b_end > b_start && b_end == line.len() {
                teams.push((first, a_end));
                teams.push((b_start, b_end));
            }
        }
        teams
    }

    /// One name per organisation, most salient first; weak names of people dropped.
    fn resolve(&self, mut mentions: Vec<Mention>, people: &[String]) -> FoundOrgs {
        let is_person = |name: &str| {
            people.iter().any(|p| {
                p == name
                    || p.rsplit(' ').next() == Some(name)
                    || (name.contains(' ') && p.ends_with(name))
            })
        };
        let mut cues: Vec<String> = Vec::new();
        for m in &mentions {
            if m.cue && !cues.contains(&m.name) {
                cues.push(m.name.clone());
            }
        }
        // Longest names first, so that shorter forms join them.
        mentions.sort_by(|a, b| {
            let words = |m: &Mention| m.name.split(' ').count();
            words(b)
                .cmp(&words(a))
                .then(b.strength.cmp(&a.strength))
                .then(a.position.cmp(&b.position))
        });
        struct Org {
            name: String,
            key: String,
            words: Vec<String>,
            group: Option<u32>,
            strength: Strength,
            score: f32,
            first: usize,
        }
        let mut orgs: Vec<Org> = Vec::new();
        for m in mentions {
            let key = fold(&m.name);
            let words: Vec<String> = m.name.split(' ').map(str::to_string).collect();
            // Initials have no lower case (`BOJ`, `U.N.`).
            let initials = !m.name.chars().any(char::is_lowercase);
            let found = orgs.iter_mut().position(|o| {
                (m.group.is_some() && o.group == m.group)
                    || o.key == key
                    || (initials && is_initials(&m.name, &o.words))
                    || (words.len() < o.words.len() && o.words.starts_with(&words))
                    || (words.len() == 1 && o.words.len() > 1 && o.words.last() == words.last())
            });
            match found {
                Some(index) => {
                    let org = &mut orgs[index];
                    org.score += m.weight;
                    org.first = org.first.min(m.position);
                    org.strength = org.strength.max(m.strength);
                    if org.group.is_none() {
                        org.group = m.group;
                    }
                }
                None if !m.alias_only => orgs.push(Org {
                    name: m.name,
                    key,
                    words,
                    group: m.group,
                    strength: m.strength,
                    score: m.weight,
                    first: m.position,
                }),
                None => {}
            }
        }
        orgs.retain(|o| o.strength == Strength::Strong || !is_person(&o.name));
        orgs.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.first.cmp(&b.first))
        });
        let strong = orgs
            .iter()
            .filter(|o| o.strength == Strength::Strong)
            .map(|o| o.name.clone())
            .collect();
        FoundOrgs {
            orgs: orgs.into_iter().map(|o| o.name).collect(),
            cues,
            strong,
        }
    }
}

/// The items of a text, from its tokens, into `out` (cleared first), each with its kind.
fn items<'a>(finder: &OrgFinder, text: &'a str, tokens: &[Token<'a>], out: &mut Vec<Item<'a>>) {
    out.clear();
    out.reserve(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        // A dotted abbreviation: single capitals each followed by a dot, with nothing between.
        let mut j = i;
        let mut end = token.start;
        while let (Some(letter), Some(dot)) = (tokens.get(j), tokens.get(j + 1)) {
            let single = letter.kind == TokenKind::Word
                && letter.text.len() == 1
                && letter.text.bytes().all(|b| b.is_ascii_uppercase());
            if single && letter.start == end && dot.is_punct('.') && dot.start == end + 1 {
                end = dot.start + 1;
                j += 2;
            } else {
                break;
            }
        }
        if j >= i + 4 {
            let abbreviation = &text[token.start..end];
            out.push(Item {
                text: abbreviation,
                start: token.start,
                shape: Shape::Upper,
                kind: finder.words.get(abbreviation).copied(),
                newline: token.after_newline,
                possessive: false,
            });
            i = j;
            continue;
        }
        let (stem, mut possessive) = if token.kind == TokenKind::Word {
            text::strip_possessive(token.text)
        } else {
            (token.text, false)
        };
        // A plural possessive: `Brothers'`, the apostrophe a token of its own.
        let apostrophe = tokens.get(i + 1).filter(|next| {
            token.kind == TokenKind::Word
                && stem.ends_with('s')
                && next.start == token.start + token.text.len()
                && (next.is_punct('\'') || next.is_punct('’'))
        });
        possessive |= apostrophe.is_some();
        let shape = shape(stem, token.kind);
        out.push(Item {
            text: stem,
            start: token.start,
            shape,
            kind: finder.item_kind(stem, shape),
            newline: token.after_newline,
            possessive,
        });
        i += 1 + usize::from(apostrophe.is_some());
    }
}

fn shape(word: &str, kind: TokenKind) -> Shape {
    if kind == TokenKind::Punct {
        return Shape::Punct;
    }
    // Most words are ASCII and start in lower case: their bytes tell.
    match word.as_bytes() {
        [b'a'..=b'z', ..] => return Shape::Lower,
        [b'0'..=b'9', ..] => return Shape::Number,
        [b'A'..=b'Z', rest @ ..] if rest.is_ascii() => {
            if rest.iter().any(u8::is_ascii_lowercase) {
                return Shape::Cap;
            }
            return if rest.iter().any(u8::is_ascii_alphabetic) {
                Shape::Upper
            } else {
                Shape::Cap
            };
        }
        _ => {}
    }
    let Some(first) = word.chars().next() else {
        return Shape::Punct;
    };
    if first.is_numeric() {
        return Shape::Number;
    }
    if !first.is_uppercase() {
        return Shape::Lower;
    }
    if word.chars().any(char::is_lowercase) {
        return Shape::Cap;
    }
    if word.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
        Shape::Upper
    } else {
        Shape::Cap
    }
}

/// Whether `items` are a calendar date and nothing more (`1996-08-22`, `22/08/1996`).
fn is_date(items: &[Item<'_>]) -> bool {
    let digits = |i: &Item<'_>, lengths: &[usize]| {
        lengths.contains(&i.text.len()) && i.text.bytes().all(|b| b.is_ascii_digit())
    };
    match items {
        [a, s1, b, s2, c] => {
            let separated = (s1.is("-") && s2.is("-")) || (s1.is("/") && s2.is("/"));
            separated
                && digits(b, &[1, 2])
                && ((digits(a, &[4]) && digits(c, &[1, 2]))
                    || (digits(a, &[1, 2]) && digits(c, &[4])))
        }
        [one] => {
            let parts: Vec<&str> = one.text.split(['-', '/']).collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && (parts[0].len() == 4 || parts[2].len() == 4)
        }
        _ => false,
    }
}

/// How many items from `from` on are numbers or punctuation.
fn numbers_from_len(line: &[Item<'_>], from: usize) -> usize {
    line[from..]
        .iter()
        .take_while(|i| matches!(i.shape, Shape::Number | Shape::Punct))
        .count()
}

/// Whether item `i` starts a sentence: the first of its line, or after `.`, `!`, `?`, `"`, `:`.
fn is_sentence_start(items: &[Item<'_>], i: usize) -> bool {
    i == 0
        || items[i].newline
        || matches!(
            items[i - 1].text,
            "." | "!" | "?" | "\"" | ":" | "“" | "-" | "("
        )
}

/// Whether a word is an abbreviation that takes a dot inside a name (`St. Louis`).
fn is_short_form(word: &str) -> bool {
    matches!(word, "St" | "Ste" | "Mt" | "Ft")
}

/// Whether a word of capitals reads as an acronym: two to six letters.
fn is_acronym(word: &str) -> bool {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters)
}

/// The words of a span of items joined by single spaces (dotted abbreviations kept whole).
fn span_text(items: &[Item<'_>], from: usize, to: usize) -> String {
    words_text(&items[from..to])
}

/// [`words_text`] without a copy for a single item, whose text it is.
fn piece_text<'a>(items: &[Item<'a>]) -> Cow<'a, str> {
    match items {
        [one] => Cow::Borrowed(one.text),
        _ => Cow::Owned(words_text(items)),
    }
}

fn words_text(items: &[Item<'_>]) -> String {
    let mut out = String::with_capacity(items.iter().map(|i| i.text.len() + 1).sum());
    for (n, item) in items.iter().enumerate() {
        push_word(&mut out, item, n == 0);
    }
    out
}

/// Adds an item to a name being written: a space before it, but before a dot or the first.
fn push_word(out: &mut String, item: &Item<'_>, first: bool) {
    let dot = item.shape == Shape::Punct && item.text == ".";
    if !(first || dot) {
        out.push(' ');
    }
    out.push_str(item.text);
}

/// Adds the piece `from..to` before a title to `out`, without the connectors and `the` that
/// end it (`Bank of England and`) or a word of the title that opens it (`Deputy High Court
/// Judge`), if anything is left.
fn push_piece(out: &mut Vec<(usize, usize)>, items: &[Item<'_>], mut from: usize, mut to: usize) {
    while to > from && (CONNECTORS.contains(&items[to - 1].text) || items[to - 1].is("the")) {
        to -= 1;
    }
    while from < to && matches!(items[from].text, "Deputy" | "Vice" | "Assistant" | "Acting") {
        from += 1;
    }
    if to > from {
        out.push((from, to));
    }
}

/// The article's people, as the people finder found them, and its test of a title word: what
/// the organisation finder needs to end a name before a title and a person. Every item of a
/// run asks whether a person starts there, so the names are kept by their words.
struct People<'a> {
    /// The full names of two or more words.
    names: FxHashSet<&'a str>,
    /// The first and the last word of each name.
    ends: FxHashSet<&'a str>,
    /// Per last word of a name of two or more words, the words before it.
    family: FxHashMap<&'a str, Vec<&'a str>>,
    is_title: &'a dyn Fn(&str) -> bool,
}

impl<'a> People<'a> {
    fn new(people: &'a [String], is_title: &'a dyn Fn(&str) -> bool) -> People<'a> {
        let mut found = People {
            names: FxHashSet::default(),
            ends: FxHashSet::default(),
            family: FxHashMap::default(),
            is_title,
        };
        for name in people {
            let Some((rest, last)) = name.rsplit_once(' ') else {
                found.ends.insert(name);
                continue;
            };
            found.names.insert(name);
            found.ends.insert(name.split(' ').next().unwrap_or(name));
            found.ends.insert(last);
            let before = rest.rsplit(' ').next().unwrap_or(rest);
            found.family.entry(last).or_default().push(before);
        }
        found
    }

    /// The end of the person whose name starts at item `p`, and whether it is their family
    /// name alone: their full name of two or more words as the people finder writes it (`John
    /// F. Kennedy`, `Robin Leigh-Pemberton`), or the last word of one, on one line. A person
    /// of one word is too often a word of a name read as a person (`Electric` of `General
    /// Electric`), and so is one holding a word of an organisation's name (`Insurance Sdn Bhd`
    /// after the title `General`).
    fn person_at(&self, items: &[Item<'_>], p: usize) -> Option<(usize, bool)> {
        let first = items[p].text;
        let org_word =
            |item: &Item<'_>| matches!(item.kind, Some(Kind::Head | Kind::Gov | Kind::Form));
        if !items[p].is_name() || org_word(&items[p]) || !self.ends.contains(first) {
            return None;
        }
        let mut text = String::new();
        let mut found = None;
        for (n, item) in items[p..].iter().enumerate().take(MAX_PERSON_ITEMS) {
            if (n > 0 && item.newline) || org_word(item) {
                break;
            }
            push_word(&mut text, item, n == 0);
            if n > 0 && self.names.contains(text.as_str()) {
                found = Some((p + n + 1, false));
            }
        }
        // By the family name alone, unless the words before are the rest of the same name
        // (`Financial Security Assurance` read as a person).
        found.or_else(|| {
            self.family
                .get(first)
                .is_some_and(|before| {
                    before
                        .iter()
                        .any(|&before| p == 0 || items[p - 1].text != before)
                })
                .then_some((p + 1, true))
        })
    }
}

/// A name folded for comparison: lower case, letters and digits only.
fn fold(name: &str) -> String {
    if name.is_ascii() {
        return name
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `short` is the initials of `words` (`BOJ`, `U.N.` for `United Nations`), counting
/// `of` or not.
fn is_initials(short: &str, words: &[String]) -> bool {
    let letters: String = short.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || words.len() < 2 || letters.chars().any(char::is_lowercase) {
        return false;
    }
    let with: String = words.iter().filter_map(|w| w.chars().next()).collect();
    let without: String = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect();
    letters.eq_ignore_ascii_case(&with) || letters == without
}

#[cfg(test)]
#[path = "orgs_tests.rs"]
mod tests;
