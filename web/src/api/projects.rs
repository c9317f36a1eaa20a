//! Projects and their members.

use byoc_core::api::{
    CreateProjectRequest, Member, Project, PutMemberRequest, UpdateProjectRequest,
};
use gloo_net::http::Method;

use super::client::{
    get_all, get_json, segment, send_json, send_no_content, Preconditions, NO_BODY,
};
use super::ApiError;

const PATH: &str = "/api/v1/projects";

fn project_path(id: &str) -> String {
    format!("{PATH}/{}", segment(id))
}

/// The caller's projects (every project for an owner).
pub async fn list() -> Result<Vec<Project>, ApiError> {
    get_all(PATH).await
}

pub async fn get(id: &str) -> Result<Project, ApiError> {
    get_json(&project_path(id)).await
}

pub async fn create(
    request: &CreateProjectRequest,
    idempotency_key: &str,
) -> Result<Project, ApiError> {
    send_json(
        Method::POST,
        PATH,
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

pub async fn update(
    id: &str,
    version: i64,
    request: &UpdateProjectRequest,
) -> Result<Project, ApiError> {
    send_json(
        Method::PATCH,
        &project_path(id),
        Some(request),
        Preconditions::version(version),
    )
    .await
}

/// Deletes an empty project; one that still holds deployments is a 409.
pub async fn remove(id: &str, version: i64) -> Result<(), ApiError> {
    send_no_content(
        Method::DELETE,
        &project_path(id),
        NO_BODY,
        Preconditions::version(version),
    )
    .await
}

pub async fn members(project_id: &str) -> Result<Vec<Member>, ApiError> {
    get_all(&format!("{}/members", project_path(project_id))).await
}

/// Adds a member or changes their role. `version` is the membership's when it already exists.
pub async fn put_member(
    project_id: &str,
    request: &PutMemberRequest,
    version: Option<i64>,
) -> Result<Member, ApiError> {
    let pre = Preconditions {
        if_match: version,
        idempotency_key: None,
    };
    send_json(
        Method::PUT,
        &format!("{}/members", project_path(project_id)),
        Some(request),
        pre,
    )
    .await
}

pub async fn remove_member(project_id: &str, user_id: &str, version: i64) -> Result<(), ApiError> {
    send_no_content(
        Method::DELETE,
        &format!("{}/members/{}", project_path(project_id), segment(user_id)),
        NO_BODY,
        Preconditions::version(version),
    )
    .await
}
