//! VPC peerings, PrivateLinks and what the console shows beside them (SPEC §6, §9), and the
//! agent's side of their lifecycles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::Cloud;
use crate::lifecycle::deployment::Status;
use crate::lifecycle::peering::{PeeringAction, PeeringStatus};
use crate::lifecycle::privatelink::{PrivateLinkAction, PrivateLinkStatus};
use crate::network::Principal;

/// `GET /api/v1/deployments/{id}/network`, and beside every list of peerings and links: the
/// deployment's side of a connection, as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentNetwork {
    pub deployment_id: String,
    pub cloud: Cloud,
    pub region: String,
    pub status: Status,
    /// Peerings and PrivateLinks can be created only while the deployment is running.
    pub accepts_changes: bool,
    pub vpc_cidr: String,
    /// From the toolkit's outputs, once it has reported them.
    pub vpc_id: Option<String>,
    /// The account (AWS), account UID (Alibaba Cloud) or project (Google Cloud) hosting the
    /// deployment: the other side of a peering request.
    pub account_id: Option<String>,
    /// The deployment's load balancer zone; the customer's load balancer behind a PrivateLink
    /// must be in the same zone.
    pub zone: Option<String>,
    /// Whom the customer adds to the endpoint service's whitelist for a PrivateLink.
    pub principal: Option<Principal>,
}

/// `POST /api/v1/deployments/{id}/peerings`. Which identifying fields are needed depends on the
/// deployment's cloud (`core::network::peering::peering_fields`): aws and aws-cn `peering_id`
/// (`pcx-…`), `peer_account_id` (12 digits) and `peer_vpc_id` (`vpc-…`); gcp `peer_project_id`
/// and `peer_network`; aliyun `peering_id` (the CEN instance `cen-…`), `peer_account_id` (the
/// 16-digit UID) and `peer_vpc_id`. Fields of other clouds are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePeeringRequest {
    /// The peer network's range: private (RFC 1918), /8 to /28, overlapping neither the
    /// deployment's VPC nor another live peering.
    pub peer_cidr: String,
    #[serde(default)]
    pub peering_id: Option<String>,
    #[serde(default)]
    pub peer_account_id: Option<String>,
    #[serde(default)]
    pub peer_vpc_id: Option<String>,
    #[serde(default)]
    pub peer_project_id: Option<String>,
    #[serde(default)]
    pub peer_network: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Peering {
    pub id: String,
    pub deployment_id: String,
    pub cloud: Cloud,
    pub peer_cidr: String,
    pub peering_id: Option<String>,
    pub peer_account_id: Option<String>,
    pub peer_vpc_id: Option<String>,
    pub peer_project_id: Option<String>,
    pub peer_network: Option<String>,
    pub description: Option<String>,
    pub status: PeeringStatus,
    /// Why it failed or expired.
    pub reason: Option<String>,
    /// While pending: when the request expires unless accepted (7 days after it was made).
    #[serde(serialize_with = "crate::api::time::micros_opt")]
    pub expires_at: Option<DateTime<Utc>>,
    pub allowed_actions: Vec<PeeringAction>,
    pub version: i64,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/deployments/{id}/peerings`: a page of the deployment's peerings (removed ones
/// are not listed), with the deployment's side of the connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeeringPage {
    pub items: Vec<Peering>,
    pub next_cursor: Option<String>,
    pub total: u64,
    pub network: DeploymentNetwork,
}

/// `POST /api/v1/deployments/{id}/privatelinks`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePrivateLinkRequest {
    /// The endpoint service in the deployment's region: aliyun `epsrv-…` (or
    /// `com.aliyuncs.privatelink.<region>.epsrv-…`), aws `com.amazonaws.vpce.<region>.vpce-svc-…`
    /// (aws-cn also `cn.com.amazonaws.vpce.…`), gcp
    /// `projects/<p>/regions/<r>/serviceAttachments/<name>`.
    pub service_id: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivateLink {
    pub id: String,
    pub deployment_id: String,
    pub cloud: Cloud,
    pub service_id: String,
    pub description: Option<String>,
    pub status: PrivateLinkStatus,
    /// Why it failed.
    pub reason: Option<String>,
    /// While running: the endpoint's domain name, to use in data integrations.
    pub endpoint_domain: Option<String>,
    /// While running: the endpoint's address in the deployment's VPC.
    pub endpoint_ip: Option<String>,
    /// Whom the endpoint service must whitelist.
    pub principal: Option<Principal>,
    /// The zone the customer's load balancer must be in.
    pub zone: Option<String>,
    pub allowed_actions: Vec<PrivateLinkAction>,
    pub version: i64,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/deployments/{id}/privatelinks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivateLinkPage {
    pub items: Vec<PrivateLink>,
    pub next_cursor: Option<String>,
    pub total: u64,
    pub network: DeploymentNetwork,
}

// ── Agent protocol (/agent/v1) ───────────────────────────────────────────────────────────────

/// `GET /agent/v1/network`: what the agent has to reconcile: peerings and links waiting for
/// acceptance or being deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentNetwork {
    /// The deployment's VPC range: a link's endpoint address lies inside it.
    pub vpc_cidr: String,
    pub peerings: Vec<Peering>,
    pub privatelinks: Vec<PrivateLink>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    Peering,
    Privatelink,
}

/// What became of a peering (`active`, `failed`, `expired`, `removed`) or a PrivateLink
/// (`running`, `failed`, `removed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NetworkOutcome {
    Active,
    Running,
    Failed,
    Expired,
    Removed,
}

/// `POST /agent/v1/network/report`, numbered like every agent message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkReport {
    pub deployment_id: String,
    pub seq: u64,
    pub kind: NetworkKind,
    /// The peering's or link's id.
    pub id: String,
    pub outcome: NetworkOutcome,
    /// For `running`: the endpoint's domain name and/or address (in the deployment's VPC).
    #[serde(default)]
    pub endpoint_domain: Option<String>,
    #[serde(default)]
    pub endpoint_ip: Option<String>,
    /// For `failed`: why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The answer to a network report: where the resource stands now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkAck {
    pub seq: u64,
    pub kind: NetworkKind,
    pub id: String,
    /// The peering's or link's status code now.
    pub status: String,
}
