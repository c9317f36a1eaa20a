//! The control plane's integration tests, one binary: every file beside this one is a module
//! (linked once instead of once per file: a cold build's disk and link time; CI's disk filled).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod accounts;
mod agent_tokens;
mod api;
mod audit;
mod console;
mod credentials;
mod demo;
mod deployments;
mod downloads;
mod input_limits;
mod language;
mod licence;
mod metrics;
mod network;
mod openapi;
mod overview;
mod prerequisites;
mod private_keys;
mod projects;
mod purge;
mod replicas;
mod secrets;
mod throttle;
mod transport;
