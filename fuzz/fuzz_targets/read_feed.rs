//! Fuzzes the reader of RSS and Atom feeds: any bytes give articles or a file error, never a
//! panic.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = newsdex::corpus::parse_bytes("x.rss", data);
    let _ = newsdex::corpus::parse_bytes("x.xml", data);
});
