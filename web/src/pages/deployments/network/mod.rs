//! A deployment's Network tab (SPEC §6, §10): the deployment's side of a connection, its VPC
//! peerings with the form of its cloud, and its PrivateLinks with the wizard of the seed
//! `emqx-privatelink-aliyun.zh.md`. Every rule is `core`'s; the server checks again. The tab
//! follows the toolkit's reports live: every 2 s while something waits for the cloud side, every
//! 10 s otherwise.

mod peering_form;
mod peerings;
mod privatelinks;
mod removal;
mod side;
mod submission;
mod wizard;

use byoc_core::api::ProblemCode;
use byoc_core::api::{
    CreatePeeringRequest, CreatePrivateLinkRequest, DeploymentNetwork, Peering, PrivateLink,
};
use byoc_core::lifecycle::peering::PeeringStatus;
use byoc_core::lifecycle::privatelink::PrivateLinkStatus;
use leptos::prelude::*;

use crate::api::idempotency::SubmissionKey;
use crate::api::network::{self as net, Change, Kind};
use crate::api::ApiError;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{errors, use_i18n, Msg};
use crate::poll::poll;
pub use peering_form::PeeringForm;
pub use peerings::PeeringSection;
pub use privatelinks::PrivateLinkSection;
pub use side::OurSide;
pub use wizard::PrivateLinkWizard;

const BUSY_POLL_MS: u32 = 2_000;
const IDLE_POLL_MS: u32 = 10_000;

pub type CreatePeering = Action<CreatePeeringRequest, Result<Peering, ApiError>>;
pub type CreateLink = Action<CreatePrivateLinkRequest, Result<PrivateLink, ApiError>>;
/// Delete or dismiss one resource (its id) at the version shown.
pub type ChangePeering = Action<(String, Change, i64), Result<Peering, ApiError>>;
pub type ChangeLink = Action<(String, Change, i64), Result<PrivateLink, ApiError>>;

/// What the tab can ask of the control plane; a test passes its own.
#[derive(Clone, Copy)]
pub struct NetworkActions {
    pub create_peering: CreatePeering,
    pub create_link: CreateLink,
    pub change_peering: ChangePeering,
    pub change_link: ChangeLink,
}

/// The sentence for a refused network change: the 409s the catalog words completely (the
/// deployment stopped, the network peered already, one link per service), else the server's
/// detail after the catalog's lead.
pub fn change_error(error: &ApiError, lang: byoc_core::lang::Lang) -> String {
    errors::refusal(
        error,
        lang,
        Msg::NetworkChangedMeanwhile,
        &[
            (ProblemCode::DeploymentNotRunning, Msg::NetRefusedNotRunning),
            (ProblemCode::PeeringExists, Msg::NetRefusedPeeringExists),
            (ProblemCode::PrivatelinkExists, Msg::NetRefusedLinkExists),
        ],
        &[(ProblemCode::ActionNotAllowed, Msg::ActionNotAllowed)],
    )
}

/// The whole tab for a network the caller already has, so it renders (and is tested) without a
/// server.
#[component]
pub fn NetworkView(
    #[prop(into)] network: Signal<DeploymentNetwork>,
    #[prop(into)] peerings: Signal<Vec<Peering>>,
    #[prop(into)] links: Signal<Vec<PrivateLink>>,
    /// Whether the user may change the project's networks (viewers may not).
    #[prop(into)]
    can_manage: Signal<bool>,
    actions: NetworkActions,
    /// Told when the server says something changed since it was shown (412).
    #[prop(into)]
    on_stale: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = Signal::derive(move || network.with(|n| n.accepts_changes));
    let editable = Signal::derive(move || open.get() && can_manage.get());
    view! {
        <div class="bc-network" data-testid="network-tab">
            <p class="bc-hint">{move || i18n.t(Msg::NetworkIntro)}</p>
            <Show when=move || !can_manage.get()>
                <p class="bc-alert bc-alert--info" data-testid="network-read-only">
                    {move || i18n.t(Msg::NetworkReadOnly)}
                </p>
            </Show>
            <Show when=move || can_manage.get() && !open.get()>
                <p class="bc-alert bc-alert--warning" data-testid="network-not-running">
                    {move || i18n.t(Msg::NetworkNotRunning)}
                </p>
            </Show>
            <PeeringSection
                network=network
                peerings=peerings
                editable=editable
                can_manage=can_manage
                create=actions.create_peering
                change=actions.change_peering
                on_stale=on_stale
            />
            <PrivateLinkSection
                network=network
                links=links
                editable=editable
                can_manage=can_manage
                create=actions.create_link
                change=actions.change_link
                on_stale=on_stale
            />
        </div>
    }
}

/// Lands every answer of `action` in `list` at once: the resource replaces (or joins) its
/// namesake, or leaves the list when `removed`; then `reload` re-reads the lists.
fn follow<I, T>(
    action: Action<I, Result<T, ApiError>>,
    list: RwSignal<Vec<T>>,
    id: fn(&T) -> String,
    removed: fn(&T) -> bool,
    reload: impl Fn() + 'static,
) where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        let Some(Ok(item)) = action.value().get() else {
            return;
        };
        let key = id(&item);
        list.update(|all| match all.iter().position(|x| id(x) == key) {
            Some(i) if removed(&item) => {
                all.remove(i);
            }
            Some(i) => all[i] = item,
            None if !removed(&item) => all.push(item),
            None => {}
        });
        reload();
    });
}

