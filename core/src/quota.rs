//! Resource quotas a deployment needs in the customer's account (SPEC §3): the seed's tables for
//! aliyun and aws-cn, reference/domain.md §6.1 (EMQ/prereq-intl) for aws and gcp, scaled by the
//! number of broker nodes N. Every table has N + 1 VMs: the broker nodes and the agent node.

use serde::Serialize;

use crate::catalog::Cloud;
use crate::lang::Name;
use crate::sizing::{agent_type, InstanceType, Sizing};

/// One resource and how many of it a deployment creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaLine {
    pub resource: Name,
    pub required: u64,
    pub note: Option<Name>,
}

/// Everything a deployment of `nodes` broker nodes needs on `cloud`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaTable {
    pub cloud: Cloud,
    pub nodes: u8,
    pub lines: Vec<QuotaLine>,
    /// Broker nodes plus the agent node.
    pub vm_count: u32,
    pub total_vcpu: u32,
    pub total_memory_gib: u32,
    /// Where the account's administrator checks usage and raises quotas.
    pub console_url: &'static str,
    /// The footnotes of the source table and cloud-specific requirements, shown under the table.
    pub notes: Vec<Name>,
}

/// How a line's count is derived; only the VM line depends on N.
#[derive(Clone, Copy)]
enum Count {
    Fixed(u64),
    NodesPlusAgent,
}

struct Row {
    en: &'static str,
    zh: &'static str,
    count: Count,
    note: Option<Name>,
}

const fn row(en: &'static str, zh: &'static str, count: u64) -> Row {
    Row {
        en,
        zh,
        count: Count::Fixed(count),
        note: None,
    }
}

const fn vms(en: &'static str, zh: &'static str) -> Row {
    Row {
        en,
        zh,
        count: Count::NodesPlusAgent,
        note: Some(NODES_PLUS_AGENT),
    }
}

const fn noted(row: Row, note: Name) -> Row {
    Row {
        note: Some(note),
        ..row
    }
}

const NODES_PLUS_AGENT: Name = Name {
    en: "N EMQX nodes plus 1 agent node",
    zh: "N 个 EMQX 节点加 1 个 Agent 节点",
};

const N_FOOTNOTE: Name = Name {
    en: "N: the number of EMQX nodes. The extra instance is the agent node, which manages them.",
    zh: "N：指 EMQX 节点数量。另加的 1 台实例为 Agent 节点，负责管理 EMQX 节点。",
};

const RAISE_QUOTAS: Name = Name {
    en: "If the account's quotas are insufficient, ask the cloud account administrator to raise them before deploying.",
    zh: "如当前账号中资源不足，请在部署前联系云账号管理员增加相关服务配额。",
};

// Seed, tab 阿里云; English names as the seed writes them.
const ALIYUN: [Row; 10] = [
    row("VPCs", "专有网络 VPC", 1),
    noted(
        row("Subnets", "子网", 4),
        Name {
            en: "vSwitches",
            zh: "交换机（vSwitch）",
        },
    ),
    row("SLB", "负载均衡 SLB", 1),
    row("SLB Listeners", "SLB 监听", 5),
    vms("ECS Instances", "ECS 实例"),
    row("ECS Images", "ECS 镜像", 1),
    row("ECS Key Pairs", "ECS 密钥对", 1),
    row("Security Groups", "安全组", 1),
    row("RAM Policies", "RAM 权限策略", 1),
    row("RAM Users", "RAM 用户", 1),
];

const SLB_FOOTNOTE: Name = Name {
    en: "SLB: Alibaba Cloud Server Load Balancer.",
    zh: "SLB：阿里云负载均衡（Server Load Balancer，简称 SLB）。",
};

const ROUTE_TABLES_NOTE: Name = Name {
    en: "Includes a default route table which is not used",
    zh: "包含了一个未使用的默认路由表",
};

