//! The hostile-input suite (issue "Hardening"): each finding as a black-box test against the real
//! `byoc-server` binary on a socket, with a fresh data directory per server. One test binary with a
//! module per area, so it links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod server;

mod agent_tokens;
mod concurrency;
mod input;
mod throttle;
