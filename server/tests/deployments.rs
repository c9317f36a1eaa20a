//! Deployments through the real router and database: create (validated, idempotent, fitted to
//! the licence), the whole lifecycle driven by the agent protocol, every refusal of the protocol,
//! bootstrap keys, concurrent actions, roles and lists.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use byoc_core::api::ProblemCode;
use common::{licensed_app, Auth, Reply, TestApp};
use serde_json::{json, Value};

fn request(name: &str) -> Value {
    json!({
        "name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
        "sessions": 4000, "tps": 1000, "domain": "mqtt.example.com",
        "tags": [{"key": "team", "value": "iot"}]
    })
}

async fn app() -> (TestApp, Auth, String) {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = app.create_project(&admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, admin, project)
}

async fn create(app: &TestApp, auth: &Auth, project: &str, body: Value) -> Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/projects/{project}/deployments"),
        auth,
        Some(body),
        &[],
    )
    .await
}

async fn created(app: &TestApp, auth: &Auth, project: &str, name: &str) -> (String, String) {
    let v = create(app, auth, project, request(name))
        .await
        .expect(StatusCode::CREATED)
        .json();
    (
        v["deployment"]["id"].as_str().unwrap().to_owned(),
        v["bootstrap"]["key"]["key"].as_str().unwrap().to_owned(),
    )
}

async fn get(app: &TestApp, auth: &Auth, id: &str) -> Value {
    app.call(
        Method::GET,
        &format!("/api/v1/deployments/{id}"),
        auth,
        None,
        &[],
    )
    .await
    .expect(StatusCode::OK)
    .json()
}

async fn act(app: &TestApp, auth: &Auth, id: &str, action: &str, version: i64) -> Reply {
    let v = format!("\"{version}\"");
    app.call(
        Method::POST,
        &format!("/api/v1/deployments/{id}/actions/{action}"),
        auth,
        None,
        &[("if-match", &v)],
    )
    .await
}

async fn register(app: &TestApp, key: &str, operation: &str, platform: &str) -> Reply {
    app.call(Method::POST, "/agent/v1/register", &Auth::None,
        Some(json!({"key": key, "operation": operation, "platform": platform, "toolkit_version": "test"})), &[]).await
}

async fn agent(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.call(
        Method::POST,
        &format!("/agent/v1/{path}"),
        &Auth::Bearer(token.to_owned()),
        Some(body),
        &[],
    )
    .await
}

/// Registers with `key` and walks every phase of `operation` to success; returns the agent token.
async fn run_operation(app: &TestApp, id: &str, key: &str, operation: &str) -> String {
    let reg = register(app, key, operation, "aws")
        .await
        .expect(StatusCode::OK)
        .json();
    let token = reg["agent_token"].as_str().unwrap().to_owned();
    let phases: Vec<String> = serde_json::from_value(reg["phases"].clone()).unwrap();
    let mut seq = 0;
    for (i, phase) in phases.iter().enumerate() {
        seq += 1;
        let percent = (i + 1) * 90 / phases.len();
        agent(app, &token, "progress", json!({"deployment_id": id, "seq": seq, "phase": phase, "percent": percent, "message": format!("{phase} …")}))
            .await
            .expect(StatusCode::OK);
    }
    let outputs = json!({"cloud_account_id": "123456789012", "zone": "us-east-1a", "vpc_id": "vpc-0abc", "load_balancer": "lb.example.com"});
    agent(
        app,
        &token,
        "complete",
        json!({"deployment_id": id, "seq": seq + 1, "outcome": "success", "outputs": outputs}),
    )
    .await
    .expect(StatusCode::OK);
    token
}

fn version(v: &Value) -> i64 {
    v["version"].as_i64().unwrap()
}

