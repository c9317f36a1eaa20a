//! `/api/v1/projects/{id}/members`: who belongs to a project and with which role.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::Action;
use byoc_core::api::Problem;
use byoc_core::api::{Member, Page, PutMemberRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::projects::{access, authorize};
use crate::audit::Target;
use crate::auth::Actor;
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::lang::Say;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, put))
        .routes(routes!(remove))
}

#[utoipa::path(
    get,
    path = "/projects/{id}/members",
    tag = "projects",
    summary = "Members of a project",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "Members", body = Page<Member>), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Page<Member>>, AppError> {
    access(&state, &actor, &id).await?;
    let mut conn = state.db.acquire().await?;
    let items = db::projects::members(&mut conn, &id)
        .await?
        .iter()
        .filter_map(db::projects::MemberRow::to_api)
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

fn member_not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NotAMember.text(),
    }
}

#[utoipa::path(
    put,
    path = "/projects/{id}/members",
    tag = "projects",
    summary = "Add a member or change their role (project admins)",
    params(("id" = String, Path, description = "Project id"), ("If-Match" = Option<String>, Header, description = "Required when the user is already a member")),
    request_body = PutMemberRequest,
    responses((status = 200, description = "The membership", body = Member), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PutMemberRequest>,
) -> Result<Response, AppError> {
    let action = "project.member.put";
    let target = Target::in_project("user", Some(&req.user_id), &id);
    authorize(&state, &actor, &id, Action::ManageMembers, action, target).await?;
    let mut tx = db::write(&state.db).await?;
    let user = db::users::by_id(&mut tx, &req.user_id)
        .await?
        .ok_or_else(|| AppError::field("user_id", "unknown_user", Say::NoUserWithId.text()))?;
    let existing = db::projects::member(&mut tx, &id, &req.user_id).await?;
    // Changing an existing membership is a change like any other; adding one is a create.
    if let Some(current) = &existing {
        concurrency::check(concurrency::if_match(&headers)?, current.version)?;
    }
    let now = db::now();
    db::projects::put_member(&mut tx, &id, &req.user_id, req.role, &now).await?;
    let detail = match existing.and_then(|m| m.role()) {
        Some(old) => format!("{}: {old} → {}", user.username, req.role),
        None => format!("{} added as {}", user.username, req.role),
    };
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    let member = db::projects::member(&mut tx, &id, &req.user_id)
        .await?
        .and_then(|m| m.to_api())
        .ok_or_else(member_not_found)?;
    tx.commit().await?;
    Ok((concurrency::etag(member.version), Json(member)).into_response())
}

#[utoipa::path(
    delete,
    path = "/projects/{id}/members/{user_id}",
    tag = "projects",
    summary = "Remove a member (project admins)",
    params(("id" = String, Path, description = "Project id"), ("user_id" = String, Path, description = "User id"), ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 204, description = "Removed"), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, user_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let action = "project.member.delete";
    let target = Target::in_project("user", Some(&user_id), &id);
    authorize(&state, &actor, &id, Action::ManageMembers, action, target).await?;
    let expected = concurrency::if_match(&headers)?;
    let mut tx = db::write(&state.db).await?;
    let current = db::projects::member(&mut tx, &id, &user_id)
        .await?
        .ok_or_else(member_not_found)?;
    concurrency::check(expected, current.version)?;
    let now = db::now();
    db::projects::remove_member(&mut tx, &id, &user_id).await?;
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, current.username.clone()),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
