//! `Idempotency-Key` on creates: the same key with the same body gets the first answer again
//! (nothing is created twice when a client retries); the same key with another body is refused.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use byoc_core::api::ProblemCode;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::idempotency::{self, Stored};
use crate::error::AppError;

/// A stored answer is replayed for this long after the first request; then the key is forgotten
/// (and purged, `crate::purge`), so the table does not grow without end. A client retries within
/// minutes, not days.
pub const KEEP_SECONDS: i64 = 24 * 60 * 60;

/// One create request's idempotency: its key (if the client sent one) and what it asked.
pub struct Idempotent {
    key: Option<String>,
    hash: String,
    actor_id: String,
}

impl Idempotent {
    pub fn new(
        headers: &HeaderMap,
        actor_id: &str,
        route: &str,
        body: &impl Serialize,
    ) -> Result<Self, AppError> {
        Ok(Idempotent {
            key: key(headers)?,
            hash: request_hash(route, body),
            actor_id: actor_id.to_owned(),
        })
    }

    /// The first answer again, when this is a retry; an error when the key was used for another
    /// request; `None` when the request is new (or sent no key).
    pub async fn replay(
        &self,
        conn: &mut impl crate::db::Connect,
    ) -> Result<Option<Response>, AppError> {
        match &self.key {
            Some(key) => replay(conn, &self.actor_id, key, &self.hash).await,
            None => Ok(None),
        }
    }

    /// Keeps the answer for retries, in the transaction that made the change.
    pub async fn remember(
        &self,
        conn: &mut impl crate::db::Connect,
        status: StatusCode,
        body: &impl Serialize,
        now: &crate::db::Stamp,
    ) -> Result<(), AppError> {
        match &self.key {
            Some(key) => remember(conn, &self.actor_id, key, &self.hash, status, body, now).await,
            None => Ok(()),
        }
    }
}

fn key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(raw) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match raw.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= 255 => Ok(Some(k.trim().to_owned())),
        _ => Err(AppError::field(
            "Idempotency-Key",
            "invalid_idempotency_key",
            crate::lang::Say::IdempotencyKeyInvalid.text(),
        )),
    }
}

/// Digest of what was asked: route and body.
fn request_hash(route: &str, body: &impl Serialize) -> String {
    let mut h = Sha256::new();
    h.update(route.as_bytes());
    h.update(serde_json::to_vec(body).unwrap_or_default());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The earlier answer for this key, if any; an error if the key was used for another request.
async fn replay(
    conn: &mut impl crate::db::Connect,
    actor_id: &str,
    key: &str,
    hash: &str,
) -> Result<Option<Response>, AppError> {
    let since = crate::db::offset(chrono::Utc::now(), -KEEP_SECONDS);
    match idempotency::find(conn, actor_id, key, &since).await? {
        None => Ok(None),
        Some(stored) if stored.request_hash == hash => {
            let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
            let body = axum::Json(
                serde_json::from_str::<serde_json::Value>(&stored.body).unwrap_or_default(),
            );
            Ok(Some((status, body).into_response()))
        }
        Some(_) => Err(AppError::Invalid {
            code: ProblemCode::IdempotencyKeyReused,
            detail: crate::lang::Say::IdempotencyKeyReused.text(),
            errors: Vec::new(),
        }),
    }
}

async fn remember(
    conn: &mut impl crate::db::Connect,
    actor_id: &str,
    key: &str,
    hash: &str,
    status: StatusCode,
    body: &impl Serialize,
    now: &crate::db::Stamp,
) -> Result<(), AppError> {
    let stored = Stored {
        request_hash: hash.to_owned(),
        status: status.as_u16(),
        body: serde_json::to_string(body).map_err(AppError::internal)?,
    };
    idempotency::store(conn, actor_id, key, &stored, now)
        .await
        .map_err(AppError::from)
}
