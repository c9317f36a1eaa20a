//! Installing a licence (owners): upload the file or paste the line, see it verified in the
//! browser (or the exact reason it is refused), confirm what will be installed, then send it.
//! The request is an [`Action`] the page passes in, so the form can be tested with any outcome.

use byoc_core::api::LicenceView;
use byoc_core::lang::Lang;
use byoc_core::licence::{LicenceError, LicencePayload};
use leptos::prelude::*;

use super::confirm::ConfirmInstall;
use super::verdict::Verdict;
use crate::api::ApiError;
use crate::browser::format_number;
use crate::components::text_file_input::TextFileInput;
use crate::crypto::use_crypto;
use crate::i18n::{labels, use_i18n, Msg};

/// The action that installs a licence line; its value is the last outcome.
pub type InstallAction = Action<String, Result<LicenceView, ApiError>>;

/// Files larger than this are no licence (a line is a few hundred bytes; `core` refuses lines
/// over 16 KiB with its own error).
const MAX_FILE_BYTES: usize = 64 * 1024;

fn too_large(_size: usize, lang: Lang) -> String {
    LicenceError::TooLarge.message(lang)
}

/// What the licence grants, as shown before installing it.
#[component]
pub fn LicenceFacts(payload: LicencePayload, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let kind = payload.kind;
    let fact = move |label: Msg, value: AnyView| {
        view! {
            <div>
                <dt>{move || i18n.t(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let number = move |n: u64| (move || format_number(n, i18n.lang.get().tag())).into_any();
    let validity = format!(
        "{} – {}",
        payload.valid_from.format("%Y-%m-%d"),
        payload.valid_until.format("%Y-%m-%d")
    );
    view! {
        <dl class="bc-facts" data-testid=testid>
            {fact(Msg::LicenceId, payload.id.clone().into_any())}
            {fact(Msg::LicenceType, (move || i18n.t(labels::licence_type(kind))).into_any())}
            {fact(Msg::LicenceIssuedTo, payload.issued_to.clone().into_any())}
            {fact(Msg::LicenceMaxSessions, number(payload.max_sessions))}
            {fact(Msg::LicenceMaxTps, number(payload.max_tps))}
            {fact(Msg::LicenceCoreSize, number(u64::from(payload.core_size)))}
            {fact(Msg::LicenceValidity, validity.into_any())}
        </dl>
    }
}

#[component]
pub fn LicenceUploadForm(
    /// The vendor public key (PEM) the control plane publishes; `None` when it has none.
    #[prop(into)]
    public_key: Signal<Option<String>>,
    action: InstallAction,
    /// Called with the new view once the server installed the licence.
    #[prop(into)]
    on_installed: Callback<LicenceView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    // Verified by core in the crypto worker; an answer for older text is dropped.
    let crypto = use_crypto();
    let verdict = RwSignal::new(Verdict::Empty);
    let turn = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let pem = public_key.get();
        let known = text.with(|t| Verdict::before_checking(t, pem.as_deref(), chrono::Utc::now()));
        match known {
            Ok(v) => {
                turn.update_value(|t| *t = t.wrapping_add(1));
                verdict.set(v);
            }
            Err(job) => {
                verdict.set(Verdict::Checking);
                crypto.run_latest(turn, job, move |answer| {
                    verdict.set(Verdict::from_answer(answer));
                });
            }
        }
    });
    let ready = move || match verdict.get() {
        Verdict::Ready(payload, line) => Some((*payload, line)),
        _ => None,
    };

    Effect::new(move |_| {
        if let Some(Ok(view)) = action.value().get() {
            confirming.set(false);
            text.set(String::new());
            on_installed.run(view);
        }
    });

    let error = move || verdict.with(|v| v.error(i18n.lang.get()));
    view! {
        <form
            class="bc-form"
            novalidate
            data-testid="licence-upload"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if ready().is_some() {
                    action.clear();
                    confirming.set(true);
                }
            }
        >
            <TextFileInput
                id="licence-text"
                label=Msg::LicenceText
                hint=Msg::LicenceTextHint
                value=text
                max_bytes=MAX_FILE_BYTES
                too_large=too_large
                accept=".lic,.txt"
                rows=4
                described_by="licence-verdict"
            />
            <div id="licence-verdict" aria-live="polite">
                {move || {
                    error()
                        .map(|e| {
                            view! {
                                <p class="bc-field__error" role="alert" data-testid="licence-error">
                                    {e}
                                </p>
                            }
                        })
                }}
                {move || {
                    ready()
                        .map(|(payload, _)| {
                            view! {
                                <div
                                    class="bc-alert bc-alert--success"
                                    data-testid="licence-verified"
                                >
                                    <p class="bc-alert__title">
                                        {move || i18n.t(Msg::LicenceVerified)}
                                    </p>
                                    <LicenceFacts payload=payload testid="licence-preview" />
                                </div>
                            }
                        })
                }}
            </div>
            <button
                class="bc-button bc-button--primary"
                type="submit"
                data-testid="licence-review"
                disabled=move || ready().is_none()
            >
                {move || i18n.t(Msg::LicenceReview)}
            </button>
        </form>
        <ConfirmInstall
            open=confirming
            licence=Signal::derive(ready)
            action=action
            on_cancel=move |()| confirming.set(false)
        />
    }
}
