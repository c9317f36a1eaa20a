//! Real provisioning on AWS and AWS China, against the moto emulator with IAM enforcement on:
//! the `byoc` binary runs each operation as an IAM user whose only policy is the one the control
//! plane's Prerequisites page hands out for that operation. Create leaves exactly the seed's quota
//! table in the account, every resource tagged; stop and start act on the deployment's instances;
//! delete leaves nothing of it; a policy missing one action fails at its phase naming it; a create
//! killed midway and run again ends with no duplicates.
//!
//! moto checks each call's action against the policy but does not evaluate `Condition` blocks
//! (the seed's tag conditions grant unconditionally here) nor resource ARNs, and it does not ask
//! for `ec2:CreateTags` or `elasticloadbalancing:AddTags` when tags are given at creation as real
//! AWS does (both are in the seed's create policy). Tag scoping is therefore proven by behaviour:
//! resources of the same account without the deployment's tags survive every operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::path::Path;

use byoc_agent::cloud::aws::Service;
use byoc_core::catalog::Cloud;
use byoc_core::quota::quotas;
use byoc_core::sizing::find_node_type;
use serde_json::Value;
use support::moto::Moto;
use support::plane::Plane;
use support::real::{
    self, action, create_args, create_killed_after_image, fresh_key, op_args, policy, without, Run,
};
use support::toolkit::bootstrap_dir;

const EMULATOR_ONLY: [&str; 4] = ["--poll-seconds", "0.05", "--base-image", "ami-760aaa0f"];

/// `byoc <args…>` as the given emulator user.
fn byoc(moto: &Moto, user: &str, dir: &Path, args: &[&str]) -> Run {
    real::byoc(&moto.env(user), &EMULATOR_ONLY, dir, args)
}

fn create(plane: &Plane, moto: &Moto, user: &str, platform: &str, key: &str, dir: &Path) -> Run {
    let extra = create_args();
    let mut args = vec!["create"];
    args.extend(op_args(plane, platform, key));
    args.extend(extra.iter().map(String::as_str));
    byoc(moto, user, dir, &args)
}

/// A VPC and an instance of the same account that are not the deployment's: one without tags,
/// one with the destructive-action tag of another deployment. Returns their IDs.
fn bystanders(moto: &Moto) -> (String, String, String) {
    let vpc = moto
        .call(Service::Ec2, "CreateVpc", &[("CidrBlock", "10.99.0.0/16")])
        .first("vpcId")
        .unwrap();
    let subnet = moto
        .call(
            Service::Ec2,
            "CreateSubnet",
            &[("VpcId", &vpc), ("CidrBlock", "10.99.0.0/24")],
        )
        .first("subnetId")
        .unwrap();
    let run = |tags: &[(&str, &str)]| {
        let mut p: Vec<(String, String)> = vec![
            ("ImageId".into(), "ami-760aaa0f".into()),
            ("InstanceType".into(), "t3.micro".into()),
            ("MinCount".into(), "1".into()),
            ("MaxCount".into(), "1".into()),
            ("SubnetId".into(), subnet.clone()),
        ];
        if !tags.is_empty() {
            p.push(("TagSpecification.1.ResourceType".into(), "instance".into()));
            for (i, (k, v)) in tags.iter().enumerate() {
                p.push((format!("TagSpecification.1.Tag.{}.Key", i + 1), (*k).into()));
                p.push((
                    format!("TagSpecification.1.Tag.{}.Value", i + 1),
                    (*v).into(),
                ));
            }
        }
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        moto.call(Service::Ec2, "RunInstances", &refs)
            .first("instanceId")
            .unwrap()
    };
    let untagged = run(&[]);
    let other = run(&[
        ("used-by", "emqx-cloud"),
        ("byoc-deployment", "someone-else"),
    ]);
    (vpc, untagged, other)
}

