//! The PrivateLink wizard, step by step as the seed `emqx-privatelink-aliyun.zh.md` describes it:
//! the notice (what the customer's account needs) → the principal to add to the endpoint
//! service's whitelist, and the zone their load balancer must share → the endpoint service ID and
//! an optional description → created: click Allow / Accept on the cloud side, and the status
//! follows live until the link runs and its endpoint can be copied.

use byoc_core::api::PrivateLinkField;
use byoc_core::api::{CreatePrivateLinkRequest, DeploymentNetwork, PrivateLink};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::privatelink::{PrivateLinkAction, PrivateLinkStatus};
use byoc_core::network::privatelink::same_service;
use byoc_core::network::{validate_privatelink, EndpointServiceId};
use leptos::prelude::*;

use super::submission::Submission;
use super::CreateLink;
use crate::components::copy_download::CopyButton;
use crate::components::text_field::TextField;
use crate::i18n::{fill, labels, use_i18n, Msg};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Notice,
    Whitelist,
    Service,
    Allow,
}

const STEPS: [(Step, Msg); 4] = [
    (Step::Notice, Msg::WizardStepNotice),
    (Step::Whitelist, Msg::WizardStepWhitelist),
    (Step::Service, Msg::WizardStepService),
    (Step::Allow, Msg::WizardStepAllow),
];

/// What the customer's account needs first (`{zone}` is the deployment's zone).
fn prerequisites(cloud: Cloud) -> &'static [Msg] {
    match cloud {
        Cloud::Aliyun => &[
            Msg::PlPrereqAliyun1,
            Msg::PlPrereqAliyun2,
            Msg::PlPrereqAliyun3,
            Msg::PlPrereqAliyun4,
        ],
        Cloud::Aws | Cloud::AwsCn => &[Msg::PlPrereqAws1, Msg::PlPrereqAws2],
        Cloud::Gcp => &[Msg::PlPrereqGcp1, Msg::PlPrereqGcp2],
    }
}

fn whitelist(cloud: Cloud) -> Msg {
    match cloud {
        Cloud::Aliyun => Msg::PlWhitelistAliyun,
        Cloud::Aws | Cloud::AwsCn => Msg::PlWhitelistAws,
        Cloud::Gcp => Msg::PlWhitelistGcp,
    }
}

fn allow(cloud: Cloud) -> Msg {
    match cloud {
        Cloud::Aliyun => Msg::PlAllowAliyun,
        Cloud::Aws | Cloud::AwsCn => Msg::PlAllowAws,
        Cloud::Gcp => Msg::PlAllowGcp,
    }
}

/// A value to copy, with its label.
fn copyable(label: Msg, testid: &'static str, copy: &'static str, value: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = value.clone();
    view! {
        <div class="bc-network__copy">
            <span class="bc-hint">{move || i18n.t(label)}</span>
            <code data-testid=testid>{value}</code>
            <CopyButton text=Signal::derive(move || text.clone()) testid=copy what=label />
        </div>
    }
}

