//! The create wizard (SPEC §10): cloud & region → specification → network → domain & TLS →
//! tags → review, for the project in the URL. On success it opens the new deployment's page,
//! which shows the bootstrap guide with the key the create answered with.

pub mod availability;
mod basics;
pub mod checks;
mod domain;
pub mod draft;
mod form;
mod network;
mod review;
mod tags;

use byoc_core::access::Action as Permission;
use byoc_core::api::{CreateDeploymentRequest, DeploymentChange, Project};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::keys::use_issued_keys;
use super::project_scope::ProjectScope;
use crate::api;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{use_i18n, Msg};
use crate::pages::licence::state::use_licence;
use crate::routes::Route;
use crate::session::use_session;
use availability::Availability;
use byoc_core::network::VpcCidr;
pub use form::DeploymentWizard;

#[component]
pub fn NewDeploymentPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NewDeployment)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::WizardIntro)}</p>
            <ProjectScope
                link=Route::new_deployment
                render=|project| view! { <WizardFor project=project /> }.into_any()
            />
        </section>
    }
}

/// The wizard for one project, once its existing deployments are known.
#[component]
fn WizardFor(project: Project) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let keys = use_issued_keys();
    let licence = use_licence();
    let navigate = use_navigate();
    let project_id = project.id.clone();
    let may_create = session.can_in(&project_id, Permission::OperateDeployments);
    let id = project_id.clone();
    // One question before the wizard opens: a range no deployment of the project uses.
    let first = LocalResource::new(move || {
        let id = id.clone();
        async move { api::deployments::availability(&id, "", "").await }
    });
    let id = project_id.clone();
    let action = Action::new_local(move |(request, key): &(CreateDeploymentRequest, String)| {
        let (id, request, key) = (id.clone(), request.clone(), key.clone());
        async move { api::deployments::create(&id, &request, &key).await }
    });
    let on_created = move |change: DeploymentChange| {
        let id = change.deployment.id.clone();
        if let Some(guide) = change.bootstrap {
            keys.put(&id, guide);
        }
        // The new deployment takes licence capacity: the banner and the Licence page follow.
        licence.current.refetch();
        navigate(&Route::deployment(&id), NavigateOptions::default());
    };
    let on_created = Callback::new(on_created);

    if !may_create {
        return view! {
            <p class="bc-alert bc-alert--info" data-testid="wizard-read-only">
                {move || i18n.t(Msg::ReadOnlyRole)}
            </p>
        }
        .into_any();
    }
    view! {
        <Transition fallback=move || {
            view! {
                <p class="bc-loading" role="status">
                    {i18n.t(Msg::Loading)}
                </p>
            }
        }>
            {move || {
                first
                    .get()
                    .map(|result| match result {
                        Ok(answer) => {
                            let suggested = answer
                                .suggested_vpc_cidr
                                .and_then(|c| VpcCidr::parse(&c).ok());
                            view! {
                                <DeploymentWizard
                                    availability=Availability::server(project_id.clone())
                                    suggested_vpc_cidr=suggested
                                    action=action
                                    on_created=on_created
                                />
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <ApiErrorView error=error on_retry=move |()| first.refetch() />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
    .into_any()
}
