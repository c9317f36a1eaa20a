//! Installation-wide settings, a small key/value table.

use super::{Connect, Stamp};

/// When this installation first started (RFC 3339). Recorded once; later starts keep the first
/// value, since the built-in default licence counts its 14 days from it.
pub async fn first_started_at(conn: &mut impl Connect, now: &Stamp) -> Result<String, sqlx::Error> {
    on!(conn, |c| {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ('first_started_at', $1, $2)
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(now.time().to_rfc3339())
        .bind(now)
        .execute(&mut *c)
        .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'first_started_at'")
            .fetch_one(&mut *c)
            .await
    })
}

/// When this installation first started, as [`first_started_at`] recorded it.
pub async fn first_started(conn: &mut impl Connect) -> Result<String, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = 'first_started_at'"
    )
    .fetch_one(c)
    .await)
}

/// Marks a start of the control plane (any replica): the database's epoch, a fresh value each
/// time. The deployments list's ETag carries it, so every replica answers the same ETag for the
/// same list, and a restart (as after restoring a backup, whose change counts may repeat values
/// already handed out) makes every earlier ETag stale.
pub async fn mark_start(conn: &mut impl Connect, now: &Stamp) -> Result<(), sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('epoch', $1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(super::new_id())
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}
