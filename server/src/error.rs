//! One error type for every handler. It renders as `application/problem+json` (SPEC §9) with a
//! stable `code`; internal failures are logged with their cause and answered with a generic 500,
//! so nothing internal leaks to the client. Every `title`, `detail` and field message is in the
//! language the request asked for (`crate::lang`): variants carry their detail already worded,
//! the fixed ones are worded here from the catalog.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use byoc_core::api::ProblemCode;
use byoc_core::api::{FieldError, Problem};
use serde::de::DeserializeOwned;

use crate::lang::{self, Lang, Say};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Capitalised, with a full stop: core's messages are clauses, API details are sentences. The
/// full stop is the request language's (`。` in Chinese).
pub fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    let stop = match lang::current() {
        Lang::En => '.',
        Lang::ZhCn => '。',
    };
    if !out.ends_with(['.', '。']) {
        out.push(stop);
    }
    out
}

#[derive(Debug)]
pub enum AppError {
    /// The request was understood but a field or parameter is invalid.
    Invalid {
        code: ProblemCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// The body could not be read as the expected JSON.
    MalformedBody {
        detail: String,
    },
    NotFound {
        detail: String,
    },
    MethodNotAllowed,
    Unavailable {
        detail: String,
    },
    /// No valid session or token.
    Unauthenticated {
        detail: String,
    },
    /// Wrong username or password; deliberately says not which.
    InvalidCredentials,
    /// A sign-in attempt that came before its wait was over (`core::access::throttle`); the
    /// password was not checked.
    TooManyAttempts {
        retry_after_seconds: i64,
    },
    Forbidden {
        code: ProblemCode,
        detail: String,
    },
    Conflict {
        code: ProblemCode,
        detail: String,
    },
    /// A change without `If-Match`.
    PreconditionRequired,
    /// `If-Match` names an older version than the resource has.
    VersionMismatch {
        current: i64,
    },
    PayloadTooLarge {
        max_bytes: usize,
    },
    /// A lifecycle action the resource's state does not allow; names what is allowed.
    ActionNotAllowed {
        detail: String,
        allowed: Vec<String>,
    },
    /// Anything that is our fault. The cause is logged, never sent.
    Internal(String),
}

impl AppError {
    pub fn internal(err: impl std::fmt::Display) -> Self {
        AppError::Internal(err.to_string())
    }

    /// A single invalid field or query parameter.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Invalid {
            code: ProblemCode::ValidationFailed,
            detail: message.clone(),
            errors: vec![FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }

    /// Every invalid field at once (e.g. all of core's validation errors of a form).
    pub fn fields(errors: Vec<FieldError>) -> Self {
        AppError::Invalid {
            code: ProblemCode::ValidationFailed,
            detail: match errors.as_slice() {
                [one] => one.message.clone(),
                many => Say::FieldsInvalid.with(&[("count", &many.len())]),
            },
            errors,
        }
    }

    fn parts(&self) -> (StatusCode, ProblemCode, Say) {
        match self {
            AppError::Invalid { code, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *code, Say::TitleInvalid)
            }
            AppError::MalformedBody { .. } => (
                StatusCode::BAD_REQUEST,
                ProblemCode::MalformedBody,
                Say::TitleMalformed,
            ),
            AppError::NotFound { .. } => (
                StatusCode::NOT_FOUND,
                ProblemCode::NotFound,
                Say::TitleNotFound,
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ProblemCode::MethodNotAllowed,
                Say::TitleMethodNotAllowed,
            ),
            AppError::Unavailable { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                ProblemCode::Unavailable,
                Say::TitleUnavailable,
            ),
            AppError::Unauthenticated { .. } => (
                StatusCode::UNAUTHORIZED,
                ProblemCode::Unauthenticated,
                Say::TitleUnauthenticated,
            ),
            AppError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                ProblemCode::InvalidCredentials,
                Say::TitleInvalidCredentials,
            ),
            AppError::TooManyAttempts { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                ProblemCode::TooManyAttempts,
                Say::TitleTooManyAttempts,
            ),
            AppError::Forbidden { code, .. } => (StatusCode::FORBIDDEN, *code, Say::TitleForbidden),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, *code, Say::TitleConflict),
            AppError::ActionNotAllowed { .. } => (
                StatusCode::CONFLICT,
                ProblemCode::ActionNotAllowed,
                Say::TitleActionNotAllowed,
            ),
            AppError::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                ProblemCode::IfMatchRequired,
                Say::TitleIfMatchRequired,
            ),
            AppError::VersionMismatch { .. } => (
                StatusCode::PRECONDITION_FAILED,
                ProblemCode::VersionMismatch,
                Say::TitleVersionMismatch,
            ),
            AppError::PayloadTooLarge { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ProblemCode::PayloadTooLarge,
                Say::TitlePayloadTooLarge,
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ProblemCode::Internal,
                Say::TitleInternal,
            ),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (status, code, title) = self.parts();
        let (detail, errors) = match self {
            AppError::Invalid { detail, errors, .. } => (Some(detail.clone()), errors.clone()),
            AppError::MalformedBody { detail }
            | AppError::NotFound { detail }
            | AppError::Unavailable { detail } => (Some(detail.clone()), Vec::new()),
            AppError::MethodNotAllowed => (None, Vec::new()),
            AppError::Unauthenticated { detail }
            | AppError::Forbidden { detail, .. }
            | AppError::Conflict { detail, .. }
            | AppError::ActionNotAllowed { detail, .. } => (Some(detail.clone()), Vec::new()),
            AppError::InvalidCredentials => (Some(Say::WrongPassword.text()), Vec::new()),
            AppError::TooManyAttempts {
                retry_after_seconds,
            } => (
                Some(Say::TooManySignIns.with(&[("seconds", retry_after_seconds.max(&1))])),
                Vec::new(),
            ),
            AppError::PreconditionRequired => (Some(Say::IfMatchMissing.text()), Vec::new()),
            AppError::PayloadTooLarge { max_bytes } => (
                Some(Say::BodyTooLarge.with(&[("kib", &(max_bytes / 1024))])),
                Vec::new(),
            ),
            AppError::VersionMismatch { current } => (
                Some(Say::VersionMoved.with(&[("version", current)])),
                Vec::new(),
            ),
            AppError::Internal(_) => (Some(Say::InternalError.text()), Vec::new()),
        };
        let current_version = match self {
            AppError::VersionMismatch { current } => Some(*current),
            _ => None,
        };
        Problem {
            kind: "about:blank".into(),
            title: title.text(),
            status: status.as_u16(),
            code,
            detail,
            errors,
            request_id: None,
            current_version,
            allowed_actions: match self {
                AppError::ActionNotAllowed { allowed, .. } => allowed.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = problem_response(self.to_problem());
        if let AppError::TooManyAttempts {
            retry_after_seconds,
        } = self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after_seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if database_unreachable(&e) {
            tracing::warn!(error = %e, "database not reachable");
            return AppError::Unavailable {
                detail: crate::lang::Say::DatabaseDown.text(),
            };
        }
        AppError::internal(e)
    }
}

