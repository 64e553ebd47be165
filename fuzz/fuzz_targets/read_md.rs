//! Fuzzes the reader of `.md` files: any bytes give articles or a file error, never a panic.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = newsdex::corpus::parse_bytes("x.md", data);
});
