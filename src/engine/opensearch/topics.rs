//! The archive's topics on a cluster: the articles read page by page, the topics the stage
//! decides written by partial updates (`_bulk` `update` of the topic fields alone), and the
//! model kept as a document of the names index beside the articles.

use serde_json::{Value, json};

use super::client::Method;
use super::names::{backend, read_file_doc, write_file_doc};
use super::{EXPORT_PAGE, OpenSearch, OpenSearchError, document};
use crate::archive::ArchiveError;
use crate::archive::topics::{self, TopicChange, TopicStore, TopicsFile};
use crate::article::StoredArticle;

/// The id of the model's document in the names index.
const TOPICS_DOC: &str = "topics";
/// Updates in one `_bulk` request.
const UPDATES_PER_REQUEST: usize = 1000;

impl OpenSearch {
    /// Rewrites the topic fields (`topic`, `topic_kw` with every ancestor) of each article of
    /// `changes`, by its `_id` (its file and place), and refreshes the index so that every reader sees them.
    pub fn set_topics(&self, changes: &[TopicChange]) -> Result<(), OpenSearchError> {
        if changes.is_empty() {
            return Ok(());
        }
        let path = format!("/{}/_bulk", self.client.index());
        for chunk in changes.chunks(UPDATES_PER_REQUEST) {
            let mut body = String::new();
            for change in chunk {
                let id = document::doc_id(&change.path, change.ordinal);
                let action = json!({"update": {"_id": id}});
                let doc = json!({"doc": {
                    "topic": change.topics,
                    "topic_kw": document::topic_ancestors(&change.topics),
                }});
                body.push_str(&action.to_string());
                body.push('\n');
                body.push_str(&doc.to_string());
                body.push('\n');
            }
            let answer =
                self.client
                    .send_raw(Method::Post, &path, Some(("application/x-ndjson", &body)))?;
            if answer["errors"].as_bool() == Some(true) {
                let reason = answer["items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find_map(|item| item["update"]["error"]["reason"].as_str())
                    .unwrap_or("no reason given");
                return Err(self
                    .client
                    .answer_error(&path, format!("an update of topics failed: {reason}")));
            }
        }
        self.client.send(
            Method::Post,
            &format!("/{}/_refresh", self.client.index()),
            None,
        )?;
        Ok(())
    }

    /// The topic model kept for this index; `None` before the stage's first run.
    pub fn load_topics(&self) -> Result<Option<TopicsFile>, OpenSearchError> {
        let client = self.names_client();
        let Some((path, file)) = read_file_doc(&client, TOPICS_DOC)? else {
            return Ok(None);
        };
        topics::from_json(file.as_bytes()).map_err(|reason| {
            client.answer_error(
                &path,
                format!("{reason}; `newsdex index` learns the topics again"),
            )
        })
    }

    /// Keeps `file` in the names index.
    pub fn save_topics(&self, file: &TopicsFile) -> Result<(), OpenSearchError> {
        write_file_doc(&self.names_client(), TOPICS_DOC, &topics::to_json(file))
    }
}

impl From<OpenSearchError> for ArchiveError {
    fn from(error: OpenSearchError) -> ArchiveError {
        backend(error)
    }
}

impl TopicStore for OpenSearch {
    fn each_article(
        &self,
        each: &mut dyn FnMut(StoredArticle) -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError> {
        let body = json!({
            "query": {"bool": {"filter": [{"term": {"copy": false}}]}},
            "sort": super::in_file_order()
        });
        self.for_each_page(body, EXPORT_PAGE, true, |hits: &[Value]| {
            for hit in hits {
                each(document::from_json(&hit["_source"]))?;
            }
            Ok::<(), ArchiveError>(())
        })
    }

    fn set_topics(&self, changes: &[TopicChange]) -> Result<(), ArchiveError> {
        Ok(OpenSearch::set_topics(self, changes)?)
    }

    fn load_topics(&self) -> Result<Option<TopicsFile>, ArchiveError> {
        Ok(OpenSearch::load_topics(self)?)
    }

    fn save_topics(&self, file: &TopicsFile) -> Result<(), ArchiveError> {
        Ok(OpenSearch::save_topics(self, file)?)
    }
}
