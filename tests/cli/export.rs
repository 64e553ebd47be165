//! `newsdex export`: every article once, as `show --json` prints it.

use super::util::{Fixture, Stats, parse};

#[test]
fn export_prints_each_article_once_as_show_json_prints_it() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    let output = fixture.run(&["export"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len() as u64, stats.articles);
    let mut ids = Vec::new();
    for line in &lines {
        let object: serde_json::Value = parse(line);
        let id = object["id"].as_str().expect("id").to_string();
        let shown = fixture.run_ok(&["show", &id, "--json"], 0);
        assert_eq!(shown.trim_end(), *line, "article {id}");
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), lines.len());
    assert_eq!(
        String::from_utf8(output.stderr).expect("utf-8"),
        format!("exported {} articles from index\n", stats.articles)
    );
}

#[test]
fn export_of_an_empty_index_prints_nothing_and_exits_1() {
    let fixture = Fixture::new();
    std::fs::create_dir_all(fixture.corpus()).expect("mkdir");
    fixture.run_ok(&["index", "-q"], 0);
    assert_eq!(fixture.run_ok(&["export"], 1), "");
}
