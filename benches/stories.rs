//! Criterion benches of story assignment at scale, over generated articles: events of a few
//! days, each with its own words, over an archive of years. It places an archive of 50,000
//! articles (and 1,000,000 with `STORIES_BENCH_MILLION=1`: about 2 GB), then times one night's
//! 1,000 new articles placed onto each archive, so the two nights can be compared: the cost of
//! a night grows with the stories of its weeks, not with the archive. Each run checks that the
//! articles of one event share a story, so a broken assignment cannot look fast.

use std::time::Instant;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use newsdex::archive::stories::{Incoming, Stories};

/// The allocator the binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Articles of one event.
const PER_EVENT: u64 = 5;
/// New articles of a night.
const NIGHT: u64 = 1_000;
/// Events starting per day.
const EVENTS_PER_DAY: u64 = 40;

/// A deterministic generator (SplitMix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The `n`-th article: of event `n / PER_EVENT`, on a day of that event's first three, with
/// six of its event's eight words and four of a shared vocabulary of 2,000.
fn article(n: u64) -> Incoming {
    let event = n / PER_EVENT;
    let day = (event / EVENTS_PER_DAY) as i64 + (mix(n) % 3) as i64;
    let mut terms: Vec<(String, f32)> = Vec::with_capacity(10);
    for k in 0..6 {
        let word = (mix(n * 31 + k) % 8 + k) % 8;
        let term = format!("e{event}w{word}");
        if !terms.iter().any(|(t, _)| *t == term) {
            terms.push((term, 1.0));
        }
    }
    for k in 0..4 {
        terms.push((format!("c{}", mix(n * 17 + k + 1000) % 2_000), 0.5));
    }
    let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    for (_, weight) in &mut terms {
        *weight /= norm;
    }
    Incoming {
        key: mix(n ^ 0xabcdef),
        day: Some(day),
        title: format!("Event {event} report {n}"),
        source: Some(format!("source{}", n % 7)),
        people: Vec::new(),
        countries: Vec::new(),
        terms: terms
            .into_iter()
            .map(|(term, weight)| (std::sync::Arc::from(term), weight))
            .collect(),
    }
}

/// An archive of the first `articles` articles, placed in runs of 10,000.
fn archive(articles: u64) -> Stories {
    let mut stories = Stories::default();
    let started = Instant::now();
    let mut at = 0;
    while at < articles {
        let end = (at + 10_000).min(articles);
        let batch: Vec<Incoming> = (at..end).map(article).collect();
        stories.update(&[], &batch);
        at = end;
    }
    eprintln!(
        "{articles} articles placed in {:.2?}: {} stories",
        started.elapsed(),
        stories.stories.len()
    );
    stories
}

/// Checks that the events of `batch` were each kept in one story.
fn check(stories: &Stories, batch: &[Incoming]) {
    let mut split = 0;
    for pair in batch.windows(2) {
        let same_event = pair[0].title.split(' ').nth(1) == pair[1].title.split(' ').nth(1);
        if same_event
            && stories.of(pair[0].key).map(|s| &s.id) != stories.of(pair[1].key).map(|s| &s.id)
        {
            split += 1;
        }
    }
    assert!(
        split * 20 < batch.len(),
        "{split} of {} pairs split",
        batch.len()
    );
}

fn bench(c: &mut Criterion) {
    let mut sizes = vec![50_000];
    if std::env::var("STORIES_BENCH_MILLION").as_deref() == Ok("1") {
        sizes.push(1_000_000);
    }
    let mut group = c.benchmark_group("stories");
    group.sample_size(10);
    group.throughput(Throughput::Elements(NIGHT));
    for size in sizes {
        let stories = archive(size);
        let night: Vec<Incoming> = (size..size + NIGHT).map(article).collect();
        let mut placed = stories.clone();
        placed.update(&[], &night);
        check(&placed, &night);
        group.bench_function(format!("night of {NIGHT} onto {size}"), |b| {
            b.iter_batched(
                || stories.clone(),
                |mut stories| {
                    stories.update(&[], &night);
                    stories
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
