//! `core::tls` against generated and committed certificates: each test pins the exact check
//! codes and outcomes an input gives (SPEC §5).

mod chain;
mod committed;
mod input;
mod keys;
mod robustness;
mod support;
mod validity;
