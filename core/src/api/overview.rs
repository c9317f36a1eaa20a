//! `GET /api/v1/overview`: the Overview page in one answer, counted by the server so it stays
//! one small request with 10,000 deployments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AuditEntry;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// Every project the caller can see, by name, with its deployments (deleted ones aside)
    /// counted by status. A project without deployments has no counts.
    pub projects: Vec<ProjectStatusCounts>,
    pub attention: Attention,
    /// The newest audit entries the caller may read; `None` when the caller may read none
    /// (only owners and project admins may).
    pub recent_activity: Option<Vec<AuditEntry>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectStatusCounts {
    pub project_id: String,
    pub project_name: String,
    pub counts: Vec<StatusCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    /// A deployment status code, e.g. `running`.
    pub status: String,
    pub count: u64,
}

/// What needs someone's attention, newest first, at most `core::overview::ATTENTION_LIMIT` of
/// each kind; the totals count them all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attention {
    pub failed: Vec<DeploymentRef>,
    pub failed_total: u64,
    /// PrivateLinks created but not yet allowed (Alibaba Cloud) or accepted (AWS) on the
    /// customer's endpoint service.
    pub privatelinks_waiting: Vec<WaitingPrivateLink>,
    pub privatelinks_waiting_total: u64,
    /// Unused bootstrap keys of operations still waiting for their toolkit, expiring soon or
    /// expired (`core::overview::key_urgency`).
    pub keys_expiring: Vec<ExpiringKey>,
    pub keys_expiring_total: u64,
    /// The caller's own API tokens expiring within a week.
    pub tokens_expiring: Vec<ExpiringToken>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentRef {
    pub deployment_id: String,
    pub deployment_name: String,
    pub project_id: String,
    pub project_name: String,
    /// Why it failed, as the toolkit reported it.
    pub reason: Option<String>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingPrivateLink {
    pub deployment_id: String,
    pub deployment_name: String,
    pub project_id: String,
    pub privatelink_id: String,
    /// The endpoint service, as entered.
    pub service_id: String,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringKey {
    pub deployment_id: String,
    pub deployment_name: String,
    pub project_id: String,
    /// `create`, `stop`, `start` or `delete`.
    pub operation: String,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringToken {
    pub token_id: String,
    pub name: String,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub expires_at: DateTime<Utc>,
}
