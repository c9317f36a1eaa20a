//! One deployment's page (SPEC §10): status and why it failed, the phase timeline, the bootstrap
//! guide while an operation waits for the toolkit, connection info, specification, what the
//! toolkit reported, and the danger zone. It follows the deployment live: every 2 s while an
//! operation runs, every 10 s otherwise, and not at all once the page is left.

mod bootstrap;
mod danger;
mod facts;
mod tabs;
mod timeline;

use byoc_core::access::Action as Permission;
use byoc_core::api::{BootstrapGuide, BootstrapKey, Deployment};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::keys::use_issued_keys;
use super::network::NetworkTab;
use crate::api::{self, ApiError};
use crate::components::error_view::ApiErrorView;
use crate::i18n::{use_i18n, Msg};
use crate::pages::licence::state::use_licence;
use crate::poll::poll;
use crate::routes::{Route, ID_PARAM, TAB_QUERY};
use crate::session::use_session;
pub use bootstrap::{clock, BootstrapGuideView, RegenerateAction};
pub use danger::{action_error, ActAction, DangerZone};
pub use facts::{Connection, Reported, Specification, StatusHeader};
pub use tabs::{DeploymentTabs, Tab};
pub use timeline::Timeline;

const BUSY_POLL_MS: u32 = 2_000;
const IDLE_POLL_MS: u32 = 10_000;

/// The whole page for a deployment the caller already has, so it renders (and is tested)
/// without a server: the page passes in what it fetched and the actions that change it.
#[component]
pub fn DeploymentDetail(
    #[prop(into)] deployment: Signal<Deployment>,
    /// The guide of the operation waiting for the toolkit, if any.
    #[prop(into)]
    guide: Signal<Option<BootstrapGuide>>,
    /// Its key, when this page received it.
    #[prop(into)]
    key: Signal<Option<BootstrapKey>>,
    /// Whether the user may operate deployments in its project (viewers may not).
    #[prop(into)]
    can_operate: Signal<bool>,
    act: ActAction,
    regenerate: RegenerateAction,
    #[prop(into)] on_stale: Callback<()>,
    /// The tab shown; the overview when not given.
    #[prop(optional, into)]
    tab: Option<Signal<Tab>>,
    /// The Network tab's content, when the caller has one.
    #[prop(optional, into)]
    network: Option<ViewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tab = tab.unwrap_or_else(|| Signal::stored(Tab::Overview));
    let id = Signal::derive(move || deployment.with(|d| d.id.clone()));
    let cloud = Signal::derive(move || deployment.with(|d| d.cloud));
    let project = move || deployment.with(|d| d.project_id.clone());
    // Built when a guide appears and dropped when it goes; in between it follows the guide.
    let has_guide = Memo::new(move |_| guide.with(Option::is_some));
    let done = RwSignal::new(None::<Msg>);
    let overview = move || {
        view! {
            <Timeline deployment=deployment />
            {move || {
                if !has_guide.get() {
                    return None;
                }
                let first = guide.get_untracked()?;
                let g = Signal::derive(move || guide.get().unwrap_or_else(|| first.clone()));
                Some(
                    // `get`, not `track`: a memo only follows its sources once it has been read.
                    view! {
                        <BootstrapGuideView
                            guide=g
                            key=key
                            cloud=cloud
                            can_operate=can_operate.get_untracked()
                            regenerate=regenerate
                        />
                    },
                )
            }}
            <Connection deployment=deployment />
            <Specification deployment=deployment />
            <Reported deployment=deployment />
            <Show when=move || can_operate.get()>
                <DangerZone deployment=deployment act=act on_stale=on_stale done=done />
            </Show>
        }
        .into_any()
    };
    view! {
        <section class="bc-page bc-deployment" data-testid="deployment-detail">
            <p class="bc-breadcrumb">
                <a href=move || Route::deployments_of(&project()) data-testid="deployment-back">
                    {move || i18n.t(Msg::AllDeployments)}
                </a>
            </p>
            <StatusHeader deployment=deployment />
            <p
                class="bc-inline-status bc-deployment__done"
                role="status"
                aria-live="polite"
                data-testid="action-status"
            >
                {move || done.get().map(|m| i18n.t(m))}
            </p>
            <DeploymentTabs id=id tab=tab />
            {move || match (tab.get(), network.clone()) {
                (Tab::Network, Some(network)) => network.run(),
                _ => overview().into_any(),
            }}
        </section>
    }
}

#[component]
pub fn DeploymentPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get(ID_PARAM)).unwrap_or_default());
    // A different deployment is a new page: nothing of the previous one may stay.
    move || {
        let id = id.get();
        view! { <DeploymentLoader id=id /> }
    }
}

