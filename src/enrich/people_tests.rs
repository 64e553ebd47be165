//! Tests of person extraction and coreference.

use crate::article::Article;
use crate::enrich::Enricher;

fn people(body: &str) -> Vec<String> {
    let article = Article {
        body: body.to_string(),
        ..Article::default()
    };
    Enricher::new().enrich(&article).people
}

/// Checks the people `find` finds in each text.
fn check(find: fn(&str) -> Vec<String>, cases: &[(&str, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(find(text), *expected, "{text}");
    }
}

#[test]
fn names_are_found_with_their_evidence() {
    let cases: &[(&str, &[&str])] = &[
        (
            "External Affairs Minister S. Jaishankar met officials.",
            &["S. Jaishankar"],
        ),
        (
            "S. Jaishankar spoke. Subrahmanyam Jaishankar later said more. Jaishankar left.",
            &["Subrahmanyam Jaishankar"],
        ),
        ("Talks went on, Mr. Modi said.", &["Modi"]),
        (
            "Prime Minister Narendra Modi spoke. Mr. Modi then left.",
            &["Narendra Modi"],
        ),
        (
            "Chinese President Xi Jinping arrived. Xi said little.",
            &["Xi Jinping"],
        ),
        (
            "Secretary of State Marco Rubio welcomed the deal.",
            &["Marco Rubio"],
        ),
        ("Goyal told Reuters that India would act.", &[]),
        (
            "Piyush Goyal spoke. Goyal told Reuters that India would act.",
            &["Piyush Goyal"],
        ),
        ("Officials in S. Korea said so.", &[]),
        (
            "Bill Clinton met Mark Philippoussis.",
            &["Bill Clinton", "Mark Philippoussis"],
        ),
        (
            "Spanish Farm Minister Maria de Palacio spoke.",
            &["Maria de Palacio"],
        ),
        (
            "Pieter van der Berg told a briefing.",
            &["Pieter van der Berg"],
        ),
        ("Jordan's King Abdullah met the envoy.", &["Abdullah"]),
        ("Chad Smith played the drums.", &["Chad Smith"]),
        (
            "Indian Prime Minister Narendra Modi's visit ended.",
            &["Narendra Modi"],
        ),
        (
            "The Treasury said on Monday that the Federal Security Service agreed.",
            &[],
        ),
        (
            "The inaugural Critical Minerals Ministerial in Washington opened.",
            &[],
        ),
        ("He posted on X. Officials in New Delhi said nothing.", &[]),
        ("", &[]),
    ];
    check(people, cases);
}

#[test]
fn all_caps_headlines_give_no_people() {
    let article = Article {
        title: "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT".to_string(),
        ..Article::default()
    };
    assert_eq!(
        Enricher::new().enrich(&article).people,
        Vec::<String>::new()
    );
}

#[test]
fn more_mentions_rank_first() {
    let found = people("Scott Bessent met Donald Trump. Trump said yes. Trump left. Trump ate.");
    assert_eq!(found, ["Donald Trump", "Scott Bessent"]);
}

#[test]
fn results_lists_vouch_for_their_names() {
    let found = people(
        "Results of the final round:\n\
         1. Tavo Merrikan (Estonia) 2:03.45\n\
         2 - Oskar Pellvani (Finland) 2:04.10\n\
         71 Dunstan Hallery, Bravik Olsund\n",
    );
    for name in [
        "Tavo Merrikan",
        "Oskar Pellvani",
        "Dunstan Hallery",
        "Bravik Olsund",
    ] {
        assert!(found.contains(&name.to_string()), "{name}: {found:?}");
    }
    let found = people(
        "Home first innings\nTarik Jaswan c Bellwood b Ostrey 46\nFeroz Qalat not out 12\n\
         To bat - Imdad Sheral, Nusrat Kawal, Feroz Qalat\n",
    );
    for name in [
        "Tarik Jaswan",
        "Feroz Qalat",
        "Imdad Sheral",
        "Nusrat Kawal",
        "Bellwood",
        "Ostrey",
    ] {
        assert!(found.contains(&name.to_string()), "{name}: {found:?}");
    }
    assert!(people("Shares of Lindor Vantage rose.").is_empty());
}

fn people_en(body: &str) -> Vec<String> {
    let article = Article {
        body: body.to_string(),
        lang: Some("en".to_string()),
        ..Article::default()
    };
    Enricher::new().enrich(&article).people
}

#[test]
fn goal_scorers_with_their_minutes_are_people() {
    assert_eq!(
        people_en(
            "Scorers: Lubarskij (50th minute), Valkucak (54th)\n\
             Omsk 4 (Perrin 15th, Taval 54th, Hollan 67th penalty, Brisk 80th-pen)\n"
        ),
        [
            "Lubarskij",
            "Valkucak",
            "Perrin",
            "Taval",
            "Hollan",
            "Brisk"
        ]
    );
    // An ordinal that is no minute, or not in a list, vouches for nobody.
    assert_eq!(
        people_en("Ranked 18th in the world, he won. Promising 10th-ranked Soren won.\n"),
        Vec::<String>::new()
    );
}

#[test]
fn bowling_figures_vouch_for_the_bowler() {
    assert_eq!(
        people_en("Bowling: Lewis 12-1-76-0, Mullally 37.1-7-97-3, Croft 4-0-12-0\n"),
        ["Lewis", "Mullally", "Croft"]
    );
}

#[test]
fn one_word_competitors_with_a_country_are_people_but_clubs_are_not() {
    assert_eq!(
        people_en(
            "Results:\n\
             1 - Wang Chen (China) beat Cindana (Indonesia) 11-3\n\
             2 - Meluawati (Indonesia) beat Olivia Tern (Malaysia) 11-6\n\
             Grenn (NOR) 10.12\n"
        ),
        ["Wang Chen", "Cindana", "Meluawati", "Olivia Tern", "Grenn"]
    );
    assert_eq!(
        people_en(
            "Results:\n\
             Brann (Norway) 2 Shelbourne (Ireland) 1\n\
             Batumi (Georgia) 3 (0-2)\n\
             x-Olympiakos v Ferencvaros (Hungary)\n\
             Edgbaston (Birmingham)\n\
             Acme (USA) bought it.\n"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_rank_is_no_sentence_end_and_list_names_keep_their_first_word() {
    // `Christie` is a given name; the rank before `Linford` does not make it a sentence opener.
    assert_eq!(
        people_en("Results:\n5. Linford Christie (Britain) 10.14\nSalim Malik not out 2\n"),
        ["Linford Christie", "Salim Malik"]
    );
}

#[test]
fn players_with_their_club_in_brackets_are_people() {
    assert_eq!(
        people_en(
            "Squad:\nDefenders - Stephane Harmoz (Hamburg), Marc Hotter (Everton)\n\
             The deal with Acme Holdings (Europe) fell through.\n"
        ),
        ["Stephane Harmoz", "Marc Hotter"]
    );
}

#[test]
fn roles_of_sport_family_and_politics_vouch_for_names() {
    assert_eq!(
        people_en(
            "Rebel chief-of-staff Aslan Maskadar signed. EU Farm Commissioner Franz Fischler \
             spoke. Bronze medallist Ato Boldan ran. He met his wife Jetty Korsa.\n"
        ),
        [
            "Aslan Maskadar",
            "Franz Fischler",
            "Ato Boldan",
            "Jetty Korsa"
        ]
    );
    // A lower-case role does not reach over `of the`; no role reaches a one-word name over
    // `for`.
    assert_eq!(
        people_en(
            "He was winner of the Leeds Classic. The High Commissioner for Refugees spoke.\n"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn ages_shirt_numbers_and_golf_rounds_vouch_for_names() {
    assert_eq!(
        people_en(
            "Police named them as Santa Pugliso, 22, and Salvo Bottan, 19.\n\
             New Zealand - 15 - Kristian Cullan, 14 - Jeff Wilsan; 3 - Olo Browne\n"
        ),
        [
            "Santa Pugliso",
            "Salvo Bottan",
            "Kristian Cullan",
            "Jeff Wilsan",
            "Olo Browne"
        ]
    );
    // A golf list wraps a name across lines; a league table is no list of people.
    assert_eq!(
        people_en(
            "Leading scores:\n147 Antoine Lebouc (France) 74 73, Paul Curry 76 71, Andrew\n\
             Affleck 74 73, Tomas Brill 75 72\nArsenal 10 7 2 1 20 8 23\nChelsea 10 10 12 14\n"
        ),
        [
            "Antoine Lebouc",
            "Paul Curry",
            "Andrew Affleck",
            "Tomas Brill"
        ]
    );
    assert_eq!(
        people_en(
            "Apartheid killer Eugene de Kock was found guilty. De Kock told the court nothing.\n"
        ),
        ["Eugene de Kock"]
    );
}

#[test]
fn kin_vouch_for_full_names_only_and_roles_stop_at_a_sentence_end() {
    assert_eq!(
        people_en(
            "Walter Munkel died. His wife Mary said he was kind. His son Tomas Munkel spoke.\n"
        ),
        ["Walter Munkel", "Tomas Munkel"]
    );
    assert_eq!(
        people_en(
            "He was last year's winner. Image: none. I got the runner-up. Second one was \
             later. If I'm an ISIS fighter I've got a chance. A UN rapporteur for the High \
             Commissioner for Human Rights spoke.\n"
        ),
        Vec::<String>::new()
    );
    // `fellow` vouches across a nationality, not for the words right after it.
    assert_eq!(
        people_en("He adopted the position perfected by fellow Briton Graeme Obree.\n"),
        ["Graeme Obree"]
    );
    assert_eq!(
        people_en(
            "His fellow Welshman Ray Reardon won the title. Teri Hatcher beat fellow \
             Desperate Housewives stars to the prize.\n"
        ),
        ["Teri Hatcher"]
    );
    assert_eq!(people_en("Sheriff Lee said so.\n"), ["Lee"]);
    assert_eq!(
        people_en("Rebel leader Gen. Abdul Dostam spoke.\n"),
        ["Abdul Dostam"]
    );
}

#[test]
fn a_relative_who_vouches_for_a_name_but_not_for_a_group() {
    assert_eq!(
        people_en("Loris Wendt, who made the cut, played. Dean Palmo who scored went home.\n"),
        ["Loris Wendt", "Dean Palmo"]
    );
    assert_eq!(
        people_en(
            "Seven Iraqis who seized a plane gave up. The Shoshone Tribe, who host it, agreed.\n"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn titles_end_where_a_name_begins() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Regional Governor Mujiv Hataman agreed with the army.\n",
            &["Mujiv Hataman"],
        ),
        (
            "\"We will find it,\" said Detective Inspector Steven Jones.\n",
            &["Steven Jones"],
        ),
        (
            "According to Chief Superintendent Graciano Mijares, fourteen died.\n",
            &["Graciano Mijares"],
        ),
        (
            "USDA General Sales Manager Melvin Sims told the Senate.\n",
            &["Melvin Sims"],
        ),
        (
            "United States Senator from Vermont Bernie Sanders has earned 914.\n",
            &["Bernie Sanders"],
        ),
        (
            "The result was projected for former US Vice-President Joe Biden.\n",
            &["Joe Biden"],
        ),
        ("Stephen King wrote the novel in 1986.\n", &["Stephen King"]),
        (
            "It sold units to Whittaker General Medical Corp on Monday.\n",
            &[],
        ),
        (
            "Shares of General Electric Co rose, and Ford Motor Co. fell.\n",
            &[],
        ),
    ];
    check(people_en, cases);
}

#[test]
fn a_role_between_commas_before_said_vouches_for_a_name() {
    assert_eq!(
        people_en(
            "Satyendra Jain, the city's home minister, said floors were added. Souhail \
             Alouini, a member of Parliament, said the bill stalled.\n"
        ),
        ["Satyendra Jain", "Souhail Alouini"]
    );
    // A capitalised word after the comma may be another name.
    assert_eq!(
        people_en(
            "Staff of the Institute of Medical Research, Professor Robin Lovell-Badge, said so.\n"
        ),
        ["Robin Lovell-Badge"]
    );
}

#[test]
fn a_competitor_of_a_country_with_a_result_is_a_person() {
    assert_eq!(
        people_en("Yesterday, Karsten Warholm of Norway won the 400 metres hurdles final.\n"),
        ["Karsten Warholm"]
    );
    assert_eq!(
        people_en("Writers Guild of America said talks would resume.\n"),
        Vec::<String>::new()
    );
}

#[test]
fn christian_is_a_given_name_but_not_the_start_of_a_party_or_charity() {
    let cases: &[(&str, &[&str])] = &[
        (
            "In findings published last month, Dr Christian Keysers said the rats avoided harm.\n",
            &["Christian Keysers"],
        ),
        (
            "President Francesco Cossiga asked Christian Democrat leader Giulio Andreotti to \
             form a government.\n",
            &["Francesco Cossiga", "Giulio Andreotti"],
        ),
        (
            "Christian Aid said the Christian Science Monitor reported the appeal.\n",
            &[],
        ),
        ("Band Aid sold a million copies.\n", &[]),
        ("Christian leaders met in Rome on Monday.\n", &[]),
    ];
    check(people, cases);
}

#[test]
fn a_family_name_that_is_also_a_word_ends_a_name_after_a_title_or_before_said() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Conservative spokeswoman Theresa May said the party would act.\n",
            &["Theresa May"],
        ),
        (
            "Former New York City Mayor Michael Bloomberg planned to invest.\n",
            &["Michael Bloomberg"],
        ),
        (
            "Guitarist Brian May said the tour would go on.\n",
            &["Brian May"],
        ),
        ("Brian May said the tour would go on.\n", &["Brian May"]),
        // Without either, the given name alone is not enough to make a name of the month.
        ("By Friday, Brian May had left.\n", &[]),
        // Not a family name: a body, whatever comes before.
        (
            "The veteran Christian Democrat Giulio Andreotti said no.\n",
            &["Giulio Andreotti"],
        ),
    ];
    check(people, cases);
}

#[test]
fn a_place_or_body_named_after_a_person_is_no_mention_of_them() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Cases passed a million, according to Johns Hopkins University.\n",
            &[],
        ),
        (
            "A grant came from the Bill & Melinda Gates Foundation.\n",
            &[],
        ),
        ("She won the Jesse Owens Award in 2004.\n", &[]),
        (
            "Bill Gates said the Bill & Melinda Gates Foundation would pay.\n",
            &["Bill Gates"],
        ),
    ];
    check(people, cases);
}

#[test]
fn scraped_captions_and_more_titles_stay_out_of_names() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Libertarian nominee Jo JorgensenImage: the campaign. Jorgensen spoke.\n",
            &["Jo Jorgensen"],
        ),
        (
            "Assemblywoman Selena Torres backed the bill.\n",
            &["Selena Torres"],
        ),
        ("Constable Gary Gray was hurt.\n", &["Gary Gray"]),
        (
            "South Carolina Governor Henry McMaster signed it.\n",
            &["Henry McMaster"],
        ),
        (
            "Aides in the Bill Clinton White House said so.\n",
            &["Bill Clinton"],
        ),
        ("Tests Show James Died of Heart Attack\n", &[]),
        (
            "He was chosen by the Charlotte Hornets in the first round.\n",
            &[],
        ),
        (
            "The recall followed a statement by the Consumer Product Safety Commission.\n",
            &[],
        ),
    ];
    check(people, cases);
}

