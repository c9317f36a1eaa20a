//! Agent tokens are bound to their deployment, operation and attempt (issue "Hardening"): a user
//! action supersedes the running toolkit's token at once, so a stale run can no longer complete
//! an operation that is not its own; a newer registration replaces a token; a token lapses a day
//! after its last use; only create and start agents send heartbeats and network reports. Every
//! refusal is a 403 with its own code, audited, and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{licensed_app, Auth, Reply, TestApp};
use serde_json::{json, Value};

struct Fixture {
    app: TestApp,
    admin: Auth,
    id: String,
}

async fn waiting(name: &str) -> (Fixture, String) {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = app.create_project(&admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = app
        .call(
            Method::POST,
            &format!("/api/v1/projects/{project}/deployments"),
            &admin,
            Some(json!({"name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
                        "sessions": 4000, "tps": 1000, "domain": "mqtt.example.com"})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = change["deployment"]["id"].as_str().unwrap().to_owned();
    let key = change["bootstrap"]["key"]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    (Fixture { app, admin, id }, key)
}

impl Fixture {
    async fn deployment(&self) -> Value {
        self.app
            .call(
                Method::GET,
                &format!("/api/v1/deployments/{}", self.id),
                &self.admin,
                None,
                &[],
            )
            .await
            .expect(StatusCode::OK)
            .json()
    }

    /// A user action with the version the deployment has now; returns the new operation's key.
    async fn act(&self, action: &str) -> Option<String> {
        let v = format!("\"{}\"", self.deployment().await["version"]);
        let change = self
            .app
            .call(
                Method::POST,
                &format!("/api/v1/deployments/{}/actions/{action}", self.id),
                &self.admin,
                None,
                &[("if-match", &v)],
            )
            .await
            .expect(StatusCode::OK)
            .json();
        change["bootstrap"]["key"]["key"]
            .as_str()
            .map(str::to_owned)
    }

    async fn register(&self, key: &str, operation: &str) -> String {
        self.register_with_node(key, operation).await.0
    }

    /// The run's token and, for a create, the agent node's.
    async fn register_with_node(&self, key: &str, operation: &str) -> (String, Option<String>) {
        let reply = self
            .app
            .call(
                Method::POST,
                "/agent/v1/register",
                &Auth::None,
                Some(json!({"key": key, "operation": operation, "platform": "aws"})),
                &[],
            )
            .await
            .expect(StatusCode::OK);
        let json = reply.json();
        (
            json["agent_token"].as_str().unwrap().to_owned(),
            json["node_token"].as_str().map(str::to_owned),
        )
    }

    async fn send(&self, token: &str, path: &str, body: Value) -> Reply {
        self.app
            .call(
                Method::POST,
                &format!("/agent/v1/{path}"),
                &Auth::Bearer(token.to_owned()),
                Some(body),
                &[],
            )
            .await
    }

    async fn complete(&self, token: &str, seq: u64) -> Reply {
        self.send(
            token,
            "complete",
            json!({"deployment_id": self.id, "seq": seq, "outcome": "success"}),
        )
        .await
    }

    async fn heartbeat(&self, token: &str, seq: u64) -> Reply {
        self.send(
            token,
            "heartbeat",
            json!({"deployment_id": self.id, "seq": seq, "sessions": 10, "tps": 2}),
        )
        .await
    }

    async fn network(&self, token: &str) -> Reply {
        self.app
            .call(
                Method::GET,
                "/agent/v1/network",
                &Auth::Bearer(token.to_owned()),
                None,
                &[],
            )
            .await
    }

    /// Denied agent entries of this deployment, as (action, detail).
    async fn denied(&self) -> Vec<(String, String)> {
        sqlx::query_as(
            "SELECT action, detail FROM audit_log WHERE target_id = $1 AND outcome = 'denied' AND actor_kind = 'agent' ORDER BY id",
        )
        .bind(&self.id)
        .fetch_all(&self.app.db)
        .await
        .unwrap()
    }

    async fn sessions_used(&self) -> u64 {
        let licence = self
            .app
            .call(Method::GET, "/api/v1/licence", &self.admin, None, &[])
            .await
            .json();
        licence["usage"]["sessions"]["used"].as_u64().unwrap()
    }
}

fn refused(reply: Reply, code: &str) {
    let reply = reply.expect(StatusCode::FORBIDDEN);
    assert_eq!(reply.problem().code.as_str(), code, "{}", reply.text());
}

/// A running deployment and the token of the create run that brought it there.
async fn running(name: &str) -> (Fixture, String) {
    let (f, key) = waiting(name).await;
    let token = f.register(&key, "create").await;
    f.complete(&token, 1).await.expect(StatusCode::OK);
    assert_eq!(f.deployment().await["status"], "running");
    (f, token)
}

#[tokio::test]
async fn after_a_stop_the_create_token_cannot_complete_it_or_free_the_licence() {
    let (f, create_token) = running("stale").await;
    assert_eq!(f.sessions_used().await, 4000);
    let stop_key = f.act("stop").await.unwrap();
    let before = f.deployment().await;
    assert_eq!(before["status"], "stopping");

    // The finding: the create run's token marked the deployment stopped without the stop.
    refused(f.complete(&create_token, 2).await, "agent_token_superseded");
    refused(
        f.send(
            &create_token,
            "progress",
            json!({"deployment_id": f.id, "seq": 3, "phase": "compute", "percent": 50}),
        )
        .await,
        "agent_token_superseded",
    );
    let after = f.deployment().await;
    assert_eq!(after["status"], "stopping", "the stop is still waiting");
    assert_eq!(after["version"], before["version"], "nothing changed");
    assert_eq!(f.sessions_used().await, 4000, "capacity is still held");
    assert_eq!(
        f.denied().await,
        [
            (
                "agent.complete".to_owned(),
                "agent_token_superseded".to_owned()
            ),
            (
                "agent.progress".to_owned(),
                "agent_token_superseded".to_owned()
            ),
        ]
    );

    // The stop's own run completes it.
    let stop_token = f.register(&stop_key, "stop").await;
    f.complete(&stop_token, 1).await.expect(StatusCode::OK);
    assert_eq!(f.deployment().await["status"], "stopped");
    assert_eq!(f.sessions_used().await, 0);
}

#[tokio::test]
async fn the_running_agent_heartbeats_and_reconciles_until_a_user_action() {
    let (f, token) = running("alive").await;
    for seq in 2..5 {
        f.heartbeat(&token, seq).await.expect(StatusCode::OK);
    }
    f.network(&token).await.expect(StatusCode::OK);
    let stop_key = f.act("stop").await.unwrap();
    refused(f.heartbeat(&token, 5).await, "agent_token_superseded");
    refused(f.network(&token).await, "agent_token_superseded");

    // A stop (or delete) run's token is for its operation only.
    let stop_token = f.register(&stop_key, "stop").await;
    refused(
        f.heartbeat(&stop_token, 1).await,
        "agent_token_not_for_message",
    );
    refused(f.network(&stop_token).await, "agent_token_not_for_message");
    f.complete(&stop_token, 2).await.expect(StatusCode::OK);

    // Start: the start run's token is the new running agent; the stop's is done.
    let start_key = f.act("start").await.unwrap();
    refused(f.complete(&stop_token, 3).await, "agent_token_superseded");
    let start_token = f.register(&start_key, "start").await;
    f.complete(&start_token, 1).await.expect(StatusCode::OK);
    f.heartbeat(&start_token, 2).await.expect(StatusCode::OK);
    refused(f.heartbeat(&token, 6).await, "agent_token_superseded");
}

#[tokio::test]
async fn the_agent_nodes_token_keeps_reporting_through_stop_and_start_but_steps_nothing() {
    let (f, key) = waiting("node").await;
    let (run, node) = f.register_with_node(&key, "create").await;
    let node = node.expect("a create registration issues the agent node's token");
    assert_ne!(node, run);
    // The node cannot complete or step the operation; the run does.
    refused(f.complete(&node, 1).await, "agent_token_node_only_reports");
    f.complete(&run, 1).await.expect(StatusCode::OK);
    f.heartbeat(&node, 1_000).await.expect(StatusCode::OK);
    f.network(&node).await.expect(StatusCode::OK);

    let stop_key = f.act("stop").await.unwrap();
    let (stop, none) = f.register_with_node(&stop_key, "stop").await;
    assert_eq!(none, None, "only a create issues a node token");
    f.complete(&stop, 1).await.expect(StatusCode::OK);
    // Stopped: the state machine takes no heartbeat, whoever sends it.
    assert_ne!(f.heartbeat(&node, 1_001).await.status, StatusCode::OK);
    let start_key = f.act("start").await.unwrap();
    let start = f.register(&start_key, "start").await;
    f.complete(&start, 1).await.expect(StatusCode::OK);
    assert_eq!(f.deployment().await["status"], "running");

    // Running again: the node's heartbeats land; the create run's token is long superseded.
    f.heartbeat(&node, 2_000).await.expect(StatusCode::OK);
    assert_eq!(f.deployment().await["live"]["sessions"], 10);
    refused(f.heartbeat(&run, 2).await, "agent_token_superseded");
}

#[tokio::test]
async fn a_retry_supersedes_the_failed_runs_token() {
    let (f, key) = waiting("retried").await;
    let first = f.register(&key, "create").await;
    f.send(&first, "complete", json!({"deployment_id": f.id, "seq": 1, "outcome": "failure", "phase": "network", "reason": "quota"}))
        .await
        .expect(StatusCode::OK);
    let retry_key = f.act("retry").await.unwrap();
    // Before the retry's run registers, the failed run cannot take over the new attempt.
    refused(
        f.send(
            &first,
            "progress",
            json!({"deployment_id": f.id, "seq": 2, "phase": "network", "percent": 10}),
        )
        .await,
        "agent_token_superseded",
    );
    assert_eq!(f.deployment().await["status"], "waiting_for_deployment");
    let second = f.register(&retry_key, "create").await;
    refused(f.complete(&first, 3).await, "agent_token_superseded");
    f.complete(&second, 1).await.expect(StatusCode::OK);
    assert_eq!(f.deployment().await["status"], "running");
}

#[tokio::test]
async fn a_newer_registration_for_the_same_operation_replaces_the_token() {
    let (f, key) = waiting("rerun").await;
    let first = f.register(&key, "create").await;
    // The toolkit died; the user regenerates the key and runs it again.
    let v = format!("\"{}\"", f.deployment().await["version"]);
    let guide = f
        .app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{}/bootstrap", f.id),
            &f.admin,
            None,
            &[("if-match", &v)],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let second = f
        .register(guide["key"]["key"].as_str().unwrap(), "create")
        .await;
    refused(f.complete(&first, 1).await, "agent_token_replaced");
    f.complete(&second, 1).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_token_lapses_a_day_after_its_last_accepted_message() {
    let (f, token) = running("idle").await;
    let last_use = || async {
        sqlx::query_scalar::<_, String>(&format!(
            "SELECT {} FROM agent_tokens WHERE kind = 'run'",
            common::as_text("last_used_at")
        ))
        .fetch_one(&f.app.db)
        .await
        .unwrap()
    };
    // Every accepted message moves the last use on.
    let hours_ago = |h: i64| {
        byoc_server::db::stamp(chrono::Utc::now() - chrono::Duration::hours(h)).to_string()
    };
    let set_last_use = format!("UPDATE agent_tokens SET last_used_at = {}", common::time(1));
    sqlx::query(&set_last_use)
        .bind(hours_ago(23))
        .execute(&f.app.db)
        .await
        .unwrap();
    f.heartbeat(&token, 2).await.expect(StatusCode::OK);
    assert!(last_use().await > hours_ago(1), "the heartbeat renewed it");

    sqlx::query(&set_last_use)
        .bind(hours_ago(25))
        .execute(&f.app.db)
        .await
        .unwrap();
    refused(f.heartbeat(&token, 3).await, "agent_token_expired");
    refused(f.network(&token).await, "agent_token_expired");
    assert!(last_use().await < hours_ago(24), "a refusal renews nothing");
    assert_eq!(
        f.denied().await.last().unwrap(),
        &("agent.network".to_owned(), "agent_token_expired".to_owned())
    );
}

#[tokio::test]
async fn the_agent_token_is_never_cached() {
    let (f, key) = waiting("uncached").await;
    let reply = f
        .app
        .call(
            Method::POST,
            "/agent/v1/register",
            &Auth::None,
            Some(json!({"key": key, "operation": "create", "platform": "aws"})),
            &[],
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(reply.headers[header::PRAGMA], "no-cache");
}
