//! The VPC peering lifecycle (SPEC §6).
//!
//! ```text
//! pending_acceptance ─accepted→ active ─delete→ deleting ─removed→ removed
//!        │ failed(reason) → failed ─dismiss→ removed
//!        │ expire (7 days after the request) → expired ─dismiss→ removed
//! ```
//! The agent in the deployment's account accepts the request and reports the outcome. A request
//! nobody accepted expires after 7 days, as AWS's do (reference/domain.md §4.2); the time is a
//! parameter, so the rule is testable and the same everywhere. Failed and expired peerings hold
//! nothing in the cloud, so dismissing one removes it at once.

use crate::api::ProblemCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{NetworkOutcome, NetworkReport};
use crate::lang::Lang;
use crate::network::NetworkError;

/// A request not accepted within this many days expires.
pub const EXPIRES_AFTER_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeeringStatus {
    PendingAcceptance,
    Active,
    Failed,
    Expired,
    Deleting,
    Removed,
}

impl PeeringStatus {
    pub const ALL: [PeeringStatus; 6] = [
        PeeringStatus::PendingAcceptance,
        PeeringStatus::Active,
        PeeringStatus::Failed,
        PeeringStatus::Expired,
        PeeringStatus::Deleting,
        PeeringStatus::Removed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PeeringStatus::PendingAcceptance => "pending_acceptance",
            PeeringStatus::Active => "active",
            PeeringStatus::Failed => "failed",
            PeeringStatus::Expired => "expired",
            PeeringStatus::Deleting => "deleting",
            PeeringStatus::Removed => "removed",
        }
    }

    pub fn parse(code: &str) -> Option<PeeringStatus> {
        PeeringStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the peering holds its range: its range may not be used by another peering.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            PeeringStatus::PendingAcceptance | PeeringStatus::Active | PeeringStatus::Deleting
        )
    }

    /// Whether the deployment's agent has work to do for it.
    pub fn needs_agent(self) -> bool {
        matches!(
            self,
            PeeringStatus::PendingAcceptance | PeeringStatus::Deleting
        )
    }
}

/// What the user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeeringAction {
    Delete,
    Dismiss,
}

impl PeeringAction {
    pub fn code(self) -> &'static str {
        match self {
            PeeringAction::Delete => "delete",
            PeeringAction::Dismiss => "dismiss",
        }
    }
}

/// Where a peering stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub status: PeeringStatus,
    pub reason: Option<String>,
    /// When the user entered the request; it expires [`EXPIRES_AFTER_DAYS`] later.
    pub requested_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    User(PeeringAction),
    /// The agent accepted the request and the connection is up.
    Accepted,
    Failed {
        reason: String,
    },
    /// Nobody accepted the request in time; refused before [`State::expires_at`].
    Expire {
        now: DateTime<Utc>,
    },
    /// The agent took the connection down.
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "a peering that is {} cannot {what}; allowed now: {}",
        .status.code(), super::list_actions(allowed, PeeringAction::code)
    )]
    NotAllowed {
        status: PeeringStatus,
        what: &'static str,
        allowed: Vec<PeeringAction>,
    },
    #[error("the peering request expires only at {expires_at}, 7 days after it was made")]
    NotYetExpired { expires_at: DateTime<Utc> },
}

impl TransitionError {
    pub fn code(&self) -> ProblemCode {
        match self {
            TransitionError::NotAllowed { .. } => ProblemCode::ActionNotAllowed,
            TransitionError::NotYetExpired { .. } => ProblemCode::NotYetExpired,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            TransitionError::NotAllowed {
                status,
                what,
                allowed,
            } => format!(
                "状态为 {} 的对等连接不能执行 {what}；当前可执行：{}",
                status.code(),
                if allowed.is_empty() {
                    "无".to_owned()
                } else {
                    super::list_actions(allowed, PeeringAction::code)
                }
            ),
            TransitionError::NotYetExpired { expires_at } => {
                format!("对等连接请求在发起 7 天后（{expires_at}）才会过期")
            }
        }
    }
}

impl State {
    /// A request just entered, waiting for the agent to accept it.
    pub fn new(requested_at: DateTime<Utc>) -> Self {
        State {
            status: PeeringStatus::PendingAcceptance,
            reason: None,
            requested_at,
        }
    }

