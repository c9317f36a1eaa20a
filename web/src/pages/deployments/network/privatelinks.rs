//! The PrivateLink section: the wizard behind "+ PrivateLink", and the links with their status
//! and, once running, the endpoint to copy. A running link can be deleted after the seed's
//! warnings (delete it here before the endpoint service; nothing may still use it); a failed one
//! dismissed.

use byoc_core::api::{DeploymentNetwork, PrivateLink};
use byoc_core::lifecycle::privatelink::PrivateLinkAction;
use leptos::prelude::*;

use super::{change_error, ChangeLink, CreateLink, PrivateLinkWizard};
use crate::api::network::Change;
use crate::api::ApiError;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::copy_download::CopyButton;
use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// A deletion waiting for its confirmation.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    id: String,
    version: i64,
    service: String,
}

/// The endpoint of a running link, each part with its copy button.
fn endpoint(link: &PrivateLink) -> impl IntoView {
    [
        link.endpoint_domain
            .clone()
            .map(|d| ("privatelink-domain", d)),
        link.endpoint_ip.clone().map(|ip| ("privatelink-ip", ip)),
    ]
    .into_iter()
    .flatten()
    .map(|(testid, value)| {
        let text = value.clone();
        view! {
            <div class="bc-network__copy">
                <code data-testid=testid>{value}</code>
                <CopyButton text=Signal::derive(move || text.clone())/>
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
    let done = RwSignal::new(None::<Msg>);
    let confirming = RwSignal::new(None::<Pending>);

    Effect::new(move |_| match change.value().get() {
        Some(Ok(_)) => {
            if confirming.get_untracked().is_some() {
                done.set(Some(Msg::NetworkChangeRequested));
            }
            confirming.set(None);
        }
        Some(Err(ApiError::PreconditionFailed { .. })) => on_stale.run(()),
        _ => {}
    });
    let error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| change_error(&e, i18n.lang.get()))
    });

    let rows = move || {
        let lang = i18n.lang.get();
        let manage = can_manage.get();
        links
            .get()
            .into_iter()
            .map(|link| {
                let status = link.status;
                let reason = link.reason.clone().map(|r| {
                    view! { <p class="bc-hint bc-network__reason" data-testid="privatelink-reason">{r}</p> }
                });
                let buttons = manage.then(|| {
                    link.allowed_actions
                        .iter()
                        .map(|action| {
                            let (id, version, service) =
                                (link.id.clone(), link.version, link.service_id.clone());
                            let (label, testid) = match action {
                                PrivateLinkAction::Delete => (Msg::Delete, "privatelink-delete"),
                                PrivateLinkAction::Dismiss => (Msg::DismissFailed, "privatelink-dismiss"),
                            };
                            let danger = *action == PrivateLinkAction::Delete;
                            view! {
                                <button type="button" data-testid=testid
                                    class=if danger { "bc-button bc-button--small bc-button--danger-outline" } else { "bc-button bc-button--small" }
                                    disabled=move || change.pending().get()
                                    on:click=move |_| {
                                        change.clear();
                                        done.set(None);
                                        if danger {
                                            confirming.set(Some(Pending { id: id.clone(), version, service: service.clone() }));
                                        } else {
                                            change.dispatch_local((id.clone(), Change::Dismiss, version));
                                        }
                                    }>
                                    {move || i18n.t(label)}
                                </button>
                            }
                        })
                        .collect_view()
                });
                view! {
                    <tr data-testid="privatelink-row" data-id=link.id.clone() data-status=status.code()>
                        <td><code class="bc-network__id" data-testid="privatelink-service">{link.service_id.clone()}</code></td>
                        <td>
                            <span class=format!("bc-status bc-status--{}", labels::privatelink_tone(status))
                                data-testid="privatelink-status" data-status=status.code()>
                                {labels::privatelink_status(status).text(lang)}
                            </span>
                            {reason}
                        </td>
                        <td>{endpoint(&link)}</td>
                        <td>{link.description.clone().unwrap_or_default()}</td>
                        <td><Timestamp at=link.created_at.clone()/></td>
                        <td><div class="bc-toolbar">{buttons}</div></td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="bc-card" aria-labelledby="privatelink-heading" data-testid="privatelinks">
            <div class="bc-card__header">
                <h2 class="bc-card__title" id="privatelink-heading">{move || i18n.t(Msg::PrivateLinkHeading)}</h2>
                <Show when=move || editable.get() && !wizard.get()>
                    <button class="bc-button bc-button--primary" type="button" data-testid="privatelink-add"
                        on:click=move |_| {
                            create.clear();
                            done.set(None);
                            wizard.set(true);
                        }>
                        {move || i18n.t(Msg::AddPrivateLink)}
                    </button>
                </Show>
            </div>
            <p class="bc-hint">{move || i18n.t(Msg::PrivateLinkIntro)}</p>
            <Show when=move || wizard.get()>
                <PrivateLinkWizard network=network links=links create=create
                    on_close=move |()| wizard.set(false)/>
            </Show>
            <p class="bc-inline-status" role="status" aria-live="polite" data-testid="privatelink-done">
                {move || done.get().map(|m| i18n.t(m))}
            </p>
            {move || confirming.with(Option::is_none).then(|| error.get()).flatten().map(|e| view! {
                <p class="bc-alert bc-alert--error" role="alert" data-testid="privatelink-action-error">{e}</p>
            })}
            {move || if links.with(Vec::is_empty) {
                view! { <p class="bc-empty" data-testid="privatelinks-empty">{i18n.t(Msg::NoPrivateLinks)}</p> }.into_any()
            } else {
                view! {
                    <div class="bc-table-scroll">
                        <table class="bc-table" data-testid="privatelinks-table">
                            <caption class="bc-visually-hidden">{i18n.t(Msg::PrivateLinkHeading)}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.t(Msg::ServiceId)}</th>
                                <th scope="col">{i18n.t(Msg::FilterStatus)}</th>
                                <th scope="col">{i18n.t(Msg::Endpoint)}</th>
                                <th scope="col">{i18n.t(Msg::Description)}</th>
                                <th scope="col">{i18n.t(Msg::Created)}</th>
                                <th scope="col">{i18n.t(Msg::Actions)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <ConfirmDialog id="confirm-privatelink-delete"
                subject=Signal::derive(move || confirming.get().map(|p| p.service))
                title=Signal::derive(move || {
                    let name = confirming.get().map(|p| p.service).unwrap_or_default();
                    fill(i18n.t(Msg::DeletePrivateLinkTitle), &[("name", &name)])
                })
                body=Signal::derive(move || format!("{} {}", i18n.t(Msg::DeletePrivateLinkBody1), i18n.t(Msg::DeletePrivateLinkBody2)))
                confirm_label=Msg::Delete
                pending=change.pending()
                error=error
                on_confirm=move |()| {
                    if let Some(p) = confirming.get_untracked() {
                        change.dispatch_local((p.id, Change::Delete, p.version));
                    }
                }
                on_cancel=move |()| confirming.set(None)/>
        </section>
    }
}
