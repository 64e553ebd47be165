//! People: capitalised name spans with evidence (a title or role before, a reporting verb or
//! `who` after, an age, a known given name, an initial, a name particle, the shape of a sports
//! results line, or the family name speaking alone elsewhere in the article), then in-document
//! coreference of surnames and initials to the longest form.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use super::countries::{self, data_lines};
use super::text::{self, Segment, Token, TokenKind};

pub(crate) const GIVEN_NAMES: &str = include_str!("data/given_names.txt");
/// More given names, from the US baby names: what world news adds to the first list (`Oleg`,
/// `Aparna`, `Lleyton`, `Thierry`), words of English and other languages left out.
pub(crate) const GIVEN_NAMES_US: &str = include_str!("data/given_names_us.txt");
pub(crate) const SURNAMES: &str = include_str!("data/surnames.txt");
pub(crate) const FAMILY_FIRST: &str = include_str!("data/family_first.txt");
pub(crate) const ROLES: &str = include_str!("data/person_roles.txt");
pub(crate) const NOT_NAMES: &str = include_str!("data/not_names.txt");

/// Words that end a company's name.
const COMPANY_FORMS: &[&str] = &[
    "Co",
    "Corp",
    "Corporation",
    "Inc",
    "Ltd",
    "Plc",
    "PLC",
    "LLC",
    "AG",
    "SA",
    "NV",
];

/// Words that, right after a name, make it the name of a place or body named after a person
/// (`Johns Hopkins University`, `Jesse Owens Award`, `John F. Kennedy Center`) or after a
/// word that is also a given name (`Westin Hotels`, `Daytona Beach`, `Asbury Automotive`):
/// no mention of a person.
const NAMED_AFTER: &[&str] = &[
    "University",
    "College",
    "Institute",
    "Institution",
    "Hospital",
    "Hotel",
    "Hotels",
    "Resort",
    "Resorts",
    "Beach",
    "Creek",
    "Automotive",
    "Networks",
    "Engineers",
    "Management",
    "Worldwide",
    "Commodities",
    "Foundation",
    "School",
    "Academy",
    "Center",
    "Centre",
    "Museum",
    "Library",
    "Stadium",
    "Airport",
    "Memorial",
    "Medical",
    "Prize",
    "Award",
    "Awards",
    "Trophy",
];

/// Words no name holds elsewhere ([`NOT_NAMES`]) that are also family names: after a given
/// name, with a title or role before or a reporting verb after, they end the name
/// (`spokeswoman Theresa May`, `Mayor Michael Bloomberg`, `Lt. Col. Oliver North`, `Brian May
/// said`).
const SURNAME_WORDS: &[&str] = &[
    "May",
    "Friday",
    "Bloomberg",
    "X",
    "Press",
    "Downing",
    "Hall",
    "Tower",
    "Lake",
    "North",
    "West",
    "Green",
    "Law",
    "Bay",
    "Street",
];

/// Two-word places whose first word is also a family name: a name run into one loses that
/// word (`Bill Clinton White House`).
const PLACE_PAIRS: &[(&str, &str)] = &[
    ("White", "House"),
    ("Capitol", "Hill"),
    ("Downing", "Street"),
    ("Wall", "Street"),
];

/// A caption label that scraped pages run into the word before it (`Jo JorgensenImage:`).
const GLUED_CAPTION: &str = "Image";

/// Words that join the parts of a name in lower case ("Nikolaus van der Pas").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "bin", "ibn", "al", "el", "ter", "ten", "zu", "y", "bint", "abu",
];
/// Verbs that follow a person's name in reported speech.
const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "wrote",
    "writes",
    "noted",
    "stated",
    "argued",
    "insisted",
    "explained",
    "asked",
    "warned",
    "announced",
    "declared",
    "claimed",
    "replied",
    "urged",
    "acknowledged",
    "recalled",
    "admitted",
    "confirmed",
    "denied",
    "predicted",
];

/// Verbs of a result after a competitor and their country (`Karsten Warholm of Norway won`):
/// a company of a country does not win or beat.
const RESULT_VERBS: &[&str] = &[
    "won", "wins", "beat", "beats", "defeated", "finished", "took", "set", "claimed", "retained",
    "lost", "clocked", "edged", "upset", "reached", "advanced", "scored", "shot", "overcame",
    "ousted",
];

/// The longest name span considered, in words.
const MAX_SPAN: usize = 4;

/// How a role word relates to a following name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// "President", "Mr.", "coach": a person's name follows.
    Head,
    /// "Foreign", "Treasury": part of a title only.
    Part,
    /// "wife", "son": a full name follows (`his wife Jetty Kors`); a one-word name after it
    /// (`his wife Mary`) says too little to be listed.
    Kin,
}

/// The lexicons the person finder uses. Built once.
#[derive(Debug)]
pub(crate) struct PeopleFinder {
    given: FxHashSet<String>,
    surnames: FxHashSet<String>,
    family_first: FxHashSet<String>,
    /// Roles by their lower-case bytes, looked up without a check of UTF-8.
    roles: FxHashMap<Vec<u8>, Role>,
    not_names: FxHashSet<String>,
    /// Single words that name a country, nationality or city ("India", "Indian").
    places: FxHashSet<String>,
    /// Full names users listed; a span equal to one is a person.
    known: FxHashSet<String>,
}

