//! The AWS and AWS China plan: the seed's quota table (VPC, 3 subnets in 3 zones, the security
//! group, 3 route tables counting the main one, internet gateway, key pair, network load balancer
//! with 6 listeners and 6 target groups, image, N + 1 instances).

use super::{
    agent_type_name, elb_name, instance_ip, node_name, public_ports, target_port, unique_name,
    Detail, Origin, PlanInput, Resource, Role,
};
use crate::network::cidr::VpcCidr;
use crate::sizing::PORTS;

/// AWS places the three subnets in three zones (fewer where the region has fewer: the subnets
/// then share them).
pub const SUBNETS: u8 = 3;

fn res(
    input: &PlanInput,
    key: &str,
    origin: Origin,
    phase: &'static str,
    detail: Detail,
) -> Resource {
    let name = match detail {
        Detail::LoadBalancer { .. } | Detail::TargetGroup { .. } => {
            elb_name(input.deployment_id, key)
        }
        Detail::KeyPair | Detail::Image { .. } => unique_name(input, key),
        _ => node_name(input, key),
    };
    Resource {
        key: key.to_owned(),
        name,
        origin,
        phase,
        detail,
    }
}

pub(super) fn resources(input: &PlanInput, vpc: &VpcCidr, zones: &[String]) -> Vec<Resource> {
    let created = Origin::Created;
    let mut out = vec![res(
        input,
        "vpc",
        created,
        "network",
        Detail::Vpc {
            cidr: vpc.to_string(),
        },
    )];
    // The first three quarters of the VPC's range; the fourth is left for the customer.
    let subnets: Vec<(String, crate::network::Cidr)> = vpc
        .cidr()
        .quarters()
        .into_iter()
        .take(usize::from(SUBNETS))
        .enumerate()
        .map(|(i, cidr)| (format!("subnet-{}", i + 1), cidr))
        .collect();
    for (i, (key, cidr)) in subnets.iter().enumerate() {
        out.push(res(
            input,
            key,
            created,
            "network",
            Detail::Subnet {
                cidr: cidr.to_string(),
                zone: zones[i % zones.len()].clone(),
            },
        ));
    }
    out.push(res(
        input,
        "igw",
        created,
        "network",
        Detail::InternetGateway,
    ));
    out.push(res(
        input,
        "rtb-main",
        Origin::Adopted,
        "network",
        Detail::RouteTable {
            subnets: vec![],
            internet_route: false,
        },
    ));
    out.push(res(
        input,
        "rtb-1",
        created,
        "network",
        Detail::RouteTable {
            subnets: vec!["subnet-1".into()],
            internet_route: true,
        },
    ));
    out.push(res(
        input,
        "rtb-2",
        created,
        "network",
        Detail::RouteTable {
            subnets: vec!["subnet-2".into(), "subnet-3".into()],
            internet_route: true,
        },
    ));
    out.push(res(
        input,
        "sg",
        Origin::Adopted,
        "network",
        Detail::SecurityGroup {
            public_ports: public_ports(),
            vpc_cidr: vpc.to_string(),
        },
    ));
    out.push(res(input, "key", created, "image", Detail::KeyPair));
    out.push(res(
        input,
        "builder",
        Origin::Temporary,
        "image",
        Detail::Instance {
            role: Role::ImageBuilder,
            instance_type: agent_type_name(input.cloud).to_owned(),
            subnet: "subnet-1".into(),
            private_ip: None,
        },
    ));
    out.push(res(
        input,
        "image",
        created,
        "image",
        Detail::Image {
            builder: "builder".into(),
        },
    ));
    // Brokers round-robin over the subnets (and so the zones); the agent in the first.
    let mut placed = [0u8; SUBNETS as usize];
    let mut place = |s: usize| {
        let n = placed[s];
        placed[s] += 1;
        (subnets[s].0.clone(), instance_ip(&subnets[s].1, n))
    };
    let mut brokers = Vec::new();
    for n in 0..input.nodes {
        let (subnet, ip) = place(usize::from(n) % subnets.len());
        let key = format!("broker-{}", n + 1);
        brokers.push(key.clone());
        out.push(res(
            input,
            &key,
            created,
            "compute",
            Detail::Instance {
                role: Role::Broker,
                instance_type: input.node_type.to_owned(),
                subnet,
                private_ip: Some(ip),
            },
        ));
    }
    let (subnet, ip) = place(0);
    out.push(res(
        input,
        "agent",
        created,
        "compute",
        Detail::Instance {
            role: Role::Agent,
            instance_type: agent_type_name(input.cloud).to_owned(),
            subnet,
            private_ip: Some(ip),
        },
    ));
    for port in PORTS {
        out.push(res(
            input,
            &format!("tg-{}", port.number),
            created,
            "load_balancer",
            Detail::TargetGroup {
                port: port.number,
                port_name: port.name.to_owned(),
                target_port: target_port(port.number),
                targets: brokers.clone(),
            },
        ));
    }
    out.push(res(
        input,
        "nlb",
        created,
        "load_balancer",
        // One subnet per zone: a network load balancer takes at most one in each. Subnet i is in
        // zone i modulo the zones, so the first ones cover every zone once.
        Detail::LoadBalancer {
            subnets: subnets
                .iter()
                .take(zones.len())
                .map(|(k, _)| k.clone())
                .collect(),
        },
    ));
    for port in PORTS {
        out.push(res(
            input,
            &format!("listener-{}", port.number),
            created,
            "load_balancer",
            Detail::Listener {
                port: port.number,
                target_group: format!("tg-{}", port.number),
            },
        ));
    }
    out
}