// Seed, tab 亚马逊云科技.
const AWS_CN: [Row; 12] = [
    row("VPCs", "VPC", 1),
    row("Subnets", "子网", 3),
    row("Security groups", "安全组", 1),
    noted(row("Route tables", "路由表", 3), ROUTE_TABLES_NOTE),
    row("Load balancers", "负载均衡器", 1),
    row("LB listeners", "负载均衡监听器", 6),
    row("Target groups", "目标组", 6),
    row("Internet gateways", "互联网网关", 1),
    row("Key pairs", "密钥对", 1),
    vms("EC2 instances", "EC2 实例"),
    row("Amazon Machine Images (AMIs)", "亚马逊系统映像（AMI）", 1),
    row("IAM policies", "IAM 策略", 1),
];

// EMQ/prereq-intl, tab AWS: the aws-cn table, except that it writes "VPC" in the singular.
const AWS: [Row; 12] = [
    row("VPC", "VPC", 1),
    row("Subnets", "子网", 3),
    row("Security groups", "安全组", 1),
    noted(row("Route tables", "路由表", 3), ROUTE_TABLES_NOTE),
    row("Load balancers", "负载均衡器", 1),
    row("LB listeners", "负载均衡监听器", 6),
    row("Target groups", "目标组", 6),
    row("Internet gateways", "互联网网关", 1),
    row("Key pairs", "密钥对", 1),
    vms("EC2 instances", "EC2 实例"),
    row("Amazon Machine Images (AMIs)", "亚马逊系统映像（AMI）", 1),
    row("IAM policies", "IAM 策略", 1),
];

// EMQ/prereq-intl, tab Google Cloud.
const GCP: [Row; 9] = [
    row("VPC networks", "VPC 网络", 1),
    row("Subnets", "子网", 4),
    row("Firewall rules", "防火墙规则", 3),
    row("Network Load Balancer", "网络负载均衡器", 2),
    row("IP addresses", "IP 地址", 2),
    vms("VM instances", "虚拟机实例"),
    row("VM images", "虚拟机映像", 1),
    row("IAM roles", "IAM 角色", 2),
    row("IAM service account", "IAM 服务账号", 1),
];

const GCP_DEFAULT_NETWORK: Name = Name {
    en: "A VPC network named \"default\" must exist in the project: Packer builds the system image \
         inside it during deployment. Create it if it is missing; if a security policy forbids it, \
         contact support.",
    zh: "项目中必须存在名为 default 的 VPC 网络：部署过程中 Packer 会在其中构建系统镜像。如不存在请先创建；\
         如安全策略不允许创建，请提交工单联系我们。",
};

/// The quota console of each cloud, where usage and limits are shown side by side.
pub fn console_url(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Aliyun => "https://quotas.console.aliyun.com/products",
        Cloud::AwsCn => "https://console.amazonaws.cn/servicequotas/home",
        Cloud::Aws => "https://console.aws.amazon.com/servicequotas/home",
        Cloud::Gcp => "https://console.cloud.google.com/iam-admin/quotas",
    }
}

/// The quota console's name as the provider calls it, for the link text.
pub fn console_name(cloud: Cloud) -> Name {
    match cloud {
        Cloud::Aliyun => Name {
            en: "Quota Center",
            zh: "配额中心",
        },
        Cloud::AwsCn | Cloud::Aws => Name {
            en: "Service Quotas",
            zh: "Service Quotas 控制面板",
        },
        Cloud::Gcp => Name {
            en: "Quotas",
            zh: "配额",
        },
    }
}

fn rows(cloud: Cloud) -> &'static [Row] {
    match cloud {
        Cloud::Aliyun => &ALIYUN,
        Cloud::AwsCn => &AWS_CN,
        Cloud::Aws => &AWS,
        Cloud::Gcp => &GCP,
    }
}

fn notes(cloud: Cloud) -> Vec<Name> {
    match cloud {
        Cloud::Aliyun => vec![SLB_FOOTNOTE, N_FOOTNOTE, RAISE_QUOTAS],
        Cloud::AwsCn | Cloud::Aws => vec![N_FOOTNOTE, RAISE_QUOTAS],
        Cloud::Gcp => vec![GCP_DEFAULT_NETWORK, N_FOOTNOTE, RAISE_QUOTAS],
    }
}

