//! What a deployment is and what the toolkit reported about it: its status (and why it failed),
//! how to connect, its specification, the cloud resources, the licence it runs under, and the
//! live figures of the last heartbeat.

use byoc_core::api::Deployment;
use byoc_core::lifecycle::deployment::Status;
use byoc_core::sizing::{client_port, PORTS};
use leptos::prelude::*;

use crate::browser::format_number;
use crate::components::deployment_status::DeploymentStatusBadge;
use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::components::tls_checker::summary::SummaryView;
use crate::i18n::{fill, labels, use_i18n, Msg};
use crate::pages::licence::state::use_licence;

/// A label and its value; `testid` names the value.
fn fact(label: Msg, testid: &'static str, value: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div>
            <dt>{move || i18n.t(label)}</dt>
            <dd data-testid=testid>{value}</dd>
        </div>
    }
}

/// A value the toolkit has not reported yet shows as a dash.
fn reported(value: Option<String>) -> AnyView {
    match value {
        Some(v) if !v.is_empty() => view! { <code>{v}</code> }.into_any(),
        _ => "—".into_any(),
    }
}

/// The name, the status badge and, for a failed deployment, the phase it failed in and why.
#[component]
pub fn StatusHeader(#[prop(into)] deployment: Signal<Deployment>) -> impl IntoView {
    let i18n = use_i18n();
    let status = Signal::derive(move || deployment.with(|d| d.status));
    let reason = move || {
        let lang = i18n.lang.get();
        deployment.with(|d| {
            (d.status == Status::Failed).then(|| {
                let reason = d.reason.clone().unwrap_or_default();
                let text = match &d.progress.phase {
                    Some(phase) => fill(
                        Msg::FailedDuring.text(lang),
                        &[
                            ("phase", &labels::phase_name(phase, lang)),
                            ("reason", &reason),
                        ],
                    ),
                    None => fill(Msg::FailedBecause.text(lang), &[("reason", &reason)]),
                };
                view! {
                    <p
                        class="bc-alert bc-alert--error"
                        data-testid="deployment-reason"
                        data-phase=d.progress.phase.clone().unwrap_or_default()
                    >
                        {text}
                    </p>
                }
            })
        })
    };
    view! {
        <div class="bc-deployment__head">
            <h1 class="bc-page__title" data-testid="deployment-name">
                {move || deployment.with(|d| d.name.clone())}
            </h1>
            <span role="status" aria-live="polite">
                <DeploymentStatusBadge status=status testid="deployment-status" />
            </span>
        </div>
        {reason}
    }
}

