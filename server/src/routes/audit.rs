//! `GET /api/v1/audit` (newest first, cursor paging) and `GET /api/v1/audit/export.csv`. There is
//! no route that changes or removes an entry, and the database refuses it too.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::{can, Action};
use byoc_core::api::Problem;
use byoc_core::api::ProblemCode;
use byoc_core::api::AUDIT_PAGE;
use byoc_core::api::{AuditEntry, Page};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Actor;
use crate::db;
use crate::db::audit::Filter;
use crate::error::{ApiQuery, AppError};
use crate::lang::Say;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
}

/// The CSV export is bounded so one request cannot tie up the server.
const EXPORT_LIMIT: usize = 100_000;
/// How many entries the export reads at a time.
const EXPORT_BATCH: usize = 1_000;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn time(v: &Option<String>, field: &str) -> Result<Option<db::Stamp>, AppError> {
    non_empty(v)
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(&t)
                .map(|t| db::stamp(t.with_timezone(&chrono::Utc)))
                .map_err(|_| {
                    AppError::field(
                        field,
                        "invalid_time",
                        Say::InvalidTime.with(&[("field", &field)]),
                    )
                })
        })
        .transpose()
}

/// What of the audit log the caller may read: `Readable::All` for owners, the projects they
/// administer for project admins, nothing for anyone else.
pub enum Readable {
    All,
    Projects(Vec<String>),
    Nothing,
}

impl Readable {
    /// The filter's project scope, `None` when the caller may read nothing.
    pub fn scope(self) -> Option<Option<Vec<String>>> {
        match self {
            Readable::All => Some(None),
            Readable::Projects(ids) => Some(Some(ids)),
            Readable::Nothing => None,
        }
    }
}

/// Owners read everything; project admins read what concerns their projects; others nothing.
pub async fn readable(
    conn: &mut impl crate::db::Connect,
    actor: &Actor,
) -> Result<Readable, sqlx::Error> {
    if can(actor.org_role, None, Action::ReadAllAudit) {
        return Ok(Readable::All);
    }
    let admin_of = db::projects::admin_of(conn, &actor.user_id).await?;
    Ok(if admin_of.is_empty() {
        Readable::Nothing
    } else {
        Readable::Projects(admin_of)
    })
}

async fn filter(state: &AppState, actor: &Actor, p: &Params) -> Result<Filter, AppError> {
    let readable = {
        let mut conn = state.db.acquire().await?;
        readable(&mut conn, actor).await?
    };
    let Some(projects) = readable.scope() else {
        return Err(AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: Say::AuditForbidden.text(),
        });
    };
    let before_id = non_empty(&p.cursor)
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| AppError::field("cursor", "invalid_cursor", Say::AuditCursor.text()))
        })
        .transpose()?;
    Ok(Filter {
        actor: non_empty(&p.actor),
        action: non_empty(&p.action),
        target: non_empty(&p.target),
        from: time(&p.from, "from")?,
        to: time(&p.to, "to")?,
        projects,
        before_id,
    })
}

#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    summary = "Audit log, newest first",
    params(("actor" = Option<String>, Query, description = "Actor name or id"), ("action" = Option<String>, Query, description = "Action, or a prefix ending in a dot"), ("target" = Option<String>, Query, description = "Target id"), ("from" = Option<String>, Query, description = "RFC 3339, inclusive"), ("to" = Option<String>, Query, description = "RFC 3339, inclusive"), ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"), ("limit" = Option<u32>, Query, description = "1-200, default 50")),
    responses((status = 200, description = "A page of entries", body = Page<AuditEntry>), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Json<Page<AuditEntry>>, AppError> {
    let f = filter(&state, &actor, &p).await?;
    let limit = match non_empty(&p.limit) {
        None => i64::from(AUDIT_PAGE.default),
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|l| AUDIT_PAGE.allows(*l))
            .ok_or_else(|| {
                AppError::field(
                    "limit",
                    "invalid_limit",
                    Say::AuditLimit.with(&[("max", &AUDIT_PAGE.max)]),
                )
            })?,
    };
    let mut conn = state.db.acquire().await?;
    // One more than asked tells whether there is a next page.
    let mut items = db::audit::list(&mut conn, &f, limit + 1).await?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

#[utoipa::path(
    get,
    path = "/audit/export.csv",
    tag = "audit",
    summary = "Audit log as CSV",
    params(("actor" = Option<String>, Query, description = "Actor name or id"), ("action" = Option<String>, Query, description = "Action or prefix"), ("target" = Option<String>, Query, description = "Target id"), ("from" = Option<String>, Query, description = "RFC 3339"), ("to" = Option<String>, Query, description = "RFC 3339")),
    responses((status = 200, description = "CSV, same filters as the list", content_type = "text/csv"), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, AppError> {
    let mut f = filter(&state, &actor, &p).await?;
    let mut conn = state.db.acquire().await?;
    // In pages, each older than the last: a page is several merged reads of at most its size
    // (db::audit::list), so asking for the whole export at once would hold several times it.
    let mut entries = Vec::new();
    while entries.len() < EXPORT_LIMIT {
        let want = (EXPORT_LIMIT - entries.len()).min(EXPORT_BATCH);
        let page = db::audit::list(&mut conn, &f, i64::try_from(want).unwrap_or(1)).await?;
        let done = page.len() < want;
        f.before_id = page.last().map(|e| e.id).or(f.before_id);
        entries.extend(page);
        if done {
            break;
        }
    }
    let mut out = String::from("id,at,actor_kind,actor_id,actor_name,action,target_kind,target_id,project_id,outcome,request_id,source,detail,repeats\r\n");
    for e in &entries {
        let fields = [
            e.id.to_string(),
            byoc_core::api::time::text(e.at),
            e.actor_kind.clone(),
            e.actor_id.clone().unwrap_or_default(),
            e.actor_name.clone(),
            e.action.clone(),
            e.target_kind.clone(),
            e.target_id.clone().unwrap_or_default(),
            e.project_id.clone().unwrap_or_default(),
            e.outcome.clone(),
            e.request_id.clone(),
            e.source.clone(),
            e.detail.clone(),
            e.repeats.to_string(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"byoc-audit-log.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}

/// RFC 4180 quoting, plus a leading apostrophe for cells a spreadsheet would run as a formula
/// (OWASP "CSV injection").
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }
}
