use byoc_core::api::Problem;

use crate::i18n::Msg;

/// Everything that can go wrong with an API call, in the terms a page acts on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("network error: {0}")]
    Network(String),
    #[error("not signed in")]
    Unauthorized(Option<Problem>),
    #[error("forbidden")]
    Forbidden(Option<Problem>),
    #[error("not found")]
    NotFound(Option<Problem>),
    #[error("conflict")]
    Conflict(Option<Problem>),
    #[error("invalid request")]
    Invalid(Option<Problem>),
    #[error("server error (HTTP {status})")]
    Server {
        status: u16,
        problem: Option<Problem>,
    },
    /// The server answered 2xx with a body we cannot read: a version mismatch.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl ApiError {
    pub fn from_status(status: u16, problem: Option<Problem>) -> Self {
        match status {
            401 => ApiError::Unauthorized(problem),
            403 => ApiError::Forbidden(problem),
            404 => ApiError::NotFound(problem),
            409 | 412 => ApiError::Conflict(problem),
            400 | 422 => ApiError::Invalid(problem),
            _ => ApiError::Server { status, problem },
        }
    }

    /// The problem document the server sent, if any.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Unauthorized(p)
            | ApiError::Forbidden(p)
            | ApiError::NotFound(p)
            | ApiError::Conflict(p)
            | ApiError::Invalid(p)
            | ApiError::Server { problem: p, .. } => p.as_ref(),
            ApiError::Network(_) | ApiError::Decode(_) => None,
        }
    }

    /// The sentence to show a person, in the catalog's terms.
    pub fn message(&self) -> Msg {
        match self {
            ApiError::Network(_) => Msg::ErrNetwork,
            ApiError::Unauthorized(_) => Msg::ErrUnauthorized,
            ApiError::Forbidden(_) => Msg::ErrForbidden,
            ApiError::NotFound(_) => Msg::ErrNotFound,
            ApiError::Conflict(_) => Msg::ErrConflict,
            ApiError::Invalid(_) => Msg::ErrInvalid,
            ApiError::Server { .. } | ApiError::Decode(_) => Msg::ErrServer,
        }
    }
}
