//! Sizing (SPEC §2): from the two needs a customer states — the sessions limit and the Pub&Sub
//! TPS — pick a tier, and from the tier the broker node type and count for the chosen cloud. The
//! user may grow the cluster (more nodes, a larger type) but never shrink it below the tier.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::api::DeploymentField;
use crate::catalog::Cloud;
use crate::lang::Lang;

/// A virtual machine type of one cloud, with the size the sizing rules reason about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpu: u32,
    pub memory_gib: u32,
}

impl fmt::Display for InstanceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} vCPU, {} GiB)",
            self.name, self.vcpu, self.memory_gib
        )
    }
}

/// One row of the sizing table: the largest needs it covers and its node count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Tier {
    pub number: u8,
    pub max_sessions: u64,
    pub max_tps: u64,
    pub nodes: u8,
}

impl Tier {
    /// The broker node type this tier uses on `cloud`.
    pub fn node_type(&self, cloud: Cloud) -> InstanceType {
        let table = table(cloud);
        // Tier numbers are 1..=5 and every table has five rows; clamping keeps this total.
        let index = usize::from(self.number.clamp(1, 5)) - 1;
        table[index]
    }

    /// Whether this tier's limits cover both needs.
    pub fn covers(&self, sessions: u64, tps: u64) -> bool {
        sessions <= self.max_sessions && tps <= self.max_tps
    }
}

pub const TIERS: [Tier; 5] = [
    tier(1, 5_000, 2_000, 2),
    tier(2, 20_000, 10_000, 2),
    tier(3, 100_000, 30_000, 3),
    tier(4, 500_000, 100_000, 3),
    tier(5, 1_000_000, 200_000, 5),
];

const fn tier(number: u8, max_sessions: u64, max_tps: u64, nodes: u8) -> Tier {
    Tier {
        number,
        max_sessions,
        max_tps,
        nodes,
    }
}

/// The fewest broker nodes any cluster has (the console's node-count range is 2–5).
pub const MIN_NODES: u8 = 2;
/// The most broker nodes a cluster has; beyond that is a sales conversation, not a setting.
pub const MAX_NODES: u8 = 5;

const fn it(name: &'static str, vcpu: u32, memory_gib: u32) -> InstanceType {
    InstanceType {
        name,
        vcpu,
        memory_gib,
    }
}

// AWS and AWS China sell the same c6i family, so both clouds share one table.
const AWS_NODES: [InstanceType; 5] = [
    it("c6i.large", 2, 4),
    it("c6i.xlarge", 4, 8),
    it("c6i.2xlarge", 8, 16),
    it("c6i.4xlarge", 16, 32),
    it("c6i.8xlarge", 32, 64),
];

const ALIYUN_NODES: [InstanceType; 5] = [
    it("ecs.c7.large", 2, 4),
    it("ecs.c7.xlarge", 4, 8),
    it("ecs.c7.2xlarge", 8, 16),
    it("ecs.c7.4xlarge", 16, 32),
    it("ecs.c7.8xlarge", 32, 64),
];

// GCP's smallest tier is a high-CPU type (4 vCPU, 4 GiB) rather than a 2 vCPU one; the others
// are standard types with 4 GiB per vCPU.
const GCP_NODES: [InstanceType; 5] = [
    it("n2-highcpu-4", 4, 4),
    it("n2-standard-4", 4, 16),
    it("n2-standard-8", 8, 32),
    it("n2-standard-16", 16, 64),
    it("n2-standard-32", 32, 128),
];

const AWS_AGENT: InstanceType = it("t3.medium", 2, 4);
const ALIYUN_AGENT: InstanceType = it("ecs.g7.large", 2, 8);
const GCP_AGENT: InstanceType = it("e2-medium", 2, 4);

fn table(cloud: Cloud) -> &'static [InstanceType; 5] {
    match cloud {
        Cloud::Aliyun => &ALIYUN_NODES,
        Cloud::AwsCn | Cloud::Aws => &AWS_NODES,
        Cloud::Gcp => &GCP_NODES,
    }
}

/// The five broker node types of `cloud`, smallest first: entry *k* is tier *k + 1*'s type.
pub fn node_types(cloud: Cloud) -> &'static [InstanceType] {
    table(cloud)
}

/// The type of the agent node (the "+1" of every quota), which manages the broker nodes.
pub fn agent_type(cloud: Cloud) -> InstanceType {
    match cloud {
        Cloud::Aliyun => ALIYUN_AGENT,
        Cloud::AwsCn | Cloud::Aws => AWS_AGENT,
        Cloud::Gcp => GCP_AGENT,
    }
}

