//! The archive stage on a cluster: its evidence read by aggregations over the keyword fields,
//! and the names it resolved kept in an index of their own beside the articles
//! (`NAME.names` beside the alias `NAME`, one document), where every reader of the cluster
//! finds them.

use serde_json::{Value, json};

use super::client::{Client, Method};
use super::{OpenSearch, OpenSearchError};
use crate::archive::{self, ArchiveError, ArchiveStore, Evidence, Names};

/// The id of the one document of the names index.
const NAMES_DOC: &str = "names";

impl OpenSearch {
    /// The index holding the names of this one (`news.names` for `news`).
    pub(super) fn names_client(&self) -> Client {
        self.client
            .with_index(&format!("{}.names", self.client.index()))
    }

    /// The names the archive stage kept for this index; none before its first run.
    pub fn load_names(&self) -> Result<Names, OpenSearchError> {
        let client = self.names_client();
        let Some((path, file)) = read_file_doc(&client, NAMES_DOC)? else {
            return Ok(Names::default());
        };
        archive::from_json(file.as_bytes()).map_err(|reason| {
            client.answer_error(
                &path,
                format!("{reason}; `newsdex index` writes the names again"),
            )
        })
    }

    /// Keeps `names` in the names index, creating it the first time.
    pub fn save_names(&self, names: &Names) -> Result<(), OpenSearchError> {
        write_file_doc(&self.names_client(), NAMES_DOC, &archive::to_json(names))
    }

    /// The evidence of every article: the articles of each person, organisation and
    /// organisation-cue value, and the publication times of each person's dated articles.
    pub fn evidence(&self) -> Result<Evidence, OpenSearchError> {
        let mut evidence = Evidence::default();
        self.each_value("person_kw", true, &mut |value, bucket| {
            if let Some(count) = bucket["doc_count"].as_u64() {
                evidence.people.insert(value.to_string(), count);
            }
            let dated = &bucket["dated"];
            if let (Some(n), Some(sum)) = (dated["count"].as_u64(), dated["sum"].as_f64())
                && n > 0
            {
                // Milliseconds as the local index keeps them: whole seconds.
                let seconds = (sum / 1000.0).round() as i64;
                evidence
                    .person_dates
                    .insert(value.to_string(), (seconds, n));
            }
        })?;
        for (field, into) in [
            ("org_kw", &mut evidence.orgs),
            ("org_cue_kw", &mut evidence.org_cues),
        ] {
            self.each_value(field, false, &mut |value, bucket| {
                if let Some(count) = bucket["doc_count"].as_u64() {
                    into.insert(value.to_string(), count);
                }
            })?;
        }
        Ok(evidence)
    }

    /// Every value of the keyword `field` with its bucket; with `dated`, each bucket carries
    /// the `stats` of its articles' publication times under `dated`.
    fn each_value(
        &self,
        field: &str,
        dated: bool,
        each: &mut dyn FnMut(&str, &Value),
    ) -> Result<(), OpenSearchError> {
        let sources = json!([{"value": {"terms": {"field": field}}}]);
        let aggs = dated.then(|| json!({"dated": {"stats": {"field": "published"}}}));
        self.each_bucket(sources, aggs, &mut |bucket| {
            if let Some(value) = bucket["key"]["value"].as_str() {
                each(value, bucket);
            }
        })
    }
}

impl ArchiveStore for OpenSearch {
    fn evidence(&self) -> Result<Evidence, ArchiveError> {
        OpenSearch::evidence(self).map_err(backend)
    }

    fn load_names(&self) -> Result<Names, ArchiveError> {
        OpenSearch::load_names(self).map_err(backend)
    }

    fn save_names(&self, names: &Names) -> Result<(), ArchiveError> {
        OpenSearch::save_names(self, names).map_err(backend)
    }

    fn refresh_stories(
        &self,
        names: &Names,
    ) -> Result<Option<crate::archive::stories::StoriesReport>, ArchiveError> {
        OpenSearch::refresh_stories(self, names).map(Some)
    }

    fn stories_missing(&self) -> bool {
        !self.stories_exist().unwrap_or(true) || !self.lookup_kept().unwrap_or(true)
    }
}

/// The file kept as document `doc` of the index of `client` (a file index: `NAME.names`,
/// `NAME.stories`), with the path it was read from; `None` when the index or the document is
/// not there yet (before the stage's first run) or holds no file.
pub(super) fn read_file_doc(
    client: &Client,
    doc: &str,
) -> Result<Option<(String, String)>, OpenSearchError> {
    let path = format!("/{}/_doc/{doc}", client.index());
    let answer = match client.send(Method::Get, &path, None) {
        Ok(answer) => answer,
        Err(error) if error.status() == Some(404) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(answer["_source"]["file"]
        .as_str()
        .map(|file| (path, file.to_string())))
}

/// Keeps `bytes` (JSON) as document `doc` of the index of `client`, creating the index (one
/// shard, stored and never searched) when it is not there yet.
pub(super) fn write_file_doc(
    client: &Client,
    doc: &str,
    bytes: &[u8],
) -> Result<(), OpenSearchError> {
    let index = format!("/{}", client.index());
    create_file_index(client)?;
    let file = String::from_utf8_lossy(bytes);
    client.send(
        Method::Put,
        &format!("{index}/_doc/{doc}?refresh=true"),
        Some(&json!({ "file": file })),
    )?;
    Ok(())
}

/// Creates the file index of `client` (one shard, stored and never searched) when it is not
/// there yet.
pub(super) fn create_file_index(client: &Client) -> Result<(), OpenSearchError> {
    let index = format!("/{}", client.index());
    let exists = client.send(Method::Head, &index, None)? == Value::Bool(true);
    if !exists {
        let body = json!({
            "settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
            "mappings": {"dynamic": false, "properties": {}}
        });
        match client.send(Method::Put, &index, Some(&body)) {
            Ok(_) => {}
            // Another run created it in between.
            Err(error) if error.status() == Some(400) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

pub(super) fn backend(error: OpenSearchError) -> ArchiveError {
    ArchiveError::Backend(error.to_string())
}
