//! The Deployments page: the chosen project's deployments, filtered and sorted by the server,
//! paged with "Load more", and followed live (every few seconds) while any shown deployment is
//! on its way somewhere.

use byoc_core::access::Action as Permission;
use byoc_core::api::{Deployment, Project};
use byoc_core::lifecycle::deployment::Status;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::filters::DeploymentFilters;
use super::project_scope::ProjectScope;
use super::table::DeploymentsTable;
use crate::api::deployments::{self, DeploymentFilter, MAX_PAGE_SIZE, PAGE_SIZE};
use crate::api::ApiError;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{fill, use_i18n, Msg};
use crate::poll::poll;
use crate::routes::{Route, STATUS_QUERY};
use crate::session::use_session;

/// How often the list is read again while a shown deployment is transitional.
const POLL_MS: u32 = 3_000;

#[component]
pub fn DeploymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavDeployments)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::DeploymentsIntro)}</p>
            <ProjectScope
                link=Route::deployments_of
                render=|project| view! { <ProjectDeployments project=project /> }.into_any()
            />
        </section>
    }
}

/// What the list holds: the pages loaded so far and where the next one starts.
#[derive(Clone, Debug, Default, PartialEq)]
struct Loaded {
    items: Vec<Deployment>,
    cursor: Option<String>,
    total: u64,
}

