//! `/agent/v1`: the protocol the customer's toolkit speaks (SPEC §7). It registers with a
//! bootstrap key (single use, one hour, one deployment and operation), receives the spec and an
//! agent token (stored hashed), then reports progress, completion and heartbeats. Every message
//! is checked against core's state machine and the registration's sequence numbers: one out of
//! order, repeated, for another deployment or with a spent key changes nothing. `network` is the
//! agent's side of peerings and PrivateLinks.

pub mod network;

use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::Json;
use byoc_core::api::ProblemCode;
use byoc_core::api::{
    AgentAck, CompleteReport, Completion, Heartbeat, Problem, ProgressReport, RegisterRequest,
    RegisterResponse,
};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::agent_token::{may_send, AgentMessage, TokenRefusal};
use byoc_core::lifecycle::deployment::{apply, Event, Operation, State as Lifecycle, Status};
use byoc_core::lifecycle::spec::ToolkitSpec;
use byoc_core::lifecycle::toolkit::{check_sequence, key_state, KeyState, HEARTBEAT_SECONDS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deployments::refused;
use crate::auth::{secrets, RequestMeta};
use crate::db;
use crate::db::agent_tokens::AgentRow;
use crate::db::audit::{Outcome, Record};
use crate::db::deployments::DeploymentRow;
use crate::error::{sentence, ApiJson, AppError};
use crate::lang::{current, pick, Say};
use crate::no_store::NoStore;
use crate::state::AppState;

pub const AGENT_TOKEN_PREFIX: &str = "byoc_agt_";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(progress))
        .routes(routes!(complete))
        .routes(routes!(heartbeat))
}

fn bad_key(code: ProblemCode, detail: Say) -> AppError {
    AppError::Forbidden {
        code,
        detail: detail.text(),
    }
}

/// Free text an agent sends, judged by core's rule (length, no control or bidirectional
/// characters) before anything is stored.
pub(crate) fn text_field(field: &str, value: &str) -> Result<(), AppError> {
    byoc_core::text::check_agent_text(value).map_err(|e| {
        let (en, zh) = e.sentence(field);
        AppError::field(field, e.code(), sentence(&pick(en, zh)))
    })
}

fn agent_record<'a>(
    meta: &'a RequestMeta,
    name: &'a str,
    action: &'a str,
    row: Option<&'a DeploymentRow>,
    outcome: Outcome,
    detail: String,
) -> Record<'a> {
    Record {
        actor_kind: "agent",
        actor_id: row.map(|r| r.id.as_str()),
        actor_name: name,
        action,
        target_kind: "deployment",
        target_id: row.map(|r| r.id.as_str()),
        project_id: row.map(|r| r.project_id.as_str()),
        outcome,
        request_id: &meta.request_id,
        source: &meta.source,
        detail,
    }
}

/// Records a refused agent message on its own (nothing else is written) and returns the refusal.
pub(crate) async fn deny(
    state: &AppState,
    meta: &RequestMeta,
    action: &str,
    row: Option<&DeploymentRow>,
    error: AppError,
) -> AppError {
    let name = row.map_or("agent".to_owned(), |r| format!("agent of {}", r.name));
    let detail = error.to_problem().code.as_str().to_owned();
    crate::audit::record_alone(
        &state.db,
        &agent_record(meta, &name, action, row, Outcome::Denied, detail),
    )
    .await;
    error
}

fn toolkit_spec(row: &DeploymentRow) -> ToolkitSpec {
    ToolkitSpec {
        name: row.name.clone(),
        cloud: row.cloud(),
        region: row.region.clone(),
        vpc_cidr: row.vpc_cidr.clone(),
        node_type: row.node_type.clone(),
        nodes: u8::try_from(row.nodes).unwrap_or(0),
        agent_type: row.agent_type.clone(),
        domain: row.domain.clone(),
        tags: row.tags(),
    }
}

#[utoipa::path(post, path = "/agent/v1/register", tag = "agent",
    summary = "The toolkit starts an operation with its bootstrap key and receives the spec and an agent token",
    security(()),
    request_body = RegisterRequest,
    responses((status = 200, description = "Registered", body = RegisterResponse),
              (status = 403, description = "bootstrap_key_invalid, bootstrap_key_used or bootstrap_key_expired", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "operation_mismatch, or the deployment's state does not await this operation", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "platform_mismatch", body = Problem, content_type = "application/problem+json")))]
