//! A text field that can also be filled from a file: pick it, drop it on the field, or paste its
//! text. Files are read in the page and never uploaded; one larger than the limit is refused
//! from its size alone, before any of it is read.

use byoc_core::lang::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{fill, use_i18n, Msg};

/// Why the last chosen file was not taken.
#[derive(Clone, Debug, PartialEq)]
enum FileProblem {
    TooLarge(usize),
    Unreadable,
}

/// The textarea's `id` (and `data-testid`) is `id`; the file input's is `{id}-file`, its error
/// `{id}-error`, the name of the file read `{id}-loaded`.
#[component]
pub fn TextFileInput(
    id: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    value: RwSignal<String>,
    /// Files larger than this many bytes are refused unread.
    max_bytes: usize,
    /// The sentence refusing a file of the given size, in the given language: the rule's own
    /// words from `core`, so the console and the toolkit say the same.
    too_large: fn(usize, Lang) -> String,
    /// File types offered first in the picker, e.g. `.pem,.crt`.
    #[prop(optional)]
    accept: &'static str,
    #[prop(default = 6)] rows: u32,
    /// Another element describing the field (an error shown by the parent).
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = RwSignal::new(None::<FileProblem>);
    let loaded = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let file_id = format!("{id}-file");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = [
        Some(error_id.as_str()),
        hint.map(|_| hint_id.as_str()),
        described_by,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");

    let take = move |file: web_sys::File| {
        // `size` is known without reading: a huge file costs nothing to refuse.
        let size = file.size().max(0.0) as usize;
        if size > max_bytes {
            value.set(String::new());
            loaded.set(None);
            problem.set(Some(FileProblem::TooLarge(size)));
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            match crate::browser::read_file_text(&file).await {
                Some(text) => {
                    value.set(text);
                    loaded.set(Some(name));
                    problem.set(None);
                }
                None => {
                    loaded.set(None);
                    problem.set(Some(FileProblem::Unreadable));
                }
            }
        });
    };

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            take(file);
        }
        // Cleared so that choosing the same file again (after editing it) reads it again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take(file);
        }
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        // Without this the browser opens a dropped file instead of handing it to the page.
        ev.prevent_default();
        dragging.set(true);
    };

    let message = move || {
        let lang = i18n.lang.get();
        problem.get().map(|p| match p {
            FileProblem::TooLarge(size) => too_large(size, lang),
            FileProblem::Unreadable => i18n.t(Msg::FileUnreadable).to_owned(),
        })
    };

    view! {
        <div class="bc-field bc-file-field" class:bc-file-field--dragging=move || dragging.get()
            on:dragover=on_dragover on:dragleave=move |_| dragging.set(false) on:drop=on_drop>
            <label class="bc-field__label" for=id>{move || i18n.t(label)}</label>
            <textarea class="bc-input bc-file-field__text" id=id data-testid=id rows=rows
                autocomplete="off" autocapitalize="off" spellcheck="false" wrap="off"
                aria-describedby=described
                aria-invalid=move || problem.with(Option::is_some).to_string()
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    loaded.set(None);
                    problem.set(None);
                }></textarea>
            <div class="bc-file-field__pick">
                <label class="bc-button bc-button--small bc-file-field__button">
                    {move || i18n.t(Msg::ChooseFile)}
                    <input class="bc-visually-hidden" type="file" id=file_id.clone()
                        data-testid=file_id accept=accept on:change=on_change/>
                </label>
                <span class="bc-hint">{move || i18n.t(Msg::OrDropFile)}</span>
                <span class="bc-inline-status" role="status" aria-live="polite"
                    data-testid=format!("{id}-loaded")>
                    {move || loaded.get().map(|name| fill(i18n.t(Msg::FileLoaded), &[("name", &name)]))}
                </span>
            </div>
            {hint.map(|h| view! { <p class="bc-hint bc-field__hint" id=hint_id>{move || i18n.t(h)}</p> })}
            <p class="bc-field__error" id=error_id data-testid=format!("{id}-error") role="alert">{message}</p>
        </div>
    }
}
