#![no_main]
//! `cargo fuzz run cloud_ids`: see `byoc_fuzz::bodies::cloud_ids` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::cloud_ids(data));