fn instance_state(moto: &Moto, id: &str) -> String {
    moto.call(Service::Ec2, "DescribeInstances", &[("InstanceId.1", id)])
        .items("instancesSet")
        .first()
        .and_then(|i| i.get("instanceState.name").map(str::to_owned))
        .unwrap_or_default()
}

fn vpc_exists(moto: &Moto, vpc: &str) -> bool {
    !moto
        .call(Service::Ec2, "DescribeVpcs", &[("VpcId.1", vpc)])
        .items("vpcSet")
        .is_empty()
}

fn lifecycle(platform: &str, cloud: Cloud, region: &str) {
    let plane = Plane::start();
    let users = [
        ("toolkit-create", policy(&plane, platform, "create")),
        ("toolkit-delete", policy(&plane, platform, "delete")),
        ("toolkit-stop-start", policy(&plane, platform, "stop-start")),
    ];
    let moto = Moto::start(region, &users);
    let (vpc, untagged, other) = bystanders(&moto);
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment(&format!("real-{platform}"), platform, region);
    let d = plane.deployment(&id);
    let nodes = u8::try_from(d["nodes"].as_u64().unwrap()).unwrap();
    let node_type = d["node_type"].as_str().unwrap().to_owned();

    // create
    let run = create(&plane, &moto, "toolkit-create", platform, &key, dir.path());
    assert!(run.ok, "{}", run.text);
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "running", "{d}");
    let outputs = &d["outputs"];
    assert_eq!(outputs["cloud_account_id"], "123456789012");
    assert!(
        outputs["vpc_id"].as_str().unwrap().starts_with("vpc-"),
        "{outputs}"
    );
    assert!(
        outputs["zone"].as_str().unwrap().starts_with(region),
        "{outputs}"
    );
    assert!(
        outputs["load_balancer"].as_str().unwrap().contains(".elb."),
        "{outputs}"
    );

    // Exactly the seed's quota table for N, counted by the deployment's tag.
    let have = moto.inventory(&id);
    let table = quotas(cloud, nodes, find_node_type(cloud, &node_type).unwrap());
    for line in &table.lines {
        let name = match line.resource.en {
            "VPCs" => "VPC",
            "IAM policies" => continue, // the customer's own, made before the toolkit runs
            other => other,
        };
        assert_eq!(
            have.get(name).copied(),
            Some(usize::try_from(line.required).unwrap()),
            "{name}: {have:?}"
        );
    }
    let instances = moto.live_instances(&id);
    let agent = byoc_core::sizing::agent_type(cloud).name;
    for (_, itype, state, role) in &instances {
        assert_eq!(state, "running");
        match role.as_str() {
            "broker" => assert_eq!(itype, &node_type),
            "agent" => assert_eq!(itype, agent),
            other => panic!("unexpected instance role {other}"),
        }
    }
    // The key pair's private key stayed on this machine, readable by its owner only.
    let state_file = dir.path().join(format!(".byoc/deployment-{id}.json"));
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    let secret = moto.env("toolkit-create")[1].1.clone();
    assert!(
        !state.to_string().contains(&secret),
        "no credentials in the state file"
    );
    let key_file = state["facts"]["key_file"].as_str().unwrap();
    assert!(std::fs::read_to_string(dir.path().join(key_file).as_path())
        .or_else(|_| std::fs::read_to_string(key_file))
        .unwrap()
        .contains("PRIVATE KEY"));

    // stop, then start: only the deployment's instances.
    let key = action(&plane, &id, "stop");
    let mut args = vec!["stop"];
    args.extend(op_args(&plane, platform, &key));
    let run = byoc(&moto, "toolkit-stop-start", dir.path(), &args);
    assert!(run.ok, "{}", run.text);
    assert_eq!(plane.deployment(&id)["status"], "stopped");
    assert!(moto.live_instances(&id).iter().all(|i| i.2 == "stopped"));
    assert_eq!(instance_state(&moto, &untagged), "running");
    assert_eq!(instance_state(&moto, &other), "running");
    let key = action(&plane, &id, "start");
    let mut args = vec!["start"];
    args.extend(op_args(&plane, platform, &key));
    let run = byoc(&moto, "toolkit-stop-start", dir.path(), &args);
    assert!(run.ok, "{}", run.text);
    assert_eq!(plane.deployment(&id)["status"], "running");
    assert!(moto.live_instances(&id).iter().all(|i| i.2 == "running"));

    // delete: nothing of the deployment remains; the others are untouched.
    let key = action(&plane, &id, "delete");
    let mut args = vec!["delete"];
    args.extend(op_args(&plane, platform, &key));
    let run = byoc(&moto, "toolkit-delete", dir.path(), &args);
    assert!(run.ok, "{}", run.text);
    assert_eq!(plane.deployment(&id)["status"], "deleted");
    let left = moto.inventory(&id);
    assert!(left.values().all(|n| *n == 0), "left behind: {left:?}");
    assert_eq!(instance_state(&moto, &untagged), "running");
    assert_eq!(instance_state(&moto, &other), "running");
    assert!(vpc_exists(&moto, &vpc));
}

