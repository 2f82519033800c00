//! cargo-fuzz target: see `spanmark_fuzz::path_policy`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| spanmark_fuzz::path_policy(data));
