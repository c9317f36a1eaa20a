//! Names of roles, audit outcomes, TLS checks, licence states and deployment states, operations,
//! actions and phases in the catalog's terms.

use byoc_core::access::{OrgRole, ProjectRole};
use byoc_core::lang::Lang;
use byoc_core::licence::{LicenceStatus, LicenceType};
use byoc_core::lifecycle::deployment::{Action, Operation, PhaseState, Status};
use byoc_core::lifecycle::peering::PeeringStatus;
use byoc_core::lifecycle::privatelink::PrivateLinkStatus;
use byoc_core::network::IdKind;
use byoc_core::tls::{codes, Outcome};

use super::Msg;
use crate::api::deployments::Sort;

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

/// The stable name of a check outcome, for CSS modifiers and `data-outcome`.
pub fn outcome_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Warn => "warn",
        Outcome::Fail => "fail",
    }
}

pub fn tls_outcome(outcome: Outcome) -> Msg {
    match outcome {
        Outcome::Pass => Msg::OutcomePass,
        Outcome::Warn => Msg::OutcomeWarn,
        Outcome::Fail => Msg::OutcomeFail,
    }
}

/// The name of a TLS check; a code this console does not know is shown as sent.
pub fn tls_check(code: &str) -> Option<Msg> {
    Some(match code {
        codes::PEM_PARSE => Msg::TlsCheckPemParse,
        codes::X509_V3 => Msg::TlsCheckX509V3,
        codes::KEY_ALGORITHM => Msg::TlsCheckKeyAlgorithm,
        codes::CHAIN_ORDER => Msg::TlsCheckChainOrder,
        codes::CHAIN_COMPLETE => Msg::TlsCheckChainComplete,
        codes::CA_SIGNED => Msg::TlsCheckCaSigned,
        codes::VALIDITY => Msg::TlsCheckValidity,
        codes::DOMAIN_MATCH => Msg::TlsCheckDomainMatch,
        codes::PRIVATE_KEY_PRESENT => Msg::TlsCheckKeyPresent,
        codes::PRIVATE_KEY_UNENCRYPTED => Msg::TlsCheckKeyUnencrypted,
        codes::PRIVATE_KEY_FORMAT => Msg::TlsCheckKeyFormat,
        codes::KEY_MATCHES_CERT => Msg::TlsCheckKeyMatches,
        codes::ISSUER_KEY_TYPE => Msg::TlsCheckIssuerKeyType,
        _ => return None,
    })
}

pub fn licence_type(kind: LicenceType) -> Msg {
    match kind {
        LicenceType::Trial => Msg::LicenceTrial,
        LicenceType::Formal => Msg::LicenceFormal,
    }
}

pub fn licence_status(status: LicenceStatus) -> Msg {
    match status {
        LicenceStatus::Valid => Msg::StatusValid,
        LicenceStatus::ExpiringSoon => Msg::StatusExpiringSoon,
        LicenceStatus::Expired => Msg::StatusExpired,
        LicenceStatus::NotYetValid => Msg::StatusNotYetValid,
    }
}

pub fn deployment_status(status: Status) -> Msg {
    match status {
        Status::WaitingForDeployment => Msg::DepWaiting,
        Status::Deploying => Msg::DepDeploying,
        Status::Running => Msg::DepRunning,
        Status::Stopping => Msg::DepStopping,
        Status::Stopped => Msg::DepStopped,
        Status::Starting => Msg::DepStarting,
        Status::Deleting => Msg::DepDeleting,
        Status::Deleted => Msg::DepDeleted,
        Status::Failed => Msg::DepFailed,
    }
}

/// The colour family of a deployment status, for CSS modifiers (the words say it too).
pub fn status_tone(status: Status) -> &'static str {
    match status {
        Status::Running => "ok",
        Status::Failed => "failed",
        Status::Stopped | Status::Deleted => "idle",
        Status::WaitingForDeployment
        | Status::Deploying
        | Status::Stopping
        | Status::Starting
        | Status::Deleting => "busy",
    }
}

pub fn operation(op: Operation) -> Msg {
    match op {
        Operation::Create => Msg::OpCreate,
        Operation::Stop => Msg::Stop,
        Operation::Start => Msg::Start,
        Operation::Delete => Msg::OpDelete,
    }
}

/// The button that asks for a lifecycle action.
pub fn deployment_action(action: Action) -> Msg {
    match action {
        Action::Stop => Msg::Stop,
        Action::Start => Msg::Start,
        Action::Delete => Msg::Delete,
        Action::Cancel => Msg::CancelDeployment,
        Action::Retry => Msg::Retry,
    }
}

