//! The last step before installing: what will be installed, and that it replaces the licence in
//! force (which stays in the history).

use byoc_core::api::LicenceField;
use byoc_core::licence::LicencePayload;
use leptos::prelude::*;

use super::upload::{InstallAction, LicenceFacts};
use crate::api::ApiError;
use crate::components::dialog::Dialog;
use crate::i18n::{use_i18n, Msg};

/// The sentence for a refused install: the server's own words about the licence when it gave
/// them (the browser already checked the same rules, so this is rare), else the kind of failure.
fn install_error(error: &ApiError, lang: byoc_core::lang::Lang) -> String {
    match error.field_error(LicenceField::Licence) {
        Some(field) => field.message.clone(),
        None => error.message().text(lang).to_owned(),
    }
}

#[component]
pub fn ConfirmInstall(
    #[prop(into)] open: Signal<bool>,
    /// The verified licence and its line.
    #[prop(into)]
    licence: Signal<Option<(LicencePayload, String)>>,
    action: InstallAction,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = action.pending();
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| install_error(&e, i18n.lang.get()))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some((_, line)) = licence.get_untracked() {
            action.dispatch_local(line);
        }
    };
    view! {
        <Dialog
            id="install-licence"
            open=open
            title=Signal::derive(move || i18n.t(Msg::LicenceConfirmTitle).to_owned())
            on_close=on_cancel
        >
            <form class="bc-form" on:submit=submit novalidate>
                {move || {
                    licence
                        .get()
                        .map(|(payload, _)| {
                            view! {
                                <LicenceFacts payload=payload testid="install-licence-facts" />
                            }
                        })
                }}
                <p>{move || i18n.t(Msg::LicenceConfirmBody)}</p>
                <p class="bc-field__error" role="alert" data-testid="install-licence-error">
                    {error}
                </p>
                <div class="bc-dialog__actions">
                    <button class="bc-button" type="button" on:click=move |_| on_cancel.run(())>
                        {move || i18n.t(Msg::Cancel)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="submit"
                        data-testid="install-licence-confirm"
                        disabled=move || pending.get()
                    >
                        {move || i18n.t(Msg::LicenceInstall)}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
