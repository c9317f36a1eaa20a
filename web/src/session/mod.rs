//! Who is signed in, shared through context. Every area but sign-in needs a session
//! ([`guard::RequireSession`]); any answer saying the session is gone flips the state to
//! signed out, which sends the user to sign in and then back.

pub mod guard;

use byoc_core::access::{can, Action, OrgRole, ProjectRole};
use byoc_core::api::Me;
use leptos::prelude::*;

use crate::api::{self, ApiError};

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Asking the server (at start).
    Checking,
    SignedIn(Me),
    SignedOut,
    /// The server could not be asked; the guard offers a retry.
    Failed(ApiError),
}

#[derive(Clone, Copy, Debug)]
pub struct Session {
    pub state: RwSignal<SessionState>,
}

impl Session {
    pub fn new(state: SessionState) -> Self {
        Session {
            state: RwSignal::new(state),
        }
    }

    /// The app's session: provided as context, told by the API client when the session is lost,
    /// and asked for at once.
    pub fn provide() -> Self {
        let session = Session::new(SessionState::Checking);
        provide_context(session);
        api::on_session_lost(move || session.set_signed_out());
        session.refetch();
        session
    }

    /// Asks the server again who is signed in (after a change to one's roles, say). While
    /// signed in, a failure to ask keeps the current state: only a 401 ends the session.
    pub fn refetch(&self) {
        let state = self.state;
        leptos::task::spawn_local(async move {
            let next = match api::session::me().await {
                Ok(me) => Some(SessionState::SignedIn(me)),
                Err(e) if e.is_session_lost() => Some(SessionState::SignedOut),
                Err(e) => match state.try_get_untracked() {
                    Some(SessionState::SignedIn(_)) | None => None,
                    Some(_) => Some(SessionState::Failed(e)),
                },
            };
            // Only a real change notifies: pages that read the session must not re-render (and
            // lose what the user typed) because the same answer came back.
            if let Some(next) = next {
                if state.try_with_untracked(|s| *s != next).unwrap_or(false) {
                    state.set(next);
                }
            }
        });
    }

    pub fn set_signed_in(&self, me: Me) {
        self.state.set(SessionState::SignedIn(me));
    }

    pub fn set_signed_out(&self) {
        self.state.set(SessionState::SignedOut);
    }

    /// The signed-in user (reactive).
    pub fn me(&self) -> Option<Me> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// The signed-in user, read once (for a page that renders only with a session).
    pub fn me_untracked(&self) -> Option<Me> {
        self.state.with_untracked(|s| match s {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    pub fn is_signed_in(&self) -> bool {
        self.state.with(|s| matches!(s, SessionState::SignedIn(_)))
    }

    pub fn org_role(&self) -> Option<OrgRole> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.user.org_role),
            _ => None,
        })
    }

    /// The signed-in user's role in a project, from the session's memberships (reactive);
    /// `None` when they are not a member (an owner still may do everything).
    pub fn project_role(&self, project_id: &str) -> Option<ProjectRole> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => me
                .projects
                .iter()
                .find(|m| m.project_id == project_id)
                .map(|m| m.role),
            _ => None,
        })
    }

    /// Whether the signed-in user may do `action` in the project `project_id`.
    pub fn can_in(&self, project_id: &str, action: Action) -> bool {
        self.can(self.project_role(project_id), action)
    }

    /// Whether the signed-in user may do `action` with `project_role` in the project concerned
    /// (`core`'s table, the one the server enforces). Signed out: nothing.
    pub fn can(&self, project_role: Option<ProjectRole>, action: Action) -> bool {
        self.org_role()
            .is_some_and(|org| can(org, project_role, action))
    }
}

/// The app's session; rendered in isolation (component tests), a signed-out one.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| {
        let session = Session::new(SessionState::SignedOut);
        provide_context(session);
        session
    })
}
