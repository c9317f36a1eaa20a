//! Signing in and out, who am I, and changing one's own password.

use byoc_core::api::{ChangePasswordRequest, Me, SignInRequest};
use gloo_net::http::Method;

use super::client::{get_json, send_json, send_no_content, Preconditions, NO_BODY};
use super::ApiError;

const PATH: &str = "/api/v1/session";

/// Signs in; the server sets the session cookie. A wrong username or password is a 401
/// `invalid_credentials`; too many recent failures a 429 with the wait in `retry_after`.
pub async fn sign_in(request: &SignInRequest) -> Result<Me, ApiError> {
    send_json(Method::POST, PATH, Some(request), Preconditions::default()).await
}

/// The signed-in user, or `Unauthorized` when there is no session.
pub async fn me() -> Result<Me, ApiError> {
    get_json(PATH).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    send_no_content(Method::DELETE, PATH, NO_BODY, Preconditions::default()).await
}

/// A wrong current password is a 401 `invalid_credentials` (which does not end the session).
pub async fn change_password(request: &ChangePasswordRequest) -> Result<(), ApiError> {
    send_no_content(
        Method::PUT,
        &format!("{PATH}/password"),
        Some(request),
        Preconditions::default(),
    )
    .await
}
