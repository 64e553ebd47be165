//! What a search needs of the stories, kept beside [`super::stories_index::STORIES_FILE`] in a
//! file read a few bytes at a time: an article's story (id, headline, size) by the article's
//! text key, and a story's text keys by its id. A search reads the entries of its hits only,
//! so its cost does not grow with the archive; the stage's working state (every story's term
//! vector, the document frequencies) stays in the stories file, read by the stage alone.
//!
//! The file, little-endian:
//!
//! | part | size |
//! |---|---|
//! | magic `NDXSTORY`, version `u32`, members `u32`, stories `u32`, zero `u32`, text bytes `u64` | 32 |
//! | members, by text key: key `u64`, story number `u32` | 12 each |
//! | stories, by id: text offset `u64`, id bytes `u32`, headline bytes `u32`, first key `u32`, keys `u32`, articles `u32` | 28 each |
//! | the keys of each story, in story order, each story's by key: `u64` | 8 each |
//! | the ids and headlines, one after the other | text bytes |

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::stories::Stories;
use crate::article::StoryRef;

/// The file beside the index holding the lookup.
pub const LOOKUP_FILE: &str = "stories.lookup";

const MAGIC: &[u8; 8] = b"NDXSTORY";
const VERSION: u32 = 1;
const HEADER: u64 = 32;
const MEMBER: u64 = 12;
const STORY: u64 = 28;
const KEY: u64 = 8;

/// The bytes of the lookup of `stories`: its [`View`], written as the tables above.
pub fn to_bytes(stories: &Stories) -> Vec<u8> {
    let view = View::of(stories);
    let numbers: std::collections::HashMap<&str, u32> = view
        .stories
        .keys()
        .enumerate()
        .map(|(at, id)| (id.as_str(), at as u32))
        .collect();
    let placed = view.members.len() as u32;
    let mut members = Vec::with_capacity(view.members.len() * MEMBER as usize);
    for (&key, id) in &view.members {
        members.extend_from_slice(&key.to_le_bytes());
        members.extend_from_slice(&numbers[id.as_str()].to_le_bytes());
    }
    let mut table = Vec::with_capacity(view.stories.len() * STORY as usize);
    let mut text = Vec::new();
    let mut first = 0u32;
    for (id, story) in &view.stories {
        table.extend_from_slice(&(text.len() as u64).to_le_bytes());
        table.extend_from_slice(&(id.len() as u32).to_le_bytes());
        table.extend_from_slice(&(story.headline.len() as u32).to_le_bytes());
        table.extend_from_slice(&first.to_le_bytes());
        table.extend_from_slice(&(story.keys.len() as u32).to_le_bytes());
        table.extend_from_slice(&story.articles.to_le_bytes());
        text.extend_from_slice(id.as_bytes());
        text.extend_from_slice(story.headline.as_bytes());
        first += story.keys.len() as u32;
    }
    let mut bytes = Vec::with_capacity(
        HEADER as usize + members.len() + table.len() + placed as usize * 8 + text.len(),
    );
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&placed.to_le_bytes());
    bytes.extend_from_slice(&(view.stories.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&members);
    bytes.extend_from_slice(&table);
    for key in view.stories.values().flat_map(|story| &story.keys) {
        bytes.extend_from_slice(&key.to_le_bytes());
    }
    bytes.extend_from_slice(&text);
    bytes
}

/// What the lookup holds, for a store that keeps it as records of its own (a cluster): each
/// article's story by text key, and each story's headline, size and keys.
#[derive(Debug, Default, PartialEq)]
pub struct View {
    /// The story id of each placed article, by text key.
    pub members: BTreeMap<u64, String>,
    /// The stories, by id.
    pub stories: BTreeMap<String, ViewStory>,
}

/// One story of a [`View`].
#[derive(Debug, PartialEq)]
pub struct ViewStory {
    /// The title of its most central article.
    pub headline: String,
    /// Its articles (copies not counted).
    pub articles: u32,
    /// The text keys of its articles, in order.
    pub keys: Vec<u64>,
}

