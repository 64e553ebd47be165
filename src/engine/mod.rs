//! The request layer: what every reading command (and the web server) asks of an index, as one
//! trait with a backend per kind of index. Commands build a request, call an [`Engine`] and hand
//! the plain results to a renderer; they never know which backend answered.
//!
//! - [`local`]: a tantivy index in a folder (`--index DIR`), the default.
//! - [`opensearch`]: an index on an OpenSearch cluster (`--index http://HOST:9200/NAME`).
//!
//! [`params`] parses the requests' parameter values, for the command line and the server alike.
//!
//! [`IndexLocation`] tells from the `--index` value which backend to open.

pub mod local;
pub mod opensearch;
pub mod params;
pub mod resolved;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use jiff::Timestamp;

use std::collections::BTreeMap;

use crate::article::{FacetKind, StoredArticle, StoryRef};
use crate::index::IndexError;
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{FacetCount, Filters, SearchError, SearchRequest, SearchResults};

/// Where an index lives, as given to `--index` or `NEWSDEX_INDEX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexLocation {
    /// A tantivy index in a folder.
    Folder(PathBuf),
    /// An index on an OpenSearch cluster: an `http://` or `https://` URL whose path names the
    /// index (`http://127.0.0.1:9200/news`).
    Cluster(String),
}

impl IndexLocation {
    /// The folder, for a local index.
    pub fn folder(&self) -> Option<&std::path::Path> {
        match self {
            IndexLocation::Folder(dir) => Some(dir),
            IndexLocation::Cluster(_) => None,
        }
    }
}

impl FromStr for IndexLocation {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<IndexLocation, Self::Err> {
        let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
        Ok(
            if lower.starts_with("http://") || lower.starts_with("https://") {
                IndexLocation::Cluster(value.to_string())
            } else {
                IndexLocation::Folder(PathBuf::from(value))
            },
        )
    }
}

impl fmt::Display for IndexLocation {
    /// The folder, or the URL without its user name and password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexLocation::Folder(dir) => write!(f, "{}", dir.display()),
            IndexLocation::Cluster(url) => f.write_str(&redact_userinfo(url)),
        }
    }
}

/// `url` with any `user:password@` removed, for messages.
pub fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    match url[scheme_end..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &url[scheme_end + at + 1..]),
        None => url.to_string(),
    }
}

/// What `facets --by` counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacetsBy {
    /// Values of an entity or keyword field.
    Kind(FacetKind),
    /// Publication periods, every period from the first to the last.
    Period(Granularity),
}

/// A request for a table of counts.
#[derive(Clone, Debug, PartialEq)]
pub struct FacetsRequest {
    /// Query text; empty counts every article.
    pub text: String,
    /// Filters.
    pub filters: Filters,
    /// The dimension.
    pub by: FacetsBy,
    /// Values kept for an entity or keyword dimension (periods are all kept).
    pub top: usize,
}

/// Counts of matching articles by one dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetTable {
    /// Matching articles in all.
    pub total: u64,
    /// Most frequent first (values), or oldest first (periods).
    pub buckets: Vec<FacetCount>,
}

/// What an index holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// Where the index is (a folder, or a URL without credentials).
    pub location: String,
    /// Articles, each once.
    pub articles: u64,
    /// Copies of articles held in other files.
    pub copies: u64,
    /// Corpus files indexed.
    pub files: u64,
    /// Bytes on disk (local) or of the primary store (cluster).
    pub size_bytes: u64,
    /// Segments (local) or shards (cluster).
    pub segments: usize,
    /// Schema version of the index.
    pub schema_version: u32,
    /// Time of the last commit, when recorded.
    pub last_indexed: Option<Timestamp>,
    /// Corpus folder of the last build, when recorded.
    pub corpus: Option<String>,
}

