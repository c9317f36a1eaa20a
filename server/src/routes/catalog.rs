//! `GET /api/v1/catalog`: clouds and their regions (SPEC §2), straight from `core`.

use axum::routing::get;
use axum::{Json, Router};
use byoc_core::api::Catalog;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/catalog", get(catalog))
}

#[utoipa::path(
    get,
    path = "/api/v1/catalog",
    tag = "catalog",
    summary = "Clouds and their regions",
    responses((status = 200, description = "The catalog", body = Catalog))
)]
pub async fn catalog() -> Json<Catalog> {
    Json(byoc_core::catalog::catalog())
}
