//! The archive stage: what no single article can tell, learned from the whole archive and kept
//! beside the index.
//!
//! Extraction (`enrich`) reads one article at a time: text in, entities out. This stage runs
//! after it, over what the index holds, and keeps its findings in files beside the index that
//! the request layer (`engine`) reads for filters, facets and every article it returns:
//!
//! - [`names`]: people resolved across the archive (one person, one name, one id; `Reagan` is
//!   `Ronald Reagan` where the archive says so) and the person values the archive shows to be
//!   organisations (`Merrill Lynch`), from the [`Evidence`] of the keyword columns
//!   ([`evidence`]).
//! - [`stories`]: the articles about one event grouped together over time, placed from their
//!   words, people, countries and dates, incrementally: a run reads the text of the articles
//!   it has not placed yet and rewrites only the stories they join or leave
//!   ([`stories_index`] keeps them beside a local index).
//! - [`topics`]: a model of topics learned from the articles extraction labels with
//!   confidence, which decides the unsure ones (run after the names, whose resolution it
//!   reads); the only part of the stage that rewrites articles, and only those whose topics
//!   change, so that topic filters and counts stay exact on every backend.
//!
//! The one entry point is [`refresh`], which `newsdex index` calls after every run (full,
//! nightly or a rebuild) on the index's [`ArchiveStore`]: it reads the evidence of the live
//! articles from the index's keyword columns (never their text; on OpenSearch by aggregations),
//! resolves, and keeps the names ([`NAMES_FILE`] beside a local index) only when the result
//! changed. Nothing in the index is rewritten: the resolution is applied when an
//! article, a filter or a facet is read, so a night whose evidence moves one surname changes
//! what that surname means for every article at once, at no cost per article. `extract` over a
//! folder or a JSON Lines file resolves across what it read through [`resolve`].

pub mod evidence;
pub mod names;
pub mod stories;
pub mod stories_index;
pub mod stories_lookup;
pub mod topics;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use names::{Entity, Evidence, NameKind, Names, Resolved};

use crate::article::{Entities, NameRef};
use crate::index::NewsIndex;

/// The file beside the index (in its folder) holding the resolved names.
pub const NAMES_FILE: &str = "names.json";

/// Version of [`NAMES_FILE`]'s format; a file of another version is resolved again.
const NAMES_VERSION: u32 = 1;

/// What a refresh found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveReport {
    /// Entities with more than one form, or person values read as organisations.
    pub resolved: usize,
    /// Person values that the archive reads as organisations.
    pub orgs_from_people: usize,
    /// Whether the names file was rewritten (the evidence changed the resolution).
    pub changed: bool,
    /// What the stories stage did, where the store keeps stories.
    pub stories: Option<stories::StoriesReport>,
}

/// Errors of the archive stage, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The names file could not be read or written.
    #[error("{path}: cannot {action}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The names file is not what this version writes.
    #[error(
        "{path}: not a names file of this version of newsdex ({message}); `newsdex index` writes it again"
    )]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The stories file is not what this version writes.
    #[error(
        "{path}: not a stories file of newsdex ({message}); delete it and `newsdex index` writes it again"
    )]
    Stories {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The index could not be read.
    #[error("cannot read the index for the archive stage: {0}")]
    Index(#[from] crate::index::IndexError),
    /// tantivy failed while reading the evidence.
    #[error("cannot read the names of the index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The user's gazetteers could not be read for the topics' extraction.
    #[error(transparent)]
    Enrich(#[from] crate::enrich::EnrichError),
    /// The cluster holding the index failed while the stage read or wrote.
    #[error("{0}")]
    Backend(String),
}

/// [`NAMES_FILE`]: its version and the entities (no flattening: serde would buffer the whole
/// file to read a flattened struct, at several times the cost).
#[derive(serde::Serialize, serde::Deserialize)]
struct NamesFile<E> {
    version: u32,
    entities: E,
}

/// Resolves the names of `evidence` with the people finder's lists of given and family names.
pub fn resolve(evidence: &Evidence) -> Names {
    let lists = names::NameLists {
        is_given_name: &crate::enrich::is_given_name,
        is_surname: &crate::enrich::is_surname,
    };
    names::resolve(evidence, &lists)
}

/// Where the stage reads its evidence and keeps what it found: the local index's folder
/// ([`Local`]) or a cluster's index beside the articles (the OpenSearch backend's store).
pub trait ArchiveStore: topics::TopicStore {
    /// The evidence of every live article.
    fn evidence(&self) -> Result<Evidence, ArchiveError>;
    /// The names kept by the last refresh; none before the first.
    fn load_names(&self) -> Result<Names, ArchiveError>;
    /// Keeps `names` so that every later reader sees them (or, on failure, the old ones).
    fn save_names(&self, names: &Names) -> Result<(), ArchiveError>;
    /// Places the articles not placed in a story yet (and removes those gone), their people
    /// resolved by `names`; `None` where the store keeps no stories.
    fn refresh_stories(
        &self,
        _names: &Names,
    ) -> Result<Option<stories::StoriesReport>, ArchiveError> {
        Ok(None)
    }
    /// Whether the store keeps stories but has none yet (a run then places every article).
    fn stories_missing(&self) -> bool {
        false
    }
}

/// The store of a local index: its keyword columns and [`NAMES_FILE`] in its folder.
pub struct Local<'a>(pub &'a NewsIndex);

impl ArchiveStore for Local<'_> {
    fn evidence(&self) -> Result<Evidence, ArchiveError> {
        let reader = self.0.reader()?;
        Ok(Evidence::from_index(&reader.searcher())?)
    }

    fn load_names(&self) -> Result<Names, ArchiveError> {
        load(self.0.dir())
    }

    fn save_names(&self, names: &Names) -> Result<(), ArchiveError> {
        save(&self.0.dir().join(NAMES_FILE), names)
    }

    fn refresh_stories(
        &self,
        names: &Names,
    ) -> Result<Option<stories::StoriesReport>, ArchiveError> {
        stories_index::refresh(self.0, names).map(Some)
    }

    fn stories_missing(&self) -> bool {
        let dir = self.0.dir();
        !dir.join(stories_index::STORIES_FILE).exists()
            || !dir.join(stories_lookup::LOOKUP_FILE).exists()
    }
}

