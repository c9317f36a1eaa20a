//! One module per area of the console (SPEC §10).

pub mod not_found;
pub mod prerequisites;