pub async fn register(
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<NoStore<Json<RegisterResponse>>, AppError> {
    let action = "agent.register";
    // Judged before anything is read or written.
    let version = req.toolkit_version.as_deref().unwrap_or("unknown");
    text_field("toolkit_version", version)?;
    let key_hash = secrets::digest(req.key.trim());
    let mut tx = db::write(&state.db).await?;
    let Some(key) = db::bootstrap_keys::key_by_hash(&mut tx, &key_hash).await? else {
        drop(tx);
        let e = bad_key(ProblemCode::BootstrapKeyInvalid, Say::KeyUnknown);
        return Err(deny(&state, &meta, action, None, e).await);
    };
    let row = db::deployments::by_id(&mut tx, &key.deployment_id)
        .await?
        .ok_or_else(|| AppError::internal("key without deployment"))?;
    let refusal = match key_state(key.issued_at, key.used_at.is_some(), chrono::Utc::now()) {
        KeyState::Used => Some(bad_key(ProblemCode::BootstrapKeyUsed, Say::KeyUsed)),
        KeyState::Expired => Some(bad_key(ProblemCode::BootstrapKeyExpired, Say::KeyExpired)),
        KeyState::Pending if key.operation != req.operation.code() => Some(AppError::Conflict {
            code: ProblemCode::OperationMismatch,
            detail: Say::OperationMismatch
                .with(&[("key", &key.operation), ("asked", &req.operation.code())]),
        }),
        KeyState::Pending => match req.platform.parse::<Cloud>() {
            Ok(c) if c == row.cloud() => None,
            _ => Some(AppError::field(
                "platform",
                "platform_mismatch",
                Say::PlatformMismatch.with(&[("cloud", &row.cloud), ("platform", &req.platform)]),
            )),
        },
    };
    if let Some(e) = refusal {
        drop(tx);
        return Err(deny(&state, &meta, action, Some(&row), e).await);
    }
    let next = match apply(&row.state(), &Event::AgentStarted(req.operation)) {
        Ok(next) => next,
        Err(e) => {
            drop(tx);
            return Err(deny(&state, &meta, action, Some(&row), refused(e)).await);
        }
    };
    let now = db::now();
    if !db::bootstrap_keys::spend_key(&mut tx, &key_hash, &now).await?
        || !db::deployments::set_state(&mut tx, &row.id, row.version, &next, None, &now).await?
    {
        drop(tx);
        let e = bad_key(ProblemCode::BootstrapKeyUsed, Say::KeyRaced);
        return Err(deny(&state, &meta, action, Some(&row), e).await);
    }
    let token = secrets::new_secret(AGENT_TOKEN_PREFIX).map_err(AppError::internal)?;
    db::agent_tokens::put_agent(
        &mut tx,
        &row.id,
        &secrets::digest(&token),
        req.operation,
        &now,
    )
    .await?;
    let node_token = if req.operation == Operation::Create {
        let node = secrets::new_secret(AGENT_TOKEN_PREFIX).map_err(AppError::internal)?;
        db::agent_tokens::put_node_agent(&mut tx, &row.id, &secrets::digest(&node), &now).await?;
        Some(node)
    } else {
        None
    };
    db::deployments::seen(&mut tx, &row.id, &now).await?;
    let name = format!("agent of {}", row.name);
    let detail = format!("{} started (toolkit {version})", req.operation.code());
    db::audit::record(
        &mut tx,
        &agent_record(&meta, &name, action, Some(&row), Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    // The answer holds the agent token.
    Ok(NoStore(Json(RegisterResponse {
        deployment_id: row.id.clone(),
        operation: req.operation,
        agent_token: token,
        node_token,
        spec: toolkit_spec(&row),
        phases: req
            .operation
            .phases()
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
        heartbeat_seconds: HEARTBEAT_SECONDS,
    })))
}

/// A registered agent, from its bearer token.
pub struct Agent {
    pub row: AgentRow,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Agent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let meta = RequestMeta::from_parts(parts);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthenticated {
                detail: Say::AgentTokenMissing.text(),
            })?;
        let mut conn = state.db.acquire().await?;
        let row = db::agent_tokens::agent_by_token(&mut conn, &secrets::digest(token))
            .await?
            .ok_or(AppError::Unauthenticated {
                detail: Say::AgentTokenUnknown.text(),
            })?;
        Ok(Agent { row, meta })
    }
}

fn token_refused(refusal: &TokenRefusal) -> AppError {
    AppError::Forbidden {
        code: refusal.code(),
        detail: sentence(&refusal.message(current())),
    }
}

/// Whether the agent's token may send `message` for its deployment now (core's rule: its own
/// operation attempt, not replaced, not lapsed); a refusal is audited.
pub(crate) async fn check_token(
    state: &AppState,
    agent: &Agent,
    action: &str,
    row: &DeploymentRow,
    message: AgentMessage,
) -> Result<(), AppError> {
    let grant = agent.row.grant();
    match may_send(
        &grant,
        agent.row.current_attempt,
        message,
        chrono::Utc::now(),
    ) {
        Ok(()) => Ok(()),
        Err(refusal) => Err(deny(
            state,
            &agent.meta,
            action,
            Some(row),
            token_refused(&refusal),
        )
        .await),
    }
}

/// The checks every message after registration shares, made before the message's transaction
/// so a refusal can be audited on its own: it names the agent's own deployment, its token still
/// speaks for it, its sequence number is new, and its event (if any) is one core's state machine
/// accepts. Returns the deployment and the state the event leads to.
pub(crate) async fn accept(
    state: &AppState,
    agent: &Agent,
    (action, message): (&str, AgentMessage),
    deployment_id: &str,
    seq: u64,
    event: Option<&Event>,
) -> Result<(DeploymentRow, Option<Lifecycle>), AppError> {
    let row = {
        let mut conn = state.db.acquire().await?;
        db::deployments::by_id(&mut conn, &agent.row.deployment_id)
            .await?
            .ok_or_else(|| AppError::internal("agent without deployment"))?
    };
    if deployment_id != row.id {
        let e = AppError::Forbidden {
            code: ProblemCode::WrongDeployment,
            detail: Say::WrongDeployment.text(),
        };
        return Err(deny(state, &agent.meta, action, Some(&row), e).await);
    }
    check_token(state, agent, action, &row, message).await?;
    let last = u64::try_from(agent.row.last_seq).unwrap_or(0);
    if let Err(e) = check_sequence(last, seq) {
        return Err(deny(
            state,
            &agent.meta,
            action,
            Some(&row),
            out_of_order(&e.message(current())),
        )
        .await);
    }
    let next = match event.map(|e| apply(&row.state(), e)).transpose() {
        Ok(next) => next,
        Err(e) => return Err(deny(state, &agent.meta, action, Some(&row), refused(e)).await),
    };
    Ok((row, next))
}

fn out_of_order(why: &str) -> AppError {
    AppError::Conflict {
        code: ProblemCode::MessageOutOfOrder,
        detail: sentence(why),
    }
}

/// Inside the transaction: takes the sequence number (unless a message racing this one took it
/// first, or a user action superseded the token meanwhile) and writes the new state (unless the
/// deployment changed since it was read).
pub(crate) async fn write_step(
    conn: &mut impl crate::db::Connect,
    (agent, row): (&Agent, &DeploymentRow),
    seq: u64,
    (next, message): (Option<&Lifecycle>, Option<&str>),
    now: &crate::db::Stamp,
) -> Result<(), AppError> {
    if !db::agent_tokens::advance_seq(conn, &agent.row.token_hash, seq, now).await? {
        let current = db::agent_tokens::agent_by_token(conn, &agent.row.token_hash).await?;
        return Err(match current {
            // A user action began another operation between this message's token check and its
            // write: the same refusal as at the check, so the toolkit stops as it would have
            // (answered as a conflict, the agent took it for an error and failed its run).
            Some(t) if t.attempt != t.current_attempt || t.replaced_at.is_some() => {
                AppError::Forbidden {
                    code: ProblemCode::AgentTokenSuperseded,
                    detail: Say::TokenSuperseded.text(),
                }
            }
            _ => out_of_order(&Say::MessageRaced.text()),
        });
    }
    if let Some(next) = next {
        if !db::deployments::set_state(conn, &row.id, row.version, next, message, now).await? {
            return Err(AppError::Conflict {
                code: ProblemCode::ChangedMeanwhile,
                detail: Say::DeploymentChangedResend.text(),
            });
        }
    }
    db::deployments::seen(conn, &row.id, now).await?;
    Ok(())
}

pub(crate) async fn record(
    conn: &mut impl crate::db::Connect,
    agent: &Agent,
    action: &str,
    row: &DeploymentRow,
    detail: String,
    now: &crate::db::Stamp,
) -> Result<(), AppError> {
    let name = format!("agent of {}", row.name);
    db::audit::record(
        conn,
        &agent_record(
            &agent.meta,
            &name,
            action,
            Some(row),
            Outcome::Success,
            detail,
        ),
        now,
    )
    .await
    .map_err(AppError::from)
}

#[utoipa::path(post, path = "/agent/v1/progress", tag = "agent",
    summary = "Report the phase and percent of the operation under way",
    security(("agent_token" = [])),
    request_body = ProgressReport,
    responses((status = 200, description = "Accepted", body = AgentAck),
              (status = 401, description = "Unknown or replaced agent token", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "wrong_deployment", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "message_out_of_order, unknown_phase, progress_backwards or a state that takes no progress", body = Problem, content_type = "application/problem+json")))]