    /// When a pending request expires; none once it is no longer pending.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        (self.status == PeeringStatus::PendingAcceptance)
            .then(|| self.requested_at + Duration::days(EXPIRES_AFTER_DAYS))
    }

    /// What the user may do now.
    pub fn allowed_actions(&self) -> Vec<PeeringAction> {
        match self.status {
            PeeringStatus::Active => vec![PeeringAction::Delete],
            PeeringStatus::Failed | PeeringStatus::Expired => vec![PeeringAction::Dismiss],
            PeeringStatus::PendingAcceptance | PeeringStatus::Deleting | PeeringStatus::Removed => {
                vec![]
            }
        }
    }

    fn refuse(&self, what: &'static str) -> TransitionError {
        TransitionError::NotAllowed {
            status: self.status,
            what,
            allowed: self.allowed_actions(),
        }
    }

    fn becomes(&self, status: PeeringStatus, reason: Option<String>) -> State {
        State {
            status,
            reason,
            requested_at: self.requested_at,
        }
    }
}

/// The one place peering states change.
pub fn apply(state: &State, event: &Event) -> Result<State, TransitionError> {
    use PeeringStatus::*;
    match (state.status, event) {
        (_, Event::User(action)) if !state.allowed_actions().contains(action) => {
            Err(state.refuse(action.code()))
        }
        (_, Event::User(PeeringAction::Delete)) => Ok(state.becomes(Deleting, None)),
        (_, Event::User(PeeringAction::Dismiss)) => {
            Ok(state.becomes(Removed, state.reason.clone()))
        }
        (PendingAcceptance, Event::Accepted) => Ok(state.becomes(Active, None)),
        (PendingAcceptance, Event::Failed { reason }) => {
            Ok(state.becomes(Failed, Some(reason.clone())))
        }
        (PendingAcceptance, Event::Expire { now }) => match state.expires_at() {
            Some(at) if *now < at => Err(TransitionError::NotYetExpired { expires_at: at }),
            _ => Ok(state.becomes(
                Expired,
                Some(format!(
                    "not accepted within {EXPIRES_AFTER_DAYS} days of the request"
                )),
            )),
        },
        (Deleting, Event::Removed) => Ok(state.becomes(Removed, None)),
        (_, Event::Accepted) => Err(state.refuse("become active")),
        (_, Event::Failed { .. }) => Err(state.refuse("fail")),
        (_, Event::Expire { .. }) => Err(state.refuse("expire")),
        (_, Event::Removed) => Err(state.refuse("be removed")),
    }
}

