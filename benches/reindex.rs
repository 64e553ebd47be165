//! Criterion benches of nightly reindexing over a generated corpus of 50,000 small articles made
//! from the sentences of the shipped corpus: a full build, a reindex after 1% of the files
//! changed, 1% were added and 1% deleted, and a reindex with nothing changed. Before the timed
//! runs it prints the two reindex times as fractions of the full build, and the index size after
//! 30 such nightly runs as a ratio of a fresh build of the same corpus. Each run checks its
//! report, so a broken reindex cannot look fast.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use newsdex::corpus;
use newsdex::index::{BuildOptions, IndexReport, build};
use tempfile::TempDir;

/// The allocator the binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Articles in the generated corpus, one a file.
const ARTICLES: usize = 50_000;
/// Folders the files are spread over.
const FOLDERS: usize = 100;
/// Nightly runs simulated before the size is compared with a fresh build.
const NIGHTS: usize = 30;

/// A generated corpus that can be churned night after night, deterministically.
struct Corpus {
    dir: TempDir,
    sentences: Vec<String>,
    /// Ids of the files present, and how many times each was edited.
    live: Vec<(usize, usize)>,
    next_id: usize,
    seed: u64,
}

/// What one night changed, in files (one article each).
#[derive(Clone, Copy, Debug)]
struct Churn {
    changed: u64,
    added: u64,
    deleted: u64,
}

impl Corpus {
    fn generate() -> Corpus {
        let mut corpus = Corpus {
            dir: tempfile::tempdir().expect("temp dir"),
            sentences: shipped_sentences(),
            live: Vec::with_capacity(ARTICLES),
            next_id: 0,
            seed: 0x9e37_79b9_7f4a_7c15,
        };
        for _ in 0..ARTICLES {
            corpus.add();
        }
        corpus
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, id: usize) -> PathBuf {
        self.root().join(format!("{:03}/{id:06}.txt", id % FOLDERS))
    }

