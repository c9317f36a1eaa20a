//! "Are you sure?" for destructive changes, optionally asking to type the name of what goes.

use leptos::prelude::*;

use crate::components::dialog::Dialog;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ConfirmDialog(
    id: &'static str,
    /// What is about to go; `None` keeps the dialog closed.
    #[prop(into)]
    subject: Signal<Option<String>>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    confirm_label: Msg,
    /// Ask the user to type the subject before the button works (for irreversible deletions).
    #[prop(optional)]
    type_to_confirm: bool,
    #[prop(into)] pending: Signal<bool>,
    /// Why the last attempt failed, in the user's language.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
    /// `id` and `data-testid` of the name input, when not `{id}-confirm-input`.
    #[prop(optional)]
    input_testid: Option<&'static str>,
    /// `data-testid` (and then `id`) of the confirming button, when not `{id}-confirm`.
    #[prop(optional)]
    confirm_testid: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let input_id = input_testid.map_or_else(|| format!("{id}-confirm-input"), str::to_owned);
    let confirm_id = confirm_testid.map(str::to_owned);
    let confirm_testid = confirm_testid.map_or_else(|| format!("{id}-confirm"), str::to_owned);
    let matches = move || !type_to_confirm || subject.get().is_some_and(|s| typed.get() == s);
    let open = Signal::derive(move || subject.with(Option::is_some));
    Effect::new(move |_| {
        if !open.get() {
            typed.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches() && !pending.get_untracked() {
            on_confirm.run(());
        }
    };
    view! {
        <Dialog id=id open=open title=title on_close=on_cancel>
            <form class="bc-form" on:submit=submit novalidate>
                <p>{move || body.get()}</p>
                {type_to_confirm
                    .then(|| {
                        let input_id = input_id.clone();
                        let input_testid = input_id.clone();
                        view! {
                            <div class="bc-field">
                                <label class="bc-field__label" for=input_id.clone()>
                                    {move || i18n.t(Msg::TypeToConfirm)}
                                    " "
                                    <code>{move || subject.get().unwrap_or_default()}</code>
                                </label>
                                <input
                                    class="bc-input"
                                    id=input_id
                                    data-testid=input_testid
                                    type="text"
                                    autocomplete="off"
                                    spellcheck="false"
                                    prop:value=move || typed.get()
                                    on:input=move |ev| typed.set(event_target_value(&ev))
                                />
                            </div>
                        }
                    })}
                <p class="bc-field__error" role="alert" data-testid=format!("{id}-error")>
                    {move || error.get()}
                </p>
                <div class="bc-dialog__actions">
                    <button class="bc-button" type="button" on:click=move |_| on_cancel.run(())>
                        {move || i18n.t(Msg::Cancel)}
                    </button>
                    <button
                        class="bc-button bc-button--danger"
                        type="submit"
                        id=confirm_id.clone()
                        data-testid=confirm_testid.clone()
                        disabled=move || !matches() || pending.get()
                    >
                        {move || i18n.t(confirm_label)}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
