//! A labelled text input with its inline error: the pattern every form here repeats.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// The input's `id` is `id`, its error's `{id}-error` (announced with `role=alert`), and
/// `data-testid` is `id` too, so tests and labels find the same element.
#[component]
pub fn TextField(
    id: &'static str,
    label: Msg,
    value: RwSignal<String>,
    /// The inline error to show, already in the user's language.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Msg>,
    /// A hint computed by the caller (an example in the cloud's format, say), in the user's
    /// language; shown instead of `hint`.
    #[prop(optional, into)]
    hint_text: Option<Signal<String>>,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_text =
        hint_text.or_else(|| hint.map(|h| Signal::derive(move || i18n.t(h).to_owned())));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint_text {
        Some(_) => format!("{error_id} {hint_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="bc-field">
            <label class="bc-field__label" for=id>
                {move || i18n.t(label)}
            </label>
            <input
                class="bc-input"
                id=id
                data-testid=id
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                required=required
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described_by
            />
            {hint_text
                .map(|h| {
                    view! {
                        <p class="bc-hint bc-field__hint" id=hint_id>
                            {h}
                        </p>
                    }
                })}
            <p class="bc-field__error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
