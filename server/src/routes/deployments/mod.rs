//! `/api/v1/projects/{id}/deployments` and `/api/v1/deployments/{id}`: deployments of a project,
//! their lifecycle actions and bootstrap keys (SPEC §7). Every rule is core's
//! (`lifecycle::spec::validate`, `lifecycle::deployment::apply`, `licence::check_capacity`);
//! this module checks permissions, persists and audits.

pub mod actions;
pub mod availability;
pub mod bootstrap;
pub mod create;
pub mod list;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::{can, Action};
use byoc_core::api::ProblemCode;
use byoc_core::api::{Deployment, Problem};
use byoc_core::licence::{check_capacity, DeploymentUse};
use byoc_core::lifecycle::deployment::TransitionError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Target};
use crate::auth::{Actor, ProjectAccess};
use crate::concurrency;
use crate::db;
use crate::db::deployments::DeploymentRow;
use crate::error::{sentence, AppError};
use crate::lang::{current, Say};
use crate::licensing::in_force;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list, create::create))
        .routes(routes!(availability::check))
        .routes(routes!(one))
        .routes(routes!(actions::act))
        .routes(routes!(bootstrap::guide, bootstrap::regenerate))
}

pub fn not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NoSuchDeployment.text(),
    }
}

/// The deployment and the caller's standing in its project; outsiders get 404.
pub async fn access(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<(DeploymentRow, ProjectAccess), AppError> {
    let row = {
        let mut conn = state.db.acquire().await?;
        db::deployments::by_id(&mut conn, id)
            .await?
            .ok_or_else(not_found)?
    };
    let project = super::projects::access(state, actor, &row.project_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound { .. } => not_found(),
            other => other,
        })?;
    Ok((row, project))
}

/// Like [`access`], for a change needing `permission`; refusals are audited.
pub async fn authorize(
    state: &AppState,
    actor: &Actor,
    id: &str,
    permission: Action,
    audit_action: &str,
) -> Result<DeploymentRow, AppError> {
    let target = Target::new("deployment", Some(id));
    let (row, project) = match access(state, actor, id).await {
        Ok(found) => found,
        Err(e @ AppError::NotFound { .. }) => {
            return Err(audit::deny(&state.db, actor, audit_action, target, e).await)
        }
        Err(e) => return Err(e),
    };
    if !can(actor.org_role, project.role, permission) {
        let detail = match permission {
            Action::ManageNetwork => Say::RoleForbidsNetworks,
            _ => Say::RoleForbidsOperating,
        };
        let refusal = AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: detail.text(),
        };
        let target = Target::in_project("deployment", Some(id), &row.project_id);
        return Err(audit::deny(&state.db, actor, audit_action, target, refusal).await);
    }
    Ok(row)
}

/// A refused transition: 409, naming what the state allows.
pub fn refused(e: TransitionError) -> AppError {
    match e {
        TransitionError::NotAllowed { ref allowed, .. } => AppError::ActionNotAllowed {
            allowed: allowed.iter().map(|a| a.code().to_owned()).collect(),
            detail: sentence(&e.message(current())),
        },
        other => AppError::Conflict {
            code: other.code(),
            detail: sentence(&other.message(current())),
        },
    }
}

/// Whether `new` fits the licence in force next to every deployment that holds capacity (except
/// `except_id`). Runs inside the change's transaction after its first write, so two requests
/// cannot both take the last of the capacity.
pub async fn check_licence(
    state: &AppState,
    conn: &mut impl crate::db::Connect,
    except_id: Option<&str>,
    new: &DeploymentUse,
) -> Result<(), AppError> {
    let licence = in_force(state, &mut *conn).await?;
    let live = db::deployments::licence_use(conn, except_id).await?;
    check_capacity(&licence.payload, chrono::Utc::now(), &live, new).map_err(|e| {
        AppError::Conflict {
            code: e.code(),
            detail: sentence(&e.message(current())),
        }
    })
}

/// A deployment answer with its version as `ETag`.
pub fn with_etag(
    status: axum::http::StatusCode,
    body: impl serde::Serialize,
    version: i64,
) -> Response {
    (status, concurrency::etag(version), Json(body)).into_response()
}

#[utoipa::path(
    get,
    path = "/deployments/{id}",
    tag = "deployments",
    summary = "One deployment: status, progress, allowed actions, outputs and live figures",
    params(("id" = String, Path, description = "Deployment id")),
    responses((status = 200, description = "The deployment; ETag is its version", body = Deployment),
              (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (row, _) = access(&state, &actor, &id).await?;
    let version = row.version;
    Ok(with_etag(
        axum::http::StatusCode::OK,
        row.into_api(),
        version,
    ))
}
