use super::*;
use crate::quota::quotas;
use crate::sizing::find_node_type;

const CLOUDS: [(Cloud, &str, &str); 3] = [
    (Cloud::Aws, "us-east-1", "c6i.xlarge"),
    (Cloud::AwsCn, "cn-northwest-1", "c6i.xlarge"),
    (Cloud::Aliyun, "cn-hangzhou", "ecs.c7.2xlarge"),
];

fn input<'a>(
    cloud: Cloud,
    region: &'a str,
    node_type: &'a str,
    nodes: u8,
    tag: &'a TagCondition,
    tags: &'a [Tag],
) -> PlanInput<'a> {
    PlanInput {
        deployment_id: "dep-0123",
        name: "mqtt-prod",
        cloud,
        region,
        vpc_cidr: "10.20.0.0/16",
        nodes,
        node_type,
        tags,
        destructive_tag: tag,
        zones: None,
    }
}

fn plan_of(cloud: Cloud, region: &str, node_type: &str, nodes: u8) -> Plan {
    let tag = TagCondition::default();
    plan(&input(cloud, region, node_type, nodes, &tag, &[])).unwrap()
}

/// The quota row (as the seed names it in English) that counts each kind; `None` for rows the
/// customer creates as prerequisites (the toolkit's own IAM policy).
fn kind_of_row(en: &str) -> Option<Kind> {
    match en {
        "VPC" | "VPCs" => Some(Kind::Vpc),
        "Subnets" => Some(Kind::Subnet),
        "Security groups" | "Security Groups" => Some(Kind::SecurityGroup),
        "Route tables" => Some(Kind::RouteTable),
        "Load balancers" | "SLB" => Some(Kind::LoadBalancer),
        "LB listeners" | "SLB Listeners" => Some(Kind::Listener),
        "Target groups" => Some(Kind::TargetGroup),
        "Internet gateways" => Some(Kind::InternetGateway),
        "Key pairs" | "ECS Key Pairs" => Some(Kind::KeyPair),
        "EC2 instances" | "ECS Instances" => Some(Kind::Instance),
        "Amazon Machine Images (AMIs)" | "ECS Images" => Some(Kind::Image),
        // The customer's own, made for the toolkit before it runs.
        "IAM policies" | "RAM Policies" | "RAM Users" => None,
        other => panic!("quota row {other} has no kind in the plan"),
    }
}

#[test]
fn the_plan_and_the_quota_table_agree_for_every_cloud_and_node_count() {
    for (cloud, region, node_type) in CLOUDS {
        for nodes in 1..=5 {
            let plan = plan_of(cloud, region, node_type, nodes);
            let table = quotas(cloud, nodes, find_node_type(cloud, node_type).unwrap());
            let mut counted = Vec::new();
            for line in &table.lines {
                match kind_of_row(line.resource.en) {
                    Some(kind) => {
                        assert_eq!(
                            plan.count(kind) as u64,
                            line.required,
                            "{cloud} N={nodes}: {} ",
                            line.resource.en
                        );
                        counted.push(kind);
                    }
                    None => assert_eq!(
                        line.required, 1,
                        "the customer's one IAM/RAM policy or user"
                    ),
                }
            }
            // And nothing the plan leaves behind is missing from the table.
            for r in plan.resources.iter().filter(|r| r.remains()) {
                assert!(
                    counted.contains(&r.kind()),
                    "{:?} is not in the quota table",
                    r.kind()
                );
            }
            assert_eq!(plan.count(Kind::Instance) as u32, table.vm_count);
        }
    }
}

#[test]
fn every_resource_comes_after_the_resources_it_names_and_keys_are_unique() {
    let plan = plan_of(Cloud::Aws, "us-east-1", "c6i.xlarge", 3);
    let mut seen: Vec<&str> = Vec::new();
    for r in &plan.resources {
        let named: Vec<&str> = match &r.detail {
            Detail::RouteTable { subnets, .. } | Detail::LoadBalancer { subnets } => {
                subnets.iter().map(String::as_str).collect()
            }
            Detail::Image { builder } => vec![builder],
            Detail::Instance { subnet, .. } => vec![subnet],
            Detail::TargetGroup { targets, .. } => targets.iter().map(String::as_str).collect(),
            Detail::Listener { target_group, .. } => vec![target_group],
            Detail::Slb { backends } => backends.iter().map(String::as_str).collect(),
            _ => vec![],
        };
        for n in named {
            assert!(seen.contains(&n), "{} names {n} before it exists", r.key);
        }
        assert!(!seen.contains(&r.key.as_str()), "{} twice", r.key);
        seen.push(&r.key);
        match r.kind() {
            Kind::LoadBalancer | Kind::TargetGroup => {
                assert!(
                    r.name.len() <= 32 && r.name.starts_with("byoc-dep0123-"),
                    "{}",
                    r.name
                )
            }
            _ => assert!(r.name.starts_with("mqtt-prod-")),
        }
    }
}

