#![no_main]
//! `cargo fuzz run licence_line`: see `byoc_fuzz::bodies::licence_line` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::licence_line(data));
