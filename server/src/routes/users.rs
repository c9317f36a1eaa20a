//! `/api/v1/users`: the organisation's users, managed by owners.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::{can, validate_password, Action, OrgRole, Username};
use byoc_core::api::Problem;
use byoc_core::api::ProblemCode;
use byoc_core::api::{CreateUserRequest, Page, UpdateUserRequest, User};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Target};
use crate::auth::{password, Actor};
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::idempotency::Idempotent;
use crate::lang::{current, Say};
use crate::state::AppState;
use byoc_core::api::Refusal;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, remove, one))
}

fn owners_only() -> AppError {
    AppError::Forbidden {
        code: ProblemCode::Forbidden,
        detail: Say::OwnersManageUsers.text(),
    }
}

/// Owners only; a refused change is recorded.
async fn require_owner(
    state: &AppState,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
) -> Result<(), AppError> {
    if can(actor.org_role, None, Action::ManageUsers) {
        Ok(())
    } else {
        Err(audit::deny(&state.db, actor, action, target, owners_only()).await)
    }
}

#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    summary = "All users (owners)",
    responses((status = 200, description = "Users", body = Page<User>), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Page<User>>, AppError> {
    if !can(actor.org_role, None, Action::ManageUsers) {
        return Err(owners_only());
    }
    let mut conn = state.db.acquire().await?;
    let items = db::users::list(&mut conn)
        .await?
        .iter()
        .map(db::users::UserRow::to_api)
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    summary = "One user",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The user; ETag is its version", body = User), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !can(actor.org_role, None, Action::ManageUsers) && actor.user_id != id {
        return Err(owners_only());
    }
    let mut conn = state.db.acquire().await?;
    let user = db::users::by_id(&mut conn, &id)
        .await?
        .ok_or_else(not_found)?;
    Ok((concurrency::etag(user.version), Json(user.to_api())).into_response())
}

fn not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NoSuchUser.text(),
    }
}

#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    summary = "Create a user (owners)",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    request_body = CreateUserRequest,
    responses((status = 201, description = "Created", body = User), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<Response, AppError> {
    let action = "user.create";
    require_owner(&state, &actor, action, Target::new("user", None)).await?;
    let username = Username::parse(req.username.trim())
        .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?;
    validate_password(&req.password, username.as_str())
        .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?;
    let idempotent = Idempotent::new(&headers, &actor.user_id, "POST /users", &req)?;
    // Hashed before the writers' turn is taken: argon2 is the slowest step by far.
    let new_password = req.password.clone();
    let password_hash = crate::blocking::run(&state, move || password::hash(&new_password))
        .await?
        .map_err(AppError::internal)?;
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    if db::users::by_username(&mut tx, username.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            code: ProblemCode::UsernameTaken,
            detail: Say::UsernameTaken.with(&[("name", &username.as_str())]),
        });
    }
    let now = db::now();
    let user = db::users::insert(
        &mut tx,
        username.as_str(),
        &password_hash,
        req.org_role,
        &now,
    )
    .await?
    .to_api();
    let detail = format!("{} as {}", user.username, user.org_role);
    db::audit::record(
        &mut tx,
        &actor.record(
            action,
            Target::new("user", Some(&user.id)),
            Outcome::Success,
            detail,
        ),
        &now,
    )
    .await?;
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &user, &now)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        concurrency::etag(user.version),
        Json(user),
    )
        .into_response())
}

#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    summary = "Change a role or reset a password (owners)",
    params(("id" = String, Path, description = "User id"), ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    request_body = UpdateUserRequest,
    responses((status = 200, description = "Changed", body = User), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<UpdateUserRequest>,
) -> Result<Response, AppError> {
    let action = "user.update";
    require_owner(&state, &actor, action, Target::new("user", Some(&id))).await?;
    let expected = concurrency::if_match(&headers)?;
    // Hashed before the writers' turn is taken: argon2 is the slowest step by far. The password
    // rules that need the username are checked below, before anything is written.
    let new_password = req.password.clone();
    let hash = crate::blocking::run(&state, move || new_password.as_deref().map(password::hash))
        .await?
        .transpose()
        .map_err(AppError::internal)?;
    let mut tx = db::write(&state.db).await?;
    let user = db::users::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    concurrency::check(expected, user.version)?;
    if let Some(pw) = &req.password {
        validate_password(pw, &user.username)
            .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?;
    }
    if user.org_role.0 == OrgRole::Owner
        && req.org_role == Some(OrgRole::Member)
        && db::users::owner_count(&mut tx).await? <= 1
    {
        return Err(AppError::Conflict {
            code: ProblemCode::LastOwner,
            detail: Refusal::LastOwner.text(current()).to_owned(),
        });
    }
    let now = db::now();
    db::users::update(&mut tx, &id, req.org_role, hash.as_deref(), &now).await?;
    if hash.is_some() {
        // A reset means the old password may be in the wrong hands, and whoever held it may have
        // made tokens with it: every session and token of that user ends.
        db::sessions::delete_for_user(&mut tx, &id, None).await?;
        db::tokens::revoke_for_user(&mut tx, &id, &now).await?;
    }
    let mut changes = Vec::new();
    if let Some(role) = req.org_role {
        changes.push(format!("org_role={role}"));
    }
    if hash.is_some() {
        changes.push("password reset (sessions and tokens ended)".to_owned());
    }
    db::audit::record(
        &mut tx,
        &actor.record(
            action,
            Target::new("user", Some(&id)),
            Outcome::Success,
            changes.join(", "),
        ),
        &now,
    )
    .await?;
    let updated = db::users::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?
        .to_api();
    tx.commit().await?;
    Ok((concurrency::etag(updated.version), Json(updated)).into_response())
}

#[utoipa::path(
    delete,
    path = "/users/{id}",
    tag = "users",
    summary = "Remove a user (owners)",
    params(("id" = String, Path, description = "User id"), ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 204, description = "Removed"), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let action = "user.delete";
    require_owner(&state, &actor, action, Target::new("user", Some(&id))).await?;
    let expected = concurrency::if_match(&headers)?;
    if id == actor.user_id {
        return Err(AppError::Conflict {
            code: ProblemCode::CannotDeleteSelf,
            detail: Say::CannotRemoveSelf.text(),
        });
    }
    let mut tx = db::write(&state.db).await?;
    let user = db::users::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    concurrency::check(expected, user.version)?;
    if user.org_role.0 == OrgRole::Owner && db::users::owner_count(&mut tx).await? <= 1 {
        return Err(AppError::Conflict {
            code: ProblemCode::LastOwner,
            detail: Say::LastOwnerRemoved.text(),
        });
    }
    let now = db::now();
    db::users::delete(&mut tx, &id).await?;
    db::audit::record(
        &mut tx,
        &actor.record(
            action,
            Target::new("user", Some(&id)),
            Outcome::Success,
            user.username.clone(),
        ),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
