//! Stories kept beside an index: which articles are live (locally from the text-key and copy
//! columns, never the stored text), the stored text of the articles not placed yet (and only
//! theirs), placed by [`place`] the same way for every backend, and [`STORIES_FILE`] in a
//! local index's folder (its JSON is what a cluster keeps, [`to_json`]), with the lookup a
//! search reads beside it ([`super::stories_lookup`]).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use tantivy::DocAddress;
use tantivy::tokenizer::TokenStream;

use rustc_hash::FxHashMap;

use super::stories::{Incoming, Stories, StoriesReport, is_feature, weigh};
use super::{ArchiveError, Names};
use crate::article::StoredArticle;
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
    let mut fetch = |keys: &[u64]| -> Result<Vec<(u64, StoredArticle)>, ArchiveError> {
        let mut read = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(address) = addresses.get(key) {
                let doc: tantivy::TantivyDocument = searcher.doc(*address)?;
                read.push((*key, from_document(fields, &doc)));
            }
        }
        Ok(read)
    };
    let (report, changed) = place(&mut stories, &live, &mut fetch, names)?;
    let lookup_kept = matches!(
        super::stories_lookup::Lookup::open(index.dir()),
        Ok(Some(_))
    );
    if !existed || changed || !lookup_kept {
        // The lookup first: a run stopped between the two leaves the stories file behind,
        // and the next run places its articles again and writes both.
        super::stories_lookup::save(index.dir(), &stories)?;
        save(&path, &stories)?;
    }
    Ok(report)
}

/// Articles read from the store at once while placing.
const READ_PAGE: usize = 2_048;

/// What placing keeps of an article read: its terms by number and their counts, and the
/// fields a story keeps.
struct Read {
    key: u64,
    day: Option<i64>,
    title: String,
    source: Option<String>,
    people: Vec<String>,
    countries: Vec<String>,
    counts: Vec<(u32, u32)>,
}

/// Reads the stored articles of the text keys asked: each with its key, in any order.
pub type Fetch<'a> = dyn FnMut(&[u64]) -> Result<Vec<(u64, StoredArticle)>, ArchiveError> + 'a;

/// Brings `stories` up to the articles with text keys `live`: removes the articles gone, reads
/// those not placed yet through `fetch` (the stored articles of the keys asked, in any order;
/// a key it cannot find is left out) and places them. Returns what was done and whether
/// anything changed. The same for every backend: the words come from the stage's own analyzer
/// and document frequencies.
pub fn place(
    stories: &mut Stories,
    live: &BTreeSet<u64>,
    fetch: &mut Fetch<'_>,
    names: &Names,
) -> Result<(StoriesReport, bool), ArchiveError> {
    let (gone, fresh) = stories.changes(live);
    if gone.is_empty() && fresh.is_empty() {
        let report = StoriesReport {
            stories: stories.stories.len(),
            grouped: stories.stories.values().filter(|s| s.articles > 1).count(),
            ..StoriesReport::default()
        };
        return Ok((report, false));
    }
    let mut analyzer = crate::index::stem::analyzer();
    // Every article's terms first (the document frequencies count the run's articles too),
    // each article kept as its distinct terms by number and their counts, the headline's
    // words counted twice, and the few fields a story keeps: never its text, for the articles
    // are read a page at a time.
    let mut terms: Vec<String> = Vec::new();
    let mut numbers: FxHashMap<String, u32> = FxHashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
    let mut read: Vec<Read> = Vec::with_capacity(fresh.len());
    for page in fresh.chunks(READ_PAGE) {
        let mut articles = fetch(page)?;
        articles.sort_by_key(|(key, _)| *key);
        articles.dedup_by_key(|(key, _)| *key);
        for (key, stored) in articles {
            tf.clear();
            for (at, text) in [&stored.article.title, &stored.article.body]
                .into_iter()
                .enumerate()
            {
                let mut stream = analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    if !is_feature(&token.text) {
                        continue;
                    }
                    let number = match numbers.get(token.text.as_str()) {
                        Some(&number) => number,
                        None => {
                            let number = terms.len() as u32;
                            df.push(stories.df.get(token.text.as_str()).copied().unwrap_or(0));
                            terms.push(token.text.clone());
                            numbers.insert(token.text.clone(), number);
                            number
                        }
                    };
                    *tf.entry(number).or_default() += if at == 0 { 2 } else { 1 };
                }
            }
            let counts: Vec<(u32, u32)> = tf.iter().map(|(&term, &count)| (term, count)).collect();
            for &(term, _) in &counts {
                df[term as usize] += 1;
            }
            let (people, _) = super::resolve_entities(names, &stored.entities);
            let entities = stored.entities;
            let article = stored.article;
            read.push(Read {
                key,
                day: article
                    .published
                    .map(|at| at.as_second().div_euclid(86_400)),
                title: article.title,
                source: article.source,
                people: people.into_iter().map(|person| person.name).collect(),
                countries: entities
                    .countries
                    .iter()
                    .map(|code| code.to_string())
                    .collect(),
                counts,
            });
        }
    }
    drop(numbers);
    for (term, &count) in terms.iter().zip(&df) {
        match stories.df.get_mut(term.as_str()) {
            Some(kept) => *kept = count,
            None => {
                stories.df.insert(term.clone(), count);
            }
        }
    }
    stories.read += read.len() as u64;
    let total = stories.read;
    // Each term's text once, shared by the articles holding it.
    let shared: Vec<Arc<str>> = terms.iter().map(|term| Arc::from(term.as_str())).collect();
    let mut incoming = Vec::with_capacity(read.len());
    for article in read {
        let terms = weigh(
            article.counts.iter().copied(),
            &mut |term| u64::from(df[term as usize]),
            &|term| terms[term as usize].as_str(),
            total,
        )
        .into_iter()
        .map(|(term, weight)| (Arc::clone(&shared[term as usize]), weight))
        .collect();
        incoming.push(Incoming {
            key: article.key,
            day: article.day,
            title: article.title,
            source: article.source,
            people: article.people,
            countries: article.countries,
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
            && let Some((_, stored)) = fetch(&[key])?.into_iter().next()
        {
            stories.set_headline(&id, key, &stored.article.title);
        }
    }
    Ok((report, true))
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
    super::write_atomically(path, &to_json(stories))
}
