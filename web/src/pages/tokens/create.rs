//! Creating an API token: a name and how many days it lives, checked by `core`'s rules.

use byoc_core::access::{TokenExpiry, TokenName};
use byoc_core::api::TokenField;
use byoc_core::api::{CreateTokenRequest, CreatedToken};
use leptos::prelude::*;

use crate::api::idempotency::SubmissionKey;
use crate::api::{self, ApiError};
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn CreateTokenForm(#[prop(into)] on_created: Callback<CreatedToken>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(TokenExpiry::DEFAULT_DAYS.to_string());
    let attempted = RwSignal::new(false);
    let key = SubmissionKey::<CreateTokenRequest>::new();
    let action = Action::new_local(|(request, key): &(CreateTokenRequest, String)| {
        let (request, key) = (request.clone(), key.clone());
        async move { api::tokens::create(&request, &key).await }
    });
    let pending = action.pending();
    let failed = move || action.value().get().and_then(Result::err);

    let parse_days = move |text: &str| {
        text.trim()
            .parse::<u32>()
            .ok()
            .and_then(|d| TokenExpiry::days(d).ok())
    };
    let name_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        let typed = name.get();
        if typed.is_empty() && !attempted.get() {
            return None;
        }
        match TokenName::parse(&typed) {
            Err(e) => Some(e.message(lang)),
            Ok(_) => {
                failed().and_then(|e| e.field_error(TokenField::Name).map(|f| f.message.clone()))
            }
        }
    });
    let days_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        match parse_days(&days.get()) {
            None => Some(byoc_core::access::ValidationError::TokenExpiry.message(lang)),
            Some(_) => failed().and_then(|e| {
                e.field_error(TokenField::ExpiresInDays)
                    .map(|f| f.message.clone())
            }),
        }
    });
    let other_error = move || {
        failed()
            .filter(|e: &ApiError| {
                e.field_error(TokenField::Name).is_none()
                    && e.field_error(TokenField::ExpiresInDays).is_none()
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
        if let Some(Ok(created)) = action.value().get() {
            key.done();
            attempted.set(false);
            name.set(String::new());
            days.set(TokenExpiry::DEFAULT_DAYS.to_string());
            on_created.run(created);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        if pending.get_untracked() {
            return;
        }
        let Ok(token_name) = TokenName::parse(&name.get_untracked()) else {
            return;
        };
        let Some(expiry) = parse_days(&days.get_untracked()) else {
            return;
        };
        let request = CreateTokenRequest {
            name: token_name.as_str().to_owned(),
            expires_in_days: Some(expiry.in_days()),
        };
        let idempotency_key = key.for_request(&request);
        action.dispatch_local((request, idempotency_key));
    };

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="create-token-form">
            <div class="bc-form-row">
                <TextField
                    id="token-name"
                    label=Msg::TokenName
                    value=name
                    error=name_error
                    required=true
                />
                <TextField
                    id="token-days"
                    label=Msg::TokenDays
                    value=days
                    error=days_error
                    input_type="number"
                    hint=Msg::TokenDaysHint
                />
            </div>
            {other_error}
            <button
                class="bc-button bc-button--primary"
                type="submit"
                data-testid="create-token-submit"
                disabled=move || pending.get()
            >
                {move || i18n.t(Msg::CreateToken)}
            </button>
        </form>
    }
}
