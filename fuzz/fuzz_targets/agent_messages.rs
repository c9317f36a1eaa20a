#![no_main]
//! `cargo fuzz run agent_messages`: see `byoc_fuzz::bodies::agent_messages` for the input format and the checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| byoc_fuzz::bodies::agent_messages(data));