impl View {
    /// The view of `stories` (a member of a story not kept is left out, as the file does).
    pub fn of(stories: &Stories) -> View {
        let mut view = View::default();
        for (id, story) in &stories.stories {
            view.stories.insert(
                id.clone(),
                ViewStory {
                    headline: story.headline.clone(),
                    articles: story.articles,
                    keys: Vec::new(),
                },
            );
        }
        for (&key, member) in &stories.articles {
            if let Some(story) = view.stories.get_mut(&member.story) {
                story.keys.push(key);
                view.members.insert(key, member.story.clone());
            }
        }
        view
    }
}

/// Writes the lookup of `stories` into `dir` atomically.
pub fn save(dir: &Path, stories: &Stories) -> Result<(), ArchiveError> {
    super::write_atomically(&dir.join(LOOKUP_FILE), &to_bytes(stories))
}

/// An open lookup file.
#[derive(Debug)]
pub struct Lookup {
    file: File,
    path: PathBuf,
    members: u64,
    stories: u64,
    text: u64,
}

/// One entry of the stories table.
struct Entry {
    text_at: u64,
    id_len: u32,
    headline_len: u32,
    first_key: u32,
    keys: u32,
    articles: u32,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

impl Lookup {
    /// The lookup kept in `dir`; `None` when there is none (an index whose stories were
    /// placed by an older version, or not yet). A file of the wrong size or kind is an error
    /// naming it.
    pub fn open(dir: &Path) -> Result<Option<Lookup>, ArchiveError> {
        let path = dir.join(LOOKUP_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ArchiveError::Io {
                    path,
                    action: "open it",
                    source,
                });
            }
        };
        let length = file
            .metadata()
            .map_err(|source| ArchiveError::Io {
                path: path.clone(),
                action: "read it",
                source,
            })?
            .len();
        let mut lookup = Lookup {
            file,
            path,
            members: 0,
            stories: 0,
            text: 0,
        };
        if length < HEADER {
            return Err(lookup.broken("shorter than its header"));
        }
        let header = lookup.read(0, HEADER as usize)?;
        if &header[..8] != MAGIC {
            return Err(lookup.broken("not a stories lookup"));
        }
        if u32_at(&header, 8) != VERSION {
            return Err(lookup.broken("another version's lookup"));
        }
        lookup.members = u64::from(u32_at(&header, 12));
        lookup.stories = u64::from(u32_at(&header, 16));
        lookup.text = u64_at(&header, 24);
        if lookup.text_at() + lookup.text != length {
            return Err(lookup.broken("its size does not match its header"));
        }
        Ok(Some(lookup))
    }

    fn broken(&self, message: &str) -> ArchiveError {
        ArchiveError::Stories {
            path: self.path.clone(),
            message: message.to_string(),
        }
    }

    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, ArchiveError> {
        let io = |source| ArchiveError::Io {
            path: self.path.clone(),
            action: "read it",
            source,
        };
        let mut file = &self.file;
        file.seek(SeekFrom::Start(at)).map_err(io)?;
        let mut bytes = vec![0u8; len];
        file.read_exact(&mut bytes).map_err(io)?;
        Ok(bytes)
    }

    fn table_at(&self) -> u64 {
        HEADER + self.members * MEMBER
    }

    fn keys_at(&self) -> u64 {
        self.table_at() + self.stories * STORY
    }

    fn text_at(&self) -> u64 {
        self.keys_at() + self.members * KEY
    }

    fn member(&self, at: u64) -> Result<(u64, u32), ArchiveError> {
        let bytes = self.read(HEADER + at * MEMBER, MEMBER as usize)?;
        Ok((u64_at(&bytes, 0), u32_at(&bytes, 8)))
    }

    fn entry(&self, number: u64) -> Result<Entry, ArchiveError> {
        if number >= self.stories {
            return Err(self.broken("a member names a story it does not hold"));
        }
        let bytes = self.read(self.table_at() + number * STORY, STORY as usize)?;
        let entry = Entry {
            text_at: u64_at(&bytes, 0),
            id_len: u32_at(&bytes, 8),
            headline_len: u32_at(&bytes, 12),
            first_key: u32_at(&bytes, 16),
            keys: u32_at(&bytes, 20),
            articles: u32_at(&bytes, 24),
        };
        if u64::from(entry.first_key) + u64::from(entry.keys) > self.members
            || entry.text_at + u64::from(entry.id_len) + u64::from(entry.headline_len) > self.text
        {
            return Err(self.broken("a story's entry points outside the file"));
        }
        Ok(entry)
    }

    fn text(&self, at: u64, len: u32) -> Result<String, ArchiveError> {
        let bytes = self.read(self.text_at() + at, len as usize)?;
        String::from_utf8(bytes).map_err(|_| self.broken("a story's text is not UTF-8"))
    }

    /// The story of the article with text key `key`.
    pub fn story_of(&self, key: u64) -> Result<Option<StoryRef>, ArchiveError> {
        let (mut low, mut high) = (0, self.members);
        while low < high {
            let middle = low + (high - low) / 2;
            let (found, number) = self.member(middle)?;
            match found.cmp(&key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    let entry = self.entry(u64::from(number))?;
                    let text = self.text(entry.text_at, entry.id_len + entry.headline_len)?;
                    let (id, headline) = text.split_at(entry.id_len as usize);
                    return Ok(Some(StoryRef {
                        id: id.to_string(),
                        headline: headline.to_string(),
                        articles: entry.articles,
                    }));
                }
            }
        }
        Ok(None)
    }

    /// The number of the story `id`.
    fn number_of(&self, id: &str) -> Result<Option<u64>, ArchiveError> {
        let (mut low, mut high) = (0, self.stories);
        while low < high {
            let middle = low + (high - low) / 2;
            let entry = self.entry(middle)?;
            let found = self.text(entry.text_at, entry.id_len)?;
            match found.as_str().cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Ok(Some(middle)),
            }
        }
        Ok(None)
    }

    /// The text keys of the articles of the stories `ids` (an id of no story adds none), in
    /// key order.
    pub fn keys_of(&self, ids: &[String]) -> Result<Vec<u64>, ArchiveError> {
        let mut keys = Vec::new();
        for id in ids {
            let Some(number) = self.number_of(id)? else {
                continue;
            };
            let entry = self.entry(number)?;
            let bytes = self.read(
                self.keys_at() + u64::from(entry.first_key) * KEY,
                entry.keys as usize * KEY as usize,
            )?;
            keys.extend(bytes.chunks_exact(8).map(|word| u64_at(word, 0)));
        }
        keys.sort_unstable();
        keys.dedup();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::stories::{Member, Story};

    fn story(id: &str, headline: &str, articles: u32) -> Story {
        Story {
            articles,
            terms: vec![("quake".to_string(), 1.0)],
            ..Story::empty(id.to_string(), headline, 0)
        }
    }

    fn sample() -> Stories {
        let mut stories = Stories::default();
        for (id, headline, articles) in [
            ("s00000000000b", "Quake hits Sumatra", 2),
            ("s00000000000a", "Zürich bank sold", 1),
            ("s00000000000c", "", 0),
        ] {
            stories
                .stories
                .insert(id.to_string(), story(id, headline, articles));
        }
        for (key, id) in [
            (90, "s00000000000b"),
            (7, "s00000000000a"),
            (u64::MAX, "s00000000000b"),
            (12, "s0000000000zz"),
        ] {
            stories.articles.insert(
                key,
                Member {
                    story: id.to_string(),
                    day: None,
                },
            );
        }
        stories
    }

    fn written(stories: &Stories) -> (tempfile::TempDir, Lookup) {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), stories).unwrap();
        let lookup = Lookup::open(dir.path()).unwrap().unwrap();
        (dir, lookup)
    }

    #[test]
    fn each_key_finds_what_the_stories_give_it_and_nothing_else() {
        let stories = sample();
        let (_dir, lookup) = written(&stories);
        for key in [0, 7, 8, 12, 90, 91, u64::MAX] {
            let from_lookup = lookup.story_of(key).unwrap();
            let from_stories = stories.of(key).map(StoryRef::from);
            assert_eq!(from_lookup, from_stories, "key {key}");
        }
        assert_eq!(
            lookup.story_of(90).unwrap().unwrap(),
            StoryRef {
                id: "s00000000000b".to_string(),
                headline: "Quake hits Sumatra".to_string(),
                articles: 2,
            }
        );
        assert_eq!(
            lookup.story_of(7).unwrap().unwrap().headline,
            "Zürich bank sold"
        );
    }

    #[test]
    fn ids_give_their_keys_in_order_and_unknown_ids_none() {
        let stories = sample();
        let (_dir, lookup) = written(&stories);
        let ids = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        assert_eq!(
            lookup.keys_of(&ids(&["s00000000000b"])).unwrap(),
            vec![90, u64::MAX]
        );
        assert_eq!(
            lookup
                .keys_of(&ids(&["s00000000000b", "s00000000000a", "s00000000000b"]))
                .unwrap(),
            vec![7, 90, u64::MAX]
        );
        for asked in [ids(&["s00000000000c"]), ids(&["nope"])] {
            assert_eq!(lookup.keys_of(&asked).unwrap(), Vec::<u64>::new());
            assert_eq!(lookup.keys_of(&asked).unwrap(), stories.keys_of(&asked));
        }
        // A member of a story that is not kept is in no story.
        assert_eq!(
            lookup.keys_of(&ids(&["s0000000000zz"])).unwrap(),
            Vec::<u64>::new()
        );
        assert_eq!(
            lookup.keys_of(&ids(&["s00000000000a"])).unwrap(),
            stories.keys_of(&ids(&["s00000000000a"]))
        );
    }

    #[test]
    fn no_stories_make_an_empty_lookup_and_no_file_is_none() {
        let (_dir, lookup) = written(&Stories::default());
        assert_eq!(lookup.story_of(1).unwrap(), None);
        assert_eq!(
            lookup.keys_of(&["s1".to_string()]).unwrap(),
            Vec::<u64>::new()
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(Lookup::open(empty.path()).unwrap().is_none());
    }

    #[test]
    fn a_cut_or_foreign_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = to_bytes(&sample());
        let path = dir.path().join(LOOKUP_FILE);
        for (broken, says) in [
            (bytes[..bytes.len() - 1].to_vec(), "its size does not match"),
            (bytes[..10].to_vec(), "shorter than its header"),
            (
                b"{\"version\":1,\"archive\":{}}xxxxxxxxxx".to_vec(),
                "not a stories lookup",
            ),
        ] {
            std::fs::write(&path, broken).unwrap();
            let error = Lookup::open(dir.path()).unwrap_err().to_string();
            assert!(error.contains(&path.display().to_string()), "{error}");
            assert!(error.contains(says), "{error}");
        }
        // An entry whose headline would run past the file is refused, not read.
        let mut damaged = bytes.clone();
        let first_entry = (HEADER + 3 * MEMBER) as usize;
        damaged[first_entry + 12..first_entry + 16].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, damaged).unwrap();
        let lookup = Lookup::open(dir.path()).unwrap().unwrap();
        let error = lookup.story_of(7).unwrap_err().to_string();
        assert!(
            error.contains("a story's entry points outside the file"),
            "{error}"
        );
        assert_eq!(lookup.story_of(90).unwrap().unwrap().articles, 2);
    }
}
