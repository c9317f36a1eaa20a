//! Housekeeping with time as a parameter: expired sessions, idempotency keys older than a day and
//! agent tokens lapsed for a day are removed by `byoc_server::purge::purge(conn, now)` (which the
//! server runs every few minutes); live rows stay. A day-old idempotency key is forgotten even
//! before it is purged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};
use byoc_core::api::ProblemCode;
use byoc_server::db::stamp;
use byoc_server::purge::{purge, Purged};
use chrono::{Duration, Utc};
use common::{test_app, time, TestApp};
use serde_json::json;

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn admin_id(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn dead_sessions_old_idempotency_keys_and_lapsed_tokens_go_and_the_rest_stays() {
    let app = test_app().await;
    let admin = app.admin().await;
    let user = admin_id(&app).await;
    let now = Utc::now();
    let at = |hours: i64| stamp(now - Duration::hours(hours)).to_string();
    // The signed-in session above is alive; three dead ones: past their absolute end, idle for
    // two hours, and both.
    for (id, last_seen, expires) in [
        ("dead-absolute", at(0), at(1)),
        (
            "dead-idle",
            at(2),
            stamp(now + Duration::hours(5)).to_string(),
        ),
        ("dead-both", at(30), at(20)),
    ] {
        sqlx::query(&format!("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, {}, {}, {})", time(3), time(4), time(5)))
            .bind(id).bind(&user).bind(at(40)).bind(last_seen).bind(expires)
            .execute(&app.db).await.unwrap();
    }
    for (key, created) in [("old", at(25)), ("day-and-a-bit", at(24)), ("fresh", at(1))] {
        sqlx::query(&format!("INSERT INTO idempotency_keys (actor_id, key, request_hash, status, body, created_at) VALUES ($1, $2, 'h', 201, '{{}}', {})", time(3)))
            .bind(&user).bind(key).bind(created)
            .execute(&app.db).await.unwrap();
    }
    let project = app.create_project(&admin, "p").await;
    // Agent tokens need a deployment row; one written straight into the table is enough here.
    sqlx::query(&format!(
        "INSERT INTO deployments (id, project_id, name, cloud, region, vpc_cidr, sessions, tps, tier, node_type, \
         node_vcpu, node_memory_gib, nodes, agent_type, domain, tags, status, created_at, updated_at) \
         VALUES ('d-1', $1, 'mqtt', 'aws', 'us-east-1', '10.0.0.0/16', 10, 10, 1, 'c6i.large', 2, 4, 2, 't3.medium', \
         'mqtt.example.com', '[]', 'running', {0}, {0})",
        time(2)
    ))
    .bind(project["id"].as_str().unwrap())
    .bind(at(100))
    .execute(&app.db)
    .await
    .unwrap();
    for (hash, last_used) in [
        ("lapsed-long-ago", at(49)),
        ("lapsed-just-now", at(25)),
        ("alive", at(0)),
    ] {
        sqlx::query(&format!("INSERT INTO agent_tokens (token_hash, deployment_id, operation, attempt, issued_at, last_used_at) VALUES ($1, 'd-1', 'create', 1, {0}, {0})", time(2)))
            .bind(hash).bind(last_used)
            .execute(&app.db).await.unwrap();
    }

    let mut conn = app.store.acquire_writer().await.unwrap();
    let purged = purge(&mut conn, now).await.unwrap();
    drop(conn);
    assert_eq!(
        purged,
        Purged {
            sessions: 3,
            idempotency_keys: 2,
            agent_tokens: 1,
        }
    );
    assert_eq!(count(&app, "sessions").await, 1, "the live session stays");
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM idempotency_keys")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(keys, ["fresh"]);
    // A lapsed token is kept a day longer, so a late agent is told it expired.
    let tokens: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM agent_tokens ORDER BY token_hash")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(tokens, ["alive", "lapsed-just-now"]);
    app.call(Method::GET, "/api/v1/session", &admin, None, &[])
        .await
        .expect(StatusCode::OK);

    // Run again at the same time: nothing more. Two days later: everything has lapsed.
    let mut conn = app.store.acquire_writer().await.unwrap();
    assert_eq!(purge(&mut conn, now).await.unwrap(), Purged::default());
    let later = purge(&mut conn, now + Duration::days(2)).await.unwrap();
    assert_eq!(
        later,
        Purged {
            sessions: 1,
            idempotency_keys: 1,
            agent_tokens: 2,
        }
    );
}

#[tokio::test]
async fn an_idempotency_key_is_forgotten_after_a_day() {
    let app = test_app().await;
    let admin = app.admin().await;
    let create = || {
        app.call(
            Method::POST,
            "/api/v1/projects",
            &admin,
            Some(json!({"name": "retried"})),
            &[("idempotency-key", "retry-1")],
        )
    };
    let first = create().await.expect(StatusCode::CREATED).json();
    let replay = create().await.expect(StatusCode::CREATED).json();
    assert_eq!(
        replay["id"], first["id"],
        "within a day the first answer comes back"
    );
    sqlx::query(&format!(
        "UPDATE idempotency_keys SET created_at = {}",
        time(1)
    ))
    .bind(stamp(Utc::now() - Duration::hours(25)).to_string())
    .execute(&app.db)
    .await
    .unwrap();
    // Not yet purged, but forgotten: the same key is a new request (the name is taken now).
    let again = create().await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert_eq!(again.problem().code, ProblemCode::NameTaken);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM idempotency_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}
