//! Agent tokens bound to their operation, secrets never cached, If-Match on key regeneration and
//! licence installation (issue "Hardening"), against the real binary over HTTP.

use serde_json::{json, Value};

use crate::server::{Client, Reply, Server};

fn never_cached(reply: &Reply, what: &str) {
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(reply.header("pragma"), Some("no-cache"), "{what}");
}

/// A licensed server, its owner, and a new deployment waiting for `byoc create`: the create
/// answer (which holds the bootstrap key).
fn waiting_deployment(server: &Server) -> (Client<'_>, Reply) {
    let owner = server.admin();
    server.install_licence(&owner);
    let project = owner.ok("POST", "/api/v1/projects", Some(json!({"name": "hostile"})));
    let created = owner.send(
        "POST",
        &format!(
            "/api/v1/projects/{}/deployments",
            project["id"].as_str().unwrap()
        ),
        Some(
            json!({"name": "mqtt", "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
                    "sessions": 1000, "tps": 100, "domain": "mqtt.example.com"}),
        ),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    (owner, created)
}

/// An agent message with the bearer token, straight over HTTP as the toolkit sends it.
fn agent(server: &Server, token: &str, path: &str, body: Value) -> Reply {
    let auth = format!("Bearer {token}");
    server.request(
        "POST",
        &format!("/agent/v1/{path}"),
        &[("authorization", &auth)],
        Some(body.to_string()),
    )
}

fn sessions_used(owner: &Client<'_>) -> u64 {
    owner.ok("GET", "/api/v1/licence", None)["usage"]["sessions"]["used"]
        .as_u64()
        .unwrap()
}

#[test]
fn after_a_stop_the_create_runs_token_cannot_complete_it() {
    let server = Server::start_licensed(&[]);
    let (owner, created) = waiting_deployment(&server);
    never_cached(&created, "the create answer with its bootstrap key");
    let id = created.json()["deployment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = created.json()["bootstrap"]["key"]["key"]
        .as_str()
        .unwrap()
        .to_owned();

    let registered = server.request(
        "POST",
        "/agent/v1/register",
        &[],
        Some(json!({"key": key, "operation": "create", "platform": "aws"}).to_string()),
    );
    assert_eq!(registered.status, 200, "{}", registered.body);
    never_cached(&registered, "the register answer with the agent token");
    let token = registered.json()["agent_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = agent(
        &server,
        &token,
        "complete",
        json!({"deployment_id": id, "seq": 1, "outcome": "success"}),
    );
    assert_eq!(done.status, 200, "{}", done.body);

    let d = owner.ok("GET", &format!("/api/v1/deployments/{id}"), None);
    assert_eq!(d["status"], "running");
    let used = sessions_used(&owner);
    assert_eq!(used, 1000);
    let version = format!("\"{}\"", d["version"]);
    let stop = owner.send_with(
        "POST",
        &format!("/api/v1/deployments/{id}/actions/stop"),
        None,
        &[("if-match", &version)],
    );
    assert_eq!(stop.status, 200, "{}", stop.body);
    never_cached(&stop, "the stop answer with the stop's bootstrap key");
    let stopping = owner.ok("GET", &format!("/api/v1/deployments/{id}"), None);
    assert_eq!(stopping["status"], "stopping");

    // The old token tries to finish the stop it never ran (and so free the licence).
    let stale = agent(
        &server,
        &token,
        "complete",
        json!({"deployment_id": id, "seq": 2, "outcome": "success"}),
    );
    assert_eq!(stale.status, 403, "{}", stale.body);
    assert_eq!(stale.json()["code"], "agent_token_superseded");
    let after = owner.ok("GET", &format!("/api/v1/deployments/{id}"), None);
    assert_eq!(
        after["status"], "stopping",
        "the deployment stays as the stop left it"
    );
    assert_eq!(after["version"], stopping["version"]);
    assert_eq!(
        sessions_used(&owner),
        used,
        "the licence capacity is still held"
    );
    let audit = owner.ok("GET", "/api/v1/audit?action=agent.complete", None);
    let denied = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["outcome"] == "denied" && e["detail"] == "agent_token_superseded");
    assert!(denied, "the refusal is audited: {audit}");
}

#[test]
fn secrets_are_never_cached_and_keys_and_licences_need_if_match() {
    let server = Server::start_licensed(&[]);
    let (owner, created) = waiting_deployment(&server);
    let token = owner.send("POST", "/api/v1/tokens", Some(json!({"name": "ci"})));
    assert_eq!(token.status, 201, "{}", token.body);
    never_cached(&token, "the API token");

    let d = &created.json()["deployment"];
    let id = d["id"].as_str().unwrap();
    let path = format!("/api/v1/deployments/{id}/bootstrap");
    let missing = owner.send("POST", &path, None);
    assert_eq!(missing.status, 428, "{}", missing.body);
    assert_eq!(missing.json()["code"], "if_match_required");
    let version = format!("\"{}\"", d["version"]);
    let regenerated = owner.send_with("POST", &path, None, &[("if-match", &version)]);
    assert_eq!(regenerated.status, 200, "{}", regenerated.body);
    never_cached(&regenerated, "the regenerated bootstrap key");

    let licence = owner.send(
        "PUT",
        "/api/v1/licence",
        Some(json!({"licence": "byoc-lic-v1.anything"})),
    );
    assert_eq!(licence.status, 428, "{}", licence.body);
    assert_eq!(licence.json()["code"], "if_match_required");
}
