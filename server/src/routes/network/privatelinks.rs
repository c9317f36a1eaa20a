//! `/api/v1/deployments/{id}/privatelinks[/{lid}]`: PrivateLinks of a running deployment to the
//! customer's endpoint services, one per service. A new link waits for the customer to allow
//! it; a running one can be deleted, a failed one dismissed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use byoc_core::access::Action as Permission;
use byoc_core::api::ProblemCode;
use byoc_core::api::{CreatePrivateLinkRequest, PrivateLink, PrivateLinkPage, Problem};
use std::future::Future;

use byoc_core::lifecycle::privatelink::{self, apply, Event, PrivateLinkAction, TransitionError};
use byoc_core::network::validate_privatelink;

use serde::Serialize;

use super::{
    change, invalid, must_be_running, network_of, not_allowed, principal, Page, UserChange,
};
use crate::audit::Target;
use crate::auth::Actor;
use crate::db;
use crate::db::audit::Outcome;
use crate::db::deployments::DeploymentRow;
use crate::db::network::PrivateLinkRow;
use crate::error::{ApiJson, ApiQuery, AppError};
use crate::idempotency::Idempotent;
use crate::lang::Say;
use crate::routes::deployments::{self, access, authorize, with_etag};
use crate::state::AppState;

fn not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NoSuchLink.text(),
    }
}

pub fn refused(e: TransitionError) -> AppError {
    let TransitionError::NotAllowed { allowed, .. } = &e;
    not_allowed(
        &e.message(crate::lang::current()),
        allowed.iter().map(|a| a.code().to_owned()).collect(),
    )
}

