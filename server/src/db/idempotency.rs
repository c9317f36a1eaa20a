//! Stored answers to creates sent with an `Idempotency-Key`.

use super::{Connect, Stamp};

pub struct Stored {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// The answer stored for the key after `since`; an older one counts as forgotten even before
/// it is purged.
pub async fn find(
    conn: &mut impl Connect,
    actor_id: &str,
    key: &str,
    since: &Stamp,
) -> Result<Option<Stored>, sqlx::Error> {
    let row: Option<(String, i64, String)> = on!(conn, |c| {
        sqlx::query_as(
        "SELECT request_hash, status, body FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND created_at > $3",
    )
    .bind(actor_id)
    .bind(key)
    .bind(since)
    .fetch_optional(c)
    .await
    })?;
    Ok(row.map(|(request_hash, status, body)| Stored {
        request_hash,
        status: u16::try_from(status).unwrap_or(200),
        body,
    }))
}

/// Stores the answer; a forgotten (too old, not yet purged) answer under the same key is replaced.
pub async fn store(
    conn: &mut impl Connect,
    actor_id: &str,
    key: &str,
    stored: &Stored,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |c| {
        sqlx::query(
        "INSERT INTO idempotency_keys (actor_id, key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (actor_id, key) DO UPDATE SET request_hash = $3, status = $4, body = $5, created_at = $6",
    )
    .bind(actor_id)
    .bind(key)
    .bind(&stored.request_hash)
    .bind(i64::from(stored.status))
    .bind(&stored.body)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}
