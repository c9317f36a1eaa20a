//! The local Alibaba Cloud endpoint (`tests/aliyun/aliyun_server.py`) for the toolkit's
//! real-provisioning tests: it verifies every request's signature with Alibaba Cloud's own
//! library, judges each call against its RAM user's policy (actions and tag conditions), records
//! it, and answers as Alibaba Cloud's API reference shapes the answers. Started on a free loopback
//! port with RAM users holding exactly the policies the control plane hands out.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Map, Value};

/// The account every resource of the endpoint belongs to (the toolkit reports it as the UID).
pub const ACCOUNT: &str = "1234567890123456";

pub struct Aliyun {
    pub endpoint: String,
    /// User name → (AccessKey ID, secret).
    keys: Vec<(String, String, String)>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Aliyun {
    /// Starts an endpoint whose RAM users are `users` (name, policy document).
    pub fn start(region: &str, users: &[(&str, Value)]) -> Aliyun {
        let dir = tempfile::tempdir().unwrap();
        let mut keys = Vec::new();
        let mut config_users = Map::new();
        for (i, (name, policy)) in users.iter().enumerate() {
            let id = format!("LTAI5tTest{i:02}{}", name.replace('-', ""));
            let secret = format!("secret-of-{name}-{i}");
            config_users.insert(id.clone(), json!({"secret": secret, "policy": policy}));
            keys.push(((*name).to_owned(), id, secret));
        }
        let config = dir.path().join("config.json");
        std::fs::write(
            &config,
            json!({"account_id": ACCOUNT, "region": region, "users": config_users}).to_string(),
        )
        .unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("aliyun");
        let python = Command::new(root.join("venv.sh"))
            .stderr(Stdio::inherit())
            .output()
            .unwrap();
        assert!(
            python.status.success(),
            "cannot install alibabacloud-openapi-util"
        );
        let python = String::from_utf8(python.stdout).unwrap();
        let mut command = Command::new(python.trim());
        command
            .arg(root.join("aliyun_server.py"))
            .arg("--config")
            .arg(&config)
            .args(["--port", "0"]);
        let (child, port) = super::start_ready(command, "the Alibaba Cloud endpoint");
        Aliyun {
            endpoint: format!("http://127.0.0.1:{port}"),
            keys,
            child,
            _dir: dir,
        }
    }

    /// The environment a toolkit run as `user` gets: its AccessKey and the endpoint.
    pub fn env(&self, user: &str) -> Vec<(String, String)> {
        let (_, id, secret) = self.keys.iter().find(|(n, _, _)| n == user).unwrap();
        vec![
            ("ALIBABA_CLOUD_ACCESS_KEY_ID".into(), id.clone()),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET".into(), secret.clone()),
            ("ALIBABA_CLOUD_ENDPOINT_URL".into(), self.endpoint.clone()),
        ]
    }

    pub fn access_key(&self, user: &str) -> String {
        self.keys
            .iter()
            .find(|(n, _, _)| n == user)
            .unwrap()
            .1
            .clone()
    }

    fn get(&self, path: &str) -> Value {
        let mut resp = ureq::get(&format!("{}{path}", self.endpoint))
            .call()
            .unwrap();
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap()
    }

    /// Every resource the endpoint holds, by kind.
    pub fn state(&self) -> Value {
        self.get("/_state")
    }

    /// Every signed call, in order: ak, product, action, allowed, status, params.
    pub fn calls(&self) -> Vec<Value> {
        self.get("/_calls").as_array().unwrap().clone()
    }

    /// A running instance that is not the deployment's, with the given tags.
    pub fn bystander(&self, tags: Value) -> String {
        let mut resp = ureq::post(&format!("{}/_instance", self.endpoint))
            .header("content-type", "application/json")
            .send(json!({ "tags": tags }).to_string())
            .unwrap();
        let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        v["InstanceId"].as_str().unwrap().to_owned()
    }

    /// The live resources tagged with the deployment, counted under the seed's quota rows.
    pub fn inventory(&self, deployment: &str) -> std::collections::BTreeMap<&'static str, usize> {
        let state = self.state();
        let mine = |r: &Value| r["tags"]["byoc-deployment"] == deployment;
        let live = |r: &Value| {
            !matches!(r["status"].as_str(), Some("Deleted"))
                && !matches!(r["Status"].as_str(), Some("Deleted"))
        };
        let count = |kind: &str| {
            state[kind]
                .as_array()
                .map(|l| l.iter().filter(|r| mine(r) && live(r)).count())
                .unwrap_or(0)
        };
        let listeners = state["load_balancers"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|r| mine(r) && live(r))
                    .map(|r| r["listeners"].as_array().map(Vec::len).unwrap_or(0))
                    .sum()
            })
            .unwrap_or(0);
        [
            ("VPCs", count("vpcs")),
            ("Subnets", count("vswitches")),
            ("SLB", count("load_balancers")),
            ("SLB Listeners", listeners),
            ("ECS Instances", count("instances")),
            ("ECS Images", count("images")),
            ("ECS Key Pairs", count("key_pairs")),
            ("Security Groups", count("security_groups")),
        ]
        .into_iter()
        .collect()
    }
}

impl Drop for Aliyun {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
