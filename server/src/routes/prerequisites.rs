//! `GET /api/v1/prerequisites/{sizing,quotas,policies,domain}`: the same answers the console
//! computes in the browser, for automation and the toolkit. Every rule is `core`'s; this file only
//! reads query parameters (naming the bad one when it cannot) and shapes the response.
//! `POST /api/v1/prerequisites/tls` re-checks a certificate chain: signed in only, bounded by
//! core's limits, on the blocking pool and a few at a time.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::api::FormField;
use byoc_core::api::Problem;
use byoc_core::catalog::Cloud;
use byoc_core::domain::{check_domain, DomainCheck};
use byoc_core::policy::{policy, Operation, PolicyDocument, TagCondition};
use byoc_core::quota::{quotas, QuotaTable};
use byoc_core::sizing::{find_node_type, size, Sizing, SizingRequest};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Actor;
use crate::error::{ApiQuery, AppError};
use crate::lang::{current, Say};
use crate::state::AppState;

/// One header per gcloud command that goes with a GCP custom-role YAML (documented in README).
pub const GCLOUD_COMMAND_HEADER: &str = "x-gcloud-command";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sizing))
        .routes(routes!(quota_table))
        .routes(routes!(policies))
        .routes(routes!(domain))
        .routes(routes!(tls))
}

/// Every parameter arrives as text so that a bad one is reported by name, with the rule it broke,
/// rather than as a generic "cannot deserialize query string".
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    cloud: Option<String>,
    sessions: Option<String>,
    tps: Option<String>,
    nodes: Option<String>,
    node_type: Option<String>,
    operation: Option<String>,
    tag_key: Option<String>,
    tag_value: Option<String>,
    name: Option<String>,
}

fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, AppError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(AppError::field(
            field,
            "required",
            Say::QueryParamRequired.with(&[("field", &field)]),
        )),
    }
}

fn cloud(params: &Params) -> Result<Cloud, AppError> {
    required(&params.cloud, "cloud")?
        .parse()
        .map_err(|e: byoc_core::catalog::CatalogError| {
            AppError::field("cloud", e.code(), e.message(current()))
        })
}

fn number<T: std::str::FromStr>(
    value: &Option<String>,
    field: &str,
) -> Result<Option<T>, AppError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            AppError::field(
                field,
                "not_a_number",
                Say::NotAWholeNumber.with(&[("field", &field), ("value", &v)]),
            )
        }),
    }
}

#[utoipa::path(
    get,
    path = "/prerequisites/sizing",
    tag = "prerequisites",
    summary = "Tier, node type and count for a need",
    params(("cloud" = String, Query, description = "aliyun, aws-cn, aws or gcp"), ("sessions" = u64, Query, description = "Sessions limit"), ("tps" = u64, Query, description = "Pub&Sub TPS"), ("nodes" = Option<u8>, Query, description = "Node count (2-5, not below the tier)"), ("node_type" = Option<String>, Query, description = "A larger instance type of the same cloud")),
    responses((status = 200, description = "The sizing", body = Sizing), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn sizing(ApiQuery(p): ApiQuery<Params>) -> Result<Json<Sizing>, AppError> {
    let request = SizingRequest {
        cloud: cloud(&p)?,
        sessions: number(&p.sessions, "sessions")?.ok_or_else(|| {
            AppError::field(
                "sessions",
                "required",
                Say::QueryParamRequired.with(&[("field", &"sessions")]),
            )
        })?,
        tps: number(&p.tps, "tps")?.ok_or_else(|| {
            AppError::field(
                "tps",
                "required",
                Say::QueryParamRequired.with(&[("field", &"tps")]),
            )
        })?,
        nodes: number(&p.nodes, "nodes")?,
        node_type: p
            .node_type
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
    };
    size(&request)
        .map(Json)
        .map_err(|e| AppError::field(e.field().name(), e.code(), e.message(current())))
}

#[utoipa::path(
    get,
    path = "/prerequisites/quotas",
    tag = "prerequisites",
    summary = "Cloud resources a deployment needs",
    params(("cloud" = String, Query, description = "Cloud"), ("nodes" = u8, Query, description = "Broker node count"), ("node_type" = String, Query, description = "Broker instance type")),
    responses((status = 200, description = "The quota table", body = QuotaTable), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn quota_table(ApiQuery(p): ApiQuery<Params>) -> Result<Json<QuotaTable>, AppError> {
    let cloud = cloud(&p)?;
    let nodes: u8 = number(&p.nodes, "nodes")?.ok_or_else(|| {
        AppError::field(
            "nodes",
            "required",
            Say::QueryParamRequired.with(&[("field", &"nodes")]),
        )
    })?;
    byoc_core::sizing::check_node_count(nodes)
        .map_err(|e| AppError::field("nodes", e.code(), e.message(current())))?;
    let node_type = find_node_type(cloud, required(&p.node_type, "node_type")?)
        .map_err(|e| AppError::field("node_type", e.code(), e.message(current())))?;
    Ok(Json(quotas(cloud, nodes, node_type)))
}

#[utoipa::path(
    get,
    path = "/prerequisites/policies",
    tag = "prerequisites",
    summary = "Least-privilege policy for an operation",
    params(("cloud" = String, Query, description = "Cloud"), ("operation" = String, Query, description = "create, delete or stop-start"), ("tag_key" = Option<String>, Query, description = "Tag key destructive actions are limited to (default used-by)"), ("tag_value" = Option<String>, Query, description = "Tag value (default emqx-cloud)")),
    responses((status = 200, description = "The policy document itself: JSON for aliyun, aws-cn and aws; a custom-role YAML for gcp, with one x-gcloud-command header per gcloud command to run", content_type = "application/json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn policies(ApiQuery(p): ApiQuery<Params>) -> Result<Response, AppError> {
    let cloud = cloud(&p)?;
    let operation: Operation = required(&p.operation, "operation")?.parse().map_err(
        |e: byoc_core::policy::PolicyError| {
            AppError::field(e.field(), e.code(), e.message(current()))
        },
    )?;
    let tag = match (p.tag_key.as_deref(), p.tag_value.as_deref()) {
        (None, None) => TagCondition::default(),
        (key, value) => {
            let default = TagCondition::default();
            TagCondition::parse(key.unwrap_or(&default.key), value.unwrap_or(&default.value))
                .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?
        }
    };
    let document = policy(cloud, operation, &tag);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(document.media_type()),
    );
    let disposition = format!(
        "inline; filename=\"{}\"",
        document.file_name(cloud, operation)
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    if let PolicyDocument::GcpRole { commands, .. } = &document {
        for command in commands {
            let value = HeaderValue::from_str(command).map_err(AppError::internal)?;
            headers.append(HeaderName::from_static(GCLOUD_COMMAND_HEADER), value);
        }
    }
    Ok((headers, document.to_text()).into_response())
}

#[utoipa::path(
    get,
    path = "/prerequisites/domain",
    tag = "prerequisites",
    summary = "Checks a domain name",
    params(("name" = String, Query, description = "Domain"), ("cloud" = String, Query, description = "Cloud")),
    responses((status = 200, description = "The normalised domain and whether ICP filing applies", body = DomainCheck), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn domain(ApiQuery(p): ApiQuery<Params>) -> Result<Json<DomainCheck>, AppError> {
    let cloud = cloud(&p)?;
    let name = p.name.as_deref().unwrap_or_default();
    check_domain(name, cloud)
        .map(Json)
        .map_err(|e| AppError::field("name", e.code(), e.message(current())))
}

/// How long a certificate check waits for a free slot before the answer is "busy, retry".
const TLS_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// What `Retry-After` says when every slot stayed busy.
const TLS_CHECK_RETRY_SECONDS: u64 = 5;

/// Certificate checks that may run at once: half the cores (at least one), so a burst of them
/// leaves the other CPU permits to sign-ins and deployments.
pub fn tls_check_permits() -> std::sync::Arc<tokio::sync::Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    std::sync::Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1)))
}

