//! The article text of a web page, chosen the way readability-style extractors choose it.
//!
//! 1. The page is cut into text blocks: the text between block boundaries (`<p>`, `<div>`,
//!    `<li>`, headings, `<br>`...), each knowing its link text and the element that holds it.
//!    Hidden elements (scripts, styles, form controls, `hidden`) give no text; boilerplate
//!    (`<nav>`, `<header>`, `<footer>`, `<aside>`, figures, and elements whose `class`/`id`
//!    words say navigation, comments, sharing, related links, promotions, cookie notices,
//!    banners or advertising) gives none either, except a wrapper holding most of the page's
//!    text: a page-wide `<div class="ad-wrapper">` around everything is not an advertisement.
//! 2. Every block of at least [`MIN_SCORED`] characters scores 1, one more per comma and one
//!    per 100 characters (at most 3), for its holder's parent, half for the grandparent and
//!    less for the ancestors above. An element's score, plus a bonus for article-like tags and
//!    class words, times one minus its link density, makes the best candidate; siblings
//!    scoring at least a fifth of it (or plain paragraphs of text) join it.
//! 3. The body is the candidates' blocks in page order, without link lists, the page's `<h1>`
//!    (the title) and furniture ("Advertisement", "Share this article").
//!
//! When the page's JSON-LD `articleBody` is long and the blocks chosen hold less than half of
//! it (pages whose text is drawn by a script), the JSON-LD text is the body.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use rustc_hash::FxHashMap;
use scraper::node::Element;
use scraper::{Html, Node};
use serde_json::Value;

use super::record::collapse_spaces;
use super::text::is_furniture;

/// Blocks shorter than this (in bytes) do not vote for their ancestors.
const MIN_SCORED: usize = 25;

/// The candidates compared with the best one when looking for a common ancestor.
const TOP_CANDIDATES: usize = 6;

/// A JSON-LD `articleBody` shorter than this (in bytes) is a teaser, never the body.
const MIN_LD_BODY: usize = 500;

/// Elements whose content is never visible text.
const HIDDEN_TAGS: [&str; 17] = [
    "head", "script", "style", "noscript", "template", "svg", "button", "select", "option",
    "textarea", "input", "iframe", "object", "embed", "canvas", "video", "audio",
];

/// Elements that hold page furniture, not article text.
const BOILERPLATE_TAGS: [&str; 8] = [
    "time",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "dialog",
];

/// `class` / `id` words (split on `-`, `_` and spaces) of blocks that are not article text.
const BOILERPLATE_WORDS: [&str; 35] = [
    "ad",
    "ads",
    "advert",
    "advertisement",
    "promo",
    "sponsored",
    "newsletter",
    "related",
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "consent",
    "subscribe",
    "outbrain",
    "taboola",
    "banner",
    "nav",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "recommended",
    "popup",
    "modal",
    "caption",
    "byline",
    "disclaimer",
    "tags",
    "trending",
];

/// `class` / `id` words of elements that usually hold the article.
const CONTENT_WORDS: [&str; 9] = [
    "article", "body", "content", "entry", "main", "post", "story", "text", "prose",
];

/// Elements that end a run of text: each starts a block of its own.
const BLOCK_TAGS: [&str; 37] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
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
    "td",
    "th",
    "thead",
    "tbody",
    "address",
    "details",
    "summary",
    "center",
    "fieldset",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "hr",
];

/// A run of text between block boundaries.
struct Block {
    /// The text, spaces collapsed.
    text: String,
    /// Bytes of it inside links.
    links: usize,
    /// The innermost block element holding it.
    holder: NodeId,
    /// Whether the holder is the `<h1>` (the page's title, not its body).
    title: bool,
}

/// The paragraphs of the article text of `document`, whose JSON-LD objects are `ld`.
pub(crate) fn body_paragraphs(document: &Html, ld: &[Value]) -> Vec<String> {
    let sizes = text_sizes(document);
    let blocks = blocks(document, &sizes);
    let chosen = choose(document, &blocks, MIN_SCORED)
        .or_else(|| choose(document, &blocks, 1))
        .unwrap_or_default();
    let paragraphs: Vec<String> = blocks
        .into_iter()
        .enumerate()
        .filter(|(i, _)| chosen.get(*i).copied().unwrap_or(false))
        .map(|(_, b)| b.text)
        .collect();
    if let Some(ld_body) = ld_article_body(ld) {
        let dom: usize = paragraphs.iter().map(String::len).sum();
        if ld_body.len() >= MIN_LD_BODY && dom * 2 < ld_body.len() {
            return ld_body
                .split('\n')
                .map(collapse_spaces)
                .filter(|p| !p.is_empty())
                .collect();
        }
    }
    paragraphs
}

