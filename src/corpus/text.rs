//! Scraped plain text, as copied from a news page: a headline, perhaps a dek, a byline and a
//! date, then the body, with page furniture ("avatar-icon", "Comments", "Share", "Courtesy: ...")
//! mixed in.
//!
//! The rules, in order:
//! - Paragraphs are the non-empty lines. In a hard-wrapped file (longest line of 60 to 100
//!   characters, blocks of three or more lines) a line continues the one before when that one
//!   is filled (three fifths of the longest line, 40 characters at least) and either does not
//!   end a sentence or is followed by a lower-case start.
//! - Furniture lines are dropped wherever they are ([`is_furniture`]).
//! - The headline is the first line, among the first six, with at least four words or 25
//!   characters and at most 200 characters. Shorter lines before it are section labels
//!   ("India") and are dropped; a date before it is the publication date, a `By ...` line the
//!   byline. Without such a line the headline is the first sentence of the body.
//! - Then comes the header, until the first line of body: date lines set the date, a URL line
//!   the url, a short line of capitalised words (or any `By ...` line) is the byline, and the
//!   line after it that names it is the author's bio, dropped; a line of parts split by `|`,
//!   `·` or `•` ("By Jane Doe | Nov 26, 2026 | 3 min read") is read part by part. The first line after the headline
//!   is the dek when it has five to sixty words and either does not end like a sentence or is
//!   followed by a byline or date. Repeats of the headline are dropped.
//! - In the body, exact repeats of the headline and dek are dropped; everything else is kept.

use crate::article::{Article, ArticleId, Place};

use super::date::parse_date;
use super::record::{collapse_spaces, first_sentence};

/// Lines that are furniture whole (compared lower-case, without counts and punctuation).
const FURNITURE: &[&str] = &[
    "avatar-icon",
    "avatar",
    "author-icon",
    "comments",
    "comment",
    "view comments",
    "show comments",
    "leave a comment",
    "add a comment",
    "see what people are discussing",
    "join the conversation",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share article",
    "shares",
    "tweet",
    "email",
    "print",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "reddit",
    "copy link",
    "link copied",
    "advertisement",
    "advert",
    "ad",
    "sponsored",
    "sponsored content",
    "scroll to continue",
    "scroll to continue with content",
    "read more",
    "read next",
    "related",
    "related articles",
    "related stories",
    "related news",
    "more on this story",
    "sign up",
    "subscribe",
    "subscribe now",
    "newsletter",
    "listen",
    "listen to this article",
    "skip to content",
    "skip to main content",
    "menu",
    "home",
    "log in",
    "login",
    "most read",
    "trending",
    "top stories",
    "loading",
    "min read",
    "minute read",
    "minutes read",
];

/// Prefixes of furniture lines (compared lower-case); only lines of at most 15 words, except
/// credits (`courtesy:`, `photo:`), which are dropped at any length.
const FURNITURE_PREFIXES: &[&str] = &[
    "courtesy:",
    "courtesy of ",
    "photo:",
    "photo credit",
    "photograph:",
    "image:",
    "image credit",
    "credit:",
    "file photo",
    "read more:",
    "also read:",
    "read also:",
    "related:",
    "sign up for",
    "sign up to",
    "subscribe to",
    "follow us",
    "share on",
    "click here",
    "advertisement",
];

