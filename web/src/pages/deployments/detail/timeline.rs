//! The phases of the operation under way (or the one that failed), from `core`'s
//! `State::timeline()`: done, active, failed or pending, with the percent reported last.

use byoc_core::api::Deployment;
use leptos::prelude::*;

use crate::components::deployment_status::ProgressSummary;
use crate::i18n::{fill, labels, use_i18n, Msg};

#[component]
pub fn Timeline(#[prop(into)] deployment: Signal<Deployment>) -> impl IntoView {
    let i18n = use_i18n();
    let state = Memo::new(move |_| deployment.with(Deployment::state));
    let percent = Signal::derive(move || state.with(|s| s.percent));
    let phase = Signal::derive(move || state.with(|s| s.phase.clone()));
    let message = move || deployment.with(|d| d.progress.message.clone());
    move || {
        let s = state.get();
        let phases = s.timeline();
        if phases.is_empty() {
            return None;
        }
        let operation = s.operation.map(labels::operation);
        let steps = phases
            .into_iter()
            .map(|(code, st)| {
                view! {
                    <li
                        class=format!(
                            "bc-timeline__phase bc-timeline__phase--{}",
                            labels::phase_state_code(st),
                        )
                        data-testid=format!("phase-{code}")
                        data-state=labels::phase_state_code(st)
                    >
                        <span class="bc-timeline__name">
                            {move || labels::phase_name(code, i18n.lang.get())}
                        </span>
                        <span class="bc-timeline__state">
                            {move || i18n.t(labels::phase_state(st))}
                        </span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section
                class="bc-card"
                aria-labelledby="timeline-heading"
                data-testid="deployment-timeline"
            >
                <h2 class="bc-card__title" id="timeline-heading">
                    {move || match operation {
                        Some(op) => {
                            fill(
                                i18n.t(Msg::OperationProgress),
                                &[
                                    ("operation", i18n.t(op)),
                                    ("percent", &percent.get().to_string()),
                                ],
                            )
                        }
                        None => i18n.t(Msg::Progress).to_owned(),
                    }}
                </h2>
                {s
                    .is_transitional()
                    .then(|| {
                        view! {
                            <ProgressSummary
                                percent=percent
                                phase=phase
                                testid="deployment-progress"
                            />
                        }
                    })}
                {move || {
                    message()
                        .map(|m| {
                            view! {
                                <p class="bc-hint" data-testid="deployment-message">
                                    {m}
                                </p>
                            }
                        })
                }}
                <ol class="bc-timeline">{steps}</ol>
            </section>
        })
    }
}
