//! What the toolkit will make in the cloud account for the deployment being reviewed: core's plan
//! (the same function the toolkit executes), phase by phase, with names and settings.

use byoc_core::api::Tag;
use byoc_core::lifecycle::spec::DeploymentSpec;
use byoc_core::policy::TagCondition;
use byoc_core::provision::{plan, Origin, PlanInput};
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn PlanTable(#[prop(into)] spec: Signal<Option<DeploymentSpec>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang.get();
        let spec = spec.get()?;
        let tags: Vec<Tag> = spec.tags.clone();
        let tag = TagCondition::default();
        let vpc = spec.vpc_cidr.to_string();
        let input = PlanInput {
            // Not known before the create; it only appears in tag values and ELB names.
            deployment_id: "new",
            name: spec.name.as_str(),
            cloud: spec.cloud,
            region: spec.region,
            vpc_cidr: &vpc,
            nodes: spec.sizing.nodes,
            node_type: spec.sizing.node_type.name,
            tags: &tags,
            destructive_tag: &tag,
            zones: None,
        };
        let view = match plan(&input) {
            Ok(p) => {
                let rows = p
                    .resources
                    .iter()
                    .map(|r| {
                        let how = match r.origin {
                            Origin::Created => Msg::PlanCreated,
                            Origin::Adopted => Msg::PlanAdopted,
                            Origin::Temporary => Msg::PlanTemporary,
                        };
                        view! {
                            <tr>
                                <td>{r.phase.replace('_', " ")}</td>
                                <td>{r.kind().name().get(lang).to_owned()}</td>
                                <td>
                                    <code>{r.name.clone()}</code>
                                </td>
                                <td>{r.summary()}</td>
                                <td>{i18n.t(how)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <ScrollRegion label=Msg::PlanHeading>
                        <table class="bc-table" data-testid="plan-table">
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.t(Msg::PlanPhase)}</th>
                                    <th scope="col">{i18n.t(Msg::QuotaResource)}</th>
                                    <th scope="col">{i18n.t(Msg::PlanName)}</th>
                                    <th scope="col">{i18n.t(Msg::PlanSettings)}</th>
                                    <th scope="col">{i18n.t(Msg::PlanOrigin)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </ScrollRegion>
                }
                .into_any()
            }
            Err(_) => view! {
                <p class="bc-hint" data-testid="plan-simulated">
                    {i18n.t(Msg::PlanSimulated)}
                </p>
            }
            .into_any(),
        };
        Some(view)
    }
}
