//! Hostile input (issue "Hardening", findings 2 and 7): per-route body limits, fields checked
//! before anything is stored, repeated anonymous failures counted instead of recorded one by one,
//! client request ids kept only when short and plain, and the TLS check signed in and bounded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use byoc_core::api::ProblemCode;
use common::{test_app, Auth, TestApp};
use serde_json::{json, Value};

const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");

async fn raw(app: &TestApp, method: Method, uri: &str, auth: &Auth, body: String) -> common::Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Auth::Cookie(c) = auth {
        req = req
            .header(header::COOKIE, c.as_str())
            .header("x-requested-with", "test");
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn each_route_refuses_bodies_larger_than_its_largest_valid_request() {
    let app = test_app().await;
    let owner = app.admin().await;
    let cases = [
        (
            Method::POST,
            "/api/v1/session",
            Auth::None,
            5 * 1024,
            "4 KiB",
        ),
        (
            Method::POST,
            "/agent/v1/register",
            Auth::None,
            17 * 1024,
            "16 KiB",
        ),
        (
            Method::POST,
            "/agent/v1/progress",
            Auth::None,
            17 * 1024,
            "16 KiB",
        ),
        (
            Method::POST,
            "/api/v1/projects",
            owner.clone(),
            17 * 1024,
            "16 KiB",
        ),
        (
            Method::PUT,
            "/api/v1/licence",
            owner.clone(),
            33 * 1024,
            "32 KiB",
        ),
        (
            Method::POST,
            "/api/v1/prerequisites/tls",
            owner.clone(),
            1200 * 1024,
            "1088 KiB",
        ),
    ];
    for (method, uri, auth, size, limit) in cases {
        let body = json!({"name": "x".repeat(size)}).to_string();
        let reply = raw(&app, method.clone(), uri, &auth, body).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {uri}"
        );
        let problem = reply.problem();
        assert_eq!(problem.code, ProblemCode::PayloadTooLarge);
        assert!(
            problem.detail.as_deref().unwrap().contains(limit),
            "{uri}: {:?}",
            problem.detail
        );
    }
    // A real chain fits the TLS check's limit.
    let reply = app
        .call(
            Method::POST,
            "/api/v1/prerequisites/tls",
            &owner,
            Some(json!({"bundle_pem": CHAIN, "domain": "mqtt.example.com"})),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn a_sign_in_no_account_could_match_stores_nothing() {
    let app = test_app().await;
    let audit_before = app.audit_count().await;
    // 3 KiB of username fits the body limit but not the username rule.
    for (username, password, field) in [
        ("u".repeat(3000), "whatever".to_owned(), "username"),
        (
            "admin\u{202e}".to_owned(),
            "whatever".to_owned(),
            "username",
        ),
        ("admin".to_owned(), "p".repeat(500), "password"),
    ] {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/session",
                &Auth::None,
                Some(json!({"username": username, "password": password})),
                &[],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text()
        );
        assert_eq!(reply.problem().errors[0].field, field);
    }
    assert_eq!(app.audit_count().await, audit_before, "nothing audited");
    let longest: i64 = count(
        &app,
        "SELECT COALESCE(MAX(length(actor_name) + length(detail)), 0) FROM audit_log",
    )
    .await;
    assert!(longest < 200, "{longest}");
}

#[tokio::test]
async fn free_text_is_checked_before_anything_is_stored() {
    let app = test_app().await;
    let owner = app.admin().await;
    for description in ["bell\u{7}", "evil\u{202e}txt", "zero\u{200b}width"] {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/projects",
                &owner,
                Some(json!({"name": "p", "description": description})),
                &[],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.problem().errors[0].code, "description_invalid");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM projects").await, 0);
    let reply = app
        .call(
            Method::POST,
            "/agent/v1/register",
            &Auth::None,
            Some(json!({
                "key": "byoc_bk_unknown",
                "operation": "create",
                "platform": "aws",
                "toolkit_version": "1.0\u{1b}[2J"
            })),
            &[],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert_eq!(reply.problem().errors[0].field, "toolkit_version");
}

async fn register_unknown(app: &TestApp, n: usize) -> Value {
    app.call(
        Method::POST,
        "/agent/v1/register",
        &Auth::None,
        Some(json!({"key": format!("byoc_bk_guess{n}"), "operation": "create", "platform": "aws"})),
        &[],
    )
    .await
    .expect(StatusCode::FORBIDDEN)
    .json()
}

#[tokio::test]
async fn repeated_anonymous_failures_are_counted_not_recorded_one_by_one() {
    let app = test_app().await;
    let owner = app.admin().await;
    let before = app.audit_count().await;
    for n in 0..60 {
        register_unknown(&app, n).await;
    }
    assert_eq!(
        app.audit_count().await,
        before + 1,
        "one entry for the hour"
    );
    let page = app
        .call(
            Method::GET,
            "/api/v1/audit?action=agent.register",
            &owner,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let entries = page["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{page}");
    assert_eq!(entries[0]["outcome"], "denied");
    assert_eq!(entries[0]["repeats"], 59);

    // The counter table refuses what the audit log refuses: no deletes, no shrinking.
    let delete = sqlx::query("DELETE FROM audit_repeats")
        .execute(&app.db)
        .await;
    assert!(delete.is_err());
    let shrink = sqlx::query("UPDATE audit_repeats SET repeats = 0")
        .execute(&app.db)
        .await;
    assert!(shrink.is_err());
    let moved = sqlx::query("UPDATE audit_repeats SET source = 'elsewhere'")
        .execute(&app.db)
        .await;
    assert!(moved.is_err());

    // Failures of a known actor are each recorded.
    let known_before = app.audit_count().await;
    for _ in 0..3 {
        app.call(
            Method::PUT,
            "/api/v1/session/password",
            &owner,
            Some(json!({"current_password": "not the password", "new_password": "another long passphrase"})),
            &[],
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.audit_count().await, known_before + 3);
}

#[tokio::test]
async fn a_client_request_id_is_kept_only_when_short_and_plain() {
    let app = test_app().await;
    let reply = app
        .call(
            Method::GET,
            "/api/v1/nothing-here",
            &Auth::None,
            None,
            &[("x-request-id", "client-42.a_b")],
        )
        .await;
    assert_eq!(reply.headers["x-request-id"], "client-42.a_b");
    assert_eq!(reply.problem().request_id.as_deref(), Some("client-42.a_b"));

    for sent in [
        "x".repeat(65),
        "has space".to_owned(),
        "quote\"and<tag>".to_owned(),
        "tab\there".to_owned(),
    ] {
        let reply = app
            .call(
                Method::GET,
                "/api/v1/nothing-here",
                &Auth::None,
                None,
                &[("x-request-id", sent.as_str())],
            )
            .await;
        let used = reply.headers["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(used, sent);
        assert_eq!(used.len(), 36, "a fresh UUID: {used}");
        assert_eq!(reply.problem().request_id.as_deref(), Some(used.as_str()));
    }

    // The audit entry carries the id the response names, never the client's long one.
    let long = "r".repeat(5000);
    let reply = app
        .call(
            Method::POST,
            "/agent/v1/register",
            &Auth::None,
            Some(json!({"key": "byoc_bk_x", "operation": "create", "platform": "aws"})),
            &[("x-request-id", long.as_str())],
        )
        .await
        .expect(StatusCode::FORBIDDEN);
    let used = reply.headers["x-request-id"].to_str().unwrap().to_owned();
    let stored: String = sqlx::query_scalar(
        "SELECT request_id FROM audit_log WHERE action = 'agent.register' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, used);
}

#[tokio::test]
async fn the_tls_check_needs_a_session_and_reads_at_most_a_chain() {
    let app = test_app().await;
    let body = json!({"bundle_pem": CHAIN, "domain": "mqtt.example.com"});
    let reply = app
        .call(
            Method::POST,
            "/api/v1/prerequisites/tls",
            &Auth::None,
            Some(body.clone()),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    let owner = app.admin().await;
    // 32 certificates were read before; a chain has at most 8.
    let many = CHAIN.repeat(3);
    let reply = app
        .call(
            Method::POST,
            "/api/v1/prerequisites/tls",
            &owner,
            Some(json!({"bundle_pem": many, "domain": "mqtt.example.com"})),
            &[],
        )
        .await
        .expect(StatusCode::OK);
    let report = reply.json();
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "only pem_parse: {report}");
    assert_eq!(checks[0]["code"], "pem_parse");
    assert_eq!(checks[0]["outcome"], "fail");
    assert!(checks[0]["message_en"]
        .as_str()
        .unwrap()
        .contains("9 certificates"));
}
