//! The harness bodies, shared with byoc-core's corpus replay test (`core/tests/fuzz_corpus.rs`).

pub mod bodies;
