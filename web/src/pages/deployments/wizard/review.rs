//! The last step: what will be created, the quotas its size needs in the cloud account, the
//! policy `byoc create` needs, and the Create button with the server's answer.

use byoc_core::api::ProblemCode;
use byoc_core::lifecycle::spec::DeploymentSpec;
use byoc_core::policy::Operation as PolicyOperation;
use leptos::prelude::*;

use super::basics::LicenceRoom;
use super::checks::Checks;
use crate::api::ApiError;
use crate::browser::format_number;
use crate::components::plan_table::PlanTable;
use crate::components::policy_viewer::PolicyViewer;
use crate::components::quota_table::QuotaTableView;
use crate::i18n::{use_i18n, Msg};

/// The sentence for a refused create, when it is not about one field.
pub fn create_error(error: &ApiError) -> Msg {
    match error.code() {
        Some(ProblemCode::LicenceCapacity) => Msg::LicenceRefusedCapacity,
        Some(ProblemCode::LicenceExpired) => Msg::LicenceRefusedExpired,
        Some(ProblemCode::LicenceNotYetValid) => Msg::LicenceRefusedNotYetValid,
        _ if error.problem().is_some_and(|p| !p.errors.is_empty()) => Msg::WizardFixFields,
        _ => error.message(),
    }
}

#[component]
fn Summary(spec: DeploymentSpec) -> impl IntoView {
    let i18n = use_i18n();
    let fact = move |label: Msg, testid: &'static str, value: AnyView| {
        view! {
            <div>
                <dt>{move || i18n.t(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let number = move |n: u64| (move || format_number(n, i18n.lang.get().tag())).into_any();
    let cloud = spec.cloud;
    let region = spec.region;
    let region_name = cloud.region(region).ok().map(|r| r.name);
    let s = &spec.sizing;
    let nodes = format!(
        "{} × {} ({} vCPU / {} GiB)",
        s.nodes, s.node_type.name, s.node_type.vcpu, s.node_type.memory_gib
    );
    let tags = if spec.tags.is_empty() {
        view! { {move || i18n.t(Msg::NoTags)} }.into_any()
    } else {
        spec.tags
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
    let certificate = match &spec.certificate {
        Some(c) => format!("{} · {}", c.subject, c.not_after.format("%Y-%m-%d")).into_any(),
        None => view! { {move || i18n.t(Msg::NoCertificate)} }.into_any(),
    };
    view! {
        <dl class="bc-facts bc-facts--grid" data-testid="wizard-summary">
            {fact(
                Msg::DeploymentName,
                "summary-name",
                view! { <code>{spec.name.as_str().to_owned()}</code> }.into_any(),
            )}
            {fact(
                Msg::CloudLabel,
                "summary-cloud",
                (move || cloud.name().get(i18n.lang.get()).to_owned()).into_any(),
            )}
            {fact(
                Msg::RegionName,
                "summary-region",
                view! {
                    {move || region_name.map(|n| n.get(i18n.lang.get()).to_owned())}
                    " "
                    <code>{region}</code>
                }
                    .into_any(),
            )}
            {fact(
                Msg::VpcCidr,
                "summary-cidr",
                view! { <code>{spec.vpc_cidr.to_string()}</code> }.into_any(),
            )}
            {fact(Msg::SizingSessions, "summary-sessions", number(spec.sessions))}
            {fact(Msg::SizingTps, "summary-tps", number(spec.tps))}
            {fact(Msg::SizingTier, "summary-tier", s.tier.to_string().into_any())}
            {fact(Msg::BrokerNodes, "summary-nodes", view! { <code>{nodes}</code> }.into_any())}
            {fact(
                Msg::SizingAgent,
                "summary-agent",
                view! { <code>{s.agent_type.name}</code> }.into_any(),
            )}
            {fact(
                Msg::DomainHeading,
                "summary-domain",
                view! { <code>{spec.domain.as_str().to_owned()}</code> }.into_any(),
            )}
            {fact(Msg::TlsSummary, "summary-certificate", certificate)}
            {fact(Msg::StepTags, "summary-tags", tags)}
        </dl>
    }
}

#[component]
pub fn ReviewStep(checks: Checks) -> impl IntoView {
    let i18n = use_i18n();
    let spec = Memo::new(move |_| checks.verdict.get().ok());
    let sizing = Signal::derive(move || spec.get().map(|s| s.sizing));
    let cloud = Signal::from(checks.draft.cloud);
    let summary = move || match spec.get() {
        Some(spec) => view! { <Summary spec=spec /> }.into_any(),
        None => view! {
            <p class="bc-alert bc-alert--warning" data-testid="wizard-incomplete">
                {move || i18n.t(Msg::WizardFixFields)}
            </p>
        }
        .into_any(),
    };
    let failure = move || {
        let lang = i18n.lang.get();
        checks.action.value().get().and_then(Result::err).map(|e| {
            let detail = e.problem().and_then(|p| p.detail.clone());
            view! {
                <div
                    class="bc-alert bc-alert--error"
                    role="alert"
                    data-testid="wizard-error"
                    data-code=e.code().map_or("", ProblemCode::as_str)
                >
                    <p class="bc-alert__title">{create_error(&e).text(lang)}</p>
                    {detail.map(|d| view! { <p class="bc-alert__detail">{d}</p> })}
                </div>
            }
        })
    };
    view! {
        <p class="bc-hint">{move || i18n.t(Msg::ReviewIntro)}</p>
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::SummaryHeading)}</h3>
        {summary}
        <LicenceRoom checks=checks testid="wizard-licence-warning" />
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::QuotaHeading)}</h3>
        <QuotaTableView sizing=sizing />
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::PlanHeading)}</h3>
        <p class="bc-hint">{move || i18n.t(Msg::PlanIntro)}</p>
        <PlanTable spec=Signal::derive(move || spec.get()) />
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::PolicyHeading)}</h3>
        <p class="bc-hint">{move || i18n.t(Msg::PolicyIntro)}</p>
        <PolicyViewer cloud=cloud only=Signal::stored(PolicyOperation::Create) />
        <div aria-live="assertive">{failure}</div>
    }
}
