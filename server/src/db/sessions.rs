//! Server-side sessions, found by the digest of the cookie's secret.

use super::{Connect, Db, Stamp};

use super::users::UserRef;

pub async fn create(
    conn: &mut impl Connect,
    id_hash: &str,
    user_id: &str,
    now: &Stamp,
    expires_at: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |c| {
        sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// A session's recorded use is refreshed at most this often: a signed-in read then costs no
/// write, and idle expiry is exact to within this much.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// The session's user if the session is alive (not past its absolute expiry, not idle too long),
/// recording this use at most once a minute. A dead session is removed on the way; an unknown
/// one costs no write.
pub async fn touch(
    db: &Db,
    id_hash: &str,
    now: &Stamp,
    idle_seconds: i64,
) -> Result<Option<UserRef>, sqlx::Error> {
    let idle_cutoff = super::offset(now.time(), -idle_seconds);
    let mut conn = db.acquire().await?;
    let row: Option<(Stamp, Stamp, String, String, String)> = on!(&mut conn, |c| sqlx::query_as(
        "SELECT s.expires_at, s.last_seen_at, u.id, u.username, u.org_role \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await)?;
    drop(conn);
    let Some((expires_at, last_seen_at, id, username, org_role)) = row else {
        return Ok(None);
    };
    if expires_at <= *now || last_seen_at <= idle_cutoff {
        let mut conn = db.write_alone().await?;
        on!(&mut conn, |c| sqlx::query(
            "DELETE FROM sessions WHERE id_hash = $1"
        )
        .bind(id_hash)
        .execute(c)
        .await
        .map(|_| ()))?;
        return Ok(None);
    }
    if last_seen_at < super::offset(now.time(), -TOUCH_EVERY_SECONDS) {
        let mut conn = db.write_alone().await?;
        on!(&mut conn, |c| sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1"
        )
        .bind(id_hash)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    // The column's CHECK constraint keeps the role to known codes.
    let org_role = org_role
        .parse()
        .map_err(|e: byoc_core::access::ValidationError| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Some(UserRef {
        id,
        username,
        org_role,
    }))
}

pub async fn delete(conn: &mut impl Connect, id_hash: &str) -> Result<(), sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM sessions WHERE id_hash = $1"
    )
    .bind(id_hash)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Ends every session of a user except `keep` (after a password change, other devices must sign
/// in again).
pub async fn delete_for_user(
    conn: &mut impl Connect,
    user_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2"
    )
    .bind(user_id)
    .bind(keep)
    .execute(c)
    .await
    .map(|_| ()))
}
