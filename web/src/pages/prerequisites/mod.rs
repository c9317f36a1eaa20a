//! The Prerequisites page (SPEC §10): where the broker can run, how big it must be, the quotas and
//! policies that size needs, the bootstrap machine's checklist, the domain checker and the TLS
//! checker. The catalog comes from the API; everything else is computed in the browser by
//! `core` (the TLS checker makes no request at all: the private key stays here).

use byoc_core::catalog::Cloud;
use leptos::prelude::*;

use crate::api;
use crate::components::bootstrap_checklist::BootstrapChecklist;
use crate::components::domain_checker::DomainChecker;
use crate::components::error_view::ApiErrorView;
use crate::components::policy_viewer::PolicyViewer;
use crate::components::quota_table::QuotaTableView;
use crate::components::region_picker::RegionPicker;
use crate::components::sizing_form::{SizingForm, SizingInput};
use crate::components::tls_checker::TlsChecker;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn PrerequisitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let catalog = LocalResource::new(api::catalog);
    let selected = RwSignal::new(Cloud::ALL[0]);
    let cloud = Signal::from(selected);
    let input = SizingInput::new(10_000, 5_000);
    let sizing = Memo::new(move |_| input.sizing(cloud.get()));
    let chosen = Signal::derive(move || sizing.get().ok());

    let card = move |id: &'static str, title: Msg, body: AnyView| {
        view! {
            <section class="bc-card" aria-labelledby=id>
                <h2 class="bc-card__title" id=id>
                    {move || i18n.t(title)}
                </h2>
                {body}
            </section>
        }
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::PrereqTitle)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::PrereqIntro)}</p>
            {card(
                "catalog-heading",
                Msg::CatalogHeading,
                view! {
                    <Transition fallback=move || {
                        view! {
                            <p class="bc-loading" role="status">
                                {i18n.t(Msg::Loading)}
                            </p>
                        }
                    }>
                        {move || {
                            catalog
                                .get()
                                .map(|result| match result {
                                    Ok(cat) => {
                                        view! { <RegionPicker catalog=cat selected=selected /> }
                                            .into_any()
                                    }
                                    Err(error) => {
                                        view! {
                                            <ApiErrorView
                                                error=error
                                                on_retry=move |()| catalog.refetch()
                                            />
                                        }
                                            .into_any()
                                    }
                                })
                        }}
                    </Transition>
                }
                    .into_any(),
            )}
            {card(
                "sizing-heading",
                Msg::SizingHeading,
                view! { <SizingForm cloud=cloud input=input sizing=sizing /> }.into_any(),
            )}
            {card(
                "quota-heading",
                Msg::QuotaHeading,
                view! { <QuotaTableView sizing=chosen /> }.into_any(),
            )}
            {card(
                "policy-heading",
                Msg::PolicyHeading,
                view! {
                    <p class="bc-hint">{move || i18n.t(Msg::PolicyIntro)}</p>
                    <PolicyViewer cloud=cloud />
                }
                    .into_any(),
            )}
            {card(
                "bootstrap-heading",
                Msg::BootstrapHeading,
                view! { <BootstrapChecklist /> }.into_any(),
            )}
            {card(
                "domain-heading",
                Msg::DomainHeading,
                view! { <DomainChecker cloud=cloud /> }.into_any(),
            )}
            {card(
                "tls-heading",
                Msg::TlsHeading,
                view! {
                    <p class="bc-hint">{move || i18n.t(Msg::TlsIntro)}</p>
                    <TlsChecker />
                }
                    .into_any(),
            )}
        </section>
    }
}
