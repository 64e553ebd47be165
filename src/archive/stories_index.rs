//! Stories kept beside a local index: which articles are live (from the text-key and copy
//! columns, never the stored text), the stored text of the articles not placed yet (and only
//! theirs), and [`STORIES_FILE`] in the index's folder.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Term};

use super::stories::{Incoming, Stories, StoriesReport, features};
use super::{ArchiveError, Names};
use crate::index::NewsIndex;
use crate::index::document::from_document;
use crate::index::schema::{COPY, TEXT_KEY};

/// The file beside the index (in its folder) holding the stories.
pub const STORIES_FILE: &str = "stories.json";

/// Version of [`STORIES_FILE`]'s format; a file of another version is built again.
const STORIES_VERSION: u32 = 1;

/// The stories of [`STORIES_FILE`] (its `version` is read first, on its own).
#[derive(serde::Deserialize)]
struct StoriesFile {
    archive: Stories,
}

/// Places the articles of the local `index` not placed yet (and removes those gone) in the
/// stories kept beside it, their people resolved by `names`; rewrites the file when anything
/// changed.
pub fn refresh(index: &NewsIndex, names: &Names) -> Result<StoriesReport, ArchiveError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = index.fields();
    let mut live: BTreeSet<u64> = BTreeSet::new();
    let mut addresses: HashMap<u64, DocAddress> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let (keys, copy) = (fast.u64(TEXT_KEY)?, fast.bool(COPY)?);
        for doc in 0..segment.max_doc() {
            if segment
                .alive_bitset()
                .is_some_and(|alive| !alive.is_alive(doc))
                || copy.first(doc) == Some(true)
            {
                continue;
            }
            if let Some(key) = keys.first(doc)
                && live.insert(key)
            {
                addresses.insert(key, DocAddress::new(ord as u32, doc));
            }
        }
    }
    let path = index.dir().join(STORIES_FILE);
    let existed = path.exists();
    let mut stories = load(index.dir())?;
    let (gone, fresh) = stories.changes(&live);

    let mut tokenizer = searcher.index().tokenizer_for_field(fields.body)?;
    let total = live.len() as u64;
    let mut frequencies: HashMap<String, u64> = HashMap::new();
    let mut incoming = Vec::with_capacity(fresh.len());
    for key in &fresh {
        let doc: tantivy::TantivyDocument = searcher.doc(addresses[key])?;
        let stored = from_document(fields, &doc);
        let mut words: Vec<String> = Vec::new();
        let mut title_words = 0;
        for (at, text) in [&stored.article.title, &stored.article.body]
            .into_iter()
            .enumerate()
        {
            let mut stream = tokenizer.token_stream(text);
            while let Some(token) = stream.next() {
                words.push(token.text.clone());
            }
            if at == 0 {
                title_words = words.len();
            }
        }
        let mut df = |term: &str| -> u64 {
            if let Some(&count) = frequencies.get(term) {
                return count;
            }
            // A headline's words need not be in its body: the more frequent field counts.
            let count = [fields.body, fields.title]
                .into_iter()
                .map(|field| {
                    searcher
                        .doc_freq(&Term::from_field_text(field, term))
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0);
            frequencies.insert(term.to_string(), count);
            count
        };
        let terms = features(&words, title_words, &mut df, total);
        let (people, _) = super::resolve_entities(names, &stored.entities);
        incoming.push(Incoming {
            key: *key,
            day: stored
                .article
                .published
                .map(|at| at.as_second().div_euclid(86_400)),
            title: stored.article.title.clone(),
            source: stored.article.source.clone(),
            people: people.into_iter().map(|person| person.name).collect(),
            countries: stored
                .entities
                .countries
                .iter()
                .map(|code| code.to_string())
                .collect(),
            terms,
        });
    }
    let (report, headless) = stories.update(&gone, &incoming);
    for id in headless {
        let key = stories
            .articles
            .iter()
            .find(|(_, member)| member.story == id)
            .map(|(key, _)| *key);
        if let Some(key) = key
            && let Some(address) = addresses.get(&key)
        {
            let doc: tantivy::TantivyDocument = searcher.doc(*address)?;
            stories.set_headline(&id, key, &from_document(fields, &doc).article.title);
        }
    }
    if !existed || !gone.is_empty() || !fresh.is_empty() {
        save(&path, &stories)?;
    }
    Ok(report)
}

/// The stories kept beside the index in `dir`; none when the stage has not placed any there
/// (or kept them in another version's format, which the next run builds again).
pub fn load(dir: &Path) -> Result<Stories, ArchiveError> {
    let path = dir.join(STORIES_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Stories::default()),
        Err(source) => {
            return Err(ArchiveError::Io {
                path,
                action: "read it",
                source,
            });
        }
    };
    match from_json(&bytes) {
        Ok(stories) => Ok(stories),
        Err(Some(message)) => Err(ArchiveError::Stories { path, message }),
        Err(None) => Ok(Stories::default()),
    }
}

/// Stories from the JSON of [`STORIES_FILE`]; `Err(None)` for a file of another version.
pub fn from_json(bytes: &[u8]) -> Result<Stories, Option<String>> {
    #[derive(serde::Deserialize)]
    struct Version {
        version: u32,
    }
    let version: Version = serde_json::from_slice(bytes).map_err(|e| Some(e.to_string()))?;
    if version.version != STORIES_VERSION {
        return Err(None);
    }
    let file: StoriesFile = serde_json::from_slice(bytes).map_err(|e| Some(e.to_string()))?;
    Ok(file.archive)
}

/// The JSON of [`STORIES_FILE`] for `stories`.
pub fn to_json(stories: &Stories) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        version: u32,
        archive: &'a Stories,
    }
    serde_json::to_vec(&Out {
        version: STORIES_VERSION,
        archive: stories,
    })
    .unwrap_or_default()
}

/// Writes `stories` to `path` atomically: a reader sees the old file or the new one.
fn save(path: &Path, stories: &Stories) -> Result<(), ArchiveError> {
    let tmp: PathBuf = path.with_extension("json.tmp");
    let io = |action| {
        move |source| ArchiveError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    };
    let mut file = std::fs::File::create(&tmp).map_err(io("create it"))?;
    file.write_all(&to_json(stories)).map_err(io("write it"))?;
    file.sync_all().map_err(io("write it"))?;
    std::fs::rename(&tmp, path).map_err(io("replace it"))
}