/// What the scan of an article's segments finds.
#[derive(Debug, Default)]
struct Found {
    /// The name spans with evidence.
    mentions: Vec<Mention>,
    /// Spans of more than one word without evidence in their paragraph.
    held: Vec<Mention>,
    /// Single words followed by a reporting verb (`Callamard said`).
    speakers: Vec<String>,
}

/// One name span found in the text.
#[derive(Debug)]
struct Mention {
    words: Vec<String>,
    cue: bool,
    weight: f32,
    position: usize,
}

/// A person being assembled from mentions.
#[derive(Debug)]
struct Person {
    words: Vec<String>,
    score: f32,
    first: usize,
}

/// The compiled-in given names: the first list and the US baby names, as one set.
pub(crate) fn compiled_given_names() -> FxHashSet<String> {
    let mut given = word_set(GIVEN_NAMES);
    given.extend(word_set(GIVEN_NAMES_US));
    given
}

fn word_set(text: &str) -> FxHashSet<String> {
    data_lines(text)
        .map(|(_, l)| l.trim().to_string())
        .collect()
}

impl PeopleFinder {
    /// A finder with the compiled-in lexicons, plus `places` (single-word country terms) and
    /// `known` full names.
    pub(crate) fn new(places: HashSet<String>, known: &[String]) -> PeopleFinder {
        let mut roles = FxHashMap::default();
        for (_, line) in data_lines(ROLES) {
            let mut fields = line.split('\t');
            if let (Some(word), Some(kind)) = (fields.next(), fields.next()) {
                let role = match kind.trim() {
                    "head" => Role::Head,
                    "kin" => Role::Kin,
                    _ => Role::Part,
                };
                let entry = roles
                    .entry(word.trim().to_lowercase().into_bytes())
                    .or_insert(role);
                if role != Role::Part {
                    *entry = role;
                }
            }
        }
        let mut given = compiled_given_names();
        for name in known {
            if let Some(first) = name.split_whitespace().next() {
                given.insert(first.to_string());
            }
        }
        PeopleFinder {
            given,
            surnames: word_set(SURNAMES),
            family_first: word_set(FAMILY_FIRST),
            roles,
            not_names: word_set(NOT_NAMES),
            places: places.into_iter().collect(),
            known: known.iter().cloned().collect(),
        }
    }

    /// Whether `word` is a known given name.
    pub(crate) fn is_given_name(&self, word: &str) -> bool {
        self.given.contains(word)
    }

    /// Whether `word` heads a title or role before a person's name (`Whip`, `coach`, `wife`),
    /// in any case; a word that only belongs to a title (`Foreign`, `Minority`) does not. What
    /// the organisation finder asks to end a name before a title and a person.
    pub(crate) fn is_title(&self, word: &str) -> bool {
        matches!(self.role(word), Some(Role::Head | Role::Kin))
    }