/// The tab on a deployment's page: reads the network, follows it, and sends the changes.
#[component]
pub fn NetworkTab(
    id: String,
    /// Whether the user may change the project's networks.
    #[prop(into)]
    can_manage: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let network = RwSignal::new(None::<DeploymentNetwork>);
    let peerings = RwSignal::new(Vec::<Peering>::new());
    let links = RwSignal::new(Vec::<PrivateLink>::new());
    let failure = RwSignal::new(None::<ApiError>);
    // The poll and the re-read after a change can overlap: only the newest read may land, or
    // an older answer could bring back a link the user just deleted.
    let reads = StoredValue::new(0_u64);

    let read = move || async move {
        let id = id.try_get_value()?;
        let mine = reads.try_with_value(|n| n + 1)?;
        reads.try_set_value(mine);
        let answer = match net::peerings(&id).await {
            Ok(p) => net::privatelinks(&id).await.map(|l| (p, l)),
            Err(e) => Err(e),
        };
        if reads.try_get_value()? != mine {
            return Some(Ok(true));
        }
        Some(match answer {
            Ok((p, l)) => {
                let busy = p.items.iter().any(|x| x.status.needs_agent())
                    || l.items.iter().any(|x| x.status.needs_agent());
                if network.try_with_untracked(|n| n.as_ref() != Some(&l.network))? {
                    network.try_set(Some(l.network));
                }
                if peerings.try_with_untracked(|now| *now != p.items)? {
                    peerings.try_set(p.items);
                }
                if links.try_with_untracked(|now| *now != l.items)? {
                    links.try_set(l.items);
                }
                failure.try_set(None);
                Ok(busy)
            }
            Err(e) => {
                failure.try_set(Some(e.clone()));
                Err(e)
            }
        })
    };
    poll(move || async move {
        match read().await? {
            Ok(busy) => Some(if busy { BUSY_POLL_MS } else { IDLE_POLL_MS }),
            Err(e) => {
                let gone = matches!(
                    e,
                    ApiError::NotFound(_) | ApiError::Forbidden(_) | ApiError::Unauthorized(_)
                );
                (!gone).then_some(IDLE_POLL_MS)
            }
        }
    });
    let reload = move || {
        leptos::task::spawn_local(async move {
            let _ = read().await;
        });
    };

    let peering_key = SubmissionKey::<CreatePeeringRequest>::new();
    let link_key = SubmissionKey::<CreatePrivateLinkRequest>::new();
    let create_peering = Action::new_local(move |req: &CreatePeeringRequest| {
        let (req, key) = (req.clone(), peering_key.for_request(req));
        async move {
            let answer = net::create_peering(&id.get_value(), &req, &key).await;
            if answer.is_ok() {
                peering_key.done();
            }
            answer
        }
    });
    let create_link = Action::new_local(move |req: &CreatePrivateLinkRequest| {
        let (req, key) = (req.clone(), link_key.for_request(req));
        async move {
            let answer = net::create_privatelink(&id.get_value(), &req, &key).await;
            if answer.is_ok() {
                link_key.done();
            }
            answer
        }
    });
    let change_peering =
        Action::new_local(move |(rid, change, version): &(String, Change, i64)| {
            let (rid, change, version) = (rid.clone(), *change, *version);
            async move {
                net::change::<Peering>(&id.get_value(), Kind::Peering, &rid, change, version).await
            }
        });
    let change_link = Action::new_local(move |(rid, change, version): &(String, Change, i64)| {
        let (rid, change, version) = (rid.clone(), *change, *version);
        async move {
            net::change::<PrivateLink>(&id.get_value(), Kind::PrivateLink, &rid, change, version)
                .await
        }
    });
    // What an answer says lands in the lists at once; a re-read confirms it.
    let peering_id = |p: &Peering| p.id.clone();
    let link_id = |l: &PrivateLink| l.id.clone();
    follow(create_peering, peerings, peering_id, |_| false, reload);
    follow(
        change_peering,
        peerings,
        peering_id,
        |p| p.status == PeeringStatus::Removed,
        reload,
    );
    follow(create_link, links, link_id, |_| false, reload);
    follow(
        change_link,
        links,
        link_id,
        |l| l.status == PrivateLinkStatus::Removed,
        reload,
    );
    let actions = NetworkActions {
        create_peering,
        create_link,
        change_peering,
        change_link,
    };

    let loaded = Memo::new(move |_| network.with(Option::is_some));
    move || {
        let _ = loaded.get();
        match network.get_untracked() {
            Some(first) => view! {
                {move || {
                    failure
                        .get()
                        .map(|e| view! { <ApiErrorView error=e on_retry=move |()| reload() /> })
                }}
                <NetworkView
                    network=Signal::derive(move || network.get().unwrap_or_else(|| first.clone()))
                    peerings=peerings
                    links=links
                    can_manage=can_manage
                    actions=actions
                    on_stale=move |()| reload()
                />
            }
            .into_any(),
            None => view! {
                {move || {
                    failure
                        .get()
                        .map(|e| view! { <ApiErrorView error=e on_retry=move |()| reload() /> })
                }}
                <Show when=move || failure.with(Option::is_none)>
                    <p class="bc-loading" role="status">
                        {move || i18n.t(Msg::Loading)}
                    </p>
                </Show>
            }
            .into_any(),
        }
    }
}
