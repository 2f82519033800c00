//! cargo-fuzz target: see `spanmark_fuzz::project_loader`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| spanmark_fuzz::project_loader(data));