    fn random(&mut self) -> u64 {
        // xorshift64*: deterministic and good enough to pick files and sentences.
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick(&mut self) -> String {
        let slot = (self.random() % self.sentences.len() as u64) as usize;
        self.sentences[slot].clone()
    }

    fn text(&mut self, id: usize, edits: usize) -> String {
        let title = self.pick();
        let body: Vec<String> = (0..8).map(|_| self.pick()).collect();
        format!(
            "{} (report {id}, version {edits})\n\n{}\n",
            title.trim_end_matches('.'),
            body.join(" ")
        )
    }

    fn write(&mut self, id: usize, edits: usize) {
        let text = self.text(id, edits);
        let path = self.path(id);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn add(&mut self) {
        let id = self.next_id;
        self.next_id += 1;
        self.write(id, 0);
        self.live.push((id, 0));
    }

    /// Changes, adds and deletes 1% of the files each (distinct files).
    fn churn(&mut self) -> Churn {
        let share = self.live.len() / 100;
        let mut slots = std::collections::BTreeSet::new();
        while slots.len() < 2 * share {
            slots.insert((self.random() % self.live.len() as u64) as usize);
        }
        let slots: Vec<usize> = slots.into_iter().collect();
        // Alternate so the changed and the deleted files spread over the whole corpus.
        for &slot in slots.iter().step_by(2) {
            let (id, edits) = self.live[slot];
            self.write(id, edits + 1);
            self.live[slot].1 += 1;
        }
        let deleted: Vec<usize> = slots.iter().skip(1).step_by(2).copied().collect();
        for &slot in deleted.iter().rev() {
            let (id, _) = self.live.swap_remove(slot);
            std::fs::remove_file(self.path(id)).expect("delete");
        }
        for _ in 0..share {
            self.add();
        }
        let share = share as u64;
        Churn {
            changed: share,
            added: share,
            deleted: share,
        }
    }
}

/// The sentences of the shipped corpus's article bodies.
fn shipped_sentences() -> Vec<String> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let (files, _) = corpus::walk(root);
    let mut sentences: Vec<String> = files
        .iter()
        .filter_map(|file| corpus::parse(file).ok())
        .flat_map(|parsed| parsed.articles)
        .flat_map(|article| {
            article
                .body
                .split(". ")
                .map(|s| s.trim().to_string())
                .filter(|s| s.len() > 20 && s.len() < 400)
                .collect::<Vec<_>>()
        })
        .collect();
    sentences.sort();
    sentences.dedup();
    assert!(sentences.len() > 500, "{} sentences", sentences.len());
    sentences
}

fn run(corpus: &Path, index: &Path) -> IndexReport {
    let report = build(&BuildOptions::new(corpus, index)).expect("builds");
    assert!(report.failed.is_empty(), "{:?}", &report.failed[..1]);
    report
}

fn check_churn(report: &IndexReport, churn: Churn, live: usize) {
    assert_eq!(
        (report.added, report.updated, report.removed),
        (churn.added, churn.changed, churn.changed + churn.deleted)
    );
    assert_eq!((report.articles, report.copies), (live as u64, 0));
}

fn folder_size(dir: &Path) -> u64 {
    walk_files(dir)
        .iter()
        .map(|path| path.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk_files(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Times one full build, a no-change reindex and churn reindexes, then 30 nights of churn, and
/// prints the fractions and the size ratio.
fn summary(corpus: &mut Corpus) {
    let index = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let report = run(corpus.root(), index.path());
    let full = started.elapsed().as_secs_f64();
    assert_eq!(report.added, ARTICLES as u64);

    let started = Instant::now();
    let report = run(corpus.root(), index.path());
    let unchanged = started.elapsed().as_secs_f64();
    assert_eq!(report.unchanged, ARTICLES as u64);

    let mut churn_times = Vec::new();
    for _ in 0..NIGHTS {
        let churn = corpus.churn();
        let started = Instant::now();
        let report = run(corpus.root(), index.path());
        churn_times.push(started.elapsed().as_secs_f64());
        check_churn(&report, churn, corpus.live.len());
    }
    let fresh = tempfile::tempdir().expect("temp dir");
    run(corpus.root(), fresh.path());
    let ratio = folder_size(index.path()) as f64 / folder_size(fresh.path()) as f64;
    let mean = churn_times.iter().sum::<f64>() / churn_times.len() as f64;
    let worst = churn_times.iter().cloned().fold(0.0, f64::max);
    eprintln!("reindex summary over {ARTICLES} articles:");
    eprintln!("  full build                  {full:.2} s");
    eprintln!(
        "  no-change reindex           {unchanged:.3} s = {:.1}% of the full build",
        100.0 * unchanged / full
    );
    eprintln!(
        "  1% churn reindex (mean)     {mean:.3} s = {:.1}% of the full build (worst {:.1}%)",
        100.0 * mean / full,
        100.0 * worst / full
    );
    let mut sorted = churn_times.clone();
    sorted.sort_by(f64::total_cmp);
    eprintln!(
        "  1% churn reindex (median)   {:.3} s = {:.1}% of the full build",
        sorted[NIGHTS / 2],
        100.0 * sorted[NIGHTS / 2] / full
    );
    let nights: Vec<String> = churn_times
        .iter()
        .map(|t| format!("{:.0}", 100.0 * t / full))
        .collect();
    eprintln!("  each night, % of the full build: {}", nights.join(" "));
    eprintln!("  size after {NIGHTS} nights        {ratio:.3} x a fresh build");
    assert!(ratio <= 1.25, "index grew to {ratio:.3} x a fresh build");
}

fn reindex(c: &mut Criterion) {
    let mut corpus = Corpus::generate();
    summary(&mut corpus);
    let corpus = RefCell::new(corpus);
    let root = corpus.borrow().root().to_path_buf();
    let live = || corpus.borrow().live.len() as u64;

    let mut group = c.benchmark_group("reindex");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("full-build-50k", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |index| {
                let report = run(&root, index.path());
                assert_eq!(report.added, live());
                index
            },
            BatchSize::PerIteration,
        )
    });

    let index = tempfile::tempdir().expect("temp dir");
    run(&root, index.path());
    group.bench_function("no-change-50k", |b| {
        b.iter(|| {
            let report = run(&root, index.path());
            assert_eq!(report.unchanged, live());
        })
    });
    group.bench_function("churn-1pct-50k", |b| {
        b.iter_batched(
            || corpus.borrow_mut().churn(),
            |churn| {
                let report = run(&root, index.path());
                check_churn(&report, churn, live() as usize);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, reindex);
criterion_main!(benches);
