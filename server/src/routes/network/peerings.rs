//! `/api/v1/deployments/{id}/peerings[/{pid}]`: VPC peerings of a running deployment. Creating
//! one records the request for the deployment's agent to accept; deleting an active one asks the
//! agent to take it down; a failed or expired one is dismissed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use byoc_core::access::Action as Permission;
use byoc_core::api::ProblemCode;
use byoc_core::api::{CreatePeeringRequest, Peering, PeeringPage, Problem};
use std::future::Future;

use byoc_core::lifecycle::peering::{
    self, apply, Event, PeeringAction, PeeringStatus, TransitionError,
};
use byoc_core::network::peering::{live_ranges, peering_label};
use byoc_core::network::{validate_peering, LivePeer};

use serde::Serialize;

use super::{
    change, invalid, must_be_running, network_of, not_allowed, vpc_cidr, Page, UserChange,
};
use crate::audit::Target;
use crate::auth::Actor;
use crate::db;
use crate::db::audit::Outcome;
use crate::db::deployments::DeploymentRow;
use crate::db::network::PeeringRow;
use crate::error::{ApiJson, ApiQuery, AppError};
use crate::idempotency::Idempotent;
use crate::lang::Say;
use crate::routes::deployments::{self, access, authorize, with_etag};
use crate::state::AppState;

fn not_found() -> AppError {
    AppError::NotFound {
        detail: Say::NoSuchPeering.text(),
    }
}