#[tokio::test]
async fn a_deployment_walks_create_stop_start_and_delete_through_the_agent_protocol() {
    let (app, admin, project) = app().await;
    let reply = create(&app, &admin, &project, request("mqtt-prod"))
        .await
        .expect(StatusCode::CREATED);
    let change = reply.json();
    let d = &change["deployment"];
    assert_eq!(d["status"], "waiting_for_deployment");
    assert_eq!(d["allowed_actions"], json!(["cancel"]));
    assert_eq!(
        (
            d["tier"].as_u64(),
            d["nodes"].as_u64(),
            d["node_type"].as_str()
        ),
        (Some(1), Some(2), Some("c6i.large"))
    );
    let boot = &change["bootstrap"];
    assert_eq!(boot["operation"], "create");
    assert_eq!(boot["policy_operation"], "create");
    assert_eq!(boot["key_state"], "pending");
    let key = boot["key"]["key"].as_str().unwrap();
    let command = boot["key"]["command"].as_str().unwrap();
    assert!(
        command.starts_with("./byoc create --platform aws --endpoint http://"),
        "{command}"
    );
    assert!(
        command.contains(&format!("--key {key} --domain mqtt.example.com --cert ")),
        "{command}"
    );
    let id = d["id"].as_str().unwrap().to_owned();

    // The key is shown once: the guide afterwards has only the template.
    let guide = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(guide["key"].is_null());
    assert!(guide["command_template"]
        .as_str()
        .unwrap()
        .contains("--key <key>"));
    // Only its digest is stored.
    let stored: String = sqlx::query_scalar("SELECT key_hash FROM bootstrap_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(stored, key);
    assert_eq!(stored.len(), 64);

    let token = run_operation(&app, &id, key, "create").await;
    let d = get(&app, &admin, &id).await;
    assert_eq!(d["status"], "running");
    assert_eq!(d["allowed_actions"], json!(["stop", "delete"]));
    assert_eq!(d["outputs"]["load_balancer"], "lb.example.com");
    assert_eq!(d["outputs"]["zone"], "us-east-1a");
    assert!(d["agent_last_seen_at"].is_string());

    agent(
        &app,
        &token,
        "heartbeat",
        json!({"deployment_id": id, "seq": 100, "sessions": 1234, "tps": 56}),
    )
    .await
    .expect(StatusCode::OK);
    let d = get(&app, &admin, &id).await;
    assert_eq!(
        (d["live"]["sessions"].as_u64(), d["live"]["tps"].as_u64()),
        (Some(1234), Some(56))
    );
    let licence = app
        .call(Method::GET, "/api/v1/licence", &admin, None, &[])
        .await
        .json();
    assert_eq!(licence["usage"]["sessions"]["used"], 4000);
    assert_eq!(licence["usage"]["cores"]["used"], 4);

    let stop = act(&app, &admin, &id, "stop", version(&d))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stop["deployment"]["status"], "stopping");
    assert_eq!(stop["bootstrap"]["policy_operation"], "stop-start");
    let stop_key = stop["bootstrap"]["key"]["key"].as_str().unwrap();
    assert!(stop["bootstrap"]["key"]["command"]
        .as_str()
        .unwrap()
        .starts_with("./byoc stop --platform aws"));
    // The running agent is told to stop its heartbeats: the stop superseded its token.
    let hb = agent(
        &app,
        &token,
        "heartbeat",
        json!({"deployment_id": id, "seq": 101, "sessions": 1, "tps": 1}),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    assert_eq!(hb.problem().code, ProblemCode::AgentTokenSuperseded);
    run_operation(&app, &id, stop_key, "stop").await;
    let d = get(&app, &admin, &id).await;
    assert_eq!(d["status"], "stopped");
    assert!(d["live"].is_null());
    let licence = app
        .call(Method::GET, "/api/v1/licence", &admin, None, &[])
        .await
        .json();
    assert_eq!(
        licence["usage"]["sessions"]["used"], 0,
        "a stopped deployment holds no capacity"
    );

    let start = act(&app, &admin, &id, "start", version(&d))
        .await
        .expect(StatusCode::OK)
        .json();
    let start_key = start["bootstrap"]["key"]["key"].as_str().unwrap();
    run_operation(&app, &id, start_key, "start").await;
    let d = get(&app, &admin, &id).await;
    assert_eq!(d["status"], "running");

    let del = act(&app, &admin, &id, "delete", version(&d))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(del["bootstrap"]["policy_operation"], "delete");
    let del_key = del["bootstrap"]["key"]["key"].as_str().unwrap();
    run_operation(&app, &id, del_key, "delete").await;
    assert_eq!(get(&app, &admin, &id).await["status"], "deleted");

    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT action, outcome FROM audit_log WHERE target_id = $1 ORDER BY id")
            .bind(&id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    for expected in [
        "deployment.create",
        "agent.register",
        "agent.progress",
        "agent.complete",
        "deployment.stop",
        "deployment.start",
        "deployment.delete",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    // A deleted deployment frees its name.
    created(&app, &admin, &project, "mqtt-prod").await;
}

#[tokio::test]
async fn invalid_requests_name_every_field_and_store_nothing() {
    let (app, admin, project) = app().await;
    let mut body = request("Bad_Name");
    body["vpc_cidr"] = json!("8.8.8.0/24");
    body["region"] = json!("mars-1");
    body["tags"] = json!([{"key": "used-by", "value": "me"}]);
    let reply = create(&app, &admin, &project, body)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let problem = reply.problem();
    let fields: Vec<(&str, &str)> = problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "name_start"),
            ("region", "unknown_region"),
            ("vpc_cidr", "cidr_not_private"),
            ("tags", "tag_reserved")
        ]
    );
    let malformed = app
        .call(
            Method::POST,
            &format!("/api/v1/projects/{project}/deployments"),
            &admin,
            Some(json!({"name": 5})),
            &[],
        )
        .await;
    assert_eq!(
        malformed.expect(StatusCode::BAD_REQUEST).problem().code,
        ProblemCode::MalformedBody
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deployments")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
    created(&app, &admin, &project, "taken").await;
    let dup = create(&app, &admin, &project, request("taken"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.problem().errors[0].code, "name_taken");
}

#[tokio::test]
async fn a_certificate_chain_is_checked_again_and_a_private_key_is_never_accepted() {
    let (app, admin, project) = app().await;
    let mut body = request("with-cert");
    body["certificate_pem"] =
        json!("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    let bad = create(&app, &admin, &project, body.clone())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.problem().errors[0].field, "certificate_pem");
    body["certificate_pem"] =
        json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    let refused = create(&app, &admin, &project, body).await;
    assert_eq!(refused.problem().code, ProblemCode::PrivateKeyRefused);
}

#[tokio::test]
async fn bootstrap_keys_are_single_use_expire_and_stop_working_when_regenerated() {
    let (app, admin, project) = app().await;
    let (id, key) = created(&app, &admin, &project, "keys").await;
    let before = version(&get(&app, &admin, &id).await);

    let wrong_op = register(&app, &key, "stop", "aws")
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(wrong_op.problem().code, ProblemCode::OperationMismatch);
    let wrong_cloud = register(&app, &key, "create", "gcp")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_cloud.problem().errors[0].code, "platform_mismatch");
    let unknown = register(&app, "byoc_boot_nonsense", "create", "aws")
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(unknown.problem().code, ProblemCode::BootstrapKeyInvalid);

    // Regenerating replaces the key at once.
    let shown = format!("\"{before}\"");
    let new = app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[("if-match", &shown)],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let new_key = new["key"]["key"].as_str().unwrap().to_owned();
    assert_ne!(new_key, key);
    assert_eq!(
        register(&app, &key, "create", "aws")
            .await
            .expect(StatusCode::FORBIDDEN)
            .problem()
            .code,
        ProblemCode::BootstrapKeyInvalid
    );

    // An hour later it is expired.
    sqlx::query("UPDATE bootstrap_keys SET issued_at = '2020-01-01T00:00:00.000000Z'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        register(&app, &new_key, "create", "aws")
            .await
            .expect(StatusCode::FORBIDDEN)
            .problem()
            .code,
        ProblemCode::BootstrapKeyExpired
    );
    let guide = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[],
        )
        .await
        .json();
    assert_eq!(guide["key_state"], "expired");
    assert_eq!(
        version(&get(&app, &admin, &id).await),
        before,
        "refusals change nothing"
    );
    assert_eq!(
        get(&app, &admin, &id).await["status"],
        "waiting_for_deployment"
    );

    let fresh = app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[("if-match", &shown)],
        )
        .await
        .json();
    let fresh_key = fresh["key"]["key"].as_str().unwrap().to_owned();
    register(&app, &fresh_key, "create", "aws")
        .await
        .expect(StatusCode::OK);
    assert_eq!(get(&app, &admin, &id).await["status"], "deploying");
    assert_eq!(
        register(&app, &fresh_key, "create", "aws")
            .await
            .expect(StatusCode::FORBIDDEN)
            .problem()
            .code,
        ProblemCode::BootstrapKeyUsed
    );
    // Refusals of unknown keys are counted on one entry (`audit_repeats`) rather than recorded
    // one by one; every refusal is accounted for either way.
    let denied: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) + COALESCE(SUM(r.repeats), 0) AS BIGINT) FROM audit_log a \
         LEFT JOIN audit_repeats r ON r.audit_id = a.id \
         WHERE a.action = 'agent.register' AND a.outcome = 'denied'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(denied, 6);
}

