//! Names of roles, audit outcomes, TLS checks and licence states in the catalog's terms.

use byoc_core::access::{OrgRole, ProjectRole};
use byoc_core::licence::{LicenceStatus, LicenceType};
use byoc_core::tls::{codes, Outcome};

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
