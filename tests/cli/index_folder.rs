//! The repository's `index/` folder: its README survives builds, `--full` and schema rebuilds,
//! and none of them leaves anything for git to report.

use std::path::Path;
use std::process::Command;

use crate::cli::util::{Fixture, SearchOutput, parse};

/// The repository's own ignore rules and index README, as a clone has them.
const GITIGNORE: &str = include_str!("../../.gitignore");
const INDEX_README: &str = include_str!("../../index/README.md");

/// Runs `git ARGS` in `dir` and returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

/// A fixture laid out like a clone: `.gitignore`, `index/README.md` and the corpus committed.
fn clone_like() -> Fixture {
    let fixture = Fixture::standard();
    let root = fixture.root();
    std::fs::write(root.join(".gitignore"), GITIGNORE).unwrap();
    std::fs::create_dir(root.join("index")).unwrap();
    std::fs::write(root.join("index/README.md"), INDEX_README).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "clone"]);
    fixture
}

/// Adds a commit to the index in `dir` whose payload says newsdex schema version 0 wrote it,
/// over a tantivy index of another schema.
fn make_version_zero(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "README.md" {
            std::fs::remove_file(&path).unwrap();
        }
    }
    let mut builder = tantivy::schema::Schema::builder();
    let title = builder.add_text_field("title", tantivy::schema::TEXT);
    let index = tantivy::Index::create_in_dir(dir, builder.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut doc = tantivy::TantivyDocument::default();
    doc.add_text(title, "an article of the old index");
    writer.add_document(doc).unwrap();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(r#"{"schema_version":0,"corpus":"corpus"}"#);
    prepared.commit().unwrap();
}

#[test]
fn the_default_index_lives_in_the_index_folder_beside_its_readme() {
    let fixture = clone_like();
    let root = fixture.root();
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "trade", "--json"], 0));
    assert_eq!(output.total, 1);
    assert!(root.join("index/meta.json").is_file());
    assert_eq!(
        std::fs::read_to_string(root.join("index/README.md")).unwrap(),
        INDEX_README
    );
    assert_eq!(git(root, &["status", "--porcelain", "--ignored=no"]), "");
}

#[test]
fn readme_survives_full_rebuilds_and_schema_swaps_without_dirtying_git() {
    let fixture = clone_like();
    let root = fixture.root();
    let readme = root.join("index/README.md");
    fixture.run_ok(&["index", "-q"], 0);
    fixture.run_ok(&["index", "-q", "--full"], 0);
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), INDEX_README);
    assert_eq!(git(root, &["status", "--porcelain"]), "");

    make_version_zero(&root.join("index"));
    let output = fixture.run(&["index", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with(
            "note: the index in index was written with schema version 0; rebuilt it from corpus"
        ),
        "{output:?}"
    );
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), INDEX_README);
    assert!(!root.join("index.rebuild").exists() && !root.join("index.old").exists());
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "trade", "--json"], 0));
    assert_eq!(output.total, 1);
}

#[test]
fn an_unfinished_rebuild_beside_the_index_is_ignored_by_git() {
    let fixture = clone_like();
    let root = fixture.root();
    fixture.run_ok(&["index", "-q"], 0);
    std::fs::create_dir(root.join("index.rebuild")).unwrap();
    std::fs::write(root.join("index.rebuild/meta.json"), "{}").unwrap();
    std::fs::create_dir(root.join("index.old")).unwrap();
    std::fs::write(root.join("index.old/meta.json"), "{}").unwrap();
    assert_eq!(git(root, &["status", "--porcelain"]), "");
}