/// The link as the console shows it: with the principal to whitelist and the zone.
pub fn answer(row: &PrivateLinkRow, deployment: &DeploymentRow) -> PrivateLink {
    row.to_api(principal(deployment), deployment.zone.clone())
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/privatelinks",
    operation_id = "list_privatelinks",
    tag = "network",
    summary = "The deployment's PrivateLinks (removed ones are not listed), with the principal to whitelist and the zone",
    params(("id" = String, Path, description = "Deployment id"), Page),
    responses((status = 200, description = "A page, oldest first", body = PrivateLinkPage),
              (status = 404, description = "No such deployment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<PrivateLinkPage>, AppError> {
    let (deployment, _) = access(&state, &actor, &id).await?;
    let (offset, limit) = page.window()?;
    let mut conn = state.db.acquire().await?;
    let (rows, total) = db::network::list::<PrivateLinkRow>(&mut conn, &id, offset, limit).await?;
    Ok(Json(PrivateLinkPage {
        next_cursor: Page::next_cursor(offset, rows.len(), total),
        items: rows.iter().map(|r| answer(r, &deployment)).collect(),
        total,
        network: network_of(&deployment),
    }))
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/privatelinks",
    operation_id = "create_privatelink",
    tag = "network",
    summary = "Create a PrivateLink to an endpoint service (editors; the deployment must be running); then allow the connection on the provider side",
    params(("id" = String, Path, description = "Deployment id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    request_body = CreatePrivateLinkRequest,
    responses((status = 201, description = "Created: pending_acceptance until the customer allows it; ETag is its version", body = PrivateLink),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "deployment_not_running, or privatelink_exists (one link per endpoint service)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid fields, e.g. id_prefix, id_length or id_region (the service must be in the deployment's region)", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreatePrivateLinkRequest>,
) -> Result<Response, AppError> {
    let action = "privatelink.create";
    authorize(&state, &actor, &id, Permission::ManageNetwork, action).await?;
    let idempotent = Idempotent::new(
        &headers,
        &actor.user_id,
        &format!("POST /deployments/{id}/privatelinks"),
        &req,
    )?;
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    let deployment = db::deployments::by_id(&mut tx, &id)
        .await?
        .ok_or_else(deployments::not_found)?;
    must_be_running(&deployment)?;
    let spec = validate_privatelink(deployment.cloud(), &deployment.region, &req)
        .map_err(|e| invalid(&e))?;
    if let Some(existing) =
        db::network::privatelink_by_service(&mut tx, &id, spec.service.key()).await?
    {
        let say = if existing
            .state()
            .allowed_actions()
            .contains(&PrivateLinkAction::Dismiss)
        {
            Say::LinkExistsDismiss
        } else {
            Say::LinkExists
        };
        return Err(AppError::Conflict {
            code: ProblemCode::PrivatelinkExists,
            detail: say.with(&[
                ("service", &existing.service_id),
                ("status", &existing.status),
            ]),
        });
    }
    let now = db::now();
    let row =
        db::network::insert_privatelink(&mut tx, &id, deployment.cloud(), &spec, &now).await?;
    let target = Target::in_project("privatelink", Some(&row.id), &deployment.project_id);
    let detail = format!("{} on {}", row.service_id, deployment.name);
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    let body = answer(&row, &deployment);
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &body, &now)
        .await?;
    tx.commit().await?;
    Ok(with_etag(StatusCode::CREATED, body, row.version))
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/privatelinks/{lid}",
    operation_id = "get_privatelink",
    tag = "network",
    summary = "One PrivateLink: status, and once running its endpoint domain and address",
    params(("id" = String, Path, description = "Deployment id"), ("lid" = String, Path, description = "PrivateLink id")),
    responses((status = 200, description = "The link; ETag is its version", body = PrivateLink),
              (status = 404, description = "No such deployment or link, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, lid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (deployment, _) = access(&state, &actor, &id).await?;
    let mut conn = state.db.acquire().await?;
    let row = db::network::by_id::<PrivateLinkRow>(&mut conn, &id, &lid)
        .await?
        .ok_or_else(not_found)?;
    Ok(with_etag(
        StatusCode::OK,
        answer(&row, &deployment),
        row.version,
    ))
}

#[utoipa::path(
    delete,
    path = "/deployments/{id}/privatelinks/{lid}",
    operation_id = "delete_privatelink",
    tag = "network",
    summary = "Delete a running PrivateLink (editors). Delete it here before deleting the endpoint service, and only when nothing uses it",
    params(("id" = String, Path, description = "Deployment id"), ("lid" = String, Path, description = "PrivateLink id"),
           ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 200, description = "Deleting until the agent removed the endpoint", body = PrivateLink),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment or link", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "action_not_allowed: only a running link can be deleted", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, lid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    change::<PrivateLinkRow>(
        &state,
        &actor,
        (&id, &lid),
        &headers,
        PrivateLinkAction::Delete,
    )
    .await
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/privatelinks/{lid}/dismiss",
    operation_id = "dismiss_privatelink",
    tag = "network",
    summary = "Dismiss a failed PrivateLink (editors): removed at once, freeing its endpoint service for a new link",
    params(("id" = String, Path, description = "Deployment id"), ("lid" = String, Path, description = "PrivateLink id"),
           ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 200, description = "Removed", body = PrivateLink),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment or link", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "action_not_allowed: only a failed link can be dismissed", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn dismiss(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, lid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    change::<PrivateLinkRow>(
        &state,
        &actor,
        (&id, &lid),
        &headers,
        PrivateLinkAction::Dismiss,
    )
    .await
}

impl UserChange for PrivateLinkRow {
    type Action = PrivateLinkAction;
    type Next = privatelink::State;
    const KIND: &'static str = "privatelink";

    fn action_code(action: PrivateLinkAction) -> &'static str {
        action.code()
    }

    fn not_found() -> AppError {
        not_found()
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn status_code(&self) -> &str {
        &self.status
    }

    fn label(&self) -> String {
        self.service_id.clone()
    }

    fn next(
        &self,
        action: PrivateLinkAction,
    ) -> Result<(privatelink::State, &'static str), AppError> {
        let next = apply(&self.state(), &Event::User(action)).map_err(refused)?;
        let code = next.status.code();
        Ok((next, code))
    }

    fn save<'a>(
        conn: &'a mut db::WriteTx,
        id: &'a str,
        version: i64,
        next: &'a privatelink::State,
        now: &'a db::Stamp,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send + 'a {
        db::network::set_privatelink_state(conn, id, version, next, now)
    }

    fn answer(&self, deployment: &DeploymentRow) -> impl Serialize {
        answer(self, deployment)
    }
}
