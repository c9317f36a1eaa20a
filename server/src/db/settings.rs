//! Installation-wide settings, a small key/value table.

use sqlx::SqlitePool;

/// When this installation first started (RFC 3339). Recorded once; later starts keep the first
/// value, since the built-in default licence counts its 14 days from it.
pub async fn first_started_at(pool: &SqlitePool, now_rfc3339: &str) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('first_started_at', ?1, ?1)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(now_rfc3339)
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT value FROM settings WHERE key = 'first_started_at'")
        .fetch_one(pool)
        .await
}

/// Marks a start of the control plane (any replica): the database's epoch, a fresh value each
/// time. The deployments list's ETag carries it, so every replica answers the same ETag for the
/// same list, and a restart (as after restoring a backup, whose change counts may repeat values
/// already handed out) makes every earlier ETag stale.
pub async fn mark_start(conn: &mut sqlx::SqliteConnection, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('epoch', ?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(super::new_id())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}
