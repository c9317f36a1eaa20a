//! Server-side sessions, found by the digest of the cookie's secret.

use sqlx::{SqliteConnection, SqlitePool};

use super::users::{UserRef, UserRow};

pub async fn create(
    conn: &mut SqliteConnection,
    id_hash: &str,
    user_id: &str,
    now: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The session's user if the session is alive (not past its absolute expiry, not idle too long),
/// recording this use. Dead sessions are removed on the way.
pub async fn touch(
    pool: &SqlitePool,
    id_hash: &str,
    now: &str,
    idle_seconds: i64,
) -> Result<Option<UserRef>, sqlx::Error> {
    let idle_cutoff = super::offset(now, -idle_seconds);
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.password_hash, u.org_role, u.created_at, u.version \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3",
    )
    .bind(id_hash)
    .bind(now)
    .bind(&idle_cutoff)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(user) => {
            sqlx::query("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1")
                .bind(id_hash)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(Some(user.to_ref()))
        }
        None => {
            sqlx::query("DELETE FROM sessions WHERE id_hash = ?1")
                .bind(id_hash)
                .execute(pool)
                .await?;
            Ok(None)
        }
    }
}

pub async fn delete(conn: &mut SqliteConnection, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = ?1")
        .bind(id_hash)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Ends every session of a user except `keep` (after a password change, other devices must sign
/// in again).
pub async fn delete_for_user(
    conn: &mut SqliteConnection,
    user_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND id_hash IS NOT ?2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await
        .map(|_| ())
}
