//! Tests of organisation extraction: names, cues, canonical forms, sports lines, and the split
//! between people and organisations.

use crate::article::{Article, Entities};
use crate::enrich::Enricher;

fn entities(title: &str, body: &str) -> Entities {
    let article = Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    Enricher::new().enrich(&article)
}

fn orgs(body: &str) -> Vec<String> {
    entities("", body).orgs
}

/// Checks the organisations found in each text.
fn check(cases: &[(&str, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(orgs(text), *expected, "{text}");
    }
}

#[test]
fn organisation_words_and_company_forms_make_names() {
    check(&[
        (
            "The European Commission said on Thursday it disagreed.",
            &["European Commission"],
        ),
        (
            "Toyota Motor Corp raised prices. Toyota said demand was strong.",
            &["Toyota Motor"],
        ),
        (
            "Shares of Merrill Lynch & Co rose 2 percent.",
            &["Merrill Lynch"],
        ),
        (
            "Bank of Japan Governor Yasuo Matsushita said the BOJ would act.",
            &["Bank of Japan"],
        ),
        (
            "The German Finance Ministry said taxes would fall.",
            &["Finance Ministry"],
        ),
        (
            "The Indonesian Democratic Party met in Jakarta.",
            &["Indonesian Democratic Party"],
        ),
        (
            "The Ministry of Trade and Industry and the Securities and Exchange Commission agreed.",
            &[
                "Ministry of Trade and Industry",
                "Securities and Exchange Commission",
            ],
        ),
    ]);
}

#[test]
fn listed_names_and_acronyms_are_organisations() {
    check(&[
        (
            "The United Nations sent envoys. The U.N. said talks would resume.",
            &["United Nations"],
        ),
        (
            "NATO said the IMF and the WTO agreed.",
            &["NATO", "IMF", "WTO"],
        ),
        (
            "The National Farmers' Union (NFU) said prices fell. The NFU asked for aid.",
            &["National Farmers Union"],
        ),
        (
            "The Organisation for Security and Cooperation in Europe will monitor the vote.",
            &["Organisation for Security and Cooperation in Europe"],
        ),
        ("The Airbus 310 landed safely.", &[]),
        ("Growth in GDP slowed, the CEO said.", &[]),
    ]);
}

#[test]
fn organisation_contexts_make_names() {
    check(&[
        (
            "He bought shares of Morgan Guaranty last year.",
            &["Morgan Guaranty"],
        ),
        ("Acme Widgets (NYSE: ACW) gained.", &["Acme Widgets"]),
        (
            "Allied Plastics, a unit of Hanson, closed.",
            &["Allied Plastics", "Hanson"],
        ),
        ("Jenkins Brothers' shares fell.", &["Jenkins Brothers"]),
    ]);
}

#[test]
fn places_and_people_are_not_organisations() {
    check(&[
        ("Israel left the West Bank on Thursday.", &[]),
        ("The United States and the Soviet Union signed.", &[]),
        ("President Bill Clinton said he would sign.", &[]),
    ]);
}

#[test]
fn sports_lines_name_teams() {
    let body = "Results of first division soccer matches on Sunday:\n\
                Ajax 2 PSV Eindhoven 1\n\
                Feyenoord 0 Twente 0\n\
                Standings:\n\
                Ajax 3 3 0 0 8 1 9\n\
                Italy 2 Germany 1\n";
    assert_eq!(
        entities("SOCCER - DUTCH RESULTS.", body).orgs,
        ["Ajax", "PSV Eindhoven", "Feyenoord", "Twente"]
    );
    // A dateline is no score: the city of `LONDON 1996-08-22` is no team.
    let body = "LONDON 1996-08-22\n\
                Kenny Dalglish spoke of leaving Blackburn, the club he led to the title.\n\
                Blackburn 2 Leeds 0\n";
    assert_eq!(
        entities("SOCCER - DALGLISH SAD.", body).orgs,
        ["Blackburn", "Leeds"]
    );
    let body = "Baltimore Orioles manager Davey Johnson was taken ill. The Orioles lost \
                to the Seattle Mariners 5-3 in the baseball game.";
    assert_eq!(
        entities("BASEBALL - JOHNSON ILL.", body).orgs,
        ["Baltimore Orioles", "Seattle Mariners"]
    );
}

#[test]
fn people_do_not_keep_names_the_article_shows_to_be_organisations() {
    let found = entities(
        "",
        "Merrill Lynch & Co said in a statement it would hire. Merrill Lynch said profits rose.",
    );
    assert_eq!(found.orgs, ["Merrill Lynch"]);
    assert!(found.people.is_empty(), "{:?}", found.people);
    assert_eq!(found.org_cues, ["Merrill Lynch"]);
    let found = entities("", "John Smith said in a statement he would resign.");
    assert_eq!(found.people, ["John Smith"], "{:?}", found.orgs);
    assert!(found.orgs.is_empty(), "{:?}", found.orgs);
    assert_eq!(found.org_cues, ["John Smith"]);
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "",
        "&",
        "U.",
        "U.N",
        "of the",
        "St.",
        "( NYSE :",
        "A 1 B",
        "\n\n1 2 3\n",
    ] {
        let _ = orgs(text);
        let _ = entities("SOCCER", text);
    }
}

