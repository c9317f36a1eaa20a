//! `--demo` data goes through the real API (validated, licensed, audited) with a token that is
//! revoked at once; the benchmark filler makes deployments in every kind of state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};

#[tokio::test]
async fn the_demo_creates_its_deployments_once_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::config(dir.path()).await;
    let url = config.database_url();
    let state = byoc_server::prepare(config).await.unwrap();
    let db = common::any_pool(&url).await;
    let commands = byoc_server::demo::prepare(&state).await.unwrap();
    assert_eq!(commands.len(), 2);
    assert!(commands[0]
        .0
        .starts_with("./byoc create --platform aliyun --endpoint "));
    assert_eq!(commands[1].1, Some("compute"));
    assert!(
        byoc_server::demo::prepare(&state).await.unwrap().is_empty(),
        "only once"
    );

    let revoked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(revoked, 1, "the setup token is revoked");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'deployment.create' AND actor_kind = 'token'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn bulk_data_spans_states() {
    let app = common::test_app().await;
    let admin = app.admin().await;
    let mut config = byoc_server::config::Config::for_tests(app.dir.path());
    config.database_url = Some(app.url.clone());
    let state = byoc_server::prepare(config).await.unwrap();
    let project = byoc_server::demo::bulk(&state, "bench", 30).await.unwrap();
    let page = app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{project}/deployments?limit=500"),
            &admin,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(page["total"], 30);
    let statuses: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    for s in ["waiting_for_deployment", "running", "failed"] {
        assert!(statuses.contains(&s), "{s}");
    }
}

/// Replicas started together with `--demo` (two control planes on one database here): each
/// start succeeds, and the demo project and its deployments are made once between them.
#[tokio::test]
async fn replicas_starting_together_make_the_demo_once() {
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let config = common::config(dir.path()).await;
        let url = config.database_url();
        let mut second = config.clone();
        second.data_dir = dir.path().join("second");
        second.database_url = Some(url.clone());
        let (a, b) = tokio::join!(byoc_server::prepare(config), byoc_server::prepare(second));
        let (a, b) = (a.unwrap(), b.unwrap());
        let (ca, cb) = tokio::join!(
            byoc_server::demo::prepare(&a),
            byoc_server::demo::prepare(&b)
        );
        let (ca, cb) = (ca.unwrap(), cb.unwrap());
        assert_eq!(ca.len() + cb.len(), 2, "{ca:?} {cb:?}");
        let db = common::any_pool(&url).await;
        let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE name = 'demo'")
            .fetch_one(&db)
            .await
            .unwrap();
        let deployments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deployments")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!((projects, deployments), (1, 2));
    }
}
