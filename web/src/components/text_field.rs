//! A labelled text input with its inline error: the pattern every form here repeats.

use leptos::prelude::*;

use byoc_core::lang::Name;

use crate::i18n::{use_i18n, Msg};

/// A field's label: a catalog message, or a name `core` gives in both languages (the
/// identifiers of the network forms, say).
#[derive(Clone, Copy, Debug)]
pub enum Label {
    Msg(Msg),
    Name(Name),
}

impl From<Msg> for Label {
    fn from(m: Msg) -> Self {
        Label::Msg(m)
    }
}

impl From<Name> for Label {
    fn from(n: Name) -> Self {
        Label::Name(n)
    }
}

/// The input's `id` is `id`, its error's `{id}-error` (announced with `role=alert`), and
/// `data-testid` is `id` too, so tests and labels find the same element.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: Label,
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
    let label_text = move || match label {
        Label::Msg(m) => i18n.t(m),
        Label::Name(n) => n.get(i18n.lang.get()),
    };
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
            <label class="bc-field__label" for=id>{label_text}</label>
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
            {hint_text.map(|h| view! { <p class="bc-hint bc-field__hint" id=hint_id>{h}</p> })}
            <p class="bc-field__error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
