//! One module per area of the command line.

mod bad_input;
mod copies;
mod export;
mod extract;
mod facets;
mod index;
mod opensearch;
mod opensearch_faults;
mod reindex;
mod search;
mod util;
