//! Simulated cloud steps: what each phase would do, how long it takes at speed 1, and the outputs
//! a real run would report. Only the cloud is simulated; the protocol is the real one.

use byoc_core::api::DeploymentOutputs;
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::lifecycle::spec::ToolkitSpec;

/// Seconds a phase takes at `--speed 1`, close to what the clouds take for such steps.
pub fn phase_seconds(op: Operation, phase: &str) -> f64 {
    match (op, phase) {
        (_, "preflight") => 3.0,
        (Operation::Create, "network") => 20.0,
        (Operation::Create, "image") => 15.0,
        (Operation::Create, "compute") => 45.0,
        (Operation::Create, "load_balancer") => 30.0,
        (Operation::Create, "dns") => 10.0,
        (Operation::Create, "cluster") => 40.0,
        (Operation::Create, "register") => 5.0,
        (_, "cluster") => 15.0,
        (_, "compute") => 25.0,
        _ => 10.0,
    }
}

/// What the phase does, for the progress message.
pub fn phase_message(op: Operation, phase: &str, spec: &ToolkitSpec) -> String {
    let n = spec.nodes;
    match (op, phase) {
        (_, "preflight") => format!(
            "checking the {} account and quotas in {}",
            spec.cloud, spec.region
        ),
        (Operation::Create, "network") => format!(
            "creating VPC {} with subnets in {}",
            spec.vpc_cidr, spec.region
        ),
        (Operation::Create, "image") => "preparing the broker image".to_owned(),
        (Operation::Create, "compute") => format!(
            "starting {n} × {} and the agent ({})",
            spec.node_type, spec.agent_type
        ),
        (Operation::Create, "load_balancer") => {
            "creating the load balancer for ports 1883, 8883, 8083, 8084".to_owned()
        }
        (Operation::Create, "dns") => format!("pointing {} at the load balancer", spec.domain),
        (Operation::Create, "cluster") => {
            format!("forming the {n}-node cluster and installing the certificate")
        }
        (Operation::Create, "register") => {
            "registering the cluster with the control plane".to_owned()
        }
        (Operation::Stop, "cluster") => "draining sessions and stopping the brokers".to_owned(),
        (Operation::Stop, "compute") => format!("stopping {n} nodes"),
        (Operation::Start, "compute") => format!("starting {n} nodes"),
        (Operation::Start, "cluster") => "re-forming the cluster".to_owned(),
        (Operation::Delete, p) => format!("removing {}", p.replace('_', " ")),
        (_, p) => p.replace('_', " "),
    }
}

/// A small deterministic hash, so one deployment always gets the same simulated IDs.
pub(crate) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a real run would report, in each cloud's formats: the account (AWS: 12 digits; Alibaba
/// Cloud: a 16-digit UID; Google Cloud: a project ID), which is also the principal a PrivateLink
/// whitelists, and the zone in the provider's naming.
pub fn outputs(deployment_id: &str, spec: &ToolkitSpec) -> DeploymentOutputs {
    let h = fnv(deployment_id);
    let (account, zone) = match spec.cloud {
        Cloud::Aliyun => (
            format!("{:016}", h % 10_000_000_000_000_000),
            format!("{}-h", spec.region),
        ),
        Cloud::Gcp => (
            format!("byoc-{:08x}", h & 0xffff_ffff),
            format!("{}-b", spec.region),
        ),
        Cloud::Aws | Cloud::AwsCn => (
            format!("{:012}", h % 1_000_000_000_000),
            format!("{}a", spec.region),
        ),
    };
    DeploymentOutputs {
        cloud_account_id: Some(account),
        zone: Some(zone),
        vpc_id: Some(format!("vpc-{:017x}", h & 0x0fff_ffff_ffff_ffff)),
        load_balancer: Some(format!(
            "{}-lb.{}.simulated.invalid",
            spec.name, spec.region
        )),
    }
}

/// Simulated live figures for heartbeat `n`: a load that drifts between 20 % and 80 % of the
/// sessions limit (`sessions` is the deployment's limit, unknown to the toolkit's spec, so the
/// node count stands in for it).
pub fn live_figures(spec: &ToolkitSpec, n: u64) -> (u64, u64) {
    let capacity = u64::from(spec.nodes) * 1_000;
    let wave = (fnv(&format!("{}{n}", spec.name)) % 60) + 20;
    let sessions = capacity * wave / 100;
    (sessions, sessions / 4)
}
