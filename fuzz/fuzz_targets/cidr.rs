#![no_main]
//! `cargo fuzz run cidr`: see `byoc_fuzz::bodies::cidr` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::cidr(data));