#[component]
pub fn PrivateLinkWizard(
    #[prop(into)] network: Signal<DeploymentNetwork>,
    #[prop(into)] links: Signal<Vec<PrivateLink>>,
    create: CreateLink,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = RwSignal::new(Step::Notice);
    let service = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let created = RwSignal::new(None::<PrivateLink>);
    let cloud = Memo::new(move |_| network.with(|n| n.cloud));
    let zone = move || network.with(|n| n.zone.clone());

    let request = move || CreatePrivateLinkRequest {
        service_id: service.get().trim().to_owned(),
        description: Some(description.get()).filter(|d| !d.trim().is_empty()),
    };
    let problems = Memo::new(move |_| {
        let region = network.with(|n| n.region.clone());
        validate_privatelink(cloud.get(), &region, &request())
            .err()
            .unwrap_or_default()
    });
    // One link per endpoint service: said before the server would refuse it.
    let duplicate = move || {
        let region = network.with(|n| n.region.clone());
        let parsed = EndpointServiceId::parse(cloud.get(), &region, service.get().trim()).ok()?;
        links.with(|all| {
            same_service(cloud.get(), &region, &parsed, all).map(|l| {
                let lang = i18n.lang.get();
                let mut text = fill(
                    Msg::PlDuplicate.text(lang),
                    &[("status", labels::privatelink_status(l.status).text(lang))],
                );
                if l.allowed_actions.contains(&PrivateLinkAction::Dismiss) {
                    text = format!("{text} {}", Msg::PlDuplicateFailed.text(lang));
                }
                text
            })
        })
    };
    let form = Submission::new(create, problems, request);
    let error_of = move |field: PrivateLinkField, value: RwSignal<String>| {
        let one_per_service = move || {
            if field == PrivateLinkField::ServiceId {
                duplicate()
            } else {
                None
            }
        };
        form.field_error(field, value, one_per_service)
    };
    let general = form.general_error();
    form.on_created(move |link| {
        created.set(Some(link));
        step.set(Step::Allow);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submit(duplicate().is_none());
    };

    // The created link as the list shows it now (the poll follows the toolkit's reports).
    let current = move || {
        let first = created.get()?;
        Some(
            links
                .with(|all| all.iter().find(|l| l.id == first.id).cloned())
                .unwrap_or(first),
        )
    };

    let progress = move || {
        let now = step.get();
        let at = STEPS.iter().position(|(s, _)| *s == now).unwrap_or(0);
        STEPS
            .iter()
            .enumerate()
            .map(|(i, (s, label))| {
                let (s, label) = (*s, *label);
                let item = match i.cmp(&at) {
                    std::cmp::Ordering::Less => "bc-steps__item bc-steps__item--done",
                    std::cmp::Ordering::Equal => "bc-steps__item bc-steps__item--current",
                    std::cmp::Ordering::Greater => "bc-steps__item",
                };
                view! {
                    <li class=item aria-current=move || (step.get() == s).then_some("step")>
                        <span class="bc-steps__button">
                            <span class="bc-steps__number">{i + 1}</span>
                            {move || i18n.t(label)}
                        </span>
                    </li>
                }
            })
            .collect_view()
    };

    let notice = move || {
        let lang = i18n.lang.get();
        let zone = zone().unwrap_or_else(|| "—".to_owned());
        let items = prerequisites(cloud.get())
            .iter()
            .map(|m| view! { <li>{fill(m.text(lang), &[("zone", &zone)])}</li> })
            .collect_view();
        view! {
            <div data-testid="pl-notice">
                <p>{Msg::PlNotice.text(lang)}</p>
                <ol class="bc-network__prereqs">{items}</ol>
                <div class="bc-toolbar">
                    <button
                        class="bc-button"
                        type="button"
                        data-testid="pl-cancel"
                        on:click=move |_| on_close.run(())
                    >
                        {Msg::Cancel.text(lang)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="pl-next"
                        on:click=move |_| step.set(Step::Whitelist)
                    >
                        {Msg::PlUnderstood.text(lang)}
                    </button>
                </div>
            </div>
        }
    };

    let whitelist_step = move || {
        let lang = i18n.lang.get();
        let principal = network.with(|n| n.principal.clone());
        let has = principal.is_some();
        let body = match principal {
            Some(p) => view! {
                <p>{whitelist(cloud.get()).text(lang)}</p>
                {copyable(Msg::PrincipalLabel, "pl-principal", "pl-principal-copy", p.value)}
                <p class="bc-hint" data-testid="pl-principal-kind">
                    {p.kind.name().get(lang)}
                </p>
            }
            .into_any(),
            None => view! {
                <p class="bc-alert bc-alert--warning" data-testid="pl-no-principal">
                    {Msg::PlNoPrincipal.text(lang)}
                </p>
            }
            .into_any(),
        };
        let zone_view = zone().map(|z| {
            view! {
                <p>{Msg::PlZone.text(lang)}</p>
                {copyable(Msg::Zone, "pl-zone", "pl-zone-copy", z)}
            }
        });
        view! {
            <div data-testid="pl-whitelist">
                {body} {zone_view} <div class="bc-toolbar">
                    <button class="bc-button" type="button" on:click=move |_| on_close.run(())>
                        {Msg::Cancel.text(lang)}
                    </button>
                    <button
                        class="bc-button"
                        type="button"
                        on:click=move |_| step.set(Step::Notice)
                    >
                        {Msg::Back.text(lang)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="pl-next"
                        disabled=!has
                        on:click=move |_| step.set(Step::Service)
                    >
                        {Msg::PlWhitelisted.text(lang)}
                    </button>
                </div>
            </div>
        }
    };

    let service_step = move || {
        let label = labels::id_label(EndpointServiceId::kind(cloud.get()));
        let hint = Signal::derive(move || {
            fill(
                i18n.t(Msg::PlServiceHint),
                &[
                    ("region", &network.with(|n| n.region.clone())),
                    (
                        "example",
                        &EndpointServiceId::example(
                            cloud.get(),
                            &network.with(|n| n.region.clone()),
                        ),
                    ),
                ],
            )
        });
        view! {
            <form class="bc-form" novalidate on:submit=submit data-testid="pl-service">
                <TextField
                    id="pl-service-id"
                    label=label
                    value=service
                    error=error_of(PrivateLinkField::ServiceId, service)
                    required=true
                    hint_text=hint
                />
                <TextField
                    id="pl-description"
                    label=Msg::DescriptionOptional
                    value=description
                    error=error_of(PrivateLinkField::Description, description)
                />
                <p class="bc-field__error" role="alert" data-testid="pl-error">
                    {general}
                </p>
                <div class="bc-toolbar">
                    <button class="bc-button" type="button" on:click=move |_| on_close.run(())>
                        {move || i18n.t(Msg::Cancel)}
                    </button>
                    <button
                        class="bc-button"
                        type="button"
                        on:click=move |_| step.set(Step::Whitelist)
                    >
                        {move || i18n.t(Msg::Back)}
                    </button>
                    <button
                        class="bc-button bc-button--primary"
                        type="submit"
                        data-testid="pl-create"
                        disabled=move || form.pending().get()
                    >
                        {move || i18n.t(Msg::CreatePrivateLink)}
                    </button>
                </div>
            </form>
        }
    };

    // Built once when the link is created: the status badge and its live region stay the same
    // elements while the link moves on (a live region replaced whole is not announced), and
    // only the block that depends on the status is redrawn.
    let link = Memo::new(move |_| current());
    let status = Memo::new(move |_| link.with(|l| l.as_ref().map(|l| l.status)));
    let allow_step = move || {
        let state = move || {
            let lang = i18n.lang.get();
            let link = link.get()?;
            Some(match link.status {
                PrivateLinkStatus::Running => {
                    let endpoint = [
                        link.endpoint_domain.clone().map(|d| {
                            copyable(
                                Msg::EndpointDomain,
                                "pl-endpoint-domain",
                                "pl-endpoint-domain-copy",
                                d,
                            )
                            .into_any()
                        }),
                        link.endpoint_ip.clone().map(|ip| {
                            copyable(Msg::EndpointIp, "pl-endpoint-ip", "pl-endpoint-ip-copy", ip)
                                .into_any()
                        }),
                    ];
                    view! {
                        <p class="bc-alert bc-alert--success" data-testid="pl-running">
                            {Msg::PlRunning.text(lang)}
                        </p>
                        {endpoint.into_iter().flatten().collect_view()}
                    }
                    .into_any()
                }
                PrivateLinkStatus::Failed => view! {
                    <p class="bc-alert bc-alert--error" data-testid="pl-failed">
                        {fill(
                            Msg::PlFailed.text(lang),
                            &[("reason", &link.reason.clone().unwrap_or_default())],
                        )}
                    </p>
                }
                .into_any(),
                _ => view! {
                    <p>{Msg::PlCreated.text(lang)}</p>
                    <p class="bc-alert bc-alert--info">{allow(cloud.get()).text(lang)}</p>
                    <p class="bc-hint">{Msg::PlWaiting.text(lang)}</p>
                }
                .into_any(),
            })
        };
        let code = move || status.get().map(|s| s.code()).unwrap_or_default();
        view! {
            <div data-testid="pl-created">
                <p>
                    {move || i18n.t(Msg::ServiceId)}": "
                    <code>{move || link.with(|l| l.as_ref().map(|l| l.service_id.clone()))}</code>
                </p>
                <p role="status" aria-live="polite">
                    <span
                        class=move || {
                            status
                                .get()
                                .map(|s| {
                                    format!("bc-status bc-status--{}", labels::privatelink_tone(s))
                                })
                        }
                        data-testid="pl-created-status"
                        data-status=code
                    >
                        {move || status.get().map(|s| i18n.t(labels::privatelink_status(s)))}
                    </span>
                </p>
                {state}
                <div class="bc-toolbar">
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="pl-close"
                        on:click=move |_| on_close.run(())
                    >
                        {move || i18n.t(Msg::Close)}
                    </button>
                </div>
            </div>
        }
    };

    // Each step replaces the last, and the button pressed goes with it: focus moves to the
    // wizard's heading so keyboard and screen-reader users continue from the new step. So it
    // does on opening: the "+ PrivateLink" button pressed is hidden while the wizard is open.
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        step.track();
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });

    view! {
        <div
            class="bc-network__wizard"
            data-testid="pl-wizard"
            role="group"
            aria-labelledby="pl-wizard-heading"
        >
            <h3 class="bc-card__subtitle" id="pl-wizard-heading" tabindex="-1" node_ref=heading>
                {move || i18n.t(Msg::NewPrivateLink)}
            </h3>
            <ol class="bc-steps" aria-label=move || i18n.t(Msg::WizardSteps)>
                {progress}
            </ol>
            {move || match step.get() {
                Step::Notice => notice().into_any(),
                Step::Whitelist => whitelist_step().into_any(),
                Step::Service => service_step().into_any(),
                Step::Allow => allow_step().into_any(),
            }}
        </div>
    }
}
