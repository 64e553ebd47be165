//! Fuzzes the reader of gzip-compressed files (here JSON Lines): any bytes give articles or a
//! file error, never a panic, and reading in chunks gives what reading the file whole gives.

#![no_main]

mod chunks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    chunks::same_in_chunks("x.jsonl.gz", data);
});
