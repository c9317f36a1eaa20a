//! The new token's secret, shown this once: copy it now, it cannot be shown again.

use byoc_core::api::CreatedToken;
use leptos::prelude::*;

use crate::components::copy_download::CopyButton;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
pub fn NewTokenSecret(
    created: CreatedToken,
    #[prop(into)] on_dismiss: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = created.token.name.clone();
    let body = match created.secret {
        Some(secret) => {
            let text = Signal::stored(secret.clone());
            view! {
                <p class="bc-alert__title">
                    {move || fill(i18n.t(Msg::TokenCreated), &[("name", &name)])}
                </p>
                <p>{move || i18n.t(Msg::TokenSecretOnce)}</p>
                <div class="bc-secret">
                    <code class="bc-secret__value" data-testid="token-secret">
                        {secret}
                    </code>
                    <CopyButton text=text testid="token-secret-copy" />
                </div>
            }
            .into_any()
        }
        // A replayed create (same Idempotency-Key) does not repeat the secret.
        None => view! { <p class="bc-alert__title">{move || i18n.t(Msg::TokenSecretGone)}</p> }
            .into_any(),
    };
    view! {
        <section
            class="bc-alert bc-alert--warning bc-token-secret"
            role="alert"
            data-testid="token-created"
        >
            {body}
            <button
                class="bc-button"
                type="button"
                data-testid="token-secret-dismiss"
                on:click=move |_| on_dismiss.run(())
            >
                {move || i18n.t(Msg::TokenSecretSaved)}
            </button>
        </section>
    }
}
