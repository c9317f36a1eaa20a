//! Which agent token may speak for a deployment, and for how long (SPEC §7; issue "Hardening").
//!
//! A toolkit run registers with a bootstrap key and receives an agent token bound to
//! (deployment, operation, attempt). The deployment's attempt counts the operations started on
//! it: every user action (stop, start, delete, cancel, retry) begins a new one. So:
//!
//! - a token speaks only for its own attempt: once the user starts another operation (or retries
//!   the same one), the old token is *superseded* at once and can neither report progress nor
//!   complete anything, so a stale run cannot mark a deployment stopped without the stop having run;
//! - a newer registration for the same attempt (a regenerated key, run again) *replaces* it;
//! - the token of the operation that brought the deployment to running (create or start) keeps
//!   sending heartbeats and network reports while that attempt lasts; a stop or delete token never
//!   does;
//! - a token *expires* [`AGENT_TOKEN_IDLE_SECONDS`] after its last accepted message (registration
//!   counts). A running agent heartbeats every few seconds, so its token lives while it runs; an
//!   abandoned one (the bootstrap machine gone) stops working within a day.
//!
//! - the agent *node*'s token, issued with a create registration, sends only heartbeats and
//!   network reports and is bound to no attempt and no idle time: the node keeps reporting through
//!   stops and starts (a stopped node sends nothing; the state machine refuses telemetry unless the
//!   deployment runs). A newer create registration replaces it.
//!
//! Time is a parameter: the server passes its clock, tests pin it.

use crate::api::ProblemCode;
use crate::lang::Lang;
use chrono::{DateTime, Duration, Utc};

use super::deployment::Operation;

/// An agent token lapses this long after its last accepted message.
pub const AGENT_TOKEN_IDLE_SECONDS: i64 = 24 * 60 * 60;

/// What the control plane recorded about a token when it was issued and last used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGrant {
    pub operation: Operation,
    /// The deployment's attempt the token was issued for.
    pub attempt: i64,
    /// Registration, or the last message the server accepted with it.
    pub last_used_at: DateTime<Utc>,
    /// A newer registration (for the same deployment) took over.
    pub replaced: bool,
    /// The agent node's token rather than a toolkit run's.
    pub node: bool,
}

/// What an agent sends after registering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentMessage {
    /// Progress of its operation.
    Progress,
    /// The end of its operation: success or failure.
    Complete,
    /// Live figures of the running deployment.
    Heartbeat,
    /// Reading or reporting the reconciliation of peerings and PrivateLinks.
    Network,
}

impl AgentMessage {
    /// Whether the message belongs to the operation itself (as opposed to the running agent's
    /// telemetry and reconciliation).
    fn is_operation_step(self) -> bool {
        matches!(self, AgentMessage::Progress | AgentMessage::Complete)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    #[error("this agent token belongs to an earlier {} run; the deployment has started another operation since (someone stopped, started, deleted or retried it), so run the command the console shows now", operation.code())]
    Superseded { operation: Operation },
    #[error("a newer run of the toolkit registered for this operation; this agent token no longer speaks for the deployment")]
    Replaced,
    #[error("this agent token was not used for {} hours and expired; regenerate the bootstrap key in the console and run the toolkit again", AGENT_TOKEN_IDLE_SECONDS / 3600)]
    Expired,
    #[error("the agent node's token sends heartbeats and network reports only, not an operation's progress or completion")]
    NodeOnlyReports,
    #[error("the agent token of a {} run cannot send {what}; only the agent of a create or start run does, while the deployment runs", operation.code())]
    NotForMessage {
        operation: Operation,
        what: &'static str,
    },
}

impl TokenRefusal {
    pub fn code(&self) -> ProblemCode {
        match self {
            TokenRefusal::Superseded { .. } => ProblemCode::AgentTokenSuperseded,
            TokenRefusal::Replaced => ProblemCode::AgentTokenReplaced,
            TokenRefusal::Expired => ProblemCode::AgentTokenExpired,
            TokenRefusal::NotForMessage { .. } => ProblemCode::AgentTokenNotForMessage,
            TokenRefusal::NodeOnlyReports => ProblemCode::AgentTokenNodeOnlyReports,
        }
    }