/// Errors of any backend.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A local search failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A local index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// Writing an exported article failed.
    #[error("cannot write the export: {0}")]
    Output(#[source] std::io::Error),
    /// Another backend failed; its message names the index.
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// One kind of index, read through the same requests and results.
pub trait Engine: Send + Sync {
    /// Where the index is, for messages (never with credentials).
    fn location(&self) -> String;

    /// Ranked hits, total and facet counts.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError>;

    /// Matching articles per period.
    fn timeline(
        &self,
        text: &str,
        filters: &Filters,
        granularity: Granularity,
    ) -> Result<Timeline, EngineError>;

    /// The article with this id (a copy's id finds its article), with `also_at` filled in.
    fn article(&self, id: &str) -> Result<Option<StoredArticle>, EngineError>;

    /// Articles like the one with id `id`, with the request's filters and page; `None` when no
    /// article has that id.
    fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, EngineError>;

    /// What the index holds.
    fn stats(&self) -> Result<Stats, EngineError>;

    /// Calls `each` with every article (copies not separately: they are its `also_at`), in an
    /// order stable for an unchanged index, holding one article in memory at a time. Returns
    /// how many were passed.
    fn export(
        &self,
        each: &mut dyn FnMut(&StoredArticle) -> std::io::Result<()>,
    ) -> Result<u64, EngineError>;

    /// The names the archive stage resolved for this index (none before its first run).
    fn names(&self) -> Result<crate::archive::Names, EngineError> {
        Ok(crate::archive::Names::default())
    }

    /// The stories the archive stage placed this index's articles in (none before its first
    /// run, or where the backend keeps none).
    fn stories(&self) -> Result<crate::archive::stories::Stories, EngineError> {
        Ok(crate::archive::stories::Stories::default())
    }

    /// The story of each article with one of these text keys (an article in no story is left
    /// out). A backend that can look a key up reads only what the keys need; the default
    /// reads [`Engine::stories`] whole.
    fn story_refs(&self, keys: &[u64]) -> Result<BTreeMap<u64, StoryRef>, EngineError> {
        Ok(story_refs(&self.stories()?, keys))
    }

    /// The text keys of the articles of the stories `ids`, in key order (an id of no story
    /// adds none).
    fn story_keys(&self, ids: &[String]) -> Result<Vec<u64>, EngineError> {
        Ok(self.stories()?.keys_of(ids))
    }

    /// How many values of a facet one request may ask for (the request layer asks for every
    /// person and organisation value to count them by entity).
    fn facet_pool(&self) -> usize {
        usize::MAX
    }

    /// Counts by one dimension: facet values through [`Engine::search`], periods through
    /// [`Engine::timeline`].
    fn facets(&self, request: &FacetsRequest) -> Result<FacetTable, EngineError> {
        match request.by {
            FacetsBy::Kind(kind) => {
                let mut search = SearchRequest::new(&request.text);
                search.filters = request.filters.clone();
                search.limit = 0;
                search.facets = vec![kind];
                search.facet_top = request.top;
                let mut results = self.search(&search)?;
                Ok(FacetTable {
                    total: results.total,
                    buckets: results.facets.remove(&kind).unwrap_or_default(),
                })
            }
            FacetsBy::Period(granularity) => {
                let timeline = self.timeline(&request.text, &request.filters, granularity)?;
                Ok(FacetTable {
                    total: timeline.total,
                    buckets: timeline.buckets,
                })
            }
        }
    }
}

/// The story of each article of `keys` in `stories` (an article in no story is left out).
pub fn story_refs(
    stories: &crate::archive::stories::Stories,
    keys: &[u64],
) -> BTreeMap<u64, StoryRef> {
    keys.iter()
        .filter_map(|&key| Some((key, StoryRef::from(stories.of(key)?))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_location_is_a_cluster_only_for_http_urls() {
        assert_eq!(
            "index".parse::<IndexLocation>().unwrap(),
            IndexLocation::Folder(PathBuf::from("index"))
        );
        assert_eq!(
            "HTTPS://h:9200/news".parse::<IndexLocation>().unwrap(),
            IndexLocation::Cluster("HTTPS://h:9200/news".into())
        );
        assert_eq!(
            "http:/odd".parse::<IndexLocation>().unwrap(),
            IndexLocation::Folder(PathBuf::from("http:/odd"))
        );
    }

    #[test]
    fn userinfo_is_removed_from_urls_in_messages() {
        assert_eq!(
            redact_userinfo("https://admin:s3cr@t@h:9200/news?x=a@b"),
            "https://h:9200/news?x=a@b"
        );
        assert_eq!(redact_userinfo("http://h:9200/news"), "http://h:9200/news");
        assert_eq!(
            IndexLocation::Cluster("http://u:p@h/i".into()).to_string(),
            "http://h/i"
        );
        assert_eq!(redact_userinfo("no-scheme@x"), "no-scheme@x");
    }
}
