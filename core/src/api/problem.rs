//! The stable codes of the API's problem documents: one enum the server answers with and the
//! console branches on, serialised as the snake_case strings clients have always seen. A code a
//! newer server sends that this build does not know reads as [`ProblemCode::Unknown`], so an old
//! console still shows the problem's words.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    // The request itself.
    ValidationFailed,
    MalformedBody,
    InvalidQuery,
    PayloadTooLarge,
    MethodNotAllowed,
    NotFound,
    IfMatchRequired,
    VersionMismatch,
    IdempotencyKeyReused,
    PrivateKeyRefused,
    // Who is asking.
    Unauthenticated,
    InvalidCredentials,
    TooManyAttempts,
    Forbidden,
    CsrfHeaderMissing,
    // The state of things.
    ActionNotAllowed,
    ChangedMeanwhile,
    CannotDeleteSelf,
    LastOwner,
    UsernameTaken,
    NameTaken,
    ProjectNotEmpty,
    LicenceKeyNotConfigured,
    LicenceCapacity,
    LicenceExpired,
    LicenceNotYetValid,
    DeploymentNotRunning,
    NotRunning,
    PeeringExists,
    PrivatelinkExists,
    NotYetExpired,
    // The toolkit and agent protocol.
    BootstrapKeyInvalid,
    BootstrapKeyUsed,
    BootstrapKeyExpired,
    OperationMismatch,
    WrongDeployment,
    MessageOutOfOrder,
    UnknownPhase,
    ProgressBackwards,
    PercentOutOfRange,
    AgentTokenSuperseded,
    AgentTokenReplaced,
    AgentTokenExpired,
    AgentTokenNotForMessage,
    AgentTokenNodeOnlyReports,
    // Ours.
    Unavailable,
    Internal,
    /// A code this build does not know (from a newer server).
    #[serde(other)]
    Unknown,
}

