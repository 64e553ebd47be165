//! Bounding a web page before it is parsed: nesting past [`MAX_DEPTH`] is flattened,
//! attributes past [`MAX_ATTRIBUTES`] on one tag are dropped, and tags past the first
//! [`MAX_ELEMENTS`] elements are left out, keeping every word of text.
//!
//! An HTML parser looks down its stack of open elements at each tag ("is a `<p>` open in
//! button scope?"), and checks each attribute of a tag against the others, so 200,000 nested
//! `<div>`s or one tag with a million attributes cost the square of their number. One linear
//! pass over the markup keeps a stack of the elements it saw opened; a tag that would open an
//! element deeper than [`MAX_DEPTH`] is left out, and so is the end tag that closes it. Elements
//! whose end tag is optional (`p`, `li`, `td`...) and void elements (`br`, `img`...) do not
//! nest and are not counted. Comments and the contents of `<script>`, `<style>` and the other
//! raw-text elements are copied as they are.
//!
//! The parser's tree costs a few hundred bytes an element, so a page of a million tiny
//! paragraphs would take half a gigabyte: past [`MAX_ELEMENTS`] start tags, the first tag left
//! out becomes a `<p>` and every other one a space, so the rest of the text runs on in one
//! paragraph (scripts and styles past the budget are left out with their content).

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements nested deeper than this are flattened into their ancestor at this depth. Real news
/// pages stay under about 60.
pub(crate) const MAX_DEPTH: usize = 256;

/// Attributes kept on one tag; the others are dropped.
pub(crate) const MAX_ATTRIBUTES: usize = 256;

/// Elements (start tags) kept on one page; the tags after them are left out. A long news page
/// has a few thousand.
pub(crate) const MAX_ELEMENTS: usize = 100_000;

/// Elements without content: never on the stack.
const VOID: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the next sibling closes them, so they do not nest.
const OPTIONAL_END: [&str; 21] = [
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "caption", "colgroup", "rb", "rt", "rtc", "rp",
];

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// What one pass found and left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Bounded<'a> {
    /// The markup to parse: `html` itself when nothing was left out.
    pub text: Cow<'a, str>,
    /// Start tags left out for being too deep (their end tags go with them).
    pub flattened: usize,
    /// Attributes left out for being past the limit on their tag.
    pub dropped_attributes: usize,
    /// Tags left out for coming after the first [`MAX_ELEMENTS`] elements.
    pub unmarked: usize,
}

/// One tag as scanned: its name (lower case), whether it is an end tag, where it ends, and
/// where its attributes past the limit begin, if it has too many.
struct Tag {
    name: String,
    end: bool,
    len: usize,
    cut: Option<(usize, usize)>,
}

/// Returns `html` with nesting past [`MAX_DEPTH`] flattened, attributes past
/// [`MAX_ATTRIBUTES`] dropped and tags past [`MAX_ELEMENTS`] elements left out, in one pass.
pub(crate) fn bound(html: &str) -> Bounded<'_> {
    bound_with(html, MAX_DEPTH, MAX_ATTRIBUTES, MAX_ELEMENTS)
}

/// [`bound`] with the limits as parameters.
fn bound_with(
    html: &str,
    max_depth: usize,
    max_attributes: usize,
    max_elements: usize,
) -> Bounded<'_> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Copied up to here (into `out`, once something is left out).
    let mut copied = 0;
    let mut stack: Vec<String> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut too_deep: HashMap<String, usize> = HashMap::new();
    let mut result = Bounded::default();
    let mut elements = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        at = start + 1;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = find(html, start + 4, "-->").map_or(html.len(), |i| i + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            at = memchr(b'>', &bytes[start..]).map_or(html.len(), |i| start + i + 1);
            continue;
        }
        let Some(tag) = scan_tag(bytes, start, max_attributes) else {
            continue;
        };
        let tag_end = start + tag.len;
        at = tag_end;
        let name = tag.name;
        if elements >= max_elements {
            // Past the budget: the first tag left out becomes a `<p>` that holds the rest of the
            // text (the body is read from paragraphs), the others spaces; a script or style
            // goes with its content.
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            out.push_str(if result.unmarked == 0 { "<p>" } else { " " });
            copied = tag_end;
            result.unmarked += 1;
            if !tag.end && RAW_TEXT.contains(&name.as_str()) {
                let close = raw_text_end(html, tag_end, &name);
                at = memchr(b'>', &bytes[close..]).map_or(html.len(), |j| close + j + 1);
                copied = at;
            }
            continue;
        }
        elements += usize::from(!tag.end);
        let mut skip = false;
        if tag.end {
            if let Some(n) = too_deep.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                skip = true;
            } else if open.get(&name).is_some_and(|&n| n > 0) {
                while let Some(top) = stack.pop() {
                    if let Some(n) = open.get_mut(&top) {
                        *n -= 1;
                    }
                    if top == name {
                        break;
                    }
                }
            }
        } else if nests(&name) {
            if stack.len() >= max_depth {
                *too_deep.entry(name.clone()).or_default() += 1;
                skip = true;
            } else {
                *open.entry(name.clone()).or_default() += 1;
                stack.push(name.clone());
            }
        }
        if skip || tag.cut.is_some() {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            if skip {
                result.flattened += usize::from(!tag.end);
            } else if let Some((cut, dropped)) = tag.cut {
                out.push_str(&html[start..cut]);
                out.push('>');
                result.dropped_attributes += dropped;
            }
            copied = tag_end;
        }
        if !tag.end && RAW_TEXT.contains(&name.as_str()) && !skip {
            at = raw_text_end(html, tag_end, &name);
        }
    }
    result.text = match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    };
    result
}

