//! `newsdex index`: build or refresh the index and report what changed.
//!
//! Ctrl-C (or SIGTERM, as `systemctl stop` sends) stops the run cleanly: no new file is read,
//! the files already read are committed, and the run exits with code 2 saying how many files
//! are left for the next run. A second Ctrl-C exits at once; the last commit stays intact.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};

use super::{Config, Outcome};
use crate::cli::IndexArgs;
use crate::engine::IndexLocation;
use crate::engine::opensearch::OpenSearch;
use crate::engine::opensearch::sync::sync;
use crate::index::build;
use crate::output::human;
use crate::report::IndexReport;

/// Exit code of a run aborted by a second Ctrl-C (128 + SIGINT, as shells report it).
const ABORTED: i32 = 130;

/// Runs `index`.
pub fn run(config: &Config, args: &IndexArgs) -> Result<Outcome> {
    let index_dir = config.index.folder().unwrap_or(Path::new(""));
    let mut options = config.build_options(&args.corpus, index_dir);
    options.full = args.full;
    options.progress = !args.quiet && std::io::stderr().is_terminal();
    options.commit_every = args.commit_every;
    options.allow_purge = args.allow_purge;
    stop_on_signal(&options.stop, args.quiet);
    let cluster = match &config.index {
        IndexLocation::Folder(_) => None,
        IndexLocation::Cluster(url) => Some(OpenSearch::new(url, &config.tls)?),
    };
    let report = match &cluster {
        None => build(&options)?,
        Some(cluster) => sync(cluster, &options)?,
    };
    if let Some(found) = &report.rebuilt_from {
        let done = if report.interrupted.is_some() {
            "the rebuild was stopped and starts again on the next run".to_string()
        } else {
            format!(
                "rebuilt it from {} with version {}",
                args.corpus.display(),
                crate::index::schema::SCHEMA_VERSION
            )
        };
        eprintln!(
            "note: the index in {} was written with schema version {found}; {done}",
            config.index
        );
    }
    if let Some(damage) = &report.repaired {
        eprintln!(
            "note: the index in {} was damaged ({damage}); rebuilt it from {}",
            config.index,
            args.corpus.display()
        );
    }
    for name in &report.abandoned {
        eprintln!("note: deleted index {name}, a rebuild left unfinished by a run that was killed");
    }
    if report.reextracted {
        eprintln!(
            "note: extraction changed since the last run (another newsdex version or other \
             gazetteers); every article was extracted again"
        );
    }
    for failed in &report.failed {
        eprintln!("warning: {}: {}", failed.path, failed.error);
    }
    if !args.quiet {
        eprintln!("{}", summary(&report));
    }
    // The archive stage reads what the run left (an interrupted run too: its commits stand).
    let changed = report.added + report.updated + report.removed > 0
        || report.reextracted
        || report.rebuilt_from.is_some()
        || report.repaired.is_some();
    match (&config.index, &cluster) {
        (_, Some(cluster)) => {
            super::report_archive(cluster, config.gazetteer.as_deref(), changed, args.quiet)?
        }
        (IndexLocation::Folder(dir), None) if crate::index::NewsIndex::exists(dir) => {
            super::refresh_archive(dir, config.gazetteer.as_deref(), changed, args.quiet)?;
        }
        _ => {}
    }

    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    }
    if let Some(left) = report.interrupted {
        bail!(
            "interrupted: what was read is committed, {left} files are left; the next \
             `newsdex index` finishes the job"
        );
    }
    Ok(if report.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Nothing
    })
}

/// The summary line with the reading rate.
fn summary(report: &IndexReport) -> String {
    format!(
        "{} ({:.1} MB read, {:.1} MB/s)",
        human::report_line(report),
        report.bytes_read as f64 / 1e6,
        report.megabytes_per_second()
    )
}

/// The first Ctrl-C or SIGTERM sets `stop`; the second exits at once.
fn stop_on_signal(stop: &Arc<AtomicBool>, quiet: bool) {
    let stop = Arc::clone(stop);
    // Failing to install the handler (one is already set) leaves the default: exit at once,
    // which is safe too.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            std::process::exit(ABORTED);
        }
        if !quiet {
            eprintln!("\nstopping: committing the files read so far (Ctrl-C again to abort)");
        }
    });
}
