use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Msg::NotFoundBody)}</p>
        </section>
    }
}
