//! The VPC peering section: what to enter on the cloud side, the form of the deployment's
//! cloud, and the peerings with their status. An active peering can be deleted (after a
//! confirmation), a failed or expired one dismissed.

use byoc_core::api::{DeploymentNetwork, Peering};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::peering::PeeringAction;
use byoc_core::network::peering::peering_label;
use leptos::prelude::*;

use super::{change_error, ChangePeering, CreatePeering, OurSide, PeeringForm};
use crate::api::network::Change;
use crate::api::ApiError;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, labels, use_i18n, Msg};

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

/// A deletion waiting for its confirmation: which peering, at which version, named how.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    id: String,
    version: i64,
    name: String,
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
    let done = RwSignal::new(None::<Msg>);
    let confirming = RwSignal::new(None::<Pending>);

    Effect::new(move |_| match change.value().get() {
        Some(Ok(_)) => {
            if confirming.get_untracked().is_some() {
                done.set(Some(Msg::NetworkChangeRequested));
            }
            confirming.set(None);
        }
        Some(Err(ApiError::PreconditionFailed { .. })) => on_stale.run(()),
        _ => {}
    });
    let error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| change_error(&e, i18n.lang.get()))
    });

    let rows = move || {
        peerings
            .get()
            .into_iter()
            .map(|p| {
                let lang = i18n.lang.get();
                let name = peering_label(&p);
                let status = p.status;
                let note = match (&p.reason, &p.expires_at) {
                    (Some(reason), _) => Some(view! { <p class="bc-hint bc-network__reason" data-testid="peering-reason">{reason.clone()}</p> }.into_any()),
                    (None, Some(at)) => Some(view! {
                        <p class="bc-hint">{Msg::ExpiresAt.text(lang)}": "<Timestamp at=at.clone()/></p>
                    }.into_any()),
                    _ => None,
                };
                let buttons = can_manage.get().then(|| p
                    .allowed_actions
                    .iter()
                    .map(|action| {
                        let (id, version, name) = (p.id.clone(), p.version, name.clone());
                        let (label, testid) = match action {
                            PeeringAction::Delete => (Msg::Delete, "peering-delete"),
                            PeeringAction::Dismiss => (Msg::DismissFailed, "peering-dismiss"),
                        };
                        let danger = *action == PeeringAction::Delete;
                        view! {
                            <button type="button" data-testid=testid
                                class=if danger { "bc-button bc-button--small bc-button--danger-outline" } else { "bc-button bc-button--small" }
                                disabled=move || change.pending().get()
                                on:click=move |_| {
                                    change.clear();
                                    done.set(None);
                                    if danger {
                                        confirming.set(Some(Pending { id: id.clone(), version, name: name.clone() }));
                                    } else {
                                        change.dispatch_local((id.clone(), Change::Dismiss, version));
                                    }
                                }>
                                {move || i18n.t(label)}
                            </button>
                        }
                    })
                    .collect_view());
                view! {
                    <tr data-testid="peering-row" data-id=p.id.clone() data-status=status.code()>
                        <td>{peer_ids(&p).into_iter().map(|v| view! { <code class="bc-network__id">{v}</code> }).collect_view()}</td>
                        <td><code>{p.peer_cidr.clone()}</code></td>
                        <td>
                            <span class=format!("bc-status bc-status--{}", labels::peering_tone(status))
                                data-testid="peering-status" data-status=status.code()>
                                {labels::peering_status(status).text(lang)}
                            </span>
                            {note}
                        </td>
                        <td>{p.description.clone().unwrap_or_default()}</td>
                        <td><Timestamp at=p.created_at.clone()/></td>
                        <td><div class="bc-toolbar">{buttons}</div></td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="bc-card" aria-labelledby="peering-heading" data-testid="peerings">
            <div class="bc-card__header">
                <h2 class="bc-card__title" id="peering-heading">{move || i18n.t(Msg::PeeringHeading)}</h2>
                <Show when=move || editable.get() && !adding.get()>
                    <button class="bc-button bc-button--primary" type="button" data-testid="peering-add"
                        on:click=move |_| {
                            create.clear();
                            done.set(None);
                            adding.set(true);
                        }>
                        {move || i18n.t(Msg::AddPeering)}
                    </button>
                </Show>
            </div>
            <p class="bc-hint">{move || i18n.t(intro(network.with(|n| n.cloud)))}</p>
            <OurSide network=network/>
            <Show when=move || adding.get() && editable.get()>
                <PeeringForm network=network peerings=peerings create=create
                    on_done=move |()| {
                        adding.set(false);
                        done.set(Some(Msg::PeeringRequested));
                    }
                    on_cancel=move |()| adding.set(false)/>
            </Show>
            <p class="bc-inline-status" role="status" aria-live="polite" data-testid="peering-done">
                {move || done.get().map(|m| i18n.t(m))}
            </p>
            {move || confirming.with(Option::is_none).then(|| error.get()).flatten().map(|e| view! {
                <p class="bc-alert bc-alert--error" role="alert" data-testid="peering-action-error">{e}</p>
            })}
            {move || if peerings.with(Vec::is_empty) {
                view! { <p class="bc-empty" data-testid="peerings-empty">{i18n.t(Msg::NoPeerings)}</p> }.into_any()
            } else {
                view! {
                    <div class="bc-table-scroll">
                        <table class="bc-table" data-testid="peerings-table">
                            <caption class="bc-visually-hidden">{i18n.t(Msg::PeeringHeading)}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.t(Msg::PeerNetwork)}</th>
                                <th scope="col">{i18n.t(Msg::PeerCidr)}</th>
                                <th scope="col">{i18n.t(Msg::FilterStatus)}</th>
                                <th scope="col">{i18n.t(Msg::Description)}</th>
                                <th scope="col">{i18n.t(Msg::Created)}</th>
                                <th scope="col">{i18n.t(Msg::Actions)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <ConfirmDialog id="confirm-peering-delete"
                subject=Signal::derive(move || confirming.get().map(|p| p.name))
                title=Signal::derive(move || {
                    let name = confirming.get().map(|p| p.name).unwrap_or_default();
                    fill(i18n.t(Msg::DeletePeeringTitle), &[("name", &name)])
                })
                body=Signal::derive(move || i18n.t(Msg::DeletePeeringBody).to_owned())
                confirm_label=Msg::Delete
                pending=change.pending()
                error=error
                on_confirm=move |()| {
                    if let Some(p) = confirming.get_untracked() {
                        change.dispatch_local((p.id, Change::Delete, p.version));
                    }
                }
                on_cancel=move |()| confirming.set(None)/>
        </section>
    }
}
