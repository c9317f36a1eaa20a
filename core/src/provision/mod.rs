//! The resource plan of a deployment: what the toolkit creates in the customer's account for a
//! cloud, region and N broker nodes, in which order and phase, under which names and tags, and
//! what each operation touches. It is a pure function of the deployment's spec, so the toolkit
//! only executes it, the wizard's review step shows it, and a test derives the seed's quota table
//! from it (see `tests` below): the two cannot disagree.
//!
//! Design choices the seed's AWS policies force (reference/provisioning.md; Alibaba Cloud's are in
//! [`aliyun`]):
//! - **Zones come from the catalog** ([`zones`]): the create policy has no
//!   `ec2:DescribeAvailabilityZones`.
//! - **The security group is the VPC's default one**, adopted and tagged rather than created: the
//!   delete policy has no `ec2:DeleteSecurityGroup`, so a created group could never be removed and
//!   `DeleteVpc` would fail. The default group goes with the VPC.
//! - **Route tables**: the seed counts three "including a default route table which is not used".
//!   The VPC's main table is left alone (no subnet uses it, so a route somebody adds there does
//!   not reach the brokers); one table serves the first zone's subnet, which also holds the agent
//!   node, and one the other two zones.
//! - **The image** is built as the seed's Packer step builds it: a temporary builder instance from
//!   the base image installs the broker at boot and powers itself off, the image is taken from it
//!   and the builder is terminated. The deployment ends with exactly N + 1 instances.

mod aliyun;
mod aws;
pub mod cloud_init;
pub mod zones;

use serde::Serialize;

use crate::api::Tag;
use crate::catalog::Cloud;
use crate::lang::Name;
use crate::lifecycle::deployment::Operation;
use crate::network::cidr::{Cidr, VpcCidr};
use crate::policy::TagCondition;
use crate::sizing::{agent_type, PORTS};

pub use zones::zones;

/// The tag naming the deployment on every resource, so an operation finds its own resources and
/// nobody else's. Its value is the deployment's ID.
pub const DEPLOYMENT_TAG_KEY: &str = "byoc-deployment";

/// What a resource is, named as the provider's quota tables name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Vpc,
    Subnet,
    InternetGateway,
    RouteTable,
    SecurityGroup,
    KeyPair,
    Image,
    Instance,
    LoadBalancer,
    TargetGroup,
    Listener,
}

impl Kind {
    /// The resource's name as the console shows it.
    pub fn name(self) -> Name {
        let (en, zh) = match self {
            Kind::Vpc => ("VPC", "VPC"),
            Kind::Subnet => ("Subnet", "子网"),
            Kind::InternetGateway => ("Internet gateway", "互联网网关"),
            Kind::RouteTable => ("Route table", "路由表"),
            Kind::SecurityGroup => ("Security group", "安全组"),
            Kind::KeyPair => ("Key pair", "密钥对"),
            Kind::Image => ("Machine image", "系统映像"),
            Kind::Instance => ("Instance", "实例"),
            Kind::LoadBalancer => ("Load balancer", "负载均衡"),
            Kind::TargetGroup => ("Target group", "目标组"),
            Kind::Listener => ("Listener", "监听器"),
        };
        Name { en, zh }
    }
}

/// Whether the toolkit creates a resource or adopts one the cloud made with another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Created by the toolkit and deleted with the deployment.
    Created,
    /// Made by the cloud with its parent (the VPC's main route table and default security
    /// group): tagged where the plan uses it, and gone when the parent is deleted.
    Adopted,
    /// Created and removed again within the same operation (the image builder).
    Temporary,
}

/// What an instance is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Broker,
    Agent,
    ImageBuilder,
}