pub fn refused(e: TransitionError) -> AppError {
    match &e {
        TransitionError::NotAllowed { allowed, .. } => not_allowed(
            &e.message(crate::lang::current()),
            allowed.iter().map(|a| a.code().to_owned()).collect(),
        ),
        TransitionError::NotYetExpired { .. } => AppError::Conflict {
            code: e.code(),
            detail: crate::error::sentence(&e.message(crate::lang::current())),
        },
    }
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/peerings",
    operation_id = "list_peerings",
    tag = "network",
    summary = "The deployment's VPC peerings (removed ones are not listed), with the deployment's side of the connection",
    params(("id" = String, Path, description = "Deployment id"), Page),
    responses((status = 200, description = "A page, oldest first", body = PeeringPage),
              (status = 404, description = "No such deployment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<PeeringPage>, AppError> {
    let (deployment, _) = access(&state, &actor, &id).await?;
    let (offset, limit) = page.window()?;
    let mut conn = state.db.acquire().await?;
    let (rows, total) = db::network::list::<PeeringRow>(&mut conn, &id, offset, limit).await?;
    Ok(Json(PeeringPage {
        next_cursor: Page::next_cursor(offset, rows.len(), total),
        items: rows.iter().map(PeeringRow::to_api).collect(),
        total,
        network: network_of(&deployment),
    }))
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/peerings",
    operation_id = "create_peering",
    tag = "network",
    summary = "Request a VPC peering (editors; the deployment must be running); the agent accepts it",
    params(("id" = String, Path, description = "Deployment id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    request_body = CreatePeeringRequest,
    responses((status = 201, description = "Requested: pending_acceptance; ETag is its version", body = Peering),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "deployment_not_running, or peering_exists (the same peer network is already peered)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid fields, e.g. cidr_overlaps_deployment or cidr_overlaps_peering (explained with both ranges); errors name each", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreatePeeringRequest>,
) -> Result<Response, AppError> {
    let action = "peering.create";
    authorize(&state, &actor, &id, Permission::ManageNetwork, action).await?;
    let idempotent = Idempotent::new(
        &headers,
        &actor.user_id,
        &format!("POST /deployments/{id}/peerings"),
        &req,
    )?;
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    // Read inside the write transaction: two concurrent requests see each other's peering.
    let deployment = db::deployments::by_id(&mut tx, &id)
        .await?
        .ok_or_else(deployments::not_found)?;
    must_be_running(&deployment)?;
    // Which peerings hold a range, and how they are named, is core's rule (the console's too).
    let rows = db::network::rows_in::<PeeringRow>(&mut tx, &id, &PeeringStatus::ALL).await?;
    let listed: Vec<Peering> = rows.iter().map(PeeringRow::to_api).collect();
    let ranges = live_ranges(&listed);
    let live: Vec<LivePeer<'_>> = ranges
        .iter()
        .map(|(name, cidr)| LivePeer { name, cidr: *cidr })
        .collect();
    let spec = validate_peering(deployment.cloud(), &req, vpc_cidr(&deployment)?, &live)
        .map_err(|e| invalid(&e))?;
    if let Some(existing) = db::network::peering_by_identity(&mut tx, &id, &spec.identity()).await?
    {
        let say = if existing
            .state()
            .allowed_actions()
            .contains(&PeeringAction::Dismiss)
        {
            Say::PeeringExistsDismiss
        } else {
            Say::PeeringExists
        };
        return Err(AppError::Conflict {
            code: ProblemCode::PeeringExists,
            detail: say.with(&[("peer", &spec.identity()), ("status", &existing.status)]),
        });
    }
    let now = db::now();
    let row = db::network::insert_peering(&mut tx, &id, deployment.cloud(), &spec, &now).await?;
    let detail = format!(
        "{} with {} ({}) on {}",
        peering_label(&row.to_api()),
        spec.identity(),
        row.peer_cidr,
        deployment.name
    );
    let target = Target::in_project("peering", Some(&row.id), &deployment.project_id);
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    let answer = row.to_api();
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &answer, &now)
        .await?;
    tx.commit().await?;
    Ok(with_etag(StatusCode::CREATED, answer, row.version))
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/peerings/{pid}",
    operation_id = "get_peering",
    tag = "network",
    summary = "One peering",
    params(("id" = String, Path, description = "Deployment id"), ("pid" = String, Path, description = "Peering id")),
    responses((status = 200, description = "The peering; ETag is its version", body = Peering),
              (status = 404, description = "No such deployment or peering, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    access(&state, &actor, &id).await?;
    let mut conn = state.db.acquire().await?;
    let row = db::network::by_id::<PeeringRow>(&mut conn, &id, &pid)
        .await?
        .ok_or_else(not_found)?;
    Ok(with_etag(StatusCode::OK, row.to_api(), row.version))
}

#[utoipa::path(
    delete,
    path = "/deployments/{id}/peerings/{pid}",
    operation_id = "delete_peering",
    tag = "network",
    summary = "Delete an active peering (editors): it is deleting until the agent took it down",
    params(("id" = String, Path, description = "Deployment id"), ("pid" = String, Path, description = "Peering id"),
           ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 200, description = "Deleting", body = Peering),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment or peering", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "action_not_allowed: only an active peering can be deleted (allowed_actions lists what can be done)", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, pid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    change::<PeeringRow>(&state, &actor, (&id, &pid), &headers, PeeringAction::Delete).await
}

#[utoipa::path(
    post,
    path = "/deployments/{id}/peerings/{pid}/dismiss",
    operation_id = "dismiss_peering",
    tag = "network",
    summary = "Dismiss a failed or expired peering (editors): it holds nothing in the cloud and is removed at once",
    params(("id" = String, Path, description = "Deployment id"), ("pid" = String, Path, description = "Peering id"),
           ("If-Match" = String, Header, description = "The version last seen, e.g. \"3\"")),
    responses((status = 200, description = "Removed", body = Peering),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such deployment or peering", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "action_not_allowed: only a failed or expired peering can be dismissed", body = Problem, content_type = "application/problem+json"),
              (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"))
)]
pub async fn dismiss(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, pid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    change::<PeeringRow>(
        &state,
        &actor,
        (&id, &pid),
        &headers,
        PeeringAction::Dismiss,
    )
    .await
}

impl UserChange for PeeringRow {
    type Action = PeeringAction;
    type Next = peering::State;
    const KIND: &'static str = "peering";

    fn action_code(action: PeeringAction) -> &'static str {
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
        peering_label(&self.to_api())
    }

    fn next(&self, action: PeeringAction) -> Result<(peering::State, &'static str), AppError> {
        let next = apply(&self.state(), &Event::User(action)).map_err(refused)?;
        let code = next.status.code();
        Ok((next, code))
    }

    fn save<'a>(
        conn: &'a mut db::WriteTx,
        id: &'a str,
        version: i64,
        next: &'a peering::State,
        now: &'a db::Stamp,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send + 'a {
        db::network::set_peering_state(conn, id, version, next, now)
    }

    fn answer(&self, _deployment: &DeploymentRow) -> impl Serialize {
        self.to_api()
    }
}
