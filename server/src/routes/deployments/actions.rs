//! Lifecycle actions: stop, start, delete, cancel and retry, each with `If-Match`. The state
//! machine is core's; a refused action answers 409 with the actions the state allows.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byoc_core::access::Action as Permission;
use byoc_core::api::{DeploymentChange, Problem};
use byoc_core::lifecycle::deployment::{apply, Action, Event, Operation, Status};

use super::bootstrap::issue_key;
use super::{authorize, check_licence, refused, with_etag};
use crate::audit::Target;
use crate::auth::Actor;
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::AppError;
use crate::no_store::no_store;
use crate::state::AppState;

fn parse_action(s: &str) -> Result<Action, AppError> {
    [
        Action::Stop,
        Action::Start,
        Action::Delete,
        Action::Cancel,
        Action::Retry,
    ]
    .into_iter()
    .find(|a| a.code() == s)
    .ok_or_else(|| AppError::NotFound {
        detail: crate::lang::Say::NoSuchAction.with(&[("action", &s)]),
    })
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/actions/{action}",
    tag = "deployments",
    summary = "Stop, start, delete, cancel or retry (editors); the answer holds the bootstrap key of the operation it starts",
    params(("id" = String, Path, description = "Deployment id"),
           ("action" = String, Path, description = "stop, start, delete, cancel or retry"),
           ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 200, description = "Done; waiting for the toolkit (or deleted, for a cancel)", body = DeploymentChange),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment or action", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "action_not_allowed (allowed_actions lists what is), licence_expired or licence_capacity", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn act(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let action = parse_action(&action)?;
    let audit_action = format!("deployment.{}", action.code());
    authorize(
        &state,
        &actor,
        &id,
        Permission::OperateDeployments,
        &audit_action,
    )
    .await?;
    let expected = concurrency::if_match(&headers)?;
    let mut tx = db::write(&state.db).await?;
    let row = db::deployments::by_id(&mut tx, &id)
        .await?
        .ok_or_else(super::not_found)?;
    concurrency::check(expected, row.version)?;
    let next = apply(&row.state(), &Event::User(action)).map_err(refused)?;
    let now = db::now();
    // The conditional write decides a race: of two actions on one version, exactly one lands.
    if !db::deployments::set_state(&mut tx, &id, row.version, &next, None, &now).await? {
        let current = db::deployments::by_id(&mut tx, &id)
            .await?
            .map_or(row.version + 1, |r| r.version);
        return Err(AppError::VersionMismatch { current });
    }
    // A new operation (or a retry of the same one): the toolkit run that was under way, or the
    // agent left running, no longer speaks for the deployment (core::lifecycle::agent_token).
    db::deployments::next_attempt(&mut tx, &id).await?;
    // Starting (or retrying a create or start) takes licence capacity again; stopped and failed
    // deployments keep their nodes' share only while they hold it.
    if matches!(next.operation, Some(Operation::Start | Operation::Create))
        && next.status != Status::Deleted
    {
        check_licence(&state, &mut tx, Some(&id), &row.licence_use()).await?;
    }
    let updated = db::deployments::by_id(&mut tx, &id)
        .await?
        .ok_or_else(super::not_found)?;
    let bootstrap = match next.awaited_operation() {
        Some(op) => Some(issue_key(&mut tx, &state, &updated, op, &now).await?),
        None => {
            db::bootstrap_keys::drop_key(&mut tx, &id).await?;
            db::agent_tokens::drop_agent(&mut tx, &id).await?;
            None
        }
    };
    let target = Target::in_project("deployment", Some(&id), &row.project_id);
    let detail = format!("{}: {} → {}", row.name, row.status, next.status.code());
    db::audit::record(
        &mut tx,
        &actor.record(&audit_action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    let answer = DeploymentChange {
        deployment: updated.to_api(),
        bootstrap,
    };
    // The answer may hold the new operation's bootstrap key.
    Ok(no_store(with_etag(StatusCode::OK, answer, updated.version)))
}
