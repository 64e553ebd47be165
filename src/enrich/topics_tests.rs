//! Tests of the taxonomy and topic scoring.

use super::*;
use crate::article::Article;
use crate::enrich::Enricher;

const TOP_LEVELS: [&str; 17] = [
    "arts",
    "conflict",
    "crime",
    "disaster",
    "economy",
    "education",
    "environment",
    "health",
    "human-interest",
    "labour",
    "lifestyle",
    "politics",
    "religion",
    "science",
    "society",
    "sport",
    "weather",
];

fn topics(title: &str, body: &str) -> Vec<String> {
    let article = Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    Enricher::new().enrich(&article).topics
}

#[test]
fn taxonomy_has_the_seventeen_top_levels_with_qcodes() {
    let (topics, bad) = parse_taxonomy(TOPICS_TSV);
    assert_eq!(bad, Vec::<usize>::new());
    let tops: Vec<&str> = topics
        .iter()
        .map(|t| t.path)
        .filter(|p| !p.contains('/'))
        .collect();
    assert_eq!(tops, TOP_LEVELS);
    assert_eq!(topic_qcodes("economy"), Some(&["medtop:04000000"][..]));
    assert_eq!(topic_qcodes("weather"), Some(&["medtop:17000000"][..]));
    assert_eq!(topic_label("economy/trade"), Some("Trade"));
    assert_eq!(
        topic_qcodes("economy/trade"),
        Some(&["medtop:20000373"][..])
    );
    assert_eq!(topic_qcodes("economy/media"), Some(&[][..]));
    for topic in taxonomy() {
        for qcode in &topic.qcodes {
            let digits = qcode.strip_prefix("medtop:").unwrap_or_default();
            assert!(
                digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()),
                "{}: {qcode}",
                topic.path
            );
        }
    }
    assert_eq!(topic_label("nowhere"), None);
    for (path, _) in all_topics() {
        let top = path.split('/').next().unwrap_or(path);
        assert!(TOP_LEVELS.contains(&top), "{path}");
    }
}

#[test]
fn builtin_terms_all_parse() {
    let mut errors = Vec::new();
    let terms = parse_terms(TERMS_TSV, |line, message| errors.push((line, message)));
    assert_eq!(errors, Vec::new());
    assert!(terms.len() > 1000, "{}", terms.len());
}

#[test]
fn plurals_are_variants() {
    assert_eq!(variants("tariff"), ["tariff", "tariffs"]);
    assert_eq!(variants("rare earth"), ["rare earth", "rare earths"]);
    assert_eq!(variants("refinery"), ["refinery", "refineries"]);
    assert_eq!(variants("tax"), ["tax", "taxes"]);
    assert_eq!(variants("F1"), ["F1"]);
}

#[test]
fn articles_get_their_main_topic_first() {
    let cases = [
        (
            "Striker's late goal wins derby",
            "The striker scored a late goal in the match as the coach praised his team.",
            "sport",
        ),
        (
            "Tariffs hit exports",
            "New tariffs and duties on steel imports threaten the trade deal, exporters said.",
            "economy",
        ),
        (
            "Ceasefire talks resume",
            "Troops shelled rebel positions before envoys met to discuss a ceasefire.",
            "conflict",
        ),
        (
            "Polls open",
            "Voters cast ballots in the election as candidates campaigned.",
            "politics",
        ),
    ];
    for (title, body, top) in cases {
        let found = topics(title, body);
        let first_top = found.first().and_then(|t| t.split('/').next());
        assert_eq!(first_top, Some(top), "{title}: {found:?}");
    }
    assert!(
        topics("Tariffs hit exports", "New tariffs on steel imports.")
            .contains(&"economy/trade".to_string())
    );
}

#[test]
fn word_boundaries_are_respected() {
    assert_eq!(
        topics("", "Scorecards and goalposts."),
        Vec::<String>::new()
    );
}

#[test]
fn subtopics_replace_their_parents() {
    let found = topics(
        "Tariffs hit exports",
        "New tariffs and duties on steel imports threaten the trade deal, exporters said. \
         Envoys met at a summit on the tariffs.",
    );
    assert_eq!(found.first().map(String::as_str), Some("economy/trade"));
    for (i, topic) in found.iter().enumerate() {
        assert!(
            !found[i + 1..]
                .iter()
                .chain(&found[..i])
                .any(|other| other.starts_with(&format!("{topic}/"))),
            "{topic} is the parent of another topic: {found:?}"
        );
    }
}