/// True when `line` is page furniture rather than article text.
pub(crate) fn is_furniture(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let key = lower.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_digit() || "()[]{}:|·•»›><«‹-–—….!?;,'\"".contains(c)
    });
    let key = collapse_spaces(key);
    if key.is_empty() && !lower.is_empty() && !lower.chars().any(char::is_alphanumeric) {
        return true;
    }
    if FURNITURE.contains(&key.as_str()) {
        return true;
    }
    if ["courtesy:", "photo:", "photograph:", "image:", "credit:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    lower.split_whitespace().count() <= 15
        && FURNITURE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Parses scraped text into its one article, or `None` when no text is left.
pub(crate) fn parse(text: &str, rel_path: &str) -> Option<Article> {
    let paragraphs: Vec<String> = paragraphs(text)
        .into_iter()
        .filter(|p| !is_furniture(p))
        .collect();
    let mut header = Header::default();
    let mut rest = paragraphs.as_slice();

    // Before the headline: labels, a date, a byline — and nothing else, so that no paragraph of
    // text is ever dropped as if it were one of them.
    let mut before = Header::default();
    let title_at = rest
        .iter()
        .take(6)
        .position(|p| is_headline(p))
        .filter(|&at| rest[..at].iter().all(|line| before.absorb_meta(line)));
    if let Some(at) = title_at {
        for line in &rest[..at] {
            header.absorb_meta(line);
        }
        if ends_sentence(&rest[at])
            && let Some(headline) = header.short_headline()
        {
            // "Quake hits Japan", then a one-sentence lead: the lead is not the headline.
            header.title = Some(headline);
            rest = &rest[at..];
        } else {
            header.title = Some(rest[at].clone());
            rest = &rest[at + 1..];
            rest = header.read_after_title(rest);
        }
    } else {
        while let Some((first, tail)) = rest.split_first() {
            if !header.absorb_meta(first) {
                break;
            }
            rest = tail;
        }
    }

    let same =
        |a: &str, b: &Option<String>| b.as_deref().is_some_and(|b| b.eq_ignore_ascii_case(a));
    if header.title.is_none() && rest.is_empty() && !header.labels.is_empty() {
        // Nothing but short lines: the first is the headline, the others the body.
        let mut labels = std::mem::take(&mut header.labels).into_iter();
        header.title = labels.next();
        let body = labels.collect::<Vec<_>>().join("\n\n");
        return Some(header.into_article(rel_path, body));
    }
    let body_paragraphs: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|p| !same(p, &header.title) && !same(p, &header.subtitle))
        .collect();
    let body = body_paragraphs.join("\n\n");
    if header.title.is_none() {
        header.title = Some(
            header
                .short_headline()
                .unwrap_or_else(|| first_sentence(&body)),
        );
    }
    if header.title.as_ref().is_none_or(String::is_empty) && body.is_empty() {
        return None;
    }
    Some(header.into_article(rel_path, body))
}

/// What the lines around the headline said.
#[derive(Debug, Default)]
struct Header {
    title: Option<String>,
    subtitle: Option<String>,
    byline: Option<String>,
    published: Option<jiff::Timestamp>,
    url: Option<String>,
    /// Short lines before the headline (section labels), the title of last resort.
    labels: Vec<String>,
}

impl Header {
    /// The article of `rel_path` with this header and `body`.
    fn into_article(self, rel_path: &str, body: String) -> Article {
        Article {
            id: ArticleId::derived(rel_path, 0),
            path: rel_path.to_string(),
            title: self.title.unwrap_or_default(),
            subtitle: self.subtitle,
            byline: self.byline,
            published: self.published,
            source: None,
            url: self.url,
            lang: None,
            body,
            place: Place::File,
        }
    }

    /// Takes the last short line set aside as the headline, unless it is a single word (most
    /// likely a section label such as "World").
    fn short_headline(&mut self) -> Option<String> {
        let last = self.labels.last()?;
        if last.split_whitespace().count() < 2 {
            return None;
        }
        self.labels.pop()
    }

    /// Takes a date, URL or `By ...` line, or sets aside a short label; false for anything else.
    fn absorb_meta(&mut self, line: &str) -> bool {
        if let Some(date) = parse_date(line) {
            self.published.get_or_insert(date);
            return true;
        }
        if is_url(line) {
            self.url.get_or_insert_with(|| line.to_string());
            return true;
        }
        let by = line
            .split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("by") || w.eq_ignore_ascii_case("by:"));
        if let Some(byline) = byline_of(line).filter(|_| by)
            && self.byline.is_none()
        {
            self.byline = Some(byline);
            return true;
        }
        let label = line.split_whitespace().count() < 4 && line.chars().count() < 25;
        if label {
            self.labels.push(line.to_string());
        }
        label
    }

    /// Reads the header lines after the headline; returns the body.
    fn read_after_title<'a>(&mut self, mut rest: &'a [String]) -> &'a [String] {
        let mut first = true;
        let mut after_byline = false;
        while let Some((line, tail)) = rest.split_first() {
            let was_first = std::mem::take(&mut first);
            let bio = std::mem::take(&mut after_byline);
            let repeat = |t: &String| t.eq_ignore_ascii_case(line);
            if self.title.as_ref().is_some_and(repeat) {
                // A repeated headline.
            } else if parse_date(line).is_some() || is_url(line) {
                self.absorb_meta(line);
            } else if let Some(parts) = meta_parts(line) {
                for part in parts {
                    after_byline |= self.take_byline(part);
                    self.absorb_meta(part);
                }
            } else if self.take_byline(line) {
                after_byline = true;
            } else if bio && self.is_bio(line) {
                // The author's bio, under the byline.
            } else if was_first && is_dek(line, tail.first().map(String::as_str)) {
                self.subtitle = Some(line.clone());
            } else {
                return rest;
            }
            rest = tail;
        }
        rest
    }

    /// Takes `line` as the byline when there is none yet and it is one.
    fn take_byline(&mut self, line: &str) -> bool {
        match byline_of(line) {
            Some(byline) if self.byline.is_none() => {
                self.byline = Some(byline);
                true
            }
            _ => false,
        }
    }

    /// True when `line` is about the author just named ("The News Desk provides ...").
    fn is_bio(&self, line: &str) -> bool {
        let Some(byline) = &self.byline else {
            return false;
        };
        let lower = line.to_lowercase();
        lower.len() <= 400
            && byline
                .split(',')
                .any(|name| lower.contains(name.trim().to_lowercase().as_str()))
    }
}

