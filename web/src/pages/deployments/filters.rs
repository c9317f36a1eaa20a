//! The list's search, filters and order. The server applies them, so they stay quick with
//! thousands of deployments; the name search waits for a pause in typing.

use std::time::Duration;

use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::deployment::Status;
use leptos::prelude::*;

use crate::api::deployments::{DeploymentFilter, Sort};
use crate::i18n::{labels, use_i18n, Msg};

/// How long typing must pause before the name search is sent.
const SEARCH_PAUSE: Duration = Duration::from_millis(300);

#[component]
pub fn DeploymentFilters(filter: RwSignal<DeploymentFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(filter.get_untracked().name);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_search = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let name = typed.get_untracked();
                filter.update(|f| f.name = name);
            },
            SEARCH_PAUSE,
        )
        .ok();
        pending.set_value(handle);
    };
    on_cleanup(move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });

    let status_options = Status::ALL
        .into_iter()
        .map(|s| {
            // Selected when the list opens narrowed to it (a link from the Overview).
            let chosen = filter.with_untracked(|f| f.status == Some(s));
            view! {
                <option value=s.code() selected=chosen>
                    {move || i18n.t(labels::deployment_status(s))}
                </option>
            }
        })
        .collect_view();
    let cloud_options = Cloud::ALL
        .into_iter()
        .map(|c| view! { <option value=c.code()>{move || c.name().get(i18n.lang.get()).to_owned()}</option> })
        .collect_view();
    let sort_options = Sort::ALL
        .into_iter()
        .map(|s| view! { <option value=s.code()>{move || i18n.t(labels::sort(s))}</option> })
        .collect_view();

    view! {
        <div
            class="bc-form-row bc-deployments__filters"
            role="search"
            data-testid="deployments-filters"
        >
            <div class="bc-field">
                <label class="bc-field__label" for="deployments-search">
                    {move || i18n.t(Msg::SearchByName)}
                </label>
                <input
                    class="bc-input"
                    id="deployments-search"
                    data-testid="deployments-search"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || typed.get()
                    on:input=on_search
                />
            </div>
            <div class="bc-field">
                <label class="bc-field__label" for="deployments-status">
                    {move || i18n.t(Msg::FilterStatus)}
                </label>
                <select
                    class="bc-select"
                    id="deployments-status"
                    data-testid="deployments-status"
                    on:change=move |ev| {
                        let status = Status::parse(&event_target_value(&ev));
                        filter.update(|f| f.status = status);
                    }
                >
                    <option value="">{move || i18n.t(Msg::AnyStatus)}</option>
                    {status_options}
                </select>
            </div>
            <div class="bc-field">
                <label class="bc-field__label" for="deployments-cloud">
                    {move || i18n.t(Msg::CloudLabel)}
                </label>
                <select
                    class="bc-select"
                    id="deployments-cloud"
                    data-testid="deployments-cloud"
                    on:change=move |ev| {
                        let cloud = event_target_value(&ev).parse::<Cloud>().ok();
                        filter.update(|f| f.cloud = cloud);
                    }
                >
                    <option value="">{move || i18n.t(Msg::AnyCloud)}</option>
                    {cloud_options}
                </select>
            </div>
            <div class="bc-field">
                <label class="bc-field__label" for="deployments-sort">
                    {move || i18n.t(Msg::SortBy)}
                </label>
                <select
                    class="bc-select"
                    id="deployments-sort"
                    data-testid="deployments-sort"
                    on:change=move |ev| {
                        let sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
                        filter.update(|f| f.sort = sort);
                    }
                >
                    {sort_options}
                </select>
            </div>
        </div>
    }
}
