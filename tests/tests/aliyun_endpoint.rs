//! Real provisioning on Alibaba Cloud, against the local endpoint (`tests/aliyun/`), which checks
//! every request's ACS3-HMAC-SHA256 signature with Alibaba Cloud's own library and every call
//! against the caller's RAM policy, tag conditions included. The `byoc` binary runs each operation
//! as a RAM user whose only policy is the one the control plane's Prerequisites page hands out for
//! that operation: create leaves exactly the seed's quota table, stop and start act on the
//! deployment's instances only, delete leaves nothing of it but the image's snapshot (the delete
//! policy has no `ecs:DeleteSnapshot`); the actions of each operation are a subset of its policy;
//! a policy missing one action, or resources tagged other than the policy's condition, fail naming
//! the action; a create killed midway and run again makes nothing twice.
//!
//! What this cannot prove is Alibaba Cloud's own behaviour beyond its documented answers (its
//! timing, capacity, or an answer shape the reference does not show); the README says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use byoc_core::catalog::Cloud;
use byoc_core::quota::quotas;
use byoc_core::sizing::{agent_type, find_node_type};
use serde_json::{json, Value};
use support::aliyun::{Aliyun, ACCOUNT};
use support::plane::Plane;
use support::real::{
    self, action, create_args, create_killed_after_image, fresh_key, op_args, policy, without, Run,
};
use support::toolkit::bootstrap_dir;

const REGION: &str = "cn-hangzhou";
const FAST: [&str; 2] = ["--poll-seconds", "0.05"];

fn byoc(cloud: &Aliyun, user: &str, dir: &Path, args: &[&str]) -> Run {
    real::byoc(&cloud.env(user), &FAST, dir, args)
}

fn run_op(plane: &Plane, cloud: &Aliyun, user: &str, op: &str, key: &str, dir: &Path) -> Run {
    let extra = create_args();
    let mut args = vec![op];
    args.extend(op_args(plane, "aliyun", key));
    if op == "create" {
        args.extend(extra.iter().map(String::as_str));
    }
    byoc(cloud, user, dir, &args)
}