#[test]
fn phases_follow_the_create_operation_in_order() {
    let phases = Operation::Create.phases();
    let plan = plan_of(Cloud::AwsCn, "cn-northwest-1", "c6i.xlarge", 2);
    let positions: Vec<usize> = plan
        .resources
        .iter()
        .map(|r| phases.iter().position(|p| *p == r.phase).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
}

#[test]
fn subnets_are_three_quarters_of_the_vpc_in_three_zones() {
    let plan = plan_of(Cloud::Aws, "us-east-1", "c6i.xlarge", 2);
    let subnets: Vec<(String, String)> = plan
        .of(Kind::Subnet)
        .map(|r| match &r.detail {
            Detail::Subnet { cidr, zone } => (cidr.clone(), zone.clone()),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        subnets,
        vec![
            ("10.20.0.0/18".into(), "us-east-1a".into()),
            ("10.20.64.0/18".into(), "us-east-1b".into()),
            ("10.20.128.0/18".into(), "us-east-1c".into()),
        ]
    );
    let small = VpcCidr::parse("192.168.4.0/22").unwrap();
    assert_eq!(small.cidr().quarters()[3].to_string(), "192.168.7.0/24");
}

#[test]
fn a_region_with_two_zones_shares_them() {
    let plan = plan_of(Cloud::Aws, "us-west-1", "c6i.xlarge", 2);
    let zones: Vec<String> = plan
        .of(Kind::Subnet)
        .map(|r| match &r.detail {
            Detail::Subnet { zone, .. } => zone.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(zones, ["us-west-1a", "us-west-1c", "us-west-1a"]);
    // The load balancer takes one subnet per zone.
    let Some(Detail::LoadBalancer { subnets }) = plan.get("nlb").map(|r| &r.detail) else {
        panic!("no load balancer")
    };
    assert_eq!(subnets, &["subnet-1", "subnet-2"]);
}

#[test]
fn names_unique_in_an_account_carry_the_deployment_and_the_rest_api_reaches_the_dashboard_listener()
{
    let plan = plan_of(Cloud::Aws, "us-east-1", "c6i.xlarge", 2);
    assert_eq!(plan.get("key").unwrap().name, "mqtt-prod-key-dep0123");
    assert_eq!(plan.get("image").unwrap().name, "mqtt-prod-image-dep0123");
    let Some(Detail::TargetGroup { target_port, .. }) = plan.get("tg-8443").map(|r| &r.detail)
    else {
        panic!("no tg-8443")
    };
    assert_eq!(*target_port, 18084);
    let Some(Detail::SecurityGroup { public_ports, .. }) = plan.get("sg").map(|r| &r.detail) else {
        panic!("no sg")
    };
    assert_eq!(public_ports, &[1883, 8883, 8083, 8084, 18084]);
}

#[test]
fn brokers_spread_over_zones_with_distinct_addresses_inside_their_subnets() {
    let plan = plan_of(Cloud::Aws, "us-east-1", "c6i.xlarge", 5);
    let mut ips = Vec::new();
    for r in plan.of(Kind::Instance).filter(|r| r.remains()) {
        let Detail::Instance {
            subnet, private_ip, ..
        } = &r.detail
        else {
            unreachable!()
        };
        let Some(Detail::Subnet { cidr, .. }) = plan.get(subnet).map(|s| &s.detail) else {
            panic!("{subnet}")
        };
        let ip: std::net::Ipv4Addr = private_ip.as_ref().unwrap().parse().unwrap();
        assert!(Cidr::parse(cidr).unwrap().contains(ip), "{ip} in {cidr}");
        assert!(!ips.contains(&ip));
        ips.push(ip);
    }
    assert_eq!(ips.len(), 6);
    let broker_subnets: Vec<&str> = plan
        .resources
        .iter()
        .filter_map(|r| match &r.detail {
            Detail::Instance {
                role: Role::Broker,
                subnet,
                ..
            } => Some(subnet.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        broker_subnets,
        ["subnet-1", "subnet-2", "subnet-3", "subnet-1", "subnet-2"]
    );
}

#[test]
fn every_resource_carries_the_destructive_tag_and_the_deployment_and_the_customer_cannot_override_them(
) {
    let tag = TagCondition::parse("owner", "team-a").unwrap();
    let own = [
        Tag {
            key: "owner".into(),
            value: "someone-else".into(),
        },
        Tag {
            key: "cost-centre".into(),
            value: "42".into(),
        },
    ];
    let plan = plan(&input(Cloud::Aws, "us-east-1", "c6i.xlarge", 2, &tag, &own)).unwrap();
    assert_eq!(plan.tag("owner"), Some("team-a"));
    assert_eq!(plan.tag(DEPLOYMENT_TAG_KEY), Some("dep-0123"));
    assert_eq!(plan.tag("cost-centre"), Some("42"));
    assert_eq!(plan.tags.len(), 3);
}

#[test]
fn operations_touch_only_their_own_resources_in_a_safe_order() {
    let plan = plan_of(Cloud::Aws, "us-east-1", "c6i.xlarge", 3);
    let stop: Vec<&str> = plan
        .touched_by(Operation::Stop)
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(stop, ["broker-1", "broker-2", "broker-3", "agent"]);
    assert_eq!(plan.touched_by(Operation::Start).len(), 4);
    let delete: Vec<&str> = plan
        .touched_by(Operation::Delete)
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    // Listeners and the load balancer before target groups, instances before the image and
    // subnets, the VPC last; adopted and temporary resources are not deleted on their own.
    let at = |k: &str| delete.iter().position(|d| *d == k).unwrap();
    assert!(at("listener-1883") < at("nlb") && at("nlb") < at("tg-1883"));
    assert!(at("broker-1") < at("image") && at("image") < at("subnet-1"));
    assert_eq!(delete.last(), Some(&"vpc"));
    assert!(
        !delete.contains(&"sg") && !delete.contains(&"rtb-main") && !delete.contains(&"builder")
    );
}

#[test]
fn clouds_without_real_provisioning_and_bad_input_are_refused() {
    let tag = TagCondition::default();
    let mut i = input(Cloud::Gcp, "us-central1", "n2-standard-4", 2, &tag, &[]);
    assert_eq!(plan(&i), Err(PlanError::Unsupported(Cloud::Gcp)));
    i = input(Cloud::Aws, "mars-1", "c6i.xlarge", 2, &tag, &[]);
    assert!(matches!(plan(&i), Err(PlanError::UnknownRegion { .. })));
    i = input(Cloud::Aws, "us-east-1", "c6i.xlarge", 0, &tag, &[]);
    assert_eq!(plan(&i), Err(PlanError::Nodes(0)));
    i = input(Cloud::Aws, "us-east-1", "c6i.xlarge", 2, &tag, &[]);
    i.vpc_cidr = "8.8.0.0/16";
    assert!(matches!(plan(&i), Err(PlanError::Cidr(_))));
}

#[test]
fn zones_given_by_hand_are_checked() {
    let ok = |z: &[&str]| {
        zones::check(
            Cloud::Aws,
            "us-west-1",
            &z.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        ok(&["us-west-1b", "us-west-1c"]).unwrap(),
        ["us-west-1b", "us-west-1c"]
    );
    assert!(ok(&[]).is_err());
    assert!(ok(&["us-east-1a"])
        .unwrap_err()
        .contains("not a zone of us-west-1"));
    assert!(ok(&["us-west-1b", "us-west-1b"])
        .unwrap_err()
        .contains("twice"));
    assert!(ok(&["us-west-1a", "us-west-1b", "us-west-1c", "us-west-1d"]).is_err());
    for (cloud, region, _) in CLOUDS {
        assert!(zones(cloud, region).len() >= 3);
    }
    let aliyun = |z: &[&str]| {
        zones::check(
            Cloud::Aliyun,
            "cn-hangzhou",
            &z.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert!(aliyun(&[
        "cn-hangzhou-h",
        "cn-hangzhou-i",
        "cn-hangzhou-j",
        "cn-hangzhou-k"
    ])
    .is_ok());
    assert!(aliyun(&["cn-hangzhouh"])
        .unwrap_err()
        .contains("such as cn-hangzhou-h"));
    assert!(aliyun(&[
        "cn-hangzhou-a",
        "cn-hangzhou-b",
        "cn-hangzhou-c",
        "cn-hangzhou-d",
        "cn-hangzhou-e"
    ])
    .is_err());
    for cloud in [Cloud::Aws, Cloud::AwsCn, Cloud::Aliyun] {
        for region in cloud.regions() {
            assert!(!zones(cloud, region.code).is_empty(), "{}", region.code);
        }
    }
}

#[test]
fn load_balancer_names_fit_the_32_character_limit() {
    let id = "5f0c8a8e-1b2c-4d3e-8f90-123456789abc";
    assert_eq!(elb_name(id, "tg-18084"), "byoc-5f0c8a8e1b2c-tg-18084");
    assert!(elb_name(id, "tg-18084").len() <= 32);
}

#[test]
fn alibaba_cloud_has_four_vswitches_in_four_zones_a_created_group_and_five_listeners() {
    let plan = plan_of(Cloud::Aliyun, "cn-hangzhou", "ecs.c7.2xlarge", 3);
    let vswitches: Vec<(String, String)> = plan
        .of(Kind::Subnet)
        .map(|r| match &r.detail {
            Detail::Subnet { cidr, zone } => (cidr.clone(), zone.clone()),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        vswitches,
        vec![
            ("10.20.0.0/18".into(), "cn-hangzhou-h".into()),
            ("10.20.64.0/18".into(), "cn-hangzhou-i".into()),
            ("10.20.128.0/18".into(), "cn-hangzhou-j".into()),
            ("10.20.192.0/18".into(), "cn-hangzhou-k".into()),
        ]
    );
    // Created, so the delete policy's DeleteSecurityGroup removes it with the deployment.
    assert_eq!(plan.get("sg").unwrap().origin, Origin::Created);
    assert!(plan
        .touched_by(Operation::Delete)
        .iter()
        .any(|r| r.key == "sg"));
    let listeners: Vec<String> = plan.of(Kind::Listener).map(|r| r.summary()).collect();
    assert_eq!(
        listeners,
        ["TCP 1883", "TCP 8883", "TCP 8083", "TCP 8084", "TCP 18084"]
    );
    let Some(Detail::Slb { backends }) = plan.get("slb").map(|r| &r.detail) else {
        panic!("no slb")
    };
    assert_eq!(backends, &["broker-1", "broker-2", "broker-3"]);
    // Brokers spread over the four vSwitches; the agent in the first; the agent's type is ECS's.
    let placed: Vec<(String, String)> = plan
        .of(Kind::Instance)
        .filter_map(|r| match &r.detail {
            Detail::Instance {
                subnet,
                instance_type,
                ..
            } if r.remains() => Some((subnet.clone(), instance_type.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(placed[0].0, "vsw-1");
    assert_eq!(placed[2].0, "vsw-3");
    assert_eq!(placed[3].0, "vsw-1");
    assert!(placed[3].1.starts_with("ecs."), "{placed:?}");
    assert!(plan
        .resources
        .iter()
        .all(|r| r.name.starts_with("mqtt-prod-")));
}

#[test]
fn a_region_with_two_zones_spreads_four_vswitches_over_them() {
    let plan = plan_of(Cloud::Aliyun, "cn-chengdu", "ecs.c7.2xlarge", 2);
    let zones: Vec<String> = plan
        .of(Kind::Subnet)
        .map(|r| match &r.detail {
            Detail::Subnet { zone, .. } => zone.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        zones,
        [
            "cn-chengdu-a",
            "cn-chengdu-b",
            "cn-chengdu-a",
            "cn-chengdu-b"
        ]
    );
}

#[test]
fn alibaba_clouds_narrower_tag_rules_are_checked_before_anything_is_made() {
    let ok = TagCondition::default();
    let long_key = TagCondition::parse(&"k".repeat(65), "emqx-cloud").unwrap();
    let reserved = TagCondition::parse("used-by", "aliyun-managed").unwrap();
    for (tag, expected) in [(&long_key, "64 characters"), (&reserved, "reserves")] {
        let i = input(Cloud::Aliyun, "cn-hangzhou", "ecs.c7.2xlarge", 2, tag, &[]);
        match plan(&i) {
            Err(PlanError::Tag(m)) => assert!(m.contains(expected), "{m}"),
            other => panic!("{other:?}"),
        }
        // AWS takes them.
        let i = input(Cloud::Aws, "us-east-1", "c6i.xlarge", 2, tag, &[]);
        assert!(plan(&i).is_ok());
    }
    let own = [Tag {
        key: "acs:team".into(),
        value: "a".into(),
    }];
    let i = input(Cloud::Aliyun, "cn-hangzhou", "ecs.c7.2xlarge", 2, &ok, &own);
    assert!(matches!(plan(&i), Err(PlanError::Tag(_))));
}