/// The settings of one resource; keys name other resources of the same plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    Vpc {
        cidr: String,
    },
    Subnet {
        cidr: String,
        zone: String,
    },
    InternetGateway,
    RouteTable {
        /// Subnets associated with it; none for the VPC's main table.
        subnets: Vec<String>,
        /// 0.0.0.0/0 through the internet gateway.
        internet_route: bool,
    },
    SecurityGroup {
        /// Ports open to clients anywhere (the broker's listeners behind the load balancer,
        /// which keeps the client's address).
        public_ports: Vec<u16>,
        /// Every port is open between the deployment's own machines (clustering, the agent).
        vpc_cidr: String,
    },
    KeyPair,
    Image {
        builder: String,
    },
    Instance {
        role: Role,
        instance_type: String,
        subnet: String,
        /// A fixed private address, so the brokers' static cluster seeds are known before boot.
        private_ip: Option<String>,
    },
    LoadBalancer {
        subnets: Vec<String>,
    },
    TargetGroup {
        /// The load balancer's port it serves.
        port: u16,
        port_name: String,
        /// The brokers' port it forwards to (the REST API is served by the dashboard's
        /// listener, so 8443 forwards to 18084).
        target_port: u16,
        targets: Vec<String>,
    },
    Listener {
        port: u16,
        target_group: String,
    },
    /// Alibaba Cloud's classic load balancer (SLB): internet-facing, the brokers its backends.
    Slb {
        backends: Vec<String>,
    },
    /// An SLB TCP listener, forwarding to the same port or `backend_port` on every backend.
    TcpListener {
        port: u16,
        backend_port: u16,
    },
}

/// One resource of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// Unique within the plan, stable across versions: the state file records IDs under it.
    pub key: String,
    /// The resource's `Name` tag (or name, where the API takes one).
    pub name: String,
    pub origin: Origin,
    /// The create phase (SPEC §7) in which it is made.
    pub phase: &'static str,
    pub detail: Detail,
}

impl Resource {
    /// The settings worth showing beside the name: range and zone, type, port.
    pub fn summary(&self) -> String {
        match &self.detail {
            Detail::Vpc { cidr } => cidr.clone(),
            Detail::Subnet { cidr, zone } => format!("{cidr} · {zone}"),
            Detail::RouteTable {
                subnets,
                internet_route,
            } => {
                let mut parts = subnets.clone();
                if *internet_route {
                    parts.push("0.0.0.0/0 → igw".into());
                }
                parts.join(", ")
            }
            Detail::SecurityGroup { public_ports, .. } => public_ports
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Detail::Instance {
                instance_type,
                subnet,
                private_ip,
                ..
            } => match private_ip {
                Some(ip) => format!("{instance_type} · {subnet} · {ip}"),
                None => format!("{instance_type} · {subnet}"),
            },
            Detail::LoadBalancer { subnets } => subnets.join(", "),
            Detail::TargetGroup {
                port,
                port_name,
                target_port,
                ..
            } if port != target_port => format!("TCP {port} ({port_name}) → {target_port}"),
            Detail::TargetGroup {
                port, port_name, ..
            } => format!("TCP {port} ({port_name})"),
            Detail::Listener { port, target_group } => format!("TCP {port} → {target_group}"),
            Detail::Slb { backends } => backends.join(", "),
            Detail::TcpListener { port, backend_port } if port != backend_port => {
                format!("TCP {port} → {backend_port}")
            }
            Detail::TcpListener { port, .. } => format!("TCP {port}"),
            Detail::InternetGateway | Detail::KeyPair | Detail::Image { .. } => String::new(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self.detail {
            Detail::Vpc { .. } => Kind::Vpc,
            Detail::Subnet { .. } => Kind::Subnet,
            Detail::InternetGateway => Kind::InternetGateway,
            Detail::RouteTable { .. } => Kind::RouteTable,
            Detail::SecurityGroup { .. } => Kind::SecurityGroup,
            Detail::KeyPair => Kind::KeyPair,
            Detail::Image { .. } => Kind::Image,
            Detail::Instance { .. } => Kind::Instance,
            Detail::LoadBalancer { .. } | Detail::Slb { .. } => Kind::LoadBalancer,
            Detail::TargetGroup { .. } => Kind::TargetGroup,
            Detail::Listener { .. } | Detail::TcpListener { .. } => Kind::Listener,
        }
    }

    /// Whether the resource is still there when the operation that made it has finished.
    pub fn remains(&self) -> bool {
        self.origin != Origin::Temporary
    }

    /// A broker or agent instance, which stop and start act on.
    pub fn is_cluster_instance(&self) -> bool {
        matches!(
            self.detail,
            Detail::Instance {
                role: Role::Broker | Role::Agent,
                ..
            }
        )
    }
}

/// What the plan is made from: the deployment as the control plane registered it.
#[derive(Clone, Debug)]
pub struct PlanInput<'a> {
    pub deployment_id: &'a str,
    pub name: &'a str,
    pub cloud: Cloud,
    pub region: &'a str,
    pub vpc_cidr: &'a str,
    pub nodes: u8,
    pub node_type: &'a str,
    /// The customer's own tags (the wizard's), added to every resource.
    pub tags: &'a [Tag],
    /// The tag the policies condition destructive actions on.
    pub destructive_tag: &'a TagCondition,
    /// Zones to use instead of the catalog's, for accounts whose zone names differ.
    pub zones: Option<&'a [String]>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{0} is not provisioned by this toolkit yet; run with --simulate")]
    Unsupported(Cloud),
    #[error("the region {region} is not one of {cloud}'s regions in the catalog")]
    UnknownRegion { cloud: Cloud, region: String },
    #[error("the VPC range {0} is not a valid deployment range")]
    Cidr(String),
    #[error("{0}")]
    Zones(String),
    #[error("the deployment has {0} broker nodes; it must have between 1 and 5")]
    Nodes(u8),
    #[error("{0}")]
    Tag(String),
}

/// The whole plan of one deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub cloud: Cloud,
    pub region: String,
    pub deployment_id: String,
    /// Put on every created or adopted resource, in this order.
    pub tags: Vec<Tag>,
    /// In creation order: every resource comes after those it names.
    pub resources: Vec<Resource>,
}

