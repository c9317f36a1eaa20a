//! A real operation on AWS, AWS China or Alibaba Cloud: credentials from the cloud's standard
//! chain (checked before the bootstrap key is spent), registration with the control plane, then
//! the deployment's plan executed phase by phase by the cloud's engine, each phase reported as it
//! starts and as it finishes. A failure is reported at its phase with the cloud's reason; running
//! the same command again with a new key continues where it stopped.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use byoc_core::api::{Completion, RegisterResponse};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::policy::{Operation as PolicyOperation, TagCondition};
use byoc_core::provision::cloud_init::{user_data, NodeInputs};
use byoc_core::provision::{plan, Plan, PlanInput, Resource};

use super::client::AgentClient;
use super::OperateArgs;
use crate::cloud::state::Store;
use crate::cloud::{aliyun, aws, Provisioner, UserData, Waits};
use crate::ToolError;

/// Settings of real provisioning, beyond every operation's arguments.
#[derive(Debug, Clone, Default)]
pub struct RealArgs {
    /// The destructive-action tag the customer's policies are conditioned on.
    pub tag: TagCondition,
    /// Zones to use instead of the catalog's.
    pub zones: Option<Vec<String>>,
    /// The AMI the image builder starts from.
    pub base_image: Option<String>,
    /// Where state files and the key pair's private key are kept.
    pub state_dir: PathBuf,
    /// Seconds between two looks at a changing resource.
    pub poll_seconds: f64,
}

/// The customer's cloud credentials, read before anything else happens.
enum Credentials {
    Aws(aws::credentials::Credentials),
    Aliyun(aliyun::credentials::Credentials),
}

/// The policy the operation's credentials must carry, for messages.
fn policy_of(op: Operation) -> PolicyOperation {
    match op {
        Operation::Create => PolicyOperation::Create,
        Operation::Delete => PolicyOperation::Delete,
        Operation::Stop | Operation::Start => PolicyOperation::StopStart,
    }
}

struct Nodes {
    broker_api_key: String,
    cluster_cookie: String,
    dashboard_password: String,
    domain: String,
    cert: String,
    key: String,
    control_plane: String,
    agent_token: String,
    toolkit_sha256: String,
}

impl UserData for Nodes {
    fn user_data(&self, plan: &Plan, instance: &Resource) -> String {
        user_data(
            plan,
            instance,
            &NodeInputs {
                domain: &self.domain,
                cert_pem: &self.cert,
                key_pem: &self.key,
                control_plane: &self.control_plane,
                agent_token: &self.agent_token,
                toolkit_sha256: &self.toolkit_sha256,
                broker_api_key: &self.broker_api_key,
                cluster_cookie: &self.cluster_cookie,
                dashboard_password: &self.dashboard_password,
            },
        )
    }
}

/// A secret of the nodes derived one-way from the agent node's token under `label`, so it is as
/// secret as the token and needs no randomness here: 40 hex digits.
fn node_secret(label: &str, node_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{label}\0{node_token}").as_bytes());
    crate::cloud::hex(&digest[..20])
}

/// The SHA-256 of this very binary, which the agent node checks after downloading it from the
/// control plane (which serves the toolkit it was built with).
fn own_sha256() -> String {
    use sha2::Digest;
    std::env::current_exe()
        .and_then(std::fs::read)
        .map(|bytes| crate::cloud::hex(&sha2::Sha256::digest(&bytes)))
        .unwrap_or_default()
}

fn read(path: &Option<PathBuf>) -> Result<String, ToolError> {
    match path {
        Some(p) => std::fs::read_to_string(p).map_err(|source| ToolError::ReadFile {
            path: p.clone(),
            source,
        }),
        None => Ok(String::new()),
    }
}

