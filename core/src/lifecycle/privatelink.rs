//! The PrivateLink lifecycle (SPEC §6, the seed `emqx-privatelink-aliyun.zh.md`).
//!
//! ```text
//! pending_acceptance ─accepted(endpoint)→ running ─delete→ deleting ─removed→ removed
//!        │ failed(reason)                    │ failed(reason): the provider removed the service
//!        └──────────────→ failed ←───────────┘
//!                         failed ─dismiss→ removed
//! ```
//! After the link is created the customer clicks Allow (Aliyun) / Accept (AWS) on their endpoint
//! service; the agent sees the connection come up and reports the endpoint. Deleting is allowed
//! only while running (the seed: delete here before deleting the endpoint service, or the link
//! fails); a failed link holds nothing and can be dismissed.

use crate::api::ProblemCode;
use serde::{Deserialize, Serialize};

use crate::api::{NetworkOutcome, NetworkReport};
use crate::lang::Lang;
use crate::network::{Cidr, Endpoint, NetworkError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrivateLinkStatus {
    PendingAcceptance,
    Running,
    Failed,
    Deleting,
    Removed,
}

impl PrivateLinkStatus {
    pub const ALL: [PrivateLinkStatus; 5] = [
        PrivateLinkStatus::PendingAcceptance,
        PrivateLinkStatus::Running,
        PrivateLinkStatus::Failed,
        PrivateLinkStatus::Deleting,
        PrivateLinkStatus::Removed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PrivateLinkStatus::PendingAcceptance => "pending_acceptance",
            PrivateLinkStatus::Running => "running",
            PrivateLinkStatus::Failed => "failed",
            PrivateLinkStatus::Deleting => "deleting",
            PrivateLinkStatus::Removed => "removed",
        }
    }

    pub fn parse(code: &str) -> Option<PrivateLinkStatus> {
        PrivateLinkStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Whether the deployment's agent has work to do for it.
    pub fn needs_agent(self) -> bool {
        matches!(
            self,
            PrivateLinkStatus::PendingAcceptance | PrivateLinkStatus::Deleting
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrivateLinkAction {
    Delete,
    Dismiss,
}

impl PrivateLinkAction {
    pub fn code(self) -> &'static str {
        match self {
            PrivateLinkAction::Delete => "delete",
            PrivateLinkAction::Dismiss => "dismiss",
        }
    }
}

/// Where a link stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub status: PrivateLinkStatus,
    pub reason: Option<String>,
    /// While running (and deleting): where the service is reached.
    pub endpoint: Option<Endpoint>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    User(PrivateLinkAction),
    /// The customer allowed the connection; the endpoint is up.
    Accepted(Endpoint),
    /// Not whitelisted, rejected, or (when running) the provider removed the service.
    Failed {
        reason: String,
    },
    /// The agent removed the endpoint.
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "a PrivateLink that is {} cannot {what}; allowed now: {}",
        .status.code(), super::list_actions(allowed, PrivateLinkAction::code)
    )]
    NotAllowed {
        status: PrivateLinkStatus,
        what: &'static str,
        allowed: Vec<PrivateLinkAction>,
    },
}

impl TransitionError {
    pub fn code(&self) -> ProblemCode {
        match self {
            TransitionError::NotAllowed { .. } => ProblemCode::ActionNotAllowed,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, _) => self.to_string(),
            (
                Lang::ZhCn,
                TransitionError::NotAllowed {
                    status,
                    what,
                    allowed,
                },
            ) => format!(
                "状态为 {} 的私网连接不能执行 {what}；当前可执行：{}",
                status.code(),
                if allowed.is_empty() {
                    "无".to_owned()
                } else {
                    super::list_actions(allowed, PrivateLinkAction::code)
                }
            ),
        }
    }
}

impl State {
    /// A link just created: waiting for the customer to allow it.
    pub fn new() -> Self {
        State {
            status: PrivateLinkStatus::PendingAcceptance,
            reason: None,
            endpoint: None,
        }
    }

    /// What the user may do now: delete only a running link, dismiss only a failed one.
    pub fn allowed_actions(&self) -> Vec<PrivateLinkAction> {
        match self.status {
            PrivateLinkStatus::Running => vec![PrivateLinkAction::Delete],
            PrivateLinkStatus::Failed => vec![PrivateLinkAction::Dismiss],
            PrivateLinkStatus::PendingAcceptance
            | PrivateLinkStatus::Deleting
            | PrivateLinkStatus::Removed => vec![],
        }
    }

