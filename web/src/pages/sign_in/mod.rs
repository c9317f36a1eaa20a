//! The sign-in page: the form, then back to where the user was going (`?next=`).

use byoc_core::api::SignInRequest;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::sign_in_form::SignInForm;
use crate::i18n::{use_i18n, Msg};
use crate::routes::{safe_return_path, Route};
use crate::session::use_session;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let action = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::session::sign_in(&request).await }
    });

    // Signed in (just now, or already when arriving): go on to the page asked for.
    Effect::new(move |_| {
        if session.is_signed_in() {
            let next = query.with_untracked(|q| {
                safe_return_path(q.get_str("next"))
                    .map(str::to_owned)
                    .unwrap_or_else(|| Route::home().path())
            });
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    view! {
        <section class="bc-page bc-sign-in">
            <div class="bc-card bc-sign-in__card">
                <h1 class="bc-page__title">{move || i18n.t(Msg::SignInTitle)}</h1>
                <p class="bc-hint">{move || i18n.t(Msg::SignInIntro)}</p>
                <SignInForm action=action on_signed_in=move |me| session.set_signed_in(me) />
            </div>
        </section>
    }
}
