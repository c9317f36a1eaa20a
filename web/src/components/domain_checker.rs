//! Checks the domain the broker will be reached at, as the user types.

use byoc_core::catalog::Cloud;
use byoc_core::domain::check_domain;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn DomainChecker(#[prop(into)] cloud: Signal<Cloud>) -> impl IntoView {
    let i18n = use_i18n();
    let value = RwSignal::new(String::new());
    let result = Memo::new(move |_| {
        let v = value.get();
        (!v.trim().is_empty()).then(|| check_domain(&v, cloud.get()))
    });
    let invalid = move || matches!(result.get(), Some(Err(_))).to_string();
    let outcome = move || {
        let lang = i18n.lang.get();
        result.get().map(|r| match r {
            Ok(check) => view! {
                <p class="bc-field__ok" data-testid="domain-ok">
                    {i18n.t(Msg::DomainValid)}
                    " "
                    <code>{check.domain.as_str().to_owned()}</code>
                </p>
                {check
                    .icp_filing_required
                    .then(|| {
                        view! {
                            <p class="bc-alert bc-alert--warning" data-testid="domain-icp">
                                {i18n.t(Msg::DomainIcp)}
                            </p>
                        }
                    })}
            }
            .into_any(),
            Err(e) => view! {
                <p
                    class="bc-field__error"
                    id="domain-error"
                    role="alert"
                    data-testid="domain-error"
                >
                    {crate::i18n::errors::domain_error(&e, lang)}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <div class="bc-field">
            <label class="bc-field__label" for="domain-input">
                {move || i18n.t(Msg::DomainLabel)}
            </label>
            <input
                class="bc-input"
                id="domain-input"
                data-testid="domain-input"
                type="text"
                placeholder="mqtt.example.com"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby="domain-error"
            />
            <div aria-live="polite">{outcome}</div>
        </div>
    }
}