/// Finds a broker node type of `cloud` by its provider name (exact: providers' APIs are
/// case-sensitive).
pub fn find_node_type(cloud: Cloud, name: &str) -> Result<InstanceType, SizingError> {
    node_types(cloud)
        .iter()
        .find(|t| t.name == name)
        .copied()
        .ok_or_else(|| SizingError::UnknownInstanceType {
            cloud,
            name: name.to_owned(),
        })
}

/// The tier with this number (1–5).
pub fn tier_by_number(number: u8) -> Option<Tier> {
    TIERS.iter().find(|t| t.number == number).copied()
}

/// The smallest tier that covers both needs, or `None` when even the largest does not.
pub fn tier_for(sessions: u64, tps: u64) -> Option<Tier> {
    // Tiers grow in both limits, so the first that covers both is the larger of the two tiers
    // each need alone would pick.
    TIERS.iter().find(|t| t.covers(sessions, tps)).copied()
}

/// What the user asks for; `nodes` and `node_type` are overrides of the tier's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizingRequest {
    pub cloud: Cloud,
    pub sessions: u64,
    pub tps: u64,
    #[serde(default)]
    pub nodes: Option<u8>,
    #[serde(default)]
    pub node_type: Option<String>,
}

/// The cluster a request gets, plus the ranges the console offers for changing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sizing {
    pub cloud: Cloud,
    pub tier: u8,
    pub node_type: InstanceType,
    pub nodes: u8,
    pub agent_type: InstanceType,
    /// The smallest node count allowed: the tier's count.
    pub min_nodes: u8,
    pub max_nodes: u8,
    /// The tier's type and every larger one of the same cloud, smallest first.
    pub allowed_node_types: Vec<InstanceType>,
}

impl Sizing {
    /// vCPU of the broker nodes alone (what a licence's `core_size` counts).
    pub fn node_vcpu(&self) -> u32 {
        u32::from(self.nodes) * self.node_type.vcpu
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizingError {
    #[error("the sessions limit must be at least 1")]
    SessionsRequired,
    #[error("the Pub&Sub TPS must be at least 1")]
    TpsRequired,
    #[error("{}", contact_sales_message(*.sessions, *.tps))]
    ContactSales { sessions: u64, tps: u64 },
    #[error("{}", nodes_out_of_range_message(*.nodes, *.tier))]
    NodesOutOfRange {
        nodes: u8,
        /// The tier and its node count, when the needs were valid enough to pick one.
        tier: Option<(u8, u8)>,
    },
    #[error("tier {tier} needs at least {min} nodes; choose {min} to {MAX_NODES}")]
    NodesBelowTier { nodes: u8, tier: u8, min: u8 },
    #[error(
        "\"{name}\" is not a broker node type on {cloud}; choose one of {}",
        names(node_types(*.cloud))
    )]
    UnknownInstanceType { cloud: Cloud, name: String },
    #[error(
        "tier {tier} needs at least {minimum}, so {chosen} is too small; choose one of {}",
        names(larger_or_equal(*.cloud, *.minimum))
    )]
    InstanceTypeTooSmall {
        cloud: Cloud,
        tier: u8,
        chosen: InstanceType,
        minimum: InstanceType,
    },
}

impl SizingError {
    /// Stable machine-readable code, used in API problems and translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            SizingError::SessionsRequired => "sessions_required",
            SizingError::TpsRequired => "tps_required",
            SizingError::ContactSales { .. } => "contact_sales",
            SizingError::NodesOutOfRange { .. } => "nodes_out_of_range",
            SizingError::NodesBelowTier { .. } => "nodes_below_tier",
            SizingError::UnknownInstanceType { .. } => "unknown_instance_type",
            SizingError::InstanceTypeTooSmall { .. } => "instance_type_too_small",
        }
    }

    /// The request field the error is about, for per-field errors in forms and problems.
    pub fn field(&self) -> DeploymentField {
        match self {
            SizingError::SessionsRequired => DeploymentField::Sessions,
            SizingError::TpsRequired => DeploymentField::Tps,
            SizingError::ContactSales { sessions, .. } => {
                if *sessions > largest().max_sessions {
                    DeploymentField::Sessions
                } else {
                    DeploymentField::Tps
                }
            }
            SizingError::NodesOutOfRange { .. } | SizingError::NodesBelowTier { .. } => {
                DeploymentField::Nodes
            }
            SizingError::UnknownInstanceType { .. } | SizingError::InstanceTypeTooSmall { .. } => {
                DeploymentField::NodeType
            }
        }
    }
}