/// Whether `e` says the database could not be reached, rather than that a statement went wrong:
/// the connection broke or could not be made, the pool waited in vain, or PostgreSQL said it is
/// shutting down or starting (a failover or restart). That is a 503 the client may retry, not a
/// 500 that reads as a bug.
fn database_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception); 57P01-57P03 (admin or crash shutdown,
        // cannot connect now).
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

/// Renders a problem. The problem also rides along as a response extension so that
/// [`add_request_id`] can stamp the request id into it.
pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut response = (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
        body,
    )
        .into_response();
    response.extensions_mut().insert(problem);
    response
}

/// Middleware: copies the request id (set by the request-id layer) into every problem body, so a
/// user can quote it and an operator can find the matching log lines.
pub async fn add_request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    match (id, response.extensions().get::<Problem>().cloned()) {
        (Some(id), Some(mut problem)) => {
            let headers = response.headers().clone();
            problem.request_id = Some(id);
            let mut rewritten = problem_response(problem);
            for (name, value) in headers.iter() {
                if name != header::CONTENT_LENGTH {
                    rewritten.headers_mut().insert(name.clone(), value.clone());
                }
            }
            rewritten
        }
        (_, _) => response,
    }
}

/// `Json` whose rejection is a problem document naming what is wrong with the body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    let detail = match &rejection {
        JsonRejection::MissingJsonContentType(_) => Say::BodyNotJson.text(),
        // serde's own account of what is wrong stays in its (English) words.
        JsonRejection::JsonSyntaxError(e) => Say::BodyBadJson.with(&[("why", &e.body_text())]),
        JsonRejection::JsonDataError(e) => Say::BodyWrongShape.with(&[("why", &e.body_text())]),
        other => Say::BodyUnreadable.with(&[("why", &other.body_text())]),
    };
    AppError::MalformedBody { detail }
}

/// `Query` whose rejection is a problem document naming the bad parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> AppError {
    AppError::Invalid {
        code: ProblemCode::InvalidQuery,
        detail: Say::QueryInvalid.with(&[("why", &rejection.body_text())]),
        errors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database's answer with its SQLSTATE, as PostgreSQL's driver reports one.
    #[derive(Debug)]
    struct Said(&'static str);

    impl std::fmt::Display for Said {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for Said {}

    impl sqlx::error::DatabaseError for Said {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn said(code: &'static str) -> sqlx::Error {
        sqlx::Error::Database(Box::new(Said(code)))
    }

    #[test]
    fn an_unreachable_database_is_a_503_and_a_failed_statement_a_500() {
        let broken = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        for e in [
            sqlx::Error::Io(broken),
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            // connection failure, admin shutdown (a failover), cannot connect now (starting)
            said("08006"),
            said("57P01"),
            said("57P03"),
        ] {
            assert!(
                matches!(AppError::from(e), AppError::Unavailable { .. }),
                "a 503"
            );
        }
        for e in [
            sqlx::Error::RowNotFound,
            sqlx::Error::ColumnNotFound("x".into()),
            sqlx::Error::Protocol("unexpected message".into()),
            // a unique violation, SQLite's "database is locked": the statement, not the link
            said("23505"),
            said("5"),
        ] {
            assert!(matches!(AppError::from(e), AppError::Internal(_)), "a 500");
        }
    }
}
