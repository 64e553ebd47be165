//! Fuzzes snippet rendering: a body of any text is cut into a snippet around the words of a
//! fixed query, and the snippet marked for the terminal and for JSON.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use newsdex::index::{BuildOptions, NewsIndex, build};
use newsdex::search::snippet::Snippeter;
use tantivy::query::QueryParser;

fn index() -> &'static NewsIndex {
    static INDEX: OnceLock<(tempfile::TempDir, NewsIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/wikinews/txt"));
            build(&BuildOptions::new(corpus, dir.path())).expect("index the seed corpus");
            let index = NewsIndex::open(dir.path()).expect("open the index");
            (dir, index)
        })
        .1
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let index = index();
    let body = index.fields().body;
    let parser = QueryParser::for_index(index.index(), vec![body]);
    let Ok(query) = parser.parse_query("trade minister \"critical minerals\" talk*") else {
        return;
    };
    let searcher = index.reader().expect("reader").searcher();
    let Ok(mut snippets) = Snippeter::new(&searcher, query.as_ref(), body, 200) else {
        return;
    };
    if let Some(snippet) = snippets.snippet(text) {
        let _ = newsdex::output::human::paint_snippet(&snippet, newsdex::output::human::Painter::plain());
        let _ = newsdex::output::json::mark_snippet(&snippet);
    }
});
