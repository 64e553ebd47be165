//! Tests of story features and assignment.

use std::collections::BTreeSet;

use super::*;
use std::sync::Arc;

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The word vector of an article read as words: its headline (counted twice) and body as the index's
/// analyzer reads them (`words`, the first `title_words` of them the headline), weighted by
/// `(1 + ln tf) · ln((N + 1) / (df + 0.5))` where `df` is how many of the archive's `live`
/// articles hold the term; the [`ARTICLE_TERMS`] strongest, unit length. Numbers and terms
/// under three bytes are left out ([`is_feature`]).
fn features(
    words: &[String],
    title_words: usize,
    df: &mut dyn FnMut(&str) -> u64,
    live: u64,
) -> Vec<(String, f32)> {
    let mut tf: HashMap<&str, u32> = HashMap::new();
    for (at, word) in words.iter().enumerate() {
        if !is_feature(word) {
            continue;
        }
        *tf.entry(word).or_default() += if at < title_words { 2 } else { 1 };
    }
    weigh(tf.into_iter(), &mut |term| df(term), &|term| term, live)
        .into_iter()
        .map(|(term, weight)| (term.to_string(), weight))
        .collect()
}

/// The document frequencies of the sample article's terms among 100 articles.
fn sample_df(term: &str) -> u64 {
    match term {
        "quake" => 2,
        "aceh" => 1,
        "the" => 100,
        _ => 10,
    }
}

/// The vector of a sample article with a two-word headline.
fn sample_vector() -> Vec<(String, f32)> {
    let text = words("aceh quake the quake 2013 of shakes");
    features(&text, 2, &mut sample_df, 100)
}

/// An article whose vector is `terms` with equal weights (unit length).
fn article(key: u64, day: Option<i64>, title: &str, terms: &[&str]) -> Incoming {
    let weight = 1.0 / (terms.len() as f32).sqrt();
    Incoming {
        key,
        day,
        title: title.to_string(),
        source: Some(format!("source{}", key % 2)),
        people: vec!["Tara Reid".to_string()],
        countries: vec!["US".to_string()],
        terms: terms.iter().map(|t| (Arc::from(*t), weight)).collect(),
    }
}

fn story_of(stories: &Stories, key: u64) -> String {
    stories.of(key).map(|s| s.id.clone()).unwrap_or_default()
}

#[test]
fn features_weigh_rare_words_count_the_headline_twice_and_drop_numbers_and_short_words() {
    let vector = sample_vector();
    let terms: Vec<&str> = vector.iter().map(|(t, _)| t.as_str()).collect();
    // `the` is in every article (a weight near nothing), `2013` a number, `of` too short.
    assert_eq!(terms, ["quake", "aceh", "shakes", "the"]);
    assert!(vector[3].1 < 0.01);
    let norm: f32 = vector.iter().map(|(_, w)| w * w).sum();
    assert!((norm - 1.0).abs() < 1e-5);
    // quake: tf 2 (headline) + 1, idf ln(101/2.5); aceh: tf 2, idf ln(101/1.5).
    let quake = (1.0 + 3f32.ln()) * (101f32 / 2.5).ln();
    let aceh = (1.0 + 2f32.ln()) * (101f32 / 1.5).ln();
    assert!((vector[0].1 / vector[1].1 - quake / aceh).abs() < 1e-4);
}

