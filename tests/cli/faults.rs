//! Faults around a run: a corpus that vanished, an index that cannot be written or read. Each
//! is refused or reported with a message that says what happened, and no article is lost.

use super::util::{Fixture, Report, Stats, parse};

fn stats(fixture: &Fixture) -> Stats {
    parse(&fixture.run_ok(&["stats", "--json"], 0))
}

/// Runs `newsdex ARGS`, expects exit code 2, and returns stderr.
fn fails(fixture: &Fixture, args: &[&str]) -> String {
    let output = fixture.run(args);
    assert_eq!(output.status.code(), Some(2), "newsdex {args:?}");
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr).expect("utf-8 stderr")
}

#[test]
fn an_empty_corpus_does_not_empty_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    std::fs::remove_dir_all(fixture.corpus()).unwrap();
    std::fs::create_dir(fixture.corpus()).unwrap();

    assert_eq!(
        fails(&fixture, &["index", "-q"]),
        "error: corpus corpus holds no files but the index holds 5 articles: refusing to remove \
         them all (is a drive unmounted, or the path wrong?); run `newsdex index --allow-purge` \
         to remove them\n"
    );
    assert_eq!(stats(&fixture).articles, 5);
    fixture.run_ok(&["search", "marathon"], 0);

    let report: Report = parse(&fixture.run_ok(&["index", "--allow-purge", "--json", "-q"], 0));
    assert_eq!((report.removed, report.articles), (5, 0));
    assert_eq!(stats(&fixture).articles, 0);
}

#[test]
fn a_missing_corpus_is_an_error_that_keeps_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    assert_eq!(
        fails(&fixture, &["index", "elsewhere", "-q"]),
        "error: corpus elsewhere does not exist\n"
    );
    assert_eq!(stats(&fixture).articles, 5);
}

#[test]
fn removing_more_than_half_of_the_index_asks_for_the_flag() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    // The JSON Lines file holds 3 of the 5 articles.
    std::fs::remove_dir_all(fixture.corpus().join("wire")).unwrap();

    assert_eq!(
        fails(&fixture, &["index"]),
        "error: 3 of the index's 5 articles are in files no longer in corpus corpus: refusing \
         to remove more than half of the index in one run (is a folder missing?); run \
         `newsdex index --allow-purge` to remove them\n"
    );
    assert_eq!(stats(&fixture).articles, 5);

    let report: Report = parse(&fixture.run_ok(&["index", "--allow-purge", "--json", "-q"], 0));
    assert_eq!(
        (report.removed, report.unchanged, report.articles),
        (3, 2, 2)
    );
}

#[test]
fn removing_half_or_moving_a_folder_needs_no_flag() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    std::fs::rename(
        fixture.corpus().join("wire"),
        fixture.corpus().join("feeds"),
    )
    .unwrap();
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!((report.added, report.removed, report.articles), (3, 3, 5));

    std::fs::remove_dir_all(fixture.corpus().join("notes")).unwrap();
    std::fs::remove_dir_all(fixture.corpus().join("scraped")).unwrap();
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!((report.removed, report.articles), (2, 3));
}

#[test]
fn a_damaged_meta_json_says_so_and_full_rebuilds_it() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let meta = fixture.root().join("index/meta.json");
    let text = std::fs::read(&meta).unwrap();
    std::fs::write(&meta, &text[..text.len() / 2]).unwrap();

    let damaged = "error: the index in index is damaged (meta.json cannot be read): rebuild it \
                   with `newsdex index --full`\n";
    assert_eq!(fails(&fixture, &["search", "marathon"]), damaged);
    assert_eq!(fails(&fixture, &["index", "-q"]), damaged);

    let output = fixture.run(&["index", "--full", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "note: the index in index was damaged (meta.json cannot be read); rebuilt it from \
             corpus\nindexed: 5 added,"
        ),
        "{stderr}"
    );
    assert_eq!(stats(&fixture).articles, 5);
    fixture.run_ok(&["search", "marathon"], 0);
}

#[test]
fn a_truncated_segment_file_says_so_and_full_rebuilds_it() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let store = std::fs::read_dir(fixture.root().join("index"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "store"))
        .expect("a segment's store file");
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&store)
        .unwrap()
        .set_len(10)
        .unwrap();

    assert_eq!(
        fails(&fixture, &["search", "marathon"]),
        format!(
            "error: the index in index is damaged ({name} is truncated or corrupted): rebuild \
             it with `newsdex index --full`\n"
        )
    );
    fixture.run_ok(&["index", "--full", "-q"], 0);
    assert_eq!(stats(&fixture).articles, 5);
}

/// Mounts a tmpfs of `size` on `dir` (which must exist), or says why it cannot: mounting needs
/// root.
fn mount_tmpfs(dir: &std::path::Path, size: &str) -> Result<Mount, String> {
    let uid = std::process::Command::new("id").arg("-u").output();
    if uid.map(|o| o.stdout != b"0\n").unwrap_or(true) {
        return Err("not running as root".into());
    }
    let status = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("mount failed ({status})"));
    }
    Ok(Mount(dir.to_path_buf()))
}

/// A mount, unmounted on drop.
struct Mount(std::path::PathBuf);

impl Mount {
    fn remount(&self, options: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_index_answers_searches_and_index_says_it_cannot_write() {
    let fixture = Fixture::standard();
    let dir = fixture.root().join("index");
    std::fs::create_dir_all(&dir).unwrap();
    let mount = match mount_tmpfs(&dir, "20m") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped: a read-only mount needs root ({why})");
            return;
        }
    };
    fixture.run_ok(&["index", "-q"], 0);
    mount.remount("ro");
    fixture.run_ok(&["search", "marathon"], 0);
    assert_eq!(stats(&fixture).articles, 5);
    fixture.write("more.txt", "Another headline here\n\nAbout Chile.\n");
    assert_eq!(
        fails(&fixture, &["index", "-q"]),
        "error: cannot write to the index in index (Read-only file system (os error 30)); \
         searches still read it, but `newsdex index` needs a folder it can write\n"
    );
}

#[test]
fn a_full_file_system_fails_naming_the_index_and_a_run_with_space_converges() {
    let fixture = Fixture::standard();
    let dir = fixture.root().join("index");
    std::fs::create_dir_all(&dir).unwrap();
    let mount = match mount_tmpfs(&dir, "1m") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped: a small file system needs root ({why})");
            return;
        }
    };
    fixture.run_ok(&["index", "-q"], 0);
    // Enough distinct text that its segment does not fit in what is left.
    let mut seed = 7u64;
    for file in 0..40 {
        let mut body = String::new();
        for _ in 0..6000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push_str(&format!("w{:x} ", seed % 1_000_000_007));
        }
        fixture.write(
            &format!("bulk/{file:02}.txt"),
            format!("Bulk story number {file}\n\n{body}\n"),
        );
    }
    assert_eq!(
        fails(&fixture, &["index", "-q"]),
        "error: no space left on the device of the index in index: the last commit (if any) is \
         intact and still answers searches; free some space and run `newsdex index` again\n"
    );
    fixture.run_ok(&["search", "marathon"], 0);
    assert_eq!(stats(&fixture).articles, 5);

    mount.remount("size=64m");
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!((report.added, report.articles), (40, 45));
    assert_eq!(stats(&fixture).articles, 45);
}
