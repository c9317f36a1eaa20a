//! `byoc`: the bootstrap toolkit.

use std::process::ExitCode;

use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Operation;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "byoc",
    version,
    about = "BYOC bootstrap toolkit: prepares and reports a deployment in your own cloud"
)]
struct Cli {
    /// Output language: en or zh-CN.
    #[arg(long, global = true, env = "BYOC_LANG", default_value = "en")]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

/// What every operation command takes.
#[derive(Debug, clap::Args)]
struct OperationArgs {
    /// aliyun, aws-cn, aws or gcp: the deployment's cloud.
    #[arg(long)]
    platform: String,
    /// The control plane's address, e.g. https://console.example.com. Plain http:// is accepted
    /// only to this machine (localhost, 127.0.0.0/8, ::1) unless --insecure is given.
    #[arg(long, env = "BYOC_ENDPOINT")]
    endpoint: String,
    /// Accept a plain http:// endpoint on another machine: the bootstrap key and the agent token
    /// then cross the network unencrypted.
    #[arg(long)]
    insecure: bool,
    /// The bootstrap key from the console (single use, valid one hour).
    #[arg(long, env = "BYOC_KEY", hide_env_values = true)]
    key: String,
    /// Walk the real protocol with simulated cloud steps (tests and demos).
    #[arg(long)]
    simulate: bool,
    /// With --simulate: how much faster than real time the steps run.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// With --simulate: fail at this phase, to see how failures are handled.
    #[arg(long)]
    fail_at: Option<String>,
    /// With --simulate, after create or start: stop after this many heartbeats.
    #[arg(long)]
    heartbeats: Option<u64>,
    /// With --simulate: the simulated provider allows pending PrivateLinks and peerings this
    /// many seconds (divided by --speed) after the agent first sees them. Without it they wait
    /// for `byoc simulate allow`. Marked IDs fail instead: a service ID containing
    /// `notwhitelisted` or `c105ed` (not whitelisted), or `reject` or `deadbeef` (rejected); a
    /// peering whose IDs or network contain `reject` or `deadbeef` (rejected by the peer).
    #[arg(long, value_name = "SECONDS")]
    allow_after: Option<f64>,
    /// Where the toolkit keeps each deployment's state file (the IDs of what it made) and the
    /// key pair's private key; with --simulate, where `byoc simulate allow` leaves allowances.
    #[arg(long, env = "BYOC_STATE_DIR", default_value = byoc_agent::operate::network::DEFAULT_STATE_DIR)]
    state_dir: std::path::PathBuf,
    /// The tag key the policies condition destructive actions on (as on the Prerequisites page).
    #[arg(long, default_value = byoc_core::policy::DEFAULT_TAG_KEY)]
    tag_key: String,
    /// The tag value the policies condition destructive actions on.
    #[arg(long, default_value = byoc_core::policy::DEFAULT_TAG_VALUE)]
    tag_value: String,
    /// AWS: the zones for the subnets, comma-separated, when the account's differ from the
    /// catalog's (the create policy cannot list them).
    #[arg(long, value_delimiter = ',')]
    zones: Option<Vec<String>>,
    /// AWS: the image (AMI) the broker image is built from; by default the newest Amazon Linux
    /// 2023 for x86-64.
    #[arg(long)]
    base_image: Option<String>,
    /// Seconds between two looks at a resource that is changing state.
    #[arg(long, default_value_t = 5.0, hide = true)]
    poll_seconds: f64,
}

#[derive(Debug, Subcommand)]
enum SimulateCommand {
    /// Act as the provider side allowing a pending PrivateLink (Allow / Accept on the endpoint
    /// service) or accepting a pending peering. Writes a small file under --state-dir that the
    /// agent started with `--simulate` (with the same --state-dir) reads at its next heartbeat.
    Allow {
        /// The endpoint service ID of the PrivateLink, exactly as entered in the console.
        #[arg(long, required_unless_present = "peering", conflicts_with = "peering")]
        service_id: Option<String>,
        /// The peering: its peering connection ID (pcx-…, cen-…), network name (Google
        /// Cloud) or id in the console.
        #[arg(long)]
        peering: Option<String>,
        /// The endpoint to report for the PrivateLink: an IP address in the deployment's VPC
        /// or a domain name. Simulated when absent.
        #[arg(long, conflicts_with = "peering")]
        endpoint: Option<String>,
        /// Where the running simulated agent looks for allowances.
        #[arg(long, env = "BYOC_STATE_DIR", default_value = byoc_agent::operate::network::DEFAULT_STATE_DIR)]
        state_dir: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the deployment in your cloud account (checks the TLS files first).
    Create {
        #[command(flatten)]
        op: OperationArgs,
        /// The domain clients connect to, e.g. mqtt.example.com.
        #[arg(long)]
        domain: Option<String>,
        /// The certificate file (PEM, with its chain) on this machine.
        #[arg(long)]
        cert: Option<std::path::PathBuf>,
        /// The private key file (PEM) on this machine; it never leaves it.
        #[arg(long)]
        cert_key: Option<std::path::PathBuf>,
    },
    /// Start a stopped deployment.
    Start {
        #[command(flatten)]
        op: OperationArgs,
    },
    /// Stop a running deployment (its data and configuration stay).
    Stop {
        #[command(flatten)]
        op: OperationArgs,
    },
    /// Delete the deployment's cloud resources.
    Delete {
        #[command(flatten)]
        op: OperationArgs,
    },
    /// The simulated cloud's provider side (with an agent run with --simulate).
    Simulate {
        #[command(subcommand)]
        command: SimulateCommand,
    },
    /// List the regions a platform offers.
    Regions {
        /// aliyun, aws-cn, aws or gcp.
        #[arg(long)]
        platform: String,
    },
    /// Check that this machine can bootstrap a deployment: Ubuntu 20.04 LTS AMD64, at least
    /// 1 GiB of memory, outbound HTTPS to the control plane. Exits non-zero if any check fails.
    Preflight {
        /// The control plane's address, e.g. https://console.example.com.
        #[arg(long, env = "BYOC_ENDPOINT")]
        endpoint: Option<String>,
        /// The TLS certificate file (with its chain) copied to this machine.
        #[arg(long)]
        cert: Option<std::path::PathBuf>,
        /// The TLS private key file copied to this machine.
        #[arg(long)]
        cert_key: Option<std::path::PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a TLS certificate file and its private key against the domain, as the console
    /// does (SPEC §5): chain order and signatures, CA-signed, RSA key, validity (more than 30
    /// days left), domain match, unencrypted PKCS#1/PKCS#8 key that matches. Exits non-zero
    /// if any check fails. Nothing is sent anywhere.
    /// The deployment's agent service, run by the agent node: heartbeats with the brokers' live
    /// sessions and TPS, read from their REST API.
    Agent {
        /// The control plane's address.
        #[arg(long, env = "BYOC_ENDPOINT")]
        endpoint: String,
        /// The deployment's ID.
        #[arg(long, env = "BYOC_DEPLOYMENT_ID")]
        deployment_id: String,
        /// The deployment's agent token.
        #[arg(long, env = "BYOC_AGENT_TOKEN", hide_env_values = true)]
        token: String,
        /// The brokers' addresses, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        brokers: Vec<String>,
        /// The brokers' REST API port.
        #[arg(long, default_value_t = 18083)]
        api_port: u16,
        /// `key:secret` of the brokers' REST API.
        #[arg(long, env = "BYOC_BROKER_API_KEY", hide_env_values = true)]
        api_key: String,
        /// Seconds between heartbeats.
        #[arg(long, default_value_t = f64::from(byoc_core::lifecycle::toolkit::HEARTBEAT_SECONDS))]
        every: f64,
        /// Stop after this many heartbeats (by default it runs until stopped).
        #[arg(long)]
        heartbeats: Option<u64>,
    },
    CheckTls {
        /// The domain clients connect to, e.g. mqtt.example.com.
        #[arg(long)]
        domain: String,
        /// The certificate file (PEM): server certificate, then the chain; it may also hold the
        /// private key.
        #[arg(long)]
        cert: std::path::PathBuf,
        /// The private key file (PEM), when it is not in the certificate file.
        #[arg(long)]
        key: Option<std::path::PathBuf>,
        /// Print the report as JSON (messages in both languages).
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_tag(&cli.lang);
    let mut out = std::io::stdout().lock();
    // Ok(false): the command ran and found problems (e.g. a failed preflight check).
    let operate = |operation,
                   op: OperationArgs,
                   tls: (
        Option<String>,
        Option<std::path::PathBuf>,
        Option<std::path::PathBuf>,
    )| {
        let real = byoc_agent::operate::real::RealArgs {
            tag: byoc_core::policy::TagCondition {
                key: op.tag_key.clone(),
                value: op.tag_value.clone(),
            },
            zones: op.zones.clone(),
            base_image: op.base_image.clone(),
            state_dir: op.state_dir.clone(),
            poll_seconds: op.poll_seconds,
        };
        let args = byoc_agent::operate::OperateArgs {
            operation,
            platform: op.platform,
            endpoint: op.endpoint,
            insecure: op.insecure,
            key: op.key,
            domain: tls.0,
            cert: tls.1,
            cert_key: tls.2,
            simulate: op.simulate,
            speed: op.speed,
            fail_at: op.fail_at,
            heartbeats: op.heartbeats,
            allow_after: op.allow_after,
            state_dir: op.state_dir,
            lang,
        };
        (args, real)
    };
    let result = match cli.command {
        Command::Create {
            op,
            domain,
            cert,
            cert_key,
        } => {
            let (args, real) = operate(Operation::Create, op, (domain, cert, cert_key));
            byoc_agent::operate::run_with(&mut out, &args, &real)
        }
        Command::Start { op } => {
            let (args, real) = operate(Operation::Start, op, (None, None, None));
            byoc_agent::operate::run_with(&mut out, &args, &real)
        }
        Command::Stop { op } => {
            let (args, real) = operate(Operation::Stop, op, (None, None, None));
            byoc_agent::operate::run_with(&mut out, &args, &real)
        }
        Command::Delete { op } => {
            let (args, real) = operate(Operation::Delete, op, (None, None, None));
            byoc_agent::operate::run_with(&mut out, &args, &real)
        }
        Command::Simulate {
            command:
                SimulateCommand::Allow {
                    service_id,
                    peering,
                    endpoint,
                    state_dir,
                },
        } => {
            let id = service_id.or(peering).unwrap_or_default();
            byoc_agent::operate::network::allow(&state_dir, &id, endpoint.as_deref())
                .map_err(|e| byoc_agent::ToolError::Usage(format!("cannot write to {}: {e}", state_dir.display())))
                .and_then(|path| {
                    use std::io::Write;
                    writeln!(out, "Allowed {id} on the simulated provider side ({}); the running agent reports it at its next heartbeat.", path.display())?;
                    Ok(true)
                })
        }
        Command::Regions { platform } => {
            byoc_agent::print_regions(&mut out, &platform, lang).map(|()| true)
        }
        Command::Preflight {
            endpoint,
            cert,
            cert_key,
            json,
        } => {
            let tls = byoc_agent::preflight::TlsPaths {
                cert,
                key: cert_key,
            };
            byoc_agent::preflight::run(&mut out, endpoint.as_deref(), &tls, json)
        }
        Command::Agent {
            endpoint,
            deployment_id,
            token,
            brokers,
            api_port,
            api_key,
            every,
            heartbeats,
        } => {
            let args = byoc_agent::node_agent::AgentArgs {
                endpoint,
                deployment_id,
                token,
                brokers,
                api_port,
                api_key,
                every: std::time::Duration::from_secs_f64(if every.is_finite() {
                    every.clamp(0.01, 3600.0)
                } else {
                    15.0
                }),
                heartbeats,
            };
            byoc_agent::node_agent::run(&mut out, &args)
        }
        Command::CheckTls {
            domain,
            cert,
            key,
            json,
        } => {
            let args = byoc_agent::check_tls::CheckTlsArgs {
                domain,
                cert,
                key,
                json,
                lang,
            };
            // The toolkit is the I/O edge: the clock is read here and handed to core.
            byoc_agent::check_tls::run(&mut out, &args, chrono::Utc::now())
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
