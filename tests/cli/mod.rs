//! One module per area of the command line.

mod bad_input;
mod copies;
mod export;
mod extract;
mod facets;
mod index;
mod reindex;
mod search;
mod serve;
mod util;
