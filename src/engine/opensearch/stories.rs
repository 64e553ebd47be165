//! The stories stage on a cluster: the live articles' text keys read by a composite
//! aggregation, the articles not placed yet fetched by key (and only they), and the stories
//! kept as one document of an index beside the articles (`NAME.stories` beside the alias
//! `NAME`), where every reader of the cluster finds them.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::client::{Client, Method};
use super::document::{from_json, is_copy};
use super::names::{read_file_doc, write_file_doc};
use super::{OpenSearch, OpenSearchError};
use crate::archive::stories::{Stories, StoriesReport};
use crate::archive::{ArchiveError, Names, stories_index};
use crate::article::StoredArticle;

/// The id of the one document of the stories index.
const STORIES_DOC: &str = "stories";
/// Articles fetched by one request.
const FETCH_PAGE: usize = 500;

impl OpenSearch {
    /// The index holding the stories of this one (`news.stories` for `news`).
    fn stories_client(&self) -> Client {
        self.client
            .with_index(&format!("{}.stories", self.client.index()))
    }

    /// The stories the archive stage kept for this index; none before its first run (or in
    /// another version's format, which the next run builds again).
    pub fn load_stories(&self) -> Result<Stories, OpenSearchError> {
        let client = self.stories_client();
        let Some((path, file)) = read_file_doc(&client, STORIES_DOC)? else {
            return Ok(Stories::default());
        };
        match stories_index::from_json(file.as_bytes()) {
            Ok(stories) => Ok(stories),
            Err(None) => Ok(Stories::default()),
            Err(Some(reason)) => Err(client.answer_error(
                &path,
                format!("{reason}; delete it and `newsdex index` writes the stories again"),
            )),
        }
    }

    /// Keeps `stories` in the stories index, creating it the first time.
    pub fn save_stories(&self, stories: &Stories) -> Result<(), OpenSearchError> {
        write_file_doc(
            &self.stories_client(),
            STORIES_DOC,
            &stories_index::to_json(stories),
        )
    }

    /// The text keys of the articles (a copy shares its article's key).
    fn live_keys(&self) -> Result<BTreeSet<u64>, OpenSearchError> {
        let mut keys = BTreeSet::new();
        let sources = json!([{"key": {"terms": {"field": "text_key"}}}]);
        self.each_bucket(sources, None, &mut |bucket| {
            if let Some(key) = bucket["key"]["key"].as_str().and_then(|k| k.parse().ok()) {
                keys.insert(key);
            }
        })?;
        Ok(keys)
    }

    /// The articles (not copies) with these text keys.
    fn articles_by_key(&self, keys: &[u64]) -> Result<Vec<(u64, StoredArticle)>, OpenSearchError> {
        let mut read = Vec::with_capacity(keys.len());
        for page in keys.chunks(FETCH_PAGE) {
            let values: Vec<String> = page.iter().map(u64::to_string).collect();
            let answer = self.search_raw(&json!({
                "size": page.len() * 2,
                "query": {"bool": {"filter": [
                    {"terms": {"text_key": values}},
                    {"term": {"copy": false}}
                ]}},
                "sort": [{"id": "asc"}]
            }))?;
            let hits = answer["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for hit in hits {
                let source = &hit["_source"];
                if is_copy(source) {
                    continue;
                }
                if let Some(key) = source["text_key"].as_str().and_then(|k| k.parse().ok()) {
                    read.push((key, from_json(source)));
                }
            }
        }
        Ok(read)
    }

    /// Places the articles not placed yet (and removes those gone) in the stories kept for
    /// this index, and keeps them again when anything changed.
    pub fn refresh_stories(&self, names: &Names) -> Result<StoriesReport, ArchiveError> {
        let backend = |error: OpenSearchError| ArchiveError::Backend(error.to_string());
        let mut stories = self.load_stories().map_err(backend)?;
        let existed = !stories.articles.is_empty() || self.stories_exist().map_err(backend)?;
        let live = self.live_keys().map_err(backend)?;
        let mut fetch = |keys: &[u64]| self.articles_by_key(keys).map_err(backend);
        let (report, changed) = stories_index::place(&mut stories, &live, &mut fetch, names)?;
        if changed || !existed {
            self.save_stories(&stories).map_err(backend)?;
        }
        Ok(report)
    }

    /// Whether the stories document exists.
    pub fn stories_exist(&self) -> Result<bool, OpenSearchError> {
        let client = self.stories_client();
        let path = format!("/{}/_doc/{STORIES_DOC}", client.index());
        match client.send(Method::Head, &path, None) {
            Ok(answer) => Ok(answer == Value::Bool(true)),
            Err(error) if error.status() == Some(404) => Ok(false),
            Err(error) => Err(error),
        }
    }
}
