//! `/api/v1/deployments/{id}/{network,peerings,privatelinks}` (SPEC §6; the agent's
//! `/agent/v1/network` is in `routes::agent::network`). Every rule is core's (`network::validate_peering`,
//! `network::validate_privatelink`, `lifecycle::{peering, privatelink}::apply`); this module
//! checks permissions (the deployment's `access`/`authorize`), persists and audits.

pub mod peerings;
pub mod privatelinks;

use byoc_core::api::ProblemCode;
use byoc_core::api::NETWORK_PAGE;
use std::future::Future;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use byoc_core::access::Action as Permission;
use byoc_core::api::{DeploymentNetwork, FieldError, Problem, Refusal};
use byoc_core::lifecycle::deployment::Status;
use byoc_core::network::{Cidr, NetworkError, Principal};
use serde::{Deserialize, Serialize};

use super::deployments::{access, authorize, with_etag};
use crate::audit::Target;
use crate::auth::Actor;
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::db::deployments::DeploymentRow;
use crate::error::{sentence, AppError};
use crate::lang::Say;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(peerings::list, peerings::create))
        .routes(routes!(peerings::one, peerings::remove))
        .routes(routes!(peerings::dismiss))
        .routes(routes!(privatelinks::list, privatelinks::create))
        .routes(routes!(privatelinks::one, privatelinks::remove))
        .routes(routes!(privatelinks::dismiss))
}

/// Whom the customer whitelists for a PrivateLink, once the toolkit reported the account.
pub fn principal(row: &DeploymentRow) -> Option<Principal> {
    row.cloud_account_id
        .as_deref()
        .and_then(|a| Principal::for_deployment(row.cloud(), a).ok())
}

/// The deployment's side of a connection.
pub fn network_of(row: &DeploymentRow) -> DeploymentNetwork {
    let status = row.state().status;
    DeploymentNetwork {
        deployment_id: row.id.clone(),
        cloud: row.cloud(),
        region: row.region.clone(),
        status,
        accepts_changes: status == Status::Running,
        vpc_cidr: row.vpc_cidr.clone(),
        vpc_id: row.vpc_id.clone(),
        account_id: row.cloud_account_id.clone(),
        zone: row.zone.clone(),
        principal: principal(row),
    }
}

/// The deployment's VPC range; core checked it at create, so an unreadable one is our fault.
pub fn vpc_cidr(row: &DeploymentRow) -> Result<Cidr, AppError> {
    Cidr::parse(&row.vpc_cidr).map_err(AppError::internal)
}

/// Peerings and links are created only on a running deployment: before, there is no VPC to
/// connect; while it stops or is deleted, nothing new should be attached.
pub fn must_be_running(row: &DeploymentRow) -> Result<(), AppError> {
    let status = row.state().status;
    if status == Status::Running {
        Ok(())
    } else {
        Err(AppError::Conflict {
            code: ProblemCode::DeploymentNotRunning,
            // The console's own sentence, then the state for whoever reads the API directly.
            detail: format!(
                "{}{}",
                Refusal::DeploymentNotRunning.text(crate::lang::current()),
                Say::StatusIs.with(&[("status", &status.code())])
            ),
        })
    }
}

/// Core's validation errors as one 422 naming every field.
pub fn invalid(errors: &[NetworkError]) -> AppError {
    AppError::fields(
        errors
            .iter()
            .map(|e| FieldError {
                field: e.field().to_owned(),
                code: e.code().to_owned(),
                message: sentence(&e.message(crate::lang::current())),
            })
            .collect(),
    )
}

/// A refused user action or agent report: 409 naming what the state allows.
pub fn not_allowed(detail: &str, allowed: Vec<String>) -> AppError {
    AppError::ActionNotAllowed {
        allowed,
        detail: sentence(detail),
    }
}

/// Paging of a deployment's peerings or links.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Page {
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<i64>,
}

