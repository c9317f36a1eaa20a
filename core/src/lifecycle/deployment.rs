//! The deployment lifecycle (SPEC §7).
//!
//! ```text
//! waiting_for_deployment ─register→ deploying ─complete→ running ─stop→ stopping ─complete→ stopped
//!          │ cancel                                     running ←complete─ starting ←start─┘
//!          ↓                                            running ─delete→ deleting ─complete→ deleted
//!       deleted          any transitional state ─fail→ failed(operation, phase, reason) ─retry→ again
//! ```
//! The control plane never touches the cloud itself: each operation waits for the customer's
//! toolkit (`byoc create|stop|start|delete`), which reports progress and the outcome.

use crate::api::ProblemCode;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// An operation the toolkit carries out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Create,
    Stop,
    Start,
    Delete,
}

impl Operation {
    pub fn code(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Stop => "stop",
            Operation::Start => "start",
            Operation::Delete => "delete",
        }
    }

    /// The phases the toolkit reports, in order.
    pub fn phases(self) -> &'static [&'static str] {
        match self {
            Operation::Create => &[
                "preflight",
                "network",
                "image",
                "compute",
                "load_balancer",
                "dns",
                "cluster",
                "register",
            ],
            Operation::Stop => &["preflight", "cluster", "compute"],
            Operation::Start => &["preflight", "compute", "cluster"],
            Operation::Delete => &[
                "preflight",
                "cluster",
                "dns",
                "load_balancer",
                "compute",
                "image",
                "network",
            ],
        }
    }

    /// The state an operation waits in while the toolkit works.
    fn in_progress(self, agent_started: bool) -> Status {
        match self {
            Operation::Create if agent_started => Status::Deploying,
            Operation::Create => Status::WaitingForDeployment,
            Operation::Stop => Status::Stopping,
            Operation::Start => Status::Starting,
            Operation::Delete => Status::Deleting,
        }
    }

    fn done(self) -> Status {
        match self {
            Operation::Create | Operation::Start => Status::Running,
            Operation::Stop => Status::Stopped,
            Operation::Delete => Status::Deleted,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    WaitingForDeployment,
    Deploying,
    Running,
    Stopping,
    Stopped,
    Starting,
    Deleting,
    Deleted,
    Failed,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::WaitingForDeployment,
        Status::Deploying,
        Status::Running,
        Status::Stopping,
        Status::Stopped,
        Status::Starting,
        Status::Deleting,
        Status::Deleted,
        Status::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::WaitingForDeployment => "waiting_for_deployment",
            Status::Deploying => "deploying",
            Status::Running => "running",
            Status::Stopping => "stopping",
            Status::Stopped => "stopped",
            Status::Starting => "starting",
            Status::Deleting => "deleting",
            Status::Deleted => "deleted",
            Status::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a deployment in this state counts against the licence: everything that exists
    /// or is on its way, except a stopped one (its nodes are off) and a deleted one.
    pub fn holds_licence(self) -> bool {
        !matches!(self, Status::Stopped | Status::Deleted)
    }

    /// Whether the toolkit is (or may be) at work: an operation is under way or waiting for it.
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            Status::WaitingForDeployment
                | Status::Deploying
                | Status::Stopping
                | Status::Starting
                | Status::Deleting
        )
    }
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::Create,
        Operation::Stop,
        Operation::Start,
        Operation::Delete,
    ];

    pub fn parse(code: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// How one phase of the operation stands, for the console's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseState {
    Done,
    Active,
    Failed,
    Pending,
}

/// Where a deployment stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    /// The operation under way, or the one that failed.
    pub operation: Option<Operation>,
    pub phase: Option<String>,
    pub percent: u8,
    pub reason: Option<String>,
}

/// What the user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Stop,
    Start,
    Delete,
    Cancel,
    Retry,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Stop => "stop",
            Action::Start => "start",
            Action::Delete => "delete",
            Action::Cancel => "cancel",
            Action::Retry => "retry",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    User(Action),
    /// The toolkit registered for an operation with its bootstrap key.
    AgentStarted(Operation),
    Progress {
        phase: String,
        percent: u8,
    },
    Completed,
    Failed {
        phase: String,
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "a deployment that is {status:?} cannot {what}; allowed now: {}",
        super::list_actions(allowed, Action::code)
    )]
    NotAllowed {
        status: Status,
        what: String,
        allowed: Vec<Action>,
    },
    #[error("phase \"{phase}\" is not a step of {operation:?}")]
    UnknownPhase { operation: Operation, phase: String },
    #[error("progress cannot go backwards (from {from}% to {to}%)")]
    ProgressBackwards { from: u8, to: u8 },
    #[error("percent must be 0 to 100, not {0}")]
    PercentOutOfRange(u8),
}

