//! Generates a corpus of any size for benchmarks and the peer comparison, recombined from the
//! shipped `corpus/`: each new article takes its sentences from one main source article and a
//! few others, so the people, countries and topics of a story survive and the vocabulary stays
//! that of real news. The output is deterministic for a given seed and source corpus.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 100000 --seed 42 --out /tmp/gen100k
//! cargo run --release --example gen_corpus -- --articles 5000 --layout files --out /tmp/gen5k
//! ```
//!
//! Layouts: `jsonl` (default) writes `part-00001.jsonl`, ... of 1,000 articles each, one object
//! a line with the fields `id`, `title`, `body`, `date` (RFC 3339) and `source`; `files` writes
//! one scraped-text `.txt` file per article (headline, date line, blank line, paragraphs) in
//! folders `00001/`, ... of 1,000 files each.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use jiff::Timestamp;
use newsdex::article::Article;
use newsdex::corpus;

/// Articles per JSONL file, and files per folder in the `files` layout.
const CHUNK: usize = 1_000;

/// 2000-01-01T00:00:00Z and 2027-01-01T00:00:00Z: generated dates fall between them.
const FIRST_SECOND: i64 = 946_684_800;
const END_SECOND: i64 = 1_798_761_600;

/// Write a corpus of N articles recombined from the shipped sample corpus.
#[derive(Parser, Debug)]
struct Args {
    /// How many articles to write.
    #[arg(long, default_value_t = 50_000)]
    articles: usize,
    /// Seed of the generator: the same seed and source corpus give the same output.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output folder (created; must be empty or absent).
    #[arg(long)]
    out: PathBuf,
    /// How to lay the articles out on disk.
    #[arg(long, value_enum, default_value_t = Layout::Jsonl)]
    layout: Layout,
    /// Source corpus to recombine.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))]
    corpus: PathBuf,
}

/// Output layouts.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Layout {
    /// `part-NNNNN.jsonl` files of 1,000 articles, one JSON object a line.
    Jsonl,
    /// One `.txt` file per article, in folders of 1,000.
    Files,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let sources = load_sources(&args.corpus)?;
    let sentences: usize = sources.iter().map(|s| s.sentences.len()).sum();
    eprintln!(
        "gen_corpus: {} source articles, {sentences} sentences from {}",
        sources.len(),
        args.corpus.display()
    );
    prepare_out(&args.out)?;
    let mut rng = SplitMix64::new(args.seed);
    let mut sink = Sink::new(&args.out, args.layout);
    for ordinal in 0..args.articles {
        let article = generate(&sources, &mut rng, args.seed, ordinal);
        sink.write(&article)?;
    }
    let bytes = sink.finish()?;
    eprintln!(
        "gen_corpus: wrote {} articles, {:.1} MB, to {} in {:.1} s",
        args.articles,
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One source article cut into sentences.
struct Source {
    title: String,
    source: Option<String>,
    sentences: Vec<String>,
    /// How many sentences each paragraph of the source had, to shape new paragraphs alike.
    paragraph_lengths: Vec<usize>,
}

/// Reads the corpus through the library, keeps one copy of each story (the sample holds some
/// stories in more than one format) and cuts bodies into paragraphs and sentences.
fn load_sources(root: &Path) -> Result<Vec<Source>> {
    let (files, errors) = corpus::walk(root);
    for error in &errors {
        eprintln!("gen_corpus: skipped {error}");
    }
    let mut seen = BTreeSet::new();
    let mut sources = Vec::new();
    for file in &files {
        let parsed = match corpus::parse(file) {
            Ok(parsed) => parsed,
            Err(error) => {
                eprintln!("gen_corpus: skipped {error}");
                continue;
            }
        };
        for article in parsed.articles {
            if seen.insert(article.title.to_lowercase())
                && let Some(source) = cut(article)
            {
                sources.push(source);
            }
        }
    }
    if sources.is_empty() {
        bail!("no articles with body text in {}", root.display());
    }
    Ok(sources)
}

fn cut(article: Article) -> Option<Source> {
    let mut sentences = Vec::new();
    let mut paragraph_lengths = Vec::new();
    for paragraph in article.body.split("\n\n") {
        let before = sentences.len();
        sentences.extend(split_sentences(paragraph));
        if sentences.len() > before {
            paragraph_lengths.push(sentences.len() - before);
        }
    }
    (!sentences.is_empty()).then_some(Source {
        title: article.title,
        source: article.source,
        sentences,
        paragraph_lengths,
    })
}

/// Splits a paragraph after `.`, `!` or `?` (and any closing quote or bracket) when a space and
/// an upper-case letter, digit or opening quote follow, except after initials and common
/// abbreviations ("U.S.", "S. Jaishankar", "Mr.", "Gen.").
fn split_sentences(paragraph: &str) -> Vec<String> {
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep",
        "rev", "prof", "jr", "sr", "no", "vs", "inc", "corp", "ltd", "co", "jan", "feb", "mar",
        "apr", "aug", "sept", "sep", "oct", "nov", "dec", "approx", "est", "dept", "fig",
    ];
    let text: String = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end].1, '"' | '\'' | ')' | '’' | '”') {
                end += 1;
            }
            let next_starts = end + 1 < chars.len()
                && chars[end].1 == ' '
                && (chars[end + 1].1.is_uppercase()
                    || chars[end + 1].1.is_ascii_digit()
                    || matches!(chars[end + 1].1, '"' | '“' | '‘' | '('));
            if next_starts
                && !(c == '.' && ends_with_abbreviation(&text[..chars[i].0], ABBREVIATIONS))
            {
                let byte_end = chars[end].0;
                push_sentence(&mut sentences, &text[start..byte_end]);
                start = chars[end + 1].0;
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    push_sentence(&mut sentences, &text[start..]);
    sentences
}

