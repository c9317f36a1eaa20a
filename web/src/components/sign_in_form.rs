//! The sign-in form. The request itself is an [`Action`] the page passes in, so the form can be
//! rendered (and tested) with any outcome: a session, wrong credentials or a wait.
//!
//! Errors never say which of username and password was wrong, so the form does not help anyone
//! find out which users exist.

use byoc_core::api::{Me, SignInRequest};
use byoc_core::lang::Lang;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::text_field::TextField;
use crate::i18n::{fill, use_i18n, Msg};

/// The action that signs in; its value is the last outcome.
pub type SignInAction = Action<SignInRequest, Result<Me, ApiError>>;

/// The sentence for a failed sign-in.
pub fn sign_in_error(error: &ApiError, lang: Lang) -> String {
    match error {
        ApiError::Unauthorized(_) => Msg::SignInInvalid.text(lang).to_owned(),
        ApiError::TooManyAttempts {
            retry_after: Some(seconds),
            ..
        } => {
            // The server throttles (at most 30 s), never locks: the wait is in seconds, and
            // "try again in 0 s" would be wrong.
            fill(
                Msg::SignInWait.text(lang),
                &[("seconds", &(*seconds).max(1).to_string())],
            )
        }
        ApiError::TooManyAttempts { .. } => Msg::SignInWaitLater.text(lang).to_owned(),
        other => other.message().text(lang).to_owned(),
    }
}

#[component]
pub fn SignInForm(
    action: SignInAction,
    /// Called once the server accepted the credentials.
    #[prop(into)]
    on_signed_in: Callback<Me>,
) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Empty fields are pointed out only after a first attempt, not while the user is arriving.
    let attempted = RwSignal::new(false);
    let pending = action.pending();

    let required = move |value: RwSignal<String>, msg: Msg| {
        Signal::derive(move || {
            (attempted.get() && value.with(|v| v.trim().is_empty())).then(|| i18n.t(msg).to_owned())
        })
    };
    let username_error = required(username, Msg::SignInUsernameRequired);
    let password_error = required(password, Msg::SignInPasswordRequired);

    Effect::new(move |_| match action.value().get() {
        Some(Ok(me)) => on_signed_in.run(me),
        // A failed password is cleared so the next attempt starts clean.
        Some(Err(_)) => password.set(String::new()),
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        if pending.get_untracked() {
            return;
        }
        let name = username.get_untracked().trim().to_owned();
        let secret = password.get_untracked();
        if name.is_empty() || secret.is_empty() {
            return;
        }
        action.dispatch_local(SignInRequest {
            username: name,
            password: secret,
        });
    };

    let failure =
        move || {
            let lang = i18n.lang.get();
            action
            .value()
            .with(|v| match v {
                Some(Err(e)) => Some(sign_in_error(e, lang)),
                _ => None,
            })
            .map(|text| view! {
                <p class="bc-alert bc-alert--error" role="alert" data-testid="sign-in-error">
                    {text}
                </p>
            })
        };

    view! {
        <form
            class="bc-form bc-sign-in__form"
            on:submit=submit
            novalidate
            data-testid="sign-in-form"
        >
            <TextField
                id="sign-in-username"
                label=Msg::Username
                value=username
                error=username_error
                autocomplete="username"
                required=true
            />
            <TextField
                id="sign-in-password"
                label=Msg::Password
                value=password
                error=password_error
                input_type="password"
                autocomplete="current-password"
                required=true
            />
            {failure}
            <button
                class="bc-button bc-button--primary bc-sign-in__submit"
                type="submit"
                data-testid="sign-in-submit"
                disabled=move || pending.get()
                aria-busy=move || pending.get().to_string()
            >
                {move || i18n.t(if pending.get() { Msg::SigningIn } else { Msg::SignIn })}
            </button>
        </form>
    }
}
