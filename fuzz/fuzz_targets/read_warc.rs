//! Fuzzes the reader of web archives: any bytes, plain or gzipped, give articles or a file
//! error, never a panic, and read in two passes as they read whole.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for name in ["x.warc", "x.warc.gz", "x.arc"] {
        let whole = newsdex::corpus::parse_bytes(name, data).map(|parsed| parsed.articles.len());
        if let Ok(Some(scan)) = newsdex::corpus::scan_lines(name, data) {
            let mut articles = 0;
            let streamed = newsdex::corpus::read_lines(name, data, &scan, |chunk| {
                articles += chunk.len();
            });
            assert_eq!(streamed.is_ok(), whole.is_ok(), "{name}");
            if let Ok(count) = whole {
                assert_eq!(articles, count, "{name}");
            }
        }
    }
});