/// Where the content of raw-text element `name` opened at `from` ends: at its matching end tag,
/// whatever it holds, or at the end of the text.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    find_ignore_case(html, from, &format!("</{name}")).unwrap_or(html.len())
}

/// Scans the tag starting at `bytes[start] == b'<'`; `None` when no tag starts there (a `<`
/// followed by a space or a digit is text). An unterminated tag runs to the end of the text.
fn scan_tag(bytes: &[u8], start: usize, max_attributes: usize) -> Option<Tag> {
    let mut i = start + 1;
    let end = bytes.get(i) == Some(&b'/');
    i += usize::from(end);
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_start = i;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = String::from_utf8_lossy(&bytes[name_start..i]).to_ascii_lowercase();
    let mut attributes = 0usize;
    let mut cut = None;
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        // One attribute: a name, then optionally `=` and a value.
        if attributes == max_attributes && cut.is_none() {
            cut = Some(i);
        }
        attributes += 1;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                i = memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |j| i + 1 + j + 1);
            }
            _ => {
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
    Some(Tag {
        name,
        end,
        len: i - start,
        cut: cut.map(|c| (c, attributes - max_attributes)),
    })
}

/// True for elements that can hold others nested to any depth (not void, raw text, or closed
/// by their next sibling).
fn nests(name: &str) -> bool {
    !VOID.contains(&name) && !OPTIONAL_END.contains(&name) && !RAW_TEXT.contains(&name)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// The position of `needle` in `text` at or after `from`.
fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| from + i)
}

/// The position of `needle` (ASCII, lower case) in `text` at or after `from`, in any case.
fn find_ignore_case(text: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = needle.as_bytes()[0];
    let mut at = from;
    while let Some(i) = memchr(first, &bytes[at..]) {
        let pos = at + i;
        if bytes
            .get(pos..pos + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
        {
            return Some(pos);
        }
        at = pos + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_left_as_it_is() {
        let pages = [
            "<html><body><div><p>One<p>Two</div></body></html>",
            "<ul><li>a<li>b</ul><br><img src=x.jpg><input value='a>b'>",
            "<script>if (a < b) { x = '<div>'; }</script><div>t</div>",
            "<!-- <div><div> --><p>x</p><!doctype html><?xml?>",
            "a < b and 3<4, <  div",
        ];
        for page in pages {
            let bounded = bound_with(page, 2, 3, 100);
            assert_eq!(bounded.text, Cow::Borrowed(page), "page {page}");
            assert!(matches!(bounded.text, Cow::Borrowed(_)));
            assert_eq!(bounded.flattened, 0);
        }
    }

    #[test]
    fn nesting_past_the_limit_is_flattened_keeping_the_text() {
        let page = "<div>a<div>b<DIV class=x>c<div>d</div>e</DIV>f</div>g</div>h";
        let bounded = bound_with(page, 2, 8, 100);
        assert_eq!(bounded.text, "<div>a<div>bcdef</div>g</div>h");
        assert_eq!(bounded.flattened, 2);
    }

    #[test]
    fn unclosed_nesting_is_flattened() {
        let page = "<div>".repeat(10) + "text";
        let bounded = bound_with(&page, 3, 8, 100);
        assert_eq!(bounded.text, "<div><div><div>text");
        assert_eq!(bounded.flattened, 7);
    }

    #[test]
    fn an_end_tag_closes_the_unclosed_elements_inside_it() {
        // The three <b>s are closed by </div>, so the next <div>s fit under the limit.
        let page = "<div><b><b><b></div><div><div>x</div></div>";
        let bounded = bound_with(page, 4, 8, 100);
        assert_eq!(bounded.text, page);
    }

    #[test]
    fn attributes_past_the_limit_are_dropped() {
        let page = "<p a=1 b='2 > 3' c d=\"4\" e=5>text</p>";
        let bounded = bound_with(page, 8, 2, 100);
        assert_eq!(bounded.text, "<p a=1 b='2 > 3' >text</p>");
        assert_eq!(bounded.dropped_attributes, 3);
    }

    #[test]
    fn raw_text_is_copied_even_past_the_limit() {
        let page = "<div><div><script>'<div><div>'</script><style>a<b</style>x</div></div>";
        let bounded = bound_with(page, 2, 8, 100);
        assert_eq!(bounded.text, page);
    }

    #[test]
    fn tags_past_the_element_budget_become_one_paragraph() {
        let page = "<p>one</p><p>two</p><p>three<script>x = '<p>';</script></p><p>four";
        let bounded = bound_with(page, 8, 8, 2);
        assert_eq!(bounded.text, "<p>one</p><p>two<p> three   four");
        assert_eq!(bounded.unmarked, 5);
        assert_eq!(bounded.flattened, 0);
    }

    #[test]
    fn a_million_paragraphs_keep_their_words_in_bounded_markup() {
        let page = "<p>Word.</p>".repeat(1_000_000);
        let bounded = bound(&page);
        assert_eq!(bounded.unmarked, 2 * 1_000_000 - 2 * MAX_ELEMENTS + 1);
        assert_eq!(bounded.text.matches("Word.").count(), 1_000_000);
        assert_eq!(bounded.text.matches("<p>").count(), MAX_ELEMENTS + 1);
    }

    #[test]
    fn work_is_linear_in_the_input() {
        // 90,000 levels (under the element budget): a quadratic pass would take minutes, this
        // takes milliseconds.
        let page = "<div>".repeat(90_000) + "deep text" + &"</div>".repeat(90_000);
        let bounded = bound(&page);
        assert_eq!(bounded.flattened, 90_000 - MAX_DEPTH);
        assert_eq!(
            bounded.text.len(),
            MAX_DEPTH * "<div></div>".len() + "deep text".len()
        );
    }
}
