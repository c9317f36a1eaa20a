//! The AWS emulator (moto in server mode, from PyPI) for the toolkit's real-provisioning tests:
//! installed once into a virtualenv under `~/.cache/byoc` (skipped when present), started on a
//! free loopback port with IAM users holding exactly the policies the control plane hands out,
//! then IAM enforcement switched on, so every call the toolkit makes is authenticated and checked
//! against its user's policy. An "emulator" user with every permission inspects the results.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use byoc_agent::cloud::aws::credentials::Credentials;
use byoc_agent::cloud::aws::{Client, Service};
use serde_json::{json, Value};

pub const MOTO_VERSION: &str = "5.2.6";

/// The virtualenv's python, installing moto first when it is missing.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap();
            let venv = home.join(format!(".cache/byoc/moto-{MOTO_VERSION}"));
            let python = venv.join("bin/python");
            let ready = |p: &Path| {
                Command::new(p)
                    .args(["-c", "import moto.server, boto3"])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            };
            if !ready(&python) {
                let ok = Command::new("python3")
                    .args(["-m", "venv"])
                    .arg(&venv)
                    .status()
                    .unwrap()
                    .success()
                    && Command::new(venv.join("bin/pip"))
                        .args(["install", "-q", &format!("moto[server]=={MOTO_VERSION}")])
                        .status()
                        .unwrap()
                        .success();
                assert!(
                    ok && ready(&python),
                    "cannot install moto {MOTO_VERSION} into {}",
                    venv.display()
                );
            }
            python
        })
        .clone()
}

pub struct Moto {
    pub endpoint: String,
    pub region: String,
    keys: HashMap<String, (String, String)>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Moto {
    /// Starts an emulator whose IAM users are `users` (name, policy document) plus "emulator"
    /// (everything allowed), with enforcement on. One partition per emulator: moto keeps the
    /// China partition's users apart, chosen by the signing region.
    pub fn start(region: &str, users: &[(&str, Value)]) -> Moto {
        let dir = tempfile::tempdir().unwrap();
        let mut all: Vec<Value> = users
            .iter()
            .map(|(name, policy)| json!({"name": name, "policy": policy}))
            .collect();
        all.push(
            json!({"name": "emulator", "policy": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}),
        );
        let setup = dir.path().join("setup.json");
        std::fs::write(&setup, json!({"region": region, "users": all}).to_string()).unwrap();
        let keys_path = dir.path().join("keys.json");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("moto/moto_server.py");
        let mut command = Command::new(python());
        command
            .arg(script)
            .args(["--port", "0", "--power-off-builders", "--setup"])
            .arg(&setup)
            .arg("--keys-out")
            .arg(&keys_path);
        let (child, port) = super::start_ready(command, "moto");
        let keys: Value =
            serde_json::from_str(&std::fs::read_to_string(&keys_path).unwrap()).unwrap();
        let keys = keys
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    (
                        v["access_key_id"].as_str().unwrap().to_owned(),
                        v["secret_access_key"].as_str().unwrap().to_owned(),
                    ),
                )
            })
            .collect();
        Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            region: region.to_owned(),
            keys,
            child,
            _dir: dir,
        }
    }

    /// The environment a toolkit run as `user` gets: its keys and the emulator's endpoint.
    pub fn env(&self, user: &str) -> Vec<(String, String)> {
        let (id, secret) = &self.keys[user];
        vec![
            ("AWS_ACCESS_KEY_ID".into(), id.clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), secret.clone()),
            ("AWS_ENDPOINT_URL".into(), self.endpoint.clone()),
        ]
    }

    /// A client with every permission, to look at what the toolkit made.
    pub fn admin(&self) -> Client {
        let (id, secret) = &self.keys["emulator"];
        let endpoint = self.endpoint.clone();
        let mut client = Client::new(
            Credentials {
                access_key_id: id.clone(),
                secret_access_key: secret.clone(),
                session_token: None,
                source: "the test".into(),
            },
            &self.region,
            "inspection",
            Box::new(move |k| (k == "AWS_ENDPOINT_URL").then(|| endpoint.clone())),
        );
        client.backoff = std::time::Duration::from_millis(10);
        client
    }

    pub fn call(
        &self,
        service: Service,
        action: &str,
        params: &[(&str, &str)],
    ) -> byoc_agent::cloud::aws::query::roxmltree_owned::Xml {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.admin()
            .call(service, action, &params)
            .unwrap_or_else(|e| panic!("{action}: {e}"))
    }
}

