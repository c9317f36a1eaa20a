//! The `bootstrap_keys` table: each deployment's one-time key for its next toolkit run.

use super::{Connect, Stamp};
use byoc_core::lifecycle::deployment::Operation;
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct KeyRow {
    pub deployment_id: String,
    pub operation: String,
    /// Typed: sqlx refuses a value that is not a time (an error, never a default).
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub used_at: Option<Stamp>,
}

/// Issues the deployment's key for `operation`, replacing any earlier one.
pub async fn put_key(
    conn: &mut impl Connect,
    deployment_id: &str,
    operation: Operation,
    key_hash: &str,
    issued_at: &Stamp,
    expires_at: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "INSERT INTO bootstrap_keys (deployment_id, operation, key_hash, issued_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (deployment_id) DO UPDATE SET operation = $2, \
         key_hash = $3, issued_at = $4, expires_at = $5, used_at = NULL",
    )
    .bind(deployment_id)
    .bind(operation.code())
    .bind(key_hash)
    .bind(issued_at)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn key_of(
    conn: &mut impl Connect,
    deployment_id: &str,
) -> Result<Option<KeyRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as("SELECT deployment_id, operation, issued_at, expires_at, used_at FROM bootstrap_keys WHERE deployment_id = $1")
        .bind(deployment_id)
        .fetch_optional(conn)
        .await
    })
}

pub async fn key_by_hash(
    conn: &mut impl Connect,
    key_hash: &str,
) -> Result<Option<KeyRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as("SELECT deployment_id, operation, issued_at, expires_at, used_at FROM bootstrap_keys WHERE key_hash = $1")
        .bind(key_hash)
        .fetch_optional(conn)
        .await
    })
}

/// Spends the key; false when it was already spent (a second registration racing the first).
pub async fn spend_key(
    conn: &mut impl Connect,
    key_hash: &str,
    now: &Stamp,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        let done = sqlx::query(
            "UPDATE bootstrap_keys SET used_at = $2 WHERE key_hash = $1 AND used_at IS NULL",
        )
        .bind(key_hash)
        .bind(now)
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

pub async fn drop_key(conn: &mut impl Connect, deployment_id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM bootstrap_keys WHERE deployment_id = $1")
            .bind(deployment_id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}