impl Page {
    /// `(offset, limit)`.
    pub fn window(&self) -> Result<(i64, i64), AppError> {
        let limit = self.limit.unwrap_or(i64::from(NETWORK_PAGE.default));
        if !NETWORK_PAGE.allows(limit) {
            return Err(AppError::field(
                "limit",
                "limit_out_of_range",
                Say::LimitRange.with(&[("max", &NETWORK_PAGE.max)]),
            ));
        }
        let offset = match self
            .cursor
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => 0,
            Some(c) => c
                .strip_prefix('o')
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    AppError::field("cursor", "invalid_cursor", Say::CursorUnknown.text())
                })?,
        };
        Ok((offset, limit))
    }

    pub fn next_cursor(offset: i64, rows: usize, total: u64) -> Option<String> {
        let next = offset + i64::try_from(rows).unwrap_or(0);
        (u64::try_from(next).unwrap_or(0) < total).then(|| format!("o{next}"))
    }
}

#[utoipa::path(
    get,
    path = "/deployments/{id}/network",
    operation_id = "network_overview",
    tag = "network",
    summary = "The deployment's side of a peering or PrivateLink: VPC, range, region, account, zone and the principal to whitelist",
    params(("id" = String, Path, description = "Deployment id")),
    responses((status = 200, description = "The deployment's network", body = DeploymentNetwork),
              (status = 404, description = "No such deployment, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn overview(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<DeploymentNetwork>, AppError> {
    let (row, _) = access(&state, &actor, &id).await?;
    Ok(Json(network_of(&row)))
}

/// A peering or a PrivateLink as the user's delete and dismiss change it: found, moved on by
/// core's state machine, written at the version the user saw, audited and answered the same way
/// for both.
pub trait UserChange: db::network::Stored + Sync {
    type Action: Copy + Send + Sync;
    type Next: Send + Sync;
    /// As the audit log names it (`peering.delete`, say).
    const KIND: &'static str;
    fn action_code(action: Self::Action) -> &'static str;
    fn not_found() -> AppError;
    fn version(&self) -> i64;
    fn status_code(&self) -> &str;
    /// How the user knows it, for the audit entry.
    fn label(&self) -> String;
    /// Core's next state for `action`, and its status code; a refusal names what is allowed.
    fn next(&self, action: Self::Action) -> Result<(Self::Next, &'static str), AppError>;
    /// Writes `next` if the row is still at `version`; false when someone changed it first.
    fn save<'a>(
        conn: &'a mut db::WriteTx,
        id: &'a str,
        version: i64,
        next: &'a Self::Next,
        now: &'a db::Stamp,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send + 'a;
    fn answer(&self, deployment: &DeploymentRow) -> impl Serialize;
}

/// Deletes or dismisses the deployment's peering or link `rid`, with `If-Match`.
pub async fn change<R: UserChange>(
    state: &AppState,
    actor: &Actor,
    (id, rid): (&str, &str),
    headers: &HeaderMap,
    action: R::Action,
) -> Result<Response, AppError> {
    let audit_action = format!("{}.{}", R::KIND, R::action_code(action));
    let deployment = authorize(state, actor, id, Permission::ManageNetwork, &audit_action).await?;
    let expected = concurrency::if_match(headers)?;
    let mut tx = db::write(&state.db).await?;
    let row: R = db::network::by_id(&mut tx, id, rid)
        .await?
        .ok_or_else(R::not_found)?;
    concurrency::check(expected, row.version())?;
    let (next, next_status) = row.next(action)?;
    let now = db::now();
    if !R::save(&mut tx, rid, row.version(), &next, &now).await? {
        return Err(AppError::VersionMismatch {
            current: row.version() + 1,
        });
    }
    let updated: R = db::network::by_id(&mut tx, id, rid)
        .await?
        .ok_or_else(R::not_found)?;
    let target = Target::in_project(R::KIND, Some(rid), &deployment.project_id);
    let detail = format!(
        "{} on {}: {} → {next_status}",
        row.label(),
        deployment.name,
        row.status_code(),
    );
    db::audit::record(
        &mut tx,
        &actor.record(&audit_action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(with_etag(
        StatusCode::OK,
        updated.answer(&deployment),
        updated.version(),
    ))
}
