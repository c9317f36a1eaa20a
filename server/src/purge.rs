//! Housekeeping: every few minutes, rows that no longer protect or remember anything are removed
//! (issue "Hardening"): sessions past their absolute or idle end, idempotency keys older than a
//! day, agent tokens lapsed for a day. [`purge`] takes the time as a parameter, so tests call it
//! with any "now"; [`spawn`] runs it from `serve()`.

use std::time::Duration;

use byoc_core::lifecycle::agent_token::AGENT_TOKEN_IDLE_SECONDS;
use chrono::{DateTime, Utc};

use crate::auth::SESSION_IDLE_SECONDS;
use crate::db::{self, Db};
use crate::idempotency::KEEP_SECONDS as IDEMPOTENCY_KEEP_SECONDS;

/// How often the background task runs.
pub const EVERY: Duration = Duration::from_secs(5 * 60);
/// A lapsed agent token is kept this much longer, so a late agent hears that its token expired
/// rather than that it is unknown.
const LAPSED_TOKEN_GRACE_SECONDS: i64 = 24 * 60 * 60;

/// How many rows of each kind one run removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub idempotency_keys: u64,
    pub agent_tokens: u64,
}

fn before(now: DateTime<Utc>, seconds: i64) -> db::Stamp {
    db::stamp(now - chrono::Duration::seconds(seconds))
}

/// Removes what is dead at `now`, on the caller's connection (or transaction).
pub async fn purge(
    conn: &mut impl crate::db::Connect,
    now: DateTime<Utc>,
) -> Result<Purged, sqlx::Error> {
    let sessions = db::purge::sessions(
        &mut *conn,
        &db::stamp(now),
        &before(now, SESSION_IDLE_SECONDS),
    )
    .await?;
    let idempotency_keys =
        db::purge::idempotency_keys(&mut *conn, &before(now, IDEMPOTENCY_KEEP_SECONDS)).await?;
    let agent_tokens = db::purge::agent_tokens(
        conn,
        &before(now, AGENT_TOKEN_IDLE_SECONDS + LAPSED_TOKEN_GRACE_SECONDS),
    )
    .await?;
    Ok(Purged {
        sessions,
        idempotency_keys,
        agent_tokens,
    })
}

/// One run in the writers' turn, as the background task does it.
pub async fn run_once(db: &Db, now: DateTime<Utc>) -> Result<Purged, sqlx::Error> {
    let mut tx = db::write(db).await?;
    let purged = purge(&mut tx, now).await?;
    tx.commit().await?;
    Ok(purged)
}

/// Starts the background task: a run at start, then every [`EVERY`]. A failed run is logged and
/// tried again next time; nothing depends on it having run.
pub fn spawn(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = db::optimize(&db).await {
                tracing::warn!(error = %e, "refreshing the planner's statistics failed");
            }
            match run_once(&db, Utc::now()).await {
                Ok(p) if p != Purged::default() => tracing::info!(
                    sessions = p.sessions,
                    idempotency_keys = p.idempotency_keys,
                    agent_tokens = p.agent_tokens,
                    "purged expired rows"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "purging expired rows failed; trying again later")
                }
            }
        }
    })
}