/// A slot for one certificate check, waiting at most `wait`; after that, 503 with `Retry-After`.
async fn tls_check_slot(
    slots: &std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
) -> Result<tokio::sync::OwnedSemaphorePermit, Response> {
    match tokio::time::timeout(wait, slots.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(closed)) => Err(AppError::internal(closed).into_response()),
        Err(_) => {
            let mut busy = AppError::Unavailable {
                detail: Say::TlsChecksBusy.with(&[("seconds", &TLS_CHECK_RETRY_SECONDS)]),
            }
            .into_response();
            busy.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(TLS_CHECK_RETRY_SECONDS),
            );
            Err(busy)
        }
    }
}

#[utoipa::path(
    post,
    path = "/prerequisites/tls",
    tag = "prerequisites",
    summary = "Checks a certificate chain against a domain (no private key: keys never leave the user's machine)",
    description = "Needs a session or an API token. At most 8 certificates and RSA keys of at most 4096 bits are read (core::tls); the checks run on the blocking pool, a few at a time.",
    request_body = byoc_core::api::TlsCheckRequest,
    responses(
        (status = 200, description = "The report: every certificate check with pass, warn or fail", body = byoc_core::tls::TlsReport),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the certificate file core::tls accepts", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body holds a private key", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Other checks kept every slot busy; see Retry-After", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))
    )
)]
pub async fn tls(
    State(state): State<AppState>,
    // Signed in: verifying signatures costs CPU, which nobody anonymous may spend.
    _actor: Actor,
    crate::error::ApiJson(req): crate::error::ApiJson<byoc_core::api::TlsCheckRequest>,
) -> Result<Json<byoc_core::tls::TlsReport>, Response> {
    let _slot = tls_check_slot(&state.tls_checks, TLS_CHECK_WAIT).await?;
    let now = chrono::Utc::now();
    let report = crate::blocking::run(&state, move || {
        byoc_core::tls::inspect_chain(&req.bundle_pem, &req.domain, now)
    })
    .await
    .map_err(IntoResponse::into_response)?;
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_check_waits_a_bounded_time_for_a_slot_then_says_when_to_retry() {
        // The only slot is held throughout, so the wait runs out whatever its length.
        let wait = std::time::Duration::from_millis(20);
        let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(1));
        let held = tls_check_slot(&slots, wait).await.unwrap();
        let busy = tls_check_slot(&slots, wait).await.unwrap_err();
        assert_eq!(busy.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "5");
        drop(held);
        assert!(tls_check_slot(&slots, wait).await.is_ok());
    }
}