#[test]
fn employers_bond_managers_company_nouns_and_tickers_are_organisations() {
    check(&[
        (
            "said Ralph Bloch, chief technical analyst at Raymond James.",
            &["Raymond James"],
        ),
        (
            "The issue is being lead managed by Credit Lyonnais.",
            &["Credit Lyonnais"],
        ),
        (
            "The Amsterdam unit of French bank Societe Generale said it is launching a fund.",
            &["Societe Generale"],
        ),
        (
            "Holders include Societe Generale <SGEN.PA> and others.",
            &["Societe Generale"],
        ),
        (
            "\"We have the inflation,\" said Societe Generale economist Alain Marais.",
            &["Societe Generale"],
        ),
        (
            "Prices rose 0.2 pct in February, Statistics Canada said.",
            &["Statistics Canada"],
        ),
        (
            "The United Auto Workers said it is willing to talk.",
            &["United Auto Workers"],
        ),
    ]);
}

#[test]
fn a_fragment_of_an_organisations_name_is_no_person() {
    let found = entities(
        "",
        "General Electric shares rose. Shearson Lehman Brothers said Electric would gain, \
         and Shearson Lehman analyst John Smith agreed.",
    );
    assert_eq!(found.people, ["John Smith"], "{:?}", found.orgs);
    assert_eq!(found.orgs, ["General Electric", "Shearson Lehman"]);
    // A full name inside a longer name stays a person.
    let found = entities(
        "",
        "Trainer Berti Vogts kept faith with his squad. Vogts picked no new players.",
    );
    assert!(
        found.people.contains(&"Berti Vogts".to_string()),
        "{:?}",
        found.people
    );
}

#[test]
fn the_two_words_before_a_name_are_a_company_cue_only_in_their_pairs() {
    use super::is_cue_before;
    let cues = [
        ("shares", "of"),
        ("takeover", "of"),
        ("stake", "in"),
        ("merger", "with"),
        ("economists", "with"),
        ("traders", "at"),
        ("lead", "manager"),
        ("managed", "by"),
    ];
    for (a, b) in cues {
        assert!(is_cue_before(a, b), "{a} {b}");
    }
    let others = [
        ("merger", "at"),
        ("traders", "with"),
        ("stake", "of"),
        ("lead", "by"),
        ("president", "of"),
        ("shares", "with"),
    ];
    for (a, b) in others {
        assert!(!is_cue_before(a, b), "{a} {b}");
    }
}

