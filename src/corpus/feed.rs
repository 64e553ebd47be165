//! Saved feeds: RSS 2.0, RSS 1.0 (RDF) and Atom files, one article per item or entry.
//!
//! An item's title, link (FeedBurner's `origLink` before its tracking link; Atom's `alternate`),
//! date (`pubDate`, `dc:date`, Atom's `published` before `updated`), authors (`dc:creator`,
//! `author`, Atom's `author/name`) and body (`content:encoded` or Atom's `content` before
//! `description` or `summary`, its HTML turned into paragraphs of text) become the article's; a
//! short description beside a full body becomes its dek. Its id is its `guid` (Atom: `id`; RSS
//! 1.0: `rdf:about`), else its link, so an item seen again in the next night's copy of the feed
//! keeps its id. The feed's title is the source and its language the language. Categories have
//! no place in an article and are not kept.
//!
//! No DTD is read and no entity it declares is expanded (an entity bomb stays a few bytes of
//! `&name;` text); XML's five entities and character references are resolved. Malformed XML
//! ends the reading where it is malformed, with a warning naming its byte offset; the items
//! before it are kept.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Parsed;
use super::date::parse_date;
use super::record::{collapse_spaces, first_sentence, language_code};
use crate::article::{Article, ArticleId, Place};

/// A field's text is cut at this many bytes (a feed is at most a 256 MiB file).
const MAX_FIELD_BYTES: usize = 16 * 1024 * 1024;

/// A description this short beside a full body is kept as the dek.
const MAX_DEK_CHARS: usize = 400;

/// Whether the first element of `text` is a feed's root (`rss`, `feed`, `rdf:RDF`).
pub(crate) fn is_feed(text: &str) -> bool {
    let mut reader = Reader::from_str(text);
    for _ in 0..64 {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return matches!(local(&e).as_str(), "rss" | "feed" | "rdf");
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(Event::Text(t)) if !t.trim().is_empty() => return false,
            Ok(_) => {}
        }
    }
    false
}

