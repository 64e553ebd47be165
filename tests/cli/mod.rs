//! One module per area of the command line.

mod bad_input;
mod completions;
mod copies;
mod explain;
mod extract;
mod facets;
mod index;
mod index_folder;
mod lang;
mod reindex;
mod search;
mod typos;
mod util;