    fn refuse(&self, what: &'static str) -> TransitionError {
        TransitionError::NotAllowed {
            status: self.status,
            what,
            allowed: self.allowed_actions(),
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

/// The one place PrivateLink states change.
pub fn apply(state: &State, event: &Event) -> Result<State, TransitionError> {
    use PrivateLinkStatus::*;
    let to = |status, reason, endpoint| State {
        status,
        reason,
        endpoint,
    };
    match (state.status, event) {
        (_, Event::User(action)) if !state.allowed_actions().contains(action) => {
            Err(state.refuse(action.code()))
        }
        // The endpoint stays until the agent has removed it: something may still use it.
        (_, Event::User(PrivateLinkAction::Delete)) => {
            Ok(to(Deleting, None, state.endpoint.clone()))
        }
        (_, Event::User(PrivateLinkAction::Dismiss)) => Ok(to(Removed, state.reason.clone(), None)),
        (PendingAcceptance, Event::Accepted(endpoint)) => {
            Ok(to(Running, None, Some(endpoint.clone())))
        }
        (PendingAcceptance | Running, Event::Failed { reason }) => {
            Ok(to(Failed, Some(reason.clone()), None))
        }
        (Deleting, Event::Removed) => Ok(to(Removed, None, None)),
        (_, Event::Accepted(_)) => Err(state.refuse("start running")),
        (_, Event::Failed { .. }) => Err(state.refuse("fail")),
        (_, Event::Removed) => Err(state.refuse("be removed")),
    }
}

/// The event an agent's report stands for: `running` with the endpoint (checked to lie in the
/// deployment's VPC `vpc`), `failed` with a reason, or `removed`. `active` and `expired` are a
/// peering's outcomes, not a link's.
pub fn event_from_report(report: &NetworkReport, vpc: Cidr) -> Result<Event, NetworkError> {
    match report.outcome {
        NetworkOutcome::Running => Endpoint::parse(
            report.endpoint_domain.as_deref(),
            report.endpoint_ip.as_deref(),
            vpc,
        )
        .map(Event::Accepted),
        NetworkOutcome::Failed => match report.reason.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Ok(Event::Failed {
                reason: r.to_owned(),
            }),
            _ => Err(NetworkError::ReasonMissing),
        },
        NetworkOutcome::Removed => Ok(Event::Removed),
        NetworkOutcome::Active | NetworkOutcome::Expired => Err(NetworkError::Outcome {
            kind: "PrivateLink",
            outcome: if report.outcome == NetworkOutcome::Active {
                "active"
            } else {
                "expired"
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PrivateLinkAction::*;
    use PrivateLinkStatus::*;

    fn vpc() -> Cidr {
        Cidr::parse("10.0.0.0/16").unwrap()
    }

    fn endpoint() -> Endpoint {
        Endpoint::parse(
            Some("ep-1.privatelink.aliyuncs.com"),
            Some("10.0.1.9"),
            vpc(),
        )
        .unwrap()
    }

    fn in_status(status: PrivateLinkStatus) -> State {
        State {
            status,
            ..State::new()
        }
    }

    fn failed(reason: &str) -> Event {
        Event::Failed {
            reason: reason.into(),
        }
    }

    #[test]
    fn an_allowed_link_runs_with_its_endpoint_then_is_deleted_and_removed() {
        let s = apply(&State::new(), &Event::Accepted(endpoint())).unwrap();
        assert_eq!((s.status, s.endpoint.clone()), (Running, Some(endpoint())));
        assert_eq!(s.allowed_actions(), [Delete]);
        let s = apply(&s, &Event::User(Delete)).unwrap();
        assert_eq!(s.status, Deleting);
        assert!(s.endpoint.is_some(), "shown until it is gone");
        let s = apply(&s, &Event::Removed).unwrap();
        assert_eq!((s.status, s.endpoint), (Removed, None));
    }

    #[test]
    fn a_link_fails_when_not_whitelisted_or_when_the_provider_removes_the_service() {
        let s = apply(&State::new(), &failed("the principal is not whitelisted")).unwrap();
        assert_eq!(
            (s.status, s.reason.as_deref()),
            (Failed, Some("the principal is not whitelisted"))
        );
        let running = apply(&State::new(), &Event::Accepted(endpoint())).unwrap();
        let s = apply(&running, &failed("the endpoint service was deleted")).unwrap();
        assert_eq!((s.status, s.endpoint.clone()), (Failed, None));
        assert_eq!(s.allowed_actions(), [Dismiss]);
        let s = apply(&s, &Event::User(Dismiss)).unwrap();
        assert_eq!(s.status, Removed);
    }

    #[test]
    fn every_event_in_every_state_is_allowed_or_refused_as_the_spec_says() {
        let events = [
            Event::User(Delete),
            Event::User(Dismiss),
            Event::Accepted(endpoint()),
            failed("x"),
            Event::Removed,
        ];
        let allowed = [
            (PendingAcceptance, 2, Running),
            (PendingAcceptance, 3, Failed),
            (Running, 0, Deleting),
            (Running, 3, Failed),
            (Failed, 1, Removed),
            (Deleting, 4, Removed),
        ];
        for status in PrivateLinkStatus::ALL {
            for (i, event) in events.iter().enumerate() {
                let result = apply(&in_status(status), event);
                match allowed.iter().find(|(s, e, _)| *s == status && *e == i) {
                    Some((_, _, to)) => {
                        assert_eq!(result.unwrap().status, *to, "{status:?} {event:?}")
                    }
                    None => {
                        let err = result.unwrap_err();
                        assert_eq!(err.code(), ProblemCode::ActionNotAllowed);
                        let TransitionError::NotAllowed { allowed, .. } = &err;
                        assert_eq!(*allowed, in_status(status).allowed_actions());
                    }
                }
            }
        }
    }

    #[test]
    fn delete_only_when_running_and_dismiss_only_when_failed() {
        let table = [
            (PendingAcceptance, vec![]),
            (Running, vec![Delete]),
            (Failed, vec![Dismiss]),
            (Deleting, vec![]),
            (Removed, vec![]),
        ];
        for (status, allowed) in table {
            assert_eq!(in_status(status).allowed_actions(), allowed, "{status:?}");
        }
        let err = apply(&State::new(), &Event::User(Delete)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a PrivateLink that is pending_acceptance cannot delete; allowed now: nothing"
        );
        let err = apply(&in_status(Running), &Event::User(Dismiss)).unwrap_err();
        assert!(err.to_string().ends_with("allowed now: delete"));
        assert!(err.message(Lang::ZhCn).contains("delete"));
        for s in PrivateLinkStatus::ALL {
            assert_eq!(PrivateLinkStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn reports_become_events_with_the_endpoint_checked() {
        let report =
            |outcome, domain: Option<&str>, ip: Option<&str>, reason: Option<&str>| NetworkReport {
                deployment_id: "d".into(),
                seq: 1,
                kind: crate::api::NetworkKind::Privatelink,
                id: "l".into(),
                outcome,
                endpoint_domain: domain.map(str::to_owned),
                endpoint_ip: ip.map(str::to_owned),
                reason: reason.map(str::to_owned),
            };
        assert_eq!(
            event_from_report(
                &report(
                    NetworkOutcome::Running,
                    Some("ep-1.privatelink.aliyuncs.com"),
                    Some("10.0.1.9"),
                    None
                ),
                vpc()
            ),
            Ok(Event::Accepted(endpoint()))
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Running, None, None, None), vpc())
                .unwrap_err()
                .code(),
            "endpoint_missing"
        );
        assert_eq!(
            event_from_report(
                &report(NetworkOutcome::Running, None, Some("192.168.0.1"), None),
                vpc()
            )
            .unwrap_err()
            .code(),
            "endpoint_outside_vpc"
        );
        assert_eq!(
            event_from_report(
                &report(NetworkOutcome::Failed, None, None, Some("gone")),
                vpc()
            ),
            Ok(failed("gone"))
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Removed, None, None, None), vpc()),
            Ok(Event::Removed)
        );
        for outcome in [NetworkOutcome::Active, NetworkOutcome::Expired] {
            assert_eq!(
                event_from_report(&report(outcome, None, None, None), vpc())
                    .unwrap_err()
                    .code(),
                "outcome_not_allowed"
            );
        }
    }
}
