//! `/api/v1/projects`: projects, visible to their members (and every owner).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::{can, Action, ProjectDescription, ProjectName};
use byoc_core::api::Problem;
use byoc_core::api::ProblemCode;
use byoc_core::api::{CreateProjectRequest, Page, Project, UpdateProjectRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Target};
use crate::auth::{Actor, ProjectAccess};
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::idempotency::Idempotent;
use crate::lang::{current, Say};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, update, remove))
}

fn invalid(e: byoc_core::access::ValidationError) -> AppError {
    AppError::field(e.field(), e.code(), e.message(current()))
}

pub fn not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NoSuchProject.text(),
    }
}

/// The project and the caller's role in it. Outsiders get 404, so they cannot even learn that a
/// project exists.
pub async fn access(
    state: &AppState,
    actor: &Actor,
    project_id: &str,
) -> Result<ProjectAccess, AppError> {
    let mut conn = state.db.acquire().await?;
    let standing = db::projects::standing(&mut conn, project_id, &actor.user_id)
        .await?
        .ok_or_else(not_found)?;
    if !can(actor.org_role, standing.role, Action::ReadProject) {
        return Err(not_found());
    }
    Ok(ProjectAccess {
        project: standing.project,
        role: standing.role,
        changes: standing.changes,
        epoch: standing.epoch,
    })
}

/// Like [`access`], for a change needing `action`: refusals (including "not found" for an
/// outsider) are recorded in the audit log.
pub async fn authorize(
    state: &AppState,
    actor: &Actor,
    project_id: &str,
    action: Action,
    audit_action: &str,
    target: Target<'_>,
) -> Result<ProjectAccess, AppError> {
    let found = match access(state, actor, project_id).await {
        Ok(found) => found,
        Err(AppError::NotFound { detail }) => {
            return Err(audit::deny(
                &state.db,
                actor,
                audit_action,
                target,
                AppError::NotFound { detail },
            )
            .await)
        }
        Err(e) => return Err(e),
    };
    if !can(actor.org_role, found.role, action) {
        let refusal = AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: Say::RoleForbidsThis.text(),
        };
        return Err(audit::deny(&state.db, actor, audit_action, target, refusal).await);
    }
    Ok(found)
}

#[utoipa::path(
    get,
    path = "/projects",
    tag = "projects",
    summary = "Projects you can see",
    responses((status = 200, description = "Projects", body = Page<Project>), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Page<Project>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows = db::projects::list(&mut conn, &actor.user_id, !actor.is_owner()).await?;
    let items = rows
        .iter()
        .map(|(p, role)| p.to_api(role.as_deref().and_then(|r| r.parse().ok())))
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

#[utoipa::path(
    get,
    path = "/projects/{id}",
    tag = "projects",
    summary = "One project",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project; ETag is its version", body = Project), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let found = access(&state, &actor, &id).await?;
    Ok((
        concurrency::etag(found.project.version),
        Json(found.project.to_api(found.role)),
    )
        .into_response())
}

#[utoipa::path(
    post,
    path = "/projects",
    tag = "projects",
    summary = "Create a project (owners)",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    request_body = CreateProjectRequest,
    responses((status = 201, description = "Created", body = Project), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateProjectRequest>,
) -> Result<Response, AppError> {
    let action = "project.create";
    if !can(actor.org_role, None, Action::CreateProject) {
        let refusal = AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: Say::OwnersCreateProjects.text(),
        };
        return Err(audit::deny(
            &state.db,
            &actor,
            action,
            Target::new("project", None),
            refusal,
        )
        .await);
    }
    let name = ProjectName::parse(&req.name).map_err(invalid)?;
    let description = ProjectDescription::parse(req.description.as_deref().unwrap_or_default())
        .map_err(invalid)?;
    let idempotent = Idempotent::new(&headers, &actor.user_id, "POST /projects", &req)?;
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    if db::projects::name_taken(&mut tx, name.as_str(), None).await? {
        return Err(name_taken(name.as_str()));
    }
    let now = db::now();
    let row = db::projects::insert(&mut tx, name.as_str(), description.as_str(), &now).await?;
    let project = row.to_api(None);
    let target = Target::in_project("project", Some(&project.id), &project.id);
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, project.name.clone()),
        &now,
    )
    .await?;
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &project, &now)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        concurrency::etag(project.version),
        Json(project),
    )
        .into_response())
}