/// Runs one real operation; returns whether it succeeded.
pub fn run(
    out: &mut impl Write,
    args: &OperateArgs,
    real: &RealArgs,
    cloud: Cloud,
    env: &'static (dyn Fn(&str) -> Option<String> + Sync),
) -> Result<bool, ToolError> {
    let op = args.operation;
    TagCondition::parse(&real.tag.key, &real.tag.value)
        .map_err(|e| ToolError::Usage(format!("--tag-key/--tag-value: {e}")))?;
    // Before the key is spent: without credentials nothing can happen.
    let creds = match cloud {
        Cloud::Aliyun => {
            let c = aliyun::credentials::from_chain(env).map_err(ToolError::Usage)?;
            writeln!(
                out,
                "Alibaba Cloud credentials: {} from {}.",
                c.access_key_id, c.source
            )?;
            Credentials::Aliyun(c)
        }
        _ => {
            let c = aws::credentials::from_chain(env).map_err(ToolError::Usage)?;
            writeln!(
                out,
                "AWS credentials: {} from {}.",
                c.access_key_id, c.source
            )?;
            Credentials::Aws(c)
        }
    };
    let cert = read(&args.cert)?;
    let key = read(&args.cert_key)?;
    let mut client = AgentClient::new(&args.endpoint);
    let reg: RegisterResponse = client
        .register(args.key.trim(), op, cloud.code())
        .map_err(ToolError::Protocol)?;
    let spec = &reg.spec;
    let input = PlanInput {
        deployment_id: &reg.deployment_id,
        name: &spec.name,
        cloud,
        region: &spec.region,
        vpc_cidr: &spec.vpc_cidr,
        nodes: spec.nodes,
        node_type: &spec.node_type,
        tags: &spec.tags,
        destructive_tag: &real.tag,
        zones: real.zones.as_deref(),
    };
    let plan = match plan(&input) {
        Ok(p) => p,
        Err(e) => {
            let phase = reg
                .phases
                .first()
                .cloned()
                .unwrap_or_else(|| "preflight".into());
            client
                .complete(Completion::Failure {
                    phase: phase.clone(),
                    reason: e.to_string(),
                })
                .map_err(ToolError::Protocol)?;
            writeln!(out, "FAILED at {phase}: {e}")?;
            return Ok(false);
        }
    };
    writeln!(
        out,
        "Registered for {} of {} ({} {}, {} × {}); resources tagged {}={} and {}={}.",
        op.code(),
        spec.name,
        spec.cloud,
        spec.region,
        spec.nodes,
        spec.node_type,
        real.tag.key,
        real.tag.value,
        byoc_core::provision::DEPLOYMENT_TAG_KEY,
        reg.deployment_id
    )?;
    // The agent node reports with its own token, which outlives this run's (stop and start
    // revoke a run's token); a control plane that issues none gets this run's.
    let node_token = reg
        .node_token
        .clone()
        .unwrap_or_else(|| reg.agent_token.clone());
    let dashboard_password = node_secret("byoc-dashboard", &node_token);
    if op == Operation::Create {
        // The person running this needs it to sign in to the brokers' dashboard; it stays here.
        let file = Store::new(&real.state_dir, &reg.deployment_id)
            .save_private(
                &format!("dashboard-{}.txt", reg.deployment_id),
                &dashboard_password,
            )
            .map_err(ToolError::Usage)?;
        writeln!(
            out,
            "The brokers' dashboard (https://{}:18084) signs in as admin with the password in {}.",
            spec.domain,
            file.display()
        )?;
    }
    let nodes = Nodes {
        broker_api_key: format!("byoc-agent:{}", node_secret("byoc-broker-api", &node_token)),
        cluster_cookie: node_secret("byoc-cluster-cookie", &node_token),
        dashboard_password,
        domain: args.domain.clone().unwrap_or_else(|| spec.domain.clone()),
        cert,
        key,
        control_plane: args.endpoint.trim_end_matches('/').to_owned(),
        agent_token: node_token,
        toolkit_sha256: own_sha256(),
    };
    let store = Store::new(&real.state_dir, &reg.deployment_id);
    let lines: std::rc::Rc<std::cell::RefCell<Vec<String>>> = Default::default();
    let sink = lines.clone();
    let log = Box::new(move |l: &str| sink.borrow_mut().push(l.to_owned()));
    let policy = policy_of(op).code();
    let base = real.base_image.clone();
    let engine: Result<Box<dyn Provisioner + '_>, String> = match creds {
        Credentials::Aws(c) => {
            let api = aws::Client::new(c, &spec.region, policy, Box::new(env));
            aws::Engine::new(api, &plan, store, nodes, base, &spec.domain, log)
                .map(|e| Box::new(e) as Box<dyn Provisioner>)
                .map_err(|e| e.to_string())
        }
        Credentials::Aliyun(c) => {
            let api = aliyun::Client::new(c, &spec.region, policy, Box::new(env));
            aliyun::Engine::new(api, &plan, store, nodes, base, &spec.domain, log)
                .map(|e| Box::new(e) as Box<dyn Provisioner>)
                .map_err(|e| e.to_string())
        }
    };
    let mut engine = match engine {
        Ok(e) => e,
        Err(e) => {
            client
                .complete(Completion::Failure {
                    phase: "preflight".into(),
                    reason: e.clone(),
                })
                .map_err(ToolError::Protocol)?;
            writeln!(out, "FAILED at preflight: {e}")?;
            return Ok(false);
        }
    };
    engine.set_waits(Waits {
        poll: Duration::from_secs_f64(real.poll_seconds.max(0.01)),
        ..Waits::default()
    });
    let phases = reg.phases.clone();
    for (i, phase) in phases.iter().enumerate() {
        let start = u8::try_from(i * 100 / phases.len()).unwrap_or(99);
        let end = u8::try_from(((i + 1) * 100 / phases.len()).min(99)).unwrap_or(99);
        let intent = format!("{} …", phase.replace('_', " "));
        writeln!(out, "[{start:>3}%] {phase}: working")?;
        client
            .progress(phase, start, &intent)
            .map_err(ToolError::Protocol)?;
        let result = engine.run_phase(op, phase);
        for l in lines.borrow_mut().drain(..) {
            writeln!(out, "{l}")?;
        }
        match result {
            Ok(message) => {
                writeln!(out, "       {message}")?;
                client
                    .progress(phase, end, &message)
                    .map_err(ToolError::Protocol)?;
            }
            Err(reason) => {
                client
                    .complete(Completion::Failure {
                        phase: phase.clone(),
                        reason: reason.clone(),
                    })
                    .map_err(ToolError::Protocol)?;
                writeln!(out, "FAILED at {phase}: {reason}")?;
                writeln!(
                    out,
                    "What was made so far is recorded in {}; retry from the console and run the new command to continue.",
                    real.state_dir.display()
                )?;
                return Ok(false);
            }
        }
    }
    let outputs = engine.outputs();
    client
        .complete(Completion::Success {
            outputs: outputs.clone(),
        })
        .map_err(ToolError::Protocol)?;
    writeln!(out, "[100%] {} of {} done.", op.code(), spec.name)?;
    if matches!(op, Operation::Create | Operation::Start) {
        if let Some(lb) = &outputs.load_balancer {
            writeln!(out, "       load balancer: {lb}")?;
        }
        writeln!(
            out,
            "       The agent on the deployment's agent node reports to the console from now on."
        )?;
    }
    Ok(true)
}
