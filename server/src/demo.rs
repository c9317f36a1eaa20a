//! Demo and benchmark data. `--demo` creates a demo project and deployments through the real
//! API (the router, with a short-lived owner token that is revoked afterwards), so they are
//! validated, licensed and audited like any other; the bootstrap commands are written to a file
//! for `cargo xtask run --demo`, which starts simulated toolkits with them. [`bulk`] fills a
//! project with many deployments straight into the database, for the benchmarks.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use byoc_core::api::{CreateDeploymentRequest, DeploymentChange, Project};
use byoc_core::lifecycle::deployment::{apply, Event, Operation};
use byoc_core::lifecycle::spec;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use tower::ServiceExt;

use crate::auth::{secrets, TOKEN_PREFIX};
use crate::db;
use crate::state::AppState;

/// Where `--demo` writes one toolkit command per line (keys included; the file is in the data
/// directory, readable only by its owner).
pub const COMMANDS_FILE: &str = "demo-agents.txt";

fn demo_request(name: &str, cloud: &str, region: &str, cidr: &str) -> CreateDeploymentRequest {
    CreateDeploymentRequest {
        name: name.into(),
        cloud: cloud.into(),
        region: region.into(),
        vpc_cidr: cidr.into(),
        // Small enough for the built-in default licence (25 sessions).
        sessions: 10,
        tps: 50,
        nodes: None,
        node_type: None,
        domain: format!("{name}.demo.example.com"),
        certificate_pem: None,
        tags: vec![byoc_core::api::Tag {
            key: "env".into(),
            value: "demo".into(),
        }],
    }
}

/// What the API answered instead of a success (or why it could not be asked).
#[derive(Debug)]
struct Refused {
    status: Option<StatusCode>,
    message: String,
}

impl From<String> for Refused {
    fn from(message: String) -> Self {
        Refused {
            status: None,
            message,
        }
    }
}

async fn call<T: DeserializeOwned>(
    state: &AppState,
    token: &str,
    path: &str,
    body: &impl serde::Serialize,
) -> Result<T, Refused> {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_vec(body).map_err(|e| e.to_string())?,
        ))
        .map_err(|e| e.to_string())?;
    let response = crate::app(state.clone())
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    if !status.is_success() {
        return Err(Refused {
            status: Some(status),
            message: format!("{path}: {status} {}", String::from_utf8_lossy(&bytes)),
        });
    }
    Ok(serde_json::from_slice(&bytes).map_err(|e| e.to_string())?)
}

/// Creates the demo project (once: a second start finds it and does nothing) and returns the
/// toolkit commands of its new deployments, with the failure each should simulate.
pub async fn prepare(state: &AppState) -> Result<Vec<(String, Option<&'static str>)>, String> {
    let mut conn = state.db.write_alone().await.map_err(|e| e.to_string())?;
    if db::projects::name_taken(&mut conn, "demo", None)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(Vec::new());
    }
    let owner = db::users::by_username(&mut conn, "admin")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the first owner `admin` is missing")?;
    let secret = secrets::new_secret(TOKEN_PREFIX).map_err(|e| e.to_string())?;
    let now = db::now();
    let token = db::tokens::insert(
        &mut conn,
        &owner.id,
        "demo setup (revoked at once)",
        &secrets::digest(&secret),
        &now,
        &db::offset(now.time(), 600),
    )
    .await
    .map_err(|e| e.to_string())?;
    drop(conn);
    let result = async {
        let project: Project = match call(
            state,
            &secret,
            "/api/v1/projects",
            &serde_json::json!({"name": "demo", "description": "Simulated deployments of cargo xtask run --demo"}),
        )
        .await
        {
            Ok(project) => project,
            // Another replica starting together made it first (the name is checked again in
            // the create's write transaction): that one creates the deployments.
            Err(Refused {
                status: Some(StatusCode::CONFLICT),
                ..
            }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let path = format!("/api/v1/projects/{}/deployments", project.id);
        let mut commands = Vec::new();
        for (request, fail) in [
            (demo_request("demo-shanghai", "aliyun", "cn-shanghai", "10.10.0.0/16"), None),
            (demo_request("demo-ningxia", "aws-cn", "cn-northwest-1", "10.20.0.0/16"), Some("compute")),
        ] {
            let change: DeploymentChange = call(state, &secret, &path, &request).await?;
            if let Some(key) = change.bootstrap.and_then(|b| b.key) {
                commands.push((key.command, fail));
            }
        }
        Ok(commands)
    }
    .await;
    if let Ok(mut conn) = state.db.write_alone().await {
        let _ = db::tokens::revoke(&mut conn, &token.id, &db::now()).await;
    }
    result.map_err(|e: Refused| e.message)
}

/// Deployments [`bulk`] writes per transaction.
const BULK_BATCH: usize = 1_000;

/// `count` deployments in a new project named `project`, straight into the database (no
/// licence check, no keys), for benchmarks; every third is running, every seventh failed.
/// Returns the project id.
pub async fn bulk(state: &AppState, project: &str, count: usize) -> Result<String, String> {
    let mut tx = db::write(&state.db).await.map_err(|e| e.to_string())?;
    let now = db::now();
    let p = db::projects::insert(&mut tx, project, "benchmark data", &now)
        .await
        .map_err(|e| e.to_string())?;
    let clouds = [
        ("aws", "us-east-1"),
        ("gcp", "asia-east1"),
        ("aliyun", "cn-hangzhou"),
        ("aws-cn", "cn-north-1"),
    ];
    for i in 0..count {
        let (cloud, region) = clouds[i % clouds.len()];
        let mut req = demo_request(&format!("bench-{i:05}"), cloud, region, "10.0.0.0/16");
        req.sessions = 1_000 + (i as u64 % 50) * 100;
        let spec = spec::validate(&req, &[], chrono::Utc::now()).map_err(|e| format!("{e:?}"))?;
        let row = db::deployments::insert(&mut tx, &p.id, &spec, &now)
            .await
            .map_err(|e| e.to_string())?;
        let events: &[Event] = if i % 7 == 0 {
            &[
                Event::AgentStarted(Operation::Create),
                Event::Failed {
                    phase: "network".into(),
                    reason: "quota exceeded".into(),
                },
            ]
        } else if i % 3 == 0 {
            &[Event::AgentStarted(Operation::Create), Event::Completed]
        } else {
            &[]
        };
        let mut state_now = row.state();
        for e in events {
            state_now = apply(&state_now, e).map_err(|e| e.to_string())?;
        }
        if !events.is_empty() {
            db::deployments::set_state(&mut tx, &row.id, row.version, &state_now, None, &now)
                .await
                .map_err(|e| e.to_string())?;
        }
        // A transaction per thousand: every insert's triggers update the same few counter rows,
        // and PostgreSQL keeps each version until the transaction ends, so one transaction made
        // each update walk all the earlier ones (100,000 deployments took 16 minutes to seed).
        if i % BULK_BATCH == BULK_BATCH - 1 {
            tx.commit().await.map_err(|e| e.to_string())?;
            tx = db::write(&state.db).await.map_err(|e| e.to_string())?;
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(p.id)
}
