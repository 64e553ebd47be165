//! The stories stage on a cluster: the live articles' text keys read by a composite
//! aggregation, the articles not placed yet fetched by key (and only they), and the stories
//! kept as one document of an index beside the articles (`NAME.stories` beside the alias
//! `NAME`), where every reader of the cluster finds them.
//!
//! Beside that document the same index keeps what a search reads, as small records fetched
//! by id ([`crate::archive::stories_lookup`]'s view): `key:K` names the story of the article
//! with text key K, `story:ID` holds a story's headline, size and keys, and `lookup` says the
//! records are complete. A run that changes the stories removes `lookup` first and writes it
//! again last, so a reader meanwhile (or after a run stopped half-way) reads the stories
//! document whole, and the next run writes every record again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::client::{Client, Method};
use super::document::{from_json, is_copy};
use super::names::{create_file_index, read_file_doc, write_file_doc};
use super::{OpenSearch, OpenSearchError};
use crate::archive::stories::{Stories, StoriesReport};
use crate::archive::stories_lookup::View;
use crate::archive::{ArchiveError, Names, stories_index};
use crate::article::{StoredArticle, StoryRef};

/// The id of the one document of the stories index.
const STORIES_DOC: &str = "stories";
/// Articles fetched by one request.
const FETCH_PAGE: usize = 500;
/// The id of the record saying the lookup records are complete.
const LOOKUP_DOC: &str = "lookup";
/// Records written by one `_bulk` request, or read by one `_mget`.
const LOOKUP_PAGE: usize = 2_000;

fn key_doc(key: u64) -> String {
    format!("key:{key}")
}

