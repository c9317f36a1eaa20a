//! The language and theme switches in the header.

use byoc_core::lang::Lang;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::theme::{Theme, ThemeState};

#[component]
pub fn ShellControls() -> impl IntoView {
    let i18n = use_i18n();
    let theme = use_context::<ThemeState>();

    let languages = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.tag() selected=move || i18n.lang.get() == lang>
                    {lang.native_name()}
                </option>
            }
        })
        .collect_view();

    let theme_select = theme.map(|theme| {
        let options = Theme::ALL
            .into_iter()
            .map(|t| {
                view! {
                    <option value=t.key() selected=move || theme.theme.get() == t>
                        {move || i18n.t(t.label())}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label class="bc-control">
                <span class="bc-control__label">{move || i18n.t(Msg::Theme)}</span>
                <select
                    class="bc-select bc-select--compact"
                    data-testid="theme-select"
                    on:change=move |ev| theme.set(Theme::from_key(&event_target_value(&ev)))
                >
                    {options}
                </select>
            </label>
        }
    });

    view! {
        <div class="bc-header__controls">
            <label class="bc-control">
                <span class="bc-control__label">{move || i18n.t(Msg::Language)}</span>
                <select
                    class="bc-select bc-select--compact"
                    data-testid="language-select"
                    on:change=move |ev| i18n.set(Lang::from_tag(&event_target_value(&ev)))
                >
                    {languages}
                </select>
            </label>
            {theme_select}
        </div>
    }
}