#[test]
fn a_full_name_without_evidence_is_vouched_for_by_its_family_name_speaking_elsewhere() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Talks were held with Zdzislaw Wierzbicki on Monday.\n\nWierzbicki said the data were clear.",
            &["Zdzislaw Wierzbicki"],
        ),
        // Without the family name speaking, the span has no evidence.
        (
            "Talks were held with Zdzislaw Wierzbicki on Monday.\n\nThe data were clear.",
            &[],
        ),
        // A sentence opened on a word that is no given name: not vouched for.
        (
            "Talks ended. Meanwhile Wierzbicki left on Monday.\n\nWierzbicki said the data were clear.",
            &[],
        ),
        // A span opened by a place is not vouched for.
        (
            "Crowds met Hong Kong Zdzislaw Wierzbicki on Monday.\n\nWierzbicki said the data were clear.",
            &[],
        ),
    ];
    check(people, cases);
}

#[test]
fn the_us_given_names_vouch_for_names_of_world_news_and_no_word_is_one() {
    let cases: &[(&str, &[&str])] = &[
        (
            "The other two places were awarded to Oleg Titov, fifth year at the university.",
            &["Oleg Titov"],
        ),
        (
            "Madina Bizheva, in her fourth year at the university, won.",
            &["Madina Bizheva"],
        ),
        (
            "The final went to Lleyton Hewitt in four sets.",
            &["Lleyton Hewitt"],
        ),
        // Words of English, Spanish or Catalan that are also baby names: no evidence.
        ("Barcelona won again at the Nou Camp on Sunday.", &[]),
        ("The film came from Buena Vista last year.", &[]),
        ("Guests of Honour Cherie and Sean arrived.", &[]),
        // A given name opening the name of a firm or a place.
        ("The race at Daytona Beach drew crowds.", &[]),
        ("Asbury Automotive Group reported higher sales.", &[]),
        ("Rooms at Westin Hotels cost more this year.", &[]),
    ];
    check(people, cases);
    for name in ["Oleg", "Aparna", "Thierry", "Kostas"] {
        assert!(crate::enrich::is_given_name(name), "{name}");
    }
    for word in [
        "Nou", "Buena", "Honour", "Story", "Justice", "Kennedy", "Dakota",
    ] {
        assert!(!crate::enrich::is_given_name(word), "{word}");
    }
}
