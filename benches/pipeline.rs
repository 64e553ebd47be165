//! Criterion benches of each stage over the shipped corpus: parsing per format, enrichment
//! (bytes per second), indexing, and query latency (top-10 with snippets, with facets, with a
//! country filter). Each bench checks its result so a broken stage cannot look fast.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsdex::article::{Article, CountryCode};
use newsdex::corpus::{self, SourceFile};
use newsdex::enrich::Enricher;
use newsdex::index::schema::FacetKind;
use newsdex::index::{BuildOptions, NewsIndex, build};
use newsdex::search::timeline::{Granularity, timeline};
use newsdex::search::{Filters, SearchRequest, search};

/// The allocator the binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

fn corpus_files() -> Vec<SourceFile> {
    let (files, errors) = corpus::walk(corpus_root());
    assert!(errors.is_empty(), "walk errors: {errors:?}");
    files
}

fn articles() -> Vec<Article> {
    corpus_files()
        .iter()
        .flat_map(|file| corpus::parse(file).expect("shipped corpus parses").articles)
        .collect()
}

fn parse(c: &mut Criterion) {
    let files = corpus_files();
    let mut group = c.benchmark_group("parse");
    for extension in ["txt", "md", "html", "json", "jsonl", "csv", "gz"] {
        let subset: Vec<&SourceFile> = files
            .iter()
            .filter(|f| f.rel_path.ends_with(&format!(".{extension}")))
            .collect();
        let bytes: u64 = subset.iter().map(|f| f.size).sum();
        group.throughput(Throughput::Bytes(bytes));
        group.bench_function(extension, |b| {
            b.iter(|| {
                let count: usize = subset
                    .iter()
                    .map(|f| corpus::parse(f).expect("parses").articles.len())
                    .sum();
                assert!(count > 0);
                count
            })
        });
    }
    group.finish();
}

fn enrich(c: &mut Criterion) {
    let articles = articles();
    let enricher = Enricher::new();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let mut group = c.benchmark_group("enrich");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("default-corpus", |b| {
        b.iter(|| {
            let countries: usize = articles
                .iter()
                .map(|a| enricher.enrich(a).countries.len())
                .sum();
            assert!(countries > articles.len() / 2);
            countries
        })
    });
    group.finish();
}

fn index(c: &mut Criterion) {
    let bytes: u64 = corpus_files().iter().map(|f| f.size).sum();
    let mut group = c.benchmark_group("index");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes));
    // Indexing alone: articles parsed and enriched beforehand, written to a RAM and a disk index.
    let enricher = Enricher::new();
    let enriched: Vec<(Article, newsdex::article::Entities)> = articles()
        .into_iter()
        .map(|a| (a.clone(), enricher.enrich(&a)))
        .collect();
    let text_bytes: usize = enriched
        .iter()
        .map(|(a, _)| a.title.len() + a.body.len())
        .sum();
    group.throughput(Throughput::Bytes(text_bytes as u64));
    for target in ["ram", "disk"] {
        group.bench_function(format!("{}-articles-{target}", enriched.len()), |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().expect("temp dir");
                let schema = newsdex::index::schema::build_schema();
                let index = match target {
                    "ram" => tantivy::Index::create_in_ram(schema),
                    _ => tantivy::Index::create_in_dir(dir.path(), schema).expect("creates"),
                };
                let fields =
                    newsdex::index::schema::Fields::resolve(&index.schema()).expect("fields");
                let mut writer: tantivy::IndexWriter = index
                    .writer_with_num_threads(1, 64 * 1024 * 1024)
                    .expect("writer");
                for (article, entities) in &enriched {
                    let doc =
                        newsdex::index::document::to_document(&fields, article, entities, "0:0:0");
                    writer.add_document(doc).expect("adds");
                }
                writer.commit().expect("commits");
                let count = index.reader().expect("reader").searcher().num_docs();
                assert_eq!(count, enriched.len() as u64);
                count
            })
        });
    }
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("default-corpus-full", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let report = build(&BuildOptions::new(corpus_root(), dir.path())).expect("builds");
            assert!(report.failed.is_empty() && report.articles > 200);
            report.articles
        })
    });
    group.finish();
}

