//! The VPC peering section: what to enter on the cloud side, the form of the deployment's
//! cloud, and the peerings with their status. An active peering can be deleted (after a
//! confirmation), a failed or expired one dismissed.

use byoc_core::api::{DeploymentNetwork, Peering};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::peering::PeeringAction;
use byoc_core::network::peering::peering_label;
use leptos::prelude::*;

use super::removal::{list_or_empty, Removal};
use super::{ChangePeering, CreatePeering, OurSide, PeeringForm};
use crate::api::network::Change;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

fn intro(cloud: Cloud) -> Msg {
    match cloud {
        Cloud::Aws | Cloud::AwsCn => Msg::PeeringIntroAws,
        Cloud::Gcp => Msg::PeeringIntroGcp,
        Cloud::Aliyun => Msg::PeeringIntroAliyun,
    }
}

/// The peer network's identifiers, one per line.
fn peer_ids(p: &Peering) -> Vec<String> {
    [
        &p.peering_id,
        &p.peer_account_id,
        &p.peer_vpc_id,
        &p.peer_project_id,
        &p.peer_network,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect()
}

#[component]
pub fn PeeringSection(
    #[prop(into)] network: Signal<DeploymentNetwork>,
    #[prop(into)] peerings: Signal<Vec<Peering>>,
    /// Whether peerings can be added and removed now (running, and the user may).
    #[prop(into)]
    editable: Signal<bool>,
    #[prop(into)] can_manage: Signal<bool>,
    create: CreatePeering,
    change: ChangePeering,
    #[prop(into)] on_stale: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let adding = RwSignal::new(false);
    let removal = Removal::new(change, on_stale);
    let done = removal.done;

    let rows = move || {
        peerings
            .get()
            .into_iter()
            .map(|p| {
                let lang = i18n.lang.get();
                let name = peering_label(&p);
                let status = p.status;
                let note = match (&p.reason, &p.expires_at) {
                    (Some(reason), _) => Some(view! {
                        <p class="bc-hint bc-network__reason" data-testid="peering-reason">
                            {reason.clone()}
                        </p>
                    }.into_any()),
                    (None, Some(at)) => Some(view! { <p class="bc-hint">{Msg::ExpiresAt.text(lang)}": "<Timestamp at=*at /></p> }.into_any()),
                    _ => None,
                };
                let buttons = can_manage.get().then(|| {
                    p.allowed_actions
                        .iter()
                        .map(|action| {
                            let (what, testid) = match action {
                                PeeringAction::Delete => (Change::Delete, "peering-delete"),
                                PeeringAction::Dismiss => (Change::Dismiss, "peering-dismiss"),
                            };
                            removal.button(what, testid, p.id.clone(), p.version, name.clone())
                        })
                        .collect_view()
                });
                view! {
                    <tr data-testid="peering-row" data-id=p.id.clone() data-status=status.code()>
                        <td>
                            {peer_ids(&p)
                                .into_iter()
                                .map(|v| view! { <code class="bc-network__id">{v}</code> })
                                .collect_view()}
                        </td>
                        <td>
                            <code>{p.peer_cidr.clone()}</code>
                        </td>
                        <td>
                            <span
                                class=format!(
                                    "bc-status bc-status--{}",
                                    labels::peering_tone(status),
                                )
                                data-testid="peering-status"
                                data-status=status.code()
                            >
                                {labels::peering_status(status).text(lang)}
                            </span>
                            {note}
                        </td>
                        <td>{p.description.clone().unwrap_or_default()}</td>
                        <td>
                            <Timestamp at=p.created_at />
                        </td>
                        <td>
                            <div class="bc-toolbar">{buttons}</div>
                        </td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <section class="bc-card" aria-labelledby="peering-heading" data-testid="peerings">
            <div class="bc-card__header">
                <h2 class="bc-card__title" id="peering-heading">
                    {move || i18n.t(Msg::PeeringHeading)}
                </h2>
                <Show when=move || editable.get() && !adding.get()>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="peering-add"
                        on:click=move |_| {
                            create.clear();
                            done.set(None);
                            adding.set(true);
                        }
                    >
                        {move || i18n.t(Msg::AddPeering)}
                    </button>
                </Show>
            </div>
            <p class="bc-hint">{move || i18n.t(intro(network.with(|n| n.cloud)))}</p>
            <OurSide network=network />
            <Show when=move || adding.get() && editable.get()>
                <PeeringForm
                    network=network
                    peerings=peerings
                    create=create
                    on_done=move |()| {
                        adding.set(false);
                        done.set(Some(Msg::PeeringRequested));
                    }
                    on_cancel=move |()| adding.set(false)
                />
            </Show>
            {removal.outcome("peering")}
            {list_or_empty(
                "peerings-table",
                Msg::PeeringHeading,
                &[
                    Msg::PeerNetwork,
                    Msg::PeerCidr,
                    Msg::FilterStatus,
                    Msg::Description,
                    Msg::Created,
                    Msg::Actions,
                ],
                ("peerings-empty", Msg::NoPeerings),
                Signal::derive(move || peerings.with(Vec::is_empty)),
                rows,
            )}
            {removal
                .dialog(
                    "confirm-peering-delete",
                    Msg::DeletePeeringTitle,
                    Signal::derive(move || i18n.t(Msg::DeletePeeringBody).to_owned()),
                )}
        </section>
    }
}
