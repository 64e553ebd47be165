//! Measures syndicated copies in a corpus: the exact copies `newsdex index` folds (same text key),
//! and the near-duplicates it does not — pairs of articles whose bodies share at least
//! `--threshold` of their five-word shingles (Jaccard, found with MinHash and checked exactly),
//! sorted by where the two texts differ: at the end (a trailing sentence or footer added or cut),
//! at the start, or in the middle. It indexes nothing; it reads the files as `newsdex index`
//! would.
//!
//! ```sh
//! cargo run --release --example near_dups -- corpus/ /srv/news/archive --examples 5
//! ```

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use newsdex::article::Fnv1a;
use newsdex::corpus;
use newsdex::index::copies::{self, text_key};

/// Words per shingle.
const SHINGLE: usize = 5;
/// MinHash values per article: `BANDS` bands of `ROWS` rows.
const BANDS: usize = 16;
const ROWS: usize = 4;

/// Count exact copies and near-duplicates in corpus folders or files.
#[derive(Parser, Debug)]
struct Args {
    /// Folders or files, read as `newsdex index` reads them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Smallest shingle Jaccard similarity counted as a near-duplicate.
    #[arg(long, default_value_t = 0.9)]
    threshold: f64,
    /// Near-duplicate pairs to print of each kind.
    #[arg(long, default_value_t = 0)]
    examples: usize,
}

struct Doc {
    path: String,
    key: u64,
    words: Vec<String>,
    shingles: HashSet<u64>,
}

/// Where two near-duplicate bodies differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Difference {
    /// The same words (the texts differ in headline or dek only, and are short).
    None,
    /// Only at the end: one has trailing words the other lacks or has others.
    End,
    /// Only at the start.
    Start,
    /// In the middle, or in several places.
    Middle,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut docs = Vec::new();
    let mut failed = 0;
    for root in &args.paths {
        let (files, errors) = corpus::walk(root);
        failed += errors.len();
        for file in &files {
            let Ok(parsed) = corpus::parse(file) else {
                failed += 1;
                continue;
            };
            for article in parsed.articles {
                let words = words(&article.body);
                let shingles = shingles(&words);
                docs.push(Doc {
                    path: format!("{}#{}", file.rel_path, article.id),
                    key: text_key(&article),
                    words,
                    shingles,
                });
            }
        }
    }

    let mut exact: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        exact.entry(doc.key).or_default().push(i);
    }
    let copies: usize = exact.values().map(|group| group.len() - 1).sum();
    let groups = exact.values().filter(|group| group.len() > 1).count();

    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        if doc.shingles.is_empty() {
            continue;
        }
        let signature = minhash(&doc.shingles);
        for band in 0..BANDS {
            let mut hash = Fnv1a::new();
            for value in &signature[band * ROWS..(band + 1) * ROWS] {
                hash.write(&value.to_le_bytes());
            }
            let bucket = buckets.entry((band, hash.finish())).or_default();
            for &j in bucket.iter() {
                if docs[j].key != doc.key {
                    pairs.insert((j, i));
                }
            }
            bucket.push(i);
        }
    }
    let mut near: Vec<(usize, usize, f64, Difference)> = pairs
        .into_iter()
        .filter_map(|(a, b)| {
            let similarity = jaccard(&docs[a].shingles, &docs[b].shingles);
            (similarity >= args.threshold)
                .then(|| (a, b, similarity, difference(&docs[a].words, &docs[b].words)))
        })
        .collect();
    near.sort_by_key(|&(a, b, _, difference)| (difference, a, b));

    // Articles a near-duplicate rule would fold on top of the exact copies.
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    for group in exact.values() {
        for &member in &group[1..] {
            union(&mut parent, group[0], member);
        }
    }
    let components_exact = (0..docs.len())
        .filter(|&i| find(&mut parent, i) == i)
        .count();
    for &(a, b, _, _) in &near {
        union(&mut parent, a, b);
    }
    let components_near = (0..docs.len())
        .filter(|&i| find(&mut parent, i) == i)
        .count();

    let mut by_kind: HashMap<Difference, usize> = HashMap::new();
    for &(_, _, _, difference) in &near {
        *by_kind.entry(difference).or_default() += 1;
    }
    let count = |kind| by_kind.get(&kind).copied().unwrap_or(0);
    println!("articles                      {}", docs.len());
    println!("files or records not read     {failed}");
    println!("exact copies (indexed once)   {copies} in {groups} groups");
    println!(
        "near-duplicate pairs          {} (Jaccard >= {}, not exact copies)",
        near.len(),
        args.threshold
    );
    println!("  same body words             {}", count(Difference::None));
    println!("  differ only at the end      {}", count(Difference::End));
    println!("  differ only at the start    {}", count(Difference::Start));
    println!(
        "  differ in the middle        {}",
        count(Difference::Middle)
    );
    println!(
        "articles near-duplicates would fold on top of exact copies: {}",
        components_exact - components_near
    );
    if args.examples > 0 {
        let mut shown: HashMap<Difference, usize> = HashMap::new();
        for &(a, b, similarity, difference) in &near {
            let seen = shown.entry(difference).or_default();
            if *seen >= args.examples {
                continue;
            }
            *seen += 1;
            println!(
                "\n{difference:?} {similarity:.3}\n  {}\n  {}\n  {}",
                docs[a].path,
                docs[b].path,
                describe(&docs[a].words, &docs[b].words)
            );
        }
    }
    Ok(())
}

