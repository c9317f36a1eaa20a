//! Answers that carry a secret (an API token, a bootstrap key, an agent token) are never cached:
//! `Cache-Control: no-store` and `Pragma: no-cache`. An idempotent replay of a create carries no
//! secret at all. Regenerating a bootstrap key needs the deployment's version (`If-Match`), so a
//! key is never issued for an operation the user did not see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use byoc_core::api::ProblemCode;
use common::{licensed_app, Auth, Reply, TestApp};
use serde_json::json;

fn never_cached(reply: &Reply, what: &str) {
    assert_eq!(
        reply
            .headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "{what}"
    );
    assert_eq!(
        reply
            .headers
            .get(header::PRAGMA)
            .map(|v| v.to_str().unwrap()),
        Some("no-cache"),
        "{what}"
    );
}

async fn project(app: &TestApp, admin: &Auth) -> String {
    app.create_project(admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create_deployment(app: &TestApp, admin: &Auth, project: &str, key: &str) -> Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/projects/{project}/deployments"),
        admin,
        Some(
            json!({"name": "mqtt", "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
                    "sessions": 4000, "tps": 1000, "domain": "mqtt.example.com"}),
        ),
        &[("idempotency-key", key)],
    )
    .await
}

#[tokio::test]
async fn every_answer_holding_a_secret_is_never_cached() {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;

    let token = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": "ci"})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED);
    assert!(token.json()["secret"].is_string());
    never_cached(&token, "API token");

    let project = project(&app, &admin).await;
    let created = create_deployment(&app, &admin, &project, "d-1")
        .await
        .expect(StatusCode::CREATED);
    assert!(created.json()["bootstrap"]["key"]["key"].is_string());
    never_cached(&created, "create's bootstrap key");
    let d = created.json()["deployment"].clone();
    let id = d["id"].as_str().unwrap();
    let version = format!("\"{}\"", d["version"]);

    let regenerated = app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[("if-match", &version)],
        )
        .await
        .expect(StatusCode::OK);
    assert!(regenerated.json()["key"]["key"].is_string());
    never_cached(&regenerated, "regenerated bootstrap key");

    let key = regenerated.json()["key"]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let registered = app
        .call(
            Method::POST,
            "/agent/v1/register",
            &Auth::None,
            Some(json!({"key": key, "operation": "create", "platform": "aws"})),
            &[],
        )
        .await
        .expect(StatusCode::OK);
    never_cached(&registered, "agent token");
    let agent = registered.json()["agent_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        Method::POST,
        "/agent/v1/complete",
        &Auth::Bearer(agent),
        Some(json!({"deployment_id": id, "seq": 1, "outcome": "success"})),
        &[],
    )
    .await
    .expect(StatusCode::OK);

    let d = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}"),
            &admin,
            None,
            &[],
        )
        .await
        .json();
    let stop = app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/actions/stop"),
            &admin,
            None,
            &[("if-match", &format!("\"{}\"", d["version"]))],
        )
        .await
        .expect(StatusCode::OK);
    assert!(stop.json()["bootstrap"]["key"]["key"].is_string());
    never_cached(&stop, "an action's bootstrap key");
}

#[tokio::test]
async fn a_replayed_create_carries_no_key() {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = project(&app, &admin).await;
    let first = create_deployment(&app, &admin, &project, "same")
        .await
        .expect(StatusCode::CREATED);
    let replay = create_deployment(&app, &admin, &project, "same")
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        replay.json()["deployment"]["id"],
        first.json()["deployment"]["id"]
    );
    assert!(first.json()["bootstrap"]["key"].is_object());
    assert!(
        replay.json()["bootstrap"]["key"].is_null(),
        "the key is shown once: {}",
        replay.text()
    );
    let stored: String = sqlx::query_scalar("SELECT body FROM idempotency_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(
        !stored.contains("byoc_boot_"),
        "no key rests in the database"
    );
}

#[tokio::test]
async fn regenerating_a_key_needs_the_version_shown() {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = project(&app, &admin).await;
    let created = create_deployment(&app, &admin, &project, "k")
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = created["deployment"]["id"].as_str().unwrap();
    let version = created["deployment"]["version"].as_i64().unwrap();
    let regenerate = |if_match: Option<String>| {
        let app = &app;
        let admin = &admin;
        async move {
            let headers: Vec<(&str, &str)> = if_match
                .as_deref()
                .map(|v| ("if-match", v))
                .into_iter()
                .collect();
            app.call(
                Method::POST,
                &format!("/api/v1/deployments/{id}/bootstrap"),
                admin,
                None,
                &headers,
            )
            .await
        }
    };
    let guide = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        guide.headers[header::ETAG].to_str().unwrap(),
        format!("\"{version}\"")
    );

    let missing = regenerate(None).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.problem().code, ProblemCode::IfMatchRequired);
    let stale = regenerate(Some(format!("\"{}\"", version - 1))).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    // Neither replaced the key: the one from the create still registers.
    let key = created["bootstrap"]["key"]["key"].as_str().unwrap();
    app.call(
        Method::POST,
        "/agent/v1/register",
        &Auth::None,
        Some(json!({"key": key, "operation": "create", "platform": "aws"})),
        &[],
    )
    .await
    .expect(StatusCode::OK);
    // The registration moved the deployment on: the version shown before is stale now.
    assert_eq!(
        regenerate(Some(format!("\"{version}\""))).await.status,
        StatusCode::PRECONDITION_FAILED
    );
    let now = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}"),
            &admin,
            None,
            &[],
        )
        .await
        .json()["version"]
        .as_i64()
        .unwrap();
    regenerate(Some(format!("\"{now}\"")))
        .await
        .expect(StatusCode::OK);
}
