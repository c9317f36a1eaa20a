//! The deployments of a project as a table: status badge, live progress of the operation under
//! way, where it runs and how big it is. Rows are keyed by id and version, so a poll re-renders
//! only the rows that changed, however long the list grows.

use byoc_core::api::Deployment;
use byoc_core::lifecycle::deployment::Status;
use leptos::prelude::*;

use crate::components::deployment_status::{DeploymentStatusBadge, ProgressSummary};
use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};
use crate::routes::Route;

#[component]
fn Row(deployment: Deployment) -> impl IntoView {
    let i18n = use_i18n();
    let d = deployment;
    let state = d.state();
    let status = d.status;
    let progress = if state.is_transitional() {
        let (percent, phase) = (d.progress.percent, d.progress.phase.clone());
        view! { <ProgressSummary percent=percent phase=phase /> }.into_any()
    } else if let (Status::Failed, Some(phase)) = (status, d.progress.phase.clone()) {
        // Where it stopped: the detail page says why.
        (move || labels::phase_name(&phase, i18n.lang.get())).into_any()
    } else {
        "—".into_any()
    };
    let cloud = d.cloud;
    let region = d.region.clone();
    let region_name = cloud
        .region(&d.region)
        .ok()
        .map(|r| r.name)
        .map(|n| move || n.get(i18n.lang.get()).to_owned());
    let size = format!("{} × {}", d.nodes, d.node_type);
    let tier = d.tier.to_string();
    view! {
        <tr data-testid=format!("deployment-row-{}", d.name) data-status=status.code()>
            <th scope="row">
                <a href=Route::deployment(&d.id) data-testid=format!("deployment-link-{}", d.name)>
                    {d.name.clone()}
                </a>
            </th>
            <td>
                <DeploymentStatusBadge status=status />
            </td>
            <td>{progress}</td>
            <td>
                {move || cloud.name().get(i18n.lang.get()).to_owned()} <br />
                <span class="bc-hint">{region_name}" "<code>{region}</code></span>
            </td>
            <td>
                {move || format!("{} {tier}", i18n.t(Msg::SizingTier))} <br />
                <span class="bc-hint">
                    <code>{size}</code>
                </span>
            </td>
            <td>
                <Timestamp at=d.created_at />
            </td>
        </tr>
    }
}

#[component]
pub fn DeploymentsTable(#[prop(into)] deployments: Signal<Vec<Deployment>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ScrollRegion label=Msg::NavDeployments>
            <table class="bc-table" data-testid="deployments-table">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::NavDeployments)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::ProjectName)}</th>
                        <th scope="col">{move || i18n.t(Msg::FilterStatus)}</th>
                        <th scope="col">{move || i18n.t(Msg::Progress)}</th>
                        <th scope="col">{move || i18n.t(Msg::CloudRegion)}</th>
                        <th scope="col">{move || i18n.t(Msg::Size)}</th>
                        <th scope="col">{move || i18n.t(Msg::Created)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || deployments.get()
                        key=|d| (d.id.clone(), d.version)
                        children=|d| view! { <Row deployment=d /> }
                    />
                </tbody>
            </table>
        </ScrollRegion>
    }
}