impl SizingError {
    /// The message in `lang`: English is the `Display` text, Chinese says the same.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => self.message_zh(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            SizingError::SessionsRequired => "最大连接数必须至少为 1".to_owned(),
            SizingError::TpsRequired => "消息上下行 TPS 必须至少为 1".to_owned(),
            SizingError::ContactSales { sessions, tps } => {
                let top = largest();
                let what = match (*sessions > top.max_sessions, *tps > top.max_tps) {
                    (true, true) => {
                        format!("{} 连接和 {} TPS", thousands(*sessions), thousands(*tps))
                    }
                    (true, false) => format!("{} 连接", thousands(*sessions)),
                    _ => format!("{} TPS", thousands(*tps)),
                };
                format!(
                    "{what}超出了最大档位（{} 连接，{} TPS），请联系销售获取更大的集群",
                    thousands(top.max_sessions),
                    thousands(top.max_tps)
                )
            }
            SizingError::NodesOutOfRange { nodes, tier } => {
                let range =
                    format!("集群节点数为 {MIN_NODES} 到 {MAX_NODES} 个，不能为 {nodes} 个");
                match tier {
                    Some((number, min)) => {
                        format!("{range}；第 {number} 档请选择 {min} 到 {MAX_NODES} 个")
                    }
                    None => format!("{range}；请选择 {MIN_NODES} 到 {MAX_NODES} 个"),
                }
            }
            SizingError::NodesBelowTier { tier, min, .. } => {
                format!("第 {tier} 档至少需要 {min} 个节点，请选择 {min} 到 {MAX_NODES} 个")
            }
            SizingError::UnknownInstanceType { cloud, name } => format!(
                "“{name}”不是 {cloud} 上的 EMQX 节点实例规格，请从以下规格中选择：{}",
                names(node_types(*cloud))
            ),
            SizingError::InstanceTypeTooSmall {
                cloud,
                tier,
                chosen,
                minimum,
            } => format!(
                "第 {tier} 档至少需要 {minimum}，{chosen} 太小；请从以下规格中选择：{}",
                names(larger_or_equal(*cloud, *minimum))
            ),
        }
    }
}

fn largest() -> Tier {
    TIERS[TIERS.len() - 1]
}

fn contact_sales_message(sessions: u64, tps: u64) -> String {
    let top = largest();
    let over_sessions = sessions > top.max_sessions;
    let over_tps = tps > top.max_tps;
    let what = match (over_sessions, over_tps) {
        (true, true) => format!(
            "a sessions limit of {} and a TPS of {} exceed",
            thousands(sessions),
            thousands(tps)
        ),
        (true, false) => format!("a sessions limit of {} exceeds", thousands(sessions)),
        _ => format!("a TPS of {} exceeds", thousands(tps)),
    };
    format!(
        "{what} the largest tier ({} sessions, {} TPS); contact sales for a larger cluster",
        thousands(top.max_sessions),
        thousands(top.max_tps)
    )
}

fn nodes_out_of_range_message(nodes: u8, tier: Option<(u8, u8)>) -> String {
    let range =
        format!("a cluster has {MIN_NODES} to {MAX_NODES} nodes, so {nodes} is not possible");
    match tier {
        Some((number, min)) => format!("{range}; for tier {number} choose {min} to {MAX_NODES}"),
        None => format!("{range}; choose {MIN_NODES} to {MAX_NODES}"),
    }
}

fn larger_or_equal(cloud: Cloud, minimum: InstanceType) -> &'static [InstanceType] {
    let types = node_types(cloud);
    let start = types.iter().position(|t| *t == minimum).unwrap_or(0);
    types.get(start..).unwrap_or(types)
}