#[test]
fn aws_create_stop_start_delete_with_only_the_seed_policies() {
    lifecycle("aws", Cloud::Aws, "us-east-1");
}

#[test]
fn aws_china_create_stop_start_delete_with_only_the_seed_policies() {
    lifecycle("aws-cn", Cloud::AwsCn, "cn-northwest-1");
}

#[test]
fn a_policy_missing_one_action_fails_at_its_phase_naming_the_action() {
    let plane = Plane::start();
    let users = [(
        "toolkit-create",
        without(
            policy(&plane, "aws", "create"),
            "elasticloadbalancing:CreateTargetGroup",
        ),
    )];
    let moto = Moto::start("us-east-1", &users);
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment("real-denied", "aws", "us-east-1");
    let run = create(&plane, &moto, "toolkit-create", "aws", &key, dir.path());
    assert!(!run.ok);
    assert!(
        run.text.contains("FAILED at load_balancer")
            && run.text.contains("elasticloadbalancing:CreateTargetGroup")
            && run.text.contains("create policy"),
        "{}",
        run.text
    );
    let d = plane.deployment(&id);
    assert_eq!(d["status"], "failed", "{d}");
    let reason = d.to_string();
    assert!(
        reason.contains("elasticloadbalancing:CreateTargetGroup"),
        "{reason}"
    );
}

#[test]
fn a_create_killed_midway_and_run_again_ends_with_no_duplicates() {
    let plane = Plane::start();
    let users = [("toolkit-create", policy(&plane, "aws", "create"))];
    let moto = Moto::start("us-east-1", &users);
    let dir = bootstrap_dir();
    let (id, key) = plane.new_deployment("real-killed", "aws", "us-east-1");
    let extra = create_args();
    let mut args = op_args(&plane, "aws", &key);
    args.extend(extra.iter().map(String::as_str));
    args.extend(EMULATOR_ONLY);
    create_killed_after_image(&moto.env("toolkit-create"), &args, dir.path(), &id);
    let before = moto.inventory(&id);

    // The console regenerates the key; the same command runs again.
    let key = fresh_key(&plane, &id);
    let run = create(&plane, &moto, "toolkit-create", "aws", &key, dir.path());
    assert!(run.ok, "{}", run.text);
    assert_eq!(plane.deployment(&id)["status"], "running");
    let after = moto.inventory(&id);
    assert_eq!(after["VPC"], 1, "{before:?} → {after:?}");
    assert_eq!(after["Amazon Machine Images (AMIs)"], 1);
    assert_eq!(after["Key pairs"], 1);
    assert_eq!(after["Subnets"], 3);
    assert_eq!(after["Target groups"], 6);
    let nodes = plane.deployment(&id)["nodes"].as_u64().unwrap();
    assert_eq!(
        after["EC2 instances"] as u64,
        nodes + 1,
        "{after:?} (nodes {nodes})"
    );
}
