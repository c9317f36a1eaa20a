//! The agent protocol (`/agent/v1`) as the toolkit speaks it: register with the bootstrap key,
//! then numbered messages under the agent token.

use byoc_core::api::ProblemCode;
use byoc_core::text::agent_text;
use std::time::Duration;

use byoc_core::api::{
    AgentAck, AgentNetwork, CompleteReport, Completion, Heartbeat, NetworkAck, NetworkKind,
    NetworkOutcome, NetworkReport, Problem, ProgressReport, RegisterRequest, RegisterResponse,
};
use byoc_core::lifecycle::deployment::Operation;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a message did not land.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("the control plane refused it ({code}): {detail}")]
    Refused {
        status: u16,
        code: ProblemCode,
        detail: String,
    },
    #[error("cannot reach the control plane at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("the control plane answered something unreadable (HTTP {status}): {reason}")]
    Unreadable { status: u16, reason: String },
}

impl ProtocolError {
    pub fn code(&self) -> Option<ProblemCode> {
        match self {
            ProtocolError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

pub struct AgentClient {
    endpoint: String,
    http: ureq::Agent,
    token: Option<String>,
    deployment_id: String,
    seq: u64,
}

impl AgentClient {
    pub fn new(endpoint: &str) -> Self {
        let http: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .http_status_as_error(false)
            .build()
            .into();
        AgentClient {
            endpoint: endpoint.trim().trim_end_matches('/').to_owned(),
            http,
            token: None,
            deployment_id: String::new(),
            seq: 0,
        }
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ProtocolError> {
        let url = format!("{}/agent/v1/{path}", self.endpoint);
        let json = serde_json::to_string(body).map_err(|e| ProtocolError::Unreadable {
            status: 0,
            reason: e.to_string(),
        })?;
        let mut req = self
            .http
            .post(&url)
            .header("content-type", "application/json");
        if let Some(token) = &self.token {
            req = req.header("authorization", &format!("Bearer {token}"));
        }
        let resp = req.send(json.as_str()).map_err(|e| self.unreachable(&e))?;
        Self::read(resp)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ProtocolError> {
        let url = format!("{}/agent/v1/{path}", self.endpoint);
        let mut req = self.http.get(&url);
        if let Some(token) = &self.token {
            req = req.header("authorization", &format!("Bearer {token}"));
        }
        let resp = req.call().map_err(|e| self.unreachable(&e))?;
        Self::read(resp)
    }

    fn unreachable(&self, e: &ureq::Error) -> ProtocolError {
        ProtocolError::Unreachable {
            endpoint: self.endpoint.clone(),
            reason: e.to_string(),
        }
    }

    fn read<T: DeserializeOwned>(
        mut resp: ureq::http::Response<ureq::Body>,
    ) -> Result<T, ProtocolError> {
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| ProtocolError::Unreadable {
                status,
                reason: e.to_string(),
            })?;
        if (200..300).contains(&status) {
            serde_json::from_str(&text).map_err(|e| ProtocolError::Unreadable {
                status,
                reason: e.to_string(),
            })
        } else {
            let problem: Option<Problem> = serde_json::from_str(&text).ok();
            Err(match problem {
                Some(p) => ProtocolError::Refused {
                    status,
                    detail: p.detail.unwrap_or(p.title),
                    code: p.code,
                },
                None => ProtocolError::Unreadable {
                    status,
                    reason: text.chars().take(200).collect(),
                },
            })
        }
    }

    /// Speaks as a deployment's agent with a token it already holds (the agent node's service),
    /// numbering its messages from `first_seq`.
    pub fn resume(endpoint: &str, token: &str, deployment_id: &str, first_seq: u64) -> Self {
        let mut client = AgentClient::new(endpoint);
        client.token = Some(token.to_owned());
        client.deployment_id = deployment_id.to_owned();
        client.seq = first_seq.saturating_sub(1);
        client
    }

    /// Spends the bootstrap key; afterwards the client speaks as the deployment's agent.
    pub fn register(
        &mut self,
        key: &str,
        operation: Operation,
        platform: &str,
    ) -> Result<RegisterResponse, ProtocolError> {
        let req = RegisterRequest {
            key: key.to_owned(),
            operation,
            platform: platform.to_owned(),
            toolkit_version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        };
        let reg: RegisterResponse = self.post("register", &req)?;
        self.token = Some(reg.agent_token.clone());
        self.deployment_id = reg.deployment_id.clone();
        self.seq = 0;
        Ok(reg)
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Sends a numbered message, retrying once on a network failure with the same number: if the
    /// first attempt landed after all, the server refuses the repeat as out of order, which means
    /// it was received.
    fn send_numbered<B: Serialize>(&self, path: &str, body: &B) -> Result<(), ProtocolError> {
        self.send_numbered_as::<B, AgentAck>(path, body).map(|_| ())
    }

    /// [`Self::send_numbered`] for a message whose answer is `T`; `None` when the retry found
    /// the first attempt had landed (its answer is lost).
    fn send_numbered_as<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Option<T>, ProtocolError> {
        match self.post::<B, T>(path, body) {
            Ok(answer) => Ok(Some(answer)),
            Err(ProtocolError::Unreachable { .. }) => {
                std::thread::sleep(Duration::from_secs(2));
                match self.post::<B, T>(path, body) {
                    Ok(answer) => Ok(Some(answer)),
                    Err(ProtocolError::Refused {
                        code: ProblemCode::MessageOutOfOrder,
                        ..
                    }) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    pub fn progress(
        &mut self,
        phase: &str,
        percent: u8,
        message: &str,
    ) -> Result<(), ProtocolError> {
        let body = ProgressReport {
            deployment_id: self.deployment_id.clone(),
            seq: self.next_seq(),
            phase: phase.to_owned(),
            percent,
            message: Some(agent_text(message)),
        };
        self.send_numbered("progress", &body)
    }

    pub fn complete(&mut self, completion: Completion) -> Result<(), ProtocolError> {
        // A cloud's error message is sent as the failure's reason: made fit for the server's
        // text rule, however long or odd the cloud's answer was.
        let completion = match completion {
            Completion::Failure { phase, reason } => Completion::Failure {
                phase,
                reason: agent_text(&reason),
            },
            other => other,
        };
        let body = CompleteReport {
            deployment_id: self.deployment_id.clone(),
            seq: self.next_seq(),
            completion,
        };
        self.send_numbered("complete", &body)
    }

    pub fn heartbeat(&mut self, sessions: u64, tps: u64) -> Result<(), ProtocolError> {
        let body = Heartbeat {
            deployment_id: self.deployment_id.clone(),
            seq: self.next_seq(),
            sessions,
            tps,
        };
        self.send_numbered("heartbeat", &body)
    }

    /// The peerings and PrivateLinks waiting for this agent.
    pub fn network(&self) -> Result<AgentNetwork, ProtocolError> {
        self.get("network")
    }

    /// What became of a peering or PrivateLink: `endpoint` (domain, IP) for a running link,
    /// `reason` for a failure.
    pub fn network_report(
        &mut self,
        (kind, id): (NetworkKind, &str),
        outcome: NetworkOutcome,
        endpoint: (Option<String>, Option<String>),
        reason: Option<String>,
    ) -> Result<Option<NetworkAck>, ProtocolError> {
        let body = NetworkReport {
            deployment_id: self.deployment_id.clone(),
            seq: self.next_seq(),
            kind,
            id: id.to_owned(),
            outcome,
            endpoint_domain: endpoint.0,
            endpoint_ip: endpoint.1,
            reason,
        };
        self.send_numbered_as("network/report", &body)
    }
}
