//! Changing one's own password: the current one, the new one twice, checked as typed by the
//! rule the server applies (`core::access::validate_password`), and whether to revoke one's API
//! tokens too (other sessions always end).

use byoc_core::access::validate_password;
use byoc_core::api::ChangePasswordRequest;
use byoc_core::api::PasswordField;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};

/// The form inside the change-password dialog. `on_changed` runs after the server accepted it.
#[component]
pub fn ChangePasswordForm(
    #[prop(into)] username: Signal<String>,
    #[prop(into)] on_changed: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    // Off by default: tokens usually belong to automation that should keep running.
    let revoke_tokens = RwSignal::new(false);
    let attempted = RwSignal::new(false);
    let action = Action::new_local(|request: &ChangePasswordRequest| {
        let request = request.clone();
        async move { api::session::change_password(&request).await }
    });
    let pending = action.pending();

    let server_error = move || action.value().get().and_then(Result::err);
    let current_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        match server_error() {
            Some(ApiError::Unauthorized(_)) => {
                Some(Msg::CurrentPasswordWrong.text(lang).to_owned())
            }
            _ if attempted.get() && current.with(String::is_empty) => {
                Some(Msg::SignInPasswordRequired.text(lang).to_owned())
            }
            _ => None,
        }
    });
    // The rule is checked as soon as something is typed: waiting for submit would hide it.
    let new_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        let typed = new.get();
        if typed.is_empty() && !attempted.get() {
            return None;
        }
        if let Err(e) = validate_password(&typed, &username.get()) {
            return Some(e.message(lang));
        }
        server_error().and_then(|e| {
            e.field_error(PasswordField::NewPassword)
                .map(|f| f.message.clone())
        })
    });
    let repeat_error = Signal::derive(move || {
        let differs =
            repeat.with(|r| !r.is_empty() || attempted.get()) && repeat.get() != new.get();
        differs.then(|| i18n.t(Msg::PasswordsDiffer).to_owned())
    });
    let other_error = move || {
        server_error()
            .filter(|e| {
                !matches!(e, ApiError::Unauthorized(_))
                    && e.field_error(PasswordField::NewPassword).is_none()
            })
            .map(|e| {
                view! {
                    <p class="bc-alert bc-alert--error" role="alert">
                        {move || i18n.t(e.message())}
                    </p>
                }
            })
    };

    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_changed.run(());
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let blocked = pending.get_untracked()
            || current.with_untracked(String::is_empty)
            || new_error.get_untracked().is_some()
            || repeat_error.get_untracked().is_some();
        if !blocked {
            action.dispatch_local(ChangePasswordRequest {
                current_password: current.get_untracked(),
                new_password: new.get_untracked(),
                revoke_tokens: revoke_tokens.get_untracked(),
            });
        }
    };

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="change-password-form">
            <input
                type="text"
                class="bc-visually-hidden"
                autocomplete="username"
                aria-hidden="true"
                tabindex="-1"
                prop:value=move || username.get()
                readonly=true
            />
            <TextField
                id="current-password"
                label=Msg::CurrentPassword
                value=current
                error=current_error
                input_type="password"
                autocomplete="current-password"
            />
            <TextField
                id="new-password"
                label=Msg::NewPassword
                value=new
                error=new_error
                input_type="password"
                autocomplete="new-password"
                hint=Msg::PasswordRule
            />
            <TextField
                id="repeat-password"
                label=Msg::RepeatPassword
                value=repeat
                error=repeat_error
                input_type="password"
                autocomplete="new-password"
            />
            <div class="bc-field">
                <label class="bc-checkbox" for="revoke-tokens">
                    <input
                        type="checkbox"
                        id="revoke-tokens"
                        data-testid="revoke-tokens"
                        aria-describedby="revoke-tokens-hint"
                        prop:checked=move || revoke_tokens.get()
                        on:change=move |ev| revoke_tokens.set(event_target_checked(&ev))
                    />
                    <span>{move || i18n.t(Msg::RevokeTokens)}</span>
                </label>
                <p class="bc-hint bc-field__hint" id="revoke-tokens-hint">
                    {move || i18n.t(Msg::RevokeTokensHint)}
                </p>
            </div>
            {other_error}
            <div class="bc-dialog__actions">
                <button class="bc-button" type="button" on:click=move |_| on_cancel.run(())>
                    {move || i18n.t(Msg::Cancel)}
                </button>
                <button
                    class="bc-button bc-button--primary"
                    type="submit"
                    data-testid="change-password-submit"
                    disabled=move || pending.get()
                >
                    {move || i18n.t(Msg::ChangePassword)}
                </button>
            </div>
        </form>
    }
}
