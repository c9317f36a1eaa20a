//! The append-only audit log. Entries are written in the transaction of the change they record,
//! so a change and its record stand or fall together; triggers refuse any update or delete.

use byoc_core::api::AuditEntry;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};

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

pub async fn record(
    conn: &mut SqliteConnection,
    r: &Record<'_>,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, target_kind, target_id, project_id, \
         outcome, request_id, source, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .bind(now)
    .bind(r.actor_kind)
    .bind(r.actor_id)
    .bind(r.actor_name)
    .bind(r.action)
    .bind(r.target_kind)
    .bind(r.target_id)
    .bind(r.project_id)
    .bind(r.outcome.code())
    .bind(r.request_id)
    .bind(r.source)
    .bind(&r.detail)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Matches the actor's name or id.
    pub actor: Option<String>,
    /// An exact action, or a prefix ending in `.` (`project.` for every project action).
    pub action: Option<String>,
    /// The target's id.
    pub target: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only entries about these projects (for project admins); `None` = everything (owners).
    pub projects: Option<Vec<String>>,
    /// Entries older than this id (the cursor).
    pub before_id: Option<i64>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    at: String,
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
}

/// Newest first, at most `limit` entries.
pub async fn list(
    conn: &mut SqliteConnection,
    f: &Filter,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, at, actor_kind, actor_id, actor_name, action, target_kind, target_id, project_id, outcome, \
         request_id, source, detail FROM audit_log WHERE 1 = 1",
    );
    if let Some(actor) = &f.actor {
        q.push(" AND (actor_name = ")
            .push_bind(actor.clone())
            .push(" OR actor_id = ")
            .push_bind(actor.clone())
            .push(")");
    }
    if let Some(action) = &f.action {
        if action.ends_with('.') {
            q.push(" AND substr(action, 1, length(")
                .push_bind(action.clone())
                .push(")) = ")
                .push_bind(action.clone());
        } else {
            q.push(" AND action = ").push_bind(action.clone());
        }
    }
    if let Some(target) = &f.target {
        q.push(" AND target_id = ").push_bind(target.clone());
    }
    if let Some(from) = &f.from {
        q.push(" AND at >= ").push_bind(from.clone());
    }
    if let Some(to) = &f.to {
        q.push(" AND at <= ").push_bind(to.clone());
    }
    if let Some(projects) = &f.projects {
        if projects.is_empty() {
            q.push(" AND 0 = 1");
        } else {
            q.push(" AND project_id IN (");
            let mut sep = q.separated(", ");
            for p in projects {
                sep.push_bind(p.clone());
            }
            sep.push_unseparated(")");
        }
    }
    if let Some(before) = f.before_id {
        q.push(" AND id < ").push_bind(before);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    let rows: Vec<Row> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
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
        })
        .collect())
}
