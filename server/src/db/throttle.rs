//! Failed sign-in records, the input of `core::access::assess_sign_in`.

use sqlx::SqlitePool;

pub async fn failures(
    pool: &SqlitePool,
    subject: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE subject = ?1 AND at >= ?2")
        .bind(subject)
        .bind(since)
        .fetch_all(pool)
        .await
}

pub async fn record_failure(
    pool: &SqlitePool,
    subjects: &[&str],
    at: i64,
) -> Result<(), sqlx::Error> {
    for subject in subjects {
        sqlx::query("INSERT INTO sign_in_failures (subject, at) VALUES (?1, ?2)")
            .bind(subject)
            .bind(at)
            .execute(pool)
            .await?;
    }
    // Old records are useless to the rule; keep the table small.
    sqlx::query("DELETE FROM sign_in_failures WHERE at < ?1")
        .bind(at - 24 * 3600)
        .execute(pool)
        .await
        .map(|_| ())
}

/// A successful sign-in forgives the user's earlier failures (not the address's).
pub async fn clear(pool: &SqlitePool, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE subject = ?1")
        .bind(subject)
        .execute(pool)
        .await
        .map(|_| ())
}
