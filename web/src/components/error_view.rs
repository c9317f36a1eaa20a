//! How a failed API call looks on a page: the sentence for the kind of failure, the server's own
//! detail when it sent one, the request id to quote, and a retry button.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ApiErrorView(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.message();
    let detail = error.problem().and_then(|p| p.detail.clone());
    let request_id = error.problem().and_then(|p| p.request_id.clone());
    view! {
        <div class="bc-alert bc-alert--error" role="alert">
            <p class="bc-alert__title">{move || i18n.t(message)}</p>
            {detail.map(|d| view! { <p class="bc-alert__detail">{d}</p> })}
            {request_id
                .map(|id| {
                    view! {
                        <p class="bc-alert__meta">
                            {move || i18n.t(Msg::RequestId)}": "<code>{id.clone()}</code>
                        </p>
                    }
                })}
            <button class="bc-button" type="button" on:click=move |_| on_retry.run(())>
                {move || i18n.t(Msg::Retry)}
            </button>
        </div>
    }
}
