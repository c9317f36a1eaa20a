//! The AWS and AWS China plan: the seed's quota table (VPC, 3 subnets in 3 zones, the security
//! group, 3 route tables counting the main one, internet gateway, key pair, network load balancer
//! with 6 listeners and 6 target groups, image, N + 1 instances).

use super::{
    key_image_and_instances, public_ports, resource as res, target_port, Detail, Origin, PlanInput,
    Resource,
};
use crate::network::cidr::VpcCidr;
use crate::sizing::PORTS;

/// AWS places the three subnets in three zones (fewer where the region has fewer: the subnets
/// then share them).
pub const SUBNETS: u8 = 3;

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
    let (machines, brokers) =
        key_image_and_instances(input, &subnets, |k, o, p, d| res(input, k, o, p, d));
    out.extend(machines);
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