/// The text of a feed file again, decoded as its XML declaration says (`encoding="koi8-r"`),
/// when it names an encoding other than UTF-8 and the bytes carry no byte order mark.
pub(crate) fn redecode(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(256))?;
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.iter().position(|&b| b == b'>')?;
    let decl = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
    let at = decl.find("encoding=")? + "encoding=".len();
    let label: String = decl[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    if encoding == encoding_rs::UTF_8 || !encoding.is_ascii_compatible() {
        return None;
    }
    let text = encoding.decode_without_bom_handling(bytes).0;
    Some(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Which item field an element's text goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    OrigLink,
    Guid,
    Published,
    Updated,
    Author,
    Content,
    Summary,
    Ignored,
}

/// What one item or entry held.
#[derive(Debug, Default)]
struct Item {
    title: Option<String>,
    title_html: bool,
    link: Option<String>,
    alternate: Option<String>,
    orig_link: Option<String>,
    guid: Option<String>,
    about: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    content: Option<String>,
    summary: Option<String>,
    lang: Option<String>,
}

/// The element being read into a field.
struct Open {
    field: Field,
    /// Its depth (the item's children are at the item's depth plus one).
    depth: usize,
    text: String,
    /// Markup inside (Atom's `type="xhtml"`): elements are kept as tags, text escaped.
    xhtml: bool,
    /// An Atom author: elements inside, of which only `name` is read.
    nested: bool,
    in_name: bool,
}

/// The feed-wide fields.
#[derive(Default)]
struct Channel {
    title: Option<String>,
    lang: Option<String>,
    /// The element whose text is read into `title` or `lang`, and its depth.
    open: Option<(bool, usize, String)>,
}

/// Parses a feed into one article per item or entry.
pub(crate) fn parse(text: &str, rel_path: &str) -> Result<Parsed, String> {
    if !is_feed(text) {
        return Err("not an RSS or Atom feed".into());
    }
    let mut reader = Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
    }
    let mut parsed = Parsed::default();
    let mut items: Vec<Item> = Vec::new();
    let mut channel = Channel::default();
    let mut depth = 0usize;
    // The depth of the item being read, and the element being read into one of its fields.
    let mut item: Option<(usize, Item)> = None;
    let mut open: Option<Open> = None;
    let mut names: Vec<String> = Vec::new();
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                parsed.warn(format!(
                    "byte {}: malformed XML ({error}); the rest of the feed is skipped",
                    reader.error_position()
                ));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = local(&e);
                let qname = qualified(&e);
                if let Some(open) = open.as_mut() {
                    if open.xhtml {
                        push(&mut open.text, &format!("<{name}>"));
                    } else if open.field == Field::Author {
                        if !open.nested {
                            open.nested = true;
                            open.text.clear();
                        }
                        open.in_name = name == "name";
                    }
                } else if let Some((at, current)) = item.as_mut() {
                    open = start_field(current, &e, &qname, &name, depth, *at);
                } else if name == "item" || name == "entry" {
                    let mut current = Item {
                        about: attribute(&e, "about"),
                        lang: attribute(&e, "lang"),
                        ..Item::default()
                    };
                    current.lang = current.lang.filter(|l| !l.is_empty());
                    item = Some((depth, current));
                } else {
                    let parent = names.last().map(String::as_str);
                    let top = matches!(parent, Some("channel" | "feed"));
                    if top && name == "title" && channel.title.is_none() {
                        channel.open = Some((true, depth, String::new()));
                    } else if top && name == "language" && channel.lang.is_none() {
                        channel.open = Some((false, depth, String::new()));
                    } else if name == "feed" || name == "rss" || name == "rdf" {
                        channel.lang = attribute(&e, "lang").filter(|l| !l.is_empty());
                    }
                }
                names.push(name);
            }
            Event::Empty(e) => {
                let name = local(&e);
                if let Some(open) = open.as_mut() {
                    if open.xhtml {
                        push(&mut open.text, &format!("<{name}>"));
                    }
                } else if let Some((_, current)) = item.as_mut()
                    && name == "link"
                {
                    atom_link(current, &e);
                }
            }
            Event::End(_) => {
                let ended = names.pop().unwrap_or_default();
                if let Some(current) = open.as_mut()
                    && depth > current.depth
                {
                    if current.xhtml {
                        push(&mut current.text, &format!("</{ended}>"));
                    }
                    if current.in_name {
                        current.in_name = false;
                        push(&mut current.text, " ");
                    }
                }
                if open.as_ref().is_some_and(|o| o.depth == depth) {
                    if let (Some(done), Some((_, current))) = (open.take(), item.as_mut()) {
                        end_field(current, done);
                    }
                } else if item.as_ref().is_some_and(|(at, _)| *at == depth) {
                    if let Some((_, done)) = item.take() {
                        items.push(done);
                    }
                } else if channel.open.as_ref().is_some_and(|(_, at, _)| *at == depth)
                    && let Some((title, _, text)) = channel.open.take()
                {
                    let text = collapse_spaces(&text);
                    if title {
                        channel.title = Some(text).filter(|t| !t.is_empty());
                    } else {
                        channel.lang = Some(text).filter(|t| !t.is_empty());
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                append(&mut open, &mut channel, &t, false);
            }
            Event::CData(c) => {
                let c = c.xml10_content().into_owned();
                append(&mut open, &mut channel, &c, false);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => match &*r {
                        "lt" => Cow::Borrowed("<"),
                        "gt" => Cow::Borrowed(">"),
                        "amp" => Cow::Borrowed("&"),
                        "quot" => Cow::Borrowed("\""),
                        "apos" => Cow::Borrowed("'"),
                        // Declared in a DTD (never expanded), or an HTML entity written bare:
                        // kept as written, for the HTML reader to decode.
                        other => Cow::Owned(format!("&{other};")),
                    },
                    Err(_) => Cow::Borrowed(""),
                };
                let literal =
                    !r.is_char_ref() && !matches!(&*r, "lt" | "gt" | "amp" | "quot" | "apos");
                append(&mut open, &mut channel, &resolved, !literal);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some((_, done)) = item.take() {
        // An item cut short by the end of the file or malformed XML still counts.
        items.push(done);
    }
    let source = channel.title.clone();
    let lang = channel.lang.clone();
    for (ordinal, done) in items.into_iter().enumerate() {
        match article(done, rel_path, ordinal, source.as_deref(), lang.as_deref()) {
            Some(article) => parsed.articles.push(article),
            None => parsed.warn(format!("item {}: no title or body", ordinal + 1)),
        }
    }
    Ok(parsed)
}

/// The local name of an element, lower case (`content:encoded` is `encoded`, `rdf:RDF` `rdf`).
fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

/// The qualified name of an element, lower case (`content:encoded`).
fn qualified(e: &BytesStart) -> String {
    e.name().as_ref().to_ascii_lowercase()
}

/// The value of the attribute whose local name is `name`.
fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let key_local = key.rsplit(':').next().unwrap_or(key);
        key_local.eq_ignore_ascii_case(name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|_| a.value.trim().to_string())
        })
    })
}

