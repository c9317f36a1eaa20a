//! Accounts, projects, tokens and the audit log on the wire. Timestamps are RFC 3339 strings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::{OrgRole, ProjectRole};

/// `POST /api/v1/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

/// `GET /api/v1/session`: who is signed in, and their projects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    pub projects: Vec<Membership>,
    /// How the caller is authenticated: `session` or `token`.
    pub via: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub project_id: String,
    pub project_name: String,
    pub role: ProjectRole,
}

/// `PUT /api/v1/session/password`. Other sessions always end; API tokens too when asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
    /// Also revoke every API token of yours (say, when the old password may have leaked with
    /// them). Off by default: automation keeps working.
    #[serde(default)]
    pub revoke_tokens: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub username: String,
    pub org_role: OrgRole,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /api/v1/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    pub org_role: OrgRole,
}

/// `PATCH /api/v1/users/{id}`: change the role or set a new password (an owner's reset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    #[serde(default)]
    pub org_role: Option<OrgRole>,
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub expires_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros_opt")]
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// `POST /api/v1/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTokenRequest {
    pub name: String,
    /// 1–365; 90 when absent.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// The answer to a token creation: the secret is shown this once and never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token: ApiToken,
    /// `None` when the answer is a replay of an earlier request with the same Idempotency-Key.
    pub secret: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The caller's role in the project; `None` for an owner who is not a member.
    pub role: Option<ProjectRole>,
}

/// `POST /api/v1/projects`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateProjectRequest {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /api/v1/projects/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateProjectRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: String,
    pub username: String,
    pub role: ProjectRole,
    pub version: i64,
}

/// `PUT /api/v1/projects/{id}/members`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PutMemberRequest {
    pub user_id: String,
    pub role: ProjectRole,
}

/// One audit log entry. Entries are never changed or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub at: DateTime<Utc>,
    /// `user`, `token`, `agent` or `anonymous`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    /// e.g. `project.create`, `session.create`.
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub project_id: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub request_id: String,
    pub source: String,
    pub detail: String,
    /// For a failure without a known actor (a wrong sign-in, an unknown bootstrap key): how many
    /// more times the same failure came from the same source within the hour after this entry.
    /// Those are counted here rather than recorded one by one.
    #[serde(default)]
    pub repeats: i64,
}

/// A page of a list; pass `next_cursor` back as `cursor` for the next one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
