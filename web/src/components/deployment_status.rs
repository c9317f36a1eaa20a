//! A deployment's status as a badge, and the progress of the operation under way as a bar with
//! its phase: what the list and the detail page both show.

use byoc_core::lifecycle::deployment::Status;
use leptos::prelude::*;

use crate::i18n::{fill, labels, use_i18n, Msg};

/// The status in words, coloured by its family (colour is never the only cue). `data-status`
/// holds the stable code for tests and styles.
#[component]
pub fn DeploymentStatusBadge(
    #[prop(into)] status: Signal<Status>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span
            class=move || format!("bc-status bc-status--{}", labels::status_tone(status.get()))
            data-testid=testid
            data-status=move || status.get().code()
        >
            {move || i18n.t(labels::deployment_status(status.get()))}
        </span>
    }
}

/// How far the operation under way is: a bar and "phase: percent". Before the toolkit reported
/// a phase, it says the deployment waits for the toolkit.
#[component]
pub fn ProgressSummary(
    #[prop(into)] percent: Signal<u8>,
    /// The phase code the toolkit reported last, if any.
    #[prop(into)]
    phase: Signal<Option<String>>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let lang = i18n.lang.get();
        match phase.get() {
            Some(code) => fill(
                Msg::ProgressPhase.text(lang),
                &[
                    ("phase", &labels::phase_name(&code, lang)),
                    ("percent", &percent.get().to_string()),
                ],
            ),
            None => Msg::WaitingForToolkit.text(lang).to_owned(),
        }
    };
    // Set through the CSS object model (`style:`), which the CSP allows, unlike `style=""`.
    let width = move || format!("{}%", percent.get().min(100));
    view! {
        <div class="bc-progress" data-testid=testid data-percent=move || percent.get().to_string()>
            <div
                class="bc-progress__track"
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent.get().min(100)
                aria-valuetext=text
            >
                <div class="bc-progress__bar" style:width=width></div>
            </div>
            <span class="bc-progress__text">{text}</span>
        </div>
    }
}
