//! A box whose content may be wider or taller than the screen (a table on a phone, a long
//! document): it scrolls on its own, so the page never scrolls sideways, and it takes keyboard
//! focus with a name, so it can be scrolled without a mouse and a screen reader says what it is.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ScrollRegion(
    /// What it holds, as a screen reader announces it.
    label: Msg,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="bc-table-scroll" tabindex="0" role="region" aria-label=move || i18n.t(label)>
            {children()}
        </div>
    }
}
