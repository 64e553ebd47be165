use super::*;

fn lists() -> NameLists<'static> {
    NameLists {
        is_given_name: &given,
        is_surname: &|word: &str| matches!(word, "Clarke" | "Clark" | "Davies" | "Davis"),
    }
}

fn given(word: &str) -> bool {
    matches!(
        word,
        "Ronald"
            | "Nancy"
            | "George"
            | "Nigel"
            | "Shane"
            | "Albert"
            | "Tim"
            | "Clayton"
            | "Oscar"
            | "Bill"
            | "Hillary"
            | "Recep"
            | "David"
    )
}

fn evidence(people: &[(&str, u64)], orgs: &[(&str, u64)], cues: &[(&str, u64)]) -> Evidence {
    let map = |pairs: &[(&str, u64)]| pairs.iter().map(|&(k, n)| (k.to_string(), n)).collect();
    Evidence {
        people: map(people),
        orgs: map(orgs),
        org_cues: map(cues),
        person_dates: BTreeMap::new(),
    }
}

/// The canonical name each form resolves to, as a person (`P`) or organisation (`O`).
fn resolved(names: &Names, forms: &[&str]) -> Vec<String> {
    forms
        .iter()
        .map(|form| {
            let entity = names.person(form);
            let kind = match entity.kind {
                NameKind::Person => "P",
                NameKind::Org => "O",
            };
            format!("{form} -> {kind} {}", entity.name)
        })
        .collect()
}

