//! The append-only audit log. Entries are written in the transaction of the change they record,
//! so a change and its record stand or fall together; triggers refuse any update or delete.
//!
//! Two guards keep the log from being grown at will (issue "Hardening"): every stored string is
//! bounded ([`bounded`]), whatever the caller validated; and a failure without a known actor (a
//! wrong sign-in, an unknown bootstrap key) is recorded once per hour per action, source and
//! outcome, the others counted beside it (`audit_repeats`, migration 0007).

use std::borrow::Cow;

use byoc_core::api::AuditEntry;
use sqlx::{Connection, FromRow};

use super::{Connect, Stamp, Statement};

/// What to record. `detail` is free text for people, never a secret.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    pub actor_kind: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<&'a str>,
    pub project_id: Option<&'a str>,
    pub outcome: Outcome,
    pub request_id: &'a str,
    pub source: &'a str,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// Longest stored value of each field, in characters; longer ones are cut with [`CUT_MARK`].
pub mod max {
    pub const ACTOR_ID: usize = 64;
    pub const ACTOR_NAME: usize = 128;
    pub const NAME: usize = 64;
    pub const TARGET_ID: usize = 128;
    pub const REQUEST_ID: usize = 64;
    pub const SOURCE: usize = 64;
    pub const DETAIL: usize = 2000;
}

/// Ends a value cut by [`bounded`].
pub const CUT_MARK: &str = "…[cut]";

/// `s` as stored: at most `max` characters (cut ones end with [`CUT_MARK`]), control characters
/// other than line breaks shown as U+FFFD so an entry cannot forge lines or terminal escapes. The
/// last line of defence: requests are validated before this, and valid values pass unchanged.
pub fn bounded(s: &str, max: usize) -> Cow<'_, str> {
    let too_long = s.chars().nth(max).is_some();
    let plain = |c: char| !c.is_control() || c == '\n';
    if !too_long && s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let keep = if too_long {
        max.saturating_sub(CUT_MARK.chars().count())
    } else {
        max
    };
    let mut out: String = s
        .chars()
        .take(keep)
        .map(|c| if plain(c) { c } else { '\u{fffd}' })
        .collect();
    if too_long {
        out.push_str(CUT_MARK);
    }
    Cow::Owned(out)
}

/// Whether `r` is a failure nobody known caused, counted rather than recorded each time.
fn is_anonymous_failure(r: &Record<'_>) -> bool {
    r.actor_id.is_none() && r.outcome != Outcome::Success
}

pub async fn record(
    conn: &mut impl Connect,
    r: &Record<'_>,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        let action = bounded(r.action, max::NAME);
        let actor_kind = bounded(r.actor_kind, max::NAME);
        let source = bounded(r.source, max::SOURCE);
        if !is_anonymous_failure(r) {
            return insert(conn, r, now).await.map(|_| ());
        }
        // A savepoint inside the caller's transaction, or a transaction of its own: the entry and
        // its counter stand or fall together.
        let mut tx = conn.begin().await?;
        let bucket = hour(now);
        let counted = sqlx::query(
            "UPDATE audit_repeats SET repeats = repeats + 1, last_at = $1 \
         WHERE bucket = $6 AND action = $2 AND actor_kind = $3 AND source = $4 \
         AND outcome = $5",
        )
        .bind(now)
        .bind(action.as_ref())
        .bind(actor_kind.as_ref())
        .bind(source.as_ref())
        .bind(r.outcome.code())
        .bind(&bucket)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if counted == 0 {
            let id = insert(&mut tx, r, now).await?;
            sqlx::query(
            "INSERT INTO audit_repeats (audit_id, bucket, action, actor_kind, source, outcome, last_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&bucket)
        .bind(action.as_ref())
        .bind(actor_kind.as_ref())
        .bind(source.as_ref())
        .bind(r.outcome.code())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        }
        tx.commit().await
    })
}

/// The hour a repeated failure is counted in: the first 13 characters of its stored time
/// (`2030-01-01T10`).
fn hour(now: &Stamp) -> String {
    now.to_string().chars().take(13).collect()
}