#[tokio::test]
async fn agent_messages_out_of_order_repeated_or_for_another_deployment_change_nothing() {
    let (app, admin, project) = app().await;
    let (id, key) = created(&app, &admin, &project, "first").await;
    let (other, _) = created(&app, &admin, &project, "second").await;
    let token = register(&app, &key, "create", "aws").await.json()["agent_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let progress = |seq: u64, phase: &str, percent: u8, dep: &str| json!({"deployment_id": dep, "seq": seq, "phase": phase, "percent": percent});

    agent(&app, &token, "progress", progress(1, "network", 20, &id))
        .await
        .expect(StatusCode::OK);
    let v = version(&get(&app, &admin, &id).await);
    let cases = [
        (
            progress(1, "image", 30, &id),
            StatusCode::CONFLICT,
            "message_out_of_order",
        ),
        (
            progress(0, "image", 30, &id),
            StatusCode::CONFLICT,
            "message_out_of_order",
        ),
        (
            progress(5, "image", 30, &other),
            StatusCode::FORBIDDEN,
            "wrong_deployment",
        ),
        (
            progress(6, "teleport", 30, &id),
            StatusCode::CONFLICT,
            "unknown_phase",
        ),
        (
            progress(7, "image", 10, &id),
            StatusCode::CONFLICT,
            "progress_backwards",
        ),
    ];
    for (body, status, code) in cases {
        let reply = agent(&app, &token, "progress", body).await.expect(status);
        assert_eq!(reply.problem().code.as_str(), code);
    }
    assert_eq!(version(&get(&app, &admin, &id).await), v);
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'agent.progress' AND outcome = 'denied'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(denied, 5, "every refused agent message is in the audit log");
    let d = get(&app, &admin, &id).await;
    assert_eq!(
        (
            d["progress"]["phase"].as_str(),
            d["progress"]["percent"].as_u64()
        ),
        (Some("network"), Some(20))
    );

    let unknown = agent(
        &app,
        "byoc_agt_forged",
        "progress",
        progress(9, "image", 30, &id),
    )
    .await
    .expect(StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.problem().code, ProblemCode::Unauthenticated);
    // A heartbeat before the deployment runs is refused.
    assert_eq!(
        agent(
            &app,
            &token,
            "heartbeat",
            json!({"deployment_id": id, "seq": 10, "sessions": 1, "tps": 1})
        )
        .await
        .problem()
        .code,
        ProblemCode::NotRunning
    );

    // A failure keeps its phase and reason; the same operation can be retried with a new key.
    agent(&app, &token, "complete", json!({"deployment_id": id, "seq": 11, "outcome": "failure", "phase": "image", "reason": "image not found in us-east-1"}))
        .await.expect(StatusCode::OK);
    let d = get(&app, &admin, &id).await;
    assert_eq!(d["status"], "failed");
    assert_eq!(d["reason"], "image not found in us-east-1");
    assert_eq!(d["progress"]["phase"], "image");
    assert_eq!(d["allowed_actions"], json!(["retry", "delete"]));
    let again = agent(
        &app,
        &token,
        "complete",
        json!({"deployment_id": id, "seq": 12, "outcome": "success"}),
    )
    .await
    .expect(StatusCode::CONFLICT);
    assert_eq!(again.problem().code, ProblemCode::ActionNotAllowed);
    let retry = act(&app, &admin, &id, "retry", version(&d))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(retry["deployment"]["status"], "waiting_for_deployment");
    let retry_key = retry["bootstrap"]["key"]["key"].as_str().unwrap();
    // The failed run's token no longer speaks for the deployment once it is retried.
    run_operation(&app, &id, retry_key, "create").await;
    let stale = agent(
        &app,
        &token,
        "heartbeat",
        json!({"deployment_id": id, "seq": 99, "sessions": 1, "tps": 1}),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    assert_eq!(stale.problem().code, ProblemCode::AgentTokenSuperseded);
    assert_eq!(get(&app, &admin, &id).await["status"], "running");
}

#[tokio::test]
async fn refused_actions_list_what_is_allowed_and_cancel_deletes_at_once() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "waiting").await;
    let v = version(&get(&app, &admin, &id).await);
    let reply = act(&app, &admin, &id, "stop", v)
        .await
        .expect(StatusCode::CONFLICT);
    let problem = reply.problem();
    assert_eq!(problem.code, ProblemCode::ActionNotAllowed);
    assert_eq!(problem.allowed_actions, ["cancel"]);
    assert_eq!(
        act(&app, &admin, &id, "explode", v).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/actions/cancel"),
            &admin,
            None,
            &[]
        )
        .await
        .status,
        StatusCode::PRECONDITION_REQUIRED
    );
    assert_eq!(
        act(&app, &admin, &id, "cancel", v - 1).await.status,
        StatusCode::PRECONDITION_FAILED
    );
    let cancelled = act(&app, &admin, &id, "cancel", v)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(cancelled["deployment"]["status"], "deleted");
    assert!(cancelled["bootstrap"].is_null());
    let gone = app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &admin,
            None,
            &[],
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn of_two_concurrent_actions_on_one_version_exactly_one_wins() {
    let (app, admin, project) = app().await;
    let (id, key) = created(&app, &admin, &project, "racy").await;
    run_operation(&app, &id, &key, "create").await;
    let v = version(&get(&app, &admin, &id).await);
    let (a, b) = tokio::join!(
        act(&app, &admin, &id, "stop", v),
        act(&app, &admin, &id, "delete", v)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::PRECONDITION_FAILED],
        "{} / {}",
        a.text(),
        b.text()
    );
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bootstrap_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(keys, 1);
}