#[component]
fn DeploymentLoader(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let licence = use_licence();
    let id = StoredValue::new(id);
    let deployment = RwSignal::new(None::<Deployment>);
    let failure = RwSignal::new(None::<ApiError>);
    let guide = RwSignal::new(None::<BootstrapGuide>);
    // The last guide that came with its key: from the wizard, an action or a regeneration.
    let fresh = RwSignal::new(id.with_value(|id| use_issued_keys().take(id)));
    poll(move || async move {
        let id = id.try_get_value()?;
        match api::deployments::get(&id).await {
            Ok(d) => {
                let busy = d.state().is_transitional();
                if deployment.try_with_untracked(|now| now.as_ref() != Some(&d))? {
                    deployment.try_set(Some(d));
                }
                failure.try_set(None);
                Some(if busy { BUSY_POLL_MS } else { IDLE_POLL_MS })
            }
            Err(e) => {
                let gone = matches!(
                    e,
                    ApiError::NotFound(_) | ApiError::Forbidden(_) | ApiError::Unauthorized(_)
                );
                failure.try_set(Some(e));
                (!gone).then_some(IDLE_POLL_MS)
            }
        }
    });
    let reload = move || {
        leptos::task::spawn_local(async move {
            let Some(id) = id.try_get_value() else { return };
            match api::deployments::get(&id).await {
                Ok(d) => {
                    failure.try_set(None);
                    deployment.try_set(Some(d));
                }
                Err(e) => {
                    failure.try_set(Some(e));
                }
            }
        });
    };

    // The guide is asked for whenever the operation waited for (or the deployment's status)
    // changes: a new key state, another operation, or none.
    let awaited = Memo::new(move |_| {
        deployment.with(|d| {
            d.as_ref()
                .map(|d| (d.status, d.state().awaited_operation()))
        })
    });
    Effect::new(move |_| {
        let Some((_, operation)) = awaited.get() else {
            return;
        };
        if operation.is_none() {
            guide.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let Some(id) = id.try_get_value() else { return };
            if let Ok(answer) = api::deployments::bootstrap(&id).await {
                guide.try_set(answer);
            }
        });
    });

    let act = Action::new_local(|(id, action, version): &(String, _, i64)| {
        let (id, action, version) = (id.clone(), *action, *version);
        async move { api::deployments::act(&id, action, version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(change)) = act.value().get() {
            deployment.set(Some(change.deployment));
            guide.set(change.bootstrap.clone());
            fresh.set(change.bootstrap);
            // Starting, stopping and deleting move licence usage.
            licence.current.refetch();
        }
    });
    let regenerate = Action::new_local(move |(): &()| {
        let id = id.get_value();
        // The version the page shows (polled, so current unless someone just acted elsewhere).
        let version = deployment.with_untracked(|d| d.as_ref().map_or(0, |d| d.version));
        async move { api::deployments::regenerate(&id, version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(new)) = regenerate.value().get() {
            guide.set(Some(new.clone()));
            fresh.set(Some(new));
        }
    });

    // The key is known only for the guide it was issued with: if someone regenerated it
    // elsewhere since, the one kept here no longer works and is not shown.
    let key = Signal::derive(move || {
        let fresh = fresh.get()?;
        let current = guide.with(|g| g.as_ref().map(|g| g.issued_at));
        match current {
            Some(issued) if issued != fresh.issued_at => None,
            _ => fresh.key,
        }
    });
    let shown_guide = Signal::derive(move || {
        guide.get().or_else(|| {
            // Until the guide has been read, the one that came with the key stands in for it.
            fresh
                .get()
                .filter(|_| awaited.with(|a| a.is_some_and(|(_, op)| op.is_some())))
        })
    });
    let can_operate = Signal::derive(move || {
        deployment.with(|d| {
            d.as_ref()
                .is_some_and(|d| session.can_in(&d.project_id, Permission::OperateDeployments))
        })
    });
    let can_manage_network = Signal::derive(move || {
        deployment.with(|d| {
            d.as_ref()
                .is_some_and(|d| session.can_in(&d.project_id, Permission::ManageNetwork))
        })
    });
    let query = use_query_map();
    let tab = Signal::derive(move || query.with(|q| Tab::parse(q.get(TAB_QUERY).as_deref())));
    // Mounted while the Network tab shows, so its polling stops when the user leaves the tab.
    let network = ViewFn::from(move || {
        view! { <NetworkTab id=id.get_value() can_manage=can_manage_network /> }.into_any()
    });

    // Rendered once the first answer is in; later answers flow through the signals.
    let loaded = Memo::new(move |_| deployment.with(Option::is_some));
    let failed_first = Memo::new(move |_| if loaded.get() { None } else { failure.get() });
    move || {
        let _ = loaded.get();
        match (deployment.get_untracked(), failed_first.get()) {
            (Some(first), _) => view! {
                // A later read failing (the network, say) is said above the page it leaves as is.
                {move || {
                    failure
                        .get()
                        .map(|e| view! { <ApiErrorView error=e on_retry=move |()| reload() /> })
                }}
                <DeploymentDetail
                    deployment=Signal::derive(move || {
                        deployment.get().unwrap_or_else(|| first.clone())
                    })
                    guide=shown_guide
                    key=key
                    can_operate=can_operate
                    act=act
                    regenerate=regenerate
                    on_stale=move |()| reload()
                    tab=tab
                    network=network.clone()
                />
            }
            .into_any(),
            (None, Some(error)) => view! {
                <section class="bc-page">
                    <ApiErrorView error=error on_retry=move |()| reload() />
                </section>
            }
            .into_any(),
            (None, None) => view! {
                <p class="bc-loading" role="status">
                    {move || i18n.t(Msg::Loading)}
                </p>
            }
            .into_any(),
        }
    }
}
