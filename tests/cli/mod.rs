//! One module per area of the command line.

mod bad_input;
mod completions;
mod copies;
mod explain;
mod export;
mod extract;
mod facets;
mod faults;
mod formats;
mod hostile;
mod index;
mod index_folder;
mod lang;
mod large_dump;
mod names;
mod opensearch;
mod opensearch_faults;
mod reindex;
mod report;
mod search;
mod serve;
mod stories;
mod topics;
mod typos;
mod util;
