//! Keeps pages that need a session behind sign-in.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use super::{use_session, SessionState};
use crate::components::error_view::ApiErrorView;
use crate::i18n::{use_i18n, Msg};
use crate::routes::Route;

/// What the guard shows; a memo of it re-renders the page only when this changes, not on every
/// refresh of the user's details.
#[derive(Clone, Debug, PartialEq)]
enum Gate {
    Wait,
    Open,
    Closed,
    Failed(crate::api::ApiError),
}

/// Renders `children` only with a session. Without one, sends the user to sign in, remembering
/// the page (path and query) to return to.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let gate = Memo::new(move |_| match session.state.get() {
        SessionState::Checking => Gate::Wait,
        SessionState::SignedIn(_) => Gate::Open,
        SessionState::SignedOut => Gate::Closed,
        SessionState::Failed(e) => Gate::Failed(e),
    });
    // A session can expire while the console stays open: entering a page asks again, so an
    // expired one is noticed even on pages that only read public data.
    if gate.get_untracked() == Gate::Open {
        session.refetch();
    }
    Effect::new(move |_| {
        if gate.get() == Gate::Closed {
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                location.pathname.get_untracked()
            } else {
                format!("{}?{search}", location.pathname.get_untracked())
            };
            navigate(
                &Route::sign_in_then(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || match gate.get() {
        Gate::Open => children().into_any(),
        Gate::Failed(error) => {
            view! { <ApiErrorView error=error on_retry=move |()| session.refetch() /> }.into_any()
        }
        Gate::Wait | Gate::Closed => view! {
            <p class="bc-loading" role="status">
                {move || i18n.t(Msg::Loading)}
            </p>
        }
        .into_any(),
    }
}