/// Appends one entry, every value bounded; returns its id.
async fn insert(conn: &mut impl Connect, r: &Record<'_>, now: &Stamp) -> Result<i64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, target_kind, target_id, project_id, \
         outcome, request_id, source, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(now)
    .bind(bounded(r.actor_kind, max::NAME))
    .bind(r.actor_id.map(|v| bounded(v, max::ACTOR_ID)))
    .bind(bounded(r.actor_name, max::ACTOR_NAME))
    .bind(bounded(r.action, max::NAME))
    .bind(bounded(r.target_kind, max::NAME))
    .bind(r.target_id.map(|v| bounded(v, max::TARGET_ID)))
    .bind(r.project_id.map(|v| bounded(v, max::TARGET_ID)))
    .bind(r.outcome.code())
    .bind(bounded(r.request_id, max::REQUEST_ID))
    .bind(bounded(r.source, max::SOURCE))
    .bind(bounded(&r.detail, max::DETAIL))
    .fetch_one(conn)
    .await
    })
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Matches the actor's name or id.
    pub actor: Option<String>,
    /// An exact action, or a prefix ending in `.` (`project.` for every project action).
    pub action: Option<String>,
    /// The target's id.
    pub target: Option<String>,
    pub from: Option<Stamp>,
    pub to: Option<Stamp>,
    /// Only entries about these projects (for project admins); `None` = everything (owners).
    pub projects: Option<Vec<String>>,
    /// Entries older than this id (the cursor).
    pub before_id: Option<i64>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    at: Stamp,
    actor_kind: String,
    actor_id: Option<String>,
    actor_name: String,
    action: String,
    target_kind: String,
    target_id: Option<String>,
    project_id: Option<String>,
    outcome: String,
    request_id: String,
    source: String,
    detail: String,
    repeats: i64,
}

/// The actions [`bulk`] spreads its entries over.
pub const BULK_ACTIONS: [&str; 8] = [
    "deployment.create",
    "deployment.stop",
    "deployment.start",
    "deployment.delete",
    "project.create",
    "project.update",
    "session.create",
    "token.create",
];

/// `count` audit entries straight into the log, for benchmarks: actors `user-0`..`user-49`,
/// the actions of [`BULK_ACTIONS`] in turn, targets `dep-0`..`dep-4999`, projects
/// `proj-0`..`proj-19`, one entry a minute ending now. One statement, so a million take seconds.
pub async fn bulk(conn: &mut impl Connect, count: i64) -> Result<(), sqlx::Error> {
    let actions = BULK_ACTIONS
        .iter()
        .enumerate()
        .map(|(i, a)| format!("WHEN {i} THEN '{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    on!(conn, |c, pg| {
        let (numbers, at) = if pg {
            (
                "SELECT i FROM generate_series(1, $1) AS n(i)",
                "now() - make_interval(mins => ($1 - i)::int)",
            )
        } else {
            (
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n",
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ($1 - i) || ' minutes')",
            )
        };
        sqlx::query(&format!(
            "INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, target_kind, target_id, \
               project_id, outcome, request_id, source, detail) \
             SELECT {at}, 'user', \
               'u-' || (i % 50), 'user-' || (i % 50), CASE i % 8 {actions} END, 'deployment', \
               'dep-' || (i % 5000), 'proj-' || (i % 20), 'success', 'bench-' || i, '127.0.0.1', '' \
             FROM ({numbers}) AS n"
        ))
        .bind(count)
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// Newest first, at most `limit` entries.
pub async fn list(
    conn: &mut impl Connect,
    f: &Filter,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    on!(conn, |conn| {
        // One index read per (actor column, action), each newest first and stopping at `limit`,
        // merged here. Asked as one query, "name or id" and an action prefix make SQLite gather and
        // sort every match (half a million rows for `deployment.` in a million entries).
        // One read transaction: every read sees the same log, so an entry written between two of
        // them can never fall between a page and its cursor.
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let actions: Vec<Option<String>> = match f.action.as_deref() {
            Some(prefix) if prefix.ends_with('.') => actions_under(&mut tx, prefix)
                .await?
                .into_iter()
                .map(Some)
                .collect(),
            other => vec![other.map(str::to_owned)],
        };
        let actor_columns: &[Actor] = if f.actor.is_some() {
            &[Actor::Name, Actor::Id]
        } else {
            &[Actor::Name]
        };
        let mut rows: Vec<Row> = Vec::new();
        for action in &actions {
            let exact = Filter {
                action: action.clone(),
                ..f.clone()
            };
            for actor_by in actor_columns {
                let st = select("", &exact, limit, *actor_by);
                let more: Vec<Row> = bound!(sqlx::query_as(&st.sql), &st.args)
                    .fetch_all(&mut *tx)
                    .await?;
                rows.extend(more);
            }
        }
        tx.commit().await?;
        if actions.len() * actor_columns.len() > 1 {
            rows.sort_by_key(|r| std::cmp::Reverse(r.id));
            rows.dedup_by_key(|r| r.id);
            rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at.time(),
                actor_kind: r.actor_kind,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                project_id: r.project_id,
                outcome: r.outcome,
                request_id: r.request_id,
                source: r.source,
                detail: r.detail,
                repeats: r.repeats,
            })
            .collect())
    })
}