    /// The refusal in `lang`, a clause like the English `Display`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            TokenRefusal::Superseded { operation } => format!(
                "此代理令牌属于较早的 {} 运行；此后部署已开始另一项操作（有人停止、启动、删除或重试了它），请运行控制台当前显示的命令",
                operation.code()
            ),
            TokenRefusal::Replaced => {
                "引导工具已为此操作注册了更新的运行；此代理令牌已不再代表该部署".to_owned()
            }
            TokenRefusal::Expired => format!(
                "此代理令牌已 {} 小时未使用，已过期；请在控制台重新生成引导密钥并再次运行引导工具",
                AGENT_TOKEN_IDLE_SECONDS / 3600
            ),
            TokenRefusal::NodeOnlyReports => {
                "代理节点的令牌只能发送心跳和网络报告，不能发送操作的进度或完成消息".to_owned()
            }
            TokenRefusal::NotForMessage { operation, what } => format!(
                "{} 运行的代理令牌不能发送 {what}；只有 create 或 start 运行的代理在部署运行期间可以发送",
                operation.code()
            ),
        }
    }
}

/// When a token last used at `last_used_at` stops working.
pub fn token_expires_at(last_used_at: DateTime<Utc>) -> DateTime<Utc> {
    last_used_at + Duration::seconds(AGENT_TOKEN_IDLE_SECONDS)
}

