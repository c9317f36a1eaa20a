//! `GET /api/v1/catalog`: clouds and their regions (SPEC §2), straight from `core`.

use axum::Json;
use byoc_core::api::Catalog;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(catalog))
}

#[utoipa::path(
    get,
    path = "/catalog",
    tag = "catalog",
    summary = "Clouds and their regions",
    responses((status = 200, description = "The catalog", body = Catalog))
)]
pub async fn catalog() -> Json<Catalog> {
    Json(byoc_core::catalog::catalog())
}