    fn role(&self, word: &str) -> Option<Role> {
        // Most words are short and ASCII: lower-cased on the stack, without an allocation.
        let mut buffer = [0u8; 24];
        if word.is_ascii() && word.len() <= buffer.len() {
            let lower = &mut buffer[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return self.roles.get(&*lower).copied();
        }
        self.roles.get(word.to_lowercase().as_bytes()).copied()
    }

    /// Whether a word token can be part of a name.
    fn is_name_word(&self, word: &str) -> bool {
        if !text::is_capitalised(word) {
            return starts_with_particle_prefix(word);
        }
        // ASCII, most words, is decided in one pass over the bytes.
        let (mut high, mut lower, mut hyphen) = (false, false, false);
        for byte in word.bytes() {
            high |= !byte.is_ascii();
            lower |= byte.is_ascii_lowercase();
            hyphen |= byte == b'-';
        }
        if high {
            lower = word.chars().any(char::is_lowercase);
        }
        if !lower || self.not_names.contains(word) {
            return false;
        }
        // Only a word with a hyphen has parts to look up (`Indian-born`).
        if !high && !hyphen {
            return true;
        }
        !word
            .split(['-', '‐'])
            .any(|part| part.len() < word.len() && self.places.contains(part))
    }

    /// Whether a capitalised word may begin a name span.
    fn can_start(&self, word: &str) -> bool {
        self.is_name_word(word) && self.role(word).is_none() && !self.places.contains(word)
    }

    /// The people of an article, canonical full names, most salient first.
    /// `tokens` are each segment's tokens ([`text::segment_tokens`]).
    pub(crate) fn find(&self, segments: &[Segment<'_>], tokens: &[Vec<Token<'_>>]) -> Vec<String> {
        let mut found = Found::default();
        let mut offset = 0;
        for (segment, tokens) in segments.iter().zip(tokens) {
            if !segment.all_caps {
                self.scan(segment, tokens, offset, &mut found);
            }
            offset += segment.text.len() + 1;
        }
        let Found {
            mut mentions,
            held,
            speakers,
        } = found;
        // News names a person in full once and by the family name after (`Agnès Callamard, a
        // UN rapporteur, ...` then `Callamard said`): a span without evidence of its own is a
        // name when its last word speaks alone elsewhere in the article, or when the same
        // span is a name in another paragraph.
        for mention in held {
            let vouched = mention
                .words
                .last()
                .is_some_and(|last| speakers.contains(last))
                || mentions.iter().any(|m| m.words == mention.words);
            if vouched {
                mentions.push(mention);
            }
        }
        resolve(mentions, &self.family_first)
    }

    fn scan(&self, segment: &Segment<'_>, tokens: &[Token<'_>], offset: usize, found: &mut Found) {
        let out = &mut found.mentions;
        // Multi-word spans without evidence, kept in case a list vouches for them:
        // (mention, first token, token after).
        // The last field says whether the article may vouch for it ([`PeopleFinder::holds`]).
        let mut pending: Vec<(Mention, usize, usize, bool)> = Vec::new();
        // (first token, token after) of accepted multi-word spans.
        let mut accepted: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some((mut words, mut next)) = self.span_at(segment.text, tokens, i) else {
                i += 1;
                continue;
            };
            // A lone given name run into a capitalised word no name holds: a family name after
            // a title or role or before a reporting verb ends the name (`spokeswoman Theresa
            // May`, `Mayor Michael Bloomberg`, `Brian May said`); otherwise the word starts the
            // name of a party or body (`Christian Democrat`, `Sun Alliance`, `Band Aid`).
            if let Some(surname) = self.not_name_after_given(tokens, &words, next) {
                let said = tokens
                    .get(next + 1)
                    .is_some_and(|t| REPORTING_VERBS.contains(&t.text));
                if SURNAME_WORDS.contains(&surname)
                    && (said || self.has_cue_before(tokens, i, false))
                    && !starts_name(tokens, next + 1)
                {
                    words.push(surname.to_string());
                    next += 1;
                } else {
                    i = next;
                    continue;
                }
            }
            let start = tokens[i].start;
            let sentence_start = is_sentence_start(tokens, i);
            // `Senator from Vermont Bernie Sanders`, `Secretary of State Mike Pompeo`: the name
            // starts at its given name.
            let after_from = i >= 1
                && matches!(tokens[i - 1].text, "from" | "of")
                && words.len() > 2
                && !self.given.contains(&words[0])
                && self.given.contains(&words[1]);
            let opener = sentence_start
                && words.len() > 2
                && !after_rank(tokens, i)
                && !self.is_evidence_word(&words[0])
                && words[1..].iter().any(|w| self.given.contains(w));
            if after_from || opener {
                words.remove(0);
            }
            let cue = self.has_cue_before(tokens, i, words.len() == 1);
            // `the Charlotte Hornets`, `the Abraham Accords`, `the Lib Dems`: after an article,
            // a plural is a team or a group, not a person.
            if !cue
                && i >= 1
                && matches!(tokens[i - 1].text, "the" | "The")
                && self.is_plural_group(&words)
            {
                i = next.max(i + 1);
                continue;
            }
            let verb_after = tokens
                .get(next)
                .is_some_and(|t| REPORTING_VERBS.contains(&t.text))
                || (who_after(tokens, next) && !self.is_plural_group(&words))
                || self.role_apposition_said(tokens, next);
            let said_before =
                i >= 1 && matches!(tokens[i - 1].text, "said" | "says" | "told" | "by");
            // Cricket scorecards: `N. Hussain c Saeed Anwar b Waqar Younis 12`,
            // `Ijaz Ahmed not out 58`.
            let dismissal = i >= 1 && matches!(tokens[i - 1].text, "b" | "c" | "lbw");
            let dismissed = is_dismissal_at(tokens, next);
            let in_list = is_list_item(tokens, i);
            // A competitor's country after the name, a goal's minute, bowling figures.
            let country = self.country_in_brackets(segment.text, tokens, next);
            let stats = is_score_at(tokens, next);
            let listed = words.len() > 1
                && (dismissed
                    || country
                    || stats
                    || line_starts_with_rank(tokens, i)
                    || after_shirt_number(tokens, i)
                    || age_after(tokens, next)
                    || self.of_place_after(tokens, next)
                    || (in_list && self.club_in_brackets(tokens, next)));
            let listed_alone = words.len() == 1
                && in_list
                && (stats
                    || (country && self.competitor_country(segment.text, tokens, i, next))
                    || (2..=4).contains(&rounds_after(tokens, next)));
            let accept = words.len() == 1 || {
                cue || verb_after
                    || said_before
                    || dismissal
                    || listed
                    || self.is_evidence_word(&words[0])
                    || words.iter().any(|w| is_particle(w) || w.ends_with('.'))
                    || words.last().is_some_and(|w| self.surnames.contains(w))
                    || self.known.contains(&words.join(" "))
            };
            let cue = cue || (dismissal && words.len() == 1) || listed_alone;
            if verb_after && words.len() == 1 {
                found.speakers.push(words[0].clone());
            }
            let lone_opener = words.len() == 1 && sentence_start && !cue && !verb_after;
            if !lone_opener && !self.is_initialled_place(&words) {
                let multi = words.len() > 1;
                let mention = Mention {
                    words,
                    cue,
                    weight: segment.weight_at(start),
                    position: offset + start,
                };
                if accept {
                    out.push(mention);
                    if multi {
                        accepted.push((i, next));
                    }
                } else if multi {
                    let holds = self.holds(&mention.words, sentence_start);
                    if start_of_line_or_comma(tokens, i) {
                        pending.push((mention, i, next, holds));
                    } else if holds {
                        found.held.push(mention);
                    }
                }
            }
            i = next.max(i + 1);
        }
        // A comma-separated list of names on one line (`Salim Malik, Asif Mujtaba, Wasim
        // Akram`): a span next to an accepted name in the list is a name too.
        // A span already vouched for elsewhere in the segment is a name here too.
        let mut k = 0;
        while k < pending.len() {
            let words = &pending[k].0.words;
            if out.iter().any(|m| &m.words == words) {
                let (mention, first, after, _) = pending.swap_remove(k);
                out.push(mention);
                accepted.push((first, after));
            } else {
                k += 1;
            }
        }
        let mut changed = true;
        while changed && !pending.is_empty() {
            changed = false;
            let mut k = 0;
            while k < pending.len() {
                let (_, first, after, _) = pending[k];
                let joined = accepted.iter().any(|&(a_first, a_after)| {
                    (a_after + 1 == first && is_comma_between(tokens, a_after))
                        || (after + 1 == a_first && is_comma_between(tokens, after))
                });
                if joined {
                    let (mention, first, after, _) = pending.swap_remove(k);
                    out.push(mention);
                    accepted.push((first, after));
                    changed = true;
                } else {
                    k += 1;
                }
            }
        }
        found
            .held
            .extend(pending.into_iter().filter(|p| p.3).map(|p| p.0));
    }

    /// Whether the article may vouch for a span of `words` without evidence of its own
    /// ([`PeopleFinder::find`]): not when a sentence opens with it on a word that is no given
    /// name (`Neither Lebed`, `Whereas Pierce`), nor when a place opens it (`Hong Kong Carrie
    /// Lam`).
    fn holds(&self, words: &[String], sentence_start: bool) -> bool {
        if sentence_start && !self.given.contains(&words[0]) {
            return false;
        }
        !(1..words.len()).any(|n| self.places.contains(&words[..n].join(" ")))
    }

    /// Whether the tokens from `next` say where a competitor comes from, then a result:
    /// `Karsten Warholm of Norway won`, `Kimiko Date of Japan beat`.
    fn of_place_after(&self, tokens: &[Token<'_>], next: usize) -> bool {
        tokens.get(next).is_some_and(|t| t.text == "of")
            && tokens
                .get(next + 1)
                .is_some_and(|t| self.places.contains(t.text))
            && tokens
                .get(next + 2)
                .is_some_and(|t| RESULT_VERBS.contains(&t.text))
    }

    /// Whether token `next` opens brackets holding only a country or place, as results lists
    /// give a competitor's country: `Nick Faldo (Britain)`, `MaliVai Washington (U.S.)`.
    fn country_in_brackets(&self, text: &str, tokens: &[Token<'_>], next: usize) -> bool {
        let Some(open) = tokens.get(next).filter(|t| t.is_punct('(')) else {
            return false;
        };
        let inside = &text[open.start + 1..];
        let Some(close) = inside.get(..inside.len().min(32)).and_then(|s| s.find(')')) else {
            return false;
        };
        let inside = inside[..close]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.places.contains(&inside) || (is_country_code(&inside) && number_follows(tokens, next))
    }

    /// Whether the country in brackets at token `next` after a one-word name at token `i`
    /// is a competitor's rather than a club's or a company's: the brackets hold a country (not
    /// a city), neither `v` nor a team's score and the next team stand around them (`Brann
    /// (Norway) 2 Shelbourne`, `v Ferencvaros (Hungary)`), and no verb follows (`Acme (USA)
    /// bought`).
    fn competitor_country(&self, text: &str, tokens: &[Token<'_>], i: usize, next: usize) -> bool {
        if i > 0 && tokens[i - 1].text == "v" {
            return false;
        }
        let Some(close) = closing_bracket(tokens, next, 5) else {
            return false;
        };
        let inside = &text[tokens[next].start + 1..tokens[close].start];
        if !is_country_code(inside) && countries::resolve_country(inside.trim()).is_err() {
            return false;
        }
        let after = |k: usize| tokens.get(close + k).filter(|t| !t.after_newline);
        match (after(1), after(2)) {
            (Some(t), _) if t.text == "v" => false,
            // Prose goes on with a verb (`Acme (USA) bought`); a results line with a result.
            (Some(t), _) if t.text.starts_with(char::is_lowercase) => {
                matches!(t.text, "beat" | "bt" | "vs" | "and")
            }
            (Some(score), Some(team)) if is_integer(score.text) => {
                !(team.is_punct('(') || team.text.chars().next().is_some_and(char::is_uppercase))
            }
            _ => true,
        }
    }

    /// Whether token `next` opens brackets holding one to three capitalised words, not a
    /// place, that close the list item: a player's club (`Kubilay Turkyilmaz (Grasshoppers),`).
    fn club_in_brackets(&self, tokens: &[Token<'_>], next: usize) -> bool {
        if !tokens.get(next).is_some_and(|t| t.is_punct('(')) {
            return false;
        }
        let mut j = next + 1;
        while j < tokens.len() && j - next <= 4 {
            let token = &tokens[j];
            if token.is_punct(')') {
                let closes = tokens
                    .get(j + 1)
                    .is_none_or(|t| t.after_newline || matches!(t.text, "," | ";" | "."));
                return j > next + 1 && closes;
            }
            let capitalised = token.kind == TokenKind::Word
                && token.text.chars().next().is_some_and(char::is_uppercase)
                && token.text.chars().any(char::is_lowercase);
            if !capitalised || token.after_newline || self.places.contains(token.text) {
                return false;
            }
            j += 1;
        }
        false
    }

    /// Whether a span is initials before a place ("S. Korea").
    fn is_initialled_place(&self, words: &[String]) -> bool {
        let mut rest = words.iter().filter(|w| !w.ends_with('.')).peekable();
        rest.peek().is_some() && words.len() > 1 && rest.all(|w| self.places.contains(w))
    }

    fn is_evidence_word(&self, word: &str) -> bool {
        self.given.contains(word)
            || self.family_first.contains(word)
            || (word.len() == 2 && word.ends_with('.'))
    }

    /// The name span starting at token `i`: its words (possessive stripped, initials with their
    /// dot) and the index of the first token after it.
    fn span_at(&self, text: &str, tokens: &[Token<'_>], i: usize) -> Option<(Vec<String>, usize)> {
        let first = tokens.get(i)?;
        // Most words start in lower case, and only `al-`, `el-`, `bin-` and their kin start a
        // name so: one byte turns the rest away.
        if first
            .text
            .as_bytes()
            .first()
            .is_some_and(|&b| b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'b'))
        {
            return None;
        }
        if first.kind != TokenKind::Word
            || !(self.can_start(first.text) || is_initial(text, tokens, i))
        {
            return None;
        }
        let mut words: Vec<String> = Vec::new();
        let mut j = i;
        while j < tokens.len() && words.len() < MAX_SPAN + 2 {
            let token = &tokens[j];
            if j > i && token.after_newline && !self.wraps_to(tokens, i, j) {
                break;
            }
            if token.kind != TokenKind::Word {
                break;
            }
            if is_initial(text, tokens, j) {
                words.push(format!("{}.", token.text));
                j += 2;
                continue;
            }
            let (stem, possessive) = text::strip_possessive(token.text);
            // A caption run into the text by a scraper (`Jo JorgensenImage: ...`) ends the name.
            let (stem, glued) = match stem.strip_suffix(GLUED_CAPTION) {
                Some(name) if name.ends_with(|c: char| c.is_lowercase()) => (name, true),
                _ => (stem, false),
            };
            if j > i && is_particle(stem) {
                let next_is_name = tokens[j + 1..]
                    .iter()
                    .find(|t| !is_particle(t.text))
                    .is_some_and(|t| t.kind == TokenKind::Word && self.is_name_word(t.text));
                if !next_is_name {
                    break;
                }
                words.push(stem.to_string());
                j += 1;
                continue;
            }
            // The first word must start a name; whole, it passed `can_start` above (an initial
            // goes on before it).
            let fits = if j == i {
                stem.len() == token.text.len() || self.can_start(stem)
            } else {
                self.is_name_word(stem)
            };
            if !fits {
                break;
            }
            // Words, then a title and a name of two words, are all title or place: `Regional
            // Governor Mujiv Hataman`, `South Carolina Governor Henry McMaster` (not `Stephen
            // King`, `Darryll King said`, `General Medical Corp` or `the Criminal Justice
            // Bill`). The name is found after the title.
            if j > i
                && self.role(stem) == Some(Role::Head)
                && (j + 1..j + 3).all(|k| {
                    tokens.get(k).is_some_and(|t| {
                        t.kind == TokenKind::Word
                            && self.is_name_word(t.text)
                            && self.role(t.text).is_none()
                    })
                })
            {
                return None;
            }
            words.push(stem.to_string());
            j += 1;
            if possessive || glued {
                break;
            }
        }
        while words
            .last()
            .is_some_and(|w| w.ends_with('.') || is_particle(w))
        {
            words.pop();
        }
        // `Bill Clinton White House`: the last word starts a place.
        if words.len() > 1
            && let (Some(last), Some(next)) = (words.last(), tokens.get(j))
            && PLACE_PAIRS.contains(&(last.as_str(), next.text))
        {
            words.pop();
        }
        let real = words.iter().filter(|w| !is_particle(w)).count();
        let is_place = match words.as_slice() {
            [word] => self.places.contains(word),
            _ => self.places.contains(&words.join(" ")),
        };
        // `General Electric Co`, `Ford Motor Co.`: a company's name.
        let company = tokens.get(j).is_some_and(|t| {
            COMPANY_FORMS.contains(&t.text) || (!t.after_newline && NAMED_AFTER.contains(&t.text))
        });
        if words.is_empty() || real > MAX_SPAN || is_place || company {
            return None;
        }
        Some((words, j))
    }

    /// The word at token `next`, possessive stripped, when `words` is one given name and that
    /// token a capitalised word on the same line that no name holds (`Theresa` `May`,
    /// `Christian` `Democrat`).
    fn not_name_after_given<'t>(
        &self,
        tokens: &[Token<'t>],
        words: &[String],
        next: usize,
    ) -> Option<&'t str> {
        let [word] = words else { return None };
        let token = tokens.get(next)?;
        let (stem, _) = text::strip_possessive(token.text);
        (self.given.contains(word)
            && token.kind == TokenKind::Word
            && !token.after_newline
            && self.not_names.contains(stem))
        .then_some(stem)
    }

    /// Whether a list line breaks inside a name, after its given name: the span is one given
    /// name at token `i` after a comma, and token `j` opens the next line with a name word
    /// that a country, comma or score follows (`Pedro Linhart (Spain), Michael` / `Jonzon
    /// (Sweden)`).
    fn wraps_to(&self, tokens: &[Token<'_>], i: usize, j: usize) -> bool {
        j == i + 1
            && i > 0
            && tokens[i - 1].is_punct(',')
            && self.given.contains(tokens[i].text)
            && self.is_name_word(tokens[j].text)
            && tokens.get(j + 1).is_some_and(|t| {
                !t.after_newline && (matches!(t.text, "(" | ",") || is_integer(t.text))
            })
    }

    /// Whether a span ends in a plural (`Seven Iraqis`, `Human Rights`) rather than a surname
    /// in -s (`Lewis`, `Jones`, `Hughes`): a known surname, or an ending no plural has (`-ss`,
    /// `-us`).
    fn is_plural_group(&self, words: &[String]) -> bool {
        words.last().is_some_and(|last| {
            last.ends_with('s')
                && !(last.ends_with("ss") || last.ends_with("us"))
                && !self.surnames.contains(last)
        })
    }

    /// Whether token `at` is the comma of an apposition naming a role, closed by a comma and
    /// followed by a reporting verb: `Satyendra Jain, the city's home minister, said`.
    fn role_apposition_said(&self, tokens: &[Token<'_>], at: usize) -> bool {
        // The apposition opens in lower case (`the`, `a`, `its`): a capitalised word may start
        // another name (`the Institute of Medical Research, Professor Robin Lovell-Badge, said`).
        if !is_comma_between(tokens, at)
            || !tokens
                .get(at + 1)
                .is_some_and(|t| t.text.starts_with(|c: char| c.is_lowercase()))
        {
            return false;
        }
        let mut role = false;
        for k in at + 1..tokens.len().min(at + 10) {
            let token = &tokens[k];
            if token.after_newline {
                return false;
            }
            if token.is_punct(',') {
                return role
                    && tokens
                        .get(k + 1)
                        .is_some_and(|t| REPORTING_VERBS.contains(&t.text));
            }
            if token.kind != TokenKind::Word {
                return false;
            }
            role |= self.role(token.text) == Some(Role::Head)
                || matches!(token.text, "member" | "leader" | "official" | "founder");
        }
        false
    }

    /// Whether a role head ("Minister", "Mr.", "coach") stands within the few tokens before
    /// token `i`, with only title words, places and "of" between. Only a capitalised title
    /// reaches over a dot (`Gen. Name`, not `last year's winner. Image`) or over `of`, `the`,
    /// `for` or `and`, and then only to a name of more than one word after a title word or
    /// place (`Secretary of State Marco Rubio`, not `winner of the Leeds Classic`,
    /// `Commissioner for Refugees` or `Commissioner for Human Rights`).
    fn has_cue_before(&self, tokens: &[Token<'_>], i: usize, one_word: bool) -> bool {
        let mut j = i;
        let mut steps = 0;
        let (mut dot, mut crossed, mut title_part) = (false, false, false);
        while j > 0 && steps < 6 {
            j -= 1;
            steps += 1;
            let token = &tokens[j];
            if token.is_punct('.') {
                dot = true;
                continue;
            }
            if token.kind != TokenKind::Word {
                return false;
            }
            let title = token.text.starts_with(char::is_uppercase);
            match self.role(token.text) {
                Some(Role::Head) => {
                    return (title || !dot) && (!crossed || (title && !one_word && title_part));
                }
                // `fellow` vouches across a nationality (`fellow Finn Juha Kankkunen`), not for
                // the words right after it (`fellow Welshman Ray Reardon`, `fellow Desperate
                // Housewives stars`).
                Some(Role::Kin) => {
                    return !one_word
                        && !dot
                        && !crossed
                        && (steps > 1 || !token.text.eq_ignore_ascii_case("fellow"));
                }
                Some(Role::Part) => {
                    title_part |= !crossed;
                    continue;
                }
                None => {}
            }
            let word = token.text;
            if matches!(word, "of" | "the" | "for" | "and") {
                crossed = true;
                continue;
            }
            if matches!(word, "U" | "S" | "K" | "N") || self.places.contains(word) {
                title_part |= !crossed;
                continue;
            }
            return false;
        }
        false
    }
}

fn starts_with_particle_prefix(word: &str) -> bool {
    if !matches!(word.as_bytes().first(), Some(b'a' | b'e' | b'b')) {
        return false;
    }
    ["al-", "el-", "ad-", "as-", "ar-", "bin-", "ash-", "an-"]
        .iter()
        .any(|p| {
            word.strip_prefix(p)
                .is_some_and(|rest| rest.chars().next().is_some_and(char::is_uppercase))
        })
}

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Whether token `i` is an initial: one capital letter, a dot, then a space (`S. Jaishankar`),
/// and not part of an abbreviation like `U.S.`.
fn is_initial(text: &str, tokens: &[Token<'_>], i: usize) -> bool {
    let Some(token) = tokens.get(i) else {
        return false;
    };
    let mut chars = token.text.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    if !single_capital || !tokens.get(i + 1).is_some_and(|t| t.is_punct('.')) {
        return false;
    }
    let dot_end = token.start + token.text.len() + 1;
    let space_after = text
        .get(dot_end..)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c == ' ');
    let dot_before = text
        .get(..token.start)
        .and_then(|s| s.chars().next_back())
        .is_some_and(|c| c == '.');
    space_after && !dot_before
}

/// Whether the line of token `i` opens with a rank or score (`1.`, `66`, `3 -`) before it:
/// a results list, whose names need no other evidence.
fn line_starts_with_rank(tokens: &[Token<'_>], i: usize) -> bool {
    let Some(line_start) = (0..=i).rev().find(|&j| tokens[j].after_newline) else {
        return false;
    };
    line_start < i
        && tokens[line_start].kind == TokenKind::Word
        && is_integer(tokens[line_start].text)
        && tokens[line_start + 1..i]
            .iter()
            .all(|t| t.kind == TokenKind::Word || matches!(t.text, "." | "," | "-" | ")"))
}

/// Whether token `i` follows a rank at the start of its line (`5. Name`), which is no
/// sentence end.
fn after_rank(tokens: &[Token<'_>], i: usize) -> bool {
    i >= 2
        && tokens[i - 1].is_punct('.')
        && tokens[i - 2].after_newline
        && is_integer(tokens[i - 2].text)
}

/// Whether token `i` stands where a results list puts a name: at the start of a line, after a
/// rank, or after an opening bracket, comma, semicolon, colon, dash or slash, or after `beat`,
/// `vs` or `v`.
fn is_list_item(tokens: &[Token<'_>], i: usize) -> bool {
    if i == 0 || tokens[i].after_newline || after_rank(tokens, i) {
        return true;
    }
    let prev = &tokens[i - 1];
    match prev.kind {
        TokenKind::Punct => matches!(prev.text, "(" | "," | ";" | ":" | "-" | "/"),
        TokenKind::Word => matches!(prev.text, "beat" | "vs" | "v"),
    }
}

/// Whether an ordinal number (`15th`, `59th-pen`, with or without an opening bracket before
/// it: a goal's minute) or bowling figures (`29-6-64-1`) stand at token `at`.
fn is_score_at(tokens: &[Token<'_>], at: usize) -> bool {
    let Some(mut token) = tokens.get(at) else {
        return false;
    };
    if token.is_punct('(') {
        match tokens.get(at + 1) {
            Some(inner) if !inner.after_newline => token = inner,
            _ => return false,
        }
    }
    if token.kind != TokenKind::Word {
        return false;
    }
    if is_bowling_figures(token.text) {
        return true;
    }
    if is_ordinal(token.text) {
        // A goal's minute closes the item or goes on to the kind of goal or another minute;
        // `Ranked 18th in the world` is no scorer.
        let at = at + usize::from(tokens[at].is_punct('(')) + 1;
        return tokens.get(at).is_none_or(|t| {
            t.after_newline
                || matches!(
                    t.text,
                    ")" | ","
                        | "."
                        | ";"
                        | "and"
                        | "minute"
                        | "minutes"
                        | "min"
                        | "pen"
                        | "penalty"
                )
                || is_ordinal(t.text)
        });
    }
    // `37.1-7-97-3`: the dot splits the overs.
    let whole_overs = token.text.len() <= 3 && is_integer(token.text);
    whole_overs
        && tokens.get(at + 1).is_some_and(|t| t.is_punct('.'))
        && tokens
            .get(at + 2)
            .is_some_and(|t| is_bowling_figures(t.text))
}

/// Whether `inside` is three ASCII capitals, a sports body's country code (`NOR`, `GBR`).
fn is_country_code(inside: &str) -> bool {
    inside.len() == 3 && inside.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether the brackets opened at token `open` close within a few tokens and a number follows
/// on the same line (`(GBR) 10.12`).
fn number_follows(tokens: &[Token<'_>], open: usize) -> bool {
    closing_bracket(tokens, open, 3)
        .and_then(|j| tokens.get(j + 1))
        .is_some_and(|t| !t.after_newline && t.text.starts_with(|c: char| c.is_ascii_digit()))
}

/// The token of the `)` closing the bracket opened at token `open`, within `within` tokens.
fn closing_bracket(tokens: &[Token<'_>], open: usize, within: usize) -> Option<usize> {
    (open + 1..tokens.len().min(open + 1 + within)).find(|&j| tokens[j].is_punct(')'))
}

/// Whether `word` is all ASCII digits.
fn is_integer(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `word` is a number with an English ordinal suffix, a goal's minute (`7th`, `90th`,
/// `59th-pen`): one to three digits.
fn is_ordinal(word: &str) -> bool {
    let word = match word.split_once('-') {
        Some((number, "pen" | "penalty")) => number,
        Some(_) => return false,
        None => word,
    };
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && matches!(&word[digits..], "st" | "nd" | "rd" | "th")
}

/// Whether `word` is a bowler's figures, four numbers joined by dashes: overs (maybe with a
/// ball count), maidens, runs, wickets (`29-6-64-1`).
fn is_bowling_figures(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('-') {
        parts += 1;
        if part.len() > 3 || !is_integer(part) {
            return false;
        }
    }
    parts == 4
}

/// Whether token `i` follows a shirt or batting number and a dash, as team lists give
/// players (`15 - Christian Cullen, 14 - Jeff Wilson`).
fn after_shirt_number(tokens: &[Token<'_>], i: usize) -> bool {
    if i < 2 || !tokens[i - 1].is_punct('-') || tokens[i].after_newline {
        return false;
    }
    let number = &tokens[i - 2];
    let opens_item =
        i == 2 || number.after_newline || matches!(tokens[i - 3].text, "," | ";" | "(" | "-" | ":");
    number.text.len() <= 2 && is_integer(number.text) && opens_item
}

/// Whether an age in commas follows at token `at` (`Santa Puglisi, 22, and`).
fn age_after(tokens: &[Token<'_>], at: usize) -> bool {
    let (Some(comma), Some(age), Some(close)) =
        (tokens.get(at), tokens.get(at + 1), tokens.get(at + 2))
    else {
        return false;
    };
    comma.is_punct(',')
        && is_integer(age.text)
        && age.text.len() <= 2
        && !age.after_newline
        && matches!(close.text, "," | ")" | "." | ";")
}

/// How many golf rounds (two-digit numbers) follow one another from token `at` on its line
/// and close the list item (`Affleck 74 73,`).
fn rounds_after(tokens: &[Token<'_>], mut at: usize) -> usize {
    let mut count = 0;
    while let Some(token) = tokens.get(at).filter(|t| !t.after_newline) {
        if !(is_integer(token.text) && token.text.len() == 2) {
            break;
        }
        count += 1;
        at += 1;
    }
    let closes = tokens
        .get(at)
        .is_none_or(|t| t.after_newline || matches!(t.text, "," | "." | ";"));
    if closes { count } else { 0 }
}

/// Whether token `at` starts a cricket dismissal (`c`, `b`, `lbw`, `st`, `not out`, `run
/// out`) on the same line.
fn is_dismissal_at(tokens: &[Token<'_>], at: usize) -> bool {
    let Some(token) = tokens.get(at).filter(|t| !t.after_newline) else {
        return false;
    };
    match token.text {
        "c" | "b" | "lbw" | "st" => true,
        "not" | "run" => tokens
            .get(at + 1)
            .is_some_and(|t| t.text == "out" && !t.after_newline),
        _ => false,
    }
}

/// Whether a relative `who` or `whose` follows at token `at`, after a comma or not (`Tiger
/// Woods, who made the cut`): a person, where a company takes `which`.
fn who_after(tokens: &[Token<'_>], at: usize) -> bool {
    let at = at + usize::from(tokens.get(at).is_some_and(|t| t.is_punct(',')));
    tokens
        .get(at)
        .is_some_and(|t| matches!(t.text, "who" | "whose"))
}

/// Whether token `at` is a comma with the next token on the same line.
fn is_comma_between(tokens: &[Token<'_>], at: usize) -> bool {
    tokens.get(at).is_some_and(|t| t.is_punct(','))
        && tokens.get(at + 1).is_some_and(|t| !t.after_newline)
}

/// Whether token `i` opens a line or follows a comma, colon or dash: a list item.
fn start_of_line_or_comma(tokens: &[Token<'_>], i: usize) -> bool {
    i == 0 || tokens[i].after_newline || matches!(tokens[i - 1].text, "," | ":" | "-")
}

/// Whether token `i` begins a sentence.
fn is_sentence_start(tokens: &[Token<'_>], i: usize) -> bool {
    let Some(token) = tokens.get(i) else {
        return false;
    };
    if i == 0 || token.after_newline {
        return true;
    }
    let prev = &tokens[i - 1];
    prev.kind == TokenKind::Punct && matches!(prev.text, "." | "!" | "?" | "\"" | "“" | ":" | "—")
}

/// Clusters mentions into people: longer forms absorb shorter ones with the same surname and
/// compatible first names; single words join the person whose surname (or family name, for
/// family-name-first names) they are.
fn resolve(mut mentions: Vec<Mention>, family_first: &FxHashSet<String>) -> Vec<String> {
    // The length of the words joined by spaces, without joining them.
    let joined_len = |m: &Mention| {
        m.words.iter().map(String::len).sum::<usize>() + m.words.len().saturating_sub(1)
    };
    mentions.sort_by(|a, b| {
        b.words
            .len()
            .cmp(&a.words.len())
            .then(joined_len(b).cmp(&joined_len(a)))
            .then(a.position.cmp(&b.position))
    });
    let mut people: Vec<Person> = Vec::new();
    let mut pending_singles = Vec::new();
    for mention in mentions {
        if mention.words.len() == 1 {
            pending_singles.push(mention);
            continue;
        }
        match people
            .iter_mut()
            .find(|p| same_person(&p.words, &mention.words))
        {
            Some(person) => {
                person.score += mention.weight;
                person.first = person.first.min(mention.position);
            }
            None => people.push(Person {
                words: mention.words,
                score: mention.weight,
                first: mention.position,
            }),
        }
    }
    for mention in pending_singles {
        let word = &mention.words[0];
        let target = people.iter_mut().find(|p| {
            p.words.last() == Some(word)
                || (p.words.first() == Some(word) && family_first.contains(word))
        });
        match target {
            Some(person) => {
                person.score += mention.weight;
                person.first = person.first.min(mention.position);
            }
            None if mention.cue => people.push(Person {
                words: mention.words,
                score: mention.weight,
                first: mention.position,
            }),
            None => {}
        }
    }
    people.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.first.cmp(&b.first)));
    people.into_iter().map(|p| p.words.join(" ")).collect()
}

/// Whether `short` names the same person as `long` (already at least as long): same last word
/// and compatible first words (equal, or an initial of it).
fn same_person(long: &[String], short: &[String]) -> bool {
    if long.last() != short.last() {
        return false;
    }
    match (long.first(), short.first()) {
        (Some(a), Some(b)) if a == b => true,
        (Some(a), Some(b)) if b.len() == 2 && b.ends_with('.') => a.starts_with(&b[..1]),
        // A particle opening a sentence is capitalised (`De Kock` of `Eugene de Kock`).
        _ => short
            .iter()
            .all(|w| long.iter().any(|l| l.eq_ignore_ascii_case(w))),
    }
}

/// Whether token `at` is a capitalised word on the same line: a name would go on there.
fn starts_name(tokens: &[Token<'_>], at: usize) -> bool {
    tokens.get(at).is_some_and(|t| {
        t.kind == TokenKind::Word && !t.after_newline && text::is_capitalised(t.text)
    })
}

#[cfg(test)]
#[path = "people_tests.rs"]
mod tests;
