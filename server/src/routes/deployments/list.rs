//! Listing a project's deployments: filter by status, cloud, region and name, sort, and page
//! with an opaque cursor.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use byoc_core::api::{DeploymentCursor, DeploymentSort, DEPLOYMENTS_PAGE};
use byoc_core::api::{DeploymentPage, Problem};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::deployment::Status;
use serde::Deserialize;

use crate::auth::Actor;
use crate::db;
use crate::db::deployments::{DeploymentRow, Filter};
use crate::error::{ApiQuery, AppError};
use crate::lang::{current, Say};
use crate::routes::projects;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Params {
    /// One status, e.g. `running`.
    status: Option<String>,
    /// aliyun, aws-cn, aws or gcp.
    cloud: Option<String>,
    region: Option<String>,
    /// Part of the name.
    name: Option<String>,
    /// `-created_at` (default), `created_at`, `name`, `-name` or `status`.
    sort: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
    /// 1 to 500; 50 by default.
    limit: Option<i64>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn bad(field: &str, code: &str, message: String) -> AppError {
    AppError::field(field, code, message)
}

#[utoipa::path(
    get,
    path = "/projects/{id}/deployments",
    tag = "deployments",
    summary = "The project's deployments, filtered, sorted and paged",
    params(("id" = String, Path, description = "Project id"), Params),
    responses((status = 200, description = "A page, with a weak `ETag` that changes whenever any deployment of the project does", body = DeploymentPage),
              (status = 304, description = "Nothing changed since the `If-None-Match` ETag: no body"),
              (status = 404, description = "No such project, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A parameter is invalid; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, AppError> {
    // The caller's standing and the list's change count, in one statement.
    let standing = projects::access(&state, &actor, &project_id).await?;
    let status = nonempty(&p.status);
    if let Some(s) = &status {
        if Status::parse(s).is_none() {
            let all: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
            return Err(bad(
                "status",
                "unknown_status",
                Say::UnknownStatus.with(&[("value", s), ("all", &all.join(", "))]),
            ));
        }
    }
    let cloud = nonempty(&p.cloud);
    if let Some(c) = &cloud {
        c.parse::<Cloud>().map_err(|e| {
            bad(
                "cloud",
                e.code(),
                crate::error::sentence(&e.message(current())),
            )
        })?;
    }
    let sort = match nonempty(&p.sort) {
        None => DeploymentSort::Newest,
        Some(s) => DeploymentSort::parse(&s).ok_or_else(|| {
            bad(
                "sort",
                "unknown_sort",
                Say::UnknownSort.with(&[("value", &s)]),
            )
        })?,
    };
    let limit = p.limit.unwrap_or(i64::from(DEPLOYMENTS_PAGE.default));
    if !DEPLOYMENTS_PAGE.allows(limit) {
        return Err(bad(
            "limit",
            "limit_out_of_range",
            Say::LimitRange.with(&[("max", &DEPLOYMENTS_PAGE.max)]),
        ));
    }
    let after = match nonempty(&p.cursor) {
        None => None,
        Some(c) => Some(
            DeploymentCursor::decode(&c, sort)
                // A cursor in time order carries a stored time; a forged one that does not is
                // the caller's mistake, not the database's.
                .filter(|c| !sort.by_time() || db::parse_stamp(&c.after[0]).is_ok())
                .ok_or_else(|| bad("cursor", "invalid_cursor", Say::ListCursor.text()))?,
        ),
    };
    let filter = Filter {
        status,
        cloud,
        region: nonempty(&p.region),
        name: nonempty(&p.name),
        include_deleted: false,
    };
    // Read before the page, so the ETag never claims a newer page than the one sent. A refresh
    // of an unchanged list (the browser revalidates with If-None-Match) reads and sends nothing.
    let etag = list_etag(&standing.epoch, standing.changes);
    if not_modified(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    // The same question at the same change count has the same answer: kept, it costs a get.
    let query = format!(
        "{:?} {:?} {:?} {:?} {sort:?} {:?} {limit}",
        filter.status,
        filter.cloud,
        filter.region,
        filter.name,
        after.as_ref().map(|c| &c.after)
    );
    let tag = etag.to_str().unwrap_or_default().to_owned();
    if let Some(body) = state.pages.get(&project_id, &tag, &query) {
        return Ok(page_answer(etag, body));
    }
    // One row more than asked says whether another page follows, without counting; the total
    // comes with the first page only.
    let mut conn = state.db.acquire().await?;
    let (mut rows, total) = db::deployments::list(
        &mut conn,
        &project_id,
        &filter,
        sort,
        after.as_ref().map(|c| c.after.as_slice()),
        limit + 1,
    )
    .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| rows.last()).flatten().map(|last| {
        DeploymentCursor {
            sort,
            after: db::deployments::sort_key(last, sort),
        }
        .encode()
    });
    let page = DeploymentPage {
        next_cursor,
        items: rows.into_iter().map(DeploymentRow::into_api).collect(),
        total: total.map(|t| u64::try_from(t).unwrap_or(0)),
    };
    let body = Bytes::from(serde_json::to_vec(&page).map_err(AppError::internal)?);
    state.pages.put(&project_id, &tag, &query, body.clone());
    Ok(page_answer(etag, body))
}

/// A page's answer: its JSON, the ETag it was read at, and how the browser keeps it.
fn page_answer(etag: HeaderValue, body: Bytes) -> Response {
    (
        [
            (header::ETAG, etag),
            // Kept by the browser, but asked again each time (with the ETag).
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response()
}

/// The list's ETag: weak (the same rows may be serialised differently): this build (an upgrade
/// may answer in another shape) and the database's epoch (its last start: a restored backup may
/// count changes from an older value), then the project's count of deployment changes. Nothing
/// in it is one process's own, so every replica on the database answers the same tag.
fn list_etag(epoch: &str, changes: i64) -> HeaderValue {
    let tag = format!("W/\"{}-{epoch}-d{changes}\"", env!("CARGO_PKG_VERSION"));
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"d\""))
}

/// Whether `If-None-Match` names `etag` (or `*`), compared weakly as RFC 9110 says for GET.
fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(etag) = etag.to_str().ok() else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}