fn name_taken(name: &str) -> AppError {
    AppError::Conflict {
        code: ProblemCode::NameTaken,
        detail: Say::ProjectNameTaken.with(&[("name", &name)]),
    }
}

#[utoipa::path(
    patch,
    path = "/projects/{id}",
    tag = "projects",
    summary = "Rename or describe a project (project admins)",
    params(("id" = String, Path, description = "Project id"), ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    request_body = UpdateProjectRequest,
    responses((status = 200, description = "Changed", body = Project), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<UpdateProjectRequest>,
) -> Result<Response, AppError> {
    let action = "project.update";
    let target = Target::in_project("project", Some(&id), &id);
    let found = authorize(&state, &actor, &id, Action::ManageProject, action, target).await?;
    let expected = concurrency::if_match(&headers)?;
    let name = req
        .name
        .as_deref()
        .map(ProjectName::parse)
        .transpose()
        .map_err(invalid)?;
    let description = req
        .description
        .as_deref()
        .map(ProjectDescription::parse)
        .transpose()
        .map_err(invalid)?;
    let mut tx = db::write(&state.db).await?;
    let current = db::projects::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    concurrency::check(expected, current.version)?;
    if let Some(name) = &name {
        if db::projects::name_taken(&mut tx, name.as_str(), Some(&id)).await? {
            return Err(name_taken(name.as_str()));
        }
    }
    let now = db::now();
    db::projects::update(
        &mut tx,
        &id,
        name.as_ref().map(ProjectName::as_str),
        description.as_ref().map(ProjectDescription::as_str),
        &now,
    )
    .await?;
    let detail = match &name {
        Some(n) if n.as_str() != current.name => {
            format!("renamed from \"{}\" to \"{}\"", current.name, n.as_str())
        }
        _ => "details changed".to_owned(),
    };
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    let updated = db::projects::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok((
        concurrency::etag(updated.version),
        Json(updated.to_api(found.role)),
    )
        .into_response())
}

#[utoipa::path(
    delete,
    path = "/projects/{id}",
    tag = "projects",
    summary = "Delete an empty project (project admins)",
    params(("id" = String, Path, description = "Project id"), ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 204, description = "Deleted"), (status = 403, description = "Not allowed (or X-Requested-With missing on a cookie-authenticated change)", body = Problem, content_type = "application/problem+json"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"), (status = 409, description = "Conflicts with the current state", body = Problem, content_type = "application/problem+json"), (status = 412, description = "If-Match names an older version; current_version tells the latest", body = Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let action = "project.delete";
    let target = Target::in_project("project", Some(&id), &id);
    authorize(&state, &actor, &id, Action::ManageProject, action, target).await?;
    let expected = concurrency::if_match(&headers)?;
    let mut tx = db::write(&state.db).await?;
    let current = db::projects::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    concurrency::check(expected, current.version)?;
    // Deployments must be deleted first (their cloud resources live on otherwise); deleted ones
    // and the members go with the project.
    let remaining = db::deployments::count_in_project(&mut tx, &id).await?;
    if remaining > 0 {
        return Err(AppError::Conflict {
            code: ProblemCode::ProjectNotEmpty,
            detail: Say::ProjectNotEmpty.with(&[("count", &remaining)]),
        });
    }
    let now = db::now();
    db::projects::delete(&mut tx, &id).await?;
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, current.name.clone()),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
