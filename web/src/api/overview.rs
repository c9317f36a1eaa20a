//! The Overview page's one request: counts, attention lists and recent activity, all computed by
//! the control plane (so the console never downloads lists to count them).

use byoc_core::api::Overview;

use super::client::get_json;
use super::ApiError;

pub async fn get() -> Result<Overview, ApiError> {
    get_json("/api/v1/overview").await
}