/// Refreshes the stage: reads the evidence of the live articles, resolves, and keeps the
/// names again when the resolution changed.
pub fn refresh(store: &dyn ArchiveStore) -> Result<ArchiveReport, ArchiveError> {
    let names = resolve(&store.evidence()?);
    let changed = store.load_names().map_or(true, |old| old != names);
    if changed {
        store.save_names(&names)?;
    }
    let stories = store.refresh_stories(&names)?;
    Ok(ArchiveReport {
        resolved: names.entities.len(),
        orgs_from_people: names
            .entities
            .iter()
            .filter(|entity| entity.kind == NameKind::Org && !entity.person_forms.is_empty())
            .count(),
        changed,
        stories,
    })
}

/// Like [`refresh`], but a run that changed no article (`articles_changed` false) leaves names
/// already kept as they are: the evidence is the same, so the resolution is too (a newsdex with
/// other rules extracts every article again, which changes them). `None` when skipped.
pub fn refresh_after(
    store: &dyn ArchiveStore,
    articles_changed: bool,
) -> Result<Option<ArchiveReport>, ArchiveError> {
    if !articles_changed
        && !store.stories_missing()
        && store.load_names().is_ok_and(|names| !names.is_empty())
    {
        return Ok(None);
    }
    refresh(store).map(Some)
}

/// The names kept beside the index in `dir`; none when the stage has not run there yet.
pub fn load(dir: &Path) -> Result<Names, ArchiveError> {
    let path = dir.join(NAMES_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Names::default()),
        Err(source) => {
            return Err(ArchiveError::Io {
                path,
                action: "read it",
                source,
            });
        }
    };
    from_json(&bytes).map_err(|message| ArchiveError::Format { path, message })
}

/// Names from the JSON of [`NAMES_FILE`].
pub fn from_json(bytes: &[u8]) -> Result<Names, String> {
    let file: NamesFile<Vec<Entity>> =
        serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    if file.version != NAMES_VERSION {
        return Err(format!(
            "version {}, expected {NAMES_VERSION}",
            file.version
        ));
    }
    Ok(Names::new(file.entities))
}

/// The JSON of [`NAMES_FILE`] for `names`.
pub fn to_json(names: &Names) -> Vec<u8> {
    let file = NamesFile {
        version: NAMES_VERSION,
        entities: &names.entities,
    };
    serde_json::to_vec(&file).unwrap_or_default()
}

/// Writes `names` to `path` atomically: a reader sees the old file or the new one.
fn save(path: &Path, names: &Names) -> Result<(), ArchiveError> {
    write_atomically(path, &to_json(names))
}

/// Writes `bytes` to `path` atomically, through `path` with `.tmp` added to its name made
/// durable and renamed over it: a reader sees the old file or the new one. Errors name `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let io = |action| {
        move |source| ArchiveError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    };
    let mut file = std::fs::File::create(&tmp).map_err(io("create it"))?;
    file.write_all(bytes).map_err(io("write it"))?;
    file.sync_all().map_err(io("write it"))?;
    std::fs::rename(&tmp, path).map_err(io("replace it"))
}

/// The people and organisations of one article as the archive resolves its values: each
/// entity once, in the article's order of salience, with the forms the article used.
pub fn resolve_entities(names: &Names, entities: &Entities) -> (Vec<NameRef>, Vec<NameRef>) {
    let mut people: Vec<NameRef> = Vec::new();
    let mut orgs: Vec<NameRef> = Vec::new();
    let resolved = entities
        .people
        .iter()
        .map(|form| (form, names.person(form)))
        .chain(entities.orgs.iter().map(|form| (form, names.org(form))));
    for (form, entity) in resolved {
        let into = match entity.kind {
            NameKind::Person => &mut people,
            NameKind::Org => &mut orgs,
        };
        match into.iter_mut().find(|known| known.id == entity.id) {
            Some(known) => {
                if !known.forms.contains(form) {
                    known.forms.push(form.clone());
                }
            }
            None => into.push(NameRef {
                id: entity.id,
                name: entity.name.to_string(),
                forms: vec![form.clone()],
            }),
        }
    }
    (people, orgs)
}
