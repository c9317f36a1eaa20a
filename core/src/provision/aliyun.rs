//! The Alibaba Cloud plan: the seed's quota table (VPC, 4 vSwitches in the region's zones, SLB
//! with 5 TCP listeners, security group, key pair, image, N + 1 ECS instances).
//!
//! Design choices the seed's RAM policies force:
//! - **Zones come from the catalog**: the create policy has no `ecs:DescribeZones`.
//! - **The security group is created** (unlike AWS): the delete policy has
//!   `ecs:DeleteSecurityGroup`, conditioned on the destructive-action tag it carries.
//! - **No EIPs**: the delete policy cannot release one (`vpc:ReleaseEipAddress` is in the create
//!   policy only), so an EIP would outlive its deployment. Instances take a public address with
//!   their own bandwidth, and the SLB is internet-facing with its own address.
//! - **Five listeners**: the REST API is reached through the dashboard's (see
//!   [`crate::sizing::client_port`]).
//! - **The builder** powers itself off and the image is taken from it, as on AWS.

use super::{key_image_and_instances, public_ports, resource as res, Detail, Origin};
use super::{PlanInput, Resource};
use crate::network::cidr::VpcCidr;
use crate::sizing::listener_ports;

/// Alibaba Cloud's tag rules where they are narrower than the console's: SLB keys at most 64
/// characters, values at most 128 everywhere, and neither may start with `aliyun` or `acs:`.
pub(super) fn check_tags(tags: &[crate::api::Tag]) -> Result<(), String> {
    let reserved = |s: &str| {
        let lower = s.to_ascii_lowercase();
        lower.starts_with("aliyun") || lower.starts_with("acs:")
    };
    for t in tags {
        if t.key.chars().count() > 64 {
            return Err(format!(
                "the tag key \"{}\" is longer than the 64 characters Alibaba Cloud's load balancer allows",
                t.key
            ));
        }
        if t.value.chars().count() > 128 {
            return Err(format!(
                "the value of the tag {} is longer than the 128 characters Alibaba Cloud allows",
                t.key
            ));
        }
        if reserved(&t.key) || reserved(&t.value) {
            return Err(format!(
                "the tag {}={} starts with \"aliyun\" or \"acs:\", which Alibaba Cloud reserves",
                t.key, t.value
            ));
        }
    }
    Ok(())
}

/// The four vSwitches take the VPC's four quarters, one zone each where the region has four.
pub const VSWITCHES: usize = 4;

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
    let vswitches: Vec<(String, crate::network::Cidr)> = vpc
        .cidr()
        .quarters()
        .into_iter()
        .take(VSWITCHES)
        .enumerate()
        .map(|(i, cidr)| (format!("vsw-{}", i + 1), cidr))
        .collect();
    for (i, (key, cidr)) in vswitches.iter().enumerate() {
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
        "sg",
        created,
        "network",
        Detail::SecurityGroup {
            public_ports: public_ports(),
            vpc_cidr: vpc.to_string(),
        },
    ));
    let (machines, brokers) =
        key_image_and_instances(input, &vswitches, |k, o, p, d| res(input, k, o, p, d));
    out.extend(machines);
    out.push(res(
        input,
        "slb",
        created,
        "load_balancer",
        Detail::Slb { backends: brokers },
    ));
    for port in listener_ports(input.cloud) {
        out.push(res(
            input,
            &format!("listener-{port}"),
            created,
            "load_balancer",
            Detail::TcpListener {
                port,
                backend_port: port,
            },
        ));
    }
    out
}