#[test]
fn a_title_and_a_person_end_an_organisations_name() {
    // (text, people, organisations).
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "Senate Minority Whip Dick Durbin said the vote would fail.",
            &["Dick Durbin"],
            &["Senate"],
        ),
        (
            "The head of the Bank of England Governor Robin Leigh-Pemberton said rates would rise.",
            &["Robin Leigh-Pemberton"],
            &["Bank of England"],
        ),
        (
            "Department of Agriculture Undersecretary Daniel Amstutz said exports would rise.",
            &["Daniel Amstutz"],
            &["Department of Agriculture"],
        ),
        (
            "Commerce Department Undersecretary Robert Ortner said exports rose.",
            &["Robert Ortner"],
            &["Commerce Department"],
        ),
        (
            "NASA Administrator Jim Bridenstine said the launch would go ahead.",
            &["Jim Bridenstine"],
            &["NASA"],
        ),
        (
            "U.S. District Court Judge John Gerry ruled on Tuesday.",
            &["John Gerry"],
            &["U.S. District Court"],
        ),
        // A lone organisation word only joins a longer name.
        (
            "Board Member Jennifer Homendy said the crash was avoidable.",
            &["Jennifer Homendy"],
            &[],
        ),
        (
            "Senate Majority Leader John F. Kennedy said no.",
            &["John F. Kennedy"],
            &["Senate"],
        ),
        (
            "Brookings Institution Senior Fellow Peter Smith said no.",
            &["Peter Smith"],
            &["Brookings Institution"],
        ),
        (
            "He studied at the University of California Davis last year.",
            &[],
            &["University of California Davis"],
        ),
        // Words that qualify a title of the table are the title's too.
        (
            "The Senate Minority Leader, Chuck Schumer, said on Friday it would fail.",
            &["Chuck Schumer"],
            &["Senate"],
        ),
        (
            "Most, including former president Frederik de Klerk and African National Congress \
             Deputy President Thabo Mbeki, offered apologies.",
            &["Frederik de Klerk", "Thabo Mbeki"],
            &["African National Congress"],
        ),
        (
            "Mitch McConnell, the Republican Senate Majority Leader, said he would wait.",
            &["Mitch McConnell"],
            &["Senate"],
        ),
        // A full name after the object of a title holds the title.
        (
            "\"We have no leads,\" Chief of Judicial Police Manuel Alvarado told Reuters.",
            &["Manuel Alvarado"],
            &["Judicial Police", "Reuters"],
        ),
        (
            "Standing before Deputy High Court Judge Richard Mawrey, he said nothing.",
            &["Richard Mawrey"],
            &["High Court"],
        ),
        // A name the people finder reads as a person is not its own title, nor does one
        // holding a word of an organisation's name end it (the person here is the people
        // finder's misreading of the title `General`).
        (
            "Aetna agreed to buy a stake in Universal Life and General Insurance Sdn Bhd <ULG>.",
            &["Insurance Sdn Bhd"],
            &["Universal Life and General Insurance Sdn"],
        ),
        (
            "Financial Security Assurance said Wednesday it qualified five issues.",
            &[],
            &["Financial Security Assurance"],
        ),
        // The people finder reads a person after the title `Admiral`; the name goes on.
        (
            "Carteret merged with Admiral Builders Savings and Loan Association.",
            &["Builders Savings"],
            &["Admiral Builders Savings and Loan Association"],
        ),
        // Unchanged: a title of the table, and a name that ends in no title.
        (
            "Federal Reserve Chairman Alan Greenspan said inflation was low.",
            &["Alan Greenspan"],
            &["Federal Reserve"],
        ),
        (
            "U.S. Treasury Secretary James Baker said the dollar was too high.",
            &["James Baker"],
            &["Treasury"],
        ),
        (
            "Bank of America said profits rose.",
            &[],
            &["Bank of America"],
        ),
    ];
    for (text, people, orgs) in cases {
        let found = entities("", text);
        assert_eq!(found.people, *people, "{text}");
        assert_eq!(found.orgs, *orgs, "{text}");
    }
}
