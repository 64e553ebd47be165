//! One module per area of the command line.

mod bad_input;
mod copies;
mod export;
mod extract;
mod facets;
mod faults;
mod hostile;
mod index;
mod reindex;
mod report;
mod search;
mod util;
