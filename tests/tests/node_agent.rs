//! `byoc agent`, the agent node's service, against a stand-in broker serving EMQX's documented
//! statistics JSON (`/api/v5/stats` and `/api/v5/metrics`, API-key basic auth) and the real
//! control plane: its heartbeats carry the brokers' live sessions and TPS, which the deployment
//! then shows; it speaks with the agent node's own token (issued with the create registration);
//! a broker that does not answer is passed over for the next.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use byoc_agent::operate::client::AgentClient;
use byoc_core::api::{Completion, DeploymentOutputs};
use byoc_core::lifecycle::deployment::Operation;
use support::plane::Plane;
use support::toolkit::toolkit_binary;

const API_KEY: &str = "byoc-agent:s3cret";

/// A broker's REST API that knows two answers; `messages.received` grows 150 per read.
fn stand_in_broker() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicU64::new(1_000));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut authorised = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                use base64ct::Encoding;
                let expected = format!(
                    "Basic {}",
                    base64ct::Base64::encode_string(API_KEY.as_bytes())
                );
                if line.to_ascii_lowercase().starts_with("authorization:")
                    && line[14..].trim() == expected
                {
                    authorised = true;
                }
            }
            let (status, body) = if !authorised {
                (
                    "401 Unauthorized",
                    r#"{"code":"BAD_API_KEY_OR_SECRET"}"#.to_owned(),
                )
            } else if request.starts_with("GET /api/v5/stats?aggregate=true ") {
                (
                    "200 OK",
                    r#"{"connections.count":400,"live_connections.count":321,"topics.count":12}"#
                        .to_owned(),
                )
            } else if request.starts_with("GET /api/v5/metrics?aggregate=true ") {
                let n = received.fetch_add(150, Ordering::SeqCst);
                (
                    "200 OK",
                    format!(r#"{{"messages.received":{n},"messages.sent":5}}"#),
                )
            } else {
                ("404 Not Found", "{}".to_owned())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn heartbeats_carry_the_brokers_sessions_and_tps() {
    let plane = Plane::start();
    let (id, key) = plane.new_deployment("node-agent", "aws", "us-east-1");
    // The create run's registration and completion, as the toolkit does them.
    let mut run = AgentClient::new(&plane.base);
    let reg = run.register(&key, Operation::Create, "aws").unwrap();
    run.complete(Completion::Success {
        outputs: DeploymentOutputs::default(),
    })
    .unwrap();
    assert_eq!(plane.deployment(&id)["status"], "running");

    let port = stand_in_broker();
    // The first broker does not answer (a closed port on loopback): the next one is asked.
    let closed = TcpListener::bind("127.0.0.2:0").map_or_else(
        |_| "127.0.0.9".to_owned(),
        |l| {
            let addr = l.local_addr().unwrap().ip().to_string();
            drop(l);
            addr
        },
    );
    let out = Command::new(toolkit_binary())
        .args(["agent", "--endpoint", &plane.base, "--deployment-id", &id])
        .args([
            "--brokers",
            &format!("{closed},127.0.0.1"),
            "--api-port",
            &port.to_string(),
        ])
        .args(["--every", "0.2", "--heartbeats", "3"])
        .env("BYOC_AGENT_TOKEN", reg.node_token.as_deref().unwrap())
        .env("BYOC_BROKER_API_KEY", API_KEY)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches("heartbeat: 321 sessions").count(), 3, "{text}");
    let live = &plane.deployment(&id)["live"];
    assert_eq!(live["sessions"], 321, "{live}");
    // 150 messages per read, reads 0.2 s apart (plus the time they take): a positive rate.
    assert!(live["tps"].as_u64().unwrap() > 0, "{live}");
}