/// The paragraphs of `text`, each with inner whitespace collapsed.
fn paragraphs(text: &str) -> Vec<String> {
    let lines: Vec<String> = text.lines().map(collapse_spaces).collect();
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut block = 0;
    let mut longest_block = 0;
    for line in &lines {
        block = if line.is_empty() { 0 } else { block + 1 };
        longest_block = longest_block.max(block);
    }
    let wrapped = (60..=100).contains(&longest) && longest_block >= 3;
    let filled_at = (longest * 3 / 5).max(40);
    let mut out: Vec<String> = Vec::new();
    let mut previous: Option<&str> = None;
    for line in &lines {
        if line.is_empty() {
            previous = None;
            continue;
        }
        let continues = previous.is_some_and(|p| {
            p.chars().count() >= filled_at
                && (!ends_sentence(p) || line.starts_with(|c: char| c.is_lowercase()))
        });
        match out.last_mut() {
            Some(last) if wrapped && continues => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.clone()),
        }
        previous = Some(line);
    }
    out
}

/// The parts of a header line such as "By Jane Doe | Nov 26, 2026 | 3 min read": two or more
/// parts split on `|`, `·` or `•`, each a byline, a date or furniture.
fn meta_parts(line: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = line
        .split(['|', '·', '•'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let meta = |p: &&str| byline_of(p).is_some() || parse_date(p).is_some() || is_furniture(p);
    (parts.len() >= 2 && parts.iter().all(meta)).then_some(parts)
}

/// At least four words or 25 characters, at most 200 characters, and not a date or URL.
fn is_headline(line: &str) -> bool {
    let chars = line.chars().count();
    (line.split_whitespace().count() >= 4 || chars >= 25)
        && chars <= 200
        && parse_date(line).is_none()
        && !is_url(line)
}

fn is_url(line: &str) -> bool {
    (line.starts_with("http://") || line.starts_with("https://")) && !line.contains(' ')
}

/// Ends like a sentence: `.`, `!`, `?`, or a closing quote after one.
fn ends_sentence(line: &str) -> bool {
    let line = line.trim_end_matches(['"', '”', '’', '\'', ')']);
    line.ends_with(['.', '!', '?', '…'])
}

/// The byline in `line`: `By ...` (up to ten words, `By` removed) or a short run of capitalised
/// words ("News Desk", "Jane Doe and John Roe").
fn byline_of(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let by = words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("by") || w.eq_ignore_ascii_case("by:"));
    if by {
        let name = words[1..].join(" ");
        return (words.len() >= 2 && words.len() <= 11 && !ends_sentence(line))
            .then(|| name.trim_end_matches(',').to_string());
    }
    let capitalised = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(
                *w,
                "and" | "&" | "de" | "van" | "von" | "der" | "da" | "al" | "bin"
            )
    };
    let plausible = !words.is_empty()
        && words.len() <= 6
        && line.chars().count() <= 50
        && words.iter().all(capitalised)
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !line
            .chars()
            .any(|c| c.is_ascii_digit() || "!?:;|/@#()".contains(c))
        && !ends_sentence(line)
        && parse_date(line).is_none();
    plausible.then(|| line.to_string())
}