#[test]
fn a_top_level_alone_when_no_subtopic_passes() {
    let (_, bad) = parse_taxonomy(TOPICS_TSV);
    assert!(bad.is_empty());
    let (matcher, _) = TopicMatcher::new(&[]);
    let mut scores = vec![0f32; taxonomy().len()];
    let politics = topic_index("politics").unwrap();
    let diplomacy = topic_index("politics/diplomacy").unwrap();
    let trade = topic_index("economy/trade").unwrap();
    let sport = topic_index("sport").unwrap();
    scores[politics] = 2.0;
    scores[diplomacy] = 9.0;
    scores[trade] = 10.0;
    scores[sport] = 1.0;
    let totals = |scores: &[f32]| {
        let mut totals = vec![0f32; scores.len()];
        for (index, &score) in scores.iter().enumerate() {
            totals[matcher.parents[index]] += score;
        }
        totals
    };
    // politics totals 11 against economy's 10: its subtopic leads though trade scores more.
    assert_eq!(
        matcher.select(&scores, &totals(&scores)).0,
        ["politics/diplomacy", "economy/trade"]
    );
    scores[diplomacy] = 1.0;
    scores[politics] = 20.0;
    assert_eq!(
        matcher.select(&scores, &totals(&scores)).0,
        ["politics", "economy/trade"]
    );
}

#[test]
fn result_scores_and_instrument_codes_are_counted() {
    assert_eq!(score_count("Illini win 70-63 (5-2) and 3-1."), 3);
    assert_eq!(
        score_count("In 2004-05 a 20-year-old took 60-70% of 1996-08-22"),
        0
    );
    assert_eq!(
        ticker_count("Dell Inc. (DELL.O) and <CIEN.O>, GM.N and NT.TO:"),
        4
    );
    assert_eq!(
        ticker_count("the U.S. and U.N. in Washington D.C. at 10.30"),
        0
    );
}

#[test]
fn short_sports_items_read_as_sport() {
    let found = topics(
        "Tigers edge Cardinals 70-63",
        "Freshman guard hit two free throws in overtime as the Tigers beat the Cardinals.",
    );
    assert_eq!(
        found.first().and_then(|t| t.split('/').next()),
        Some("sport")
    );
    // A common word capitalised inside a sentence is a name: the Miami Heat are no weather.
    let found = topics(
        "Shaq shines again",
        "O'Neal scored 30 as the Miami Heat won 98-90.",
    );
    assert_eq!(
        found.first().and_then(|t| t.split('/').next()),
        Some("sport")
    );
}

#[test]
fn case_tells_names_from_common_words() {
    assert!(is_title_case("Iowa Bests Iowa State in Overtime"));
    assert!(!is_title_case(
        "Rain and heat are expected across the region"
    ));
    let text = "Fans saw the Heat win. Heat waves hit.";
    assert!(is_proper_use(text, 13));
    assert!(!is_proper_use(text, 23));
    assert!(!is_proper_use(text, 0));
}

#[test]
fn a_word_counts_once_for_its_top_level() {
    let (matcher, _) = TopicMatcher::new(&[]);
    let education = topic_index("education").unwrap();
    let schools = topic_index("education/schools").unwrap();
    let sport = topic_index("sport").unwrap();
    let mut evidence = Evidence {
        scores: vec![0f32; taxonomy().len()],
        totals: vec![0f32; taxonomy().len()],
        credited: Vec::new(),
    };
    // `school` under a parent and its subtopic: both score, the top level counts it once.
    matcher.add_hit(
        10,
        &[(education, 2.0), (schools, 2.0)],
        1.5,
        &mut evidence,
        true,
    );
    assert_eq!(
        (evidence.scores[education], evidence.scores[schools]),
        (3.0, 3.0)
    );
    assert_eq!(evidence.totals[education], 3.0);
    assert_eq!(evidence.totals[schools], 0.0);
    // The same word matched again at the same place by the second pass (`cup` in any case, then
    // `Cup` as written) adds only what its larger weight adds; another place counts again.
    matcher.add_hit(40, &[(sport, 1.0)], 1.5, &mut evidence, true);
    matcher.add_hit(40, &[(sport, 2.0)], 1.5, &mut evidence, false);
    assert_eq!(evidence.totals[sport], 3.0);
    matcher.add_hit(40, &[(sport, 1.0)], 1.5, &mut evidence, false);
    assert_eq!(evidence.totals[sport], 3.0);
    matcher.add_hit(60, &[(sport, 1.0)], 1.5, &mut evidence, true);
    assert_eq!(evidence.totals[sport], 4.5);
}