#[test]
fn like_articles_share_a_story_and_unlike_ones_start_their_own() {
    let mut stories = Stories::default();
    let incoming = [
        article(
            1,
            Some(100),
            "Quake hits Aceh",
            &["quake", "aceh", "magnitude"],
        ),
        article(
            2,
            Some(101),
            "Aceh quake kills two",
            &["quake", "aceh", "dead"],
        ),
        article(
            3,
            Some(101),
            "Reid enters rehab",
            &["reid", "rehab", "promises"],
        ),
    ];
    let (report, headless) = stories.update(&[], &incoming);
    assert!(headless.is_empty());
    assert_eq!(
        report,
        StoriesReport {
            stories: 2,
            grouped: 1,
            placed: 3,
            removed: 0,
            touched: 2,
        }
    );
    assert_eq!(story_of(&stories, 1), story_of(&stories, 2));
    assert_ne!(story_of(&stories, 1), story_of(&stories, 3));
    let quake = stories.of(1).unwrap();
    assert_eq!(quake.id, story_id(1, 0));
    assert_eq!(quake.articles, 2);
    assert_eq!((quake.first, quake.last), (Some(100), Some(101)));
    assert_eq!(
        quake.sources,
        [("source0".to_string(), 1), ("source1".to_string(), 1)]
    );
    assert_eq!(quake.people, [("Tara Reid".to_string(), 2)]);
    assert_eq!(quake.countries, [("US".to_string(), 2)]);
    // Both are as central; the lower key wins the tie.
    assert_eq!(quake.headline, "Quake hits Aceh");
    assert_eq!(quake.terms[0].0, "aceh");
    assert!((quake.terms[0].1 - 2.0 / 3f32.sqrt()).abs() < 1e-5);
}

#[test]
fn articles_past_the_window_of_a_story_start_another_however_alike() {
    let mut stories = Stories::default();
    let terms = ["quake", "aceh", "magnitude"];
    stories.update(
        &[],
        &[
            article(1, Some(100), "Quake", &terms),
            // Past the window after the story's last day (article 3's).
            article(2, Some(100 + 2 * WINDOW_DAYS + 1), "Quake again", &terms),
            article(3, Some(100 + WINDOW_DAYS), "Quake, later", &terms),
        ],
    );
    assert_eq!(story_of(&stories, 1), story_of(&stories, 3));
    assert_ne!(story_of(&stories, 1), story_of(&stories, 2));
}

#[test]
fn a_later_run_places_only_its_articles_and_rewrites_only_the_stories_they_join() {
    let mut stories = Stories::default();
    stories.update(
        &[],
        &[
            article(
                1,
                Some(100),
                "Quake hits Aceh",
                &["quake", "aceh", "magnitude"],
            ),
            article(
                3,
                Some(100),
                "Reid enters rehab",
                &["reid", "rehab", "promises"],
            ),
        ],
    );
    let before = stories.clone();
    let live: BTreeSet<u64> = [1, 3, 4].into();
    let (gone, fresh) = stories.changes(&live);
    assert_eq!((gone, fresh.clone()), (vec![], vec![4]));
    let (report, _) = stories.update(
        &[],
        &[article(
            4,
            Some(102),
            "Rehab for Reid",
            &["reid", "rehab", "actress"],
        )],
    );
    assert_eq!((report.placed, report.touched, report.stories), (1, 1, 2));
    assert_eq!(story_of(&stories, 4), story_of(&stories, 3));
    let quake = &before.of(1).unwrap().id;
    assert_eq!(stories.stories[quake], before.stories[quake]);
    let rehab = stories.of(3).unwrap();
    assert_eq!(
        (rehab.articles, rehab.first, rehab.last),
        (2, Some(100), Some(102))
    );
}

#[test]
fn an_article_that_leaves_shrinks_its_story_and_an_emptied_story_goes() {
    let mut stories = Stories::default();
    stories.update(
        &[],
        &[
            article(
                1,
                Some(100),
                "Quake hits Aceh",
                &["quake", "aceh", "magnitude"],
            ),
            article(
                2,
                Some(104),
                "Aceh quake kills two",
                &["quake", "aceh", "dead"],
            ),
            article(
                3,
                Some(100),
                "Reid enters rehab",
                &["reid", "rehab", "promises"],
            ),
        ],
    );
    let quake = story_of(&stories, 1);
    let live: BTreeSet<u64> = [1].into();
    let (gone, fresh) = stories.changes(&live);
    assert_eq!((gone.clone(), fresh), (vec![2, 3], vec![]));
    let (report, headless) = stories.update(&gone, &[]);
    assert_eq!((report.removed, report.stories, report.touched), (2, 1, 1));
    assert!(headless.is_empty());
    let left = &stories.stories[&quake];
    assert_eq!(
        (left.articles, left.first, left.last),
        (1, Some(100), Some(100))
    );
    assert_eq!(stories.articles.len(), 1);
}

