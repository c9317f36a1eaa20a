//! Copy and download buttons for generated documents (policies, commands).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Copies `text`; says "Copied" or why it could not, for screen readers too.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] testid: &'static str,
    /// What is copied, for the button's accessible name ("Copy {what}") where several
    /// copy buttons stand together.
    #[prop(optional)]
    what: Option<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name =
        move || what.map(|w| crate::i18n::fill(i18n.t(Msg::CopyWhat), &[("what", i18n.t(w))]));
    let outcome = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            outcome.set(Some(crate::browser::copy_text(&value).await));
        });
    };
    // A new text makes the old outcome meaningless.
    Effect::new(move |_| {
        text.track();
        outcome.set(None);
    });
    view! {
        <button class="bc-button" type="button" on:click=copy data-testid=testid aria-label=name>
            {move || i18n.t(Msg::Copy)}
        </button>
        <span class="bc-inline-status" role="status" aria-live="polite">
            {move || outcome.get().map(|ok| i18n.t(if ok { Msg::Copied } else { Msg::CopyFailed }))}
        </span>
    }
}

/// Downloads `text` as a file made in the browser.
#[component]
pub fn DownloadButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] file_name: Signal<String>,
    #[prop(into)] media_type: Signal<&'static str>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let download = move |_| {
        crate::browser::download(
            &file_name.get_untracked(),
            media_type.get_untracked(),
            &text.get_untracked(),
        );
    };
    view! {
        <button class="bc-button" type="button" on:click=download data-testid=testid>
            {move || i18n.t(Msg::Download)}
            " "
            <code>{move || file_name.get()}</code>
        </button>
    }
}
