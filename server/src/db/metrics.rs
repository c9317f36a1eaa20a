//! What `/metrics` reads from the database.

use super::{Connect, Stamp};

/// Deployments by status, and of the running ones: how many agents reported since `recent`, the
/// oldest last report, and how many never reported.
pub struct Agents {
    pub by_status: Vec<(String, i64)>,
    pub reporting: i64,
    pub oldest: Option<Stamp>,
    pub never_seen: i64,
}

pub async fn agents(conn: &mut impl Connect, recent: &Stamp) -> Result<Agents, sqlx::Error> {
    on!(conn, |c| {
        let by_status: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM deployments GROUP BY status ORDER BY status",
        )
        .fetch_all(&mut *c)
        .await?;
        let (reporting, oldest): (i64, Option<Stamp>) = sqlx::query_as(
            "SELECT COUNT(CASE WHEN agent_last_seen_at >= $1 THEN 1 END), MIN(agent_last_seen_at) \
             FROM deployments WHERE status = 'running' AND agent_last_seen_at IS NOT NULL",
        )
        .bind(recent)
        .fetch_one(&mut *c)
        .await?;
        let never_seen: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deployments WHERE status = 'running' AND agent_last_seen_at IS NULL",
        )
        .fetch_one(&mut *c)
        .await?;
        Ok(Agents {
            by_status,
            reporting,
            oldest,
            never_seen,
        })
    })
}