/// The actions the log holds that start with `prefix` (ending in `.`), from the small table the
/// triggers keep (migration 0015).
pub async fn actions_under(
    conn: &mut impl Connect,
    prefix: &str,
) -> Result<Vec<String>, sqlx::Error> {
    on!(conn, |conn| {
        let stem = prefix.strip_suffix('.').unwrap_or(prefix);
        // Every action starting with "stem." sorts in ["stem.", "stem/"): '/' follows '.' in byte
        // order, SQLite's default collation.
        sqlx::query_scalar("SELECT action FROM audit_actions WHERE action >= $1 AND action < $2")
            .bind(prefix)
            .bind(format!("{stem}/"))
            .fetch_all(conn)
            .await
    })
}

/// Which of the actor's columns a [`select`] matches the actor filter against ([`list`] asks both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Name,
    Id,
}

/// One of the queries [`list`] runs (an exact action, one actor column), after `prefix` (the
/// tests ask `EXPLAIN QUERY PLAN ` of it, to see that every filter is served by an index).
pub fn select(prefix: &str, f: &Filter, limit: i64, actor_by: Actor) -> Statement {
    let mut q = Statement::new(format!(
        "{prefix}SELECT id, at, actor_kind, actor_id, actor_name, action, target_kind, target_id, project_id, outcome, \
         request_id, source, detail, COALESCE((SELECT repeats FROM audit_repeats WHERE audit_repeats.audit_id = audit_log.id), 0) AS repeats \
         FROM audit_log WHERE 1 = 1"
    ));
    if let Some(actor) = &f.actor {
        q.push(match actor_by {
            Actor::Name => " AND actor_name = ",
            Actor::Id => " AND actor_id = ",
        })
        .bind(actor.as_str());
    }
    // Exact: [`list`] turns a prefix into the actions it covers.
    if let Some(action) = &f.action {
        q.push(" AND action = ").bind(action.as_str());
    }
    if let Some(target) = &f.target {
        q.push(" AND target_id = ").bind(target.as_str());
    }
    if let Some(from) = f.from {
        q.push(" AND at >= ").bind(from);
    }
    if let Some(to) = f.to {
        q.push(" AND at <= ").bind(to);
    }
    if let Some(projects) = &f.projects {
        if projects.is_empty() {
            q.push(" AND 0 = 1");
        } else {
            q.push(" AND project_id IN (")
                .bind_list(projects.iter().map(String::as_str))
                .push(")");
        }
    }
    if let Some(before) = f.before_id {
        q.push(" AND id < ").bind(before);
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(limit);
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_values_are_stored_as_they_are() {
        assert!(matches!(bounded("alice", 64), Cow::Borrowed("alice")));
        assert!(matches!(bounded("two\nlines", 64), Cow::Borrowed(_)));
        assert_eq!(bounded(&"密".repeat(64), 64).chars().count(), 64);
    }

    #[test]
    fn long_values_are_cut_with_a_mark() {
        let huge = "x".repeat(1_500_000);
        let cut = bounded(&huge, max::ACTOR_NAME);
        assert_eq!(cut.chars().count(), max::ACTOR_NAME);
        assert!(cut.ends_with(CUT_MARK));
        assert_eq!(bounded("abcdefghij", 8), "ab…[cut]");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(bounded("a\rb\u{1b}[2J", 64), "a\u{fffd}b\u{fffd}[2J");
    }
}