/// Appends to a field's text, within its limit.
fn push(text: &mut String, more: &str) {
    if text.len() + more.len() <= MAX_FIELD_BYTES {
        text.push_str(more);
    }
}

/// Text read inside an element: to the open field, or to the channel's.
fn append(open: &mut Option<Open>, channel: &mut Channel, text: &str, escaped_char: bool) {
    if let Some(open) = open.as_mut() {
        if open.nested && !open.in_name {
            // An Atom author's email or URI.
        } else if open.xhtml && escaped_char {
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            push(&mut open.text, &escaped);
        } else {
            push(&mut open.text, text);
        }
    } else if let Some((_, _, buffer)) = channel.open.as_mut() {
        push(buffer, text);
    }
}

/// The field an item's element starts, if any.
fn start_field(
    item: &mut Item,
    e: &BytesStart,
    qname: &str,
    name: &str,
    depth: usize,
    item_depth: usize,
) -> Option<Open> {
    if depth != item_depth + 1 {
        return None;
    }
    let kind = attribute(e, "type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let field = match qname {
        "title" => Field::Title,
        "link" => {
            atom_link(item, e);
            Field::Link
        }
        "feedburner:origlink" => Field::OrigLink,
        "guid" | "id" => Field::Guid,
        "pubdate" | "published" | "dc:date" | "issued" => Field::Published,
        "updated" | "modified" | "dc:modified" => Field::Updated,
        "dc:creator" | "author" | "dc:author" => Field::Author,
        "content:encoded" | "content" => Field::Content,
        "description" | "summary" => Field::Summary,
        _ if name == "encoded" => Field::Content,
        _ => return None,
    };
    let text_kind = kind.is_empty() || kind.contains("html") || kind.starts_with("text");
    let field = match field {
        // Content given by reference only, or not text, holds no body.
        Field::Content if attribute(e, "src").is_some() => Field::Ignored,
        Field::Content | Field::Summary | Field::Title if !text_kind => Field::Ignored,
        other => other,
    };
    if field == Field::Title {
        item.title_html = kind.contains("html");
    }
    Some(Open {
        field,
        depth,
        text: String::new(),
        xhtml: kind == "xhtml",
        nested: false,
        in_name: false,
    })
}

/// An Atom `<link href=".." rel="alternate">` (or without `rel`): the entry's link.
fn atom_link(item: &mut Item, e: &BytesStart) {
    let Some(href) = attribute(e, "href").filter(|h| !h.is_empty()) else {
        return;
    };
    let rel = attribute(e, "rel").unwrap_or_default();
    if (rel.is_empty() || rel == "alternate") && item.alternate.is_none() {
        item.alternate = Some(href);
    }
}

