#![no_main]
//! `cargo fuzz run private_key`: see `byoc_fuzz::bodies::private_key` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::private_key(data));