fn story_doc(id: &str) -> String {
    format!("story:{id}")
}

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
        let before = View::of(&stories);
        let (report, changed) = stories_index::place(&mut stories, &live, &mut fetch, names)?;
        let kept = self.lookup_kept().map_err(backend)?;
        if changed || !existed || !kept {
            let client = self.stories_client();
            create_file_index(&client).map_err(backend)?;
            if kept {
                self.remove_doc(LOOKUP_DOC).map_err(backend)?;
            }
            self.save_records(&before, &View::of(&stories), !kept)
                .map_err(backend)?;
            self.save_stories(&stories).map_err(backend)?;
            let path = format!("/{}/_doc/{LOOKUP_DOC}?refresh=true", client.index());
            client
                .send(Method::Put, &path, Some(&json!({"version": 1})))
                .map_err(backend)?;
        }
        Ok(report)
    }

    /// Whether the lookup records are complete.
    pub(super) fn lookup_kept(&self) -> Result<bool, OpenSearchError> {
        Ok(self
            .records(&[LOOKUP_DOC.to_string()], None)?
            .is_some_and(|docs| docs[0].is_some()))
    }

    fn remove_doc(&self, doc: &str) -> Result<(), OpenSearchError> {
        let client = self.stories_client();
        let path = format!("/{}/_doc/{doc}?refresh=true", client.index());
        match client.send(Method::Delete, &path, None) {
            Ok(_) => Ok(()),
            Err(error) if error.status() == Some(404) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Writes the records of `now`: on a `full` write every record again (the others are
    /// removed first), otherwise those that differ from `before`'s, removing those gone.
    fn save_records(&self, before: &View, now: &View, full: bool) -> Result<(), OpenSearchError> {
        let client = self.stories_client();
        if full {
            let path = format!(
                "/{}/_delete_by_query?refresh=true&conflicts=proceed",
                client.index()
            );
            let keep = json!([STORIES_DOC, LOOKUP_DOC]);
            let body = json!({"query": {"bool": {"must_not": {"ids": {"values": keep}}}}});
            client.send(Method::Post, &path, Some(&body))?;
        }
        let mut ops: Vec<String> = Vec::new();
        let index =
            |id: String, source: Value| format!("{}\n{}\n", json!({"index": {"_id": id}}), source);
        let delete = |id: String| format!("{}\n", json!({"delete": {"_id": id}}));
        for (&key, story) in &now.members {
            if full || before.members.get(&key) != Some(story) {
                ops.push(index(key_doc(key), json!({"story": story})));
            }
        }
        for &key in before.members.keys() {
            if !full && !now.members.contains_key(&key) {
                ops.push(delete(key_doc(key)));
            }
        }
        for (id, story) in &now.stories {
            if full || before.stories.get(id) != Some(story) {
                let keys: Vec<String> = story.keys.iter().map(u64::to_string).collect();
                let source = json!({
                    "headline": story.headline,
                    "articles": story.articles,
                    "keys": keys,
                });
                ops.push(index(story_doc(id), source));
            }
        }
        for id in before.stories.keys() {
            if !full && !now.stories.contains_key(id) {
                ops.push(delete(story_doc(id)));
            }
        }
        let path = format!("/{}/_bulk", client.index());
        for page in ops.chunks(LOOKUP_PAGE) {
            let answer = client.send_raw(
                Method::Post,
                &path,
                Some(("application/x-ndjson", &page.concat())),
            )?;
            if answer["errors"].as_bool() != Some(false) {
                let mut items = answer["items"].as_array().into_iter().flatten();
                let failed = items.find(|item| {
                    let Some((kind, result)) = item.as_object().and_then(|o| o.iter().next())
                    else {
                        return true;
                    };
                    let status = result["status"].as_u64().unwrap_or(0);
                    let gone = kind == "delete" && status == 404;
                    !(200..300).contains(&status) && !gone
                });
                if let Some(item) = failed {
                    return Err(client
                        .answer_error(&path, format!("a stories record was not written: {item}")));
                }
            }
        }
        Ok(())
    }

    /// The `_source` of the records `ids`, in the order asked (`None` for one not there);
    /// `None` when the stories index does not exist. `excludes` leaves out a field.
    fn records(
        &self,
        ids: &[String],
        excludes: Option<&str>,
    ) -> Result<Option<Vec<Option<Value>>>, OpenSearchError> {
        let client = self.stories_client();
        let mut path = format!("/{}/_mget", client.index());
        if let Some(field) = excludes {
            path.push_str("?_source_excludes=");
            path.push_str(field);
        }
        let mut found = Vec::with_capacity(ids.len());
        for page in ids.chunks(LOOKUP_PAGE) {
            let answer = match client.send(Method::Post, &path, Some(&json!({"ids": page}))) {
                Ok(answer) => answer,
                Err(error) if error.status() == Some(404) => return Ok(None),
                Err(error) => return Err(error),
            };
            let docs = answer["docs"].as_array().cloned().unwrap_or_default();
            if docs.len() != page.len() {
                return Err(
                    client.answer_error(&path, "the _mget answer does not list every record")
                );
            }
            found.extend(
                docs.into_iter().map(|mut doc| {
                    (doc["found"] == Value::Bool(true)).then(|| doc["_source"].take())
                }),
            );
        }
        Ok(Some(found))
    }

    /// The story of each article of `keys` from the records; `None` when they are not complete
    /// (stories kept by an older version, or a run under way): read the stories document then.
    pub fn lookup_refs(
        &self,
        keys: &[u64],
    ) -> Result<Option<BTreeMap<u64, StoryRef>>, OpenSearchError> {
        let mut ids = vec![LOOKUP_DOC.to_string()];
        ids.extend(keys.iter().map(|&key| key_doc(key)));
        let Some(docs) = self.records(&ids, None)? else {
            return Ok(Some(BTreeMap::new()));
        };
        if docs[0].is_none() {
            return Ok(None);
        }
        let members: Vec<(u64, String)> = keys
            .iter()
            .zip(&docs[1..])
            .filter_map(|(&key, doc)| {
                let story = doc.as_ref()?["story"].as_str()?;
                Some((key, story.to_string()))
            })
            .collect();
        let wanted: BTreeSet<&String> = members.iter().map(|(_, story)| story).collect();
        let wanted: Vec<String> = wanted.into_iter().cloned().collect();
        let story_ids: Vec<String> = wanted.iter().map(|id| story_doc(id)).collect();
        let docs = self.records(&story_ids, Some("keys"))?.unwrap_or_default();
        let stories: BTreeMap<&String, StoryRef> = wanted
            .iter()
            .zip(docs)
            .filter_map(|(id, doc)| {
                let doc = doc?;
                Some((
                    id,
                    StoryRef {
                        id: id.clone(),
                        headline: doc["headline"].as_str().unwrap_or_default().to_string(),
                        articles: doc["articles"].as_u64().unwrap_or(0) as u32,
                    },
                ))
            })
            .collect();
        Ok(Some(
            members
                .iter()
                .filter_map(|(key, story)| Some((*key, stories.get(story)?.clone())))
                .collect(),
        ))
    }

    /// The text keys of the stories `ids` from the records, in key order; `None` when they are
    /// not complete.
    pub fn lookup_keys(&self, ids: &[String]) -> Result<Option<Vec<u64>>, OpenSearchError> {
        let mut asked = vec![LOOKUP_DOC.to_string()];
        asked.extend(ids.iter().map(|id| story_doc(id)));
        let Some(docs) = self.records(&asked, None)? else {
            return Ok(Some(Vec::new()));
        };
        if docs[0].is_none() {
            return Ok(None);
        }
        let mut keys: Vec<u64> = docs[1..]
            .iter()
            .flatten()
            .flat_map(|doc| doc["keys"].as_array().cloned().unwrap_or_default())
            .filter_map(|key| key.as_str().and_then(|key| key.parse().ok()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Ok(Some(keys))
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
