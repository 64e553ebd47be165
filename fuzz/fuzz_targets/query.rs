//! Fuzzes the query parser with filters: the input's lines are the query text, then a country
//! code, a person, a topic and a source; the search runs over a small index of the shipped
//! corpus, with facets, and its results are rendered. Errors are fine, panics are not.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use newsdex::article::CountryCode;
use newsdex::index::schema::FacetKind;
use newsdex::index::{BuildOptions, NewsIndex, build};
use newsdex::search::{SearchRequest, SortOrder, search};

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
    let mut lines = text.split('\n');
    let mut request = SearchRequest::new(lines.next().unwrap_or_default());
    let mut next = || lines.next().filter(|line| !line.is_empty()).map(str::to_string);
    request.filters.countries = next().map(CountryCode).into_iter().collect();
    request.filters.people = next().into_iter().collect();
    request.filters.topics = next().into_iter().collect();
    request.filters.sources = next().into_iter().collect();
    request.facets = vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic];
    if text.len() % 2 == 1 {
        request.sort = SortOrder::Date;
    }
    if let Ok(results) = search(index(), &request) {
        let mut out = Vec::new();
        let _ = newsdex::output::human::search(&mut out, &results, 0, newsdex::output::human::Painter::plain());
        let _ = newsdex::output::json::search(&request.text, &results, true);
    }
});
