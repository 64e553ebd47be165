//! A temporary corpus and index, and a way to run the binary against them.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;

/// A temporary folder holding `corpus/` and `index/`, used as the working directory.
pub struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// An empty fixture with an empty `corpus/` folder.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("corpus")).expect("corpus dir");
        Fixture { dir }
    }

    /// A fixture with the small standard corpus of [`write_standard_corpus`].
    pub fn standard() -> Fixture {
        let fixture = Fixture::new();
        write_standard_corpus(&fixture);
        fixture
    }

    /// The working directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The corpus folder.
    pub fn corpus(&self) -> PathBuf {
        self.root().join("corpus")
    }

    /// Writes a corpus file (creating folders).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.corpus().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    /// Runs `newsdex ARGS` in the fixture's folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("newsdex")
            .expect("binary")
            .current_dir(self.root())
            .env_remove("NEWSDEX_INDEX")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("run newsdex")
    }

    /// Runs `newsdex ARGS`, expects exit code `code`, and returns stdout.
    pub fn run_ok(&self, args: &[&str], code: i32) -> String {
        let output = self.run(args);
        assert_eq!(
            output.status.code(),
            Some(code),
            "newsdex {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }
}

/// Five articles in three formats, about distinct countries and subjects.
pub fn write_standard_corpus(fixture: &Fixture) {
    fixture.write(
        "wire/2024.jsonl",
        concat!(
            r#"{"id":"w1","title":"India and France sign trade deal","body":"Indian and French ministers signed a trade agreement in New Delhi on Monday, cutting tariffs on wine and machinery. The trade deal was welcomed by exporters.","date":"2024-03-05","source":"Wire"}"#,
            "\n",
            r#"{"id":"w2","title":"Flooding hits Jakarta","body":"Heavy rain flooded parts of Jakarta, Indonesia, on Tuesday. Thousands of residents were evacuated as rivers burst their banks.","date":"2024-04-10","source":"Wire"}"#,
            "\n",
            r#"{"id":"w3","title":"Brazil central bank holds rates","body":"Brazil's central bank kept its benchmark interest rate unchanged on Wednesday as inflation eased, the bank said in a statement.","date":"2023-11-20","source":"Markets Daily"}"#,
            "\n"
        ),
    );
    fixture.write(
        "notes/japan.md",
        "---\ntitle: Japan unveils chip subsidies\ndate: 2024-02-01\nsource: Tech Wire\n---\n\nJapan's government announced new subsidies for semiconductor factories in Tokyo, hoping to secure its chip supply chain.\n",
    );
    fixture.write(
        "scraped/kenya.txt",
        "Kenya marathon runners dominate Berlin race\n\nKenyan athletes took the first three places at the Berlin marathon on Sunday, the organisers said.\n\nThe winner finished in just over two hours.\n",
    );
}

/// The report printed by `index --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub failed: Vec<Failed>,
    pub articles: u64,
    pub copies: u64,
    pub seconds: f64,
}

/// A failed file of a report.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Failed {
    pub path: String,
    pub error: String,
}

/// A country as printed.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: String,
    pub name: String,
}

/// A search hit (every field declared so unknown ones are refused).
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub title: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub score: f32,
    pub people: Vec<String>,
    pub orgs: Vec<String>,
    #[serde(default)]
    pub entities: Vec<EntityOut>,
    pub countries: Vec<Country>,
    pub topics: Vec<String>,
    pub topic_confidence: f64,
    #[serde(default)]
    pub also_at: Vec<String>,
    #[serde(default)]
    pub copies: Vec<CopyOut>,
    pub story: Option<StoryOut>,
    pub snippet: String,
    pub explain: Option<Explain>,
}

/// A syndicated copy of a hit: its file, its own id, the line of its record.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CopyOut {
    pub path: String,
    pub id: String,
    pub line: Option<u64>,
}

/// The story of an article.
#[derive(Debug, Deserialize, PartialEq, Clone)]
#[serde(deny_unknown_fields)]
pub struct StoryOut {
    pub id: String,
    pub headline: String,
    pub articles: u32,
}

/// A hit's score explained (`search --explain --json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    pub score: f32,
    pub parts: Vec<ExplainPart>,
    pub recency: Option<f64>,
}

/// One part of an explained score.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainPart {
    pub field: String,
    pub words: Vec<String>,
    pub phrase: bool,
    pub bm25: f32,
    pub boost: f32,
    pub score: f32,
}

/// A person or organisation of an article, resolved across the archive.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntityOut {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub forms: Vec<String>,
}

/// A facet bucket.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    pub value: String,
    pub name: Option<String>,
    pub count: u64,
}

/// The facets object of `search --json --facets`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facets {
    pub country: Vec<Bucket>,
    pub person: Vec<Bucket>,
    pub org: Vec<Bucket>,
    pub topic: Vec<Bucket>,
}

/// The object printed by `search --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOutput {
    pub query: String,
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
}

/// A query word that matched nothing, in `search --json`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    pub word: String,
    pub alternatives: Vec<String>,
}

/// The object printed by `facets --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacetsOutput {
    pub by: String,
    pub query: Option<String>,
    pub total: u64,
    pub buckets: Vec<Bucket>,
}

/// One line of `extract --json`.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extracted {
    pub id: String,
    pub path: String,
    pub title: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub people: Vec<String>,
    pub orgs: Vec<String>,
    #[serde(default)]
    pub entities: Vec<EntityOut>,
    pub countries: Vec<Country>,
    pub topics: Vec<String>,
    pub lang: Option<String>,
    pub topic_confidence: f64,
    pub byline: Option<String>,
    pub body: String,
}

/// The object printed by `stats --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub articles: u64,
    pub copies: u64,
    pub files: u64,
    pub size_bytes: u64,
    pub segments: usize,
    pub schema_version: u32,
    pub last_indexed: Option<String>,
    pub corpus: Option<String>,
}

/// Parses one JSON object.
pub fn parse<T: serde::de::DeserializeOwned>(stdout: &str) -> T {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Ids of the hits, in order.
pub fn ids(output: &SearchOutput) -> Vec<&str> {
    output.hits.iter().map(|h| h.id.as_str()).collect()
}
