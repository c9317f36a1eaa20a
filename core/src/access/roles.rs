//! Roles and the permission table.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// Role in the organisation (one per installation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// Manages users, the licence and every project.
    Owner,
    /// Sees and acts only in the projects they belong to.
    Member,
}

/// Role in one project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectRole {
    Viewer,
    Editor,
    Admin,
}

/// Everything a user can ask to do, for the permission table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// See a project and what is in it.
    ReadProject,
    /// Create, stop, start and delete deployments; bootstrap keys.
    OperateDeployments,
    /// VPC peering and PrivateLink.
    ManageNetwork,
    /// Add, change and remove project members.
    ManageMembers,
    /// Rename or delete a project.
    ManageProject,
    /// Create a project.
    CreateProject,
    /// Create, change and remove users and their organisation roles.
    ManageUsers,
    /// Install a licence.
    ManageLicence,
    /// Read every audit entry of the organisation.
    ReadAllAudit,
}

/// Whether someone with `org` role and, in the project concerned, `project` role (None: not a
/// member, or no project involved) may perform `action`. Owners may do everything; members need
/// a project role: viewers read, editors also operate deployments and networks, admins also
/// manage the project and its members (SPEC §8).
pub fn can(org: OrgRole, project: Option<ProjectRole>, action: Action) -> bool {
    if org == OrgRole::Owner {
        return true;
    }
    let Some(role) = project else { return false };
    match action {
        Action::ReadProject => true,
        Action::OperateDeployments | Action::ManageNetwork => role >= ProjectRole::Editor,
        Action::ManageMembers | Action::ManageProject => role == ProjectRole::Admin,
        Action::CreateProject
        | Action::ManageUsers
        | Action::ManageLicence
        | Action::ReadAllAudit => false,
    }
}

impl OrgRole {
    pub fn code(self) -> &'static str {
        match self {
            OrgRole::Owner => "owner",
            OrgRole::Member => "member",
        }
    }
}

impl ProjectRole {
    pub const ALL: [ProjectRole; 3] =
        [ProjectRole::Admin, ProjectRole::Editor, ProjectRole::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            ProjectRole::Admin => "admin",
            ProjectRole::Editor => "editor",
            ProjectRole::Viewer => "viewer",
        }
    }
}

impl fmt::Display for OrgRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for ProjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for OrgRole {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(OrgRole::Owner),
            "member" => Ok(OrgRole::Member),
            other => Err(ValidationError::UnknownOrgRole(other.to_owned())),
        }
    }
}

impl FromStr for ProjectRole {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProjectRole::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| ValidationError::UnknownProjectRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_ACTIONS: [Action; 9] = [
        Action::ReadProject,
        Action::OperateDeployments,
        Action::ManageNetwork,
        Action::ManageMembers,
        Action::ManageProject,
        Action::CreateProject,
        Action::ManageUsers,
        Action::ManageLicence,
        Action::ReadAllAudit,
    ];

    #[test]
    fn owners_may_do_everything_even_outside_projects() {
        for action in ALL_ACTIONS {
            assert!(can(OrgRole::Owner, None, action), "{action:?}");
        }
    }

    #[test]
    fn members_outside_a_project_may_do_nothing_there() {
        for action in ALL_ACTIONS {
            assert!(!can(OrgRole::Member, None, action), "{action:?}");
        }
    }

    #[test]
    fn viewers_only_read() {
        let allowed: Vec<_> = ALL_ACTIONS
            .into_iter()
            .filter(|a| can(OrgRole::Member, Some(ProjectRole::Viewer), *a))
            .collect();
        assert_eq!(allowed, [Action::ReadProject]);
    }

    #[test]
    fn editors_operate_deployments_and_networks_but_not_members() {
        let allowed: Vec<_> = ALL_ACTIONS
            .into_iter()
            .filter(|a| can(OrgRole::Member, Some(ProjectRole::Editor), *a))
            .collect();
        assert_eq!(
            allowed,
            [
                Action::ReadProject,
                Action::OperateDeployments,
                Action::ManageNetwork
            ]
        );
    }

    #[test]
    fn project_admins_also_manage_the_project_and_members_but_not_the_organisation() {
        let allowed: Vec<_> = ALL_ACTIONS
            .into_iter()
            .filter(|a| can(OrgRole::Member, Some(ProjectRole::Admin), *a))
            .collect();
        assert_eq!(
            allowed,
            [
                Action::ReadProject,
                Action::OperateDeployments,
                Action::ManageNetwork,
                Action::ManageMembers,
                Action::ManageProject
            ]
        );
    }

    #[test]
    fn roles_parse_from_their_codes_only() {
        assert_eq!("owner".parse::<OrgRole>(), Ok(OrgRole::Owner));
        assert_eq!("viewer".parse::<ProjectRole>(), Ok(ProjectRole::Viewer));
        assert_eq!(
            "Admin".parse::<ProjectRole>().unwrap_err().code(),
            "unknown_project_role"
        );
        assert_eq!(
            "root".parse::<OrgRole>().unwrap_err().code(),
            "unknown_org_role"
        );
        assert_eq!(
            serde_json::to_string(&ProjectRole::Editor).unwrap(),
            "\"editor\""
        );
    }
}
