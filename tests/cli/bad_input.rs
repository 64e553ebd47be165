//! Bad input never stops a run nor costs the other articles: each problem is reported with
//! its path and reason.

use std::io::Write;

use super::util::{Failed, Fixture, Report, SearchOutput, parse};

#[test]
fn broken_files_are_reported_and_the_rest_indexed() {
    let fixture = Fixture::new();
    fixture.write(
        "good.txt",
        "Good article headline here\n\nA body about Norway and its fjords.\n",
    );
    fixture.write(
        "cp1252.txt",
        b"Caf\xe9 culture in Paris thrives\n\nThe caf\xe9s of Paris, France, are full.\n",
    );
    fixture.write("empty.txt", "");
    fixture.write(
        "records.jsonl",
        "{\"id\":\"r1\",\"title\":\"Fine record\",\"body\":\"About Chile.\"}\n{\"id\":\"r2\",\"title\":\"Trunc",
    );
    fixture.write("blob.bin", [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255]);
    std::os::unix::fs::symlink("missing-target.txt", fixture.corpus().join("dangling.txt"))
        .unwrap();

    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(1), "some files failed");
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(report.articles, 3);
    let failed: Vec<&str> = report.failed.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        failed,
        ["blob.bin", "dangling.txt", "empty.txt", "records.jsonl"]
    );
    let record = report
        .failed
        .iter()
        .find(|f| f.path == "records.jsonl")
        .unwrap();
    assert!(record.error.starts_with("line 2: "), "{record:?}");
    assert_eq!(
        report.failed.iter().find(|f| f.path == "empty.txt"),
        Some(&Failed {
            path: "empty.txt".into(),
            error: "empty file".into()
        })
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: blob.bin: binary file"),
        "{stderr}"
    );

    let found: SearchOutput = parse(&fixture.run_ok(&["search", "--json", "café"], 0));
    assert_eq!(found.total, 1);
    assert_eq!(found.hits[0].title, "Café culture in Paris thrives");
}

#[test]
fn huge_unstructured_file_is_refused_by_the_size_limit() {
    let fixture = Fixture::new();
    fixture.write(
        "ok.txt",
        "A small article headline\n\nWith a body about Peru.\n",
    );
    let path = fixture.corpus().join("huge.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    let line = "lorem ipsum dolor sit amet ".repeat(40);
    let mut written = 0usize;
    while written < 50 * 1024 * 1024 {
        file.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
    drop(file);
    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(report.articles, 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].path, "huge.txt");
    assert!(
        report.failed[0].error.contains("too large"),
        "{:?}",
        report.failed[0]
    );
}