fn query(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&BuildOptions::new(corpus_root(), dir.path())).expect("builds");
    let index = NewsIndex::open(dir.path()).expect("opens");
    let mut group = c.benchmark_group("search");
    let plain = SearchRequest::new("government");
    let mut facets = plain.clone();
    facets.facets = vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic];
    let mut filtered = plain.clone();
    filtered.filters.countries = vec![CountryCode("US".into())];
    for (name, request) in [
        ("top10", plain),
        ("top10-facets", facets),
        ("top10-country", filtered),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = search(&index, &request).expect("searches");
                assert!(results.total > 0 && !results.hits.is_empty());
                results.total
            })
        });
    }
    group.finish();
}

fn facets(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&BuildOptions::new(corpus_root(), dir.path())).expect("builds");
    let index = NewsIndex::open(dir.path()).expect("opens");
    let articles = index.reader().expect("reader").searcher().num_docs();
    let mut group = c.benchmark_group("facets");
    group.throughput(Throughput::Elements(articles));
    for (name, kinds) in [
        ("country", vec![FacetKind::Country]),
        ("person", vec![FacetKind::Person]),
        (
            "country+person+topic",
            vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic],
        ),
    ] {
        let mut request = SearchRequest::new("");
        request.limit = 0;
        request.facet_top = 20;
        request.facets = kinds;
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = search(&index, &request).expect("counts");
                assert_eq!(results.total, articles);
                assert!(results.facets.values().all(|counts| !counts.is_empty()));
                results.total
            })
        });
    }
    group.bench_function("timeline-month", |b| {
        b.iter(|| {
            let timeline =
                timeline(&index, "", &Filters::default(), Granularity::Month).expect("counts");
            assert!(timeline.buckets.len() >= 24);
            timeline.total
        })
    });
    group.finish();
}

/// Enrichment over the articles of the files named by `NEWSDEX_BENCH_EXTRACT` (paths joined as
/// in `PATH`, for instance a JSONL file of real news), in bytes of title and body a second;
/// skipped when the variable is unset.
fn enrich_files(c: &mut Criterion) {
    let Some(paths) = std::env::var_os("NEWSDEX_BENCH_EXTRACT") else {
        return;
    };
    let mut group = c.benchmark_group("enrich-files");
    group.sample_size(10);
    let enricher = Enricher::new();
    for path in std::env::split_paths(&paths) {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let bytes = std::fs::read(&path).expect("bench file reads");
        let articles = corpus::parse_bytes(&name, &bytes)
            .expect("bench file parses")
            .articles;
        let text: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
        group.throughput(Throughput::Bytes(text as u64));
        group.bench_function(&name, |b| {
            b.iter(|| {
                let found: usize = articles
                    .iter()
                    .map(|a| {
                        let e = enricher.enrich(a);
                        e.countries.len() + e.people.len() + e.topics.len()
                    })
                    .sum();
                assert!(found > articles.len() / 2);
                found
            })
        });
    }
    group.finish();
}

/// Facet counting over a large corpus named by `NEWSDEX_BENCH_CORPUS` (for instance one made by
/// `cargo run --release --example gen_corpus`); skipped when the variable is unset.
fn facets_large(c: &mut Criterion) {
    let Some(corpus) = std::env::var_os("NEWSDEX_BENCH_CORPUS") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let report = build(&BuildOptions::new(Path::new(&corpus), dir.path())).expect("builds");
    let index = NewsIndex::open(dir.path()).expect("opens");
    let mut group = c.benchmark_group("facets-large");
    group.throughput(Throughput::Elements(report.articles));
    let mut request = SearchRequest::new("");
    request.limit = 0;
    request.facet_top = 20;
    request.facets = vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic];
    group.bench_function("country+person+topic", |b| {
        b.iter(|| {
            let results = search(&index, &request).expect("counts");
            assert_eq!(results.total, report.articles);
            results.total
        })
    });
    let mut query = SearchRequest::new("government");
    query.facets = request.facets.clone();
    group.bench_function("query-top10-facets", |b| {
        b.iter(|| {
            let results = search(&index, &query).expect("searches");
            assert!(results.total > 0);
            results.total
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    parse,
    enrich,
    enrich_files,
    index,
    query,
    facets,
    facets_large
);
criterion_main!(benches);