/// The load balancer's address (once reported) and the ports it listens on.
#[component]
pub fn Connection(#[prop(into)] deployment: Signal<Deployment>) -> impl IntoView {
    let i18n = use_i18n();
    let address = move || {
        deployment
            .with(|d| d.outputs.load_balancer.clone())
            .filter(|a| !a.is_empty())
    };
    // A deployment's cloud never changes; on Alibaba Cloud the REST API shares the dashboard's
    // listener.
    let cloud = deployment.with_untracked(|d| d.cloud);
    let rows = PORTS
        .iter()
        .map(|p| {
            let name = p.name;
            view! {
                <tr data-testid=format!("port-{}", p.number)>
                    <td class="bc-table__num">{client_port(cloud, p)}</td>
                    <td>
                        <code>{name}</code>
                    </td>
                    <td>{move || labels::port_use(name).map(|m| i18n.t(m))}</td>
                    <td>{p.protocol}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="bc-card" aria-labelledby="connection-heading">
            <h2 class="bc-card__title" id="connection-heading">
                {move || i18n.t(Msg::ConnectionHeading)}
            </h2>
            <dl class="bc-facts">
                {fact(
                    Msg::LoadBalancer,
                    "deployment-address",
                    (move || match address() {
                        Some(a) => view! { <code>{a}</code> }.into_any(),
                        None => {
                            view! { <span class="bc-hint">{i18n.t(Msg::NotYetReported)}</span> }
                                .into_any()
                        }
                    })
                        .into_any(),
                )}
                {fact(
                    Msg::DomainHeading,
                    "deployment-domain",
                    (move || reported(Some(deployment.with(|d| d.domain.clone())))).into_any(),
                )}
            </dl>
            <ScrollRegion label=Msg::ConnectionHeading>
                <table class="bc-table" data-testid="deployment-ports">
                    <caption class="bc-visually-hidden">
                        {move || i18n.t(Msg::ConnectionHeading)}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col" class="bc-table__num">
                                {move || i18n.t(Msg::Port)}
                            </th>
                            <th scope="col">{move || i18n.t(Msg::ProjectName)}</th>
                            <th scope="col">{move || i18n.t(Msg::PortUse)}</th>
                            <th scope="col">{move || i18n.t(Msg::Protocol)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        </section>
    }
}

/// Where it runs and how it is built, as created.
#[component]
pub fn Specification(#[prop(into)] deployment: Signal<Deployment>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let d = deployment.get();
        let lang = i18n.lang.get();
        let region = d
            .cloud
            .region(&d.region)
            .map(|r| format!("{} ({})", r.name.get(lang), r.code))
            .unwrap_or_else(|_| d.region.clone());
        let nodes = format!(
            "{} × {} ({} vCPU / {} GiB)",
            d.nodes, d.node_type, d.node_vcpu, d.node_memory_gib
        );
        let tags = if d.tags.is_empty() {
            i18n.t(Msg::NoTags).into_any()
        } else {
            d.tags
                .iter()
                .map(|t| {
                    view! {
                        <code class="bc-tag-chip">{format!("{}={}", t.key, t.value)}</code>
                        " "
                    }
                })
                .collect_view()
                .into_any()
        };
        let certificate = match d.certificate.clone() {
            Some(summary) => view! { <SummaryView summary=summary /> }.into_any(),
            None => view! {
                <p class="bc-hint" data-testid="deployment-no-certificate">
                    {i18n.t(Msg::NoCertificate)}
                </p>
            }
            .into_any(),
        };
        view! {
            <section class="bc-card" aria-labelledby="spec-heading">
                <h2 class="bc-card__title" id="spec-heading">
                    {i18n.t(Msg::SizingHeading)}
                </h2>
                <dl class="bc-facts" data-testid="deployment-spec">
                    {fact(Msg::CloudLabel, "deployment-cloud", d.cloud.name().get(lang).into_any())}
                    {fact(Msg::RegionName, "deployment-region", region.into_any())}
                    {fact(
                        Msg::VpcCidr,
                        "deployment-cidr",
                        view! { <code>{d.vpc_cidr.clone()}</code> }.into_any(),
                    )}
                    {fact(
                        Msg::SizingSessions,
                        "deployment-sessions",
                        format_number(d.sessions, lang.tag()).into_any(),
                    )}
                    {fact(
                        Msg::SizingTps,
                        "deployment-tps",
                        format_number(d.tps, lang.tag()).into_any(),
                    )}
                    {fact(Msg::SizingTier, "deployment-tier", d.tier.to_string().into_any())}
                    {fact(
                        Msg::BrokerNodes,
                        "deployment-nodes",
                        view! { <code>{nodes}</code> }.into_any(),
                    )}
                    {fact(
                        Msg::SizingAgent,
                        "deployment-agent",
                        view! { <code>{d.agent_type.clone()}</code> }.into_any(),
                    )}
                    {fact(Msg::StepTags, "deployment-tags", tags)}
                </dl>
                {certificate}
            </section>
        }
    }
}

/// What the toolkit reported: the cloud resources, the live figures, the agent's last word, and
/// the licence the deployment runs under.
#[component]
pub fn Reported(#[prop(into)] deployment: Signal<Deployment>) -> impl IntoView {
    let i18n = use_i18n();
    let licence = use_licence();
    let outputs = move || deployment.with(|d| d.outputs.clone());
    let live = move || {
        let lang = i18n.lang.get();
        match deployment.with(|d| d.live.clone()) {
            Some(live) => view! {
                {fact(
                    Msg::LiveSessions,
                    "deployment-live-sessions",
                    format_number(live.sessions, lang.tag()).into_any(),
                )}
                {fact(
                    Msg::LiveTps,
                    "deployment-live-tps",
                    format_number(live.tps, lang.tag()).into_any(),
                )}
            }
            .into_any(),
            None => fact(
                Msg::LiveSessions,
                "deployment-live-sessions",
                view! { <span class="bc-hint">{i18n.t(Msg::NoHeartbeat)}</span> }.into_any(),
            )
            .into_any(),
        }
    };
    let last_seen = move || match deployment.with(|d| d.agent_last_seen_at) {
        Some(at) => view! { <Timestamp at=at /> }.into_any(),
        None => "—".into_any(),
    };
    let licence_facts = move || {
        licence.view().map(|v| {
            let until = v.licence.valid_until;
            view! {
                {fact(
                    Msg::LicenceExpiry,
                    "deployment-licence-until",
                    view! { <Timestamp at=until /> }.into_any(),
                )}
                {fact(Msg::DaysLeft, "deployment-licence-days", v.days_left.to_string().into_any())}
            }
        })
    };
    view! {
        <section class="bc-card" aria-labelledby="reported-heading">
            <h2 class="bc-card__title" id="reported-heading">
                {move || i18n.t(Msg::OutputsHeading)}
            </h2>
            <dl class="bc-facts" data-testid="deployment-outputs">
                {fact(
                    Msg::CloudAccount,
                    "deployment-account",
                    (move || reported(outputs().cloud_account_id)).into_any(),
                )}
                {fact(Msg::Zone, "deployment-zone", (move || reported(outputs().zone)).into_any())}
                {fact(
                    Msg::VpcId,
                    "deployment-vpc-id",
                    (move || reported(outputs().vpc_id)).into_any(),
                )}
                {fact(
                    Msg::LoadBalancer,
                    "deployment-lb",
                    (move || reported(outputs().load_balancer)).into_any(),
                )}
            </dl>
            <h3 class="bc-card__subtitle">{move || i18n.t(Msg::LiveHeading)}</h3>
            <dl class="bc-facts" data-testid="deployment-live">
                {live}
                {fact(Msg::AgentLastSeen, "deployment-last-seen", last_seen.into_any())}
                {licence_facts}
            </dl>
        </section>
    }
}
