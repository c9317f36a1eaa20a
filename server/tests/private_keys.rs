//! Private keys never reach the control plane: any body holding one is refused, whatever the
//! route, and nothing is changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::test_app;
use serde_json::json;

const KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

#[tokio::test]
async fn any_body_with_a_private_key_is_refused_and_changes_nothing() {
    let app = test_app().await;
    let owner = app.admin().await;
    let audit_before = app.audit_count().await;
    for key in [
        KEY.to_owned(),
        KEY.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
        KEY.replace("PRIVATE KEY", "EC PRIVATE KEY"),
        KEY.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
    ] {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/projects",
                &owner,
                Some(json!({"name": "leaky", "description": key})),
                &[],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = reply.problem();
        assert_eq!(problem.code, "private_key_refused");
        assert!(problem.detail.unwrap().contains("stay on your machine"));
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(app.audit_count().await, audit_before);
}

#[tokio::test]
async fn keys_are_caught_form_encoded_and_on_agent_and_unauthenticated_routes() {
    let app = test_app().await;
    let form = "cert=x&key=-----BEGIN+PRIVATE+KEY-----%0AMIIE%0A-----END+PRIVATE+KEY-----";
    let req = axum::http::Request::post("/api/v1/session")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .unwrap();
    assert_eq!(app.send(req).await.problem().code, "private_key_refused");
    let reply = app
        .call(
            Method::POST,
            "/agent/v1/register",
            &common::Auth::None,
            Some(json!({"k": KEY})),
            &[],
        )
        .await;
    assert_eq!(reply.problem().code, "private_key_refused");
}

#[tokio::test]
async fn public_certificates_pass() {
    let app = test_app().await;
    let owner = app.admin().await;
    let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    app.call(
        Method::POST,
        "/api/v1/projects",
        &owner,
        Some(json!({"name": "ok", "description": cert})),
        &[],
    )
    .await
    .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = test_app().await;
    let owner = app.admin().await;
    let big = "x".repeat(3 * 1024 * 1024);
    let reply = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &owner,
            Some(json!({"name": "big", "description": big})),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.problem().code, "payload_too_large");
}
