//! An owner setting a new password for another user (who then signs in with it).

use byoc_core::access::validate_password;
use byoc_core::api::UserField;
use byoc_core::api::{UpdateUserRequest, User};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::text_field::TextField;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
pub fn ResetPasswordDialog(
    /// The user whose password is reset; `None` keeps the dialog closed.
    target: RwSignal<Option<User>>,
    #[prop(into)] on_done: Callback<User>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = Signal::derive(move || target.with(Option::is_some));
    let title = Signal::derive(move || {
        let name = target.with(|t| t.as_ref().map(|u| u.username.clone()).unwrap_or_default());
        fill(i18n.t(Msg::ResetPasswordOf), &[("name", &name)])
    });
    view! {
        <Dialog id="reset-password" open=open title=title on_close=move |()| target.set(None)>
            {move || {
                target
                    .get()
                    .map(|user| view! { <ResetForm user=user target=target on_done=on_done /> })
            }}
        </Dialog>
    }
}

#[component]
fn ResetForm(user: User, target: RwSignal<Option<User>>, on_done: Callback<User>) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let action = Action::new_local(|(user, password): &(User, String)| {
        let (user, request) = (
            user.clone(),
            UpdateUserRequest {
                org_role: None,
                password: Some(password.clone()),
            },
        );
        async move { api::users::update(&user.id, user.version, &request).await }
    });
    let pending = action.pending();
    let username = user.username.clone();
    let error = Signal::derive(move || {
        let lang = i18n.lang.get();
        let typed = password.get();
        if typed.is_empty() && !attempted.get() {
            return None;
        }
        match validate_password(&typed, &username) {
            Err(e) => Some(e.message(lang)),
            Ok(()) => action.value().get().and_then(Result::err).and_then(|e| {
                e.field_error(UserField::Password)
                    .map(|f| f.message.clone())
            }),
        }
    });
    let other_error = move || {
        let lang = i18n.lang.get();
        action
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| match e {
                ApiError::PreconditionFailed { .. } => Some(Msg::UserChangedMeanwhile.text(lang)),
                e if e.field_error(UserField::Password).is_some() => None,
                e => Some(e.message().text(lang)),
            })
            .map(|text| {
                view! {
                    <p class="bc-alert bc-alert--error" role="alert">
                        {text}
                    </p>
                }
            })
    };
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            target.set(None);
            on_done.run(saved);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let secret = password.get_untracked();
        if error.get_untracked().is_none() && !pending.get_untracked() {
            action.dispatch_local((user.clone(), secret));
        }
    };
    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="reset-password-form">
            <TextField
                id="reset-password-input"
                label=Msg::NewPassword
                value=password
                error=error
                input_type="password"
                autocomplete="new-password"
                hint=Msg::PasswordRule
            />
            {other_error}
            <div class="bc-dialog__actions">
                <button class="bc-button" type="button" on:click=move |_| target.set(None)>
                    {move || i18n.t(Msg::Cancel)}
                </button>
                <button
                    class="bc-button bc-button--primary"
                    type="submit"
                    data-testid="reset-password-submit"
                    disabled=move || pending.get()
                >
                    {move || i18n.t(Msg::ResetPassword)}
                </button>
            </div>
        </form>
    }
}