#[tokio::test]
async fn viewers_read_but_cannot_operate_and_outsiders_see_nothing() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "guarded").await;
    let viewer = app.create_user(&admin, "vera", "member").await;
    app.add_member(&admin, &project, viewer["id"].as_str().unwrap(), "viewer")
        .await;
    app.create_user(&admin, "olga", "member").await;
    let vera = app.sign_in("vera", &common::password_of("vera")).await;
    let olga = app.sign_in("olga", &common::password_of("olga")).await;

    let v = version(&get(&app, &vera, &id).await);
    let list = app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{project}/deployments"),
            &vera,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list["total"], 1);
    assert_eq!(
        create(&app, &vera, &project, request("nope")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(&app, &vera, &id, "cancel", v).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/deployments/{id}/bootstrap"),
            &vera,
            None,
            &[]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/api/v1/deployments/{id}"),
            &olga,
            None,
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&app, &olga, &id, "cancel", v).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/api/v1/projects/{project}/deployments"),
            &olga,
            None,
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied' AND action LIKE 'deployment.%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(denied, 4);
    assert_eq!(
        get(&app, &admin, &id).await["status"],
        "waiting_for_deployment"
    );
}

#[tokio::test]
async fn the_licence_limits_creates_and_starts() {
    let app = licensed_app(6_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = app.create_project(&admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (id, key) = created(&app, &admin, &project, "first").await;
    let over = create(&app, &admin, &project, request("second"))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(over.problem().code, ProblemCode::LicenceCapacity);
    assert!(over.problem().detail.unwrap().contains("6000"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deployments")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "a refused create leaves nothing behind");

    run_operation(&app, &id, &key, "create").await;
    let d = get(&app, &admin, &id).await;
    let stop = act(&app, &admin, &id, "stop", version(&d)).await.json();
    run_operation(
        &app,
        &id,
        stop["bootstrap"]["key"]["key"].as_str().unwrap(),
        "stop",
    )
    .await;

    // The licence expires (written directly: the API refuses to install an expired one).
    let expired = common::licence_line("LIC-OLD", -30, -1, 100_000, 30_000, 64);
    sqlx::query("UPDATE licences SET replaced_at = '2026-01-01T00:00:00Z'")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO licences (licence_id, line, installed_at, installed_by) VALUES ('LIC-OLD', $1, '2026-01-01T00:00:00Z', 'admin')")
        .bind(&expired).execute(&app.db).await.unwrap();
    let d = get(&app, &admin, &id).await;
    let start = act(&app, &admin, &id, "start", version(&d))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(start.problem().code, ProblemCode::LicenceExpired);
    assert_eq!(
        get(&app, &admin, &id).await["status"],
        "stopped",
        "the refused start changed nothing"
    );
    assert_eq!(
        create(&app, &admin, &project, request("third"))
            .await
            .problem()
            .code,
        ProblemCode::LicenceExpired
    );
}

/// A first page's total, whichever way it is counted: read with the page from the kept counts
/// (no filter, or a status), or counted (a name); zero when the page is empty.
#[tokio::test]
async fn a_first_page_carries_its_total_however_it_is_counted() {
    let (app, admin, project) = app().await;
    for name in ["alpha", "bravo", "charlie"] {
        created(&app, &admin, &project, name).await;
    }
    let list = |q: String| {
        let (app, admin, project) = (&app, &admin, &project);
        async move { app.deployments_page(admin, project, &q).await }
    };
    let all = list(String::new()).await;
    assert_eq!(all["total"], 3, "{all}");
    let status = all["items"][0]["status"].as_str().unwrap().to_owned();
    for (query, total, shown) in [
        (format!("status={status}"), 3, 3),
        ("status=running".to_owned(), 0, 0),
        ("name=a".to_owned(), 3, 3),
        ("name=rav".to_owned(), 1, 1),
        (format!("status={status}&name=harl"), 1, 1),
        ("status=running&name=a".to_owned(), 0, 0),
        ("limit=1".to_owned(), 3, 1),
        ("limit=1&name=a".to_owned(), 3, 1),
    ] {
        let page = list(query.clone()).await;
        assert_eq!(page["total"], total, "{query}: {page}");
        assert_eq!(
            page["items"].as_array().unwrap().len(),
            shown,
            "{query}: {page}"
        );
    }
    let first = list("limit=2".to_owned()).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let next = list(format!("limit=2&cursor={cursor}")).await;
    assert!(next.get("total").is_none(), "{next}");
}

#[tokio::test]
async fn lists_filter_sort_and_page() {
    let (app, admin, project) = app().await;
    for name in ["alpha", "bravo", "charlie", "delta"] {
        let mut body = request(name);
        body["sessions"] = json!(100);
        if name == "delta" {
            body["cloud"] = json!("gcp");
            body["region"] = json!("asia-east1");
        }
        create(&app, &admin, &project, body)
            .await
            .expect(StatusCode::CREATED);
    }
    let list = |q: &str| {
        let uri = format!("/api/v1/projects/{project}/deployments?{q}");
        let admin = admin.clone();
        let app = &app;
        async move { app.call(Method::GET, &uri, &admin, None, &[]).await }
    };
    let names = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let page = list("sort=name&limit=3")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(names(&page), ["alpha", "bravo", "charlie"]);
    assert_eq!(page["total"], 4);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let rest = list(&format!("sort=name&limit=3&cursor={cursor}"))
        .await
        .json();
    assert_eq!(names(&rest), ["delta"]);
    assert!(rest["next_cursor"].is_null());
    // The total is counted for the first page only.
    assert!(rest.get("total").is_none(), "{rest}");
    // A cursor is the last row's place, not a row number: a row added before it does not shift
    // the next page (with OFFSET paging, "bravo" would be served twice).
    let first = list("sort=name&limit=2").await.json();
    assert_eq!(names(&first), ["alpha", "bravo"]);
    let mut early = request("abacus");
    early["sessions"] = json!(100);
    create(&app, &admin, &project, early)
        .await
        .expect(StatusCode::CREATED);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let next = list(&format!("sort=name&limit=2&cursor={cursor}"))
        .await
        .json();
    assert_eq!(names(&next), ["charlie", "delta"]);
    // Every order walks every row exactly once, page by page.
    for sort in ["-created_at", "created_at", "name", "-name", "status"] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = list(&format!("sort={sort}&limit=2&cursor={cursor}"))
                .await
                .expect(StatusCode::OK)
                .json();
            seen.extend(names(&page));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break,
            }
        }
        let whole = names(&list(&format!("sort={sort}&limit=50")).await.json());
        assert_eq!(seen, whole, "{sort}");
        assert_eq!(seen.len(), 5, "{sort}");
    }
    // A cursor of one order is refused for another.
    let reply = list(&format!("sort=-name&cursor={cursor}"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.problem().errors[0].code, "invalid_cursor");
    // A well-formed cursor in time order whose time is not one (forged, never handed out) is the
    // caller's mistake on either database, not a failed query.
    let forged = byoc_core::api::DeploymentCursor {
        sort: byoc_core::api::DeploymentSort::Newest,
        after: vec!["yesterday".into(), "id-1".into()],
    }
    .encode();
    let reply = list(&format!("cursor={forged}"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.problem().errors[0].code, "invalid_cursor");
    assert_eq!(names(&list("cloud=gcp").await.json()), ["delta"]);
    assert_eq!(names(&list("name=ar&sort=-name").await.json()), ["charlie"]);
    assert_eq!(
        names(&list("status=running").await.json()),
        Vec::<String>::new()
    );
    for (q, field) in [
        ("status=sleeping", "status"),
        ("cloud=azure", "cloud"),
        ("sort=size", "sort"),
        ("limit=0", "limit"),
        ("cursor=zzz", "cursor"),
    ] {
        let reply = list(q).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.problem().errors[0].field, field, "{q}");
    }
}

#[tokio::test]
async fn a_replayed_create_returns_the_first_answer_without_the_key() {
    let (app, admin, project) = app().await;
    let uri = format!("/api/v1/projects/{project}/deployments");
    let send = || {
        app.call(
            Method::POST,
            &uri,
            &admin,
            Some(request("once")),
            &[("idempotency-key", "k-1")],
        )
    };
    let first = send().await.expect(StatusCode::CREATED).json();
    let second = send().await.expect(StatusCode::CREATED).json();
    assert_eq!(first["deployment"]["id"], second["deployment"]["id"]);
    assert!(first["bootstrap"]["key"]["key"].is_string());
    assert!(second["bootstrap"]["key"].is_null());
    let stored: String = sqlx::query_scalar("SELECT body FROM idempotency_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(
        !stored.contains("byoc_boot_"),
        "the key is not kept in the database"
    );
}

#[tokio::test]
async fn a_project_with_deployments_cannot_be_deleted() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "keeper").await;
    let p = app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{project}"),
            &admin,
            None,
            &[],
        )
        .await
        .json();
    let v = format!("\"{}\"", p["version"]);
    let reply = app
        .call(
            Method::DELETE,
            &format!("/api/v1/projects/{project}"),
            &admin,
            None,
            &[("if-match", &v)],
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(reply.problem().code, ProblemCode::ProjectNotEmpty);
    let d = get(&app, &admin, &id).await;
    act(&app, &admin, &id, "cancel", version(&d))
        .await
        .expect(StatusCode::OK);
    app.call(
        Method::DELETE,
        &format!("/api/v1/projects/{project}"),
        &admin,
        None,
        &[("if-match", &v)],
    )
    .await
    .expect(StatusCode::NO_CONTENT);
}

