//! The PrivateLink section: the wizard behind "+ PrivateLink", and the links with their status
//! and, once running, the endpoint to copy. A running link can be deleted after the seed's
//! warnings (delete it here before the endpoint service; nothing may still use it); a failed one
//! dismissed.

use byoc_core::api::{DeploymentNetwork, PrivateLink};
use byoc_core::lifecycle::privatelink::PrivateLinkAction;
use leptos::prelude::*;

use super::removal::{list_or_empty, Removal};
use super::{ChangeLink, CreateLink, PrivateLinkWizard};
use crate::api::network::Change;
use crate::components::copy_download::CopyButton;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

/// The endpoint of a running link, each part with its copy button.
fn endpoint(link: &PrivateLink) -> impl IntoView {
    [
        link.endpoint_domain
            .clone()
            .map(|d| ("privatelink-domain", Msg::EndpointDomain, d)),
        link.endpoint_ip
            .clone()
            .map(|ip| ("privatelink-ip", Msg::EndpointIp, ip)),
    ]
    .into_iter()
    .flatten()
    .map(|(testid, what, value)| {
        let text = value.clone();
        view! {
            <div class="bc-network__copy">
                <code data-testid=testid>{value}</code>
                <CopyButton text=Signal::derive(move || text.clone()) what=what />
            </div>
        }
    })
    .collect_view()
}

#[component]
pub fn PrivateLinkSection(
    #[prop(into)] network: Signal<DeploymentNetwork>,
    #[prop(into)] links: Signal<Vec<PrivateLink>>,
    #[prop(into)] editable: Signal<bool>,
    #[prop(into)] can_manage: Signal<bool>,
    create: CreateLink,
    change: ChangeLink,
    #[prop(into)] on_stale: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let wizard = RwSignal::new(false);
    let removal = Removal::new(change, on_stale);
    let done = removal.done;

    let rows = move || {
        let lang = i18n.lang.get();
        let manage = can_manage.get();
        links
            .get()
            .into_iter()
            .map(|link| {
                let status = link.status;
                let reason = link.reason.clone().map(|r| {
                    view! {
                        <p class="bc-hint bc-network__reason" data-testid="privatelink-reason">
                            {r}
                        </p>
                    }
                });
                let buttons = manage.then(|| {
                    link.allowed_actions
                        .iter()
                        .map(|action| {
                            let (what, testid) = match action {
                                PrivateLinkAction::Delete => (Change::Delete, "privatelink-delete"),
                                PrivateLinkAction::Dismiss => {
                                    (Change::Dismiss, "privatelink-dismiss")
                                }
                            };
                            removal.button(
                                what,
                                testid,
                                link.id.clone(),
                                link.version,
                                link.service_id.clone(),
                            )
                        })
                        .collect_view()
                });
                view! {
                    <tr
                        data-testid="privatelink-row"
                        data-id=link.id.clone()
                        data-status=status.code()
                    >
                        <td>
                            <code class="bc-network__id" data-testid="privatelink-service">
                                {link.service_id.clone()}
                            </code>
                        </td>
                        <td>
                            <span
                                class=format!(
                                    "bc-status bc-status--{}",
                                    labels::privatelink_tone(status),
                                )
                                data-testid="privatelink-status"
                                data-status=status.code()
                            >
                                {labels::privatelink_status(status).text(lang)}
                            </span>
                            {reason}
                        </td>
                        <td>{endpoint(&link)}</td>
                        <td>{link.description.clone().unwrap_or_default()}</td>
                        <td>
                            <Timestamp at=link.created_at />
                        </td>
                        <td>
                            <div class="bc-toolbar">{buttons}</div>
                        </td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <section class="bc-card" aria-labelledby="privatelink-heading" data-testid="privatelinks">
            <div class="bc-card__header">
                <h2 class="bc-card__title" id="privatelink-heading">
                    {move || i18n.t(Msg::PrivateLinkHeading)}
                </h2>
                <Show when=move || editable.get() && !wizard.get()>
                    <button
                        class="bc-button bc-button--primary"
                        type="button"
                        data-testid="privatelink-add"
                        on:click=move |_| {
                            create.clear();
                            done.set(None);
                            wizard.set(true);
                        }
                    >
                        {move || i18n.t(Msg::AddPrivateLink)}
                    </button>
                </Show>
            </div>
            <p class="bc-hint">{move || i18n.t(Msg::PrivateLinkIntro)}</p>
            <Show when=move || wizard.get()>
                <PrivateLinkWizard
                    network=network
                    links=links
                    create=create
                    on_close=move |()| {
                        wizard.set(false);
                        crate::browser::focus_after_render("[data-testid=privatelink-add]");
                    }
                />
            </Show>
            {removal.outcome("privatelink")}
            {list_or_empty(
                "privatelinks-table",
                Msg::PrivateLinkHeading,
                &[
                    Msg::ServiceId,
                    Msg::FilterStatus,
                    Msg::Endpoint,
                    Msg::Description,
                    Msg::Created,
                    Msg::Actions,
                ],
                ("privatelinks-empty", Msg::NoPrivateLinks),
                Signal::derive(move || links.with(Vec::is_empty)),
                rows,
            )}
            {removal
                .dialog(
                    "confirm-privatelink-delete",
                    Msg::DeletePrivateLinkTitle,
                    Signal::derive(move || {
                        format!(
                            "{} {}",
                            i18n.t(Msg::DeletePrivateLinkBody1),
                            i18n.t(Msg::DeletePrivateLinkBody2),
                        )
                    }),
                )}
        </section>
    }
}
