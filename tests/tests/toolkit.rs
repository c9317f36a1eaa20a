//! The `byoc` toolkit against a real control plane on a real socket, without a browser: a
//! simulated create walks every phase to `running` and keeps heartbeating, stop and delete
//! follow, a run told to fail at a phase leaves a failed deployment, and a spent key is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use byoc_agent::operate::{run, OperateArgs};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Operation;
use support::certs::{chain, write, DOMAIN, LEAF_KEY};
use support::plane::Plane;

fn args(plane: &Plane, op: Operation, key: &str) -> OperateArgs {
    OperateArgs {
        operation: op,
        platform: "aws".into(),
        endpoint: plane.base.clone(),
        insecure: false,
        key: key.to_owned(),
        domain: None,
        cert: None,
        cert_key: None,
        simulate: true,
        speed: 2_000.0,
        fail_at: None,
        heartbeats: Some(2),
        allow_after: None,
        state_dir: byoc_agent::operate::network::DEFAULT_STATE_DIR.into(),
        lang: Lang::En,
    }
}

fn new_deployment(plane: &Plane, name: &str) -> (String, String) {
    plane.new_deployment(name, "aws", "us-east-1")
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
