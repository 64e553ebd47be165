//! Glue between the command line and the library: one file per subcommand, each turning its
//! arguments into a request, running it and rendering the result.

mod completions;
mod export;
mod extract;
mod facets;
mod index;
mod search;
mod serve;
mod show;
mod similar;
mod stats;
mod stories;

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::cli::{Cli, Command, FilterArgs};
use crate::engine::opensearch::{OpenSearch, TlsOptions};
use crate::engine::params::FilterValues;
use crate::engine::resolved::Resolving;
use crate::engine::{Engine, IndexLocation};
use crate::index::{BuildOptions, IndexError, NewsIndex};
use crate::output::human;
use crate::search::Filters;

/// How a successful run ended, for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Hits found, or the work done: exit 0.
    Success,
    /// A search or count matched nothing, or an index run skipped failed files: exit 1.
    Nothing,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    if let Some(dir) = &cli.gazetteer
        && !dir.is_dir()
    {
        bail!(
            "gazetteer folder {} does not exist (`--gazetteer`)",
            dir.display()
        );
    }
    if cli.insecure && matches!(cli.index, IndexLocation::Cluster(_)) {
        eprintln!(
            "warning: --insecure: the certificate of {} is not verified",
            cli.index
        );
    }
    let config = Config {
        index: cli.index,
        gazetteer: cli.gazetteer,
        tls: TlsOptions {
            ca_cert: cli.ca_cert,
            insecure: cli.insecure,
        },
    };
    match cli.command {
        Command::Index(args) => index::run(&config, &args),
        Command::Search(args) => search::run(&config, &args),
        Command::Facets(args) => facets::run(&config, &args),
        Command::Show(args) => show::run(&config, &args),
        Command::Extract(args) => extract::run(&config, &args),
        Command::Similar(args) => similar::run(&config, &args),
        Command::Stats(args) => stats::run(&config, &args),
        Command::Export(args) => export::run(&config, &args),
        Command::Stories(args) => stories::run(&config, &args),
        Command::Completions(args) => completions::completions(args.shell),
        Command::Man => completions::man(),
        Command::Serve(args) => serve::run(&config, &args),
    }
}

/// Settings every subcommand shares, resolved from the command line and environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// The index: a folder, or a cluster URL.
    pub index: IndexLocation,
    /// A folder of extra gazetteers, if any.
    pub gazetteer: Option<PathBuf>,
    /// TLS settings for a cluster URL.
    pub tls: TlsOptions,
}

impl Config {
    /// Build options for indexing `corpus` into the index folder `index_dir`.
    fn build_options(&self, corpus: &Path, index_dir: &Path) -> BuildOptions {
        let mut options = BuildOptions::new(corpus, index_dir);
        options.gazetteer = self.gazetteer.clone();
        options
    }
}

/// The folder `search` indexes first when no index exists.
const DEFAULT_CORPUS: &str = "corpus";
/// The only index folder built from [`DEFAULT_CORPUS`] on demand (`--index`'s default): an index
/// named elsewhere that is missing is reported, never filled with the sample corpus (a search
/// racing the first `newsdex index` of that folder would otherwise take its writer lock).
const DEFAULT_INDEX: &str = "index";

/// Opens the index for reading, whichever backend holds it, its answers resolved against the
/// archive's names.
fn open(config: &Config) -> Result<Box<dyn Engine>> {
    let backend: Box<dyn Engine> = match &config.index {
        IndexLocation::Folder(dir) => Box::new(open_or_build(config, dir)?),
        IndexLocation::Cluster(url) => Box::new(OpenSearch::new(url, &config.tls)?),
    };
    Ok(Box::new(Resolving::new(backend)))
}

/// Runs the archive stage over the local index in `dir` after a build, and says what it
/// resolved when it changed.
fn refresh_archive(
    dir: &Path,
    gazetteer: Option<&Path>,
    articles_changed: bool,
    quiet: bool,
) -> Result<()> {
    let index = NewsIndex::open(dir)?;
    report_archive(
        &crate::archive::Local(&index),
        gazetteer,
        articles_changed,
        quiet,
    )
}

/// Runs the archive stage on `store` (when the articles changed or it has kept nothing yet)
/// and says what changed: the names, then the topics, whose model reads the names.
fn report_archive(
    store: &dyn crate::archive::ArchiveStore,
    gazetteer: Option<&Path>,
    articles_changed: bool,
    quiet: bool,
) -> Result<()> {
    if let Some(report) = crate::archive::refresh_after(store, articles_changed)?
        && report.changed
        && !quiet
    {
        eprintln!(
            "names: {} resolved across the archive ({} of them organisations written like names)",
            report.resolved, report.orgs_from_people
        );
    }
    let started = std::time::Instant::now();
    if let Some(report) = crate::archive::topics::refresh_after(store, gazetteer, articles_changed)?
        && !quiet
        && report.decided > 0
    {
        eprintln!(
            "topics: {} unsure articles decided with a model of {} confident ones ({} re-assigned, \
             {} left without a topic; {} rewritten) in {:.2}s",
            report.decided,
            report.trained.values().sum::<u64>(),
            report.reassigned,
            report.abstained,
            report.rewritten,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Opens the local index for reading; when there is none but `./corpus` exists, builds it
/// first, and when the one there was built from `./corpus` by another schema version, rebuilds
/// it.
fn open_or_build(config: &Config, index_dir: &Path) -> Result<NewsIndex> {
    let corpus = Path::new(DEFAULT_CORPUS);
    // Nothing to build from, or a rebuild is swapping the index in right now: `open` says so.
    let buildable = index_dir == Path::new(DEFAULT_INDEX)
        && corpus.is_dir()
        && !NewsIndex::rebuilding(index_dir);
    let why = match NewsIndex::open(index_dir) {
        Ok(index) => return Ok(index),
        Err(IndexError::Missing { .. }) if buildable => "no index in",
        Err(IndexError::SchemaVersion { .. })
            if buildable
                && NewsIndex::recorded_corpus(index_dir).as_deref() == Some(DEFAULT_CORPUS) =>
        {
            "another version of newsdex wrote the index in"
        }
        Err(error) => return Err(error.into()),
    };
    eprintln!(
        "note: {why} {}; building it from {} first",
        index_dir.display(),
        corpus.display()
    );
    let mut options = config.build_options(corpus, index_dir);
    options.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = crate::index::build(&options)?;
    eprintln!("{}", human::report_line(&report));
    refresh_archive(index_dir, config.gazetteer.as_deref(), true, false)?;
    Ok(NewsIndex::open(index_dir)?)
}

/// Resolves filter flags into search filters.
fn filters(args: &FilterArgs) -> Filters {
    FilterValues {
        countries: args.country.clone(),
        people: args.person.clone(),
        orgs: args.org.clone(),
        topics: args.topic.clone(),
        sources: args.source.clone(),
        langs: args.lang.clone(),
        stories: args.story.clone(),
        since: args.since,
        until: args.until,
    }
    .filters()
}