fn names(types: &[InstanceType]) -> String {
    types.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

/// `1000000` → `1,000,000`: limits are read by people, and six zeros are easy to miscount.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A broker node count on its own, without a tier (e.g. for a quota table): 2 to 5.
pub fn check_node_count(nodes: u8) -> Result<u8, SizingError> {
    if (MIN_NODES..=MAX_NODES).contains(&nodes) {
        Ok(nodes)
    } else {
        Err(SizingError::NodesOutOfRange { nodes, tier: None })
    }
}

/// Sizes a cluster, or says what is wrong with the request (the first problem found; see
/// [`validate`] for all of them).
pub fn size(req: &SizingRequest) -> Result<Sizing, SizingError> {
    validate(req).map_err(|errors| {
        // `validate` never returns an empty list; the fallback only keeps this total.
        errors
            .into_iter()
            .next()
            .unwrap_or(SizingError::SessionsRequired)
    })
}

/// Sizes a cluster, or lists every problem of the request, so a form can mark each field at
/// once. The error list is never empty.
pub fn validate(req: &SizingRequest) -> Result<Sizing, Vec<SizingError>> {
    let mut errors = Vec::new();
    if req.sessions == 0 {
        errors.push(SizingError::SessionsRequired);
    }
    if req.tps == 0 {
        errors.push(SizingError::TpsRequired);
    }
    let tier = if errors.is_empty() {
        let found = tier_for(req.sessions, req.tps);
        if found.is_none() {
            errors.push(SizingError::ContactSales {
                sessions: req.sessions,
                tps: req.tps,
            });
        }
        found
    } else {
        None
    };

    let nodes = match req.nodes {
        Some(n) if check_node_count(n).is_err() => {
            errors.push(SizingError::NodesOutOfRange {
                nodes: n,
                tier: tier.map(|t| (t.number, t.nodes)),
            });
            None
        }
        Some(n) => match tier {
            Some(t) if n < t.nodes => {
                errors.push(SizingError::NodesBelowTier {
                    nodes: n,
                    tier: t.number,
                    min: t.nodes,
                });
                None
            }
            _ => Some(n),
        },
        None => tier.map(|t| t.nodes),
    };

    let node_type = match &req.node_type {
        Some(name) => match find_node_type(req.cloud, name) {
            Err(e) => {
                errors.push(e);
                None
            }
            Ok(chosen) => match tier {
                Some(t) => {
                    let minimum = t.node_type(req.cloud);
                    if position(req.cloud, chosen) < position(req.cloud, minimum) {
                        errors.push(SizingError::InstanceTypeTooSmall {
                            cloud: req.cloud,
                            tier: t.number,
                            chosen,
                            minimum,
                        });
                        None
                    } else {
                        Some(chosen)
                    }
                }
                None => None,
            },
        },
        None => tier.map(|t| t.node_type(req.cloud)),
    };

    match (tier, nodes, node_type) {
        (Some(t), Some(nodes), Some(node_type)) if errors.is_empty() => Ok(Sizing {
            cloud: req.cloud,
            tier: t.number,
            node_type,
            nodes,
            agent_type: agent_type(req.cloud),
            min_nodes: t.nodes,
            max_nodes: MAX_NODES,
            allowed_node_types: larger_or_equal(req.cloud, t.node_type(req.cloud)).to_vec(),
        }),
        _ => Err(errors),
    }
}

fn position(cloud: Cloud, t: InstanceType) -> usize {
    node_types(cloud).iter().position(|x| *x == t).unwrap_or(0)
}

/// A port the broker's load balancer listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Port {
    pub number: u16,
    pub name: &'static str,
    pub protocol: &'static str,
}

/// The ports every deployment exposes, in the order the console lists them.
pub const PORTS: [Port; 6] = [
    Port {
        number: 1883,
        name: "mqtt",
        protocol: "tcp",
    },
    Port {
        number: 8883,
        name: "mqtts",
        protocol: "tls",
    },
    Port {
        number: 8083,
        name: "ws",
        protocol: "websocket",
    },
    Port {
        number: 8084,
        name: "wss",
        protocol: "websocket over tls",
    },
    Port {
        number: 18084,
        name: "dashboard",
        protocol: "https",
    },
    Port {
        number: 8443,
        name: "rest api",
        protocol: "https",
    },
];

/// The load balancer's port clients use for `port` on `cloud`. The Alibaba Cloud seed counts 5
/// SLB listeners where AWS counts 6: there the REST API is reached through the dashboard's
/// listener (the broker serves both on one HTTPS listener, 18084) instead of its own 8443.
pub fn client_port(cloud: Cloud, port: &Port) -> u16 {
    match (cloud, port.number) {
        (Cloud::Aliyun, 8443) => 18084,
        (_, number) => number,
    }
}

