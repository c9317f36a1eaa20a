//! Reusable pieces with no routing knowledge.

pub mod bootstrap_checklist;
pub mod copy_download;
pub mod domain_checker;
pub mod error_view;
pub mod policy_viewer;
pub mod quota_table;
pub mod region_picker;
pub mod shell_controls;
pub mod sizing_form;
