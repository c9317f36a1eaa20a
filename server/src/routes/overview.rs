//! `GET /api/v1/overview`: the Overview page (SPEC §10) in one answer — deployments by status in
//! every project the caller can see, what needs attention, recent activity. Everything is counted
//! and chosen here with indexed queries (db/overview.rs), so the console never downloads lists
//! to count them. Who sees what follows the same rules as the lists it summarises.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use byoc_core::api::{
    Attention, DeploymentRef, ExpiringKey, ExpiringToken, Overview, Problem, ProjectStatusCounts,
    StatusCount, WaitingPrivateLink,
};
use byoc_core::lifecycle::deployment::Status;
use byoc_core::overview::{
    key_cutoff, key_urgency, token_cutoff, token_expires_soon, KeyUrgency, ATTENTION_LIMIT,
    RECENT_ACTIVITY,
};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Actor;
use crate::db;
use crate::error::AppError;
use crate::routes::audit;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[utoipa::path(
    get,
    path = "/overview",
    tag = "overview",
    summary = "Deployments by status, what needs attention and recent activity",
    responses((status = 200, description = "The caller's overview", body = Overview),
              (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn overview(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Overview>, AppError> {
    let now = Utc::now();
    let visible = (!actor.is_owner()).then_some(actor.user_id.as_str());
    let mut conn = state.db.acquire().await?;

    let projects = db::projects::list(&mut conn, &actor.user_id, !actor.is_owner()).await?;
    let rows = db::overview::status_counts(&mut conn, visible).await?;
    let counts: HashMap<(&str, &str), i64> = rows
        .iter()
        .map(|(p, s, n)| ((p.as_str(), s.as_str()), *n))
        .collect();
    let projects = projects
        .into_iter()
        .map(|(p, _)| ProjectStatusCounts {
            counts: ordered_counts(&counts, &p.id),
            project_id: p.id,
            project_name: p.name,
        })
        .collect();

    let (failed, failed_total) = db::overview::failed(&mut conn, visible, ATTENTION_LIMIT).await?;
    let (links, links_total) =
        db::overview::privatelinks_waiting(&mut conn, visible, ATTENTION_LIMIT).await?;
    let waiting: Vec<&'static str> = Status::ALL
        .into_iter()
        .filter(|s| s.is_transitional())
        .map(Status::code)
        .collect();
    let (keys, keys_total) = db::overview::keys_expiring(
        &mut conn,
        visible,
        &waiting,
        &db::stamp(key_cutoff(now)),
        ATTENTION_LIMIT,
    )
    .await?;
    let tokens = db::overview::tokens_expiring(
        &mut conn,
        &actor.user_id,
        &db::stamp(now),
        &db::stamp(token_cutoff(now)),
        ATTENTION_LIMIT,
    )
    .await?;

    let recent_activity = match audit::readable(&mut conn, &actor).await?.scope() {
        None => None,
        Some(projects) => {
            let filter = db::audit::Filter {
                projects,
                ..Default::default()
            };
            Some(db::audit::list(&mut conn, &filter, i64::from(RECENT_ACTIVITY)).await?)
        }
    };

    Ok(Json(Overview {
        projects,
        attention: Attention {
            failed: failed
                .into_iter()
                .map(|r| DeploymentRef {
                    deployment_id: r.id,
                    deployment_name: r.name,
                    project_id: r.project_id,
                    project_name: r.project_name,
                    reason: r.reason,
                    updated_at: r.updated_at.time(),
                })
                .collect(),
            failed_total: count(failed_total),
            privatelinks_waiting: links
                .into_iter()
                .map(|r| WaitingPrivateLink {
                    deployment_id: r.deployment_id,
                    deployment_name: r.deployment_name,
                    project_id: r.project_id,
                    privatelink_id: r.id,
                    service_id: r.service_id,
                    created_at: r.created_at.time(),
                })
                .collect(),
            privatelinks_waiting_total: count(links_total),
            keys_expiring: keys
                .into_iter()
                .filter_map(|k| {
                    // The query's cut-off is core's; the rule itself says what the key's state is.
                    let urgency = key_urgency(k.issued_at, false, now)?;
                    Some(ExpiringKey {
                        deployment_id: k.deployment_id,
                        deployment_name: k.deployment_name,
                        project_id: k.project_id,
                        operation: k.operation,
                        expires_at: k.expires_at.time(),
                        expired: urgency == KeyUrgency::Expired,
                    })
                })
                .collect(),
            keys_expiring_total: count(keys_total),
            tokens_expiring: tokens
                .into_iter()
                // The query's window is core's; the rule itself decides each token.
                .filter(|(_, _, at)| token_expires_soon(*at, now))
                .map(|(token_id, name, expires_at)| ExpiringToken {
                    token_id,
                    name,
                    expires_at,
                })
                .collect(),
        },
        recent_activity,
    }))
}

/// The project's counts in core's status order (the order the console shows them in).
fn ordered_counts(counts: &HashMap<(&str, &str), i64>, project_id: &str) -> Vec<StatusCount> {
    Status::ALL
        .into_iter()
        .filter_map(|s| {
            counts.get(&(project_id, s.code())).map(|n| StatusCount {
                status: s.code().to_owned(),
                count: count(*n),
            })
        })
        .collect()
}