fn ends_with_abbreviation(before: &str, abbreviations: &[&str]) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    // Initials and dotted abbreviations: "S", "U.S", "a.m".
    let last = word.rsplit('.').next().unwrap_or(word);
    if last.chars().count() == 1 && last.chars().all(char::is_alphabetic) {
        return true;
    }
    abbreviations.contains(&word.to_lowercase().as_str())
}

fn push_sentence(sentences: &mut Vec<String>, sentence: &str) {
    let sentence = sentence.trim();
    if sentence.split(' ').count() >= 3 {
        sentences.push(sentence.to_string());
    }
}

/// A generated article.
struct Generated {
    id: String,
    title: String,
    body: String,
    date: Timestamp,
    source: String,
}

/// Title variants applied to an existing headline, so repeated stories are not exact copies.
const TITLE_PREFIXES: &[&str] = &["", "", "", "Update: ", "Analysis: ", "Report: ", "Live: "];
const TITLE_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    ", officials say",
    ", report says",
    " as talks continue",
    " amid criticism",
];
const SOURCES: &[&str] = &[
    "Wikinews",
    "Daily Ledger",
    "Evening Gazette",
    "World Wire",
    "Metro Post",
    "Harbour Times",
];

fn generate(sources: &[Source], rng: &mut SplitMix64, seed: u64, ordinal: usize) -> Generated {
    let main = rng.below(sources.len());
    let others: Vec<usize> = (0..1 + rng.below(3))
        .map(|_| rng.below(sources.len()))
        .collect();
    let primary = &sources[main];

    let title = if rng.below(2) == 0 {
        let prefix = TITLE_PREFIXES[rng.below(TITLE_PREFIXES.len())];
        let suffix = TITLE_SUFFIXES[rng.below(TITLE_SUFFIXES.len())];
        format!("{prefix}{}{suffix}", primary.title)
    } else {
        headline_from(&primary.sentences[rng.below(primary.sentences.len())])
    };

    // The sentence pool: the main story whole, plus as many sentences again drawn from the
    // others, shuffled; paragraphs take from it in turn, so no sentence repeats until it runs
    // out.
    let mut pool: Vec<&str> = primary.sentences.iter().map(String::as_str).collect();
    for _ in 0..primary.sentences.len() / 2 + 1 {
        let other = &sources[others[rng.below(others.len())]];
        pool.push(&other.sentences[rng.below(other.sentences.len())]);
    }
    rng.shuffle(&mut pool);
    let mut next = 0;
    let paragraphs = 3 + rng.below(10);
    let mut body = String::new();
    for p in 0..paragraphs {
        let shape = primary.paragraph_lengths[rng.below(primary.paragraph_lengths.len())];
        for s in 0..shape.clamp(1, 5) {
            if next == pool.len() {
                rng.shuffle(&mut pool);
                next = 0;
            }
            body.push_str(match (p, s) {
                (0, 0) => "",
                (_, 0) => "\n\n",
                _ => " ",
            });
            body.push_str(pool[next]);
            next += 1;
        }
    }

    let span = (END_SECOND - FIRST_SECOND) as u64;
    let second = FIRST_SECOND + (rng.next() % span) as i64;
    let date = Timestamp::from_second(second).expect("in range");
    let source = match (&primary.source, rng.below(3)) {
        (Some(source), 0) => source.clone(),
        _ => SOURCES[rng.below(SOURCES.len())].to_string(),
    };
    Generated {
        id: format!("gen-{seed}-{ordinal:08}"),
        title,
        body,
        date,
        source,
    }
}

