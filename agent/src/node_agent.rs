//! `byoc agent`: the service the deployment's agent node runs (installed by its cloud-init user
//! data). Every heartbeat interval it reads live sessions and message counters from the brokers'
//! REST API (core's `broker_stats` says what is read) and sends a heartbeat to the control plane
//! with the deployment's agent token.

use std::io::Write;
use std::time::{Duration, Instant};

use byoc_core::lifecycle::broker_stats::{
    messages_received, sessions, tps, METRICS_PATH, STATS_PATH,
};
use serde_json::Value;

use crate::operate::client::AgentClient;
use crate::ToolError;

#[derive(Debug, Clone)]
pub struct AgentArgs {
    pub endpoint: String,
    pub deployment_id: String,
    pub token: String,
    /// Broker addresses (IP or host), asked in turn until one answers.
    pub brokers: Vec<String>,
    pub api_port: u16,
    /// `key:secret` of the brokers' REST API.
    pub api_key: String,
    pub every: Duration,
    /// Stop after this many heartbeats (tests); none: run until killed.
    pub heartbeats: Option<u64>,
}

/// Reads one broker's answer to `path`.
fn read(
    http: &ureq::Agent,
    broker: &str,
    port: u16,
    path: &str,
    key: &str,
) -> Result<Value, String> {
    use base64ct::Encoding;
    let url = format!("http://{broker}:{port}{path}");
    let auth = format!("Basic {}", base64ct::Base64::encode_string(key.as_bytes()));
    let mut resp = http
        .get(&url)
        .header("authorization", &auth)
        .call()
        .map_err(|e| format!("{url}: {e}"))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(format!("{url}: HTTP {status}"));
    }
    let text = resp
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{url}: not JSON ({e})"))
}

/// Sessions and the received-messages counter from the first broker that answers both.
fn sample(http: &ureq::Agent, args: &AgentArgs) -> Result<(u64, u64), String> {
    let mut last = String::from("no brokers given");
    for broker in &args.brokers {
        let got = read(http, broker, args.api_port, STATS_PATH, &args.api_key).and_then(|stats| {
            let metrics = read(http, broker, args.api_port, METRICS_PATH, &args.api_key)?;
            match (sessions(&stats), messages_received(&metrics)) {
                (Some(s), Some(m)) => Ok((s, m)),
                _ => Err(format!(
                    "{broker}: the answer lacks live_connections.count or messages.received"
                )),
            }
        });
        match got {
            Ok(v) => return Ok(v),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// The heartbeat loop. Messages are numbered from the clock's milliseconds, so they come after
/// every message the toolkit sent under the same token.
pub fn run(out: &mut impl Write, args: &AgentArgs) -> Result<bool, ToolError> {
    let http: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .build()
        .into();
    let start_seq = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(1);
    let mut client =
        AgentClient::resume(&args.endpoint, &args.token, &args.deployment_id, start_seq);
    let mut previous: Option<(u64, Instant)> = None;
    let mut sent = 0u64;
    loop {
        match sample(&http, args) {
            Ok((live, received)) => {
                let now = Instant::now();
                let rate = previous
                    .map(|(count, at)| tps(count, received, now.duration_since(at).as_secs_f64()))
                    .unwrap_or(0);
                previous = Some((received, now));
                match client.heartbeat(live, rate) {
                    Ok(()) => writeln!(out, "heartbeat: {live} sessions, {rate} msg/s")?,
                    Err(e) => writeln!(out, "heartbeat not accepted: {e}")?,
                }
                sent += 1;
            }
            Err(e) => writeln!(out, "brokers not readable yet: {e}")?,
        }
        if args.heartbeats.is_some_and(|n| sent >= n) {
            return Ok(true);
        }
        std::thread::sleep(args.every);
    }
}
