//! Fuzzes the date parser: any text gives a date or none, never a panic.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = newsdex::corpus::parse_date(text);
    }
});