impl Plan {
    pub fn get(&self, key: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.key == key)
    }

    /// The resources of one kind, in creation order.
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.kind() == kind)
    }

    /// How many resources of `kind` a finished deployment has.
    pub fn count(&self, kind: Kind) -> usize {
        self.of(kind).filter(|r| r.remains()).count()
    }

    /// The resources an operation acts on, in the order it acts: create makes everything in plan
    /// order; delete removes what remains in reverse (adopted resources go with their parent);
    /// stop and start act on the broker and agent instances only.
    pub fn touched_by(&self, op: Operation) -> Vec<&Resource> {
        match op {
            Operation::Create => self.resources.iter().collect(),
            Operation::Delete => self
                .resources
                .iter()
                .rev()
                .filter(|r| r.origin == Origin::Created)
                .collect(),
            Operation::Stop | Operation::Start => self
                .resources
                .iter()
                .filter(|r| r.is_cluster_instance())
                .collect(),
        }
    }

    /// The value of a tag every resource of this deployment carries.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
    }
}

/// The plan of a deployment. Only clouds the toolkit provisions for real have one.
pub fn plan(input: &PlanInput) -> Result<Plan, PlanError> {
    if input.cloud == Cloud::Gcp {
        return Err(PlanError::Unsupported(input.cloud));
    }
    if !(1..=5).contains(&input.nodes) {
        return Err(PlanError::Nodes(input.nodes));
    }
    input
        .cloud
        .region(input.region)
        .map_err(|_| PlanError::UnknownRegion {
            cloud: input.cloud,
            region: input.region.to_owned(),
        })?;
    let vpc = VpcCidr::parse(input.vpc_cidr).map_err(|_| PlanError::Cidr(input.vpc_cidr.into()))?;
    let zones: Vec<String> = match input.zones {
        Some(given) => zones::check(input.cloud, input.region, given).map_err(PlanError::Zones)?,
        None => zones(input.cloud, input.region)
            .iter()
            .map(|z| (*z).to_owned())
            .collect(),
    };
    if zones.is_empty() {
        return Err(PlanError::Zones(format!(
            "the catalog names no zones for {}; pass --zones",
            input.region
        )));
    }
    let mut tags = vec![
        Tag {
            key: input.destructive_tag.key.clone(),
            value: input.destructive_tag.value.clone(),
        },
        Tag {
            key: DEPLOYMENT_TAG_KEY.into(),
            value: input.deployment_id.into(),
        },
    ];
    // The customer's tags cannot replace the two the toolkit relies on.
    let own: Vec<Tag> = input
        .tags
        .iter()
        .filter(|t| !tags.iter().any(|mine| mine.key == t.key))
        .cloned()
        .collect();
    tags.extend(own);
    if input.cloud == Cloud::Aliyun {
        aliyun::check_tags(&tags).map_err(PlanError::Tag)?;
    }
    let resources = match input.cloud {
        Cloud::Aws | Cloud::AwsCn => aws::resources(input, &vpc, &zones),
        Cloud::Aliyun => aliyun::resources(input, &vpc, &zones),
        Cloud::Gcp => return Err(PlanError::Unsupported(input.cloud)),
    };
    Ok(Plan {
        cloud: input.cloud,
        region: input.region.to_owned(),
        deployment_id: input.deployment_id.to_owned(),
        tags,
        resources,
    })
}