#[test]
fn a_bare_surname_joins_the_person_who_dominates_it_and_not_an_ambiguous_one() {
    let names = resolve(
        &evidence(
            &[
                ("Reagan", 340),
                ("Ronald Reagan", 37),
                ("Nancy Reagan", 4),
                ("Clinton", 50),
                ("Bill Clinton", 20),
                ("Hillary Clinton", 18),
            ],
            &[],
            &[],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(&names, &["Reagan", "Nancy Reagan", "Clinton"]),
        [
            "Reagan -> P Ronald Reagan",
            "Nancy Reagan -> P Nancy Reagan",
            "Clinton -> P Clinton",
        ]
    );
    let reagan = names.find("reagan").unwrap();
    assert_eq!(reagan.person_forms, ["Reagan", "Ronald Reagan"]);
    assert_eq!(reagan.articles, 377);
    assert_eq!(reagan.id, entity_id(NameKind::Person, "ronald|reagan"));
}

#[test]
fn diacritics_middle_names_initials_misspellings_and_glued_words_join_one_person() {
    let names = resolve(
        &evidence(
            &[
                ("Recep Tayyip Erdoğan", 9),
                ("Recep Erdogan", 2),
                ("Erdoğan", 5),
                ("Erdogan", 3),
                ("Clayton E. Cramer", 6),
                ("Clayton Cramer", 4),
                ("Oscar Luigi Scalfaro", 5),
                ("Oscar Scalfaro", 1),
                ("Shane Warne", 12),
                ("S. Warne", 3),
                ("Albert Einstein", 30),
                ("Albert Einstien", 1),
                ("Nigel Lawson", 25),
                ("Exchequer Nigel Lawson", 2),
                ("Tim Clock", 14),
                ("Tim Clock Ph", 2),
            ],
            &[],
            &[],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(
            &names,
            &[
                "Erdogan",
                "Erdoğan",
                "Recep Erdogan",
                "Clayton E. Cramer",
                "Oscar Scalfaro",
                "S. Warne",
                "Albert Einstien",
                "Exchequer Nigel Lawson",
                "Tim Clock Ph",
            ]
        ),
        [
            "Erdogan -> P Recep Tayyip Erdoğan",
            "Erdoğan -> P Recep Tayyip Erdoğan",
            "Recep Erdogan -> P Recep Tayyip Erdoğan",
            "Clayton E. Cramer -> P Clayton E. Cramer",
            "Oscar Scalfaro -> P Oscar Luigi Scalfaro",
            "S. Warne -> P Shane Warne",
            "Albert Einstien -> P Albert Einstein",
            "Exchequer Nigel Lawson -> P Nigel Lawson",
            "Tim Clock Ph -> P Tim Clock",
        ]
    );
}

#[test]
fn two_middle_names_keep_two_people_apart_and_the_bare_forms_alone() {
    let names = resolve(
        &evidence(
            &[
                ("George Bush", 40),
                ("George W. Bush", 30),
                ("George H. W. Bush", 10),
                ("George Herbert Walker Bush", 1),
                ("Bush", 90),
            ],
            &[],
            &[],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(
            &names,
            &[
                "George Bush",
                "George W. Bush",
                "George Herbert Walker Bush",
                "Bush"
            ]
        ),
        [
            "George Bush -> P George Bush",
            "George W. Bush -> P George W. Bush",
            "George Herbert Walker Bush -> P George H. W. Bush",
            "Bush -> P Bush",
        ]
    );
}

#[test]
fn a_rare_variant_with_a_given_name_first_or_a_surname_last_stays_its_own() {
    // `Mary Ann Smith` is not `Ann Smith` with a stray word, and `Einstien` alone is no
    // misspelling when both spellings are common.
    let names = resolve(
        &evidence(
            &[
                ("Ann Smith", 20),
                ("Mary Ann Smith", 1),
                ("Paul Jones", 20),
                ("Paul Jones Smith", 1),
                ("Carl Meyer", 10),
                ("Carl Meier", 8),
            ],
            &[],
            &[],
        ),
        &NameLists {
            is_given_name: &|word: &str| matches!(word, "Mary" | "Ann" | "Paul" | "Carl"),
            is_surname: &|_: &str| false,
        },
    );
    assert_eq!(
        resolved(
            &names,
            &["Mary Ann Smith", "Paul Jones Smith", "Carl Meier"]
        ),
        [
            "Mary Ann Smith -> P Mary Ann Smith",
            "Paul Jones Smith -> P Paul Jones Smith",
            "Carl Meier -> P Carl Meier",
        ]
    );
    assert!(names.is_empty());
}

#[test]
fn a_name_the_archive_shows_as_an_organisation_leaves_the_people() {
    let names = resolve(
        &evidence(
            &[
                ("Merrill Lynch", 198),
                ("Morgan Stanley", 60),
                ("Warren Buffett", 40),
                ("Dean Witter", 3),
            ],
            &[
                ("Merrill Lynch & Co", 90),
                ("Merrill Lynch Capital Markets", 12),
                ("International Business Machines Corp", 8),
                ("IBM", 20),
                ("IBM Corp", 5),
                ("United Nations", 30),
                ("U.N.", 12),
            ],
            &[
                ("Morgan Stanley", 15),
                ("Warren Buffett", 3),
                ("Dean Witter", 1),
            ],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(
            &names,
            &[
                "Merrill Lynch",
                "Morgan Stanley",
                "Warren Buffett",
                "Dean Witter"
            ]
        ),
        [
            "Merrill Lynch -> O Merrill Lynch",
            "Morgan Stanley -> O Morgan Stanley",
            "Warren Buffett -> P Warren Buffett",
            "Dean Witter -> P Dean Witter",
        ]
    );
    let ibm = names.org("IBM Corp");
    assert_eq!(ibm.name, "IBM");
    assert_eq!(names.org("IBM").id, ibm.id);
    assert_eq!(
        ibm.id,
        entity_id(NameKind::Org, "international business machines")
    );
    assert_eq!(
        names.org("Merrill Lynch Capital Markets").name,
        "Merrill Lynch Capital Markets"
    );
    assert_eq!(names.org("U.N.").name, "United Nations");
    let merrill = names.find("merrill lynch").unwrap();
    assert_eq!(merrill.person_forms, ["Merrill Lynch"]);
    assert_eq!(merrill.org_forms, ["Merrill Lynch & Co"]);
}

#[test]
fn names_survive_their_file_and_an_unknown_value_is_its_own_entity() {
    let names = resolve(
        &evidence(&[("Reagan", 3), ("Ronald Reagan", 2)], &[], &[]),
        &lists(),
    );
    let back = crate::archive::from_json(&crate::archive::to_json(&names)).unwrap();
    assert_eq!(back, names);
    assert_eq!(back.person("Reagan").name, "Ronald Reagan");
    let alone = back.person("Marco Rubio");
    assert_eq!(alone.name, "Marco Rubio");
    assert_eq!(alone.id, entity_id(NameKind::Person, "marco|rubio"));
    assert_eq!(
        crate::archive::from_json(br#"{"version": 9, "entities": []}"#).unwrap_err(),
        "version 9, expected 1"
    );
}

#[test]
fn keys_fold_case_diacritics_company_forms_and_suffixes() {
    assert_eq!(person_key("Recep Tayyip Erdoğan"), "recep|erdogan");
    assert_eq!(person_key("Martin Luther King Jr."), "martin|king");
    assert_eq!(person_key("Erdoğan"), "|erdogan");
    assert_eq!(
        org_key("The Goldman Sachs Group, Inc."),
        "goldman sachs group"
    );
    assert_eq!(org_key("Merrill Lynch & Co"), "merrill lynch");
    assert_eq!(org_key("AT&T"), "at and t");
    assert_eq!(
        acronym("international business machines"),
        Some("ibm".into())
    );
    assert_eq!(acronym("bank of japan"), Some("bj".into()));
    assert!(is_acronym("U.N.") && is_acronym("IBM") && !is_acronym("Ibm"));
}

#[test]
fn forms_decades_apart_are_two_people_and_forms_of_one_era_one() {
    let at = |year: i64| (year - 1970) * 31_556_952;
    let dated = |dates: &[(&str, i64, u64)]| {
        let mut evidence = evidence(
            &[("Oscar Luigi Scalfaro", 5), ("Oscar Scalfaro", 2)],
            &[],
            &[],
        );
        for &(form, year, n) in dates {
            evidence
                .person_dates
                .insert(form.to_string(), (at(year) * n as i64, n));
        }
        resolved(&resolve(&evidence, &lists()), &["Oscar Scalfaro"])
    };
    assert_eq!(
        dated(&[
            ("Oscar Luigi Scalfaro", 1992, 5),
            ("Oscar Scalfaro", 1996, 2)
        ]),
        ["Oscar Scalfaro -> P Oscar Luigi Scalfaro"]
    );
    assert_eq!(
        dated(&[
            ("Oscar Luigi Scalfaro", 1992, 5),
            ("Oscar Scalfaro", 2019, 2)
        ]),
        ["Oscar Scalfaro -> P Oscar Scalfaro"]
    );
}

#[test]
fn a_person_is_named_by_a_form_that_starts_with_a_given_name() {
    let names = resolve(
        &evidence(
            &[("Exchequer Nigel Lawson", 45), ("Nigel Lawson", 5)],
            &[],
            &[],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(&names, &["Exchequer Nigel Lawson", "Nigel Lawson"]),
        [
            "Exchequer Nigel Lawson -> P Nigel Lawson",
            "Nigel Lawson -> P Nigel Lawson"
        ]
    );
}

#[test]
fn a_short_form_of_a_given_name_joins_the_formal_name_and_no_other_short_form() {
    let names = resolve(
        &evidence(
            &[
                ("Jim Wright", 30),
                ("James Wright", 11),
                ("Bernie Ebbers", 6),
                ("Bernard Ebbers", 4),
                ("Bernard J. Ebbers", 3),
                // Two short forms of Thomas, one with a middle name: two people.
                ("Tom Jones", 5),
                ("Tommy Lee Jones", 4),
                // Another surname as written.
                ("Eddie O'Sullivan", 9),
                ("Ed Sullivan", 2),
            ],
            &[],
            &[],
        ),
        &lists(),
    );
    assert_eq!(
        resolved(
            &names,
            &[
                "James Wright",
                "Bernard J. Ebbers",
                "Tom Jones",
                "Tommy Lee Jones",
                "Ed Sullivan"
            ]
        ),
        [
            "James Wright -> P Jim Wright",
            "Bernard J. Ebbers -> P Bernie Ebbers",
            "Tom Jones -> P Tom Jones",
            "Tommy Lee Jones -> P Tommy Lee Jones",
            "Ed Sullivan -> P Ed Sullivan",
        ]
    );
}

#[test]
fn a_short_and_a_formal_given_name_stay_two_people_on_a_surname_the_archive_shows_common() {
    // Smith with eleven given names (Mike and Michael one name among them); Ebbers with one.
    let mut people = vec![
        ("Mike Smith", 9),
        ("Michael Smith", 6),
        ("Will Smith", 7),
        ("William Smith", 3),
        ("Bernie Ebbers", 6),
        ("Bernard Ebbers", 4),
    ];
    let others = [
        "Adam Smith",
        "Ian Smith",
        "John Smith",
        "Delia Smith",
        "Paul Smith",
        "Graham Smith",
        "Iain Smith",
        "Patti Smith",
        "Kevin Smith",
    ];
    people.extend(others.iter().map(|&name| (name, 2)));
    let names = resolve(&evidence(&people, &[], &[]), &lists());
    let asked = ["Michael Smith", "William Smith", "Bernard Ebbers"];
    assert_eq!(
        resolved(&names, &asked),
        [
            "Michael Smith -> P Michael Smith",
            "William Smith -> P William Smith",
            "Bernard Ebbers -> P Bernie Ebbers",
        ]
    );
    // One given name fewer on Smith and the short forms join their formal names again.
    people.retain(|&(name, _)| name != "Kevin Smith");
    let names = resolve(&evidence(&people, &[], &[]), &lists());
    assert_eq!(
        resolved(&names, &asked),
        [
            "Michael Smith -> P Mike Smith",
            "William Smith -> P Will Smith",
            "Bernard Ebbers -> P Bernie Ebbers",
        ]
    );
}
