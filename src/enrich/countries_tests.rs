//! Tests of the country table, lookups and context rules.

use super::*;
use crate::article::Article;
use crate::enrich::Enricher;

fn found(title: &str, body: &str) -> Vec<String> {
    let article = Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    Enricher::new()
        .enrich(&article)
        .countries
        .into_iter()
        .map(|c| c.0)
        .collect()
}

#[test]
fn table_parses_without_bad_lines_or_duplicate_codes() {
    let (rows, bad) = parse_table(COUNTRIES_TSV);
    assert_eq!(bad, Vec::<usize>::new());
    assert!(rows.len() > 190, "{}", rows.len());
    let mut codes: Vec<&str> = rows.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), rows.len());
}

#[test]
fn names_of_codes() {
    let cases = [
        ("IN", Some("India")),
        ("us", Some("United States")),
        ("RU", Some("Russia")),
        ("GB", Some("United Kingdom")),
        ("SU", Some("Soviet Union")),
        ("DD", Some("East Germany")),
        ("YU", Some("Yugoslavia")),
        ("CS", Some("Czechoslovakia")),
        ("QQ", None),
        ("", None),
    ];
    for (code, name) in cases {
        assert_eq!(country_name(code), name, "{code}");
    }
    assert!(all_countries().any(|(code, name)| code == "MM" && name == "Myanmar"));
}

#[test]
fn short_names_are_the_table_rows() {
    let from_table: Vec<(&str, &str)> = all_countries().collect();
    assert_eq!(short_names().collect::<Vec<_>>(), from_table);
    assert!(from_table.len() > 200, "{}", from_table.len());
}

#[test]
fn resolve_accepts_codes_names_aliases_and_demonyms() {
    let cases = [
        ("IN", "IN"),
        ("in", "IN"),
        ("India", "IN"),
        ("indian", "IN"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("America", "US"),
        ("American", "US"),
        ("United States", "US"),
        (" united states ", "US"),
        ("USSR", "SU"),
        ("Burma", "MM"),
        ("Zaire", "CD"),
    ];
    for (input, code) in cases {
        assert_eq!(
            resolve_country(input),
            Ok(CountryCode(code.to_string())),
            "{input}"
        );
    }
}

#[test]
fn resolve_suggests_nearest_countries() {
    let suggestions = resolve_country("Inida").unwrap_err();
    assert_eq!(suggestions[0], (CountryCode("IN".to_string()), "India"));
    assert!(suggestions.len() <= 3);
    assert_eq!(resolve_country("qqqqqqqqqqqqqqqqqq"), Err(Vec::new()));
    // The distance behind them is Levenshtein's, by characters: a swap of neighbours is two.
    assert_eq!(strsim::levenshtein("inida", "india"), 2);
    assert_eq!(strsim::levenshtein("", "abc"), 3);
}

#[test]
fn context_decides_ambiguous_terms() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("", "Jordan's King Abdullah met the envoy.", &["JO"]),
        ("", "Michael Jordan scored 40 points.", &[]),
        ("", "Chad Smith played the drums.", &[]),
        ("", "Rebels attacked a town in Chad on Monday.", &["TD"]),
        ("", "Georgia's governor signed the bill.", &[]),
        ("", "He flew home to Atlanta, Georgia on Friday.", &[]),
        ("", "Georgia's president spoke in Tbilisi.", &["GE"]),
        ("", "Turkey prices rose before the holiday.", &[]),
        ("", "Turkey prices rose, Turkish farmers said.", &["TR"]),
        ("", "Turkey and Greece held talks.", &["TR", "GR"]),
        ("", "the price of turkey and of china plates", &[]),
        ("", "Storms crossed the Indian Ocean.", &[]),
        ("", "She won at Indian Wells.", &[]),
        ("", "Voters in New Mexico chose.", &[]),
        ("", "He paid with American Express.", &[]),
        ("LET US PRAY FOR RAIN IN SPAIN", "", &["ES"]),
        ("JAPAN BEATS CHINA", "", &["JP", "CN"]),
        ("", "the U.S.-led coalition", &["US"]),
        (
            "",
            "The Soviet Union and West Germany signed.",
            &["SU", "DE"],
        ),
    ];
    for (title, body, want) in cases {
        let got = found(title, body);
        let mut got_sorted = got.clone();
        got_sorted.sort_unstable();
        let mut want_sorted: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want_sorted.sort_unstable();
        assert_eq!(got_sorted, want_sorted, "{title} | {body}");
    }
}

