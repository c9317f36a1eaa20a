//! `/agent/v1/network`: the deployment's agent reconciles peerings and PrivateLinks. It reads
//! what waits for it (requests to accept, connections to take down) and reports each outcome as
//! a numbered message under its agent token, checked like every agent message (its own
//! deployment, a new sequence number) and then against core's peering or PrivateLink state
//! machine. Refusals are audited; nothing changes on a refusal.

use axum::extract::State;
use axum::Json;
use byoc_core::api::ProblemCode;
use byoc_core::api::{AgentNetwork, NetworkAck, NetworkKind, NetworkReport, Problem};
use byoc_core::lifecycle::agent_token::AgentMessage;
use byoc_core::lifecycle::peering::{self, PeeringStatus};
use byoc_core::lifecycle::privatelink::{self, PrivateLinkStatus};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{accept, check_token, deny, record, text_field, write_step, Agent};
use crate::db;
use crate::db::deployments::DeploymentRow;
use crate::db::network::{PeeringRow, PrivateLinkRow};
use crate::error::{ApiJson, AppError};
use crate::lang::Say;
use crate::routes::network::{invalid, peerings, privatelinks, vpc_cidr};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(work))
        .routes(routes!(report))
}

async fn own_deployment(state: &AppState, agent: &Agent) -> Result<DeploymentRow, AppError> {
    let mut conn = state.db.acquire().await?;
    db::deployments::by_id(&mut conn, &agent.row.deployment_id)
        .await?
        .ok_or_else(|| AppError::internal("agent without deployment"))
}

#[utoipa::path(get, path = "/agent/v1/network", tag = "agent", operation_id = "agent_network",
    summary = "The peerings and PrivateLinks the agent has to reconcile: pending ones to accept, deleting ones to take down",
    security(("agent_token" = [])),
    responses((status = 200, description = "The work, oldest first", body = AgentNetwork),
              (status = 401, description = "Unknown or replaced agent token", body = Problem, content_type = "application/problem+json")))]
pub async fn work(
    State(state): State<AppState>,
    agent: Agent,
) -> Result<Json<AgentNetwork>, AppError> {
    let deployment = own_deployment(&state, &agent).await?;
    check_token(
        &state,
        &agent,
        "agent.network",
        &deployment,
        AgentMessage::Network,
    )
    .await?;
    let peering_work: Vec<PeeringStatus> = PeeringStatus::ALL
        .into_iter()
        .filter(|s| s.needs_agent())
        .collect();
    let link_work: Vec<PrivateLinkStatus> = PrivateLinkStatus::ALL
        .into_iter()
        .filter(|s| s.needs_agent())
        .collect();
    let mut conn = state.db.acquire().await?;
    let peerings =
        db::network::rows_in::<PeeringRow>(&mut conn, &deployment.id, &peering_work).await?;
    let links =
        db::network::rows_in::<PrivateLinkRow>(&mut conn, &deployment.id, &link_work).await?;
    Ok(Json(AgentNetwork {
        vpc_cidr: deployment.vpc_cidr.clone(),
        peerings: peerings.iter().map(|r| r.to_api()).collect(),
        privatelinks: links
            .iter()
            .map(|r| privatelinks::answer(r, &deployment))
            .collect(),
    }))
}

fn unknown(kind: NetworkKind, id: &str) -> AppError {
    let say = match kind {
        NetworkKind::Peering => Say::AgentNoSuchPeering,
        NetworkKind::Privatelink => Say::AgentNoSuchLink,
    };
    AppError::NotFound {
        detail: say.with(&[("id", &id)]),
    }
}

/// A change checked against core before the transaction: the row's version it applies to and
/// how to write it.
enum Change {
    Peering {
        id: String,
        version: i64,
        from: String,
        next: peering::State,
    },
    Link {
        id: String,
        version: i64,
        from: String,
        next: privatelink::State,
    },
}