/// The actions a policy allows (conditions aside), as `product:Action`.
fn allowed(policy: &Value) -> BTreeSet<String> {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

/// The calls one RAM user made since `from`: each allowed, signed (the endpoint refuses anything
/// else), and within the user's policy. Answers the actions.
fn check_calls(
    cloud: &Aliyun,
    user: &str,
    policy: &Value,
    from: usize,
) -> (usize, BTreeSet<String>) {
    let calls = cloud.calls();
    let ak = cloud.access_key(user);
    let within = allowed(policy);
    let mut actions = BTreeSet::new();
    for call in calls.iter().skip(from).filter(|c| c["ak"] == ak.as_str()) {
        let action = format!(
            "{}:{}",
            call["product"].as_str().unwrap(),
            call["action"].as_str().unwrap()
        );
        assert!(
            call["allowed"] == true,
            "{user} was refused {action}: {call}"
        );
        assert!(
            within.contains(&action),
            "{action} is not in the {user} policy"
        );
        actions.insert(action);
    }
    (calls.len(), actions)
}

fn status_of(cloud: &Aliyun, instance: &str) -> String {
    cloud.state()["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == instance)
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The deployment's instances in the endpoint: (role, type, status).
fn instances(cloud: &Aliyun, id: &str) -> Vec<(String, String, String)> {
    cloud.state()["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["tags"]["byoc-deployment"] == id && i["status"] != "Deleted")
        .map(|i| {
            (
                i["tags"]["byoc-role"].as_str().unwrap_or("").to_owned(),
                i["instance_type"].as_str().unwrap_or("").to_owned(),
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn create_stop_start_delete_with_only_the_seed_ram_policies() {
    let plane = Plane::start();
    let policies = [
        ("toolkit-create", policy(&plane, "aliyun", "create")),
        ("toolkit-delete", policy(&plane, "aliyun", "delete")),
        ("toolkit-stop-start", policy(&plane, "aliyun", "stop-start")),
    ];
    let cloud = Aliyun::start(REGION, &policies);
    let untagged = cloud.bystander(json!({}));
    let other =
        cloud.bystander(json!({"used-by": "emqx-cloud", "byoc-deployment": "someone-else"}));
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment("real-aliyun", "aliyun", REGION);
    let d = plane.deployment(&id);
    let nodes = u8::try_from(d["nodes"].as_u64().unwrap()).unwrap();
    let node_type = d["node_type"].as_str().unwrap().to_owned();

    // create
    let run = run_op(&plane, &cloud, "toolkit-create", "create", &key, dir.path());
    assert!(run.ok, "{}", run.text);
    let (seen, actions) = check_calls(&cloud, "toolkit-create", &policies[0].1, 0);
    for needed in [
        "vpc:CreateVpc",
        "ecs:RunInstances",
        "ecs:CreateImage",
        "slb:CreateLoadBalancerTCPListener",
    ] {
        assert!(actions.contains(needed), "{actions:?}");
    }
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "running", "{d}");
    let outputs = &d["outputs"];
    assert_eq!(
        outputs["cloud_account_id"], ACCOUNT,
        "the UID is the PrivateLink principal"
    );
    assert!(
        outputs["vpc_id"].as_str().unwrap().starts_with("vpc-"),
        "{outputs}"
    );
    assert_eq!(outputs["zone"], "cn-hangzhou-h");
    assert!(
        outputs["load_balancer"]
            .as_str()
            .unwrap()
            .parse::<std::net::Ipv4Addr>()
            .is_ok(),
        "{outputs}"
    );

    // Exactly the seed's quota table for N, counted by the deployment's tag.
    let have = cloud.inventory(&id);
    let table = quotas(
        Cloud::Aliyun,
        nodes,
        find_node_type(Cloud::Aliyun, &node_type).unwrap(),
    );
    for line in &table.lines {
        if line.resource.en.starts_with("RAM ") {
            continue; // the customer's own, made before the toolkit runs
        }
        assert_eq!(
            have.get(line.resource.en).copied(),
            Some(usize::try_from(line.required).unwrap()),
            "{}: {have:?}",
            line.resource.en
        );
    }
    let agent = agent_type(Cloud::Aliyun).name;
    for (role, itype, status) in instances(&cloud, &id) {
        assert_eq!(status, "Running");
        match role.as_str() {
            "broker" => assert_eq!(itype, node_type),
            "agent" => assert_eq!(itype, agent),
            other => panic!("unexpected instance role {other}"),
        }
    }
    // Every resource carries the destructive-action tag; the key's private half stayed here.
    let state = cloud.state();
    for kind in [
        "vpcs",
        "vswitches",
        "security_groups",
        "key_pairs",
        "images",
        "load_balancers",
    ] {
        for r in state[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["tags"]["byoc-deployment"] == id.as_str())
        {
            assert_eq!(r["tags"]["used-by"], "emqx-cloud", "{kind}: {r}");
        }
    }
    let state_file = dir.path().join(format!(".byoc/deployment-{id}.json"));
    let saved = std::fs::read_to_string(&state_file).unwrap();
    assert!(
        !saved.contains(&cloud.env("toolkit-create")[1].1),
        "no secret in the state file"
    );
    let saved: Value = serde_json::from_str(&saved).unwrap();
    let key_file = saved["facts"]["key_file"].as_str().unwrap();
    assert!(std::fs::read_to_string(dir.path().join(key_file))
        .unwrap()
        .contains("PRIVATE KEY"));

    // stop, then start: only the deployment's instances.
    for (op, goal) in [("stop", "Stopped"), ("start", "Running")] {
        let key = action(&plane, &id, op);
        let run = run_op(&plane, &cloud, "toolkit-stop-start", op, &key, dir.path());
        assert!(run.ok, "{}", run.text);
        assert!(instances(&cloud, &id).iter().all(|i| i.2 == goal));
        assert_eq!(status_of(&cloud, &untagged), "Running");
        assert_eq!(status_of(&cloud, &other), "Running");
    }
    assert_eq!(plane.deployment(&id)["status"], "running");
    let (seen, _) = check_calls(&cloud, "toolkit-stop-start", &policies[2].1, seen);

    // delete: nothing of the deployment remains; the others are untouched.
    let key = action(&plane, &id, "delete");
    let run = run_op(&plane, &cloud, "toolkit-delete", "delete", &key, dir.path());
    assert!(run.ok, "{}", run.text);
    check_calls(&cloud, "toolkit-delete", &policies[1].1, seen);
    assert_eq!(plane.deployment(&id)["status"], "deleted");
    let left = cloud.inventory(&id);
    assert!(left.values().all(|n| *n == 0), "left behind: {left:?}");
    assert_eq!(status_of(&cloud, &untagged), "Running");
    assert_eq!(status_of(&cloud, &other), "Running");
}

#[test]
fn a_policy_missing_one_action_fails_at_its_phase_naming_the_action() {
    let plane = Plane::start();
    let users = [(
        "toolkit-create",
        without(
            policy(&plane, "aliyun", "create"),
            "slb:CreateLoadBalancerTCPListener",
        ),
    )];
    let cloud = Aliyun::start(REGION, &users);
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment("aliyun-denied", "aliyun", REGION);
    let run = run_op(&plane, &cloud, "toolkit-create", "create", &key, dir.path());
    assert!(!run.ok);
    assert!(
        run.text.contains("FAILED at load_balancer")
            && run.text.contains("slb:CreateLoadBalancerTCPListener")
            && run.text.contains("Forbidden.RAM")
            && run.text.contains("create policy"),
        "{}",
        run.text
    );
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "failed", "{d}");
    assert!(
        d.to_string().contains("slb:CreateLoadBalancerTCPListener"),
        "{d}"
    );
}

#[test]
fn resources_tagged_other_than_the_policys_condition_cannot_be_deleted() {
    // The policy conditions ecs:DeleteInstance on used-by=emqx-cloud; a create told to tag with
    // another value makes its image builder, then may not remove it.
    let plane = Plane::start();
    let users = [("toolkit-create", policy(&plane, "aliyun", "create"))];
    let cloud = Aliyun::start(REGION, &users);
    let dir = bootstrap_dir();
    let (_, key) = plane.new_deployment("aliyun-condition", "aliyun", REGION);
    let extra = create_args();
    let mut args = vec!["create"];
    args.extend(op_args(&plane, "aliyun", &key));
    args.extend(extra.iter().map(String::as_str));
    args.extend(["--tag-key", "used-by", "--tag-value", "someone-else"]);
    let run = byoc(&cloud, "toolkit-create", dir.path(), &args);
    assert!(!run.ok);
    assert!(
        run.text.contains("FAILED at image") && run.text.contains("ecs:DeleteInstance"),
        "{}",
        run.text
    );
}

#[test]
fn a_create_killed_midway_and_run_again_creates_nothing_twice() {
    let plane = Plane::start();
    let users = [("toolkit-create", policy(&plane, "aliyun", "create"))];
    let cloud = Aliyun::start(REGION, &users);
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment("aliyun-killed", "aliyun", REGION);
    let extra = create_args();
    let mut args = op_args(&plane, "aliyun", &key);
    args.extend(extra.iter().map(String::as_str));
    args.extend(FAST);
    create_killed_after_image(&cloud.env("toolkit-create"), &args, dir.path(), &id);

    let key = fresh_key(&plane, &id);
    let run = run_op(&plane, &cloud, "toolkit-create", "create", &key, dir.path());
    assert!(run.ok, "{}", run.text);
    assert_eq!(plane.deployment(&id)["status"], "running");
    // Everything ever made for the deployment, deleted or not: one of each plan resource (the
    // builder is the only deleted one).
    let state = cloud.state();
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for kind in [
        "vpcs",
        "vswitches",
        "security_groups",
        "key_pairs",
        "images",
        "instances",
        "load_balancers",
    ] {
        for r in state[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["tags"]["byoc-deployment"] == id.as_str())
        {
            *made
                .entry(r["tags"]["byoc-resource"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    assert!(made.values().all(|n| *n == 1), "made twice: {made:?}");
    let nodes = usize::try_from(plane.deployment(&id)["nodes"].as_u64().unwrap()).unwrap();
    // vpc, 4 vSwitches, sg, key, builder, image, N brokers, agent, slb
    assert_eq!(made.len(), 11 + nodes, "{made:?}");
    let have = cloud.inventory(&id);
    assert_eq!(have["ECS Instances"], nodes + 1, "{have:?}");
    assert_eq!(have["SLB Listeners"], 5, "{have:?}");
}
