//! Accounts and access (SPEC §8): who may do what, and what valid account data looks like.
//! The server enforces these on every route; the console uses the same answers to hide controls a
//! user cannot use.

mod names;
mod roles;
pub mod throttle;

pub use names::{
    check_sign_in, validate_password, ProjectDescription, ProjectName, TokenExpiry, TokenName,
    Username, ValidationError, MAX_PASSWORD_CHARS,
};
pub use roles::{can, Action, OrgRole, ProjectRole};
