//! `GET /api/v1/overview` through the real router and database: counts by project and status
//! that follow what each caller may see, the attention lists (failed deployments, PrivateLinks
//! waiting for Allow, keys about to expire, the caller's tokens) and recent activity only for
//! those who may read the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};
use byoc_core::api::Overview;
use common::{licensed_app, Auth, TestApp};
use serde_json::json;

async fn overview(app: &TestApp, auth: &Auth) -> Overview {
    let reply = app
        .call(Method::GET, "/api/v1/overview", auth, None, &[])
        .await
        .expect(StatusCode::OK);
    serde_json::from_value(reply.json()).unwrap()
}

async fn create(app: &TestApp, auth: &Auth, project: &str, name: &str) -> String {
    let body = json!({
        "name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
        "sessions": 1000, "tps": 1000, "domain": "mqtt.example.com", "tags": []
    });
    app.call(
        Method::POST,
        &format!("/api/v1/projects/{project}/deployments"),
        auth,
        Some(body),
        &[],
    )
    .await
    .expect(StatusCode::CREATED)
    .json()["deployment"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Moves a deployment to a state the agent protocol would reach in many steps (covered by the
/// deployments tests); here only what the overview makes of it matters.
async fn set(app: &TestApp, sql: &str, id: &str) {
    sqlx::query(sql).bind(id).execute(&app.db).await.unwrap();
}

fn counts(o: &Overview, project: &str) -> Vec<(String, u64)> {
    o.projects
        .iter()
        .find(|p| p.project_name == project)
        .unwrap_or_else(|| panic!("no project {project} in {o:?}"))
        .counts
        .iter()
        .map(|c| (c.status.clone(), c.count))
        .collect()
}

#[tokio::test]
async fn counts_and_attention_follow_what_each_caller_may_see() {
    let app = licensed_app(1_000_000, 1_000_000, 512).await;
    let admin = app.admin().await;
    let iot = app.create_project(&admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lab = app.create_project(&admin, "lab").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_project(&admin, "empty").await;

    let a = create(&app, &admin, &iot, "alpha").await;
    let b = create(&app, &admin, &iot, "bravo").await;
    let c = create(&app, &admin, &iot, "charlie").await;
    let gone = create(&app, &admin, &iot, "gone").await;
    let x = create(&app, &admin, &lab, "xray").await;

    set(
        &app,
        "UPDATE deployments SET status = 'running', operation = NULL WHERE id = $1",
        &a,
    )
    .await;
    set(
        &app,
        "UPDATE bootstrap_keys SET used_at = issued_at WHERE deployment_id = $1",
        &a,
    )
    .await;
    set(
        &app,
        "UPDATE deployments SET status = 'failed', reason = 'quota exceeded', operation = 'create' WHERE id = $1",
        &b,
    )
    .await;
    set(
        &app,
        "UPDATE deployments SET status = 'deleted', operation = NULL WHERE id = $1",
        &gone,
    )
    .await;
    // c's key expired an hour ago while the create still waits for its toolkit; x's has ten
    // minutes left; a's was used.
    let key_times = |id: &str, issued_minutes: i64, expires_minutes: i64| {
        let at = |m: i64| byoc_server::db::offset(chrono::Utc::now(), m * 60).to_string();
        let sql = format!(
            "UPDATE bootstrap_keys SET issued_at = {}, expires_at = {} WHERE deployment_id = $1",
            common::time(2),
            common::time(3)
        );
        let id = id.to_owned();
        let db = app.db.clone();
        async move {
            sqlx::query(&sql)
                .bind(id)
                .bind(at(issued_minutes))
                .bind(at(expires_minutes))
                .execute(&db)
                .await
                .unwrap();
        }
    };
    key_times(&c, -120, -60).await;
    key_times(&x, -50, 10).await;
    // A PrivateLink of a waiting for its Allow, and one already running.
    for (id, status, service) in [
        (
            "pl-wait",
            "pending_acceptance",
            "com.amazonaws.vpce.us-east-1.vpce-svc-0aaaaaaaaaaaaaaaa",
        ),
        (
            "pl-run",
            "running",
            "com.amazonaws.vpce.us-east-1.vpce-svc-0bbbbbbbbbbbbbbbb",
        ),
    ] {
        sqlx::query(
            "INSERT INTO privatelinks (id, deployment_id, cloud, service_id, service_key, status, \
             created_at, updated_at) VALUES ($1, $2, 'aws', $3, $3, $4, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
        )
        .bind(id)
        .bind(&a)
        .bind(service)
        .bind(status)
        .execute(&app.db)
        .await
        .unwrap();
    }

    // The owner sees every project, deleted deployments not counted, statuses in core's order.
    let o = overview(&app, &admin).await;
    let names: Vec<_> = o.projects.iter().map(|p| p.project_name.as_str()).collect();
    assert_eq!(names, ["empty", "iot", "lab"]);
    assert_eq!(
        counts(&o, "iot"),
        [
            ("waiting_for_deployment".to_owned(), 1),
            ("running".to_owned(), 1),
            ("failed".to_owned(), 1)
        ]
    );
    assert_eq!(
        counts(&o, "lab"),
        [("waiting_for_deployment".to_owned(), 1)]
    );
    assert!(counts(&o, "empty").is_empty());

    let att = &o.attention;
    assert_eq!(att.failed_total, 1);
    assert_eq!(att.failed[0].deployment_id, b);
    assert_eq!(att.failed[0].project_name, "iot");
    assert_eq!(att.failed[0].reason.as_deref(), Some("quota exceeded"));
    assert_eq!(att.privatelinks_waiting_total, 1);
    assert_eq!(att.privatelinks_waiting[0].privatelink_id, "pl-wait");
    assert_eq!(att.privatelinks_waiting[0].deployment_name, "alpha");
    // The expired key first (soonest expiry), then the one about to expire; b failed (its
    // operation no longer waits) and a's key was used, so neither is listed.
    assert_eq!(att.keys_expiring_total, 2);
    let keys: Vec<_> = att
        .keys_expiring
        .iter()
        .map(|k| (k.deployment_name.as_str(), k.operation.as_str(), k.expired))
        .collect();
    assert_eq!(
        keys,
        [("charlie", "create", true), ("xray", "create", false)]
    );
    let activity = o.recent_activity.expect("owners read the audit log");
    assert!(!activity.is_empty() && activity.len() <= 8);
    assert_eq!(activity[0].action, "deployment.create", "newest first");

    // A viewer of lab alone sees lab alone, and no activity (viewers read no audit log).
    let user = app.create_user(&admin, "vera", "member").await;
    app.add_member(&admin, &lab, user["id"].as_str().unwrap(), "viewer")
        .await;
    let vera = app.sign_in("vera", &common::password_of("vera")).await;
    let o = overview(&app, &vera).await;
    let names: Vec<_> = o.projects.iter().map(|p| p.project_name.as_str()).collect();
    assert_eq!(names, ["lab"]);
    assert_eq!(o.attention.failed_total, 0);
    assert_eq!(o.attention.privatelinks_waiting_total, 0);
    assert_eq!(o.attention.keys_expiring_total, 1);
    assert_eq!(o.attention.keys_expiring[0].deployment_name, "xray");
    assert_eq!(o.recent_activity, None);

    // An admin of lab reads lab's activity only.
    let ada = app.create_user(&admin, "ada", "member").await;
    app.add_member(&admin, &lab, ada["id"].as_str().unwrap(), "admin")
        .await;
    let ada = app.sign_in("ada", &common::password_of("ada")).await;
    let o = overview(&app, &ada).await;
    let activity = o
        .recent_activity
        .expect("project admins read their projects' log");
    assert!(!activity.is_empty());
    assert!(
        activity
            .iter()
            .all(|e| e.project_id.as_deref() == Some(lab.as_str())),
        "{activity:?}"
    );
}

#[tokio::test]
async fn the_callers_own_tokens_expiring_within_a_week_are_listed() {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    for (name, days) in [("soon", 3), ("later", 30)] {
        app.call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": name, "expires_in_days": days})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let o = overview(&app, &admin).await;
    let names: Vec<_> = o
        .attention
        .tokens_expiring
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["soon"]);

    // Another user's overview never shows them.
    app.create_user(&admin, "otto", "owner").await;
    let otto = app.sign_in("otto", &common::password_of("otto")).await;
    assert!(overview(&app, &otto)
        .await
        .attention
        .tokens_expiring
        .is_empty());
}

#[tokio::test]
async fn the_overview_needs_a_session() {
    let app = licensed_app(100_000, 30_000, 64).await;
    app.call(Method::GET, "/api/v1/overview", &Auth::None, None, &[])
        .await
        .expect(StatusCode::UNAUTHORIZED);
}

/// The counts the triggers keep (migration 0012) equal counting the rows, after creates, status
/// changes, a move between projects and a removal.
#[tokio::test]
async fn kept_counts_equal_counting_after_every_kind_of_change() {
    let app = licensed_app(1_000_000, 1_000_000, 512).await;
    let admin = app.admin().await;
    let mut projects = Vec::new();
    for name in ["iot", "lab"] {
        projects.push(
            app.create_project(&admin, name).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(create(&app, &admin, &projects[i % 2], &format!("dep-{i}")).await);
    }
    set(
        &app,
        "UPDATE deployments SET status = 'running' WHERE id = $1",
        &ids[0],
    )
    .await;
    set(
        &app,
        "UPDATE deployments SET status = 'failed' WHERE id = $1",
        &ids[1],
    )
    .await;
    set(
        &app,
        "UPDATE deployments SET status = 'deleted' WHERE id = $1",
        &ids[2],
    )
    .await;
    // An update that leaves the status alone changes no count.
    set(
        &app,
        "UPDATE deployments SET percent = 50 WHERE id = $1",
        &ids[3],
    )
    .await;
    sqlx::query("UPDATE deployments SET project_id = $1 WHERE id = $2")
        .bind(&projects[0])
        .bind(&ids[5])
        .execute(&app.db)
        .await
        .unwrap();
    set(&app, "DELETE FROM deployments WHERE id = $1", &ids[4]).await;

    let kept: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT project_id, status, n FROM deployment_counts WHERE n > 0 ORDER BY 1, 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let counted: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT project_id, status, COUNT(*) FROM deployments GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(kept, counted);
    assert_eq!(counted.iter().map(|r| r.2).sum::<i64>(), 5);

    // The list's total reads them: deleted ones aside, by status when narrowed.
    let total = |q: &'static str| {
        let (app, admin, project) = (&app, &admin, &projects[0]);
        async move { app.deployments_page(admin, project, q).await["total"].as_u64() }
    };
    assert_eq!(
        total("").await,
        Some(2),
        "dep-0 (running) and dep-5 (moved in)"
    );
    assert_eq!(total("status=running").await, Some(1));
    assert_eq!(total("status=deleted").await, Some(1));
    assert_eq!(total("name=dep-5").await, Some(1));
}