/// The create wizard asks the server instead of downloading the list: whether a name is taken,
/// which deployments a range overlaps, a free range; deleted deployments free both, outsiders
/// get 404.
#[tokio::test]
async fn availability_answers_names_taken_overlaps_and_a_free_range() {
    let (app, admin, project) = app().await;
    let (first, _) = created(&app, &admin, &project, "alpha").await;
    let mut other = request("bravo");
    other["vpc_cidr"] = json!("10.10.0.0/16");
    create(&app, &admin, &project, other)
        .await
        .expect(StatusCode::CREATED);
    let ask = |name: &str, cidr: &str| {
        let path = format!(
            "/api/v1/projects/{project}/deployments/availability?name={name}&vpc_cidr={cidr}"
        );
        let app = &app;
        let admin = admin.clone();
        async move {
            app.call(Method::GET, &path, &admin, None, &[])
                .await
                .expect(StatusCode::OK)
                .json()
        }
    };
    let a = ask("alpha", "10.0.0.0/8").await;
    assert_eq!(a["name"], "alpha");
    assert_eq!(a["name_taken"], true);
    assert_eq!(a["overlapping_total"], 2);
    assert_eq!(
        a["overlapping"],
        json!([{"name": "alpha", "vpc_cidr": "10.0.0.0/16"}, {"name": "bravo", "vpc_cidr": "10.10.0.0/16"}])
    );
    // 10.0.0.0/16 and 10.10.0.0/16 are used: the next suggestion.
    assert_eq!(a["suggested_vpc_cidr"], "172.16.0.0/16");

    let b = ask("charlie", "192.168.0.0/16").await;
    assert_eq!(b["name_taken"], false);
    assert_eq!(b["overlapping_total"], 0);

    // A deleted deployment no longer holds its name or range.
    let v = version(&get(&app, &admin, &first).await);
    act(&app, &admin, &first, "cancel", v)
        .await
        .expect(StatusCode::OK);
    let c = ask("alpha", "10.0.0.0/16").await;
    assert_eq!(c["name_taken"], false, "{c}");
    assert_eq!(c["overlapping_total"], 0, "{c}");
    assert_eq!(c["suggested_vpc_cidr"], "10.0.0.0/16");

    // Someone outside the project learns nothing.
    app.create_user(&admin, "olga", "member").await;
    let olga = app.sign_in("olga", &common::password_of("olga")).await;
    app.call(
        Method::GET,
        &format!("/api/v1/projects/{project}/deployments/availability?name=alpha"),
        &olga,
        None,
        &[],
    )
    .await
    .expect(StatusCode::NOT_FOUND);
}

