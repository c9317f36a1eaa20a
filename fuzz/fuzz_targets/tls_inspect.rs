#![no_main]
//! `cargo fuzz run tls_inspect`: see `byoc_fuzz::bodies::tls_inspect` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::tls_inspect(data));
