//! `byoc-core` holds every rule of the BYOC console, so the browser and the control plane apply
//! exactly the same ones. It does no I/O and never reads the clock: time, when a rule needs it, is
//! a parameter. It builds for the host and for `wasm32-unknown-unknown`.

pub mod access;
pub mod api;
pub mod bootstrap;
pub mod catalog;
pub mod domain;
pub mod forwarded;
pub mod lang;
pub mod licence;
pub mod lifecycle;
pub mod network;
pub mod overview;
pub mod policy;
pub mod provision;
pub mod quota;
pub mod sizing;
pub mod text;
pub mod tls;
