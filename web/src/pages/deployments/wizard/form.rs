//! The wizard: six steps over one draft. Every step stays mounted (only the current one is
//! shown), so whatever was typed — the TLS files included — survives moving back and forth.
//! `core` judges the whole request as it changes; Next reveals and refuses a step's errors.

use byoc_core::api::{CreateDeploymentRequest, DeploymentChange};
use byoc_core::lifecycle::spec::validate_with;
use byoc_core::network::VpcCidr;
use leptos::prelude::*;

use super::availability::Availability;
use super::basics::{CloudStep, SpecStep};
use super::checks::{Checks, CreateAction};
use super::domain::DomainStep;
use super::draft::{Draft, Step};
use super::network::NetworkStep;
use super::review::ReviewStep;
use super::tags::TagsStep;
use crate::api::idempotency::SubmissionKey;
use crate::i18n::{fill, use_i18n, Msg};

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

#[component]
pub fn DeploymentWizard(
    /// Asks what the project already uses (names taken, ranges overlapped).
    availability: Availability,
    /// The range to start from: one no deployment of the project uses.
    suggested_vpc_cidr: Option<VpcCidr>,
    action: CreateAction,
    /// Told once the server created the deployment (the answer holds the bootstrap key).
    #[prop(into)]
    on_created: Callback<DeploymentChange>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(suggested_vpc_cidr);
    let request = Memo::new(move |_| draft.request());
    // Asked again as the name or the range changes; an answer names what it was asked about, so
    // one for an older name or range is never taken for the current one.
    let availability = StoredValue::new_local(availability);
    let asked = Memo::new(move |_| (draft.name.get(), draft.vpc_cidr.get()));
    let answered = LocalResource::new(move || {
        let (name, vpc_cidr) = asked.get();
        let answer = availability.with_value(|a| a.ask(&name, &vpc_cidr));
        async move { answer.await.ok() }
    });
    let known = Memo::new(move |_| answered.get().flatten());
    let verdict = Memo::new(move |_| {
        let taken: Vec<String> = known.with(|k| {
            k.iter()
                .filter(|a| a.name_taken)
                .map(|a| a.name.clone())
                .collect()
        });
        let names: Vec<&str> = taken.iter().map(String::as_str).collect();
        request.with(|r| {
            // The certificate's verdict comes from the crypto worker, through the checker.
            validate_with(r, &names, |pem, domain| {
                draft.certificate.with(|c| c.chain_for(pem, domain))
            })
        })
    });
    let overlaps = Signal::derive(move || {
        let typed = draft.vpc_cidr.with(|c| c.trim().to_owned());
        known.with(|k| {
            k.as_ref()
                .filter(|a| !a.vpc_cidr.is_empty() && a.vpc_cidr == typed)
                .map(|a| (a.overlapping.clone(), a.overlapping_total))
        })
    });
    let sizing = Memo::new(move |_| draft.sizing.sizing(draft.cloud.get()));
    let checks = Checks {
        i18n,
        draft,
        request,
        verdict,
        sizing,
        attempted: RwSignal::new(Vec::new()),
        submitted: RwSignal::new(None),
        action,
    };
    let step = RwSignal::new(Step::Cloud);
    let key = SubmissionKey::<CreateDeploymentRequest>::new();
    let pending = action.pending();

    // Moving to a step puts the focus on its heading, so keyboard and screen-reader users start
    // there (not on the first run: the page has just opened).
    Effect::new(move |previous: Option<Step>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            focus(&format!("wizard-step-{}-title", current.code()));
        }
        current
    });

    Effect::new(move |_| match action.value().get() {
        Some(Ok(change)) => {
            key.done();
            on_created.run(change);
        }
        // The server refused fields: back to the first step holding one.
        Some(Err(e)) => {
            let first = e.problem().and_then(|p| {
                p.errors
                    .iter()
                    .map(|f| Step::of_named_field(&f.field))
                    .min_by_key(|s| s.index())
            });
            if let Some(first) = first {
                step.set(first);
            }
        }
        None => {}
    });

    let next = move |_| {
        let here = step.get_untracked();
        checks.attempt(here);
        if !checks.blocked(here) {
            step.set(here.next());
        }
    };
    let create = move |_| {
        Step::ALL.into_iter().for_each(|s| checks.attempt(s));
        if pending.get_untracked() {
            return;
        }
        if let Some(first) = checks.first_blocked() {
            step.set(first);
            return;
        }
        let request = request.get_untracked();
        checks.submitted.set(Some(request.clone()));
        let idempotency_key = key.for_request(&request);
        action.dispatch_local((request, idempotency_key));
    };

    let progress = Step::ALL
        .into_iter()
        .map(|s| {
            let current = move || step.get() == s;
            let reachable = move || s.index() < step.get().index();
            view! {
                <li class="bc-steps__item" class:bc-steps__item--current=current
                    class:bc-steps__item--done=reachable
                    aria-current=move || current().then_some("step")>
                    <button class="bc-steps__button" type="button" data-testid=format!("wizard-goto-{}", s.code())
                        disabled=move || !reachable()
                        on:click=move |_| step.set(s)>
                        <span class="bc-steps__number">{s.index() + 1}</span>
                        {move || i18n.t(s.label())}
                    </button>
                </li>
            }
        })
        .collect_view();

    let panel = move |s: Step, body: AnyView| {
        let title_id = format!("wizard-step-{}-title", s.code());
        let labelled_by = title_id.clone();
        view! {
            <section
                class="bc-wizard__step"
                data-testid=format!("wizard-step-{}", s.code())
                hidden=move || step.get() != s
                aria-labelledby=labelled_by
            >
                <h2 class="bc-card__title" id=title_id tabindex="-1">
                    <span class="bc-hint bc-wizard__count">
                        {move || fill(
                            i18n.t(Msg::StepOf),
                            &[
                                ("n", &(s.index() + 1).to_string()),
                                ("total", &Step::ALL.len().to_string()),
                            ],
                        )}
                    </span>
                    " "
                    {move || i18n.t(s.label())}
                </h2>
                {body}
            </section>
        }
    };

    view! {
        <div class="bc-wizard" data-testid="deployment-wizard" data-step=move || step.get().code()>
            <nav aria-label=move || i18n.t(Msg::WizardSteps)>
                <ol class="bc-steps">{progress}</ol>
            </nav>
            <form
                class="bc-card bc-form bc-wizard__form"
                novalidate
                on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()
            >
                {panel(Step::Cloud, view! { <CloudStep checks=checks /> }.into_any())}
                {panel(Step::Spec, view! { <SpecStep checks=checks /> }.into_any())}
                {panel(
                    Step::Network,
                    view! { <NetworkStep checks=checks overlaps=overlaps /> }.into_any(),
                )}
                {panel(Step::Domain, view! { <DomainStep checks=checks /> }.into_any())}
                {panel(Step::Tags, view! { <TagsStep checks=checks /> }.into_any())}
                {panel(Step::Review, view! { <ReviewStep checks=checks /> }.into_any())}
                <div class="bc-wizard__actions">
                    <button
                        class="bc-button"
                        type="button"
                        data-testid="wizard-back"
                        hidden=move || step.get() == Step::Cloud
                        on:click=move |_| step.update(|s| *s = s.previous())
                    >
                        {move || i18n.t(Msg::Back)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="wizard-next"
                        hidden=move || step.get() == Step::Review
                        on:click=next
                    >
                        {move || i18n.t(Msg::Next)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="wizard-create"
                        hidden=move || step.get() != Step::Review
                        disabled=move || pending.get()
                        on:click=create
                    >
                        {move || {
                            i18n.t(
                                if pending.get() { Msg::Creating } else { Msg::CreateDeployment },
                            )
                        }}
                    </button>
                </div>
            </form>
        </div>
    }
}
