//! `newsdex serve`: opens the index with a reader that follows new commits and answers the
//! JSON API and the page until killed.

use std::sync::Arc;

use anyhow::Result;

use super::{Config, Outcome, open, open_or_build};
use crate::cli::ServeArgs;
use crate::engine::resolved::Resolving;
use crate::engine::{Engine, IndexLocation};
use crate::serve::{Bound, REQUEST_TIME_LIMIT, ServeOptions, is_loopback};

/// Runs `serve`.
pub fn run(config: &Config, args: &ServeArgs) -> Result<Outcome> {
    let engine: Arc<dyn Engine> = match &config.index {
        IndexLocation::Folder(dir) => Arc::new(Resolving::new(Box::new(
            open_or_build(config, dir)?.reload_on_commit(),
        ))),
        IndexLocation::Cluster(_) => Arc::from(open(config)?),
    };
    let token = args.token.clone().filter(|token| !token.is_empty());
    if !is_loopback(&args.bind) {
        eprintln!(
            "warning: listening on {}, reachable from other machines: anyone who can reach it \
             can read the archive{}",
            args.bind,
            if token.is_some() {
                " with the token"
            } else {
                "; give --token (or NEWSDEX_TOKEN) to require one"
            }
        );
    }
    let bound = Bound::bind(args.bind)?;
    eprintln!("serving {} on http://{}/", engine.location(), bound.addr());
    let options = ServeOptions {
        bind: bound.addr(),
        token,
        threads: usize::from(args.threads),
        time_limit: REQUEST_TIME_LIMIT,
    };
    bound.run(engine, &options)?;
    Ok(Outcome::Success)
}