/// A sentence made into a headline: at most 16 words, no final full stop.
fn headline_from(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split(' ').take(16).collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':'])
        .to_string()
}

/// One line of the JSONL layout, fields in this order.
#[derive(serde::Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    body: &'a str,
    date: &'a str,
    source: &'a str,
}

fn prepare_out(out: &Path) -> Result<()> {
    if out.exists() {
        let mut entries =
            fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() {
            bail!("{} is not empty; give a new folder", out.display());
        }
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))
}

/// Writes articles in the chosen layout, a new file or folder every [`CHUNK`] articles.
struct Sink {
    out: PathBuf,
    layout: Layout,
    written: usize,
    bytes: u64,
    part: Option<BufWriter<File>>,
}

impl Sink {
    fn new(out: &Path, layout: Layout) -> Sink {
        Sink {
            out: out.to_path_buf(),
            layout,
            written: 0,
            bytes: 0,
            part: None,
        }
    }

    fn write(&mut self, article: &Generated) -> Result<()> {
        let chunk = self.written / CHUNK + 1;
        let date = article.date.to_string();
        match self.layout {
            Layout::Jsonl => {
                if self.written.is_multiple_of(CHUNK) {
                    self.flush()?;
                    let path = self.out.join(format!("part-{chunk:05}.jsonl"));
                    let file = File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    self.part = Some(BufWriter::new(file));
                }
                let line = serde_json::to_string(&Record {
                    id: &article.id,
                    title: &article.title,
                    body: &article.body,
                    date: &date,
                    source: &article.source,
                })?;
                let part = self.part.as_mut().expect("opened above");
                part.write_all(line.as_bytes())?;
                part.write_all(b"\n")?;
                self.bytes += line.len() as u64 + 1;
            }
            Layout::Files => {
                let folder = self.out.join(format!("{chunk:05}"));
                if self.written.is_multiple_of(CHUNK) {
                    fs::create_dir_all(&folder)
                        .with_context(|| format!("cannot create {}", folder.display()))?;
                }
                let path = folder.join(format!("{}.txt", article.id));
                let text = format!(
                    "{}\n{}\nBy {}\n\n{}\n",
                    article.title, date, article.source, article.body
                );
                fs::write(&path, &text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                self.bytes += text.len() as u64;
            }
        }
        self.written += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(mut part) = self.part.take() {
            part.flush()?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<u64> {
        self.flush()?;
        Ok(self.bytes)
    }
}

/// SplitMix64 (Steele, Lea and Flood): small, fast and good enough to shuffle sentences.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_stops_but_not_initials() {
        let got = split_sentences(
            "S. Jaishankar met Marco Rubio in Washington. The U.S. and India agreed on minerals. \
             Talks \"went well,\" he said. Mr. Rubio left at 5 p.m. on Friday.",
        );
        assert_eq!(
            got,
            vec![
                "S. Jaishankar met Marco Rubio in Washington.",
                "The U.S. and India agreed on minerals.",
                "Talks \"went well,\" he said.",
                "Mr. Rubio left at 5 p.m. on Friday.",
            ]
        );
    }

    #[test]
    fn generator_is_deterministic_for_a_seed() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next()).collect();
        assert_eq!(xs, ys);
        assert!((0..1000).all(|_| a.below(10) < 10));
    }
}
