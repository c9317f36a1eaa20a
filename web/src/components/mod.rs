//! Reusable pieces with no routing knowledge.

pub mod bootstrap_checklist;
pub mod change_password;
pub mod confirm_dialog;
pub mod copy_download;
pub mod deployment_status;
pub mod dialog;
pub mod domain_checker;
pub mod error_view;
pub mod header_menu;
pub mod plan_table;
pub mod policy_viewer;
pub mod quota_table;
pub mod region_picker;
pub mod scroll_region;
pub mod shell_controls;
pub mod sign_in_form;
pub mod sizing_form;
pub mod text_field;
pub mod text_file_input;
pub mod timestamp;
pub mod tls_checker;
pub mod users_table;
