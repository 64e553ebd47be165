//! Fuzzes extraction: a file of any format (chosen by the first byte) is read and each article
//! enriched with people, countries and topics.

#![no_main]

use std::sync::OnceLock;

use newsdex::enrich::Enricher;

const NAMES: [&str; 6] = ["x.txt", "x.md", "x.html", "x.json", "x.jsonl", "x.csv"];

fn enricher() -> &'static Enricher {
    static ENRICHER: OnceLock<Enricher> = OnceLock::new();
    ENRICHER.get_or_init(Enricher::new)
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(first) % NAMES.len()];
    if let Ok(parsed) = newsdex::corpus::parse_bytes(name, rest) {
        for article in &parsed.articles {
            let _ = enricher().enrich(article);
        }
    }
});