/// Finds the resource and applies the report's event to it, without writing.
async fn check(
    state: &AppState,
    deployment: &DeploymentRow,
    req: &NetworkReport,
) -> Result<Change, AppError> {
    let mut conn = state.db.acquire().await?;
    match req.kind {
        NetworkKind::Peering => {
            let row = db::network::by_id::<PeeringRow>(&mut conn, &deployment.id, &req.id)
                .await?
                .ok_or_else(|| unknown(req.kind, &req.id))?;
            let event =
                peering::event_from_report(req, chrono::Utc::now()).map_err(|e| invalid(&[e]))?;
            let next = peering::apply(&row.state(), &event).map_err(peerings::refused)?;
            Ok(Change::Peering {
                id: row.id,
                version: row.version,
                from: row.status,
                next,
            })
        }
        NetworkKind::Privatelink => {
            let row = db::network::by_id::<PrivateLinkRow>(&mut conn, &deployment.id, &req.id)
                .await?
                .ok_or_else(|| unknown(req.kind, &req.id))?;
            let event = privatelink::event_from_report(req, vpc_cidr(deployment)?)
                .map_err(|e| invalid(&[e]))?;
            let next = privatelink::apply(&row.state(), &event).map_err(privatelinks::refused)?;
            Ok(Change::Link {
                id: row.id,
                version: row.version,
                from: row.status,
                next,
            })
        }
    }
}

#[utoipa::path(post, path = "/agent/v1/network/report", tag = "agent", operation_id = "agent_network_report",
    summary = "Report what became of a peering (active, failed, expired, removed) or PrivateLink (running with its endpoint, failed, removed)",
    security(("agent_token" = [])),
    request_body = NetworkReport,
    responses((status = 200, description = "Accepted", body = NetworkAck),
              (status = 401, description = "Unknown or replaced agent token", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "wrong_deployment", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such peering or PrivateLink on the agent's deployment", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "message_out_of_order, action_not_allowed (the state does not take this outcome), not_yet_expired or changed_meanwhile", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "outcome_not_allowed for the kind, reason_missing, or an endpoint that is missing, invalid or outside the deployment's VPC", body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(req): ApiJson<NetworkReport>,
) -> Result<Json<NetworkAck>, AppError> {
    let action = "agent.network";
    for (field, value) in [
        ("reason", &req.reason),
        ("endpoint_domain", &req.endpoint_domain),
        ("endpoint_ip", &req.endpoint_ip),
    ] {
        if let Some(v) = value {
            text_field(field, v)?;
        }
    }
    let (deployment, _) = accept(
        &state,
        &agent,
        (action, AgentMessage::Network),
        &req.deployment_id,
        req.seq,
        None,
    )
    .await?;
    let change = match check(&state, &deployment, &req).await {
        Ok(change) => change,
        Err(e) => return Err(deny(&state, &agent.meta, action, Some(&deployment), e).await),
    };
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    write_step(&mut tx, (&agent, &deployment), req.seq, (None, None), &now).await?;
    let (written, what, from, to) = match &change {
        Change::Peering {
            id,
            version,
            from,
            next,
        } => (
            db::network::set_peering_state(&mut tx, id, *version, next, &now).await?,
            "peering",
            from,
            next.status.code(),
        ),
        Change::Link {
            id,
            version,
            from,
            next,
        } => (
            db::network::set_privatelink_state(&mut tx, id, *version, next, &now).await?,
            "PrivateLink",
            from,
            next.status.code(),
        ),
    };
    if !written {
        return Err(AppError::Conflict {
            code: ProblemCode::ChangedMeanwhile,
            detail: match change {
                Change::Peering { .. } => Say::PeeringChangedResend.text(),
                Change::Link { .. } => Say::LinkChangedResend.text(),
            },
        });
    }
    let mut detail = format!("{what} {}: {from} → {to}", req.id);
    if let Some(reason) = req.reason.as_deref().filter(|_| to == "failed") {
        detail.push_str(&format!(" ({reason})"));
    }
    record(&mut tx, &agent, action, &deployment, detail, &now).await?;
    tx.commit().await?;
    Ok(Json(NetworkAck {
        seq: req.seq,
        kind: req.kind,
        id: req.id,
        status: to.to_owned(),
    }))
}
