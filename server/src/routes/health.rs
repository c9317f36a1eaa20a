//! `/healthz` (the process is up) and `/readyz` (it can serve: the database answers).

use axum::extract::State;
use axum::Json;
use byoc_core::api::Health;
use byoc_core::api::Problem;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

fn health(status: &str) -> Json<Health> {
    Json(Health {
        status: status.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    summary = "The process is up",
    responses((status = 200, description = "Up", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    health("ok")
}

#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    summary = "The database answers",
    responses((status = 200, description = "Ready", body = Health), (status = 503, description = "Database not answering", body = Problem, content_type = "application/problem+json"))
)]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    match crate::db::ping(&state.db).await {
        Ok(()) => Ok(health("ready")),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            Err(AppError::Unavailable {
                detail: crate::lang::Say::DatabaseDown.text(),
            })
        }
    }
}
