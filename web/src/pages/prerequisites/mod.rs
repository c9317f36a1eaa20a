//! The Prerequisites page (SPEC §10). For now: where the broker can run. Sizing, quotas, policies,
//! the bootstrap checklist and the TLS and domain checkers join it with their issues.

use byoc_core::catalog::Cloud;
use leptos::prelude::*;

use crate::api;
use crate::components::error_view::ApiErrorView;
use crate::components::region_picker::RegionPicker;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn PrerequisitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let catalog = LocalResource::new(api::catalog);
    let selected = RwSignal::new(Cloud::ALL[0]);

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::PrereqTitle)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::PrereqIntro)}</p>
            <section class="bc-card" aria-labelledby="catalog-heading">
                <h2 class="bc-card__title" id="catalog-heading">{move || i18n.t(Msg::CatalogHeading)}</h2>
                <Transition fallback=move || view! { <p class="bc-loading" role="status">{i18n.t(Msg::Loading)}</p> }>
                    {move || catalog.get().map(|result| match result {
                        Ok(cat) => view! { <RegionPicker catalog=cat selected=selected/> }.into_any(),
                        Err(error) => view! {
                            <ApiErrorView error=error on_retry=move |()| catalog.refetch()/>
                        }.into_any(),
                    })}
                </Transition>
            </section>
        </section>
    }
}