impl ProblemCode {
    /// The code as it travels.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::ValidationFailed => "validation_failed",
            ProblemCode::MalformedBody => "malformed_body",
            ProblemCode::InvalidQuery => "invalid_query",
            ProblemCode::PayloadTooLarge => "payload_too_large",
            ProblemCode::MethodNotAllowed => "method_not_allowed",
            ProblemCode::NotFound => "not_found",
            ProblemCode::IfMatchRequired => "if_match_required",
            ProblemCode::VersionMismatch => "version_mismatch",
            ProblemCode::IdempotencyKeyReused => "idempotency_key_reused",
            ProblemCode::PrivateKeyRefused => "private_key_refused",
            ProblemCode::Unauthenticated => "unauthenticated",
            ProblemCode::InvalidCredentials => "invalid_credentials",
            ProblemCode::TooManyAttempts => "too_many_attempts",
            ProblemCode::Forbidden => "forbidden",
            ProblemCode::CsrfHeaderMissing => "csrf_header_missing",
            ProblemCode::ActionNotAllowed => "action_not_allowed",
            ProblemCode::ChangedMeanwhile => "changed_meanwhile",
            ProblemCode::CannotDeleteSelf => "cannot_delete_self",
            ProblemCode::LastOwner => "last_owner",
            ProblemCode::UsernameTaken => "username_taken",
            ProblemCode::NameTaken => "name_taken",
            ProblemCode::ProjectNotEmpty => "project_not_empty",
            ProblemCode::LicenceKeyNotConfigured => "licence_key_not_configured",
            ProblemCode::LicenceCapacity => "licence_capacity",
            ProblemCode::LicenceExpired => "licence_expired",
            ProblemCode::LicenceNotYetValid => "licence_not_yet_valid",
            ProblemCode::DeploymentNotRunning => "deployment_not_running",
            ProblemCode::NotRunning => "not_running",
            ProblemCode::PeeringExists => "peering_exists",
            ProblemCode::PrivatelinkExists => "privatelink_exists",
            ProblemCode::NotYetExpired => "not_yet_expired",
            ProblemCode::BootstrapKeyInvalid => "bootstrap_key_invalid",
            ProblemCode::BootstrapKeyUsed => "bootstrap_key_used",
            ProblemCode::BootstrapKeyExpired => "bootstrap_key_expired",
            ProblemCode::OperationMismatch => "operation_mismatch",
            ProblemCode::WrongDeployment => "wrong_deployment",
            ProblemCode::MessageOutOfOrder => "message_out_of_order",
            ProblemCode::UnknownPhase => "unknown_phase",
            ProblemCode::ProgressBackwards => "progress_backwards",
            ProblemCode::PercentOutOfRange => "percent_out_of_range",
            ProblemCode::AgentTokenSuperseded => "agent_token_superseded",
            ProblemCode::AgentTokenReplaced => "agent_token_replaced",
            ProblemCode::AgentTokenExpired => "agent_token_expired",
            ProblemCode::AgentTokenNotForMessage => "agent_token_not_for_message",
            ProblemCode::AgentTokenNodeOnlyReports => "agent_token_node_only_reports",
            ProblemCode::Unavailable => "unavailable",
            ProblemCode::Internal => "internal",
            ProblemCode::Unknown => "unknown",
        }
    }

    /// Every code, for tests and documentation.
    pub const ALL: &'static [ProblemCode] = &[
        ProblemCode::ValidationFailed,
        ProblemCode::MalformedBody,
        ProblemCode::InvalidQuery,
        ProblemCode::PayloadTooLarge,
        ProblemCode::MethodNotAllowed,
        ProblemCode::NotFound,
        ProblemCode::IfMatchRequired,
        ProblemCode::VersionMismatch,
        ProblemCode::IdempotencyKeyReused,
        ProblemCode::PrivateKeyRefused,
        ProblemCode::Unauthenticated,
        ProblemCode::InvalidCredentials,
        ProblemCode::TooManyAttempts,
        ProblemCode::Forbidden,
        ProblemCode::CsrfHeaderMissing,
        ProblemCode::ActionNotAllowed,
        ProblemCode::ChangedMeanwhile,
        ProblemCode::CannotDeleteSelf,
        ProblemCode::LastOwner,
        ProblemCode::UsernameTaken,
        ProblemCode::NameTaken,
        ProblemCode::ProjectNotEmpty,
        ProblemCode::LicenceKeyNotConfigured,
        ProblemCode::LicenceCapacity,
        ProblemCode::LicenceExpired,
        ProblemCode::LicenceNotYetValid,
        ProblemCode::DeploymentNotRunning,
        ProblemCode::NotRunning,
        ProblemCode::PeeringExists,
        ProblemCode::PrivatelinkExists,
        ProblemCode::NotYetExpired,
        ProblemCode::BootstrapKeyInvalid,
        ProblemCode::BootstrapKeyUsed,
        ProblemCode::BootstrapKeyExpired,
        ProblemCode::OperationMismatch,
        ProblemCode::WrongDeployment,
        ProblemCode::MessageOutOfOrder,
        ProblemCode::UnknownPhase,
        ProblemCode::ProgressBackwards,
        ProblemCode::PercentOutOfRange,
        ProblemCode::AgentTokenSuperseded,
        ProblemCode::AgentTokenReplaced,
        ProblemCode::AgentTokenExpired,
        ProblemCode::AgentTokenNotForMessage,
        ProblemCode::AgentTokenNodeOnlyReports,
        ProblemCode::Unavailable,
        ProblemCode::Internal,
        ProblemCode::Unknown,
    ];
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_travels_as_its_string_and_reads_back() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in ProblemCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.as_str()));
            assert_eq!(serde_json::from_value::<ProblemCode>(json).unwrap(), code);
        }
        let newer: ProblemCode = serde_json::from_str("\"something_new\"").unwrap();
        assert_eq!(newer, ProblemCode::Unknown);
    }
}
