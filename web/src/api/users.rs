//! Users of the organisation (owners only).

use byoc_core::api::{CreateUserRequest, UpdateUserRequest, User};
use gloo_net::http::Method;

use super::client::{get_all, segment, send_json, send_no_content, Preconditions, NO_BODY};
use super::ApiError;

const PATH: &str = "/api/v1/users";

pub async fn list() -> Result<Vec<User>, ApiError> {
    get_all(PATH).await
}

pub async fn create(request: &CreateUserRequest, idempotency_key: &str) -> Result<User, ApiError> {
    send_json(
        Method::POST,
        PATH,
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

/// Changes the role or sets a new password; `version` is the one the owner saw.
pub async fn update(id: &str, version: i64, request: &UpdateUserRequest) -> Result<User, ApiError> {
    send_json(
        Method::PATCH,
        &format!("{PATH}/{}", segment(id)),
        Some(request),
        Preconditions::version(version),
    )
    .await
}

pub async fn remove(id: &str, version: i64) -> Result<(), ApiError> {
    send_no_content(
        Method::DELETE,
        &format!("{PATH}/{}", segment(id)),
        NO_BODY,
        Preconditions::version(version),
    )
    .await
}
