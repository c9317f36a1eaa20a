//! `GET /api/v1/projects/{id}/deployments/availability`: what the create wizard asks while the
//! user types a name and a VPC range (the rule is core's `lifecycle::spec::availability`), so the
//! browser never downloads every deployment of a large project.

use axum::extract::{Path, State};
use axum::Json;
use byoc_core::api::{DeploymentAvailability, Problem};
use byoc_core::lifecycle::spec::availability;
use serde::Deserialize;

use crate::auth::Actor;
use crate::db;
use crate::error::{ApiQuery, AppError};
use crate::routes::projects;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Params {
    /// The name being typed.
    name: Option<String>,
    /// The VPC range being typed.
    vpc_cidr: Option<String>,
}

#[utoipa::path(
    get,
    path = "/projects/{id}/deployments/availability",
    tag = "deployments",
    summary = "Whether a name is taken, which deployments a VPC range overlaps, and a free range",
    params(("id" = String, Path, description = "Project id"), Params),
    responses((status = 200, description = "What the project already uses", body = DeploymentAvailability),
              (status = 404, description = "No such project, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn check(
    State(state): State<AppState>,
    actor: Actor,
    Path(project_id): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Json<DeploymentAvailability>, AppError> {
    projects::access(&state, &actor, &project_id).await?;
    let in_use = {
        let mut conn = state.db.acquire().await?;
        db::deployments::ranges_in_use(&mut conn, &project_id).await?
    };
    Ok(Json(availability(
        p.name.as_deref().unwrap_or_default(),
        p.vpc_cidr.as_deref().unwrap_or_default(),
        &in_use,
    )))
}