/// The list carries a weak ETag that changes with any change to the project's deployments; a
/// refresh naming it in If-None-Match is a 304 without a body until something changes.
#[tokio::test]
async fn an_unchanged_list_is_not_sent_again() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "alpha").await;
    let path = format!("/api/v1/projects/{project}/deployments?sort=name");
    let first = app
        .call(Method::GET, &path, &admin, None, &[])
        .await
        .expect(StatusCode::OK);
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.headers[header::CACHE_CONTROL], "private, no-cache");
    assert_eq!(first.json()["items"][0]["name"], "alpha");

    let again = app
        .call(
            Method::GET,
            &path,
            &admin,
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG], etag.as_str());

    // Any change to a deployment of the project: the whole answer again, with a new ETag.
    let v = version(&get(&app, &admin, &id).await);
    act(&app, &admin, &id, "cancel", v)
        .await
        .expect(StatusCode::OK);
    let changed = app
        .call(
            Method::GET,
            &path,
            &admin,
            None,
            &[("if-none-match", &etag)],
        )
        .await
        .expect(StatusCode::OK);
    assert_ne!(changed.headers[header::ETAG], etag.as_str());
    assert_eq!(changed.json()["total"], 0);

    // Another project's changes leave this list's ETag alone.
    let now = changed.headers[header::ETAG].to_str().unwrap().to_owned();
    let other = app.create_project(&admin, "other").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    created(&app, &admin, &other, "bravo").await;
    let still = app
        .call(Method::GET, &path, &admin, None, &[("if-none-match", &now)])
        .await;
    assert_eq!(still.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_damaged_stored_time_is_an_error_never_taken_for_another_time() {
    let (app, admin, project) = app().await;
    let (_, key) = created(&app, &admin, &project, "damaged").await;
    // Only the server writes this column; a value that is not a time is a damaged database.
    // Before, it was read as the earliest time there is, and the key answered "expired".
    let damage = sqlx::query("UPDATE bootstrap_keys SET issued_at = 'yesterday-ish'")
        .execute(&app.db)
        .await;
    if common::on_postgres() {
        // A native time column refuses it outright.
        assert!(damage.is_err(), "{damage:?}");
        return;
    }
    damage.unwrap();
    let reply = register(&app, &key, "create", "aws").await;
    assert_eq!(
        reply.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        reply.text()
    );
    assert_eq!(reply.problem().code, ProblemCode::Internal);
    // The key was not spent by the failed attempt.
    let used: Option<String> = sqlx::query_scalar("SELECT used_at FROM bootstrap_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(used, None);
}

/// A filtered list walks an index that holds the filtered columns, so a name that matches few
/// rows is checked on index entries instead of reading every row of the project (figures:
/// `cargo bench -p byoc-server --bench api_load -- deployments`). Asked of SQLite's planner for
/// the statement the list runs, newest and oldest first, with and without a status.
#[tokio::test]
async fn a_filtered_list_walks_an_index_holding_the_filtered_columns() {
    use byoc_core::api::DeploymentSort;
    use byoc_server::db::deployments::{select, Filter};

    let (app, admin, project) = app().await;
    if common::on_postgres() {
        // This asks SQLite's planner; PostgreSQL's schema declares the same indexes.
        return;
    }
    for name in ["alpha", "bravo", "charlie"] {
        created(&app, &admin, &project, name).await;
    }
    let filters = [
        Filter {
            status: Some("running".into()),
            name: Some("edge".into()),
            ..Filter::default()
        },
        Filter {
            name: Some("edge".into()),
            ..Filter::default()
        },
    ];
    for filter in &filters {
        for sort in [DeploymentSort::Newest, DeploymentSort::Oldest] {
            let statement = select(
                "EXPLAIN QUERY PLAN ",
                &project,
                filter,
                sort,
                None,
                51,
                false,
                false,
            )
            .unwrap();
            let plan = common::plan(&app.db, &statement).await;
            let index = plan
                .iter()
                .find_map(|d| d.split(" INDEX ").nth(1))
                .and_then(|rest| rest.split(' ').next())
                .unwrap_or_else(|| panic!("{filter:?} {sort:?}: no index: {plan:?}"))
                .to_owned();
            assert!(
                !plan.iter().any(|d| d.contains("TEMP B-TREE")),
                "{filter:?} {sort:?}: sorted: {plan:?}"
            );
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1)")
                .bind(&index)
                .fetch_all(&app.db)
                .await
                .unwrap();
            for needed in ["status", "name"] {
                assert!(
                    columns.iter().any(|c| c == needed),
                    "{filter:?} {sort:?}: {index} ({columns:?}) lacks {needed}: {plan:?}"
                );
            }
        }
    }
}

/// A list page reads each row as one JSON text the database builds (the fast path); every field
/// must come back exactly as a single get reads it, on either database, whatever the text holds.
#[tokio::test]
async fn a_listed_deployment_is_field_for_field_the_one_a_get_answers() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "every-field").await;
    created(&app, &admin, &project, "plain").await;
    let at = byoc_server::db::offset(chrono::Utc::now(), -90).to_string();
    sqlx::query(&format!(
        "UPDATE deployments SET phase = 'network', percent = 42, reason = $2, message = $3, \
         cloud_account_id = '123456789012', zone = 'us-east-1a', vpc_id = 'vpc-0abc', \
         load_balancer = 'lb \"quoted\" \\ back', live_sessions = 1234, live_tps = 56, \
         live_at = {0}, agent_last_seen_at = {0} WHERE id = $1",
        common::time(4)
    ))
    .bind(&id)
    .bind("quota \"exceeded\"\nsecond line \\ 东")
    .bind("步骤 3/7 — {\"json\": [1, 2]}")
    .bind(&at)
    .execute(&app.db)
    .await
    .unwrap();
    let page = app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{project}/deployments"),
            &admin,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        let one = get(&app, &admin, item["id"].as_str().unwrap()).await;
        assert_eq!(item, &one);
    }
    let listed = items.iter().find(|i| i["id"] == id.as_str()).unwrap();
    assert_eq!(listed["reason"], "quota \"exceeded\"\nsecond line \\ 东");
    assert_eq!(listed["live"]["sessions"], 1234);
    assert_eq!(listed["live"]["at"], at.as_str());
    assert_eq!(listed["outputs"]["load_balancer"], "lb \"quoted\" \\ back");
}

