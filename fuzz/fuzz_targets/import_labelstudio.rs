//! cargo-fuzz target: the labelstudio importer (see `spanmark_fuzz::import`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| spanmark_fuzz::import("labelstudio", data));
