//! Who is calling: a signed-in user (session cookie), an API token (bearer), or nobody. The
//! `Actor` extractor also enforces the cross-site rule: a state-changing request authenticated by
//! cookie must carry `X-Requested-With`, which a form on another site cannot send.

pub mod password;
pub mod secrets;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use byoc_core::access::{OrgRole, ProjectRole};
use byoc_core::api::ProblemCode;

use crate::db;
use crate::error::AppError;
use crate::lang::Say;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "byoc_session";
/// A session ends after this long without a request…
pub const SESSION_IDLE_SECONDS: i64 = 60 * 60;
/// …and in any case this long after sign-in.
pub const SESSION_ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
pub const TOKEN_PREFIX: &str = "byoc_tok_";
pub const SESSION_PREFIX: &str = "byoc_ses_";

/// Facts about the request every audit entry needs.
#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub request_id: String,
    pub source: String,
}

impl RequestMeta {
    pub fn from_parts(parts: &Parts) -> Self {
        // Set (or replaced when not plain) by the request-id layers; checked again so nothing
        // unchecked reaches an audit entry even outside them.
        let request_id = parts
            .headers
            .get(crate::request_id::HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|id| crate::request_id::is_plain(id))
            .unwrap_or("-")
            .to_owned();
        // The client as `crate::transport` judged it (a trusted proxy's X-Forwarded-For).
        let source = crate::transport::client(&parts.extensions)
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        RequestMeta { request_id, source }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestMeta::from_parts(parts))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    Session { id_hash: String },
    Token { token_id: String },
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub org_role: OrgRole,
    pub via: Via,
    pub meta: RequestMeta,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self.via {
            Via::Session { .. } => "user",
            Via::Token { .. } => "token",
        }
    }

    pub fn is_owner(&self) -> bool {
        self.org_role == OrgRole::Owner
    }
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let meta = RequestMeta::from_parts(parts);
        let now = db::now();
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(secret) = bearer {
            let found = db::tokens::authenticate(&state.db, &secrets::digest(secret), &now)
                .await
                .map_err(AppError::internal)?;
            let (token_id, user) = found.ok_or(AppError::Unauthenticated {
                detail: Say::TokenUnknown.text(),
            })?;
            return Ok(Actor {
                user_id: user.id,
                username: user.username,
                org_role: user.org_role,
                via: Via::Token { token_id },
                meta,
            });
        }
        let Some(secret) = cookie_value(parts, SESSION_COOKIE) else {
            return Err(AppError::Unauthenticated {
                detail: Say::SignInFirst.text(),
            });
        };
        let id_hash = secrets::digest(secret);
        let user = db::sessions::touch(&state.db, &id_hash, &now, SESSION_IDLE_SECONDS)
            .await
            .map_err(AppError::internal)?
            .ok_or(AppError::Unauthenticated {
                detail: Say::SessionEnded.text(),
            })?;
        if !is_safe_method(&parts.method) && !parts.headers.contains_key("x-requested-with") {
            return Err(AppError::Forbidden {
                code: ProblemCode::CsrfHeaderMissing,
                detail: Say::CsrfHeaderMissing.text(),
            });
        }
        Ok(Actor {
            user_id: user.id,
            username: user.username,
            org_role: user.org_role,
            via: Via::Session { id_hash },
            meta,
        })
    }
}

/// The caller's standing in one project: owners see every project; members only their own.
#[derive(Clone, Debug)]
pub struct ProjectAccess {
    pub project: db::projects::ProjectRow,
    pub role: Option<ProjectRole>,
    /// The project's deployments list as of this read: its change count and the database's
    /// epoch, which make the list's ETag (`db::projects::Standing`).
    pub changes: i64,
    pub epoch: String,
}