impl Moto {
    /// What the account holds with this deployment's tags, counted the way the quota table counts.
    pub fn inventory(&self, id: &str) -> BTreeMap<&'static str, usize> {
        let moto = self;
        let by_tag = [
            ("Filter.1.Name", "tag:byoc-deployment"),
            ("Filter.1.Value.1", id),
        ];
        let count = |action: &str, list: &str, extra: &[(&str, &str)]| {
            let mut p: Vec<(&str, &str)> = by_tag.to_vec();
            p.extend_from_slice(extra);
            moto.call(Service::Ec2, action, &p).items(list).len()
        };
        let mut out = BTreeMap::new();
        out.insert("VPC", count("DescribeVpcs", "vpcSet", &[]));
        out.insert("Subnets", count("DescribeSubnets", "subnetSet", &[]));
        out.insert(
            "Security groups",
            count("DescribeSecurityGroups", "securityGroupInfo", &[]),
        );
        out.insert(
            "Route tables",
            count("DescribeRouteTables", "routeTableSet", &[]),
        );
        out.insert(
            "Internet gateways",
            count("DescribeInternetGateways", "internetGatewaySet", &[]),
        );
        out.insert("Key pairs", count("DescribeKeyPairs", "keySet", &[]));
        out.insert(
            "Amazon Machine Images (AMIs)",
            count("DescribeImages", "imagesSet", &[("Owner.1", "self")]),
        );
        out.insert("EC2 instances", moto.live_instances(id).len());
        // Load balancers and target groups, by this deployment's tag.
        let tagged = |arns: Vec<String>| -> usize {
            arns.iter()
                .filter(|arn| {
                    let tags = moto.call(
                        Service::Elb,
                        "DescribeTags",
                        &[("ResourceArns.member.1", arn)],
                    );
                    tags.items("Tags").iter().any(|t| {
                        t.get("Key") == Some("byoc-deployment") && t.get("Value") == Some(id)
                    })
                })
                .count()
        };
        let lbs: Vec<String> = moto
            .call(Service::Elb, "DescribeLoadBalancers", &[])
            .items("LoadBalancers")
            .iter()
            .filter_map(|l| l.get("LoadBalancerArn").map(str::to_owned))
            .collect();
        let ours: Vec<String> = lbs
            .into_iter()
            .filter(|a| tagged(vec![a.clone()]) == 1)
            .collect();
        out.insert("Load balancers", ours.len());
        let listeners: usize = ours
            .iter()
            .map(|arn| {
                moto.call(
                    Service::Elb,
                    "DescribeListeners",
                    &[("LoadBalancerArn", arn)],
                )
                .items("Listeners")
                .len()
            })
            .sum();
        out.insert("LB listeners", listeners);
        let groups: Vec<String> = moto
            .call(Service::Elb, "DescribeTargetGroups", &[])
            .items("TargetGroups")
            .iter()
            .filter_map(|g| g.get("TargetGroupArn").map(str::to_owned))
            .collect();
        out.insert("Target groups", tagged(groups));
        out
    }

    /// (id, type, state, role) of the deployment's instances that are not terminated.
    pub fn live_instances(&self, id: &str) -> Vec<(String, String, String, String)> {
        self.call(
            Service::Ec2,
            "DescribeInstances",
            &[
                ("Filter.1.Name", "tag:byoc-deployment"),
                ("Filter.1.Value.1", id),
            ],
        )
        .items("instancesSet")
        .iter()
        .filter(|i| i.get("instanceState.name") != Some("terminated"))
        .map(|i| {
            (
                i.get("instanceId").unwrap_or("").to_owned(),
                i.get("instanceType").unwrap_or("").to_owned(),
                i.get("instanceState.name").unwrap_or("").to_owned(),
                i.tag("byoc-role").unwrap_or("").to_owned(),
            )
        })
        .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // Closing stdin ends the server; kill in case it does not.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
