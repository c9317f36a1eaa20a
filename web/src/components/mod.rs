//! Reusable pieces with no routing knowledge.

pub mod error_view;
pub mod region_picker;
pub mod shell_controls;