#[test]
fn headlines_weigh_two_thirds_of_their_weight_for_names() {
    let article = Article {
        title: "Title".to_string(),
        body: "Body".to_string(),
        ..Article::default()
    };
    let segments = text::segments(&article);
    assert_eq!(
        topic_weight(&segments[0], 0),
        segments[0].weight_at(0) * 2.0 / 3.0
    );
    assert_eq!(topic_weight(&segments[1], 0), segments[1].weight_at(0));
}

#[test]
fn short_news_items_get_their_field() {
    let cases = [
        (
            "Top-seeded pair advance in straight sets",
            "The defending champion needed two tiebreakers before reaching the quarterfinals.",
            "sport",
        ),
        (
            "Tailback runs for 150 yards",
            "The sophomore scored twice as the unbeaten team stayed in the conference title race.",
            "sport",
        ),
        (
            "Retailer posts higher quarterly profit",
            "Earnings per share beat estimates as same-store sales rose, the chain said.",
            "economy",
        ),
        (
            "Chipmaker unveils faster processor",
            "The dual-core chips will ship in notebook computers and desktops next year.",
            "science",
        ),
        (
            "Astronomers spot distant exoplanet",
            "The telescope found the planet orbiting a star 40 light-years away.",
            "science",
        ),
        (
            "Roadside bomb kills soldiers",
            "Insurgents ambushed a convoy as security forces fought gunmen near the border.",
            "conflict",
        ),
    ];
    for (title, body, top) in cases {
        let found = topics(title, body);
        let first_top = found.first().and_then(|t| t.split('/').next());
        assert_eq!(first_top, Some(top), "{title}: {found:?}");
    }
}

#[test]
fn a_verb_in_a_headline_is_no_currency_or_play() {
    // `Marks` and `Play` are verbs here, not the Deutsche mark nor the theatre.
    let found = topics(
        "Nation Marks Independence Day",
        "Crowds gathered as the president laid a wreath and the parliament held a session.",
    );
    assert_eq!(
        found.first().and_then(|t| t.split('/').next()),
        Some("politics")
    );
    let found = topics(
        "Ministry Seeks to Play Down Report",
        "The government said the report would not upset the talks, a minister said.",
    );
    assert_eq!(
        found.first().and_then(|t| t.split('/').next()),
        Some("politics")
    );
}

#[test]
fn every_section_word_names_a_top_level() {
    let mut lines = 0;
    for (number, line) in data_lines(SECTIONS_TSV) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [word, topic] = fields.as_slice() else {
            panic!("line {number}: {line:?}");
        };
        assert!(TOP_LEVELS.contains(topic), "line {number}: {topic}");
        assert_eq!(word.to_ascii_lowercase(), *word, "line {number}");
        lines += 1;
    }
    assert_eq!(lines, section_words().len());
    assert_eq!(lines, 66);
}

#[test]
fn section_words_of_urls_and_paths_name_their_top_levels() {
    let cases: &[(Option<&str>, &str, &[&str])] = &[
        (
            Some("https://www.bbc.co.uk/sport/football/68012345"),
            "a.html",
            &["sport"],
        ),
        (
            Some("https://www.bbc.com/news/business-61791234"),
            "",
            &["economy"],
        ),
        (
            Some("https://www.bbc.com/news/uk-politics-61791234"),
            "",
            &["politics"],
        ),
        (
            Some("https://www.bbc.com/news/world-us-canada-12345"),
            "",
            &[],
        ),
        (
            Some("https://sports.example.com/2024/05/01/a"),
            "",
            &["sport"],
        ),
        (
            Some("https://example.com/tech/?ref=sport"),
            "",
            &["science"],
        ),
        (
            Some("https://example.com/Business/Markets/"),
            "",
            &["economy"],
        ),
        (
            Some("https://example.com/entertainment-arts-123"),
            "",
            &["arts"],
        ),
        // A headline made a slug is not a section, with a number or without.
        (
            Some("https://example.com/2024/sport-star-wins-the-open-123"),
            "",
            &[],
        ),
        (Some("https://example.com/health-care-reform"), "", &[]),
        (Some("https://www.example.com/"), "", &[]),
        (None, "corpus/tech/001.txt", &["science"]),
        (None, "bbc/business/012.txt", &["economy"]),
        (None, "archive/sport.jsonl", &["sport"]),
        (None, "2024\\politics\\a.txt", &["politics"]),
        (None, "bbc.jsonl", &[]),
        (None, "notes/sporting-life.txt", &[]),
        // URL first, then path; each top level once.
        (
            Some("https://example.com/sport/"),
            "sport/politics/1.html",
            &["sport", "politics"],
        ),
    ];
    for &(url, path, expected) in cases {
        assert_eq!(section_topics(url, path), expected, "{url:?} {path}");
    }
}

