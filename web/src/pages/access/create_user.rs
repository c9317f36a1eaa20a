//! Creating a user (owners): username, first password and organisation role, checked as typed
//! by `core`'s rules.

use byoc_core::access::{validate_password, OrgRole, Username};
use byoc_core::api::ProblemCode;
use byoc_core::api::UserField;
use byoc_core::api::{CreateUserRequest, User};
use leptos::prelude::*;

use crate::api;
use crate::api::idempotency::SubmissionKey;
use crate::components::text_field::TextField;
use crate::i18n::{labels, use_i18n, Msg};

/// The server's code for a username already in use.

#[component]
pub fn CreateUserForm(#[prop(into)] on_created: Callback<User>) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(OrgRole::Member);
    let attempted = RwSignal::new(false);
    let key = SubmissionKey::<CreateUserRequest>::new();
    let action = Action::new_local(|(request, key): &(CreateUserRequest, String)| {
        let (request, key) = (request.clone(), key.clone());
        async move { api::users::create(&request, &key).await }
    });
    let pending = action.pending();
    let failed = move || action.value().get().and_then(Result::err);
    let shown = move |value: RwSignal<String>| !value.with(String::is_empty) || attempted.get();

    let username_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        if !shown(username) {
            return None;
        }
        if let Err(e) = Username::parse(username.get().trim()) {
            return Some(e.message(lang));
        }
        match failed() {
            Some(e) if e.code() == Some(ProblemCode::UsernameTaken) => {
                Some(Msg::UsernameTaken.text(lang).to_owned())
            }
            Some(e) => e
                .field_error(UserField::Username)
                .map(|f| f.message.clone()),
            None => None,
        }
    });
    let password_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        if !shown(password) {
            return None;
        }
        match validate_password(&password.get(), username.get().trim()) {
            Err(e) => Some(e.message(lang)),
            Ok(()) => failed().and_then(|e| {
                e.field_error(UserField::Password)
                    .map(|f| f.message.clone())
            }),
        }
    });
    let other_error = move || {
        failed()
            .filter(|e| {
                e.code() != Some(ProblemCode::UsernameTaken)
                    && e.field_error(UserField::Username).is_none()
                    && e.field_error(UserField::Password).is_none()
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
        if let Some(Ok(user)) = action.value().get() {
            key.done();
            attempted.set(false);
            username.set(String::new());
            password.set(String::new());
            role.set(OrgRole::Member);
            on_created.run(user);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let name = username.get_untracked().trim().to_owned();
        let secret = password.get_untracked();
        let valid = Username::parse(&name).is_ok() && validate_password(&secret, &name).is_ok();
        if !valid || pending.get_untracked() {
            return;
        }
        let request = CreateUserRequest {
            username: name,
            password: secret,
            org_role: role.get_untracked(),
        };
        let idempotency_key = key.for_request(&request);
        action.dispatch_local((request, idempotency_key));
    };

    let role_options = [OrgRole::Member, OrgRole::Owner]
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.code() selected=move || role.get() == r>
                    {move || i18n.t(labels::org_role(r))}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="create-user-form">
            <div class="bc-form-row">
                <TextField
                    id="new-user-username"
                    label=Msg::Username
                    value=username
                    error=username_error
                    required=true
                    hint=Msg::UsernameRule
                />
                <TextField
                    id="new-user-password"
                    label=Msg::InitialPassword
                    value=password
                    error=password_error
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    hint=Msg::PasswordRule
                />
                <div class="bc-field">
                    <label class="bc-field__label" for="new-user-role">
                        {move || i18n.t(Msg::OrgRole)}
                    </label>
                    <select
                        class="bc-select"
                        id="new-user-role"
                        data-testid="new-user-role"
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse() {
                                role.set(r);
                            }
                        }
                    >
                        {role_options}
                    </select>
                </div>
            </div>
            {other_error}
            <button
                class="bc-button bc-button--primary"
                type="submit"
                data-testid="create-user-submit"
                disabled=move || pending.get()
            >
                {move || i18n.t(Msg::CreateUser)}
            </button>
        </form>
    }
}
