//! Bootstrap keys: one per operation, single use, valid one hour, stored hashed. The console
//! sees the key once (when it is issued) inside the ready command line.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byoc_core::access::Action;
use byoc_core::api::{BootstrapGuide, BootstrapKey, Problem};
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::lifecycle::toolkit::{
    command_line, key_expires_at, key_state, policy_operation, prepare_lines, KEY_PLACEHOLDER,
    KEY_PREFIX,
};
use chrono::Utc;

use super::{access, authorize, with_etag};
use crate::audit::Target;
use crate::auth::{secrets, Actor};
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::db::bootstrap_keys::KeyRow;
use crate::db::deployments::DeploymentRow;
use crate::error::AppError;
use crate::no_store::no_store;
use crate::state::AppState;

fn describe(
    state: &AppState,
    row: &DeploymentRow,
    key: &KeyRow,
    secret: Option<String>,
) -> BootstrapGuide {
    let operation = Operation::parse(&key.operation).unwrap_or(Operation::Create);
    let endpoint = state.config.public_url();
    let command = |k: &str| command_line(operation, row.cloud(), &endpoint, k, &row.domain);
    BootstrapGuide {
        operation,
        policy_operation: policy_operation(operation).code().to_owned(),
        command_template: command(KEY_PLACEHOLDER),
        prepare: prepare_lines(row.cloud(), &endpoint),
        issued_at: key.issued_at,
        expires_at: key.expires_at,
        key_state: key_state(key.issued_at, key.used_at.is_some(), Utc::now())
            .code()
            .to_owned(),
        key: secret.map(|k| BootstrapKey {
            command: command(&k),
            key: k,
        }),
    }
}

/// Issues (or replaces) the key for `operation` and returns the guide holding it.
pub async fn issue_key(
    conn: &mut impl crate::db::Connect,
    state: &AppState,
    row: &DeploymentRow,
    operation: Operation,
    now: &crate::db::Stamp,
) -> Result<BootstrapGuide, AppError> {
    let secret = secrets::new_secret(KEY_PREFIX).map_err(AppError::internal)?;
    let expires_at = db::stamp(key_expires_at(now.time()));
    db::bootstrap_keys::put_key(
        conn,
        &row.id,
        operation,
        &secrets::digest(&secret),
        now,
        &expires_at,
    )
    .await?;
    let key = db::bootstrap_keys::key_of(conn, &row.id)
        .await?
        .ok_or_else(|| AppError::internal("bootstrap key vanished"))?;
    Ok(describe(state, row, &key, Some(secret)))
}

fn no_operation() -> AppError {
    AppError::NotFound {
        detail: crate::lang::Say::NoOperationWaiting.text(),
    }
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/bootstrap",
    tag = "deployments",
    summary = "The bootstrap guide of the operation waiting for the toolkit (the key itself is shown only when issued)",
    params(("id" = String, Path, description = "Deployment id")),
    responses((status = 200, description = "The guide", body = BootstrapGuide),
              (status = 404, description = "No such deployment, or no operation waiting", body = Problem, content_type = "application/problem+json"))
)]
pub async fn guide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (row, _) = access(&state, &actor, &id).await?;
    if row.state().awaited_operation().is_none() {
        return Err(no_operation());
    }
    let mut conn = state.db.acquire().await?;
    let key = db::bootstrap_keys::key_of(&mut conn, &id)
        .await?
        .ok_or_else(no_operation)?;
    Ok(with_etag(
        StatusCode::OK,
        describe(&state, &row, &key, None),
        row.version,
    ))
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/bootstrap",
    tag = "deployments",
    summary = "Regenerate the bootstrap key (editors); the previous key stops working at once",
    params(("id" = String, Path, description = "Deployment id"),
           ("If-Match" = String, Header, description = "The deployment's version the guide was shown with, e.g. \"3\"")),
    responses((status = 200, description = "The guide with the new key and command", body = BootstrapGuide),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment, or no operation waiting", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version (the deployment moved on)", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn regenerate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let action = "deployment.bootstrap_key";
    authorize(&state, &actor, &id, Action::OperateDeployments, action).await?;
    // Based on the guide the user saw: a key for an operation that has since changed (another
    // tab stopped or retried it) is not issued by mistake.
    let expected = concurrency::if_match(&headers)?;
    let mut tx = db::write(&state.db).await?;
    let row = db::deployments::by_id(&mut tx, &id)
        .await?
        .ok_or_else(super::not_found)?;
    concurrency::check(expected, row.version)?;
    let operation = row.state().awaited_operation().ok_or_else(no_operation)?;
    let now = db::now();
    let guide = issue_key(&mut tx, &state, &row, operation, &now).await?;
    let target = Target::in_project("deployment", Some(&id), &row.project_id);
    let detail = format!("new key for {} of {}", operation.code(), row.name);
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(no_store(with_etag(StatusCode::OK, guide, row.version)))
}