/// The longest JSON-LD `articleBody` (or `text`) of the page.
fn ld_article_body(ld: &[Value]) -> Option<String> {
    ld.iter()
        .filter_map(|o| o.get("articleBody").and_then(Value::as_str))
        .max_by_key(|s| s.len())
        .map(str::to_string)
}

fn is_hidden(e: &Element) -> bool {
    HIDDEN_TAGS.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.contains("display:none") || s.contains("display: none")
        })
}

/// The lower-case words of an element's `class` and `id`.
fn class_words(e: &Element) -> impl Iterator<Item = String> + '_ {
    [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Whether `e` is a furniture element (`<nav>`, `<footer>`...).
fn is_boilerplate_tag(e: &Element) -> bool {
    BOILERPLATE_TAGS.contains(&e.name())
}

/// Whether `e`'s class words say furniture, on an element that is not the page, its body or
/// its main part or article (`<main class="has-sidebar">`).
fn is_boilerplate_class(e: &Element) -> bool {
    !matches!(e.name(), "html" | "body" | "main" | "article")
        && class_words(e).any(|w| BOILERPLATE_WORDS.contains(&w.as_str()))
}

/// Bytes of visible text under each element, and under the whole page (`root`).
struct Sizes {
    under: FxHashMap<NodeId, usize>,
    page: usize,
}

/// One walk over the page counting the visible text under every element.
fn text_sizes(document: &Html) -> Sizes {
    let mut under = FxHashMap::default();
    // Open elements with the text counted under them so far.
    let mut stack: Vec<(NodeId, usize)> = Vec::new();
    let mut hidden = 0usize;
    let mut page = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if hidden > 0 || is_hidden(e) {
                        hidden += 1;
                    } else {
                        stack.push((node.id(), 0));
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let n = t.trim().len();
                    page += n;
                    if let Some(top) = stack.last_mut() {
                        top.1 += n;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().is_element() {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if let Some((id, n)) = stack.pop() {
                        under.insert(id, n);
                        if let Some(top) = stack.last_mut() {
                            top.1 += n;
                        }
                    }
                }
            }
        }
    }
    Sizes { under, page }
}

/// The page's text blocks in page order, hidden elements and boilerplate left out.
fn blocks(document: &Html, sizes: &Sizes) -> Vec<Block> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut links = 0usize;
    // Depth inside a skipped element: text counts only at 0.
    let mut skipped = 0usize;
    let mut in_link = 0usize;
    let root = document.tree.root();
    let mut holders: Vec<(NodeId, bool)> = vec![(root.id(), false)];
    let flush =
        |text: &mut String, links: &mut usize, holder: (NodeId, bool), out: &mut Vec<Block>| {
            let collapsed = collapse_spaces(text);
            if !collapsed.is_empty() {
                out.push(Block {
                    links: (*links).min(collapsed.len()),
                    text: collapsed,
                    holder: holder.0,
                    title: holder.1,
                });
            }
            text.clear();
            *links = 0;
        };
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if skipped > 0 {
                        skipped += 1;
                        continue;
                    }
                    let wrapper = || {
                        sizes
                            .under
                            .get(&node.id())
                            .is_some_and(|&n| n * 2 >= sizes.page)
                    };
                    if is_hidden(e)
                        || is_boilerplate_tag(e)
                        || (is_boilerplate_class(e) && !wrapper())
                    {
                        skipped = 1;
                        if BLOCK_TAGS.contains(&e.name()) {
                            flush(&mut text, &mut links, holders[holders.len() - 1], &mut out);
                        }
                        continue;
                    }
                    let name = e.name();
                    if name == "br" {
                        flush(&mut text, &mut links, holders[holders.len() - 1], &mut out);
                    } else if name == "a" {
                        in_link += 1;
                    } else if name == "img" {
                        text.push(' ');
                    } else if BLOCK_TAGS.contains(&name) {
                        flush(&mut text, &mut links, holders[holders.len() - 1], &mut out);
                        holders.push((node.id(), name == "h1"));
                    }
                }
                Node::Text(t) if skipped == 0 => {
                    text.push_str(t);
                    if in_link > 0 {
                        links += t.trim().len();
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(e) = node.value().as_element() else {
                    continue;
                };
                if skipped > 0 {
                    skipped -= 1;
                    continue;
                }
                let name = e.name();
                if name == "a" {
                    in_link = in_link.saturating_sub(1);
                } else if BLOCK_TAGS.contains(&name) && holders.len() > 1 {
                    flush(&mut text, &mut links, holders[holders.len() - 1], &mut out);
                    holders.pop();
                }
            }
        }
    }
    flush(&mut text, &mut links, holders[holders.len() - 1], &mut out);
    out
}

/// What one element gathered from the blocks under it.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// Votes of the blocks under it.
    votes: f64,
    /// Bytes of text under it.
    text: usize,
    /// Bytes of link text under it.
    links: usize,
}