/// The fixed private address of the `n`-th instance (0-based) placed in a subnet: from the
/// subnet's 11th address on (clouds reserve the first few).
pub fn instance_ip(subnet: &Cidr, n: u8) -> String {
    let base = u32::from(subnet.first());
    std::net::Ipv4Addr::from(base + 10 + u32::from(n)).to_string()
}

/// The key pair, the temporary image builder (in the first subnet), the image, then N brokers
/// round-robin over the subnets (and so the zones) and the agent in the first subnet, each on a
/// fixed private address. Answers the resources and the brokers' keys.
fn key_image_and_instances(
    input: &PlanInput,
    subnets: &[(String, Cidr)],
    res: impl Fn(&str, Origin, &'static str, Detail) -> Resource,
) -> (Vec<Resource>, Vec<String>) {
    let agent_type = agent_type_name(input.cloud).to_owned();
    let mut out = vec![
        res("key", Origin::Created, "image", Detail::KeyPair),
        res(
            "builder",
            Origin::Temporary,
            "image",
            Detail::Instance {
                role: Role::ImageBuilder,
                instance_type: agent_type.clone(),
                subnet: subnets[0].0.clone(),
                private_ip: None,
            },
        ),
        res(
            "image",
            Origin::Created,
            "image",
            Detail::Image {
                builder: "builder".into(),
            },
        ),
    ];
    let mut placed = vec![0u8; subnets.len()];
    let mut place = |s: usize| {
        let n = placed[s];
        placed[s] += 1;
        (subnets[s].0.clone(), instance_ip(&subnets[s].1, n))
    };
    let mut brokers = Vec::new();
    for n in 0..input.nodes {
        let (subnet, ip) = place(usize::from(n) % subnets.len());
        let key = format!("broker-{}", n + 1);
        out.push(res(
            &key,
            Origin::Created,
            "compute",
            Detail::Instance {
                role: Role::Broker,
                instance_type: input.node_type.to_owned(),
                subnet,
                private_ip: Some(ip),
            },
        ));
        brokers.push(key);
    }
    let (subnet, ip) = place(0);
    out.push(res(
        "agent",
        Origin::Created,
        "compute",
        Detail::Instance {
            role: Role::Agent,
            instance_type: agent_type,
            subnet,
            private_ip: Some(ip),
        },
    ));
    (out, brokers)
}

/// One resource of the plan under its name: per-deployment unique names for what an account
/// names once (load balancers and target groups, key pairs, images), the deployment's name and
/// the key for the rest.
fn resource(
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

fn node_name(input: &PlanInput, key: &str) -> String {
    format!("{}-{}", input.name, key)
}

/// The deployment ID's first 12 letters and digits, lowercased: enough to keep names of two
/// deployments apart in one account.
fn short_id(deployment_id: &str) -> String {
    deployment_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Names unique per account and region (key pairs, images): the deployment's name, the key and
/// the short ID, since two projects may hold deployments of the same name.
fn unique_name(input: &PlanInput, key: &str) -> String {
    format!("{}-{key}-{}", input.name, short_id(input.deployment_id))
}

/// The port each broker listens on for a port the load balancer offers: the REST API ("rest
/// api", 8443) is served by the dashboard's HTTPS listener.
pub fn target_port(port: u16) -> u16 {
    match port {
        8443 => 18084,
        other => other,
    }
}

/// Load balancer and target group names are unique per account and region and at most 32
/// characters of letters, digits and hyphens: `byoc-` and the deployment ID's first 12 letters
/// and digits, then the resource's key (at most 9 characters).
pub fn elb_name(deployment_id: &str, key: &str) -> String {
    format!("byoc-{}-{key}", short_id(deployment_id))
}

/// The brokers' ports clients reach through the load balancer (which keeps the client's
/// address, so the security group must let them in), each once.
fn public_ports() -> Vec<u16> {
    let mut ports: Vec<u16> = PORTS.iter().map(|p| target_port(p.number)).collect();
    ports.dedup();
    ports
}

fn agent_type_name(cloud: Cloud) -> &'static str {
    agent_type(cloud).name
}

#[cfg(test)]
mod tests;