impl TransitionError {
    pub fn code(&self) -> ProblemCode {
        match self {
            TransitionError::NotAllowed { .. } => ProblemCode::ActionNotAllowed,
            TransitionError::UnknownPhase { .. } => ProblemCode::UnknownPhase,
            TransitionError::ProgressBackwards { .. } => ProblemCode::ProgressBackwards,
            TransitionError::PercentOutOfRange(_) => ProblemCode::PercentOutOfRange,
        }
    }

    /// The error in `lang`, a clause like the English `Display`.
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
                "状态为 {} 的部署不能执行 {what}；当前可执行：{}",
                status.code(),
                if allowed.is_empty() {
                    "无".to_owned()
                } else {
                    super::list_actions(allowed, Action::code)
                }
            ),
            TransitionError::UnknownPhase { operation, phase } => {
                format!("阶段 \"{phase}\" 不是 {} 操作的步骤", operation.code())
            }
            TransitionError::ProgressBackwards { from, to } => {
                format!("进度不能倒退（从 {from}% 到 {to}%）")
            }
            TransitionError::PercentOutOfRange(p) => {
                format!("百分比必须在 0 到 100 之间，而不是 {p}")
            }
        }
    }
}

impl State {
    /// A deployment just created: waiting for the customer to run `byoc create`.
    pub fn new() -> Self {
        State {
            status: Status::WaitingForDeployment,
            operation: Some(Operation::Create),
            phase: None,
            percent: 0,
            reason: None,
        }
    }

    fn waiting(operation: Operation, agent_started: bool) -> Self {
        State {
            status: operation.in_progress(agent_started),
            operation: Some(operation),
            phase: None,
            percent: 0,
            reason: None,
        }
    }

    fn settled(status: Status) -> Self {
        State {
            status,
            operation: None,
            phase: None,
            percent: 100,
            reason: None,
        }
    }

    /// What the user may do now (SPEC §7).
    pub fn allowed_actions(&self) -> Vec<Action> {
        match self.status {
            Status::Running => vec![Action::Stop, Action::Delete],
            Status::Stopped => vec![Action::Start, Action::Delete],
            Status::WaitingForDeployment => vec![Action::Cancel],
            Status::Failed => vec![Action::Retry, Action::Delete],
            Status::Deploying
            | Status::Stopping
            | Status::Starting
            | Status::Deleting
            | Status::Deleted => vec![],
        }
    }

    /// Whether the toolkit is (or may be) at work.
    pub fn is_transitional(&self) -> bool {
        self.status.is_transitional()
    }

    /// The operation a toolkit may register for now.
    pub fn awaited_operation(&self) -> Option<Operation> {
        if self.is_transitional() {
            self.operation
        } else {
            None
        }
    }

    /// Every phase of the operation under way (or failed) and how it stands: those before the
    /// reported phase are done, the reported one is active (or failed), the rest pending. A
    /// settled deployment has no timeline.
    pub fn timeline(&self) -> Vec<(&'static str, PhaseState)> {
        let Some(op) = self.operation else {
            return Vec::new();
        };
        let current = self
            .phase
            .as_deref()
            .and_then(|p| op.phases().iter().position(|q| *q == p));
        op.phases()
            .iter()
            .enumerate()
            .map(|(i, phase)| {
                let state = match current {
                    Some(c) if i < c => PhaseState::Done,
                    Some(c) if i == c && self.status == Status::Failed => PhaseState::Failed,
                    Some(c) if i == c => PhaseState::Active,
                    _ => PhaseState::Pending,
                };
                (*phase, state)
            })
            .collect()
    }

