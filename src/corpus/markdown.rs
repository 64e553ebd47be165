//! Markdown articles: optional YAML (`---`) or TOML (`+++`) front matter of simple `key: value`
//! / `key = "value"` lines, then a body whose Markdown syntax is removed (heading markers,
//! emphasis, links kept as their text, images dropped).

use crate::article::{Article, ArticleId, Place};

use super::date::parse_date;
use super::record::{Record, Slot, collapse_spaces, first_sentence, language_code};

/// Splits off front matter: `(front matter, body)`.
fn split_front_matter(text: &str) -> (Record, &str) {
    let mut front = Record::default();
    let start = text.trim_start_matches('\n');
    let (fence, toml) = if start.starts_with("---\n") {
        ("---", false)
    } else if start.starts_with("+++\n") {
        ("+++", true)
    } else {
        return (front, text);
    };
    let inner = &start[4..];
    let mut offset = 0;
    let mut end = None;
    for line in inner.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == fence || (!toml && bare == "...") {
            end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close, after)) = end else {
        return (front, text);
    };
    let mut list_key: Option<String> = None;
    let mut list: Vec<String> = Vec::new();
    let mut in_table = false;
    for line in inner[..close].lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed.strip_prefix("- ").filter(|_| list_key.is_some()) {
            list.push(unquote(item));
            continue;
        }
        if let Some(key) = list_key.take() {
            front.set(&key, collapse_spaces(&list.join(", ")));
            list.clear();
        }
        if line.starts_with([' ', '\t']) || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if toml && trimmed.starts_with('[') {
            in_table = true;
            continue;
        }
        let separator = if toml { '=' } else { ':' };
        let Some((key, value)) = trimmed.split_once(separator) else {
            continue;
        };
        if in_table {
            continue;
        }
        let (key, value) = (key.trim(), value.trim());
        if value.is_empty() && !toml {
            list_key = Some(key.to_string());
        } else if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items: Vec<String> = items.split(',').map(unquote).collect();
            front.set(key, collapse_spaces(&items.join(", ")));
        } else {
            front.set(key, collapse_spaces(&unquote(value)));
        }
    }
    if let Some(key) = list_key {
        front.set(&key, collapse_spaces(&list.join(", ")));
    }
    (front, &start[4 + after..])
}

/// A value without surrounding quotes (and without a trailing `# comment` when unquoted).
fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote)
            && let Some(end) = inner.find(quote)
        {
            return inner[..end].to_string();
        }
    }
    match value.find(" #") {
        Some(comment) => value[..comment].trim().to_string(),
        None => value.to_string(),
    }
}

/// One block of the body.
#[derive(Debug, PartialEq)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
}

/// The blocks of a Markdown body, syntax removed.
fn blocks(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let flush = |current: &mut Vec<String>, out: &mut Vec<Block>| {
        let text = collapse_spaces(&inline(&current.join(" ")));
        if !text.is_empty() {
            out.push(Block::Paragraph(text));
        }
        current.clear();
    };
    for raw in body.lines() {
        let line = raw.trim();
        if let Some(open) = fence {
            if line.starts_with(open) {
                fence = None;
                flush(&mut current, &mut out);
            } else {
                current.push(line.to_string());
            }
            continue;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            flush(&mut current, &mut out);
            fence = Some(&line[..3]);
            continue;
        }
        let mut line = line;
        while let Some(rest) = line.strip_prefix('>') {
            line = rest.trim_start();
        }
        let rule = line.len() >= 3
            && line.chars().next().is_some_and(|c| "-*_=".contains(c))
            && line.chars().all(|c| c == ' ' || line.starts_with(c));
        if rule {
            let underline = line.starts_with(['=', '-']) && current.len() == 1;
            if underline {
                let level = if line.starts_with('=') { 1 } else { 2 };
                let text = collapse_spaces(&inline(&current.remove(0)));
                out.push(Block::Heading(level, text));
            } else {
                flush(&mut current, &mut out);
            }
            continue;
        }
        if line.is_empty() || is_reference_definition(line) || line.starts_with("<!--") {
            flush(&mut current, &mut out);
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            flush(&mut current, &mut out);
            let text = line[hashes..].trim().trim_end_matches('#').trim();
            out.push(Block::Heading(hashes, collapse_spaces(&inline(text))));
            continue;
        }
        if let Some(item) = list_item(line) {
            flush(&mut current, &mut out);
            current.push(item.to_string());
            continue;
        }
        current.push(line.to_string());
    }
    flush(&mut current, &mut out);
    out
}

