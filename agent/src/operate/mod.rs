//! `byoc create | start | stop | delete`: run one operation of a deployment. The toolkit checks
//! its arguments and the key's format first; `create` also checks the TLS files as
//! `byoc check-tls` does. On aws, aws-cn and aliyun it provisions for real (see [`real`] and
//! `crate::cloud`); on gcp, without `--simulate` it says it cannot yet and exits
//! non-zero (before spending the key). With
//! `--simulate` it walks the real protocol through every phase with simulated cloud steps, and
//! after `create` or `start` stays on as the deployment's agent, sending heartbeats until the
//! deployment is stopped or deleted, and reconciling its peerings and PrivateLinks with each
//! heartbeat (see [`network`]).

pub mod client;
pub mod network;
pub mod real;
pub mod simulate;

use byoc_core::api::ProblemCode;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use byoc_core::api::Completion;
use byoc_core::catalog::Cloud;
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::lifecycle::toolkit::{check_endpoint, check_key_format};

use crate::check_tls::{self, CheckTlsArgs};
use crate::ToolError;
use client::{AgentClient, ProtocolError};

#[derive(Debug, Clone)]
pub struct OperateArgs {
    pub operation: Operation,
    pub platform: String,
    pub endpoint: String,
    /// Plain http:// to another machine was asked for (`--insecure`).
    pub insecure: bool,
    pub key: String,
    pub domain: Option<String>,
    pub cert: Option<PathBuf>,
    pub cert_key: Option<PathBuf>,
    pub simulate: bool,
    /// How much faster than real time the simulated steps run.
    pub speed: f64,
    /// Fail the simulated run at this phase.
    pub fail_at: Option<String>,
    /// Stop after this many heartbeats (none: until the deployment stops running).
    pub heartbeats: Option<u64>,
    /// Simulated provider: allow pending PrivateLinks and peerings after this many seconds
    /// (scaled by `speed`); none: only when `byoc simulate allow` says so.
    pub allow_after: Option<f64>,
    /// Where `byoc simulate allow` leaves its allowances for the running agent.
    pub state_dir: PathBuf,
    pub lang: Lang,
}

fn usage(message: String) -> ToolError {
    ToolError::Usage(message)
}

/// Every argument check that needs no network, in the order a person would fix them.
pub fn check_args(args: &OperateArgs) -> Result<Cloud, ToolError> {
    let cloud: Cloud = args.platform.parse()?;
    // Before the key is sent anywhere: not in clear text across a network nobody chose to trust.
    check_endpoint(&args.endpoint, args.insecure).map_err(|e| usage(e.to_string()))?;
    check_key_format(&args.key).map_err(|e| usage(format!("--key: {e}")))?;
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(usage(
            "--speed must be a positive number (1 = real time)".into(),
        ));
    }
    if args
        .allow_after
        .is_some_and(|s| !(s.is_finite() && s >= 0.0))
    {
        return Err(usage(
            "--allow-after must be a number of seconds (0 or more)".into(),
        ));
    }
    if let Some(phase) = &args.fail_at {
        let phases = args.operation.phases();
        if !phases.contains(&phase.as_str()) {
            return Err(usage(format!(
                "--fail-at {phase} is not a phase of {}; the phases are {}",
                args.operation.code(),
                phases.join(", ")
            )));
        }
    }
    if args.operation == Operation::Create {
        for (flag, given) in [
            ("--domain", args.domain.is_some()),
            ("--cert", args.cert.is_some()),
            ("--cert-key", args.cert_key.is_some()),
        ] {
            if !given {
                return Err(usage(format!("byoc create needs {flag}")));
            }
        }
    }
    Ok(cloud)
}