    fn refuse(&self, what: &str) -> TransitionError {
        TransitionError::NotAllowed {
            status: self.status,
            what: what.to_owned(),
            allowed: self.allowed_actions(),
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

/// The one place deployment states change.
pub fn apply(state: &State, event: &Event) -> Result<State, TransitionError> {
    match event {
        Event::User(action) => {
            if !state.allowed_actions().contains(action) {
                return Err(state.refuse(action.code()));
            }
            Ok(match action {
                Action::Stop => State::waiting(Operation::Stop, false),
                Action::Start => State::waiting(Operation::Start, false),
                Action::Delete => State::waiting(Operation::Delete, false),
                // Nothing was built yet, so there is nothing to tear down.
                Action::Cancel => State::settled(Status::Deleted),
                Action::Retry => {
                    State::waiting(state.operation.unwrap_or(Operation::Create), false)
                }
            })
        }
        Event::AgentStarted(operation) => {
            if state.awaited_operation() != Some(*operation) {
                return Err(state.refuse(&format!("start the {} toolkit run", operation.code())));
            }
            Ok(State::waiting(*operation, true))
        }
        Event::Progress { phase, percent } => {
            let operation = state
                .awaited_operation()
                .filter(|_| state.status != Status::WaitingForDeployment)
                .ok_or_else(|| state.refuse("report progress"))?;
            if *percent > 100 {
                return Err(TransitionError::PercentOutOfRange(*percent));
            }
            if !operation.phases().contains(&phase.as_str()) {
                return Err(TransitionError::UnknownPhase {
                    operation,
                    phase: phase.clone(),
                });
            }
            if *percent < state.percent {
                return Err(TransitionError::ProgressBackwards {
                    from: state.percent,
                    to: *percent,
                });
            }
            Ok(State {
                phase: Some(phase.clone()),
                percent: *percent,
                ..state.clone()
            })
        }
        Event::Completed => {
            let operation = state
                .awaited_operation()
                .filter(|_| state.status != Status::WaitingForDeployment)
                .ok_or_else(|| state.refuse("complete"))?;
            Ok(State::settled(operation.done()))
        }
        Event::Failed { phase, reason } => {
            let operation = state
                .awaited_operation()
                .ok_or_else(|| state.refuse("fail"))?;
            if !operation.phases().contains(&phase.as_str()) {
                return Err(TransitionError::UnknownPhase {
                    operation,
                    phase: phase.clone(),
                });
            }
            Ok(State {
                status: Status::Failed,
                operation: Some(operation),
                phase: Some(phase.clone()),
                percent: state.percent,
                reason: Some(reason.clone()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn run(events: &[Event]) -> Result<State, TransitionError> {
        events.iter().try_fold(State::new(), |s, e| apply(&s, e))
    }

    fn progress(phase: &str, percent: u8) -> Event {
        Event::Progress {
            phase: phase.into(),
            percent,
        }
    }

    fn created() -> Vec<Event> {
        vec![
            Event::AgentStarted(Operation::Create),
            progress("preflight", 5),
            progress("register", 95),
            Event::Completed,
        ]
    }

    fn status_after(events: &[Event]) -> Status {
        run(events).unwrap().status
    }

    #[test]
    fn a_create_walks_from_waiting_to_running() {
        let s = run(&[Event::AgentStarted(Operation::Create)]).unwrap();
        assert_eq!(s.status, Status::Deploying);
        let s = apply(&s, &progress("network", 20)).unwrap();
        assert_eq!((s.phase.as_deref(), s.percent), (Some("network"), 20));
        assert_eq!(status_after(&created()), Status::Running);
    }

    #[test]
    fn stop_start_and_delete_each_wait_for_the_toolkit() {
        let mut events = created();
        events.push(Event::User(Stop));
        assert_eq!(status_after(&events), Status::Stopping);
        events.extend([
            Event::AgentStarted(Operation::Stop),
            progress("compute", 60),
            Event::Completed,
        ]);
        assert_eq!(status_after(&events), Status::Stopped);
        events.extend([
            Event::User(Start),
            Event::AgentStarted(Operation::Start),
            Event::Completed,
        ]);
        assert_eq!(status_after(&events), Status::Running);
        events.extend([
            Event::User(Delete),
            Event::AgentStarted(Operation::Delete),
            Event::Completed,
        ]);
        assert_eq!(status_after(&events), Status::Deleted);
    }

    #[test]
    fn allowed_actions_per_state_follow_the_spec() {
        let table = [
            (Status::WaitingForDeployment, vec![Cancel]),
            (Status::Deploying, vec![]),
            (Status::Running, vec![Stop, Delete]),
            (Status::Stopping, vec![]),
            (Status::Stopped, vec![Start, Delete]),
            (Status::Starting, vec![]),
            (Status::Deleting, vec![]),
            (Status::Deleted, vec![]),
            (Status::Failed, vec![Retry, Delete]),
        ];
        for (status, allowed) in table {
            let s = State {
                status,
                operation: Some(Operation::Create),
                phase: None,
                percent: 0,
                reason: None,
            };
            assert_eq!(s.allowed_actions(), allowed, "{status:?}");
        }
    }

    #[test]
    fn every_refused_user_action_names_what_is_allowed() {
        let all = [Stop, Start, Delete, Cancel, Retry];
        for status in [
            Status::WaitingForDeployment,
            Status::Deploying,
            Status::Running,
            Status::Stopping,
            Status::Stopped,
            Status::Starting,
            Status::Deleting,
            Status::Deleted,
            Status::Failed,
        ] {
            let s = State {
                status,
                operation: Some(Operation::Create),
                phase: None,
                percent: 0,
                reason: None,
            };
            for action in all {
                let result = apply(&s, &Event::User(action));
                if s.allowed_actions().contains(&action) {
                    assert!(result.is_ok(), "{status:?} {action:?}");
                } else {
                    let err = result.unwrap_err();
                    assert_eq!(err.code(), ProblemCode::ActionNotAllowed);
                    assert!(
                        matches!(&err, TransitionError::NotAllowed { allowed, .. } if *allowed == s.allowed_actions())
                    );
                }
            }
        }
        let err = run(&[Event::User(Stop)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a deployment that is WaitingForDeployment cannot stop; allowed now: cancel"
        );
    }

    #[test]
    fn cancelling_a_waiting_deployment_deletes_it_at_once() {
        assert_eq!(status_after(&[Event::User(Cancel)]), Status::Deleted);
    }

    #[test]
    fn a_failure_keeps_operation_and_phase_and_can_be_retried_or_deleted() {
        let s = run(&[
            Event::AgentStarted(Operation::Create),
            progress("network", 15),
            Event::Failed {
                phase: "network".into(),
                reason: "quota exceeded".into(),
            },
        ])
        .unwrap();
        assert_eq!(s.status, Status::Failed);
        assert_eq!(
            (s.operation, s.phase.as_deref(), s.reason.as_deref()),
            (
                Some(Operation::Create),
                Some("network"),
                Some("quota exceeded")
            )
        );
        let retried = apply(&s, &Event::User(Retry)).unwrap();
        assert_eq!(
            (retried.status, retried.percent),
            (Status::WaitingForDeployment, 0)
        );
        assert_eq!(
            apply(&s, &Event::User(Delete)).unwrap().status,
            Status::Deleting
        );

        // A failed stop is retried as a stop.
        let mut events = created();
        events.extend([
            Event::User(Stop),
            Event::AgentStarted(Operation::Stop),
            Event::Failed {
                phase: "compute".into(),
                reason: "x".into(),
            },
            Event::User(Retry),
        ]);
        assert_eq!(status_after(&events), Status::Stopping);
    }

    #[test]
    fn agent_messages_out_of_order_are_refused() {
        // Progress before the toolkit registered, for another operation, or after it finished.
        assert!(run(&[progress("network", 10)]).is_err());
        assert!(run(&[Event::Completed]).is_err());
        assert!(run(&[Event::AgentStarted(Operation::Stop)]).is_err());
        let mut done = created();
        done.push(progress("register", 100));
        assert!(run(&done).is_err());
        let mut twice = created();
        twice.push(Event::Completed);
        assert!(run(&twice).is_err());
    }

    #[test]
    fn progress_must_name_a_phase_of_the_operation_and_never_go_back() {
        let started = [Event::AgentStarted(Operation::Create)];
        let s = run(&started).unwrap();
        assert_eq!(
            apply(&s, &progress("warp", 10)).unwrap_err().code(),
            ProblemCode::UnknownPhase
        );
        assert_eq!(
            apply(&s, &progress("network", 101)).unwrap_err().code(),
            ProblemCode::PercentOutOfRange
        );
        let s = apply(&s, &progress("network", 40)).unwrap();
        assert_eq!(
            apply(&s, &progress("image", 30)).unwrap_err().code(),
            ProblemCode::ProgressBackwards
        );
        assert!(
            apply(&s, &progress("image", 40)).is_ok(),
            "a repeated percent is fine"
        );
    }

    #[test]
    fn status_and_operation_codes_read_back() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
        for o in Operation::ALL {
            assert_eq!(Operation::parse(o.code()), Some(o));
        }
        assert_eq!(Status::parse("gone"), None);
        assert!(Status::Running.holds_licence() && Status::Failed.holds_licence());
        assert!(!Status::Stopped.holds_licence() && !Status::Deleted.holds_licence());
    }

    #[test]
    fn the_timeline_marks_done_active_failed_and_pending_phases() {
        let s = run(&[
            Event::AgentStarted(Operation::Create),
            progress("image", 30),
        ])
        .unwrap();
        let t = s.timeline();
        assert_eq!(t.len(), 8);
        assert_eq!(t[0], ("preflight", PhaseState::Done));
        assert_eq!(t[1], ("network", PhaseState::Done));
        assert_eq!(t[2], ("image", PhaseState::Active));
        assert_eq!(t[3], ("compute", PhaseState::Pending));
        let failed = apply(
            &s,
            &Event::Failed {
                phase: "image".into(),
                reason: "quota".into(),
            },
        )
        .unwrap();
        assert_eq!(failed.timeline()[2], ("image", PhaseState::Failed));
        assert!(run(&created()).unwrap().timeline().is_empty());
        let waiting = State::new().timeline();
        assert!(waiting.iter().all(|(_, st)| *st == PhaseState::Pending));
    }

    #[test]
    fn create_phases_are_the_specs() {
        assert_eq!(
            Operation::Create.phases(),
            [
                "preflight",
                "network",
                "image",
                "compute",
                "load_balancer",
                "dns",
                "cluster",
                "register"
            ]
        );
    }
}