/// May this token send this message for its deployment, whose attempt is now `current_attempt`?
/// Whether the deployment's state takes the message is the state machine's question, asked after
/// this one (`deployment::apply`).
pub fn may_send(
    grant: &TokenGrant,
    current_attempt: i64,
    message: AgentMessage,
    now: DateTime<Utc>,
) -> Result<(), TokenRefusal> {
    if grant.node {
        if grant.replaced {
            return Err(TokenRefusal::Replaced);
        }
        if message.is_operation_step() {
            return Err(TokenRefusal::NodeOnlyReports);
        }
        return Ok(());
    }
    if grant.attempt != current_attempt {
        return Err(TokenRefusal::Superseded {
            operation: grant.operation,
        });
    }
    if grant.replaced {
        return Err(TokenRefusal::Replaced);
    }
    if now >= token_expires_at(grant.last_used_at) {
        return Err(TokenRefusal::Expired);
    }
    let keeps_running = matches!(grant.operation, Operation::Create | Operation::Start);
    if !message.is_operation_step() && !keeps_running {
        return Err(TokenRefusal::NotForMessage {
            operation: grant.operation,
            what: match message {
                AgentMessage::Heartbeat => "heartbeats",
                _ => "network reports",
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn grant(operation: Operation, attempt: i64) -> TokenGrant {
        TokenGrant {
            operation,
            attempt,
            last_used_at: at("2026-06-01T10:00:00Z"),
            replaced: false,
            node: false,
        }
    }

    #[test]
    fn the_node_token_reports_through_stops_and_starts_but_never_steps_an_operation() {
        let node = TokenGrant {
            node: true,
            ..grant(Operation::Create, 1)
        };
        // Attempts later (stopped and started since), a month idle (stopped that long).
        let later = at("2026-07-01T00:00:00Z");
        for m in [AgentMessage::Heartbeat, AgentMessage::Network] {
            assert_eq!(may_send(&node, 5, m, later), Ok(()));
        }
        for m in [AgentMessage::Progress, AgentMessage::Complete] {
            assert_eq!(
                may_send(&node, 1, m, at(SOON)).unwrap_err().code(),
                ProblemCode::AgentTokenNodeOnlyReports
            );
        }
        let replaced = TokenGrant {
            replaced: true,
            ..node
        };
        assert_eq!(
            may_send(&replaced, 1, AgentMessage::Heartbeat, at(SOON)),
            Err(TokenRefusal::Replaced)
        );
    }

    const SOON: &str = "2026-06-01T10:05:00Z";

    #[test]
    fn the_token_of_the_current_attempt_sends_its_operations_messages() {
        for op in Operation::ALL {
            for m in [AgentMessage::Progress, AgentMessage::Complete] {
                assert_eq!(
                    may_send(&grant(op, 3), 3, m, at(SOON)),
                    Ok(()),
                    "{op:?} {m:?}"
                );
            }
        }
    }

    #[test]
    fn a_later_operation_or_a_retry_supersedes_the_token_at_once() {
        // The user stopped the deployment (attempt 1 → 2): the create run can no longer complete.
        for m in [
            AgentMessage::Progress,
            AgentMessage::Complete,
            AgentMessage::Heartbeat,
            AgentMessage::Network,
        ] {
            let refusal = may_send(&grant(Operation::Create, 1), 2, m, at(SOON)).unwrap_err();
            assert_eq!(refusal.code(), ProblemCode::AgentTokenSuperseded);
        }
        let refusal = may_send(
            &grant(Operation::Stop, 4),
            5,
            AgentMessage::Complete,
            at(SOON),
        );
        assert_eq!(
            refusal,
            Err(TokenRefusal::Superseded {
                operation: Operation::Stop
            })
        );
        assert!(refusal
            .unwrap_err()
            .to_string()
            .contains("earlier stop run"));
    }

    #[test]
    fn a_newer_registration_replaces_the_token() {
        let replaced = TokenGrant {
            replaced: true,
            ..grant(Operation::Create, 1)
        };
        let refusal = may_send(&replaced, 1, AgentMessage::Progress, at(SOON)).unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::AgentTokenReplaced);
    }

    #[test]
    fn a_token_expires_a_day_after_its_last_use() {
        let g = grant(Operation::Create, 1);
        let ok = |now: &str| may_send(&g, 1, AgentMessage::Heartbeat, at(now));
        assert_eq!(ok("2026-06-02T09:59:59Z"), Ok(()));
        assert_eq!(ok("2026-06-02T10:00:00Z"), Err(TokenRefusal::Expired));
        assert_eq!(token_expires_at(g.last_used_at), at("2026-06-02T10:00:00Z"));
        // Every accepted message moves the last use on: a heartbeating agent never lapses.
        let used = TokenGrant {
            last_used_at: at("2026-06-02T09:59:00Z"),
            ..g
        };
        assert_eq!(
            may_send(
                &used,
                1,
                AgentMessage::Heartbeat,
                at("2026-06-02T12:00:00Z")
            ),
            Ok(())
        );
        assert_eq!(TokenRefusal::Expired.code(), ProblemCode::AgentTokenExpired);
    }

    #[test]
    fn only_create_and_start_agents_stay_on_for_heartbeats_and_networks() {
        for op in [Operation::Create, Operation::Start] {
            for m in [AgentMessage::Heartbeat, AgentMessage::Network] {
                assert_eq!(may_send(&grant(op, 1), 1, m, at(SOON)), Ok(()));
            }
        }
        for op in [Operation::Stop, Operation::Delete] {
            for m in [AgentMessage::Heartbeat, AgentMessage::Network] {
                let refusal = may_send(&grant(op, 1), 1, m, at(SOON)).unwrap_err();
                assert_eq!(
                    refusal.code(),
                    ProblemCode::AgentTokenNotForMessage,
                    "{op:?} {m:?}"
                );
            }
        }
    }

    #[test]
    fn superseded_is_told_before_replaced_or_expired() {
        // A token both superseded and lapsed hears the more useful reason.
        let g = TokenGrant {
            replaced: true,
            ..grant(Operation::Create, 1)
        };
        let later = at("2026-07-01T00:00:00Z");
        assert_eq!(
            may_send(&g, 2, AgentMessage::Complete, later)
                .unwrap_err()
                .code(),
            ProblemCode::AgentTokenSuperseded
        );
        assert_eq!(
            may_send(&g, 1, AgentMessage::Complete, later)
                .unwrap_err()
                .code(),
            ProblemCode::AgentTokenReplaced
        );
    }
}