pub async fn progress(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(req): ApiJson<ProgressReport>,
) -> Result<Json<AgentAck>, AppError> {
    let action = "agent.progress";
    if let Some(m) = &req.message {
        text_field("message", m)?;
    }
    let event = Event::Progress {
        phase: req.phase.clone(),
        percent: req.percent,
    };
    let (row, next) = accept(
        &state,
        &agent,
        (action, AgentMessage::Progress),
        &req.deployment_id,
        req.seq,
        Some(&event),
    )
    .await?;
    let next = next.ok_or_else(|| AppError::internal("no state after an event"))?;
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    write_step(
        &mut tx,
        (&agent, &row),
        req.seq,
        (Some(&next), req.message.as_deref()),
        &now,
    )
    .await?;
    let detail = format!(
        "{} {}%{}",
        req.phase,
        req.percent,
        req.message
            .as_deref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    );
    record(&mut tx, &agent, action, &row, detail, &now).await?;
    tx.commit().await?;
    Ok(Json(AgentAck {
        status: next.status,
        seq: req.seq,
    }))
}

#[utoipa::path(post, path = "/agent/v1/complete", tag = "agent",
    summary = "Finish the operation: success with outputs, or failure with the phase and reason",
    security(("agent_token" = [])),
    request_body = CompleteReport,
    responses((status = 200, description = "Accepted", body = AgentAck),
              (status = 401, description = "Unknown or replaced agent token", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "wrong_deployment", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "message_out_of_order, or nothing to complete", body = Problem, content_type = "application/problem+json")))]
