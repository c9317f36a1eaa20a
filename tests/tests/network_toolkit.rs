//! The simulated `byoc` agent reconciling peerings and PrivateLinks against a real control plane
//! on a real socket: links the provider allows (by `byoc simulate allow` or after
//! `--allow-after`) run with an endpoint in the deployment's VPC, marked ones fail with a
//! reason, pending peerings become active or fail, and deleted ones are removed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::time::{Duration, Instant};

use byoc_agent::operate::network::allow;
use byoc_agent::operate::{run, OperateArgs};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Operation;
use serde_json::{json, Value};
use support::certs::{chain, write, DOMAIN, LEAF_KEY};
use support::plane::Plane;

const SERVICE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a";
/// Marked for the simulation (hex-only IDs): `c105ed` is not whitelisted, `deadbeef` rejected.
const NOT_WHITELISTED: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0c105ed0000000001";
const REJECTED: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0deadbeef00000001";

/// Runs `byoc create --simulate` for a new deployment in a thread and waits until it runs; the
/// agent then stays on until the deployment is stopped.
struct Agent {
    plane: Plane,
    id: String,
    thread: std::thread::JoinHandle<(bool, String)>,
    state_dir: tempfile::TempDir,
    _tls: tempfile::TempDir,
}

fn start(cloud: &str, region: &str, speed: f64, allow_after: Option<f64>) -> Agent {
    let plane = Plane::start();
    let (id, key) = plane.new_deployment("net", cloud, region);
    let tls = tempfile::tempdir().unwrap();
    let state_dir = tempfile::tempdir().unwrap();
    let [leaf, intermediate, root] = chain();
    let args = OperateArgs {
        operation: Operation::Create,
        platform: cloud.into(),
        endpoint: plane.base.clone(),
        insecure: false,
        key,
        domain: Some(DOMAIN.into()),
        cert: Some(write(&tls, "c.pem", &format!("{leaf}{intermediate}{root}")).into()),
        cert_key: Some(write(&tls, "k.pem", LEAF_KEY).into()),
        simulate: true,
        speed,
        fail_at: None,
        heartbeats: None,
        allow_after,
        state_dir: state_dir.path().to_owned(),
        lang: Lang::En,
    };
    let thread = std::thread::spawn(move || {
        let mut out = Vec::new();
        let ok = run(&mut out, &args)
            .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&out)));
        (ok, String::from_utf8(out).unwrap())
    });
    let agent = Agent {
        plane,
        id,
        thread,
        state_dir,
        _tls: tls,
    };
    agent.wait("the deployment runs", |a| {
        a.plane.deployment(&a.id)["status"] == "running"
    });
    agent
}

