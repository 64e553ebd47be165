//! The local backend: a tantivy index in a folder, read through [`crate::search`].

use std::collections::BTreeMap;

use super::{Engine, EngineError, Stats};
use crate::archive::stories_lookup::Lookup;
use crate::article::{StoredArticle, StoryRef};
use crate::index::document::is_copy;
use crate::index::schema::SCHEMA_VERSION;
use crate::index::state::indexed_files;
use crate::index::{NewsIndex, copies};
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{self, Filters, SearchRequest, SearchResults};

impl Engine for NewsIndex {
    fn location(&self) -> String {
        self.dir().display().to_string()
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        Ok(search::search(self, request)?)
    }

    fn timeline(
        &self,
        text: &str,
        filters: &Filters,
        granularity: Granularity,
    ) -> Result<Timeline, EngineError> {
        Ok(search::timeline::timeline(
            self,
            text,
            filters,
            granularity,
        )?)
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>, EngineError> {
        Ok(search::by_id(self, id)?)
    }

    fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, EngineError> {
        Ok(search::similar(self, id, request)?)
    }

    fn names(&self) -> Result<crate::archive::Names, EngineError> {
        crate::archive::load(self.dir()).map_err(archive_error)
    }

    fn stories(&self) -> Result<crate::archive::stories::Stories, EngineError> {
        crate::archive::stories_index::load(self.dir()).map_err(archive_error)
    }

    fn story_refs(&self, keys: &[u64]) -> Result<BTreeMap<u64, StoryRef>, EngineError> {
        let Some(lookup) = Lookup::open(self.dir()).map_err(archive_error)? else {
            return Ok(super::story_refs(&self.stories()?, keys));
        };
        let mut refs = BTreeMap::new();
        for &key in keys {
            if let Some(story) = lookup.story_of(key).map_err(archive_error)? {
                refs.insert(key, story);
            }
        }
        Ok(refs)
    }

    fn story_keys(&self, ids: &[String]) -> Result<Vec<u64>, EngineError> {
        match Lookup::open(self.dir()).map_err(archive_error)? {
            Some(lookup) => lookup.keys_of(ids).map_err(archive_error),
            None => Ok(self.stories()?.keys_of(ids)),
        }
    }

    fn stats(&self) -> Result<Stats, EngineError> {
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let files = indexed_files(&searcher).map_err(|source| self.error(source))?;
        let (articles, copies) =
            copies::counts(&searcher, self.fields()).map_err(|source| self.error(source))?;
        let info = self.commit_info();
        Ok(Stats {
            location: self.location(),
            articles,
            copies,
            files: files.len() as u64,
            size_bytes: folder_size(self.dir()),
            segments: searcher.segment_readers().len(),
            schema_version: SCHEMA_VERSION,
            last_indexed: info.as_ref().map(|info| info.last_indexed),
            corpus: info.map(|info| info.corpus),
        })
    }

    fn export(
        &self,
        each: &mut dyn FnMut(&StoredArticle) -> std::io::Result<()>,
    ) -> Result<u64, EngineError> {
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let fields = self.fields();
        let mut exported = 0;
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|source| self.error(source.into()))?;
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|alive| !alive.is_alive(doc_id)) {
                    continue;
                }
                let doc: tantivy::TantivyDocument =
                    store.get(doc_id).map_err(|source| self.error(source))?;
                if is_copy(fields, &doc) {
                    continue;
                }
                let stored = search::with_copies(&searcher, fields, &doc)?;
                each(&stored).map_err(EngineError::Output)?;
                exported += 1;
            }
        }
        Ok(exported)
    }
}

/// Bytes of the files under `dir`.
fn folder_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

fn archive_error(error: crate::archive::ArchiveError) -> EngineError {
    EngineError::Backend(Box::new(error))
}
