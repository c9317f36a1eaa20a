//! Deployments of a project, their lifecycle actions and bootstrap guides (SPEC §7, §9).

use byoc_core::api::{
    BootstrapGuide, CreateDeploymentRequest, Deployment, DeploymentAvailability, DeploymentChange,
    DeploymentPage, DEPLOYMENTS_PAGE,
};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::deployment::{Action, Status};
use gloo_net::http::Method;

use super::client::{get_json, query, segment, send_json, Preconditions, NO_BODY};
use super::ApiError;

/// How many deployments a page of the list asks for.
pub const PAGE_SIZE: u32 = DEPLOYMENTS_PAGE.default;
/// The most the server answers in one page.
pub const MAX_PAGE_SIZE: u32 = DEPLOYMENTS_PAGE.max;

fn project_path(project_id: &str) -> String {
    format!("/api/v1/projects/{}/deployments", segment(project_id))
}

fn deployment_path(id: &str) -> String {
    format!("/api/v1/deployments/{}", segment(id))
}

/// The list's orders: core's, which the server sorts by.
pub use byoc_core::api::DeploymentSort as Sort;

/// What the list shows: the server filters and sorts, so 10,000 deployments cost one page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentFilter {
    /// Part of the name; empty means any.
    pub name: String,
    pub status: Option<Status>,
    pub cloud: Option<Cloud>,
    pub sort: Sort,
}

impl DeploymentFilter {
    /// Whether anything narrows the list (an empty answer then means "no match", not "none").
    pub fn narrows(&self) -> bool {
        !self.name.trim().is_empty() || self.status.is_some() || self.cloud.is_some()
    }
}

/// One page of the project's deployments matching `filter`, from `cursor` (the previous page's
/// `next_cursor`; `None` for the first), at most `limit` long.
pub async fn page(
    project_id: &str,
    filter: &DeploymentFilter,
    cursor: Option<&str>,
    limit: u32,
) -> Result<DeploymentPage, ApiError> {
    let limit = limit.clamp(1, MAX_PAGE_SIZE).to_string();
    let pairs = [
        ("name", filter.name.trim()),
        ("status", filter.status.map_or("", Status::code)),
        ("cloud", filter.cloud.map_or("", Cloud::code)),
        ("sort", filter.sort.code()),
        ("cursor", cursor.unwrap_or("")),
        ("limit", limit.as_str()),
    ];
    get_json(&format!("{}{}", project_path(project_id), query(&pairs))).await
}

/// Whether `name` is taken in the project, which deployments `vpc_cidr` overlaps, and a free
/// range (the create wizard asks while the user types; it never downloads the list).
pub async fn availability(
    project_id: &str,
    name: &str,
    vpc_cidr: &str,
) -> Result<DeploymentAvailability, ApiError> {
    get_json(&format!(
        "{}/availability{}",
        project_path(project_id),
        query(&[("name", name), ("vpc_cidr", vpc_cidr)])
    ))
    .await
}

/// Creates a deployment; the answer holds the bootstrap key for `byoc create`, shown this once.
/// Invalid fields are a 422 naming each; a licence without room a 409 (`licence_capacity`,
/// `licence_expired`, `licence_not_yet_valid`).
pub async fn create(
    project_id: &str,
    request: &CreateDeploymentRequest,
    idempotency_key: &str,
) -> Result<DeploymentChange, ApiError> {
    send_json(
        Method::POST,
        &project_path(project_id),
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

pub async fn get(id: &str) -> Result<Deployment, ApiError> {
    get_json(&deployment_path(id)).await
}

/// Stop, start, delete, cancel or retry, based on the `version` the user saw (412 when someone
/// changed it since; 409 `action_not_allowed` when the state does not allow it). The answer
/// holds the new operation's bootstrap key (none for a cancel).
pub async fn act(id: &str, action: Action, version: i64) -> Result<DeploymentChange, ApiError> {
    send_json(
        Method::POST,
        &format!("{}/actions/{}", deployment_path(id), action.code()),
        NO_BODY,
        Preconditions::version(version),
    )
    .await
}

/// The guide of the operation waiting for the toolkit, without the key (shown only when
/// issued); `None` when no operation is waiting.
pub async fn bootstrap(id: &str) -> Result<Option<BootstrapGuide>, ApiError> {
    match get_json(&format!("{}/bootstrap", deployment_path(id))).await {
        Ok(guide) => Ok(Some(guide)),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A fresh key for the waiting operation; the previous one stops working at once. `version` is
/// the deployment's version the guide was shown with: if the deployment moved on since (another
/// tab stopped or retried it), the server refuses (412) instead of issuing a key for the wrong
/// operation.
pub async fn regenerate(id: &str, version: i64) -> Result<BootstrapGuide, ApiError> {
    send_json(
        Method::POST,
        &format!("{}/bootstrap", deployment_path(id)),
        NO_BODY,
        Preconditions::version(version),
    )
    .await
}
