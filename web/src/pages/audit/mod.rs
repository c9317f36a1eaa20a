//! The audit log: filters, pages loaded with "Load more" through the server's cursor, and a CSV
//! download of everything matching the same filters.

mod filters;
pub mod table;

use byoc_core::api::AuditEntry;
use leptos::prelude::*;

use crate::api::audit::{self, AuditFilter};
use crate::api::ApiError;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{fill, use_i18n, Msg};
use filters::AuditFilters;
use table::AuditTable;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(AuditFilter::default());
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // Bumped by each new query, so a page that arrives after the filters changed is dropped.
    let generation = RwSignal::new(0u64);

    let load = move |more: bool| {
        let applied = filter.get_untracked();
        let after = if more { cursor.get_untracked() } else { None };
        let ticket = generation.get_untracked() + u64::from(!more);
        generation.set(ticket);
        loading.set(true);
        error.set(None);
        if !more {
            // Entries of the previous filters must not stand beside the new ones.
            entries.set(Vec::new());
            cursor.set(None);
        }
        leptos::task::spawn_local(async move {
            let result = audit::page(&applied, after.as_deref()).await;
            // The page may have been left meanwhile (signals gone), or a newer query started.
            if generation.try_get_untracked() != Some(ticket) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    entries.update(|list| list.extend(page.items));
                    cursor.set(page.next_cursor.filter(|c| !c.is_empty()));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    load(false);

    let apply = move |f: AuditFilter| {
        filter.set(f);
        load(false);
    };
    let export = move || audit::export_url(&filter.get());
    let count = move || {
        let n = entries.with(Vec::len);
        fill(i18n.t(Msg::AuditShown), &[("count", &n.to_string())])
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavAudit)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::AuditIntro)}</p>
            <section class="bc-card" aria-labelledby="audit-filters-heading">
                <h2 class="bc-card__title" id="audit-filters-heading">
                    {move || i18n.t(Msg::AuditFilters)}
                </h2>
                <AuditFilters on_apply=apply />
            </section>
            <section class="bc-card" aria-labelledby="audit-heading">
                <div class="bc-card__header">
                    <h2 class="bc-card__title" id="audit-heading">
                        {move || i18n.t(Msg::AuditEntries)}
                    </h2>
                    <a
                        class="bc-button"
                        href=export
                        download="byoc-audit-log.csv"
                        data-testid="audit-export"
                    >
                        {move || i18n.t(Msg::DownloadCsv)}
                    </a>
                </div>
                <p
                    class="bc-inline-status"
                    role="status"
                    aria-live="polite"
                    data-testid="audit-count"
                >
                    {count}
                </p>
                <AuditTable entries=entries />
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <ApiErrorView
                                    error=e
                                    on_retry=move |()| {
                                        load(cursor.with_untracked(Option::is_some));
                                    }
                                />
                            }
                        })
                }}
                {move || {
                    (!loading.get() && error.with(Option::is_none) && entries.with(Vec::is_empty))
                        .then(|| {
                            view! {
                                <p class="bc-hint" data-testid="audit-empty">
                                    {i18n.t(Msg::AuditNone)}
                                </p>
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
                        (!loading.get() && cursor.with(Option::is_some))
                            .then(|| {
                                view! {
                                    <button
                                        class="bc-button"
                                        type="button"
                                        data-testid="audit-more"
                                        on:click=move |_| load(true)
                                    >
                                        {i18n.t(Msg::LoadMore)}
                                    </button>
                                }
                            })
                    }}
                </div>
            </section>
        </section>
    }
}
