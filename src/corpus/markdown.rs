//! Markdown articles (not yet read: every Markdown file is reported as having no article).

use crate::article::Article;

/// Parses a Markdown file; not implemented yet.
pub(crate) fn parse(_text: &str, _rel_path: &str) -> Option<Article> {
    None
}
