//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the same harness bodies
//! the fuzzers ran (`fuzz/src/bodies.rs`), as ordinary tests: CI runs every input the fuzzers kept
//! without needing a fuzzer or a nightly compiler. A missing or empty corpus fails, so a moved
//! directory cannot make these tests pass by testing nothing.
// Helpers outside `#[test]` functions fail loudly on purpose, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../fuzz/src/bodies.rs"]
mod bodies;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs every file of the target's corpus; fails naming each input that panicked.
fn replay(target: &str) {
    let dir = fuzz_dir().join("corpus").join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is missing: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("a readable corpus file");
        let ran = catch_unwind(AssertUnwindSafe(|| bodies::run(target, &data)));
        match ran {
            Ok(true) => {}
            Ok(false) => panic!("no harness body named {target}"),
            Err(_) => failed.push(file.display().to_string()),
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs of {target} panicked: {failed:?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn tls_inspect_corpus() {
    replay("tls_inspect");
}

#[test]
fn private_key_corpus() {
    replay("private_key");
}

#[test]
fn licence_line_corpus() {
    replay("licence_line");
}

#[test]
fn cidr_corpus() {
    replay("cidr");
}

#[test]
fn cloud_ids_corpus() {
    replay("cloud_ids");
}

#[test]
fn agent_messages_corpus() {
    replay("agent_messages");
}

#[test]
fn every_target_has_a_fuzz_target_and_a_replay() {
    for target in bodies::TARGETS {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        assert!(source.is_file(), "{} is missing", source.display());
    }
    assert!(!bodies::run("no_such_target", b""));
}
