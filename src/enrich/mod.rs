//! Entity extraction: the people, countries and topics an article is about.

pub mod countries;

use crate::article::{Article, Entities};

/// Finds people, countries and topics in articles. Build once per process; `enrich` is cheap
/// and thread-safe.
#[derive(Debug, Default)]
pub struct Enricher {}

impl Enricher {
    /// An enricher with the gazetteers compiled into the binary.
    pub fn new() -> Enricher {
        Enricher {}
    }

    /// The entities of one article, each list ordered by salience.
    pub fn enrich(&self, article: &Article) -> Entities {
        let _ = article;
        Entities::default()
    }
}