impl Agent {
    fn wait(&self, what: &str, done: impl Fn(&Agent) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting until {what}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn create(&self, what: &str, body: Value) -> Value {
        self.plane.call(
            "POST",
            &format!("/api/v1/deployments/{}/{what}", self.id),
            Some(body),
            None,
        )
    }

    fn get(&self, what: &str, rid: &str) -> Value {
        self.plane.call(
            "GET",
            &format!("/api/v1/deployments/{}/{what}/{rid}", self.id),
            None,
            None,
        )
    }

    fn status(&self, what: &str, rid: &str) -> String {
        self.get(what, rid)["status"].as_str().unwrap().to_owned()
    }

    fn delete(&self, what: &str, rid: &str) -> Value {
        let v = self.get(what, rid)["version"].as_i64();
        self.plane.call(
            "DELETE",
            &format!("/api/v1/deployments/{}/{what}/{rid}", self.id),
            None,
            v,
        )
    }

    /// Stops the deployment: the agent hears that its token no longer speaks for the deployment
    /// (the stop began a new operation) at its next heartbeat, and ends.
    fn stop(self) -> String {
        let v = self.plane.deployment(&self.id)["version"].as_i64();
        self.plane.call(
            "POST",
            &format!("/api/v1/deployments/{}/actions/stop", self.id),
            None,
            v,
        );
        let (ok, text) = self.thread.join().unwrap();
        assert!(ok, "{text}");
        text
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[test]
fn the_agent_runs_allowed_links_fails_marked_ones_and_removes_deleted_ones() {
    let agent = start("aws", "us-east-1", 1_000.0, None);
    let ok = id(&agent.create("privatelinks", json!({"service_id": SERVICE})));
    let unlisted = id(&agent.create("privatelinks", json!({"service_id": NOT_WHITELISTED})));
    let rejected = id(&agent.create("privatelinks", json!({"service_id": REJECTED})));
    let peering = id(&agent.create(
        "peerings",
        json!({"peer_cidr": "172.31.0.0/16", "peering_id": "pcx-0a1b2c3d4e5f67890",
               "peer_account_id": "210987654321", "peer_vpc_id": "vpc-0fedcba9"}),
    ));
    let refused_peer = id(&agent.create(
        "peerings",
        json!({"peer_cidr": "192.168.0.0/24", "peering_id": "pcx-deadbeef",
               "peer_account_id": "210987654321", "peer_vpc_id": "vpc-0fedcba9"}),
    ));

    // Marked ones fail at once, with a reason naming the principal to whitelist.
    agent.wait("the marked links and peering fail", |a| {
        a.status("privatelinks", &unlisted) == "failed"
            && a.status("privatelinks", &rejected) == "failed"
            && a.status("peerings", &refused_peer) == "failed"
    });
    let reason = agent.get("privatelinks", &unlisted)["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    let principal = agent.get("privatelinks", &unlisted)["principal"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        principal.starts_with("arn:aws:iam::") && principal.ends_with(":root"),
        "{principal}"
    );
    assert!(
        reason.contains(&principal) && reason.contains("whitelist"),
        "{reason}"
    );
    assert!(agent.get("privatelinks", &rejected)["reason"]
        .as_str()
        .unwrap()
        .contains("rejected"));
    assert!(agent.get("peerings", &refused_peer)["reason"]
        .as_str()
        .unwrap()
        .contains("rejected"));

    // The others wait for the provider side: over a few heartbeats they stay pending.
    let window = Instant::now() + Duration::from_millis(200);
    while Instant::now() < window {
        assert_eq!(
            agent.status("privatelinks", &ok),
            "pending_acceptance",
            "the link waits for the provider"
        );
        assert_eq!(
            agent.status("peerings", &peering),
            "pending_acceptance",
            "the peering waits for the provider"
        );
        std::thread::sleep(Duration::from_millis(25));
    }

    allow(agent.state_dir.path(), SERVICE, None).unwrap();
    allow(agent.state_dir.path(), "pcx-0a1b2c3d4e5f67890", None).unwrap();
    agent.wait("the allowed link runs and the peering is active", |a| {
        a.status("privatelinks", &ok) == "running" && a.status("peerings", &peering) == "active"
    });
    let link = agent.get("privatelinks", &ok);
    let domain = link["endpoint_domain"].as_str().unwrap();
    assert!(
        domain.ends_with(".vpce-svc-0654fb016640c364a.us-east-1.vpce.amazonaws.com"),
        "{domain}"
    );
    let ip: std::net::Ipv4Addr = link["endpoint_ip"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        ip.octets()[..2],
        [10, 0],
        "inside the deployment's VPC 10.0.0.0/16"
    );
    assert!(
        std::fs::read_dir(agent.state_dir.path().join("allow"))
            .unwrap()
            .next()
            .is_none(),
        "allowances are used once"
    );

    // Deleted ones are removed.
    assert_eq!(agent.delete("privatelinks", &ok)["status"], "deleting");
    assert_eq!(agent.delete("peerings", &peering)["status"], "deleting");
    agent.wait("the deleted ones are removed", |a| {
        a.status("privatelinks", &ok) == "removed" && a.status("peerings", &peering) == "removed"
    });
    let text = agent.stop();
    assert!(
        text.contains(&format!("PrivateLink {SERVICE}: Running at {domain}")),
        "{text}"
    );
    assert!(
        text.contains("peering pcx-0a1b2c3d4e5f67890: Removed"),
        "{text}"
    );
}

#[test]
fn with_allow_after_the_provider_allows_by_itself_with_the_given_or_a_simulated_endpoint() {
    // 5 s at 100× speed: 50 ms.
    let agent = start("aliyun", "cn-hangzhou", 100.0, Some(5.0));
    let network = agent.plane.call(
        "GET",
        &format!("/api/v1/deployments/{}/network", agent.id),
        None,
        None,
    );
    assert_eq!(network["principal"]["kind"], "account_uid");
    assert_eq!(network["principal"]["value"].as_str().unwrap().len(), 16);
    assert_eq!(network["zone"], "cn-hangzhou-h");

    // An explicit endpoint given to `simulate allow` is the one reported.
    allow(
        agent.state_dir.path(),
        "epsrv-hp3vpx8yqxblby3iabcd",
        Some("10.0.200.7"),
    )
    .unwrap();
    let given = id(&agent.create(
        "privatelinks",
        json!({"service_id": "epsrv-hp3vpx8yqxblby3iabcd"}),
    ));
    let later = id(&agent.create(
        "privatelinks",
        json!({"service_id": "com.aliyuncs.privatelink.cn-hangzhou.epsrv-2ze0000000000000abcd"}),
    ));
    agent.wait("both links run", |a| {
        a.status("privatelinks", &given) == "running"
            && a.status("privatelinks", &later) == "running"
    });
    assert_eq!(
        agent.get("privatelinks", &given)["endpoint_ip"],
        "10.0.200.7"
    );
    let domain = agent.get("privatelinks", &later)["endpoint_domain"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        domain.ends_with(".epsrv-2ze0000000000000abcd.cn-hangzhou.privatelink.aliyuncs.com"),
        "{domain}"
    );
    let peering = id(&agent.create(
        "peerings",
        json!({"peer_cidr": "192.168.0.0/16", "peering_id": "cen-7qthudw0ll6jmcabcd",
               "peer_account_id": "6543210987654321", "peer_vpc_id": "vpc-bp15zckdt37pq72zvabcd"}),
    ));
    agent.wait("the peering is active", |a| {
        a.status("peerings", &peering) == "active"
    });
    agent.stop();
}