/// Keeps the text of a field once its element ends.
fn end_field(item: &mut Item, open: Open) {
    let text = open.text;
    let trimmed = || Some(text.trim().to_string()).filter(|t| !t.is_empty());
    match open.field {
        Field::Title => item.title = item.title.take().or_else(trimmed),
        Field::Link => item.link = item.link.take().or_else(trimmed),
        Field::OrigLink => item.orig_link = item.orig_link.take().or_else(trimmed),
        Field::Guid => item.guid = item.guid.take().or_else(trimmed),
        Field::Published => item.published = item.published.take().or_else(trimmed),
        Field::Updated => item.updated = item.updated.take().or_else(trimmed),
        Field::Author => {
            if let Some(name) = trimmed() {
                let name = author_name(&name);
                if !name.is_empty() && !item.authors.contains(&name) {
                    item.authors.push(name);
                }
            }
        }
        Field::Content => item.content = item.content.take().or_else(trimmed),
        Field::Summary => item.summary = item.summary.take().or_else(trimmed),
        Field::Ignored => {}
    }
}

/// An RSS `author` is an email address, perhaps with the name in brackets:
/// `jane@example.com (Jane Doe)` is Jane Doe.
fn author_name(value: &str) -> String {
    let value = collapse_spaces(value);
    if let Some((email, rest)) = value.split_once(" (")
        && email.contains('@')
    {
        return rest.trim_end_matches(')').trim().to_string();
    }
    value
}

/// The article of an item; `None` when it has neither title nor body.
fn article(
    item: Item,
    rel_path: &str,
    ordinal: usize,
    source: Option<&str>,
    lang: Option<&str>,
) -> Option<Article> {
    let content = item.content.as_deref().map(markup_text);
    let summary = item.summary.as_deref().map(markup_text);
    let (body, dek) = match (content, summary) {
        (Some(content), summary) if !content.is_empty() => (content, summary),
        (_, summary) => (summary.unwrap_or_default(), None),
    };
    let dek = dek
        .map(|d| collapse_spaces(&d))
        .filter(|d| !d.is_empty() && d.chars().count() <= MAX_DEK_CHARS)
        .filter(|d| !body.starts_with(d.trim_end_matches(['…', '.'])));
    let mut title = match &item.title {
        Some(title) if item.title_html || title.contains('<') || title.contains('&') => {
            collapse_spaces(&markup_text(title))
        }
        Some(title) => collapse_spaces(title),
        None => String::new(),
    };
    if title.is_empty() {
        title = first_sentence(&body);
    }
    if title.is_empty() && body.is_empty() {
        return None;
    }
    let url = item.orig_link.or(item.alternate).or(item.link);
    let id = item
        .guid
        .clone()
        .or(item.about.clone())
        .or(url.clone())
        .map(ArticleId)
        .unwrap_or_else(|| ArticleId::derived(rel_path, ordinal));
    let published = item
        .published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| item.updated.as_deref().and_then(parse_date));
    let byline = (!item.authors.is_empty()).then(|| item.authors.join(", "));
    Some(Article {
        id,
        path: rel_path.to_string(),
        title,
        subtitle: dek,
        byline,
        published,
        source: source.map(collapse_spaces),
        url,
        lang: item.lang.as_deref().or(lang).map(language_code),
        body,
        place: Place::record(ordinal as u64, None),
    })
}

/// Elements that end a paragraph.
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "section",
    "article",
    "hr",
    "dd",
];

/// Elements whose text is not the article's.
const SKIPPED: [&str; 9] = [
    "script", "style", "noscript", "iframe", "svg", "button", "form", "object", "template",
];

