//! cargo-fuzz target: see `spanmark_fuzz::source_decoder`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| spanmark_fuzz::source_decoder(data));