impl Tally {
    fn link_density(&self) -> f64 {
        if self.text == 0 {
            0.0
        } else {
            self.links as f64 / self.text as f64
        }
    }
}

/// Which blocks make the body, with blocks of `min_scored` bytes or more voting; `None` when
/// none is that long.
fn choose(document: &Html, blocks: &[Block], min_scored: usize) -> Option<Vec<bool>> {
    let mut tallies: FxHashMap<NodeId, Tally> = FxHashMap::default();
    for block in blocks {
        let Some(holder) = document.tree.get(block.holder) else {
            continue;
        };
        let len = block.text.len();
        let votes = if len >= min_scored && !block.title {
            1.0 + block.text.matches(',').count() as f64 + (len as f64 / 100.0).min(3.0)
        } else {
            0.0
        };
        for (level, node) in std::iter::once(holder)
            .chain(holder.ancestors())
            .enumerate()
        {
            let tally = tallies.entry(node.id()).or_default();
            tally.text += len;
            tally.links += block.links;
            // The holder itself is the paragraph: its parent is the first to gain.
            tally.votes += match level {
                0 => 0.0,
                1 => votes,
                2 => votes / 2.0,
                n => votes / ((n - 1) as f64 * 3.0),
            };
        }
    }
    let score = |id: NodeId, tally: &Tally| -> f64 {
        let weight = document
            .tree
            .get(id)
            .and_then(|n| n.value().as_element())
            .map_or(0.0, element_weight);
        (tally.votes + weight) * (1.0 - tally.link_density())
    };
    let mut ranked: Vec<(NodeId, f64)> = tallies
        .iter()
        .filter(|(_, t)| t.votes > 0.0)
        .map(|(id, t)| (*id, score(*id, t)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let &(mut top, mut top_score) = ranked.first()?;
    // Text cut into sibling parts scores each part alone: when three of the next candidates
    // come close to the top one, their nearest common ancestor with it is the article.
    let close: Vec<NodeId> = ranked[1..ranked.len().min(TOP_CANDIDATES)]
        .iter()
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|(id, _)| *id)
        .collect();
    if close.len() >= 3
        && let Some(top_node) = document.tree.get(top)
    {
        for ancestor in top_node.ancestors() {
            let holds = close
                .iter()
                .filter(|id| {
                    document
                        .tree
                        .get(**id)
                        .is_some_and(|n| n.ancestors().any(|a| a.id() == ancestor.id()))
                })
                .count();
            if holds >= 3 {
                top = ancestor.id();
                top_score = tallies.get(&top).map_or(top_score, |t| score(top, t));
                break;
            }
        }
    }
    // The top candidate and the siblings that look like more of it.
    let mut chosen_roots = vec![top];
    let threshold = (top_score * 0.2).max(10.0);
    if let Some(parent) = document.tree.get(top).and_then(|n| n.parent()) {
        for sibling in parent.children().filter(|s| s.id() != top) {
            let Some(tally) = tallies.get(&sibling.id()) else {
                continue;
            };
            let density = tally.link_density();
            let paragraph = sibling
                .value()
                .as_element()
                .is_some_and(|e| e.name() == "p")
                && tally.text >= 80
                && density < 0.25;
            if score(sibling.id(), tally) >= threshold || paragraph {
                chosen_roots.push(sibling.id());
            }
        }
    }
    let chosen = blocks
        .iter()
        .map(|b| {
            !b.title
                && keeps(b)
                && document.tree.get(b.holder).is_some_and(|h| {
                    std::iter::once(h)
                        .chain(h.ancestors())
                        .any(|a| chosen_roots.contains(&a.id()))
                })
        })
        .collect();
    Some(chosen)
}

/// Whether a block inside the chosen part is article text: not mostly links, not furniture.
fn keeps(block: &Block) -> bool {
    let density = if block.text.is_empty() {
        1.0
    } else {
        block.links as f64 / block.text.len() as f64
    };
    density <= 0.5 && !is_furniture(&block.text)
}

/// The head start of an element as a candidate: article-like tags and class words gain, list
/// and heading tags and boilerplate words lose.
fn element_weight(e: &Element) -> f64 {
    let tag = match e.name() {
        "article" | "main" => 10.0,
        "div" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "li" | "dl" | "dd" | "dt" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    let mut words = 0.0;
    if e.attr("itemprop") == Some("articleBody") {
        words += 25.0;
    }
    if class_words(e).any(|w| CONTENT_WORDS.contains(&w.as_str())) {
        words += 25.0;
    }
    if class_words(e).any(|w| BOILERPLATE_WORDS.contains(&w.as_str())) {
        words -= 25.0;
    }
    tag + words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> String {
        let document = Html::parse_document(html);
        body_paragraphs(&document, &[]).join("\n\n")
    }

    const LONG: &str = "The council voted on Tuesday, after a long debate, to close the old bridge to \
                        traffic, the mayor said.";

    #[test]
    fn text_outside_paragraphs_is_read() {
        let cases = [
            (
                format!(
                    "<div class=nav><a href=/>Home</a></div><div class=story><div>{LONG}</div>\
                     <div>Second part, in a div, of the story.</div></div>"
                ),
                format!("{LONG}\n\nSecond part, in a div, of the story."),
            ),
            (
                format!("<article>{LONG}<br><br>A line after a break, with more words.</article>"),
                format!("{LONG}\n\nA line after a break, with more words."),
            ),
            (
                format!(
                    "<article><p>{LONG}</p><ul><li>First point, with its words.</li>\
                     <li>Second point.</li></ul></article>"
                ),
                format!("{LONG}\n\nFirst point, with its words.\n\nSecond point."),
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(body(&html), expected, "html {html}");
        }
    }

    #[test]
    fn a_wrapper_holding_most_of_the_page_is_not_boilerplate() {
        // A page-wide wrapper with an advertising-like class, and a page wrapped in a form.
        let cases = [
            format!(
                "<body><div class=\"ad-wrapper\"><article><p>{LONG}</p><p>{LONG}</p></article>\
                 <div class=ad>Buy now, with a discount, today only, everything must go.</div>\
                 </div></body>"
            ),
            format!(
                "<body><form action=/x><article><p>{LONG}</p><p>{LONG}</p></article></form></body>"
            ),
            format!(
                "<body><div class=\"post-share-container\"><div class=content><p>{LONG}</p>\
                 <p>{LONG}</p></div></div><nav>Home, World, Sport, Business, Culture, More</nav></body>"
            ),
        ];
        for html in cases {
            assert_eq!(body(&html), format!("{LONG}\n\n{LONG}"), "html {html}");
        }
    }

    #[test]
    fn the_best_block_wins_over_link_lists_and_asides() {
        let links: String = (0..30)
            .map(|i| {
                format!("<li><a href=/{i}>Another story, number {i}, with a long title</a></li>")
            })
            .collect();
        let html = format!(
            "<body><ul class=list>{links}</ul><div id=main><h1>Title</h1><p>{LONG}</p>\
             <h2>What next</h2><p>{LONG}</p><p>Share this article</p>\
             <div class=related><p>Related: {LONG}</p></div></div>\
             <div class=comments><p>{LONG}</p></div></body>"
        );
        assert_eq!(body(&html), format!("{LONG}\n\nWhat next\n\n{LONG}"));
    }

    #[test]
    fn parts_of_one_text_in_sibling_wrappers_are_read_together() {
        let part = |n: usize| {
            format!(
                "<div class=section><div class=\"article-body-text\"><p>Part {n}. {LONG}</p>\
                 <p>{LONG}</p></div></div>"
            )
        };
        let html = format!(
            "<main><div class=grid>{}{}{}{}</div><div class=more><a href=/x>More</a></div></main>",
            part(1),
            part(2),
            part(3),
            part(4)
        );
        let got = body(&html);
        assert_eq!(got.split("\n\n").count(), 8, "{got}");
        assert!(
            got.starts_with("Part 1. ") && got.contains("\n\nPart 4. "),
            "{got}"
        );
    }

    #[test]
    fn a_long_json_ld_body_stands_in_for_text_drawn_by_a_script() {
        let text = format!("{LONG}\n{LONG}\n{LONG}\n{LONG}\n{LONG}");
        let ld = serde_json::json!({"@type": "NewsArticle", "articleBody": text});
        let cases = [
            // Only a teaser in the markup: the JSON-LD body.
            (format!("<article><p>{LONG}</p></article>"), 5),
            // The markup holds the text: the markup.
            (
                format!("<article>{}</article>", format!("<p>{LONG}</p>").repeat(4)),
                4,
            ),
        ];
        for (html, paragraphs) in cases {
            let document = Html::parse_document(&html);
            let got = body_paragraphs(&document, std::slice::from_ref(&ld));
            assert_eq!(got.len(), paragraphs, "html {html}");
            assert!(got.iter().all(|p| p == LONG));
        }
        // A teaser in JSON-LD never replaces the markup.
        let teaser = serde_json::json!({"articleBody": "Short."});
        let document = Html::parse_document(&format!("<p>{LONG}</p>"));
        assert_eq!(body_paragraphs(&document, &[teaser]), [LONG]);
    }

    #[test]
    fn hidden_and_control_text_is_never_read() {
        let html = format!(
            "<article><p>{LONG}</p><p hidden>Hidden text, in a paragraph.</p>\
             <p style=\"display: none\">Not shown, either.</p><button>Click, here</button>\
             <select><option>One</option></select><time>2 hours ago</time></article>"
        );
        assert_eq!(body(&html), LONG);
    }
}