/// `[ref]: https://...`
fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[') && line.contains("]:") && !line.contains("](")
}

/// The text of a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        return rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") "));
    }
    None
}

/// How far (in characters) a closing bracket, backtick run or `>` is looked for, so that
/// unbalanced syntax costs linear time.
const MAX_SPAN: usize = 1000;

/// Inline syntax removed: links become their text, images and HTML tags go, emphasis and code
/// markers go, backslash escapes are resolved.
fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let closing = |from: usize, open: char, close: char| -> Option<usize> {
        let mut depth = 0usize;
        for (j, c) in chars.iter().enumerate().skip(from).take(MAX_SPAN) {
            if *c == open {
                depth += 1;
            } else if *c == close {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.extend(next);
                i += 2;
            }
            '!' if next == Some('[') => match link_end(&chars, i + 1, &closing) {
                Some((_, end)) => i = end,
                None => {
                    out.push('!');
                    i += 1;
                }
            },
            '[' => match link_end(&chars, i, &closing) {
                Some((label_end, end)) => {
                    let label: String = chars[i + 1..label_end].iter().collect();
                    out.push_str(&inline(&label));
                    i = end;
                }
                None => {
                    out.push('[');
                    i += 1;
                }
            },
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let close = (i + run..chars.len().min(i + run + MAX_SPAN)).find(|&j| {
                    chars[j..].iter().take_while(|c| **c == '`').count() == run
                        && chars.get(j.wrapping_sub(1)) != Some(&'`')
                });
                match close {
                    Some(j) => {
                        out.extend(&chars[i + run..j]);
                        i = j + run;
                    }
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            '<' => match chars[i..].iter().take(MAX_SPAN).position(|c| *c == '>') {
                Some(len)
                    if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') =>
                {
                    let tag: String = chars[i + 1..i + len].iter().collect();
                    if tag.starts_with("http://") || tag.starts_with("https://") {
                        out.push_str(&tag);
                    }
                    i += len + 1;
                }
                _ => {
                    out.push('<');
                    i += 1;
                }
            },
            '*' | '_' | '~' => {
                let run = chars[i..].iter().take_while(|x| **x == c).count();
                let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
                let after = chars.get(i + run).copied();
                let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
                let space = |x: Option<char>| x.is_none_or(char::is_whitespace);
                let marker = if c == '_' {
                    !(word(before) && word(after))
                } else {
                    !(space(before) && space(after))
                };
                if !marker || (c == '~' && run == 1) {
                    out.extend(&chars[i..i + run]);
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// For a `[` at `open`: the index of its `]` and the index just past `(url)` or `[ref]`, when
/// the brackets form a link.
fn link_end(
    chars: &[char],
    open: usize,
    closing: &dyn Fn(usize, char, char) -> Option<usize>,
) -> Option<(usize, usize)> {
    let label_end = closing(open, '[', ']')?;
    match chars.get(label_end + 1) {
        Some('(') => Some((label_end, closing(label_end + 1, '(', ')')? + 1)),
        Some('[') => Some((label_end, closing(label_end + 1, '[', ']')? + 1)),
        _ => None,
    }
}

/// Parses a Markdown file into its one article, or `None` when it holds no text.
pub(crate) fn parse(text: &str, rel_path: &str) -> Option<Article> {
    let (front, body) = split_front_matter(text);
    let mut blocks = blocks(body);
    let text_of = |slot| front.get(slot).map(str::to_string);
    let mut title = text_of(Slot::Title);
    let first_h1 = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(1, _)));
    match (&title, first_h1) {
        (None, Some(at)) => {
            if let Block::Heading(_, text) = blocks.remove(at) {
                title = Some(text);
            }
        }
        (Some(t), Some(at)) if matches!(&blocks[at], Block::Heading(_, h) if h == t) => {
            blocks.remove(at);
        }
        _ => {}
    }
    let body: Vec<String> = blocks
        .into_iter()
        .map(|b| match b {
            Block::Heading(_, text) | Block::Paragraph(text) => text,
        })
        .filter(|t| !t.is_empty())
        .collect();
    let body = body.join("\n\n");
    let title = title.unwrap_or_else(|| first_sentence(&body));
    if title.is_empty() && body.is_empty() {
        return None;
    }
    let id = text_of(Slot::Id).map_or_else(|| ArticleId::derived(rel_path, 0), ArticleId);
    Some(Article {
        id,
        path: rel_path.to_string(),
        title,
        subtitle: text_of(Slot::Subtitle).or_else(|| text_of(Slot::Description)),
        byline: text_of(Slot::Author),
        published: front.get(Slot::Date).and_then(parse_date),
        source: text_of(Slot::Source),
        url: text_of(Slot::Url),
        lang: front.get(Slot::Lang).map(language_code),
        body,
        place: Place::File,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: \"Talks in Washington\"\ndate: 2026-11-26T01:11:00Z\nauthors:\n  - Jane Doe\n  - 'John Roe'\nsource: Example News\nurl: https://example.com/a\nlang: en\ntags: [trade, minerals]\ndescription: A dek.\nparams:\n  nested: ignored\n---\n\n# Talks in Washington\n\nFirst **bold** and _italic_ words,\nsoft-wrapped.\n\n## A crosshead\n\nSee [the report](https://example.com/r \"t\") and ![chart](c.png) `code` here.\n";
        let a = parse(text, "a.md").expect("article");
        assert_eq!(a.title, "Talks in Washington");
        assert_eq!(a.subtitle.as_deref(), Some("A dek."));
        assert_eq!(a.byline.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.id, ArticleId::derived("a.md", 0));
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2026-11-26T01:11:00Z")
        );
        assert_eq!(
            a.body,
            "First bold and italic words, soft-wrapped.\n\nA crosshead\n\nSee the report and code here."
        );
    }

    #[test]
    fn toml_front_matter_with_id() {
        let text = "+++\ntitle = \"Rates cut\"\nid = \"rates-2026\"\ndate = \"Nov 26, 2026\"\nauthor = \"Jane Doe\" # staff\n[extra]\ntitle = \"not this\"\n+++\nThe bank cut rates.\n";
        let a = parse(text, "b.md").expect("article");
        assert_eq!(a.title, "Rates cut");
        assert_eq!(a.id, ArticleId("rates-2026".into()));
        assert_eq!(a.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2026-11-26T00:00:00Z")
        );
        assert_eq!(a.body, "The bank cut rates.");
    }

    #[test]
    fn title_from_first_heading_without_front_matter() {
        let cases = [
            ("# Heading one\n\nBody.", "Heading one", "Body."),
            (
                "Setext title\n============\n\nBody.",
                "Setext title",
                "Body.",
            ),
            (
                "Intro.\n\n# Later heading #\n\nMore.",
                "Later heading",
                "Intro.\n\nMore.",
            ),
            (
                "No heading. Second.\n\n---\n\nAfter rule.",
                "No heading.",
                "No heading. Second.\n\nAfter rule.",
            ),
            (
                "- one\n- two\n\n1. three\n\n> quoted *text*",
                "one",
                "one\n\ntwo\n\nthree\n\nquoted text",
            ),
        ];
        for (text, title, body) in cases {
            let a = parse(text, "c.md").expect("article");
            assert_eq!(a.title, title, "text {text:?}");
            assert_eq!(a.body, body, "text {text:?}");
        }
    }

    #[test]
    fn inline_syntax_is_removed() {
        let cases = [
            ("**bold** and __strong__", "bold and strong"),
            ("snake_case_name stays", "snake_case_name stays"),
            ("5 * 3 = 15", "5 * 3 = 15"),
            ("~~gone~~ but ~ kept", "gone but ~ kept"),
            ("[link](https://x.org/a_(b)) text", "link text"),
            (
                "[ref link][1] and [plain] brackets",
                "ref link and [plain] brackets",
            ),
            ("![img](a.png)after", "after"),
            ("<https://x.org> and <b>tag</b>", "https://x.org and tag"),
            ("a \\*literal\\* star", "a *literal* star"),
            ("``code with ` tick``", "code with ` tick"),
            ("unclosed [bracket and `tick", "unclosed [bracket and `tick"),
            ("1 < 2 > 0", "1 < 2 > 0"),
        ];
        for (input, want) in cases {
            assert_eq!(inline(input), want, "input {input:?}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let a = parse("---\ntitle: x\nno end\n", "d.md").expect("article");
        assert_eq!(a.title, "title: x no end");
    }
}
