//! The header's menu on a narrow screen: a disclosure button that shows and hides the panel it
//! controls (the navigation and the switches). On a wide screen the button is hidden and the
//! panel always shown, laid out in the header itself (styles/shell.css).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn HeaderMenu(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    // Escape closes the open menu and puts focus back on its button, as for any disclosure.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    // Choosing a link (the current page's too) closes the menu.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .is_some();
        if on_link {
            open.set(false);
        }
    };

    view! {
        <button
            class="bc-header__menu-button"
            type="button"
            node_ref=button
            data-testid="nav-toggle"
            aria-expanded=move || open.get().to_string()
            aria-controls="nav-panel"
            on:click=move |_| open.update(|o| *o = !*o)
            on:keydown=on_keydown
        >
            <span aria-hidden="true">"☰ "</span>
            {move || i18n.t(Msg::Menu)}
        </button>
        <div
            class="bc-header__panel"
            class:bc-header__panel--open=move || open.get()
            id="nav-panel"
            data-testid="nav-panel"
            on:keydown=on_keydown
            on:click=on_click
        >
            {children()}
        </div>
    }
}