/// A phase the toolkit reports; one this console does not know is shown as sent.
pub fn phase(code: &str) -> Option<Msg> {
    Some(match code {
        "preflight" => Msg::PhasePreflight,
        "network" => Msg::PhaseNetwork,
        "image" => Msg::PhaseImage,
        "compute" => Msg::PhaseCompute,
        "load_balancer" => Msg::PhaseLoadBalancer,
        "dns" => Msg::PhaseDns,
        "cluster" => Msg::PhaseCluster,
        "register" => Msg::PhaseRegister,
        _ => return None,
    })
}

/// A phase's name in `lang`, or its code when this console does not know it.
pub fn phase_name(code: &str, lang: Lang) -> String {
    phase(code).map_or_else(|| code.to_owned(), |m| m.text(lang).to_owned())
}

pub fn phase_state(state: PhaseState) -> Msg {
    match state {
        PhaseState::Done => Msg::PhaseDone,
        PhaseState::Active => Msg::PhaseActive,
        PhaseState::Failed => Msg::DepFailed,
        PhaseState::Pending => Msg::PhasePending,
    }
}

pub fn phase_state_code(state: PhaseState) -> &'static str {
    match state {
        PhaseState::Done => "done",
        PhaseState::Active => "active",
        PhaseState::Failed => "failed",
        PhaseState::Pending => "pending",
    }
}

pub fn sort(sort: Sort) -> Msg {
    match sort {
        Sort::Newest => Msg::SortNewest,
        Sort::Oldest => Msg::SortOldest,
        Sort::Name => Msg::SortName,
        Sort::NameDescending => Msg::SortNameDescending,
        Sort::Status => Msg::SortStatus,
    }
}

/// What a port of the load balancer is for; a port this console does not know has no words.
pub fn port_use(name: &str) -> Option<Msg> {
    Some(match name {
        "mqtt" => Msg::PortMqtt,
        "mqtts" => Msg::PortMqtts,
        "ws" => Msg::PortWs,
        "wss" => Msg::PortWss,
        "dashboard" => Msg::PortDashboard,
        "rest api" => Msg::PortRestApi,
        _ => return None,
    })
}

pub fn peering_status(status: PeeringStatus) -> Msg {
    match status {
        PeeringStatus::PendingAcceptance => Msg::NetPending,
        PeeringStatus::Active => Msg::NetActive,
        PeeringStatus::Failed => Msg::DepFailed,
        PeeringStatus::Expired => Msg::NetExpired,
        PeeringStatus::Deleting => Msg::DepDeleting,
        PeeringStatus::Removed => Msg::NetRemoved,
    }
}

/// The colour family of a peering status (the words say it too).
pub fn peering_tone(status: PeeringStatus) -> &'static str {
    match status {
        PeeringStatus::Active => "ok",
        PeeringStatus::Failed | PeeringStatus::Expired => "failed",
        PeeringStatus::Removed => "idle",
        PeeringStatus::PendingAcceptance | PeeringStatus::Deleting => "busy",
    }
}

pub fn privatelink_status(status: PrivateLinkStatus) -> Msg {
    match status {
        PrivateLinkStatus::PendingAcceptance => Msg::NetPending,
        PrivateLinkStatus::Running => Msg::NetRunning,
        PrivateLinkStatus::Failed => Msg::DepFailed,
        PrivateLinkStatus::Deleting => Msg::DepDeleting,
        PrivateLinkStatus::Removed => Msg::NetRemoved,
    }
}

pub fn privatelink_tone(status: PrivateLinkStatus) -> &'static str {
    match status {
        PrivateLinkStatus::Running => "ok",
        PrivateLinkStatus::Failed => "failed",
        PrivateLinkStatus::Removed => "idle",
        PrivateLinkStatus::PendingAcceptance | PrivateLinkStatus::Deleting => "busy",
    }
}

/// The label of a peering form field holding `kind` (core names the kinds inside sentences).
pub fn id_label(kind: IdKind) -> Msg {
    match kind {
        IdKind::AwsPeeringId => Msg::IdAwsPeering,
        IdKind::AwsAccountId => Msg::IdAwsAccount,
        IdKind::AwsVpcId | IdKind::AliyunVpcId => Msg::IdPeerVpc,
        IdKind::GcpProjectId => Msg::IdGcpProject,
        IdKind::GcpNetwork => Msg::IdGcpNetwork,
        IdKind::CenInstanceId => Msg::IdCen,
        IdKind::AliyunAccountUid => Msg::IdAliyunAccount,
        IdKind::AliyunEndpointService => Msg::PlServiceAliyun,
        IdKind::AwsEndpointService => Msg::PlServiceAws,
        IdKind::GcpServiceAttachment => Msg::PlServiceGcp,
    }
}