/// The load balancer's listener ports on `cloud`, each once, in the order of [`PORTS`].
pub fn listener_ports(cloud: Cloud) -> Vec<u16> {
    let mut ports: Vec<u16> = Vec::new();
    for p in &PORTS {
        let n = client_port(cloud, p);
        if !ports.contains(&n) {
            ports.push(n);
        }
    }
    ports
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FormField;

    #[test]
    fn node_count_alone_is_two_to_five() {
        assert_eq!(check_node_count(2), Ok(2));
        assert_eq!(check_node_count(5), Ok(5));
        for bad in [0, 1, 6] {
            assert_eq!(
                check_node_count(bad).unwrap_err().code(),
                "nodes_out_of_range"
            );
        }
    }

    fn req(cloud: Cloud, sessions: u64, tps: u64) -> SizingRequest {
        SizingRequest {
            cloud,
            sessions,
            tps,
            nodes: None,
            node_type: None,
        }
    }

    fn tier_of(sessions: u64, tps: u64) -> u8 {
        size(&req(Cloud::Aws, sessions, tps)).unwrap().tier
    }

    #[test]
    fn tiers_match_the_spec_table() {
        let rows: Vec<_> = TIERS
            .iter()
            .map(|t| (t.number, t.max_sessions, t.max_tps, t.nodes))
            .collect();
        assert_eq!(
            rows,
            [
                (1, 5_000, 2_000, 2),
                (2, 20_000, 10_000, 2),
                (3, 100_000, 30_000, 3),
                (4, 500_000, 100_000, 3),
                (5, 1_000_000, 200_000, 5),
            ]
        );
        for (i, t) in TIERS.iter().enumerate() {
            assert_eq!(tier_by_number(t.number), Some(*t));
            assert_eq!(usize::from(t.number), i + 1);
        }
        assert_eq!(tier_by_number(0), None);
        assert_eq!(tier_by_number(6), None);
    }

    #[test]
    fn node_types_per_cloud_match_the_spec_table() {
        let names = |c: Cloud| node_types(c).iter().map(|t| t.name).collect::<Vec<_>>();
        let c6i = [
            "c6i.large",
            "c6i.xlarge",
            "c6i.2xlarge",
            "c6i.4xlarge",
            "c6i.8xlarge",
        ];
        assert_eq!(names(Cloud::Aws), c6i);
        assert_eq!(names(Cloud::AwsCn), c6i);
        assert_eq!(
            names(Cloud::Aliyun),
            [
                "ecs.c7.large",
                "ecs.c7.xlarge",
                "ecs.c7.2xlarge",
                "ecs.c7.4xlarge",
                "ecs.c7.8xlarge"
            ]
        );
        assert_eq!(
            names(Cloud::Gcp),
            [
                "n2-highcpu-4",
                "n2-standard-4",
                "n2-standard-8",
                "n2-standard-16",
                "n2-standard-32"
            ]
        );
    }

    #[test]
    fn aws_and_aliyun_node_sizes_are_the_per_node_sizes_of_the_table() {
        let per_node = [(2, 4), (4, 8), (8, 16), (16, 32), (32, 64)];
        for cloud in [Cloud::Aws, Cloud::AwsCn, Cloud::Aliyun] {
            let sizes: Vec<_> = node_types(cloud)
                .iter()
                .map(|t| (t.vcpu, t.memory_gib))
                .collect();
            assert_eq!(sizes, per_node, "{cloud}");
        }
    }

    #[test]
    fn gcp_uses_highcpu_4_then_standard_types_with_4_gib_per_vcpu() {
        let types = node_types(Cloud::Gcp);
        assert_eq!(types[0], it("n2-highcpu-4", 4, 4));
        for t in &types[1..] {
            let n: u32 = t.name.trim_start_matches("n2-standard-").parse().unwrap();
            assert_eq!((t.vcpu, t.memory_gib), (n, 4 * n), "{}", t.name);
        }
    }

    #[test]
    fn node_types_grow_strictly_with_the_tier() {
        for cloud in Cloud::ALL {
            for pair in node_types(cloud).windows(2) {
                assert!(pair[0].vcpu <= pair[1].vcpu, "{cloud}");
                assert!(pair[0].memory_gib < pair[1].memory_gib, "{cloud}");
            }
            for t in TIERS {
                assert_eq!(
                    t.node_type(cloud),
                    node_types(cloud)[usize::from(t.number) - 1]
                );
            }
        }
    }

    #[test]
    fn agent_types_are_t3_medium_ecs_g7_large_and_e2_medium() {
        assert_eq!(agent_type(Cloud::Aws), it("t3.medium", 2, 4));
        assert_eq!(agent_type(Cloud::AwsCn), it("t3.medium", 2, 4));
        assert_eq!(agent_type(Cloud::Aliyun), it("ecs.g7.large", 2, 8));
        assert_eq!(agent_type(Cloud::Gcp), it("e2-medium", 2, 4));
    }

    #[test]
    fn finds_node_types_only_on_their_own_cloud() {
        assert_eq!(
            find_node_type(Cloud::AwsCn, "c6i.2xlarge").unwrap(),
            it("c6i.2xlarge", 8, 16)
        );
        let err = find_node_type(Cloud::Aws, "ecs.c7.large").unwrap_err();
        assert_eq!(err.code(), "unknown_instance_type");
        assert_eq!(err.field().name(), "node_type");
        assert_eq!(
            err.to_string(),
            "\"ecs.c7.large\" is not a broker node type on aws; choose one of c6i.large, \
             c6i.xlarge, c6i.2xlarge, c6i.4xlarge, c6i.8xlarge"
        );
        assert!(find_node_type(Cloud::Aws, "C6I.LARGE").is_err());
        assert!(find_node_type(Cloud::Gcp, "t3.medium").is_err());
        assert!(find_node_type(Cloud::Aliyun, "").is_err());
    }

    #[test]
    fn session_boundaries_pick_the_next_tier_one_past_each_limit() {
        assert_eq!(tier_of(1, 1), 1);
        assert_eq!(tier_of(5_000, 1), 1);
        assert_eq!(tier_of(5_001, 1), 2);
        assert_eq!(tier_of(20_000, 1), 2);
        assert_eq!(tier_of(20_001, 1), 3);
        assert_eq!(tier_of(100_000, 1), 3);
        assert_eq!(tier_of(100_001, 1), 4);
        assert_eq!(tier_of(500_000, 1), 4);
        assert_eq!(tier_of(500_001, 1), 5);
        assert_eq!(tier_of(1_000_000, 1), 5);
    }

    #[test]
    fn tps_boundaries_pick_the_next_tier_one_past_each_limit() {
        assert_eq!(tier_of(1, 2_000), 1);
        assert_eq!(tier_of(1, 2_001), 2);
        assert_eq!(tier_of(1, 10_000), 2);
        assert_eq!(tier_of(1, 10_001), 3);
        assert_eq!(tier_of(1, 30_000), 3);
        assert_eq!(tier_of(1, 30_001), 4);
        assert_eq!(tier_of(1, 100_000), 4);
        assert_eq!(tier_of(1, 100_001), 5);
        assert_eq!(tier_of(1, 200_000), 5);
    }

    #[test]
    fn both_limits_of_a_tier_together_stay_in_that_tier() {
        for t in TIERS {
            assert_eq!(tier_of(t.max_sessions, t.max_tps), t.number);
        }
    }

    #[test]
    fn the_larger_need_decides_the_tier() {
        // Few sessions, heavy traffic: TPS wins.
        assert_eq!(tier_of(1_000, 150_000), 5);
        // Many sessions, light traffic: sessions win.
        assert_eq!(tier_of(400_000, 100), 4);
        // Each need alone gives tier 2 and tier 3; the result is tier 3 either way round.
        assert_eq!(tier_of(15_000, 25_000), 3);
        assert_eq!(tier_of(50_000, 5_000), 3);
    }

    #[test]
    fn above_tier_5_sessions_asks_to_contact_sales() {
        let err = size(&req(Cloud::Aws, 1_000_001, 1)).unwrap_err();
        assert_eq!(err.code(), "contact_sales");
        assert_eq!(err.field().name(), "sessions");
        assert_eq!(
            err.to_string(),
            "a sessions limit of 1,000,001 exceeds the largest tier (1,000,000 sessions, 200,000 TPS); \
             contact sales for a larger cluster"
        );
    }

    #[test]
    fn above_tier_5_tps_asks_to_contact_sales() {
        let err = size(&req(Cloud::Gcp, 10, 200_001)).unwrap_err();
        assert_eq!(err.code(), "contact_sales");
        assert_eq!(err.field().name(), "tps");
        assert_eq!(
            err.to_string(),
            "a TPS of 200,001 exceeds the largest tier (1,000,000 sessions, 200,000 TPS); \
             contact sales for a larger cluster"
        );
    }

    #[test]
    fn above_tier_5_on_both_names_both_needs() {
        let err = size(&req(Cloud::Aliyun, u64::MAX, 300_000)).unwrap_err();
        assert_eq!(err.code(), "contact_sales");
        assert_eq!(err.field().name(), "sessions");
        assert!(err.to_string().starts_with(
            "a sessions limit of 18,446,744,073,709,551,615 and a TPS of 300,000 exceed"
        ));
    }

    #[test]
    fn zero_sessions_or_tps_is_refused_per_field() {
        let err = size(&req(Cloud::Aws, 0, 10)).unwrap_err();
        assert_eq!(
            (err.code(), err.field().name()),
            ("sessions_required", "sessions")
        );
        assert_eq!(err.to_string(), "the sessions limit must be at least 1");
        let err = size(&req(Cloud::Aws, 10, 0)).unwrap_err();
        assert_eq!((err.code(), err.field().name()), ("tps_required", "tps"));
        assert_eq!(err.to_string(), "the Pub&Sub TPS must be at least 1");
        let errors = validate(&req(Cloud::Aws, 0, 0)).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(codes, ["sessions_required", "tps_required"]);
    }

    #[test]
    fn defaults_are_the_tiers_type_and_count_on_every_cloud() {
        for cloud in Cloud::ALL {
            for t in TIERS {
                let s = size(&req(cloud, t.max_sessions, t.max_tps)).unwrap();
                assert_eq!(s.cloud, cloud);
                assert_eq!(s.tier, t.number);
                assert_eq!(s.nodes, t.nodes);
                assert_eq!(s.min_nodes, t.nodes);
                assert_eq!(s.max_nodes, MAX_NODES);
                assert_eq!(s.node_type, node_types(cloud)[usize::from(t.number) - 1]);
                assert_eq!(s.agent_type, agent_type(cloud));
                assert_eq!(
                    s.allowed_node_types,
                    node_types(cloud)[usize::from(t.number) - 1..].to_vec()
                );
            }
        }
    }

    #[test]
    fn tier_3_on_aws_is_three_c6i_2xlarge() {
        let s = size(&req(Cloud::Aws, 50_000, 20_000)).unwrap();
        assert_eq!(s.tier, 3);
        assert_eq!(s.nodes, 3);
        assert_eq!(s.node_type.name, "c6i.2xlarge");
        assert_eq!(s.node_vcpu(), 24);
        let allowed: Vec<_> = s.allowed_node_types.iter().map(|t| t.name).collect();
        assert_eq!(allowed, ["c6i.2xlarge", "c6i.4xlarge", "c6i.8xlarge"]);
    }

    #[test]
    fn node_count_may_grow_up_to_5() {
        for nodes in 3..=5 {
            let mut r = req(Cloud::Aws, 50_000, 1);
            r.nodes = Some(nodes);
            assert_eq!(size(&r).unwrap().nodes, nodes);
        }
        let mut r = req(Cloud::Aws, 1, 1);
        r.nodes = Some(2);
        assert_eq!(size(&r).unwrap().nodes, 2);
    }

    #[test]
    fn node_count_below_the_tiers_count_is_refused() {
        let mut r = req(Cloud::Aws, 50_000, 1);
        r.nodes = Some(2);
        let err = size(&r).unwrap_err();
        assert_eq!(err.code(), "nodes_below_tier");
        assert_eq!(err.field().name(), "nodes");
        assert_eq!(
            err.to_string(),
            "tier 3 needs at least 3 nodes; choose 3 to 5"
        );

        let mut r = req(Cloud::Gcp, 1_000_000, 1);
        r.nodes = Some(4);
        assert_eq!(
            size(&r).unwrap_err().to_string(),
            "tier 5 needs at least 5 nodes; choose 5 to 5"
        );
    }

    #[test]
    fn node_count_outside_2_to_5_is_refused() {
        for nodes in [0, 1, 6, u8::MAX] {
            let mut r = req(Cloud::Aliyun, 1, 1);
            r.nodes = Some(nodes);
            let err = size(&r).unwrap_err();
            assert_eq!(err.code(), "nodes_out_of_range", "{nodes}");
            assert_eq!(err.field().name(), "nodes");
        }
        let mut r = req(Cloud::Aliyun, 100_000, 1);
        r.nodes = Some(6);
        assert_eq!(
            size(&r).unwrap_err().to_string(),
            "a cluster has 2 to 5 nodes, so 6 is not possible; for tier 3 choose 3 to 5"
        );
        let mut r = req(Cloud::Aliyun, 0, 1);
        r.nodes = Some(1);
        let errors = validate(&r).unwrap_err();
        assert_eq!(
            errors[1].to_string(),
            "a cluster has 2 to 5 nodes, so 1 is not possible; choose 2 to 5"
        );
    }

    #[test]
    fn a_larger_type_of_the_same_cloud_is_accepted() {
        let mut r = req(Cloud::Aliyun, 10_000, 1);
        r.node_type = Some("ecs.c7.8xlarge".into());
        let s = size(&r).unwrap();
        assert_eq!(s.tier, 2);
        assert_eq!(s.node_type, it("ecs.c7.8xlarge", 32, 64));
        // The allowed list still starts at the tier's type: it is what the console offers.
        assert_eq!(s.allowed_node_types[0].name, "ecs.c7.xlarge");
    }

    #[test]
    fn the_tiers_own_type_given_explicitly_is_accepted() {
        let mut r = req(Cloud::Gcp, 1, 1);
        r.node_type = Some("n2-highcpu-4".into());
        assert_eq!(size(&r).unwrap().node_type.name, "n2-highcpu-4");
    }

    #[test]
    fn a_smaller_type_than_the_tiers_is_refused() {
        let mut r = req(Cloud::Aws, 100_000, 1);
        r.node_type = Some("c6i.xlarge".into());
        let err = size(&r).unwrap_err();
        assert_eq!(err.code(), "instance_type_too_small");
        assert_eq!(err.field().name(), "node_type");
        assert_eq!(
            err.to_string(),
            "tier 3 needs at least c6i.2xlarge (8 vCPU, 16 GiB), so c6i.xlarge (4 vCPU, 8 GiB) \
             is too small; choose one of c6i.2xlarge, c6i.4xlarge, c6i.8xlarge"
        );
    }

    #[test]
    fn another_clouds_type_is_refused_as_unknown() {
        let mut r = req(Cloud::Gcp, 1, 1);
        r.node_type = Some("c6i.8xlarge".into());
        let err = size(&r).unwrap_err();
        assert_eq!(err.code(), "unknown_instance_type");
        let mut r = req(Cloud::AwsCn, 1, 1);
        r.node_type = Some("t3.medium".into());
        assert_eq!(size(&r).unwrap_err().code(), "unknown_instance_type");
    }

    #[test]
    fn validate_reports_every_field_at_once() {
        let r = SizingRequest {
            cloud: Cloud::Aws,
            sessions: 100_000,
            tps: 1,
            nodes: Some(2),
            node_type: Some("c6i.large".into()),
        };
        let errors = validate(&r).unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.field().name(), e.code()))
            .collect();
        assert_eq!(
            fields,
            [
                ("nodes", "nodes_below_tier"),
                ("node_type", "instance_type_too_small")
            ]
        );
        assert_eq!(size(&r).unwrap_err(), errors[0]);
    }

    #[test]
    fn validate_still_checks_overrides_when_the_needs_are_missing() {
        let r = SizingRequest {
            cloud: Cloud::Aws,
            sessions: 0,
            tps: 5,
            nodes: Some(9),
            node_type: Some("m5.large".into()),
        };
        let codes: Vec<_> = validate(&r).unwrap_err().iter().map(|e| e.code()).collect();
        assert_eq!(
            codes,
            [
                "sessions_required",
                "nodes_out_of_range",
                "unknown_instance_type"
            ]
        );
    }

    #[test]
    fn request_reads_from_json_with_optional_overrides() {
        let r: SizingRequest =
            serde_json::from_str(r#"{"cloud":"aws-cn","sessions":20000,"tps":10000}"#).unwrap();
        assert_eq!(r, req(Cloud::AwsCn, 20_000, 10_000));
        let r: SizingRequest = serde_json::from_str(
            r#"{"cloud":"gcp","sessions":1,"tps":1,"nodes":4,"node_type":"n2-standard-8"}"#,
        )
        .unwrap();
        assert_eq!(r.nodes, Some(4));
        assert_eq!(r.node_type.as_deref(), Some("n2-standard-8"));
    }

    #[test]
    fn sizing_serialises_with_cloud_code_and_instance_fields() {
        let s = size(&req(Cloud::AwsCn, 1, 1)).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["cloud"], "aws-cn");
        assert_eq!(json["tier"], 1);
        assert_eq!(
            json["node_type"],
            serde_json::json!({"name":"c6i.large","vcpu":2,"memory_gib":4})
        );
        assert_eq!(json["agent_type"]["name"], "t3.medium");
        assert_eq!(json["allowed_node_types"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn ports_are_the_six_of_the_spec() {
        let ports: Vec<_> = PORTS
            .iter()
            .map(|p| (p.number, p.name, p.protocol))
            .collect();
        assert_eq!(
            ports,
            [
                (1883, "mqtt", "tcp"),
                (8883, "mqtts", "tls"),
                (8083, "ws", "websocket"),
                (8084, "wss", "websocket over tls"),
                (18084, "dashboard", "https"),
                (8443, "rest api", "https"),
            ]
        );
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let mut r = req(Cloud::Aws, 100_000, 1);
        r.nodes = Some(2);
        let err = size(&r).unwrap_err();
        assert_eq!(err.message(Lang::En), err.to_string());
        assert_eq!(
            err.message(Lang::ZhCn),
            "第 3 档至少需要 3 个节点，请选择 3 到 5 个"
        );
        let err = size(&req(Cloud::Aws, 1, 200_001)).unwrap_err();
        assert_eq!(
            err.message(Lang::ZhCn),
            "200,001 TPS超出了最大档位（1,000,000 连接，200,000 TPS），请联系销售获取更大的集群"
        );
    }

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(200_000), "200,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn every_error_has_a_snake_case_code_and_a_known_field() {
        let errors = [
            SizingError::SessionsRequired,
            SizingError::TpsRequired,
            SizingError::ContactSales {
                sessions: 1,
                tps: 300_000,
            },
            SizingError::NodesOutOfRange {
                nodes: 9,
                tier: None,
            },
            SizingError::NodesBelowTier {
                nodes: 2,
                tier: 3,
                min: 3,
            },
            find_node_type(Cloud::Aws, "x").unwrap_err(),
            SizingError::InstanceTypeTooSmall {
                cloud: Cloud::Aws,
                tier: 2,
                chosen: AWS_NODES[0],
                minimum: AWS_NODES[1],
            },
        ];
        for e in errors {
            assert!(e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(["sessions", "tps", "nodes", "node_type"].contains(&e.field().name()));
            assert!(!e.to_string().is_empty());
            assert!(!e.message(Lang::ZhCn).is_ascii(), "{e}");
        }
    }

    #[test]
    fn alibaba_cloud_serves_the_rest_api_through_the_dashboards_listener() {
        assert_eq!(
            listener_ports(Cloud::Aliyun),
            [1883, 8883, 8083, 8084, 18084]
        );
        for cloud in [Cloud::Aws, Cloud::AwsCn, Cloud::Gcp] {
            assert_eq!(listener_ports(cloud), [1883, 8883, 8083, 8084, 18084, 8443]);
        }
        assert_eq!(client_port(Cloud::Aliyun, &PORTS[5]), 18084);
        assert_eq!(client_port(Cloud::Aws, &PORTS[5]), 8443);
    }
}
