//! The check shared by the JSON Lines targets: a file read in chunks gives the articles,
//! warnings and error of the same file read whole.

use newsdex::corpus;

/// Panics when reading `data` as `name` in chunks differs from reading it whole.
pub fn same_in_chunks(name: &str, data: &[u8]) {
    let whole = corpus::parse_bytes(name, data).map_err(|error| error.reason);
    let scan = match corpus::scan_lines(name, data) {
        // Left to the whole reader (UTF-16).
        Ok(None) => return,
        Ok(Some(scan)) => scan,
        Err(error) => {
            assert_eq!(Err(error.reason), whole.map(|_| ()));
            return;
        }
    };
    let mut articles = Vec::new();
    let streamed = corpus::read_lines(name, data, &scan, |chunk| articles.extend(chunk));
    match (streamed, whole) {
        (Ok(streamed), Ok(whole)) => {
            assert_eq!(articles, whole.articles);
            assert_eq!(streamed.warnings, whole.warnings);
            assert_eq!(streamed.articles, articles.len() as u64);
        }
        (Err(error), Err(reason)) => assert_eq!(error.reason, reason),
        (streamed, whole) => panic!("in chunks {streamed:?}, whole {whole:?}"),
    }
}
