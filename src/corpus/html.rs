//! Web pages: metadata from `<meta>`, `<link>`, `<time>` and JSON-LD, the body from the page's
//! best-scoring block of text (see [`super::html_body`]).

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::article::{Article, ArticleId, Place};

use super::date::parse_date;
use super::record::{collapse_spaces, first_sentence, language_code};
use super::{html_body, html_bounds};

/// The values of the elements matching `css`: `content` of `<meta>`, `href` of `<link>`,
/// `datetime` of `<time>`, `lang` of `<html>`, else the text. Lazy, so that taking the first
/// value does not collect the text of every match.
fn select<'d>(document: &'d Html, css: &str) -> impl Iterator<Item = String> + 'd {
    let selector = Selector::parse(css).ok();
    let matches = selector
        .map(|selector| document.select(&selector).collect::<Vec<_>>())
        .unwrap_or_default();
    matches
        .into_iter()
        .map(|e| match e.value().name() {
            "meta" => e.value().attr("content").unwrap_or_default().to_string(),
            "link" => e.value().attr("href").unwrap_or_default().to_string(),
            "time" => e
                .value()
                .attr("datetime")
                .map(str::to_string)
                .unwrap_or_else(|| text_of(e)),
            "html" => e.value().attr("lang").unwrap_or_default().to_string(),
            _ => text_of(e),
        })
        .map(|s| collapse_spaces(&s))
        .filter(|s| !s.is_empty())
}

/// The first non-empty value among the CSS selectors, in order.
fn first(document: &Html, selectors: &[&str]) -> Option<String> {
    selectors
        .iter()
        .find_map(|css| select(document, css).next())
}

/// The visible text of `element`, skipping scripts and styles inside it (also when `element`
/// itself is one). One walk over the element's subtree.
fn text_of(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    // Depth inside hidden elements: text counts only at 0.
    let mut hidden = 0usize;
    let is_hidden = |node: &scraper::Node| {
        node.as_element()
            .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"))
    };
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) if is_hidden(node.value()) => hidden += 1,
            Edge::Close(node) if is_hidden(node.value()) => hidden -= 1,
            Edge::Open(node) if hidden == 0 => {
                if let Some(text) = node.value().as_text() {
                    out.push_str(text);
                }
            }
            _ => {}
        }
    }
    collapse_spaces(&out)
}

/// JSON-LD objects of the page, `@graph` members included.
fn json_ld(document: &Html) -> Vec<Value> {
    let Ok(selector) = Selector::parse(r#"script[type="application/ld+json"]"#) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for script in document.select(&selector) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    out.push(Value::Object(map));
                }
                _ => {}
            }
        }
    }
    out
}

/// The first JSON-LD value for `key`, as text (objects by their `name`).
fn ld_text(objects: &[Value], key: &str) -> Option<String> {
    objects.iter().find_map(|o| {
        let value = o.get(key)?;
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Object(m) => m.get("name")?.as_str()?.to_string(),
            Value::Array(items) => items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(m) => m.get("name")?.as_str().map(str::to_string),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => return None,
        };
        let text = collapse_spaces(&text);
        (!text.is_empty()).then_some(text)
    })
}