/// The text of an HTML fragment (an item's body), in paragraphs separated by blank lines; a last
/// paragraph that only says "Continue reading" or "Read more" dropped.
fn markup_text(fragment: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    if !fragment.contains(['<', '&']) {
        return super::record::paragraphs(fragment);
    }
    let document = scraper::Html::parse_fragment(fragment);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut skipped = 0usize;
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        let text = collapse_spaces(current);
        if !text.is_empty() {
            paragraphs.push(text);
        }
        current.clear();
    };
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if SKIPPED.contains(&name) {
                        skipped += 1;
                    } else if BLOCKS.contains(&name) {
                        flush(&mut current, &mut paragraphs);
                    }
                }
                Node::Text(text) if skipped == 0 => current.push_str(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    if SKIPPED.contains(&name) {
                        skipped = skipped.saturating_sub(1);
                    } else if BLOCKS.contains(&name) {
                        flush(&mut current, &mut paragraphs);
                    }
                }
            }
        }
    }
    flush(&mut current, &mut paragraphs);
    while paragraphs.last().is_some_and(|p| is_more_link(p)) {
        paragraphs.pop();
    }
    paragraphs.join("\n\n")
}

/// "Continue reading...", "Read more »", "Continue reading…".
fn is_more_link(paragraph: &str) -> bool {
    let lower = paragraph.to_lowercase();
    let words = lower.split_whitespace().count();
    words <= 5
        && [
            "continue reading",
            "read more",
            "read the full",
            "more…",
            "more...",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = "/work/shared/archives/feeds";

    fn read_fixture(rel: &str) -> Parsed {
        let bytes = std::fs::read(format!("{FIXTURES}/{rel}")).expect("fixture");
        super::super::parse_bytes(rel, &bytes).expect(rel)
    }

    /// (id, title, date, byline) of an article.
    fn head(a: &Article) -> (String, String, String, String) {
        (
            a.id.0.clone(),
            a.title.clone(),
            a.published.map(|t| t.to_string()).unwrap_or_default(),
            a.byline.clone().unwrap_or_default(),
        )
    }

    fn strs(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
        (a.into(), b.into(), c.into(), d.into())
    }

    #[test]
    fn rss_with_html_descriptions() {
        let parsed = read_fixture("rss-parser/guardian.rss");
        assert_eq!(parsed.articles.len(), 55);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let first = &parsed.articles[0];
        let url = "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord";
        assert_eq!(
            head(first),
            strs(
                url,
                "Trump State of the Union address promised unity but emphasized discord",
                "2018-01-31T07:26:05Z",
                "David Smith in Washington"
            )
        );
        assert_eq!(first.url.as_deref(), Some(url));
        assert_eq!(first.source.as_deref(), Some("The Guardian"));
        assert_eq!(first.lang.as_deref(), Some("en"));
        let paragraphs: Vec<&str> = first.body.split("\n\n").collect();
        assert_eq!(
            paragraphs[0],
            "The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly disguised contempt"
        );
        assert!(paragraphs[1].starts_with("Donald Trump has promised a “new American moment”"));
        // The "Continue reading..." link is not text of the article.
        assert_eq!(
            paragraphs.last(),
            Some(&"Related: Fact check: Donald Trump's State of the Union address analyzed")
        );
        assert!(parsed.articles.iter().all(|a| !a.body.contains('<')));
    }

    #[test]
    fn full_bodies_in_content_encoded_and_feedburner_links() {
        let parsed = read_fixture("elixir-feed-parser/TechCrunch.xml");
        assert_eq!(parsed.articles.len(), 20);
        let first = &parsed.articles[0];
        assert_eq!(
            head(first),
            strs(
                "http://techcrunch.com/?p=446154",
                "Angie’s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M",
                "2011-11-02T17:25:27Z",
                "Leena Rao"
            )
        );
        // The publisher's link, not FeedBurner's redirect.
        assert_eq!(
            first.url.as_deref(),
            Some(
                "http://techcrunch.com/2011/11/02/angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/"
            )
        );
        assert!(
            first
                .body
                .starts_with("Angie’s List, which offers consumers a way to review")
        );
        let words: usize = first.body.split_whitespace().count();
        assert!(words > 150, "{words}: {}", first.body);

        let parsed = read_fixture("elixir-feed-parser/rsn_cnn.xml");
        assert_eq!(parsed.articles.len(), 20);
        assert_eq!(
            head(&parsed.articles[0]),
            strs(
                "http://money.cnn.com/2018/10/04/investing/premarket-stocks-trading/index.html?section=money_topstories",
                "7 things to know before the bell",
                // EDT
                "2018-10-04T09:10:29Z",
                ""
            )
        );
        assert_eq!(
            parsed.articles[0].body,
            "Read full story for latest details."
        );
    }

    #[test]
    fn atom_entries() {
        let parsed = read_fixture("elixir-feed-parser/complex_the_verge_com.xml");
        assert_eq!(parsed.articles.len(), 10);
        let url = "http://www.theverge.com/2015/10/24/9604530/ask-stoya-when-is-porn-actually-educational";
        assert_eq!(
            head(&parsed.articles[0]),
            strs(
                url,
                "Ask Stoya: When is porn actually educational?",
                "2015-10-24T15:00:02Z",
                "Stoya"
            )
        );
        assert_eq!(parsed.articles[0].url.as_deref(), Some(url));
        assert_eq!(
            parsed.articles[0].source.as_deref(),
            Some("The Verge - All Posts")
        );
        assert!(
            parsed.articles[0]
                .body
                .contains("porn is no substitute for sexual education")
        );
        assert!(!parsed.articles[0].body.contains("Continue reading"));

        let parsed = read_fixture("rss-parser/heise.atom");
        assert_eq!(parsed.articles.len(), 15);
        assert_eq!(
            head(&parsed.articles[0]),
            strs(
                "http://heise.de/-3088438",
                "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
                "2016-02-01T16:22:00Z",
                ""
            )
        );
        assert!(
            parsed.articles[0]
                .body
                .starts_with("Die nun verfügbare Version 10")
        );
    }

    fn parse_text(text: &str) -> Parsed {
        parse(text, "f.rss").expect("a feed")
    }

    #[test]
    fn rss_1_rdf_with_cdata_and_ids_from_links() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://news.example/"><title>Example News</title><dc:language>fr</dc:language></channel>
  <item rdf:about="http://news.example/1">
    <title>Quake &amp; floods</title><link>http://news.example/1?utm=rss</link>
    <dc:date>2026-11-02T10:00:00Z</dc:date><dc:creator>Ana Lima</dc:creator>
    <description><![CDATA[<p>First <b>para</b>.</p><p>Second para.</p>]]></description>
  </item>
  <item><title>No id but a link</title><link>http://news.example/2</link></item>
  <item><title>Nothing but a title</title></item>
  <item><description>   </description></item>
</rdf:RDF>"#;
        let parsed = parse_text(rdf);
        let got: Vec<_> = parsed.articles.iter().map(head).collect();
        assert_eq!(
            got,
            [
                strs(
                    "http://news.example/1",
                    "Quake & floods",
                    "2026-11-02T10:00:00Z",
                    "Ana Lima"
                ),
                strs("http://news.example/2", "No id but a link", "", ""),
                strs(
                    &ArticleId::derived("f.rss", 2).0,
                    "Nothing but a title",
                    "",
                    ""
                ),
            ]
        );
        assert_eq!(parsed.articles[0].body, "First para.\n\nSecond para.");
        assert_eq!(parsed.articles[0].source.as_deref(), Some("Example News"));
        assert_eq!(parsed.warnings, ["item 4: no title or body"]);
    }

    #[test]
    fn atom_xhtml_content_and_authors() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title type="text">Feed</title>
<entry><id>tag:x,2026:1</id><title type="html">A &lt;i&gt;big&lt;/i&gt; day</title>
<link rel="self" href="http://x/self"/><link rel="alternate" href="http://x/1"/>
<updated>2026-11-03T00:00:00Z</updated>
<author><name>Jo Bloggs</name><email>jo@x</email></author><author><name>Al Smith</name></author>
<summary>Short.</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One &amp; two.</p><p>Three &lt;four&gt;.</p></div></content>
</entry></feed>"#;
        let parsed = parse_text(atom);
        let a = &parsed.articles[0];
        assert_eq!(
            head(a),
            strs(
                "tag:x,2026:1",
                "A big day",
                "2026-11-03T00:00:00Z",
                "Jo Bloggs, Al Smith"
            )
        );
        assert_eq!(a.url.as_deref(), Some("http://x/1"));
        assert_eq!(a.body, "One & two.\n\nThree <four>.");
        assert_eq!(a.subtitle.as_deref(), Some("Short."));
        assert_eq!(a.lang.as_deref(), Some("de"));
    }

    #[test]
    fn entities_declared_in_a_dtd_are_never_expanded() {
        let mut dtd = String::from("<!DOCTYPE rss [<!ENTITY lol \"lol\">");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            dtd.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">",
                format!("&{prev};").repeat(10)
            ));
        }
        dtd.push_str("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>");
        let text = format!(
            "<?xml version=\"1.0\"?>{dtd}<rss><channel><item><title>Laughs &lol9;</title><description>&xxe; body &nbsp;text</description></item></channel></rss>"
        );
        let parsed = parse_text(&text);
        assert_eq!(parsed.articles[0].title, "Laughs &lol9;");
        // An undeclared or external entity is kept as written, not fetched.
        assert_eq!(parsed.articles[0].body, "&xxe; body text");
    }

    #[test]
    fn malformed_xml_keeps_the_items_before_it() {
        let text = "<rss><channel><item><title>Good one</title></item><item><title>Cut</title><description><![CDATA[never closed</description></item></channel></rss>";
        let parsed = parse_text(text);
        let titles: Vec<&str> = parsed.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Good one", "Cut"]);
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert_eq!(
            parsed.warnings[0],
            "byte 87: malformed XML (syntax error: CDATA not closed: `]]>` not found before end of input); the rest of the feed is skipped"
        );
        assert_eq!(
            parse("<html><body>x</body></html>", "f.rss").map(|_| ()),
            Err("not an RSS or Atom feed".to_string())
        );
    }

    #[test]
    fn feeds_are_found_by_extension_and_root() {
        let rss = b"<?xml version=\"1.0\"?>\n<!-- saved -->\n<rss version=\"2.0\"><channel><item><title>T</title><guid>g1</guid></item></channel></rss>";
        for name in ["a.rss", "a.atom", "a.xml", "feed", "a.rss.gz"] {
            let bytes = if name.ends_with(".gz") {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                std::io::Write::write_all(&mut e, rss).expect("gz");
                e.finish().expect("gz")
            } else {
                rss.to_vec()
            };
            let parsed = super::super::parse_bytes(name, &bytes).expect(name);
            assert_eq!(parsed.articles[0].id.0, "g1", "{name}");
        }
        // Other XML is read as before.
        let parsed =
            super::super::parse_bytes("a.xml", b"<?xml version=\"1.0\"?><doc>Hello there</doc>")
                .expect("text");
        assert_eq!(parsed.articles[0].id, ArticleId::derived("a.xml", 0));
    }

    #[test]
    fn no_input_panics() {
        let samples = [
            std::fs::read(format!("{FIXTURES}/rss-parser/heise.atom")).expect("atom"),
            b"<rdf:RDF><item rdf:about='x'><title>&#0;&#xFFFFFFFF;&bogus;<![CDATA[x]]></title><content type='xhtml'><div><p>a</div></content></item>".to_vec(),
        ];
        for sample in &samples {
            for cut in (0..sample.len()).step_by(3) {
                let text = String::from_utf8_lossy(&sample[..cut]);
                let _ = parse(&text, "f.atom");
            }
        }
    }
}