/// A dek: five to sixty words and not ending like a sentence, or followed by a byline or date.
fn is_dek(line: &str, next: Option<&str>) -> bool {
    let words = line.split_whitespace().count();
    let header_follows = next.is_some_and(|n| byline_of(n).is_some() || parse_date(n).is_some());
    (5..=60).contains(&words)
        && line.chars().count() <= 350
        && byline_of(line).is_none()
        && (!ends_sentence(line) || header_follows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("testdata/seed.txt");

    #[test]
    fn seed_article_is_read_exactly() {
        let a = parse(SEED, "seed/us-india-critical-minerals.txt").expect("article");
        assert_eq!(
            a.title,
            "US, India discuss critical minerals, broader strategic ties in Washington talks"
        );
        assert_eq!(
            a.subtitle.as_deref(),
            Some(
                "S. Jaishankar meets Marco Rubio in Washington to advance bilateral cooperation \
                 and shared interests"
            )
        );
        assert_eq!(a.byline.as_deref(), Some("News Desk"));
        assert_eq!(a.published, None);
        assert_eq!(
            a.id,
            ArticleId::derived("seed/us-india-critical-minerals.txt", 0)
        );
        assert!(
            a.body.starts_with(
                "Meeting took place ahead of the inaugural Critical Minerals Ministerial"
            ),
            "{}",
            a.body
        );
        for furniture in [
            "avatar-icon",
            "Comments",
            "See what people are discussing",
            "Courtesy: X/@SecRubio",
            "The News Desk provides",
            "US, India discuss critical minerals, broader",
        ] {
            assert!(!a.body.contains(furniture), "body contains {furniture:?}");
        }
        let paragraphs: Vec<&str> = a.body.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 11);
        assert!(paragraphs[10].starts_with("Opposition lawmakers in India’s Parliament"));
        assert!(
            paragraphs
                .iter()
                .all(|p| !p.trim().is_empty() && p.trim() == *p)
        );
    }

    #[test]
    fn furniture_lines_are_recognised() {
        let cases = [
            ("avatar-icon", true),
            ("Comments", true),
            ("12 Comments", true),
            ("Comments (3)", true),
            ("See what people are discussing", true),
            ("Courtesy: X/@SecRubio", true),
            ("SHARE", true),
            ("Advertisement", true),
            ("Read more:", true),
            ("Read more: India and US sign deal", true),
            ("Sign up for our newsletter", true),
            ("Subscribe", true),
            ("Related", true),
            ("• • •", true),
            (
                "Share prices fell sharply on Tuesday after the announcement.",
                false,
            ),
            (
                "Comments by the minister drew criticism from the opposition.",
                false,
            ),
            ("India", false),
            (
                "Related parties agreed to the terms of the settlement yesterday.",
                false,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(is_furniture(line), want, "line {line:?}");
        }
    }

    #[test]
    fn header_variants() {
        struct Case {
            text: &'static str,
            title: &'static str,
            subtitle: Option<&'static str>,
            byline: Option<&'static str>,
            published: Option<&'static str>,
            body: &'static str,
        }
        let cases = [
            Case {
                text: "World\n\nMarkets rally as central banks cut rates\n\nBy Jane Doe\n\nPublished: Nov 26, 2026\n\nStocks rose on Tuesday.\n\nBonds fell.",
                title: "Markets rally as central banks cut rates",
                subtitle: None,
                byline: Some("Jane Doe"),
                published: Some("2026-11-26T00:00:00Z"),
                body: "Stocks rose on Tuesday.\n\nBonds fell.",
            },
            Case {
                text: "Friday, January 4, 2019\n\nBuilding collapses in Magnitogorsk\n\nAn apartment building collapsed on Monday.\n",
                title: "Building collapses in Magnitogorsk",
                subtitle: None,
                byline: None,
                published: Some("2019-01-04T00:00:00Z"),
                body: "An apartment building collapsed on Monday.",
            },
            Case {
                text: "Rates cut again as inflation cools\nThe bank moved for the third time this year.\nJane Doe and John Roe\nNov 26, 2026\nThe central bank cut its rate.\nRates cut again as inflation cools\n",
                title: "Rates cut again as inflation cools",
                subtitle: Some("The bank moved for the third time this year."),
                byline: Some("Jane Doe and John Roe"),
                published: Some("2026-11-26T00:00:00Z"),
                body: "The central bank cut its rate.",
            },
            Case {
                text: "An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia, and a suspected gas leak led to an explosion that brought down the ten-storey building in the early morning. Rescuers worked for days.\n\nMore text.",
                title: "An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia, and a suspected gas…",
                subtitle: None,
                byline: None,
                published: None,
                body: "An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia, and a suspected gas leak led to an explosion that brought down the ten-storey building in the early morning. Rescuers worked for days.\n\nMore text.",
            },
            Case {
                text: "World\n\nQuake hits Japan\n\nNov 26, 2026\n\nA strong earthquake struck northern Japan on Tuesday, shaking buildings in Tokyo, and the authorities warned of a tsunami along the coast of Aomori and Iwate for several hours.",
                title: "Quake hits Japan",
                subtitle: None,
                byline: None,
                published: Some("2026-11-26T00:00:00Z"),
                body: "A strong earthquake struck northern Japan on Tuesday, shaking buildings in Tokyo, and the authorities warned of a tsunami along the coast of Aomori and Iwate for several hours.",
            },
            Case {
                text: "World\n\nA strong earthquake struck northern Japan on Tuesday.\n\nBuildings shook in Tokyo.",
                title: "A strong earthquake struck northern Japan on Tuesday.",
                subtitle: None,
                byline: None,
                published: None,
                body: "Buildings shook in Tokyo.",
            },
            Case {
                text: "Oil rises on supply worries in the Gulf\nBy Jane Doe | Nov 26, 2026 01:11 GMT | 3 min read\nJane Doe writes about oil markets.\nPrices rose.",
                title: "Oil rises on supply worries in the Gulf",
                subtitle: None,
                byline: Some("Jane Doe"),
                published: Some("2026-11-26T01:11:00Z"),
                body: "Prices rose.",
            },
        ];
        for case in cases {
            let a = parse(case.text, "t.txt").expect("article");
            assert_eq!(a.title, case.title, "text {:?}", case.text);
            assert_eq!(a.subtitle.as_deref(), case.subtitle, "text {:?}", case.text);
            assert_eq!(a.byline.as_deref(), case.byline, "text {:?}", case.text);
            let published = a.published.map(|t| t.to_string());
            assert_eq!(published.as_deref(), case.published, "text {:?}", case.text);
            assert_eq!(a.body, case.body, "text {:?}", case.text);
        }
    }

    #[test]
    fn hard_wrapped_text_is_joined_into_paragraphs() {
        let text = "Oil prices rise on supply worries\nBy Jane Doe\n\n\
            Oil prices rose on Monday as traders weighed the risk of supply\n\
            disruptions in the Middle East against signs of weaker demand in\n\
            Asia.\n\n\
            Brent crude futures were up 1.2% at $84.10 a barrel by 0900 GMT,\n\
            while U.S. West Texas Intermediate crude rose 1.1%.\n";
        let a = parse(text, "t.txt").expect("article");
        assert_eq!(a.title, "Oil prices rise on supply worries");
        assert_eq!(a.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(
            a.body,
            "Oil prices rose on Monday as traders weighed the risk of supply disruptions in the \
             Middle East against signs of weaker demand in Asia.\n\n\
             Brent crude futures were up 1.2% at $84.10 a barrel by 0900 GMT, while U.S. West \
             Texas Intermediate crude rose 1.1%."
        );
    }

    #[test]
    fn text_before_a_later_headline_like_line_is_never_dropped() {
        let long = "The ministers, who met for two days in a hotel outside the capital, agreed \
                    that the fund would be run by a board of nine members drawn from the treasury, \
                    the central bank and the largest trade unions of the country.";
        assert!(long.len() > 200);
        let text = format!(
            "{long}\n\nThe board meets monthly.\n\n((WN)) What comes next for the fund?\n\n\
             ((Jane Roe)) We wait for the budget\n"
        );
        let a = parse(&text, "t.txt").expect("article");
        assert_eq!(
            a.title,
            "The ministers, who met for two days in a hotel outside the capital, agreed that the \
             fund would be run by a board of…"
        );
        assert_eq!(a.subtitle, None);
        assert!(a.body.starts_with(long), "{}", a.body);
        assert!(
            a.body.ends_with("((Jane Roe)) We wait for the budget"),
            "{}",
            a.body
        );
    }

    #[test]
    fn only_furniture_is_no_article() {
        assert_eq!(parse("Comments\n\nShare\n\navatar-icon\n", "t.txt"), None);
    }

    #[test]
    fn short_text_is_still_an_article() {
        let a = parse("Quake hits\n", "t.txt").expect("article");
        assert_eq!(a.title, "Quake hits");
        assert_eq!(a.body, "");
        let a = parse("Quake hits\n\nMany dead.\n\nComments", "t.txt").expect("article");
        assert_eq!(a.title, "Quake hits");
        assert_eq!(a.body, "Many dead.");
    }
}