/// Parses a page into its one article, or `None` when it has neither title nor text.
///
/// The markup is first bounded (see [`super::html_bounds`]): nesting past 256 levels is
/// flattened and attributes past 256 on a tag dropped, so no page costs more than linear work.
pub(crate) fn parse(text: &str, rel_path: &str) -> Option<Article> {
    let bounded = html_bounds::bound(text);
    let document = Html::parse_document(&bounded.text);
    let ld = json_ld(&document);
    let source = first(&document, &[r#"meta[property="og:site_name"]"#])
        .or_else(|| ld_text(&ld, "publisher"));
    let mut title = first(
        &document,
        &[
            r#"meta[property="og:title"]"#,
            r#"meta[name="twitter:title"]"#,
            "h1",
        ],
    )
    .or_else(|| ld_text(&ld, "headline"))
    .map(|t| strip_site_name(&t, source.as_deref()))
    .or_else(|| first(&document, &["title"]).map(|t| strip_site(&t, source.as_deref())))
    .unwrap_or_default();
    // The article's JSON-LD date first: a page's <meta> and <time> elements often carry the
    // time of an update or of another story.
    let published = ld_text(&ld, "datePublished")
        .into_iter()
        .chain(
            [
                r#"meta[property="article:published_time"]"#,
                r#"meta[name="article:published_time"]"#,
                r#"meta[itemprop="datePublished"]"#,
                r#"meta[name="date"]"#,
                r#"meta[name="pubdate"]"#,
                r#"meta[name="publish-date"]"#,
                r#"meta[name="dc.date"]"#,
                r#"meta[name="DC.date.issued"]"#,
                "time[datetime]",
                r#"meta[property="og:updated_time"]"#,
            ]
            .iter()
            .flat_map(|css| select(&document, css)),
        )
        .find_map(|s| parse_date(&offset_joined(&s)));
    let body = html_body::body_paragraphs(&document, &ld).join("\n\n");
    if title.is_empty() {
        title = first_sentence(&body);
    }
    if title.is_empty() && body.is_empty() {
        return None;
    }
    let subtitle = first(
        &document,
        &[
            r#"meta[property="og:description"]"#,
            r#"meta[name="description"]"#,
        ],
    )
    .filter(|d| *d != title && !body.starts_with(d.trim_end_matches(['…', '.'])));
    Some(Article {
        id: ArticleId::derived(rel_path, 0),
        path: rel_path.to_string(),
        title,
        subtitle,
        byline: first(&document, &[r#"meta[name="author"]"#, r#"[rel="author"]"#])
            .or_else(|| ld_text(&ld, "author"))
            .map(|b| b.strip_prefix("By ").map(str::to_string).unwrap_or(b)),
        published,
        source,
        url: first(
            &document,
            &[r#"meta[property="og:url"]"#, r#"link[rel="canonical"]"#],
        ),
        lang: first(&document, &["html[lang]"]).map(|l| language_code(&l)),
        body,
        place: Place::File,
    })
}

/// `2024-04-30 16:38:37 +02:00` as `2024-04-30 16:38:37+02:00`: a space before the offset of
/// a machine time, which some pages write, joined.
fn offset_joined(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    let n = b.len();
    if n > 20
        && b[n - 7] == b' '
        && matches!(b[n - 6], b'+' | b'-')
        && b[n - 3] == b':'
        && b[..4].iter().all(u8::is_ascii_digit)
    {
        std::borrow::Cow::Owned(format!("{}{}", &s[..n - 7], &s[n - 6..]))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A headline without the site's name after it (`Headline | Site`, `Headline | Site | by
/// Jane Doe`), when the site's name is known.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) else {
        return title.to_string();
    };
    let lower = title.to_lowercase();
    let site = site.to_lowercase();
    for separator in [" | ", " - ", " – ", " — ", " * ", " · "] {
        let needle = format!("{separator}{site}");
        if let Some(at) = lower.find(&needle)
            && at > 0
            && title.is_char_boundary(at)
            && lower.len() == title.len()
        {
            let rest = &lower[at + needle.len()..];
            if rest.is_empty() || rest.starts_with(' ') {
                return title[..at].trim().to_string();
            }
        }
    }
    title.to_string()
}

/// A `<title>` without its " | Site" or " - Site" suffix.
fn strip_site(title: &str, site: Option<&str>) -> String {
    for separator in [" | ", " - ", " – ", " — "] {
        if let Some((head, tail)) = title.rsplit_once(separator)
            && (site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()))
                || (site.is_none() && tail.split_whitespace().count() <= 3))
        {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-US"><head>
<title>US, India talks | Example News</title>
<meta property="og:title" content="US, India discuss critical minerals">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://example.com/us-india">
<meta property="og:description" content="Jaishankar meets Rubio in Washington">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-11-26T06:41:00+05:30">
<script>var x = "<p>not text</p>";</script>
<style>p { color: red }</style>
</head><body>
<header><nav><p>Home</p><p>World</p></nav></header>
<article>
  <h1>US, India discuss critical minerals</h1>
  <p>Meeting took place ahead of the &ldquo;Critical Minerals&rdquo; Ministerial.</p>
  <div class="ad-slot"><p>Buy now!</p></div>
  <figure><img src="x.jpg"><figcaption>Courtesy: X/@SecRubio</figcaption></figure>
  <p>Rubio &amp; Jaishankar   discussed
     trade.</p>
  <p>Advertisement</p>
  <aside><p>Related: other story</p></aside>
</article>
<footer><p>Copyright 2026</p></footer>
</body></html>"#;

    #[test]
    fn page_with_metadata_and_article() {
        let a = parse(PAGE, "p.html").expect("article");
        assert_eq!(a.title, "US, India discuss critical minerals");
        assert_eq!(
            a.subtitle.as_deref(),
            Some("Jaishankar meets Rubio in Washington")
        );
        assert_eq!(a.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/us-india"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2026-11-26T01:11:00Z")
        );
        assert_eq!(
            a.body,
            "Meeting took place ahead of the \u{201c}Critical Minerals\u{201d} Ministerial.\n\n\
             Rubio & Jaishankar discussed trade."
        );
        assert_eq!(a.id, ArticleId::derived("p.html", 0));
    }

    #[test]
    fn fallbacks_for_title_date_and_body() {
        let cases = [
            (
                "<html><head><title>Plain page - Site</title></head><body><p>One.</p><p>Two.</p></body></html>",
                "Plain page",
                None,
                "One.\n\nTwo.",
            ),
            (
                r#"<html><body><main><h1>Main heading</h1><time datetime="2026-11-26">Nov 26</time><p>Text.</p></main><p>Outside.</p></body></html>"#,
                "Main heading",
                Some("2026-11-26T00:00:00Z"),
                "Text.",
            ),
            (
                r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"From JSON-LD","datePublished":"2026-11-26T01:11:00Z","author":[{"@type":"Person","name":"Jane Doe"}]}]}</script></head><body><p>Body.</p></body></html>"#,
                "From JSON-LD",
                Some("2026-11-26T01:11:00Z"),
                "Body.",
            ),
            (
                r#"<html><head><meta name="date" content="Nov 26, 2026"></head><body><p>Only a paragraph here. And more.</p></body></html>"#,
                "Only a paragraph here.",
                Some("2026-11-26T00:00:00Z"),
                "Only a paragraph here. And more.",
            ),
        ];
        for (html, title, published, body) in cases {
            let a = parse(html, "p.html").expect("article");
            assert_eq!(a.title, title, "html {html}");
            let got = a.published.map(|t| t.to_string());
            assert_eq!(got.as_deref(), published, "html {html}");
            assert_eq!(a.body, body, "html {html}");
        }
    }

    #[test]
    fn the_json_ld_date_comes_before_times_of_updates() {
        let cases = [
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2012-05-10T14:29:05.000Z","dateModified":"2026-04-24T11:16:53Z"}</script><time datetime="2026-04-24T11:16:53Z">1 day ago</time><p>Text of the story.</p>"#,
                "2012-05-10T14:29:05Z",
            ),
            (
                r#"<meta name="article:published_time" content="2023-04-25T12:26:15Z"><time datetime="2023-04-25T11:15:41Z">1:15 PM</time><p>Text of the story.</p>"#,
                "2023-04-25T12:26:15Z",
            ),
            (
                r#"<meta property="article:published_time" content="2026-01-06 13:55:27 +01:00"><p>Text of the story.</p>"#,
                "2026-01-06T12:55:27Z",
            ),
        ];
        for (html, published) in cases {
            let a = parse(html, "p.html").expect("article");
            let got = a.published.map(|t| t.to_string());
            assert_eq!(got.as_deref(), Some(published), "html {html}");
        }
    }

    #[test]
    fn the_site_name_after_a_headline_is_left_out() {
        let cases = [
            (
                "Strava taps AI | TechCrunch",
                "TechCrunch",
                "Strava taps AI",
            ),
            (
                "A plot twist | The Daily | by Jane Doe",
                "The Daily",
                "A plot twist",
            ),
            (
                "A plot twist * The Daily * by Jane Doe",
                "the daily",
                "A plot twist",
            ),
            // Not the site's name, or the name inside a longer word: kept.
            ("Rubio - India talks", "Example News", "Rubio - India talks"),
            ("Ask | The Dailyness", "The Daily", "Ask | The Dailyness"),
        ];
        for (og_title, site, title) in cases {
            let html = format!(
                r#"<meta property="og:title" content="{og_title}"><meta property="og:site_name" content="{site}"><p>Text of the story.</p>"#
            );
            assert_eq!(parse(&html, "p.html").expect("article").title, title);
        }
    }

    #[test]
    fn json_ld_author_is_the_byline() {
        let html = r#"<script type="application/ld+json">{"headline":"H","author":{"name":"By Jane Doe"}}</script><p>x</p>"#;
        let a = parse(html, "p.html").expect("article");
        assert_eq!(a.byline.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn hostile_pages_keep_their_text() {
        let deep = format!(
            "<html><body><article><h1>Deep page</h1>{}<p>Text at the bottom.</p>{}</article>",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let unclosed = format!(
            "<title>Unclosed</title>{}<p>Never closed.",
            "<div><span><b>".repeat(20_000)
        );
        let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
        let wide = format!("<h1{attributes}>Wide tag</h1><p{attributes}>Text.</p>");
        let cases = [
            (deep.as_str(), "Deep page", "Text at the bottom."),
            (unclosed.as_str(), "Unclosed", "Never closed."),
            (wide.as_str(), "Wide tag", "Text."),
        ];
        for (html, title, body) in cases {
            let a = parse(html, "p.html").expect("article");
            assert_eq!((a.title.as_str(), a.body.as_str()), (title, body));
        }
    }

    #[test]
    fn paragraphs_past_the_element_budget_are_one_paragraph() {
        let html = format!(
            "<h1>Many</h1>{}<p>Last.</p>",
            "<p>W.</p>".repeat(html_bounds::MAX_ELEMENTS)
        );
        let a = parse(&html, "p.html").expect("article");
        let paragraphs: Vec<&str> = a.body.split("\n\n").collect();
        // The heading and 99,999 paragraphs keep their elements; the rest run on in one.
        assert_eq!(paragraphs.len(), html_bounds::MAX_ELEMENTS);
        assert_eq!(paragraphs[paragraphs.len() - 1], "W. Last.");
    }

    #[test]
    fn nested_containers_are_read_once() {
        let html = "<article><p>Outer.</p><article><p>Inner.</p></article></article>";
        let a = parse(html, "p.html").expect("article");
        assert_eq!(a.body, "Outer.\n\nInner.");
    }

    #[test]
    fn empty_page_is_no_article() {
        assert_eq!(
            parse(
                "<html><body><nav><p>Menu item</p></nav></body></html>",
                "p.html"
            ),
            None
        );
    }
}
