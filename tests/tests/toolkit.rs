//! The `byoc` toolkit against a real control plane on a real socket, without a browser: a
//! simulated create walks every phase to `running` and keeps heartbeating, stop and delete
//! follow, a run told to fail at a phase leaves a failed deployment, and a spent key is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use byoc_agent::operate::{run, OperateArgs};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Operation;
use serde_json::{json, Value};
use support::certs::{chain, write, DOMAIN, LEAF_KEY};

/// The control plane on a free port, with a vendor key and a roomy licence installed.
struct Plane {
    base: String,
    cookie: String,
    _data: tempfile::TempDir,
}

fn vendor() -> byoc_core::licence::SigningKey {
    byoc_core::licence::SigningKey::from_bytes(&[7u8; 32])
}

fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

impl Plane {
    fn start() -> Plane {
        let data = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = byoc_server::config::Config::for_tests(data.path());
        config.public_url = Some(base.clone());
        let key_path = data.path().join("vendor.pem");
        std::fs::write(
            &key_path,
            byoc_core::licence::public_key_pem(&vendor().verifying_key()),
        )
        .unwrap();
        config.licence_public_key = Some(key_path);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let state = byoc_server::prepare(config).await.unwrap();
                listener.set_nonblocking(true).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, byoc_server::app(state))
                    .await
                    .unwrap();
            });
        });
        let mut plane = Plane {
            base,
            cookie: String::new(),
            _data: data,
        };
        plane.sign_in();
        let now = chrono::Utc::now();
        let payload = byoc_core::licence::LicencePayload {
            id: "LIC-TOOLKIT".into(),
            kind: byoc_core::licence::LicenceType::Trial,
            issued_to: "Toolkit test".into(),
            issuer_email: "vendor@example.com".into(),
            issued_at: now - chrono::Duration::days(1),
            valid_from: now - chrono::Duration::days(1),
            valid_until: now + chrono::Duration::days(90),
            max_sessions: 100_000,
            max_tps: 50_000,
            core_size: 64,
        };
        let line = byoc_core::licence::issue(&payload, &vendor()).unwrap();
        plane.call(
            "PUT",
            "/api/v1/licence",
            Some(json!({ "licence": line })),
            None,
        );
        plane
    }

    fn sign_in(&mut self) {
        for _ in 0..100 {
            let reply = http()
                .post(&format!("{}/api/v1/session", self.base))
                .header("content-type", "application/json")
                .send(json!({"username": "admin", "password": byoc_server::config::TEST_ADMIN_PASSWORD}).to_string().as_str());
            if let Ok(resp) = reply {
                if resp.status() == 200 {
                    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
                    self.cookie = cookie.split(';').next().unwrap().to_owned();
                    return;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the control plane did not start");
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>, if_match: Option<i64>) -> Value {
        let url = format!("{}{path}", self.base);
        let agent = http();
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("cookie", &self.cookie)
            .header("x-requested-with", "test")
            .header("content-type", "application/json");
        if let Some(v) = if_match {
            req = req.header("if-match", format!("\"{v}\""));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut resp = agent.run(req.body(body).unwrap()).unwrap();
        let text = resp.body_mut().read_to_string().unwrap();
        assert!(
            resp.status().is_success(),
            "{method} {path}: {} {text}",
            resp.status()
        );
        serde_json::from_str(&text).unwrap()
    }

    fn deployment(&self, id: &str) -> Value {
        self.call("GET", &format!("/api/v1/deployments/{id}"), None, None)
    }
}

fn args(plane: &Plane, op: Operation, key: &str) -> OperateArgs {
    OperateArgs {
        operation: op,
        platform: "aws".into(),
        endpoint: plane.base.clone(),
        key: key.to_owned(),
        domain: None,
        cert: None,
        cert_key: None,
        simulate: true,
        speed: 2_000.0,
        fail_at: None,
        heartbeats: Some(2),
        lang: Lang::En,
    }
}

fn new_deployment(plane: &Plane, name: &str) -> (String, String) {
    let project = plane.call(
        "POST",
        "/api/v1/projects",
        Some(json!({"name": format!("p-{name}")})),
        None,
    );
    let body = json!({"name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
                      "sessions": 1000, "tps": 500, "domain": DOMAIN});
    let change = plane.call(
        "POST",
        &format!(
            "/api/v1/projects/{}/deployments",
            project["id"].as_str().unwrap()
        ),
        Some(body),
        None,
    );
    (
        change["deployment"]["id"].as_str().unwrap().to_owned(),
        change["bootstrap"]["key"]["key"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

fn toolkit(args: &OperateArgs) -> (bool, String) {
    let mut out = Vec::new();
    let ok =
        run(&mut out, args).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&out)));
    (ok, String::from_utf8(out).unwrap())
}

#[test]
fn a_simulated_create_runs_every_phase_then_stop_and_delete_follow() {
    let plane = Plane::start();
    let (id, key) = new_deployment(&plane, "sim-ok");
    let tls = tempfile::tempdir().unwrap();
    let [leaf, intermediate, root] = chain();
    let cert = write(&tls, "mqtt.crt", &format!("{leaf}{intermediate}{root}"));
    let cert_key = write(&tls, "mqtt.key", LEAF_KEY);
    let create = OperateArgs {
        domain: Some(DOMAIN.into()),
        cert: Some(cert.into()),
        cert_key: Some(cert_key.into()),
        ..args(&plane, Operation::Create, &key)
    };
    let (ok, text) = toolkit(&create);
    assert!(ok, "{text}");
    for phase in Operation::Create.phases() {
        assert!(
            text.contains(&format!("] {phase}: ")),
            "{phase} missing:\n{text}"
        );
    }
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "running");
    assert!(d["outputs"]["load_balancer"]
        .as_str()
        .unwrap()
        .starts_with("sim-ok-lb."));
    assert!(
        d["live"]["sessions"].as_u64().unwrap() > 0,
        "heartbeats arrived: {d}"
    );

    // The same key again: spent.
    let err = run(&mut Vec::new(), &create).unwrap_err().to_string();
    assert!(err.contains("bootstrap_key_used"), "{err}");

    let stop = plane.call(
        "POST",
        &format!("/api/v1/deployments/{id}/actions/stop"),
        None,
        d["version"].as_i64(),
    );
    let stop_key = stop["bootstrap"]["key"]["key"].as_str().unwrap();
    let (ok, text) = toolkit(&args(&plane, Operation::Stop, stop_key));
    assert!(ok, "{text}");
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "stopped");

    let del = plane.call(
        "POST",
        &format!("/api/v1/deployments/{id}/actions/delete"),
        None,
        d["version"].as_i64(),
    );
    let (ok, _) = toolkit(&args(
        &plane,
        Operation::Delete,
        del["bootstrap"]["key"]["key"].as_str().unwrap(),
    ));
    assert!(ok);
    assert_eq!(plane.deployment(&id)["status"], "deleted");
}

#[test]
fn a_run_told_to_fail_leaves_a_failed_deployment_that_can_be_retried() {
    let plane = Plane::start();
    let (id, key) = new_deployment(&plane, "sim-fail");
    // The TLS files are checked before anything is sent; a start needs none.
    let d = plane.deployment(&id);
    let cancel_version = d["version"].as_i64();
    let bad = OperateArgs {
        domain: Some(DOMAIN.into()),
        cert: Some("/nonexistent/cert.pem".into()),
        cert_key: Some("/nonexistent/key.pem".into()),
        ..args(&plane, Operation::Create, &key)
    };
    assert!(run(&mut Vec::new(), &bad).is_err());
    assert_eq!(
        plane.deployment(&id)["version"].as_i64(),
        cancel_version,
        "nothing was sent"
    );

    let tls = tempfile::tempdir().unwrap();
    let [leaf, intermediate, root] = chain();
    let failing = OperateArgs {
        domain: Some(DOMAIN.into()),
        cert: Some(write(&tls, "c.pem", &format!("{leaf}{intermediate}{root}")).into()),
        cert_key: Some(write(&tls, "k.pem", LEAF_KEY).into()),
        fail_at: Some("network".into()),
        ..args(&plane, Operation::Create, &key)
    };
    let (ok, text) = toolkit(&failing);
    assert!(!ok);
    assert!(text.contains("FAILED at network"), "{text}");
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "failed");
    assert_eq!(d["progress"]["phase"], "network");
    assert_eq!(d["reason"], "simulated failure in the network phase");
    let retry = plane.call(
        "POST",
        &format!("/api/v1/deployments/{id}/actions/retry"),
        None,
        d["version"].as_i64(),
    );
    assert_eq!(retry["deployment"]["status"], "waiting_for_deployment");
    assert!(retry["bootstrap"]["key"]["key"].is_string());
}
