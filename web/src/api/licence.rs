//! The licence in force, installing a new one (owners), the vendor public key the console
//! verifies licences with before uploading them, and the history of installed licences.

use byoc_core::api::{InstallLicenceRequest, LicenceRecord, LicenceView};
use gloo_net::http::Method;

use super::client::{get_all, get_json, get_text, send_json, Preconditions};
use super::ApiError;

const PATH: &str = "/api/v1/licence";

pub async fn get() -> Result<LicenceView, ApiError> {
    get_json(PATH).await
}

/// The vendor's public key (PEM), or `None` when the control plane has none configured (404).
pub async fn public_key() -> Result<Option<String>, ApiError> {
    match get_text(&format!("{PATH}/public-key"), "application/x-pem-file").await {
        Ok(pem) => Ok(Some(pem)),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Installed licences, newest first.
pub async fn history() -> Result<Vec<LicenceRecord>, ApiError> {
    get_all(&format!("{PATH}/history")).await
}

/// Installs a licence line; the server verifies it again. A bad licence is a 422 whose field
/// error (`licence`) names why; no vendor key configured is a 409 `licence_key_not_configured`.
/// `version` is that of the licence view the page showed (`LicenceView::version`): if another
/// owner installed one since, the server refuses (412) rather than replace it unseen.
pub async fn install(line: &str, version: i64) -> Result<LicenceView, ApiError> {
    let request = InstallLicenceRequest {
        licence: line.to_owned(),
    };
    send_json(
        Method::PUT,
        PATH,
        Some(&request),
        Preconditions::version(version),
    )
    .await
}
