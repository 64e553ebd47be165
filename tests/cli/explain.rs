//! `search --explain`: the parts of each hit's score, which add up to it.

use super::util::{Fixture, SearchOutput, parse};

fn indexed() -> Fixture {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    fixture
}

fn explained(fixture: &Fixture, args: &[&str]) -> SearchOutput {
    let mut all = vec!["search", "--json", "--explain"];
    all.extend_from_slice(args);
    parse(&fixture.run_ok(&all, 0))
}

/// (field, words, phrase, boost) of each part of each hit, and checks that the parts add up.
fn summary(output: &SearchOutput) -> Vec<Vec<(String, String, bool, f32)>> {
    output
        .hits
        .iter()
        .map(|hit| {
            let explain = hit.explain.as_ref().expect("explained");
            assert_eq!(explain.score, hit.score);
            let sum: f32 = explain.parts.iter().map(|p| p.score).sum();
            assert!(
                (sum - hit.score).abs() <= 1e-5 * hit.score.max(1.0),
                "{sum} != {}",
                hit.score
            );
            for part in &explain.parts {
                assert_eq!(part.score, part.bm25 * part.boost);
            }
            explain
                .parts
                .iter()
                .map(|p| (p.field.clone(), p.words.join(" "), p.phrase, p.boost))
                .collect()
        })
        .collect()
}

fn part(field: &str, words: &str, phrase: bool, boost: f32) -> (String, String, bool, f32) {
    (field.to_string(), words.to_string(), phrase, boost)
}

#[test]
fn parts_name_each_word_in_each_field_and_add_up_to_the_score() {
    let fixture = indexed();
    let output = explained(&fixture, &["trade deal"]);
    assert_eq!(
        summary(&output),
        [vec![
            part("title", "trade", false, 2.5),
            part("body", "trade", false, 1.0),
            part("title", "deal", false, 2.5),
            part("body", "deal", false, 1.0),
        ]]
    );
    assert_eq!(output.hits[0].explain.as_ref().unwrap().recency, None);
}

#[test]
fn phrases_and_alternatives_explain_only_what_matched() {
    let fixture = indexed();
    let output = explained(&fixture, &["\"central bank\" OR marathon"]);
    assert_eq!(
        summary(&output),
        [
            vec![
                part("title", "central bank", true, 2.5),
                part("body", "central bank", true, 1.0)
            ],
            vec![
                part("title", "marathon", false, 2.5),
                part("body", "marathon", false, 1.0)
            ],
        ]
    );
}

#[test]
fn recency_factor_is_shown_beside_the_score() {
    let fixture = indexed();
    let output = explained(&fixture, &["--recent", "on"]);
    let recency: Vec<(&str, Option<f64>)> = output
        .hits
        .iter()
        .map(|hit| (hit.id.as_str(), hit.explain.as_ref().unwrap().recency))
        .collect();
    summary(&output);
    let factor = |id: &str| recency.iter().find(|(hit, _)| *hit == id).unwrap().1;
    // w2 (2024-04-10) is the newest article; w1 is 36 days older: 1 + 0.5^(36/30); the Kenya
    // story is undated.
    assert_eq!(recency.len(), 4);
    assert_eq!(factor("w2"), Some(2.0));
    let w1 = factor("w1").unwrap();
    assert!(
        (w1 - (1.0 + 0.5f64.powf(36.0 / 30.0))).abs() < 1e-12,
        "{w1}"
    );
    assert_eq!(factor("e9bf08f9179e0fa6"), Some(1.0));
}

#[test]
fn terminal_output_lists_the_parts_under_each_hit() {
    let fixture = indexed();
    let stdout = fixture.run_ok(&["search", "marathon", "--explain"], 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[3], "     id e9bf08f9179e0fa6");
    assert!(lines[4].starts_with("     score "), "{stdout}");
    assert!(
        lines[5].contains("  title    marathon         bm25 "),
        "{stdout}"
    );
    assert!(lines[5].ends_with(" × boost 2.5"), "{stdout}");
    assert!(
        lines[6].contains("  body     marathon         bm25 "),
        "{stdout}"
    );
}
