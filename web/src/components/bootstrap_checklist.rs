//! What the bootstrap machine needs (the same list `byoc preflight` checks), as a checklist.

use byoc_core::bootstrap::requirements;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn BootstrapChecklist() -> impl IntoView {
    let i18n = use_i18n();
    let items = requirements();
    view! {
        <ul class="bc-checklist" data-testid="bootstrap-checklist">
            {move || {
                let lang = i18n.lang.get();
                items.iter().map(|item| view! { <li>{item.get(lang)}</li> }).collect_view()
            }}
        </ul>
        <p class="bc-hint">
            {move || i18n.t(Msg::BootstrapPreflightHint)}" "
            <code>
                "./byoc preflight --endpoint https://… --cert cert.pem --cert-key key.pem"
            </code>
        </p>
    }
}