/// The quotas a deployment of `nodes` broker nodes of `node_type` needs on `cloud`. The agent
/// node's type is the cloud's (see [`agent_type`]).
pub fn quotas(cloud: Cloud, nodes: u8, node_type: InstanceType) -> QuotaTable {
    let vm_count = u32::from(nodes) + 1;
    let agent = agent_type(cloud);
    let lines = rows(cloud)
        .iter()
        .map(|r| QuotaLine {
            resource: Name { en: r.en, zh: r.zh },
            required: match r.count {
                Count::Fixed(n) => n,
                Count::NodesPlusAgent => u64::from(vm_count),
            },
            note: r.note,
        })
        .collect();
    QuotaTable {
        cloud,
        nodes,
        lines,
        vm_count,
        total_vcpu: u32::from(nodes) * node_type.vcpu + agent.vcpu,
        total_memory_gib: u32::from(nodes) * node_type.memory_gib + agent.memory_gib,
        console_url: console_url(cloud),
        notes: notes(cloud),
    }
}

/// The quotas of a sized cluster.
pub fn quotas_for(sizing: &Sizing) -> QuotaTable {
    quotas(sizing.cloud, sizing.nodes, sizing.node_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::sizing::{find_node_type, size, SizingRequest};

    fn table(cloud: Cloud, nodes: u8, node_type: &str) -> QuotaTable {
        quotas(cloud, nodes, find_node_type(cloud, node_type).unwrap())
    }

    fn rows_en(t: &QuotaTable) -> Vec<(&'static str, u64)> {
        t.lines
            .iter()
            .map(|l| (l.resource.en, l.required))
            .collect()
    }

    #[test]
    fn aliyun_lines_are_the_seeds_table_with_n_plus_1_filled_in() {
        let t = table(Cloud::Aliyun, 3, "ecs.c7.2xlarge");
        assert_eq!(
            rows_en(&t),
            [
                ("VPCs", 1),
                ("Subnets", 4),
                ("SLB", 1),
                ("SLB Listeners", 5),
                ("ECS Instances", 4),
                ("ECS Images", 1),
                ("ECS Key Pairs", 1),
                ("Security Groups", 1),
                ("RAM Policies", 1),
                ("RAM Users", 1),
            ]
        );
    }

    #[test]
    fn aws_cn_lines_are_the_seeds_table_with_n_plus_1_filled_in() {
        let t = table(Cloud::AwsCn, 2, "c6i.large");
        assert_eq!(
            rows_en(&t),
            [
                ("VPCs", 1),
                ("Subnets", 3),
                ("Security groups", 1),
                ("Route tables", 3),
                ("Load balancers", 1),
                ("LB listeners", 6),
                ("Target groups", 6),
                ("Internet gateways", 1),
                ("Key pairs", 1),
                ("EC2 instances", 3),
                ("Amazon Machine Images (AMIs)", 1),
                ("IAM policies", 1),
            ]
        );
        let route_tables = &t.lines[3];
        assert_eq!(
            route_tables.note.unwrap().zh,
            "包含了一个未使用的默认路由表"
        );
    }

    #[test]
    fn aws_lines_are_the_international_table() {
        let t = table(Cloud::Aws, 5, "c6i.8xlarge");
        assert_eq!(
            rows_en(&t),
            [
                ("VPC", 1),
                ("Subnets", 3),
                ("Security groups", 1),
                ("Route tables", 3),
                ("Load balancers", 1),
                ("LB listeners", 6),
                ("Target groups", 6),
                ("Internet gateways", 1),
                ("Key pairs", 1),
                ("EC2 instances", 6),
                ("Amazon Machine Images (AMIs)", 1),
                ("IAM policies", 1),
            ]
        );
    }

    #[test]
    fn gcp_lines_are_the_international_table() {
        let t = table(Cloud::Gcp, 3, "n2-standard-8");
        assert_eq!(
            rows_en(&t),
            [
                ("VPC networks", 1),
                ("Subnets", 4),
                ("Firewall rules", 3),
                ("Network Load Balancer", 2),
                ("IP addresses", 2),
                ("VM instances", 4),
                ("VM images", 1),
                ("IAM roles", 2),
                ("IAM service account", 1),
            ]
        );
    }

    #[test]
    fn only_the_vm_line_scales_with_the_node_count() {
        for cloud in Cloud::ALL {
            let node_type = crate::sizing::node_types(cloud)[0];
            let small = quotas(cloud, 2, node_type);
            let large = quotas(cloud, 5, node_type);
            let changed: Vec<_> = small
                .lines
                .iter()
                .zip(&large.lines)
                .filter(|(a, b)| a.required != b.required)
                .map(|(a, b)| (a.required, b.required))
                .collect();
            assert_eq!(changed, [(3, 6)], "{cloud}");
        }
    }

    #[test]
    fn aliyun_totals_at_2_3_and_5_nodes() {
        // Agent ecs.g7.large: 2 vCPU, 8 GiB.
        let t = table(Cloud::Aliyun, 2, "ecs.c7.large");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (3, 6, 16));
        let t = table(Cloud::Aliyun, 3, "ecs.c7.2xlarge");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (4, 26, 56));
        let t = table(Cloud::Aliyun, 5, "ecs.c7.8xlarge");
        assert_eq!(
            (t.vm_count, t.total_vcpu, t.total_memory_gib),
            (6, 162, 328)
        );
    }

    #[test]
    fn aws_cn_totals_at_2_3_and_5_nodes() {
        // Agent t3.medium: 2 vCPU, 4 GiB.
        let t = table(Cloud::AwsCn, 2, "c6i.large");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (3, 6, 12));
        let t = table(Cloud::AwsCn, 3, "c6i.2xlarge");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (4, 26, 52));
        let t = table(Cloud::AwsCn, 5, "c6i.8xlarge");
        assert_eq!(
            (t.vm_count, t.total_vcpu, t.total_memory_gib),
            (6, 162, 324)
        );
    }

    #[test]
    fn aws_totals_at_2_3_and_5_nodes() {
        let t = table(Cloud::Aws, 2, "c6i.xlarge");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (3, 10, 20));
        let t = table(Cloud::Aws, 3, "c6i.4xlarge");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (4, 50, 100));
        let t = table(Cloud::Aws, 5, "c6i.8xlarge");
        assert_eq!(
            (t.vm_count, t.total_vcpu, t.total_memory_gib),
            (6, 162, 324)
        );
    }

    #[test]
    fn gcp_totals_at_2_3_and_5_nodes() {
        // Agent e2-medium: 2 vCPU, 4 GiB.
        let t = table(Cloud::Gcp, 2, "n2-highcpu-4");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (3, 10, 12));
        let t = table(Cloud::Gcp, 3, "n2-standard-8");
        assert_eq!((t.vm_count, t.total_vcpu, t.total_memory_gib), (4, 26, 100));
        let t = table(Cloud::Gcp, 5, "n2-standard-32");
        assert_eq!(
            (t.vm_count, t.total_vcpu, t.total_memory_gib),
            (6, 162, 644)
        );
    }

    #[test]
    fn vm_line_always_equals_the_vm_count() {
        for cloud in Cloud::ALL {
            for nodes in 2..=5 {
                let t = quotas(cloud, nodes, crate::sizing::node_types(cloud)[0]);
                assert_eq!(t.vm_count, u32::from(nodes) + 1);
                let vm_lines: Vec<_> = t
                    .lines
                    .iter()
                    .filter(|l| l.note == Some(NODES_PLUS_AGENT))
                    .collect();
                assert_eq!(vm_lines.len(), 1, "{cloud}");
                assert_eq!(vm_lines[0].required, u64::from(t.vm_count));
            }
        }
    }

    #[test]
    fn quotas_for_a_sizing_use_its_cloud_nodes_and_type() {
        let s = size(&SizingRequest {
            cloud: Cloud::Aliyun,
            sessions: 50_000,
            tps: 1_000,
            nodes: Some(4),
            node_type: None,
        })
        .unwrap();
        let t = quotas_for(&s);
        assert_eq!(t.cloud, Cloud::Aliyun);
        assert_eq!(t.nodes, 4);
        assert_eq!(t.total_vcpu, 4 * 8 + 2);
        assert_eq!(t.total_memory_gib, 4 * 16 + 8);
    }

    #[test]
    fn console_urls_are_each_clouds_quota_console() {
        assert_eq!(
            console_url(Cloud::Aliyun),
            "https://quotas.console.aliyun.com/products"
        );
        assert_eq!(
            console_url(Cloud::AwsCn),
            "https://console.amazonaws.cn/servicequotas/home"
        );
        assert_eq!(
            console_url(Cloud::Aws),
            "https://console.aws.amazon.com/servicequotas/home"
        );
        assert_eq!(
            console_url(Cloud::Gcp),
            "https://console.cloud.google.com/iam-admin/quotas"
        );
        for cloud in Cloud::ALL {
            let t = quotas(cloud, 2, crate::sizing::node_types(cloud)[0]);
            assert_eq!(t.console_url, console_url(cloud));
            assert!(!console_name(cloud).en.is_empty());
        }
    }

    #[test]
    fn gcp_notes_require_the_default_vpc_network() {
        let t = table(Cloud::Gcp, 2, "n2-highcpu-4");
        assert!(t.notes[0].en.contains("\"default\" must exist"));
        assert!(t.notes[0].zh.contains("default 的 VPC 网络"));
        for cloud in [Cloud::Aliyun, Cloud::AwsCn, Cloud::Aws] {
            let t = quotas(cloud, 2, crate::sizing::node_types(cloud)[0]);
            assert!(!t.notes.iter().any(|n| n.en.contains("\"default\"")));
        }
    }

    #[test]
    fn aliyun_notes_explain_slb_and_every_cloud_explains_n() {
        let t = table(Cloud::Aliyun, 2, "ecs.c7.large");
        assert_eq!(
            t.notes[0].zh,
            "SLB：阿里云负载均衡（Server Load Balancer，简称 SLB）。"
        );
        for cloud in Cloud::ALL {
            let t = quotas(cloud, 2, crate::sizing::node_types(cloud)[0]);
            assert!(t.notes.contains(&N_FOOTNOTE), "{cloud}");
        }
    }

    #[test]
    fn every_resource_and_note_is_named_in_both_languages() {
        for cloud in Cloud::ALL {
            let t = quotas(cloud, 3, crate::sizing::node_types(cloud)[2]);
            let names = t
                .lines
                .iter()
                .flat_map(|l| std::iter::once(l.resource).chain(l.note))
                .chain(t.notes.iter().copied());
            for n in names {
                assert!(!n.get(Lang::En).is_empty() && n.en.is_ascii(), "{}", n.en);
                assert!(!n.get(Lang::ZhCn).is_empty(), "{}", n.en);
            }
            let mut seen = std::collections::HashSet::new();
            for l in &t.lines {
                assert!(seen.insert(l.resource.en), "duplicate {}", l.resource.en);
                assert!(l.required >= 1);
            }
        }
    }

    #[test]
    fn table_serialises_with_both_names_per_line() {
        let t = table(Cloud::AwsCn, 2, "c6i.large");
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["cloud"], "aws-cn");
        assert_eq!(json["vm_count"], 3);
        assert_eq!(
            json["lines"][0],
            serde_json::json!({"resource":{"en":"VPCs","zh":"VPC"},"required":1,"note":null})
        );
        assert_eq!(json["lines"][9]["required"], 3);
    }
}
