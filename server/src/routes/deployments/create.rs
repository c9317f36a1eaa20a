//! Creating a deployment: validated by core, fitted to the licence, idempotent, audited; the
//! answer carries the bootstrap key for `byoc create`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byoc_core::access::Action;
use byoc_core::api::FormField;
use byoc_core::api::{CreateDeploymentRequest, DeploymentChange, FieldError, Problem};
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::lifecycle::names::DeploymentName;
use byoc_core::lifecycle::spec::{self, SpecError};

use super::bootstrap::issue_key;
use super::{check_licence, with_etag};
use crate::audit::Target;
use crate::auth::Actor;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::idempotency::Idempotent;
use crate::routes::projects;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/projects/{id}/deployments",
    tag = "deployments",
    summary = "Create a deployment (editors); the answer holds the bootstrap key for `byoc create`, shown once",
    params(("id" = String, Path, description = "Project id"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe (the replay carries no key: regenerate it)")),
    request_body = CreateDeploymentRequest,
    responses((status = 201, description = "Created, waiting for `byoc create`", body = DeploymentChange),
              (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such project, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "licence_expired, licence_not_yet_valid or licence_capacity", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid fields; errors name each", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateDeploymentRequest>,
) -> Result<Response, AppError> {
    let action = "deployment.create";
    let target = Target::in_project("deployment", None, &project_id);
    projects::authorize(
        &state,
        &actor,
        &project_id,
        Action::OperateDeployments,
        action,
        target,
    )
    .await?;
    let idempotent = Idempotent::new(
        &headers,
        &actor.user_id,
        &format!("POST /projects/{project_id}/deployments"),
        &req,
    )?;
    // A replay answers before anything is judged again (its name is taken by itself by now).
    {
        let mut conn = state.db.acquire().await?;
        if let Some(replayed) = idempotent.replay(&mut conn).await? {
            return Ok(replayed);
        }
    }
    // Everything slow happens before the writers' turn is taken: the name's one index lookup,
    // then every rule of core (the certificate chain's signatures among them) on the blocking
    // pool, so neither the async workers nor the other writers wait for it.
    let name = DeploymentName::parse(req.name.trim()).ok();
    let taken = match &name {
        Some(n) => {
            let mut conn = state.db.acquire().await?;
            db::deployments::name_taken(&mut conn, &project_id, n.as_str()).await?
        }
        None => false,
    };
    let spec = {
        let req = req.clone();
        let taken_name = name.filter(|_| taken);
        crate::blocking::run(&state, move || {
            let taken: Vec<&str> = taken_name.iter().map(DeploymentName::as_str).collect();
            spec::validate(&req, &taken, chrono::Utc::now())
        })
        .await?
        .map_err(|errors| field_errors(&errors))?
    };
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    // Another create may have taken the name since it was looked up.
    if db::deployments::name_taken(&mut tx, &project_id, spec.name.as_str()).await? {
        let taken = SpecError::NameTaken(spec.name.as_str().to_owned());
        return Err(field_errors(&[taken]));
    }
    let now = db::now();
    let row = db::deployments::insert(&mut tx, &project_id, &spec, &now).await?;
    check_licence(&state, &mut tx, Some(&row.id), &spec.licence_use()).await?;
    let bootstrap = issue_key(&mut tx, &state, &row, Operation::Create, &now).await?;
    let detail = format!(
        "{} on {} {} ({} × {})",
        row.name, row.cloud, row.region, row.nodes, row.node_type
    );
    let target = Target::in_project("deployment", Some(&row.id), &project_id);
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    let answer = DeploymentChange {
        deployment: row.to_api(),
        bootstrap: Some(bootstrap),
    };
    // A replay must not hand the key out again, and the key must not rest in the database: the
    // remembered answer has it removed.
    let remembered = DeploymentChange {
        bootstrap: answer.bootstrap.clone().map(|mut b| {
            b.key = None;
            b
        }),
        ..answer.clone()
    };
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &remembered, &now)
        .await?;
    tx.commit().await?;
    Ok(crate::no_store::no_store(with_etag(
        StatusCode::CREATED,
        answer,
        row.version,
    )))
}

fn field_errors(errors: &[SpecError]) -> AppError {
    AppError::fields(
        errors
            .iter()
            .map(|e| FieldError {
                field: e.field().name().to_owned(),
                code: e.code(),
                message: e.message(crate::lang::current()),
            })
            .collect(),
    )
}
