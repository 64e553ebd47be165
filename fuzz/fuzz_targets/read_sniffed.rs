//! Fuzzes format sniffing: a file without a known extension is read by what its content
//! looks like.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = newsdex::corpus::parse_bytes("corpus/file", data);
});
