//! The `agent_tokens` table: the tokens a toolkit run and the agent node speak with.

use super::{Connect, Stamp};
use byoc_core::lifecycle::agent_token::TokenGrant;
use byoc_core::lifecycle::deployment::Operation;
use sqlx::FromRow;

/// A token as the control plane knows it, with its deployment's current attempt.
#[derive(Clone, Debug, FromRow)]
pub struct AgentRow {
    pub token_hash: String,
    pub deployment_id: String,
    pub operation: String,
    pub attempt: i64,
    pub last_seq: i64,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    pub replaced_at: Option<Stamp>,
    /// `run` (a toolkit run's) or `node` (the agent node's).
    pub kind: String,
    /// The deployment's attempt now (a user action since moved it on).
    pub current_attempt: i64,
}

impl AgentRow {
    /// What core's token rule needs. Only this module writes these columns, so an unreadable
    /// operation means a damaged database: it reads as the narrowest one. An unreadable time is
    /// refused when the row is read (a typed column), never taken for some other time.
    pub fn grant(&self) -> TokenGrant {
        TokenGrant {
            operation: Operation::parse(&self.operation).unwrap_or(Operation::Delete),
            attempt: self.attempt,
            last_used_at: self.last_used_at,
            replaced: self.replaced_at.is_some(),
            node: self.kind == "node",
        }
    }
}

/// Issues the token of a registration for the deployment's current attempt; earlier tokens of
/// the deployment are marked replaced.
pub async fn put_agent(
    conn: &mut impl Connect,
    deployment_id: &str,
    token_hash: &str,
    operation: Operation,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        put_token(conn, deployment_id, token_hash, operation, "run", now).await
    })
}

/// Issues the agent node's token (with a create registration); the node's earlier one is
/// replaced. Run tokens are untouched.
pub async fn put_node_agent(
    conn: &mut impl Connect,
    deployment_id: &str,
    token_hash: &str,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        put_token(
            conn,
            deployment_id,
            token_hash,
            Operation::Create,
            "node",
            now,
        )
        .await
    })
}

async fn put_token(
    conn: &mut impl Connect,
    deployment_id: &str,
    token_hash: &str,
    operation: Operation,
    kind: &str,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "UPDATE agent_tokens SET replaced_at = $2 WHERE deployment_id = $1 AND kind = $3 AND replaced_at IS NULL",
    )
    .bind(deployment_id)
    .bind(now)
    .bind(kind)
    .execute(&mut *conn)
    .await?;
        sqlx::query(
        "INSERT INTO agent_tokens (token_hash, deployment_id, operation, attempt, last_seq, issued_at, last_used_at, kind) \
         SELECT $2, id, $3, attempt, 0, $4, $4, $5 FROM deployments WHERE id = $1",
    )
    .bind(deployment_id)
    .bind(token_hash)
    .bind(operation.code())
    .bind(now)
    .bind(kind)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn agent_by_token(
    conn: &mut impl Connect,
    token_hash: &str,
) -> Result<Option<AgentRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(
        "SELECT t.token_hash, t.deployment_id, t.operation, t.attempt, t.last_seq, t.last_used_at, \
         t.replaced_at, t.kind, d.attempt AS current_attempt \
         FROM agent_tokens t JOIN deployments d ON d.id = t.deployment_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
    })
}

/// Records the message's sequence number and the token's use, if the number is newer than the
/// last and the token still speaks for its deployment (not replaced, its attempt current: a user
/// action may have landed since the message was checked). False otherwise, and nothing changes.
pub async fn advance_seq(
    conn: &mut impl Connect,
    token_hash: &str,
    seq: u64,
    now: &Stamp,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        let done = sqlx::query(
        "UPDATE agent_tokens SET last_seq = $2, last_used_at = $3 WHERE token_hash = $1 AND last_seq < $2 \
         AND replaced_at IS NULL \
         AND (kind = 'node' OR attempt = (SELECT attempt FROM deployments WHERE id = agent_tokens.deployment_id))",
    )
    .bind(token_hash)
    .bind(seq)
    .bind(now)
    .execute(conn)
    .await?;
        Ok(done.rows_affected() == 1)
    })
}

pub async fn drop_agent(conn: &mut impl Connect, deployment_id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM agent_tokens WHERE deployment_id = $1")
            .bind(deployment_id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}
