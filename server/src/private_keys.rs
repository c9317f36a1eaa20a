//! Private keys never reach the control plane (SPEC §5): any API or agent request whose body holds
//! a `PRIVATE KEY` PEM block is refused before a handler sees it, and nothing of it is stored or
//! logged. The console checks keys in the browser; only public certificates are ever sent.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Bodies larger than this are refused outright (the largest legitimate body, a certificate chain,
/// is a few KiB; TLS inputs are capped at 1 MiB by `core::tls`).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub async fn refuse_private_keys(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let guarded = path.starts_with("/api/") || path.starts_with("/agent/");
    let has_body = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH
    );
    if !(guarded && has_body) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return AppError::PayloadTooLarge {
                max_bytes: MAX_BODY_BYTES,
            }
            .into_response();
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    // Also catch a key sent form-encoded ("BEGIN+PRIVATE+KEY", "BEGIN%20PRIVATE%20KEY").
    let unescaped = text.replace(['+'], " ").replace("%20", " ");
    if byoc_core::tls::contains_private_key(&text)
        || byoc_core::tls::contains_private_key(&unescaped)
    {
        tracing::warn!(
            path = parts.uri.path(),
            "refused a request body holding a private key"
        );
        return AppError::Invalid {
            code: "private_key_refused",
            detail: "The request contains a private key. Private keys stay on your machine: the console checks them \
                     in your browser and the toolkit reads them in the bootstrap environment. Send only the \
                     certificate chain."
                .into(),
            errors: Vec::new(),
        }
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
