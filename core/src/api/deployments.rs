//! Deployments, their bootstrap keys and the agent protocol on the wire (SPEC §7, §9).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::Cloud;
use crate::lifecycle::deployment::{Action, Operation, Status};
use crate::lifecycle::spec::ToolkitSpec;
use crate::tls::CertSummary;

/// A resource tag the toolkit puts on every cloud resource of the deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// `POST /api/v1/projects/{id}/deployments`. Cloud and region are text so a wrong one is a
/// field error, not an unreadable body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDeploymentRequest {
    pub name: String,
    pub cloud: String,
    pub region: String,
    pub vpc_cidr: String,
    pub sessions: u64,
    pub tps: u64,
    /// Broker node count (2–5, at least the tier's); the tier's count when absent.
    #[serde(default)]
    pub nodes: Option<u32>,
    /// A larger instance type of the same cloud; the tier's when absent.
    #[serde(default)]
    pub node_type: Option<String>,
    pub domain: String,
    /// The server certificate and its chain (PEM, public certificates only: a body holding a
    /// private key is refused). Checked again by the server; its summary is kept.
    #[serde(default)]
    pub certificate_pem: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// What the toolkit found out about the deployment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentOutputs {
    pub cloud_account_id: Option<String>,
    pub zone: Option<String>,
    pub vpc_id: Option<String>,
    pub load_balancer: Option<String>,
}

/// The last heartbeat of a running deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveStats {
    pub sessions: u64,
    pub tps: u64,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub at: DateTime<Utc>,
}

/// Where the operation under way (or the failed one) stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub operation: Option<Operation>,
    pub phase: Option<String>,
    pub percent: u8,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deployment {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub cloud: Cloud,
    pub region: String,
    pub vpc_cidr: String,
    pub sessions: u64,
    pub tps: u64,
    pub tier: u8,
    pub node_type: String,
    pub node_vcpu: u32,
    pub node_memory_gib: u32,
    pub nodes: u8,
    pub agent_type: String,
    pub domain: String,
    pub certificate: Option<CertSummary>,
    pub tags: Vec<Tag>,
    pub status: Status,
    /// Why it failed, for `failed`.
    pub reason: Option<String>,
    pub progress: Progress,
    pub allowed_actions: Vec<Action>,
    pub outputs: DeploymentOutputs,
    pub live: Option<LiveStats>,
    #[serde(serialize_with = "crate::api::time::micros_opt")]
    pub agent_last_seen_at: Option<DateTime<Utc>>,
    pub version: i64,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub updated_at: DateTime<Utc>,
}

/// A bootstrap key, shown once: when an operation starts and when it is regenerated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BootstrapKey {
    pub key: String,
    /// The command line to run in the bootstrap environment, key included.
    pub command: String,
}

/// `GET /api/v1/deployments/{id}/bootstrap`: what the customer runs next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BootstrapGuide {
    pub operation: Operation,
    /// The policy operation (`create`, `delete`, `stop-start`) to fetch from
    /// `/api/v1/prerequisites/policies`.
    pub policy_operation: String,
    /// The command with `<key>` in place of the key, which is never shown twice.
    pub command_template: String,
    /// Lines to run before the command: fetch and check the toolkit, set the cloud credentials.
    #[serde(default)]
    pub prepare: Vec<String>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub issued_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::api::time::micros")]
    pub expires_at: DateTime<Utc>,
    /// `pending` (usable), `used` (the toolkit registered with it) or `expired`.
    pub key_state: String,
    /// Present only in the answer that issued the key.
    pub key: Option<BootstrapKey>,
}

/// The answer to an action or a create: the deployment, and the bootstrap key of the operation
/// it started (none for a cancel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentChange {
    pub deployment: Deployment,
    pub bootstrap: Option<BootstrapGuide>,
}

/// `GET /api/v1/projects/{id}/deployments` answers a page of these plus the counts by status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentPage {
    pub items: Vec<Deployment>,
    pub next_cursor: Option<String>,
    /// Matching deployments in all: on the first page only (later pages, read after a
    /// cursor, do not pay for a count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

// ── Agent protocol (/agent/v1) ───────────────────────────────────────────────────────────────

/// `POST /agent/v1/register`: the toolkit starts an operation with its bootstrap key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub key: String,
    /// The operation the toolkit was asked to run; must be the key's.
    pub operation: Operation,
    /// The `--platform` given; must be the deployment's cloud.
    pub platform: String,
    #[serde(default)]
    pub toolkit_version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterResponse {
    pub deployment_id: String,
    pub operation: Operation,
    /// Authenticates every later message of this deployment (`Authorization: Bearer`); replaced
    /// at the next registration.
    pub agent_token: String,
    /// For a create: the agent node's own token (heartbeats and network reports only, kept through
    /// stops and starts), which the toolkit puts in the agent node's boot configuration.
    #[serde(default)]
    pub node_token: Option<String>,
    pub spec: ToolkitSpec,
    /// The phases to report, in order.
    pub phases: Vec<String>,
    pub heartbeat_seconds: u32,
}

/// `POST /agent/v1/progress`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressReport {
    pub deployment_id: String,
    /// Increases with every message of a registration; a repeated or older one is refused.
    pub seq: u64,
    pub phase: String,
    pub percent: u8,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Completion {
    Success {
        #[serde(default)]
        outputs: DeploymentOutputs,
    },
    Failure {
        phase: String,
        reason: String,
    },
}

/// `POST /agent/v1/complete`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompleteReport {
    pub deployment_id: String,
    pub seq: u64,
    #[serde(flatten)]
    pub completion: Completion,
}

/// `POST /agent/v1/heartbeat`, from a running deployment's agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heartbeat {
    pub deployment_id: String,
    pub seq: u64,
    pub sessions: u64,
    pub tps: u64,
}

/// What the control plane answers an agent message: where the deployment stands now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentAck {
    pub status: Status,
    pub seq: u64,
}

impl Deployment {
    /// The lifecycle state the deployment reports, for core's rules (timeline, allowed actions).
    pub fn state(&self) -> crate::lifecycle::deployment::State {
        crate::lifecycle::deployment::State {
            status: self.status,
            operation: self.progress.operation,
            phase: self.progress.phase.clone(),
            percent: self.progress.percent,
            reason: self.reason.clone(),
        }
    }
}

/// At most this many overlapping deployments are named in a [`DeploymentAvailability`].
pub const AVAILABILITY_OVERLAPS: usize = 10;

/// `GET /api/v1/projects/{id}/deployments/availability?name=&vpc_cidr=`: what the create wizard
/// needs to know of the project's other deployments (deleted ones aside), so it never downloads
/// them: whether the name is taken, which ranges the VPC range would overlap, and a free range to
/// start from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentAvailability {
    /// The name asked about, as a deployment name spells it (trimmed); empty when none was asked
    /// or it is no valid name.
    pub name: String,
    /// A deployment of the project already has this name.
    pub name_taken: bool,
    /// The range asked about, as given (trimmed); empty when none was asked or it is no valid
    /// range.
    pub vpc_cidr: String,
    /// Deployments whose VPC range overlaps it (the two could never be peered), at most
    /// [`AVAILABILITY_OVERLAPS`], by name.
    pub overlapping: Vec<RangeInUse>,
    /// How many overlap in all.
    pub overlapping_total: u64,
    /// The first suggested range (`network::cidr::SUGGESTED_VPC_CIDRS`) that overlaps none of the
    /// project's deployments.
    pub suggested_vpc_cidr: Option<String>,
}

/// A deployment's name and VPC range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RangeInUse {
    pub name: String,
    pub vpc_cidr: String,
}