#[test]
fn a_section_cue_decides_an_article_the_words_leave_unsure() {
    let article = |url: Option<&str>, path: &str| Article {
        title: "A big day for the group".to_string(),
        body: "The group said on Friday that the new season starts in May, and that talks \
               with the bank and the league went well."
            .to_string(),
        url: url.map(str::to_string),
        path: path.to_string(),
        ..Article::default()
    };
    let enricher = Enricher::new();
    let plain = enricher.enrich(&article(None, "a.txt"));
    let sport = enricher.enrich(&article(Some("https://example.com/sport/123"), "a.txt"));
    let business = enricher.enrich(&article(None, "news/business/a.txt"));
    let got = |e: &crate::article::Entities| {
        (
            e.topics.clone(),
            (e.topic_confidence * 1000.0).round() / 1000.0,
        )
    };
    // The words lean to sport, weakly: `season`, `league` against `bank`.
    assert_eq!(got(&plain), (vec!["sport".to_string()], 0.375));
    // A sport section makes it surer; a business folder outweighs the words.
    assert_eq!(got(&sport), (vec!["sport".to_string()], 0.7));
    assert_eq!(got(&business), (vec!["economy".to_string()], 0.55));
}

#[test]
fn the_word_model_file_parses_whole() {
    let mut words = 0;
    for (number, line) in data_lines(MODEL_TSV) {
        let (word, cells) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("line {number}"));
        for cell in cells.split(' ') {
            let (topic, n) = cell
                .split_once(':')
                .unwrap_or_else(|| panic!("line {number}"));
            assert!(TOP_LEVELS.contains(&topic), "line {number}: {topic}");
            assert!(n.parse::<u32>().is_ok_and(|n| n > 0), "line {number}: {n}");
        }
        assert_eq!(word.to_lowercase(), word, "line {number}");
        words += 1;
    }
    assert_eq!(words, 5317);
    assert!(words::STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    let model = words::WordModel::parse(MODEL_TSV);
    let classes: Vec<&str> = model.classes().map(|c| taxonomy()[c].path).collect();
    // Human interest, labour and weather have too few examples to be told apart.
    assert_eq!(
        classes,
        [
            "arts",
            "conflict",
            "crime",
            "disaster",
            "economy",
            "education",
            "environment",
            "health",
            "lifestyle",
            "politics",
            "religion",
            "science",
            "society",
            "sport"
        ]
    );
    assert_eq!(model.len(), 5031);
}

#[test]
fn the_word_model_reads_the_words_the_lexicon_lacks() {
    let model = words::WordModel::parse(MODEL_TSV);
    let cases: &[(&str, &str, f32)] = &[
        (
            "The striker scored twice in the second half.",
            "sport",
            0.94,
        ),
        (
            "Voters queued for hours to cast their ballots.",
            "politics",
            0.319,
        ),
        (
            "The actress won an award for her role in the film.",
            "arts",
            0.842,
        ),
        (
            "Astronomers observed the comet through a telescope.",
            "science",
            0.452,
        ),
    ];
    for &(text, top, p) in cases {
        let article = Article {
            body: text.to_string(),
            ..Article::default()
        };
        let segments = text::segments(&article);
        let posterior = model.posterior(&segments);
        let best = posterior
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|&(c, p)| (taxonomy()[c].path, (p * 1000.0).round() / 1000.0));
        assert_eq!(best, Some((top, p)), "{text}");
    }
    let none = Article {
        body: "Zzyzx qwerty.".to_string(),
        ..Article::default()
    };
    assert_eq!(model.posterior(&text::segments(&none)), Vec::new());
}

#[test]
fn the_word_model_decides_where_the_terms_are_unsure() {
    // The terms find only `festival` (arts, confidence 0.25); the word model knows `pilgrims`,
    // `prayed` and `shrine`.
    let entities = Enricher::new().enrich(&Article {
        title: "Pilgrims gather".to_string(),
        body: "Thousands prayed at the shrine during the festival.".to_string(),
        ..Article::default()
    });
    assert_eq!(entities.topics, ["religion"]);
    assert_eq!((entities.topic_confidence * 1000.0).round(), 376.0);
}