/// Runs the operation with the default settings of real provisioning; returns whether it
/// succeeded.
pub fn run(out: &mut impl Write, args: &OperateArgs) -> Result<bool, ToolError> {
    let real = real::RealArgs {
        state_dir: args.state_dir.clone(),
        poll_seconds: 5.0,
        ..real::RealArgs::default()
    };
    run_with(out, args, &real)
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Runs the operation; returns whether it succeeded.
pub fn run_with(
    out: &mut impl Write,
    args: &OperateArgs,
    real: &real::RealArgs,
) -> Result<bool, ToolError> {
    let cloud = check_args(args)?;
    let op = args.operation;
    if let (Operation::Create, Some(domain), Some(cert)) = (op, &args.domain, &args.cert) {
        writeln!(out, "Checking the TLS files for {domain} …")?;
        let tls = CheckTlsArgs {
            domain: domain.clone(),
            cert: cert.clone(),
            key: args.cert_key.clone(),
            json: false,
            lang: args.lang,
        };
        if !check_tls::run(out, &tls, chrono::Utc::now())? {
            writeln!(out, "\nThe certificate or key would be refused by the brokers; fix them and run again. Nothing was sent.")?;
            return Ok(false);
        }
        writeln!(out)?;
    }
    if !args.simulate {
        if matches!(cloud, Cloud::Aws | Cloud::AwsCn | Cloud::Aliyun) {
            return real::run(out, args, real, cloud, &process_env);
        }
        writeln!(
            out,
            "byoc {}: the arguments and the key are in order, but this toolkit provisions real resources only on aws, aws-cn and aliyun; {} stays simulated for now.\n\
             Nothing was changed and the key was not used. Run with --simulate to walk every step with simulated cloud resources.",
            op.code(),
            cloud
        )?;
        return Ok(false);
    }
    let mut client = AgentClient::new(&args.endpoint);
    let reg = client
        .register(args.key.trim(), op, cloud.code())
        .map_err(ToolError::Protocol)?;
    writeln!(
        out,
        "Registered for {} of {} ({} {}, {} × {}). Simulated cloud steps at {}× speed.",
        op.code(),
        reg.spec.name,
        reg.spec.cloud,
        reg.spec.region,
        reg.spec.nodes,
        reg.spec.node_type,
        args.speed
    )?;
    let pause = |seconds: f64| std::thread::sleep(Duration::from_secs_f64(seconds / args.speed));
    let phases = &reg.phases;
    for (i, phase) in phases.iter().enumerate() {
        let percent = u8::try_from(i * 100 / phases.len()).unwrap_or(99);
        let message = simulate::phase_message(op, phase, &reg.spec);
        writeln!(out, "[{percent:>3}%] {phase}: {message}")?;
        client
            .progress(phase, percent, &message)
            .map_err(ToolError::Protocol)?;
        pause(simulate::phase_seconds(op, phase));
        if args.fail_at.as_deref() == Some(phase.as_str()) {
            let reason = format!("simulated failure in the {} phase", phase.replace('_', " "));
            client
                .complete(Completion::Failure {
                    phase: phase.clone(),
                    reason: reason.clone(),
                })
                .map_err(ToolError::Protocol)?;
            writeln!(out, "FAILED at {phase}: {reason}. Retry from the console (the deployment shows the failed phase).")?;
            return Ok(false);
        }
    }
    let outputs = simulate::outputs(&reg.deployment_id, &reg.spec);
    client
        .complete(Completion::Success {
            outputs: outputs.clone(),
        })
        .map_err(ToolError::Protocol)?;
    writeln!(out, "[100%] {} of {} done.", op.code(), reg.spec.name)?;
    if let Some(lb) = &outputs.load_balancer {
        if matches!(op, Operation::Create | Operation::Start) {
            writeln!(out, "       load balancer: {lb}")?;
        }
    }
    if matches!(op, Operation::Create | Operation::Start) {
        heartbeats(out, &mut client, &reg.spec, reg.heartbeat_seconds, args)?;
    }
    Ok(true)
}

/// Stays on as the deployment's agent until the control plane says it no longer runs.
fn heartbeats(
    out: &mut impl Write,
    client: &mut AgentClient,
    spec: &byoc_core::lifecycle::spec::ToolkitSpec,
    every_seconds: u32,
    args: &OperateArgs,
) -> Result<(), ToolError> {
    writeln!(out, "Running as the agent of {}: heartbeats every {every_seconds} s (at {}× speed) until it is stopped or deleted.", spec.name, args.speed)?;
    let allow_after = args
        .allow_after
        .map(|s| Duration::from_secs_f64(s / args.speed));
    match allow_after {
        Some(after) => writeln!(out, "Simulated provider: pending PrivateLinks and peerings are allowed after {:.1} s, or at once with `byoc simulate allow --state-dir {}`.", after.as_secs_f64(), args.state_dir.display())?,
        None => writeln!(out, "Simulated provider: pending PrivateLinks and peerings wait for `byoc simulate allow --state-dir {} …`.", args.state_dir.display())?,
    }
    let mut reconciler =
        network::Reconciler::new(args.state_dir.clone(), allow_after, &spec.region);
    let mut n = 0u64;
    loop {
        if args.heartbeats.is_some_and(|limit| n >= limit) {
            return Ok(());
        }
        n += 1;
        let (sessions, tps) = simulate::live_figures(spec, n);
        match client.heartbeat(sessions, tps) {
            Ok(()) => match reconciler.beat(out, client) {
                Ok(()) => {}
                Err(ProtocolError::Unreachable { reason, .. }) => {
                    writeln!(
                        out,
                        "network reconciliation skipped ({reason}); trying again"
                    )?;
                }
                Err(e) => writeln!(out, "network reconciliation: {e}")?,
            },
            // The deployment stopped running, or a user action since started another operation
            // (this agent's token no longer speaks for it), or the token lapsed or is unknown.
            Err(ProtocolError::Refused {
                code:
                    ProblemCode::NotRunning
                    | ProblemCode::Unauthenticated
                    | ProblemCode::AgentTokenSuperseded
                    | ProblemCode::AgentTokenReplaced
                    | ProblemCode::AgentTokenExpired,
                detail,
                ..
            }) => {
                writeln!(out, "The control plane says: {detail} The agent stops.")?;
                return Ok(());
            }
            Err(ProtocolError::Unreachable { reason, .. }) => {
                writeln!(out, "heartbeat {n} not delivered ({reason}); trying again")?;
            }
            Err(e) => return Err(ToolError::Protocol(e)),
        }
        std::thread::sleep(Duration::from_secs_f64(
            f64::from(every_seconds) / args.speed,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(op: Operation) -> OperateArgs {
        OperateArgs {
            operation: op,
            platform: "aws".into(),
            endpoint: "http://127.0.0.1:1".into(),
            insecure: false,
            key: format!("byoc_boot_{}", "a".repeat(43)),
            domain: Some("mqtt.example.com".into()),
            cert: Some("c.pem".into()),
            cert_key: Some("k.pem".into()),
            simulate: false,
            speed: 1.0,
            fail_at: None,
            heartbeats: None,
            allow_after: None,
            state_dir: PathBuf::from(network::DEFAULT_STATE_DIR),
            lang: Lang::En,
        }
    }

    #[test]
    fn arguments_are_checked_before_anything_is_sent() {
        assert!(check_args(&args(Operation::Create)).is_ok());
        let cases: Vec<(OperateArgs, &str)> = vec![
            (
                OperateArgs {
                    platform: "azure".into(),
                    ..args(Operation::Stop)
                },
                "aliyun, aws-cn, aws, gcp",
            ),
            (
                OperateArgs {
                    endpoint: "console.example.com".into(),
                    ..args(Operation::Stop)
                },
                "--endpoint",
            ),
            (
                OperateArgs {
                    endpoint: "http://console.example.com".into(),
                    ..args(Operation::Stop)
                },
                "--insecure",
            ),
            (
                OperateArgs {
                    key: "byoc_boot_short".into(),
                    ..args(Operation::Stop)
                },
                "cut short",
            ),
            (
                OperateArgs {
                    key: "secret".into(),
                    ..args(Operation::Stop)
                },
                "starts with",
            ),
            (
                OperateArgs {
                    speed: 0.0,
                    ..args(Operation::Stop)
                },
                "--speed",
            ),
            (
                OperateArgs {
                    allow_after: Some(-1.0),
                    ..args(Operation::Stop)
                },
                "--allow-after",
            ),
            (
                OperateArgs {
                    fail_at: Some("dns".into()),
                    ..args(Operation::Stop)
                },
                "preflight, cluster, compute",
            ),
            (
                OperateArgs {
                    domain: None,
                    ..args(Operation::Create)
                },
                "--domain",
            ),
            (
                OperateArgs {
                    cert_key: None,
                    ..args(Operation::Create)
                },
                "--cert-key",
            ),
        ];
        for (a, expected) in cases {
            let err = check_args(&a).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} lacks {expected}");
        }
        assert!(check_args(&OperateArgs {
            endpoint: "http://console.example.com".into(),
            insecure: true,
            ..args(Operation::Stop)
        })
        .is_ok());
        assert!(check_args(&OperateArgs {
            endpoint: "https://console.example.com".into(),
            ..args(Operation::Stop)
        })
        .is_ok());
        assert!(check_args(&OperateArgs {
            domain: None,
            cert: None,
            cert_key: None,
            ..args(Operation::Delete)
        })
        .is_ok());
    }

    #[test]
    fn google_cloud_still_simulated_says_so_and_fails_without_contacting_anyone() {
        let platform = "gcp";
        {
            let mut out = Vec::new();
            // The endpoint is unreachable: had the toolkit tried to register, it would error.
            let ok = run(
                &mut out,
                &OperateArgs {
                    platform: platform.into(),
                    ..args(Operation::Stop)
                },
            )
            .unwrap();
            assert!(!ok);
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.contains(&format!("{platform} stays simulated")),
                "{text}"
            );
            assert!(text.contains("--simulate"));
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn aws_without_credentials_names_the_variables_before_spending_the_key() {
        let mut out = Vec::new();
        // Unreachable endpoint: registering would have failed with a different error.
        let err = real::run(
            &mut out,
            &args(Operation::Stop),
            &real::RealArgs::default(),
            Cloud::Aws,
            &no_env,
        )
        .unwrap_err();
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
        let err = real::run(
            &mut out,
            &args(Operation::Stop),
            &real::RealArgs::default(),
            Cloud::Aliyun,
            &no_env,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            "{err}"
        );
    }

    #[test]
    fn simulated_outputs_are_stable_per_deployment() {
        let spec = byoc_core::lifecycle::spec::ToolkitSpec {
            name: "mqtt".into(),
            cloud: Cloud::Aws,
            region: "us-east-1".into(),
            vpc_cidr: "10.0.0.0/16".into(),
            node_type: "c6i.large".into(),
            nodes: 2,
            agent_type: "t3.medium".into(),
            domain: "mqtt.example.com".into(),
            tags: vec![],
        };
        let a = simulate::outputs("d-1", &spec);
        assert_eq!(a, simulate::outputs("d-1", &spec));
        assert_ne!(a.vpc_id, simulate::outputs("d-2", &spec).vpc_id);
        assert_eq!(a.cloud_account_id.as_ref().map(String::len), Some(12));
        assert_eq!(a.zone.as_deref(), Some("us-east-1a"));
        // Each cloud's account is the principal a PrivateLink whitelists, in that cloud's format.
        for cloud in Cloud::ALL {
            let spec = byoc_core::lifecycle::spec::ToolkitSpec {
                cloud,
                ..spec.clone()
            };
            let account = simulate::outputs("d-1", &spec).cloud_account_id.unwrap();
            assert!(
                byoc_core::network::Principal::for_deployment(cloud, &account).is_ok(),
                "{cloud}: {account}"
            );
        }
        let (s, t) = simulate::live_figures(&spec, 3);
        assert!((400..=1_600).contains(&s) && t == s / 4);
    }
}
