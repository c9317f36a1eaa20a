//! The Overview's counts and attention lists: each one indexed query (migration 0011), so the
//! page costs the same with 10,000 deployments as with ten. `visible` is the caller's scope:
//! `None` for owners (every project), else the user whose memberships bound it.

use super::{Connect, Stamp};
use sqlx::FromRow;

/// `$1` is the user id or NULL (owners); a deployment `d` is visible when NULL or a member.
const VISIBLE: &str =
    "($1 IS NULL OR d.project_id IN (SELECT project_id FROM project_members WHERE user_id = $1))";

/// Deployments that exist (not deleted), by project and status.
pub async fn status_counts(
    conn: &mut impl Connect,
    visible: Option<&str>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    on!(conn, |conn| {
        // The counts the triggers keep (migration 0012): a few rows per project, whatever the
        // number of deployments. `d` names the counts here, so VISIBLE reads the same.
        sqlx::query_as(&format!(
            "SELECT d.project_id, d.status, d.n FROM deployment_counts d \
         WHERE d.n > 0 AND d.status <> 'deleted' AND {VISIBLE}"
        ))
        .bind(visible)
        .fetch_all(conn)
        .await
    })
}

#[derive(FromRow)]
pub struct FailedRow {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub project_name: String,
    pub reason: Option<String>,
    pub updated_at: Stamp,
}

/// Failed deployments, most recently failed first, and how many there are.
pub async fn failed(
    conn: &mut impl Connect,
    visible: Option<&str>,
    limit: u32,
) -> Result<(Vec<FailedRow>, i64), sqlx::Error> {
    on!(conn, |conn| {
        let rows = sqlx::query_as(&format!(
            "SELECT d.id, d.name, d.project_id, p.name AS project_name, d.reason, d.updated_at \
         FROM deployments d JOIN projects p ON p.id = d.project_id \
         WHERE d.status = 'failed' AND {VISIBLE} ORDER BY d.updated_at DESC, d.id LIMIT $2"
        ))
        .bind(visible)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        let total = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM deployments d WHERE d.status = 'failed' AND {VISIBLE}"
        ))
        .bind(visible)
        .fetch_one(conn)
        .await?;
        Ok((rows, total))
    })
}

#[derive(FromRow)]
pub struct WaitingLinkRow {
    pub deployment_id: String,
    pub deployment_name: String,
    pub project_id: String,
    pub id: String,
    pub service_id: String,
    pub created_at: Stamp,
}

/// PrivateLinks waiting for the customer's Allow / Accept, newest first, and how many.
pub async fn privatelinks_waiting(
    conn: &mut impl Connect,
    visible: Option<&str>,
    limit: u32,
) -> Result<(Vec<WaitingLinkRow>, i64), sqlx::Error> {
    on!(conn, |conn| {
        const FROM: &str = "FROM privatelinks l JOIN deployments d ON d.id = l.deployment_id \
                        WHERE l.status = 'pending_acceptance' AND d.status <> 'deleted'";
        let rows = sqlx::query_as(&format!(
            "SELECT l.deployment_id, d.name AS deployment_name, d.project_id, l.id, l.service_id, \
         l.created_at {FROM} AND {VISIBLE} ORDER BY l.created_at DESC, l.id LIMIT $2"
        ))
        .bind(visible)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        let total = sqlx::query_scalar(&format!("SELECT COUNT(*) {FROM} AND {VISIBLE}"))
            .bind(visible)
            .fetch_one(conn)
            .await?;
        Ok((rows, total))
    })
}

#[derive(FromRow)]
pub struct KeyRow {
    pub deployment_id: String,
    pub deployment_name: String,
    pub project_id: String,
    pub operation: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Stamp,
}

/// Unused keys of the operation each deployment still waits for (`waiting`: the transitional
/// statuses, from core), expiring at or before `cutoff`, soonest first, and how many.
pub async fn keys_expiring(
    conn: &mut impl Connect,
    visible: Option<&str>,
    waiting: &[&'static str],
    cutoff: &Stamp,
    limit: u32,
) -> Result<(Vec<KeyRow>, i64), sqlx::Error> {
    on!(conn, |conn| {
        // Core's status codes (static words, never input), written into the statement.
        let statuses = waiting
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let from = format!(
            "FROM bootstrap_keys k JOIN deployments d ON d.id = k.deployment_id \
         WHERE k.used_at IS NULL AND k.expires_at <= $2 AND k.operation = d.operation \
         AND d.status IN ({statuses}) AND {VISIBLE}"
        );
        let rows = sqlx::query_as(&format!(
            "SELECT k.deployment_id, d.name AS deployment_name, d.project_id, k.operation, \
         k.issued_at, k.expires_at {from} ORDER BY k.expires_at, k.deployment_id LIMIT $3"
        ))
        .bind(visible)
        .bind(cutoff)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        let total = sqlx::query_scalar(&format!("SELECT COUNT(*) {from}"))
            .bind(visible)
            .bind(cutoff)
            .fetch_one(conn)
            .await?;
        Ok((rows, total))
    })
}

/// The user's live tokens expiring after `now` and at or before `cutoff`, soonest first.
pub async fn tokens_expiring(
    conn: &mut impl Connect,
    user_id: &str,
    now: &Stamp,
    cutoff: &Stamp,
    limit: u32,
) -> Result<Vec<(String, String, chrono::DateTime<chrono::Utc>)>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(
        "SELECT id, name, expires_at FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL \
         AND expires_at > $2 AND expires_at <= $3 ORDER BY expires_at, id LIMIT $4",
    )
    .bind(user_id)
    .bind(now)
    .bind(cutoff)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await
    })
}