/// The event an agent's report stands for (`active`, `failed` with a reason, `expired` at
/// `now`, or `removed`); `running` is a PrivateLink's outcome, not a peering's.
pub fn event_from_report(
    report: &NetworkReport,
    now: DateTime<Utc>,
) -> Result<Event, NetworkError> {
    match report.outcome {
        NetworkOutcome::Active => Ok(Event::Accepted),
        NetworkOutcome::Failed => match report.reason.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Ok(Event::Failed {
                reason: r.to_owned(),
            }),
            _ => Err(NetworkError::ReasonMissing),
        },
        NetworkOutcome::Expired => Ok(Event::Expire { now }),
        NetworkOutcome::Removed => Ok(Event::Removed),
        NetworkOutcome::Running => Err(NetworkError::Outcome {
            kind: "peering",
            outcome: "running",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PeeringAction::*;
    use PeeringStatus::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn requested() -> State {
        State::new(at("2026-06-01T10:00:00Z"))
    }

    fn in_status(status: PeeringStatus) -> State {
        State {
            status,
            ..requested()
        }
    }

    fn failed(reason: &str) -> Event {
        Event::Failed {
            reason: reason.into(),
        }
    }

    #[test]
    fn a_peering_is_accepted_deleted_and_removed() {
        let s = apply(&requested(), &Event::Accepted).unwrap();
        assert_eq!((s.status, s.expires_at()), (Active, None));
        let s = apply(&s, &Event::User(Delete)).unwrap();
        assert_eq!(s.status, Deleting);
        assert_eq!(apply(&s, &Event::Removed).unwrap().status, Removed);
    }

    #[test]
    fn a_pending_request_fails_with_its_reason_and_can_be_dismissed() {
        let s = apply(&requested(), &failed("the peer rejected the request")).unwrap();
        assert_eq!(
            (s.status, s.reason.as_deref()),
            (Failed, Some("the peer rejected the request"))
        );
        assert_eq!(s.allowed_actions(), [Dismiss]);
        assert_eq!(apply(&s, &Event::User(Dismiss)).unwrap().status, Removed);
    }

    #[test]
    fn a_pending_request_expires_seven_days_after_it_was_made_and_not_before() {
        let s = requested();
        assert_eq!(s.expires_at(), Some(at("2026-06-08T10:00:00Z")));
        let early = apply(
            &s,
            &Event::Expire {
                now: at("2026-06-08T09:59:59Z"),
            },
        )
        .unwrap_err();
        assert_eq!(early.code(), ProblemCode::NotYetExpired);
        assert!(early.message(Lang::ZhCn).contains("7 天"));
        let s = apply(
            &s,
            &Event::Expire {
                now: at("2026-06-08T10:00:00Z"),
            },
        )
        .unwrap();
        assert_eq!(s.status, Expired);
        assert_eq!(s.allowed_actions(), [Dismiss]);
        assert_eq!(apply(&s, &Event::User(Dismiss)).unwrap().status, Removed);
    }

    #[test]
    fn allowed_actions_per_state() {
        let table = [
            (PendingAcceptance, vec![]),
            (Active, vec![Delete]),
            (Failed, vec![Dismiss]),
            (Expired, vec![Dismiss]),
            (Deleting, vec![]),
            (Removed, vec![]),
        ];
        for (status, allowed) in table {
            assert_eq!(in_status(status).allowed_actions(), allowed, "{status:?}");
        }
    }

    #[test]
    fn every_event_in_every_state_is_allowed_or_refused_as_the_spec_says() {
        let later = at("2026-07-01T00:00:00Z");
        let events = [
            Event::User(Delete),
            Event::User(Dismiss),
            Event::Accepted,
            failed("x"),
            Event::Expire { now: later },
            Event::Removed,
        ];
        // (state, event index) → resulting status, for every allowed pair; all others refused.
        let allowed = [
            (PendingAcceptance, 2, Active),
            (PendingAcceptance, 3, Failed),
            (PendingAcceptance, 4, Expired),
            (Active, 0, Deleting),
            (Failed, 1, Removed),
            (Expired, 1, Removed),
            (Deleting, 5, Removed),
        ];
        for status in PeeringStatus::ALL {
            for (i, event) in events.iter().enumerate() {
                let result = apply(&in_status(status), event);
                match allowed.iter().find(|(s, e, _)| *s == status && *e == i) {
                    Some((_, _, to)) => {
                        assert_eq!(result.unwrap().status, *to, "{status:?} {event:?}")
                    }
                    None => {
                        let err = result.unwrap_err();
                        assert_eq!(
                            err.code(),
                            ProblemCode::ActionNotAllowed,
                            "{status:?} {event:?}"
                        );
                        assert!(
                            matches!(&err, TransitionError::NotAllowed { allowed, .. } if *allowed == in_status(status).allowed_actions())
                        );
                    }
                }
            }
        }
        let err = apply(&in_status(PendingAcceptance), &Event::User(Delete)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a peering that is pending_acceptance cannot delete; allowed now: nothing"
        );
        assert!(err.message(Lang::ZhCn).contains("无"));
    }

    #[test]
    fn only_pending_active_and_deleting_peerings_hold_their_range() {
        let live: Vec<_> = PeeringStatus::ALL
            .into_iter()
            .filter(|s| s.is_live())
            .collect();
        assert_eq!(live, [PendingAcceptance, Active, Deleting]);
        let work: Vec<_> = PeeringStatus::ALL
            .into_iter()
            .filter(|s| s.needs_agent())
            .collect();
        assert_eq!(work, [PendingAcceptance, Deleting]);
        for s in PeeringStatus::ALL {
            assert_eq!(PeeringStatus::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }

    #[test]
    fn reports_become_events() {
        let report = |outcome, reason: Option<&str>| NetworkReport {
            deployment_id: "d".into(),
            seq: 1,
            kind: crate::api::NetworkKind::Peering,
            id: "p".into(),
            outcome,
            endpoint_domain: None,
            endpoint_ip: None,
            reason: reason.map(str::to_owned),
        };
        let now = at("2026-06-09T00:00:00Z");
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Active, None), now),
            Ok(Event::Accepted)
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Failed, Some(" rejected ")), now),
            Ok(failed("rejected"))
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Failed, None), now)
                .unwrap_err()
                .code(),
            "reason_missing"
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Expired, None), now),
            Ok(Event::Expire { now })
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Removed, None), now),
            Ok(Event::Removed)
        );
        assert_eq!(
            event_from_report(&report(NetworkOutcome::Running, None), now)
                .unwrap_err()
                .code(),
            "outcome_not_allowed"
        );
    }
}