#[component]
fn ProjectDeployments(project: Project) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let project_id = StoredValue::new(project.id.clone());
    let can_create = Memo::new(move |_| {
        project_id.with_value(|id| session.can_in(id, Permission::OperateDeployments))
    });
    // A link from the Overview names a status; the list opens narrowed to it.
    let linked_status = use_query_map()
        .with_untracked(|q| q.get(STATUS_QUERY))
        .and_then(|s| Status::parse(&s));
    let filter = RwSignal::new(DeploymentFilter {
        status: linked_status,
        ..DeploymentFilter::default()
    });
    let loaded = RwSignal::new(Loaded::default());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // Bumped by each new query, so an answer to older filters (or a refresh overtaken by a new
    // query) is dropped.
    let generation = RwSignal::new(0u64);

    let load = move |more: bool| {
        let applied = filter.get_untracked();
        let after = if more {
            loaded.with_untracked(|l| l.cursor.clone())
        } else {
            None
        };
        let ticket = generation.get_untracked() + 1;
        generation.set(ticket);
        loading.set(true);
        error.set(None);
        if !more {
            loaded.set(Loaded::default());
        }
        let id = project_id.get_value();
        leptos::task::spawn_local(async move {
            let result = deployments::page(&id, &applied, after.as_deref(), PAGE_SIZE).await;
            if generation.try_get_untracked() != Some(ticket) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => loaded.update(|l| {
                    l.items.extend(page.items);
                    l.cursor = page.next_cursor.filter(|c| !c.is_empty());
                    // Counted on the first page only; later pages keep it.
                    if let Some(total) = page.total {
                        l.total = total;
                    }
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        load(false);
    });

    // While something shown is on its way, the rows already loaded are read again in place.
    poll(move || async move {
        let busy =
            loaded.try_with_untracked(|l| l.items.iter().any(|d| d.state().is_transitional()))?;
        if busy && !loading.try_get_untracked()? {
            refresh(project_id.try_get_value()?, filter, loaded, generation).await;
        }
        Some(POLL_MS)
    });

    let new_link = move || Route::new_deployment(&project_id.get_value());
    let items = Signal::derive(move || loaded.with(|l| l.items.clone()));
    let count = move || {
        loaded.with(|l| {
            fill(
                i18n.t(Msg::DeploymentsShown),
                &[
                    ("shown", &l.items.len().to_string()),
                    ("total", &l.total.to_string()),
                ],
            )
        })
    };
    let nothing = Memo::new(move |_| {
        !loading.get() && error.with(Option::is_none) && loaded.with(|l| l.items.is_empty())
    });
    // The empty state offers its own button; the header's would say the same twice.
    let empty_state = move || nothing.get() && !filter.with(DeploymentFilter::narrows);
    let empty = move || {
        nothing.get().then(|| {
            if filter.with(DeploymentFilter::narrows) {
                view! {
                    <p class="bc-hint" data-testid="deployments-empty">
                        {i18n.t(Msg::NoDeploymentsMatch)}
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <div class="bc-empty" data-testid="deployments-empty">
                        <p>{i18n.t(Msg::NoDeployments)}</p>
                        {move || {
                            can_create
                                .get()
                                .then(|| {
                                    view! {
                                        <a
                                            class="bc-button bc-button--primary"
                                            href=new_link()
                                            data-testid="deployments-empty-new"
                                        >
                                            {i18n.t(Msg::NewDeployment)}
                                        </a>
                                    }
                                })
                        }}
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="bc-card" aria-labelledby="deployments-heading">
            <div class="bc-card__header">
                <h2 class="bc-card__title" id="deployments-heading">
                    {project.name.clone()}
                </h2>
                {move || {
                    if can_create.get() && empty_state() {
                        ().into_any()
                    } else if can_create.get() {
                        view! {
                            <a
                                class="bc-button bc-button--primary"
                                href=new_link()
                                data-testid="deployments-new"
                            >
                                {i18n.t(Msg::NewDeployment)}
                            </a>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="bc-hint" data-testid="deployments-read-only">
                                {i18n.t(Msg::ReadOnlyRole)}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
            <DeploymentFilters filter=filter />
            <p
                class="bc-inline-status"
                role="status"
                aria-live="polite"
                data-testid="deployments-count"
            >
                {move || (!nothing.get()).then(count)}
            </p>
            {move || {
                (!loaded.with(|l| l.items.is_empty()))
                    .then(|| view! { <DeploymentsTable deployments=items /> })
            }}
            {empty}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <ApiErrorView
                                error=e
                                on_retry=move |()| {
                                    load(loaded.with_untracked(|l| l.cursor.is_some()));
                                }
                            />
                        }
                    })
            }}
            <div class="bc-toolbar">
                {move || {
                    loading
                        .get()
                        .then(|| {
                            view! {
                                <p class="bc-loading" role="status">
                                    {i18n.t(Msg::Loading)}
                                </p>
                            }
                        })
                }}
                {move || {
                    (!loading.get() && loaded.with(|l| l.cursor.is_some()))
                        .then(|| {
                            view! {
                                <button
                                    class="bc-button"
                                    type="button"
                                    data-testid="deployments-more"
                                    on:click=move |_| load(true)
                                >
                                    {i18n.t(Msg::LoadMore)}
                                </button>
                            }
                        })
                }}
            </div>
        </section>
    }
}

/// Reads the rows already shown again in one request and puts the answer in their place,
/// unless a new query started meanwhile. Only the first 500 (one page) are followed live: rows
/// further down a list someone paged through at length keep what they last read, so polling
/// costs the same however long the list grows.
async fn refresh(
    project_id: String,
    filter: RwSignal<DeploymentFilter>,
    loaded: RwSignal<Loaded>,
    generation: RwSignal<u64>,
) -> Option<()> {
    let ticket = generation.try_get_untracked()?;
    let applied = filter.try_get_untracked()?;
    let shown = loaded.try_with_untracked(|l| l.items.len())?;
    let wanted = u32::try_from(shown)
        .unwrap_or(MAX_PAGE_SIZE)
        .min(MAX_PAGE_SIZE);
    let page = deployments::page(&project_id, &applied, None, wanted)
        .await
        .ok()?;
    if generation.try_get_untracked()? != ticket {
        return Some(());
    }
    let fresh = loaded.try_with_untracked(|old| {
        let kept = old.items.iter().skip(page.items.len()).cloned();
        Loaded {
            // The page's cursor continues after its own rows; with more rows shown than it
            // covers, the next page still starts after the last shown.
            cursor: if old.items.len() > page.items.len() {
                old.cursor.clone()
            } else {
                page.next_cursor.clone().filter(|c| !c.is_empty())
            },
            items: page.items.iter().cloned().chain(kept).collect(),
            total: page.total.unwrap_or(old.total),
        }
    })?;
    if loaded.try_with_untracked(|l| *l != fresh)? {
        loaded.try_set(fresh);
    }
    Some(())
}
