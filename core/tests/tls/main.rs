//! `core::tls` against generated and committed certificates: each test pins the exact check
//! codes and outcomes an input gives (SPEC §5).
// Test helpers outside `#[test]` functions fail loudly on purpose, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod chain;
mod committed;
mod input;
mod keys;
mod limits;
mod robustness;
mod support;
mod validity;
