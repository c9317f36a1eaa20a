//! Running the real `byoc` operations against a cloud stand-in (moto for AWS, the local Alibaba
//! Cloud endpoint): the policy the Prerequisites page serves, the toolkit run as one cloud user,
//! and the console's action that hands out the next bootstrap key.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::certs::DOMAIN;
use super::plane::Plane;
use super::toolkit::toolkit_binary;

/// A policy as the Prerequisites page serves it.
pub fn policy(plane: &Plane, cloud: &str, operation: &str) -> Value {
    plane.call(
        "GET",
        &format!("/api/v1/prerequisites/policies?cloud={cloud}&operation={operation}"),
        None,
        None,
    )
}

/// The same policy without one action.
pub fn without(mut policy: Value, action: &str) -> Value {
    for statement in policy["Statement"].as_array_mut().unwrap() {
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.retain(|a| a != action);
        }
    }
    policy
}

pub struct Run {
    pub ok: bool,
    pub text: String,
}

/// `byoc <args…> <extra…>` with the cloud user's environment, in the bootstrap directory, to
/// its end.
pub fn byoc(env: &[(String, String)], extra: &[&str], dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(toolkit_binary())
        .args(args)
        .args(extra)
        .envs(env.iter().cloned())
        .env_remove("AWS_PROFILE")
        .env_remove("ALIBABA_CLOUD_PROFILE")
        .env("HOME", dir)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Run {
        ok: out.status.success(),
        text,
    }
}

pub fn op_args<'a>(plane: &'a Plane, platform: &'a str, key: &'a str) -> Vec<&'a str> {
    vec![
        "--platform",
        platform,
        "--endpoint",
        &plane.base,
        "--key",
        key,
    ]
}

/// The arguments of `byoc create` beyond [`op_args`]: the domain and its TLS files.
pub fn create_args() -> Vec<String> {
    vec![
        "--domain".into(),
        DOMAIN.into(),
        "--cert".into(),
        format!("tls/{DOMAIN}.crt"),
        "--cert-key".into(),
        format!("tls/{DOMAIN}.key"),
    ]
}

/// Asks the control plane for an operation and returns its bootstrap key.
pub fn action(plane: &Plane, id: &str, action: &str) -> String {
    let d = plane.deployment(id);
    let change = plane.call(
        "POST",
        &format!("/api/v1/deployments/{id}/actions/{action}"),
        None,
        d["version"].as_i64(),
    );
    change["bootstrap"]["key"]["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A fresh bootstrap key for a deployment whose operation stopped (as the console's retry gives).
pub fn fresh_key(plane: &Plane, id: &str) -> String {
    let d = plane.deployment(id);
    let fresh = plane.call(
        "POST",
        &format!("/api/v1/deployments/{id}/bootstrap"),
        None,
        d["version"].as_i64(),
    );
    fresh["key"]["key"]
        .as_str()
        .or(fresh["bootstrap"]["key"]["key"].as_str())
        .unwrap_or_else(|| panic!("{fresh}"))
        .to_owned()
}

/// Starts `byoc create` (its `args` after `create`, the cloud user's `env`) and kills it with
/// SIGKILL once its state file in `dir` records the image, before the brokers are all up: the
/// moment a retry must continue from without making anything twice.
pub fn create_killed_after_image(
    env: &[(String, String)],
    args: &[&str],
    dir: &Path,
    deployment_id: &str,
) {
    let mut child = Command::new(toolkit_binary())
        .arg("create")
        .args(args)
        .envs(env.iter().cloned())
        .env("HOME", dir)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let state_file = dir.join(format!(".byoc/deployment-{deployment_id}.json"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&state_file).unwrap_or_default();
        if text.contains("\"image\"") {
            break;
        }
        assert!(Instant::now() < deadline, "the create never made its image");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the create ended before the kill"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