#[test]
fn a_story_whose_headline_article_left_asks_for_another() {
    let mut stories = Stories::default();
    stories.update(
        &[],
        &[
            article(
                1,
                Some(100),
                "Quake hits Aceh",
                &["quake", "aceh", "magnitude"],
            ),
            article(
                2,
                Some(100),
                "Aceh quake kills two",
                &["quake", "aceh", "dead"],
            ),
        ],
    );
    let quake = story_of(&stories, 1);
    assert_eq!(stories.stories[&quake].headline_key, 1);
    let (_, headless) = stories.update(&[1], &[]);
    assert_eq!(headless, std::slice::from_ref(&quake));
    stories.set_headline(&quake, 2, "Aceh quake kills two");
    assert_eq!(stories.stories[&quake].headline, "Aceh quake kills two");
}

#[test]
fn undated_articles_join_stories_holding_undated_articles_only() {
    let mut stories = Stories::default();
    let terms = ["quake", "aceh", "magnitude"];
    stories.update(
        &[],
        &[
            article(1, Some(100), "Dated quake", &terms),
            article(2, None, "Undated quake", &terms),
            article(3, None, "Undated quake again", &terms),
        ],
    );
    // The undated two start a story first; the dated one joins it.
    assert_eq!(story_of(&stories, 2), story_of(&stories, 3));
    assert_eq!(story_of(&stories, 1), story_of(&stories, 2));
    let story = stories.of(1).unwrap();
    assert_eq!((story.articles, story.undated), (3, 2));
    // A story of dated articles only is no candidate for an undated article.
    let mut dated = Stories::default();
    dated.update(&[], &[article(1, Some(100), "Dated quake", &terms)]);
    dated.update(&[], &[article(2, None, "Undated quake", &terms)]);
    assert_ne!(story_of(&dated, 1), story_of(&dated, 2));
}

#[test]
fn a_moved_article_may_leave_the_story_it_first_joined() {
    // Article 2 arrives first with 1; 3 and 4 then pull it to their story on refinement.
    let mut stories = Stories::default();
    stories.update(
        &[],
        &[
            article(1, Some(100), "a", &["alpha", "beta", "gamma", "delta"]),
            article(2, Some(101), "b", &["alpha", "kappa", "lambda", "mu"]),
            article(3, Some(102), "c", &["kappa", "lambda", "mu", "nu"]),
            article(4, Some(102), "d", &["kappa", "lambda", "mu", "xi"]),
        ],
    );
    assert_eq!(story_of(&stories, 2), story_of(&stories, 3));
    assert_eq!(story_of(&stories, 3), story_of(&stories, 4));
    assert_ne!(story_of(&stories, 1), story_of(&stories, 2));
    assert_eq!(stories.stories.len(), 2);
    let total: u32 = stories.stories.values().map(|s| s.articles).sum();
    assert_eq!(total, 4);
}

#[test]
fn weighing_term_counts_by_number_gives_the_vector_of_the_words() {
    let vector = sample_vector();
    // The same article as counts by term number, in another order: headline words twice.
    let names = ["shakes", "the", "quake", "aceh"];
    let counts = [(0u32, 1u32), (1, 1), (2, 3), (3, 2)];
    let numbered = weigh(
        counts.into_iter(),
        &mut |term| sample_df(names[term as usize]),
        &|term| names[term as usize],
        100,
    );
    let numbered: Vec<(String, f32)> = numbered
        .into_iter()
        .map(|(term, weight)| (names[term as usize].to_string(), weight))
        .collect();
    assert_eq!(numbered, vector);
}