/// The body's words, lower-cased, as the text key sees them.
fn words(text: &str) -> Vec<String> {
    copies::words(text).map(str::to_lowercase).collect()
}

fn shingles(words: &[String]) -> HashSet<u64> {
    words
        .windows(SHINGLE)
        .map(|window| {
            let mut hash = Fnv1a::new();
            for word in window {
                hash.write(word.as_bytes());
                hash.write(b" ");
            }
            hash.finish()
        })
        .collect()
}

fn minhash(shingles: &HashSet<u64>) -> [u64; BANDS * ROWS] {
    let mut signature = [u64::MAX; BANDS * ROWS];
    for &shingle in shingles {
        for (i, slot) in signature.iter_mut().enumerate() {
            *slot = (*slot).min(mix(shingle ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        }
    }
    signature
}

/// SplitMix64's finaliser: one well-mixed hash function per seed.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared).max(1) as f64
}

/// Words the two sequences share at the start and, after those, at the end.
fn common_ends(a: &[String], b: &[String]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// `End` when the bodies agree up to a point at least 80% into the shorter one and differ from
/// there to the end; `Start` the same way round; `Middle` otherwise.
fn difference(a: &[String], b: &[String]) -> Difference {
    let (prefix, suffix) = common_ends(a, b);
    let most = a.len().min(b.len()) * 8 / 10;
    if a == b {
        Difference::None
    } else if suffix == 0 && prefix >= most {
        Difference::End
    } else if prefix == 0 && suffix >= most {
        Difference::Start
    } else {
        Difference::Middle
    }
}

/// The words where two bodies differ, a few of each.
fn describe(a: &[String], b: &[String]) -> String {
    let (prefix, suffix) = common_ends(a, b);
    let part = |words: &[String]| {
        let middle = &words[prefix..words.len() - suffix];
        let shown: Vec<&str> = middle.iter().take(16).map(String::as_str).collect();
        let more = if middle.len() > 16 { " …" } else { "" };
        format!("{} words: {}{more}", middle.len(), shown.join(" "))
    };
    format!(
        "same first {prefix} and last {suffix} words; then [{}] vs [{}]",
        part(a),
        part(b)
    )
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    let mut node = i;
    while parent[node] != root {
        let next = parent[node];
        parent[node] = root;
        node = next;
    }
    root
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
}