/// A page is kept under the project's change count (`page_cache`): asked again at the same count
/// it is the kept answer, even if the rows were changed behind the count's back (the proof that it
/// is kept: a test can do what no code path does); once the count moves it is read afresh; a
/// caller who may not read the project is refused whatever is kept; each question keeps its own.
#[tokio::test]
async fn a_kept_page_answers_while_the_change_count_stands_and_never_after() {
    let (app, admin, project) = app().await;
    let (id, _) = created(&app, &admin, &project, "kept").await;
    created(&app, &admin, &project, "other").await;
    app.create_user(&admin, "olga", "member").await;
    let olga = app.sign_in("olga", &common::password_of("olga")).await;
    let list = |auth: &'static str, query: &'static str| {
        let (app, admin, olga, project) = (&app, &admin, &olga, &project);
        async move {
            app.call(
                Method::GET,
                &format!("/api/v1/projects/{project}/deployments{query}"),
                if auth == "admin" { admin } else { olga },
                None,
                &[],
            )
            .await
        }
    };
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = list("admin", "").await.expect(StatusCode::OK).json();
    assert_eq!(names(&first), ["other", "kept"]);
    let filtered = list("admin", "?name=kep")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(names(&filtered), ["kept"]);

    // Renamed behind the count's back: the count is put back as it was.
    let count = "SELECT n FROM deployment_changes WHERE project_id = $1";
    let n: i64 = sqlx::query_scalar(count)
        .bind(&project)
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE deployments SET name = 'renamed' WHERE id = $1")
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE deployment_changes SET n = $2 WHERE project_id = $1")
        .bind(&project)
        .bind(n)
        .execute(&app.db)
        .await
        .unwrap();
    let again = list("admin", "").await.expect(StatusCode::OK);
    assert_eq!(again.json(), first, "the kept page, at the same count");
    assert_eq!(
        list("admin", "?name=ren")
            .await
            .expect(StatusCode::OK)
            .json()["total"],
        1,
        "another question is read, not taken from a kept page"
    );
    assert_eq!(
        list("olga", "").await.status,
        StatusCode::NOT_FOUND,
        "a kept page is no way past access"
    );

    // Any change moves the count (here, as the triggers would), and the rows are read again.
    sqlx::query("UPDATE deployment_changes SET n = n + 1 WHERE project_id = $1")
        .bind(&project)
        .execute(&app.db)
        .await
        .unwrap();
    let fresh = list("admin", "").await.expect(StatusCode::OK).json();
    assert_eq!(names(&fresh), ["other", "renamed"]);
    assert_eq!(
        names(
            &list("admin", "?name=kep")
                .await
                .expect(StatusCode::OK)
                .json()
        ),
        Vec::<String>::new()
    );
}
