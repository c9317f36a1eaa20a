//! Names of roles and audit outcomes in the catalog's terms.

use byoc_core::access::{OrgRole, ProjectRole};

use super::Msg;

pub fn org_role(role: OrgRole) -> Msg {
    match role {
        OrgRole::Owner => Msg::RoleOwner,
        OrgRole::Member => Msg::RoleMember,
    }
}

pub fn project_role(role: ProjectRole) -> Msg {
    match role {
        ProjectRole::Admin => Msg::RoleAdmin,
        ProjectRole::Editor => Msg::RoleEditor,
        ProjectRole::Viewer => Msg::RoleViewer,
    }
}

/// The outcome of an audit entry; an outcome this console does not know is shown as sent.
pub fn audit_outcome(outcome: &str) -> Option<Msg> {
    match outcome {
        "success" => Some(Msg::OutcomeSuccess),
        "failure" => Some(Msg::OutcomeFailure),
        "denied" => Some(Msg::OutcomeDenied),
        _ => None,
    }
}
