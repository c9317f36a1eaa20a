use byoc_core::api::{FieldError, Problem};

use crate::i18n::Msg;
use byoc_core::api::{FormField, ProblemCode};

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
    /// 412: the `If-Match` version is stale; someone else changed the resource first.
    #[error("precondition failed (now version {current_version:?})")]
    PreconditionFailed {
        current_version: Option<i64>,
        problem: Option<Problem>,
    },
    /// 429: too many attempts; `retry_after` is the server's `Retry-After` in seconds.
    #[error("too many attempts")]
    TooManyAttempts {
        retry_after: Option<u64>,
        problem: Option<Problem>,
    },
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
    /// The error for a non-2xx answer. `retry_after` is the `Retry-After` header, if any.
    pub fn from_status(status: u16, problem: Option<Problem>, retry_after: Option<u64>) -> Self {
        match status {
            401 => ApiError::Unauthorized(problem),
            403 => ApiError::Forbidden(problem),
            404 => ApiError::NotFound(problem),
            409 => ApiError::Conflict(problem),
            412 => ApiError::PreconditionFailed {
                current_version: problem.as_ref().and_then(|p| p.current_version),
                problem,
            },
            429 => ApiError::TooManyAttempts {
                retry_after,
                problem,
            },
            // 428 (If-Match missing) is a bug in the console, not something a person can fix;
            // it reads as an invalid request.
            400 | 422 | 428 => ApiError::Invalid(problem),
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
            | ApiError::PreconditionFailed { problem: p, .. }
            | ApiError::TooManyAttempts { problem: p, .. }
            | ApiError::Server { problem: p, .. } => p.as_ref(),
            ApiError::Network(_) | ApiError::Decode(_) => None,
        }
    }

    /// The problem's stable `code` (what clients branch on), if the server sent one.
    pub fn code(&self) -> Option<ProblemCode> {
        self.problem().map(|p| p.code)
    }

    /// The server's complaint about one request field, for showing it beside that field.
    pub fn field_error(&self, field: impl FormField) -> Option<&FieldError> {
        self.problem()?
            .errors
            .iter()
            .find(|e| e.field == field.name())
    }

    /// Whether this is the server saying the session is gone (as opposed to a wrong password,
    /// which is also a 401 but must not end the session).
    pub fn is_session_lost(&self) -> bool {
        matches!(self, ApiError::Unauthorized(_))
            && self.code() != Some(ProblemCode::InvalidCredentials)
    }

    /// The sentence to show a person, in the catalog's terms.
    pub fn message(&self) -> Msg {
        match self {
            ApiError::Network(_) => Msg::ErrNetwork,
            ApiError::Unauthorized(_) => Msg::ErrUnauthorized,
            ApiError::Forbidden(_) => Msg::ErrForbidden,
            ApiError::NotFound(_) => Msg::ErrNotFound,
            ApiError::Conflict(_) | ApiError::PreconditionFailed { .. } => Msg::ErrConflict,
            ApiError::TooManyAttempts { .. } => Msg::ErrTooManyAttempts,
            ApiError::Invalid(_) => Msg::ErrInvalid,
            ApiError::Server { .. } | ApiError::Decode(_) => Msg::ErrServer,
        }
    }
}
