//! Removing rows that no longer protect or remember anything: sessions past their end, stored
//! idempotent answers past their retention, agent tokens long lapsed. Each takes its cutoff as a
//! stamp, so the caller (and tests) decide what "now" is.

use super::{Connect, Stamp};

/// Sessions past their absolute end or idle since before `idle_cutoff`.
pub async fn sessions(
    conn: &mut impl Connect,
    now: &Stamp,
    idle_cutoff: &Stamp,
) -> Result<u64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(idle_cutoff)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })
}

/// Idempotency keys stored at or before `cutoff`.
pub async fn idempotency_keys(conn: &mut impl Connect, cutoff: &Stamp) -> Result<u64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
            .bind(cutoff)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })
}

/// Agent tokens last used at or before `cutoff`.
pub async fn agent_tokens(conn: &mut impl Connect, cutoff: &Stamp) -> Result<u64, sqlx::Error> {
    on!(conn, |conn| {
        // The agent node's token is bound to no idle time (a deployment may stay stopped for weeks):
        // it goes only once replaced.
        sqlx::query(
        "DELETE FROM agent_tokens WHERE last_used_at <= $1 AND (kind = 'run' OR replaced_at IS NOT NULL)",
    )
        .bind(cutoff)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })
}
