//! The Licence page (SPEC §4, §10): the licence in force with every field, its status and days
//! left, usage bars, the history of installed licences, and for owners the panel that installs
//! a new one — verified in the browser against the vendor key before it is uploaded.

pub mod banner;
mod confirm;
pub mod details;
mod history;
pub mod state;
pub mod upload;
pub mod usage;
pub mod verdict;

use byoc_core::access::Action as Permission;
use byoc_core::api::LicenceView;
use leptos::prelude::*;

use crate::api;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{fill, use_i18n, Msg};
use crate::session::use_session;
use banner::LicenceBanner;
use details::LicenceDetails;
use history::HistoryTable;
use state::use_licence;
use upload::LicenceUploadForm;
use usage::UsageBars;

#[component]
fn Card(id: &'static str, title: Msg, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="bc-card" aria-labelledby=id>
            <h2 class="bc-card__title" id=id>
                {move || i18n.t(title)}
            </h2>
            {children()}
        </section>
    }
}

/// The owners' panel: the vendor key is fetched only for them, and only here.
#[component]
fn UpdatePanel(#[prop(into)] on_installed: Callback<LicenceView>) -> impl IntoView {
    let i18n = use_i18n();
    let public_key = LocalResource::new(api::licence::public_key);
    let licence = use_licence();
    let action = Action::new_local(move |line: &String| {
        let line = line.clone();
        // The version of the licence this page shows (0 before any is known).
        let version = licence
            .current
            .get_untracked()
            .and_then(Result::ok)
            .flatten()
            .map_or(0, |view| view.version);
        async move { api::licence::install(&line, version).await }
    });
    view! {
        <p class="bc-hint">{move || i18n.t(Msg::LicenceUpdateIntro)}</p>
        <Transition fallback=move || {
            view! {
                <p class="bc-loading" role="status">
                    {i18n.t(Msg::Loading)}
                </p>
            }
        }>
            {move || {
                public_key
                    .get()
                    .map(|result| match result {
                        Ok(Some(pem)) => {
                            view! {
                                <LicenceUploadForm
                                    public_key=Signal::stored(Some(pem))
                                    action=action
                                    on_installed=on_installed
                                />
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            // Without the vendor key nothing can be verified or installed: say so up front.
                            view! {
                                <p class="bc-alert bc-alert--warning" data-testid="licence-no-key">
                                    {move || i18n.t(Msg::LicenceNoKey)}
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <ApiErrorView error=error on_retry=move |()| public_key.refetch() />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
pub fn LicencePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let licence = use_licence();
    let history = LocalResource::new(api::licence::history);
    let status = RwSignal::new(None::<String>);
    let can_install = move || session.can(None, Permission::ManageLicence);

    let on_installed = move |view: LicenceView| {
        status.set(Some(fill(
            i18n.t(Msg::LicenceInstalledNow),
            &[("id", &view.licence.id)],
        )));
        licence.current.refetch();
        history.refetch();
    };
    let loading = move || {
        view! {
            <p class="bc-loading" role="status">
                {i18n.t(Msg::Loading)}
            </p>
        }
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavLicence)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::LicenceIntro)}</p>
            <p
                class="bc-inline-status"
                role="status"
                aria-live="polite"
                data-testid="licence-page-status"
            >
                {move || status.get()}
            </p>
            <Transition fallback=loading>
                {move || {
                    licence
                        .current
                        .get()
                        .map(|result| match result {
                            Ok(Some(view)) => {
                                let usage = view.usage;
                                let shown = Some(view.clone());
                                view! {
                                    <LicenceBanner view=Signal::stored(shown) />
                                    <Card id="licence-heading" title=Msg::LicenceInForce>
                                        <LicenceDetails view=view />
                                    </Card>
                                    <Card id="usage-heading" title=Msg::LicenceUsage>
                                        <UsageBars usage=usage />
                                    </Card>
                                }
                                    .into_any()
                            }
                            Ok(None) => loading().into_any(),
                            Err(error) => {
                                view! {
                                    <ApiErrorView
                                        error=error
                                        on_retry=move |()| licence.current.refetch()
                                    />
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <Show when=can_install>
                <Card id="licence-update-heading" title=Msg::LicenceUpdate>
                    <UpdatePanel on_installed=on_installed />
                </Card>
            </Show>
            <Card id="licence-history-heading" title=Msg::LicenceHistory>
                <Transition fallback=loading>
                    {move || {
                        history
                            .get()
                            .map(|result| match result {
                                Ok(records) => view! { <HistoryTable records=records /> }.into_any(),
                                Err(error) => {
                                    view! {
                                        <ApiErrorView
                                            error=error
                                            on_retry=move |()| history.refetch()
                                        />
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
            </Card>
        </section>
    }
}
