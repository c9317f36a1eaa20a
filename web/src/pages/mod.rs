//! One module per area of the console (SPEC §10).

pub mod access;
pub mod audit;
pub mod deployments;
pub mod licence;
pub mod not_found;
pub mod overview;
pub mod prerequisites;
pub mod projects;
pub mod sign_in;
pub mod tokens;