#[test]
fn datelines_imply_their_country() {
    assert_eq!(
        found("", "NEW DELHI, Nov 26 (Reuters) - Shares rose."),
        ["IN"]
    );
    assert_eq!(found("", "TOKYO, March 3 - Shares rose."), ["JP"]);
    assert_eq!(found("", "PORTLAND, Ore., Feb 26 - Red Lion said."), ["US"]);
    assert_eq!(found("", "CALGARY, Alberta, Feb 26 - Shr loss."), ["CA"]);
    assert_eq!(found("", "CLEVELAND, Feb 26 - Standard Oil said."), ["US"]);
}

#[test]
fn wire_copy_leaves_out_countries_named_in_passing() {
    let story = "Norway's state oil firm said on Tuesday it would raise output. Norway \
        pumps more than any other country in the region, it said, and plans new fields in the \
        north next year. The company gave no figure for the new wells, and analysts were \
        divided. Output in the first quarter was steady, the firm said, and it expects prices \
        to hold through the summer. Its shares rose two percent on the news. The firm will \
        sell new bonds next month. The issue will be listed in Luxembourg.";
    // With a dateline, Luxembourg (once, in the second half) is a passing mention.
    assert_eq!(found("Oil", &format!("OSLO, March 3 - {story}")), ["NO"]);
    // Without one every country named counts.
    assert_eq!(found("Oil", story), ["NO", "LU"]);
    // Named once in the first half, it counts.
    assert_eq!(
        found(
            "Oil",
            "OSLO, March 3 - Norway and Denmark said on Tuesday they would raise output. Norway \
             pumps more than any other country in the region, it said, and plans new fields in \
             the north next year. The company gave no figure for the new wells."
        ),
        ["NO", "DK"]
    );
    // With nothing named twice and no other place, the only country named is kept.
    assert_eq!(
        found(
            "Oil",
            "The firm said on Tuesday it would raise output from its fields in the north next \
             year, and gave no figure for the new wells. Its shares rose in Oslo, in Norway."
        ),
        ["NO"]
    );
}

#[test]
fn context_rules_and_blockers_parse() {
    let rules = parse_rules(CONTEXT_TSV);
    assert!(rules.get("Georgia").is_some_and(|r| !r.needs.is_empty()));
    assert!(rules.get("Chad").is_some_and(|r| r.not_name));
    assert!(usable_in_caps("U.S.") && !usable_in_caps("US") && usable_in_caps("India"));
}

#[test]
fn datelines_and_cities_are_weaker_than_names() {
    // A dateline alone stands for the setting.
    assert_eq!(
        found("Shares rise", "CHICAGO, March 3 - Shares of the firm rose."),
        ["US"]
    );
    // Wire copy lists its dateline's country beside the countries it names.
    assert_eq!(
        found(
            "Talks",
            "LONDON, March 3 - Norway said on Tuesday it would raise output."
        ),
        ["GB", "NO"]
    );
    // A dateline that is a country's name names it.
    let mut codes = found(
        "Stocks",
        "SINGAPORE 1996-08-22\nNorway's fund bought shares.",
    );
    codes.sort_unstable();
    assert_eq!(codes, ["NO", "SG"]);
    // A city in the lead stands in only when nothing else does.
    assert_eq!(
        found("Flood", "Heavy rain flooded Osaka on Monday."),
        ["JP"]
    );
    assert_eq!(
        found("Flood", "Heavy rain flooded Osaka, Norway's envoy said."),
        ["NO"]
    );
}

#[test]
fn names_inside_events_currencies_and_sign_offs_only_support() {
    assert_eq!(
        found(
            "Tennis",
            "She reached the final of the U.S. Open. Spain's champion won."
        ),
        ["ES"]
    );
    assert_eq!(found("Price", "It costs US$ 79 in Norway."), ["NO"]);
    assert_eq!(
        found(
            "Rates",
            "Norway cut rates.\n-- Paris Newsroom +33 1 4221 5452"
        ),
        ["NO"]
    );
}

#[test]
fn sign_off_lines_are_found_near_the_match_only() {
    // A sign-off line still counts only as support; a name deep in one long line is read.
    let long_line = "trade talks in India went on. ".repeat(2000);
    assert_eq!(found("Talks", &long_line), ["IN"]);
    assert!(!is_sign_off(&long_line, long_line.len() - 10));
    let text = "Body.\n-- Paris Newsroom +33 1 4221 5452";
    assert!(is_sign_off(text, text.find("Paris").unwrap()));
    assert!(!is_sign_off(text, 0));
}