pub async fn complete(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(req): ApiJson<CompleteReport>,
) -> Result<Json<AgentAck>, AppError> {
    let action = "agent.complete";
    match &req.completion {
        Completion::Success { outputs } => {
            for (field, value) in [
                ("outputs.cloud_account_id", &outputs.cloud_account_id),
                ("outputs.zone", &outputs.zone),
                ("outputs.vpc_id", &outputs.vpc_id),
                ("outputs.load_balancer", &outputs.load_balancer),
            ] {
                if let Some(v) = value {
                    text_field(field, v)?;
                }
            }
        }
        Completion::Failure { reason, .. } => text_field("reason", reason)?,
    }
    let (event, detail) = match &req.completion {
        Completion::Success { .. } => (Event::Completed, "succeeded".to_owned()),
        Completion::Failure { phase, reason } => (
            Event::Failed {
                phase: phase.clone(),
                reason: reason.clone(),
            },
            format!("failed at {phase}: {reason}"),
        ),
    };
    let (row, next) = accept(
        &state,
        &agent,
        (action, AgentMessage::Complete),
        &req.deployment_id,
        req.seq,
        Some(&event),
    )
    .await?;
    let next = next.ok_or_else(|| AppError::internal("no state after an event"))?;
    let operation = row.state().operation;
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    write_step(&mut tx, (&agent, &row), req.seq, (Some(&next), None), &now).await?;
    if let Completion::Success { outputs } = &req.completion {
        db::deployments::set_outputs(&mut tx, &row.id, outputs).await?;
    }
    if matches!(next.status, Status::Stopped | Status::Deleted) {
        db::deployments::clear_live(&mut tx, &row.id).await?;
    }
    // The spent key stays (as a digest) until the next operation's replaces it, so running the
    // same command again says "already used" rather than "unknown".
    if next.status == Status::Deleted {
        db::agent_tokens::drop_agent(&mut tx, &row.id).await?;
        // Its VPC is gone, and with it every peering and PrivateLink.
        db::network::remove_all(&mut tx, &row.id, &now).await?;
    }
    let op = operation.map_or("operation", Operation::code);
    record(
        &mut tx,
        &agent,
        action,
        &row,
        format!("{op} {detail}"),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(AgentAck {
        status: next.status,
        seq: req.seq,
    }))
}

#[utoipa::path(post, path = "/agent/v1/heartbeat", tag = "agent",
    summary = "Live figures of a running deployment",
    security(("agent_token" = [])),
    request_body = Heartbeat,
    responses((status = 200, description = "Accepted", body = AgentAck),
              (status = 401, description = "Unknown or replaced agent token", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "wrong_deployment", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "not_running (stop heartbeats) or message_out_of_order", body = Problem, content_type = "application/problem+json")))]
pub async fn heartbeat(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(req): ApiJson<Heartbeat>,
) -> Result<Json<AgentAck>, AppError> {
    let (row, _) = accept(
        &state,
        &agent,
        ("agent.heartbeat", AgentMessage::Heartbeat),
        &req.deployment_id,
        req.seq,
        None,
    )
    .await?;
    let status = row.state().status;
    if status != Status::Running {
        // Not audited: heartbeats are telemetry, and a stopping deployment's agent sends a few.
        return Err(AppError::Conflict {
            code: ProblemCode::NotRunning,
            detail: Say::StopHeartbeats.with(&[("status", &status.code())]),
        });
    }
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    write_step(&mut tx, (&agent, &row), req.seq, (None, None), &now).await?;
    db::deployments::set_live(&mut tx, &row.id, req.sessions, req.tps, &now).await?;
    tx.commit().await?;
    Ok(Json(AgentAck {
        status,
        seq: req.seq,
    }))
}
