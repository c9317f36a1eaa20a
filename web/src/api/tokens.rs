//! The caller's own API tokens.

use byoc_core::api::{ApiToken, CreateTokenRequest, CreatedToken};
use gloo_net::http::Method;

use super::client::{get_all, segment, send_json, send_no_content, Preconditions, NO_BODY};
use super::ApiError;

const PATH: &str = "/api/v1/tokens";

pub async fn list() -> Result<Vec<ApiToken>, ApiError> {
    get_all(PATH).await
}

/// The answer holds the secret, which the server shows this once.
pub async fn create(
    request: &CreateTokenRequest,
    idempotency_key: &str,
) -> Result<CreatedToken, ApiError> {
    send_json(
        Method::POST,
        PATH,
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

pub async fn revoke(id: &str) -> Result<(), ApiError> {
    send_no_content(
        Method::DELETE,
        &format!("{PATH}/{}", segment(id)),
        NO_BODY,
        Preconditions::default(),
    )
    .await
}
