//! API tokens: the user's own, for automation. Created with a name and an expiry (the secret is
//! shown once), revoked with a confirmation.

mod create;
mod secret;

use byoc_core::api::{ApiToken, CreatedToken};
use leptos::prelude::*;

use crate::api;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ApiErrorView;
use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, use_i18n, Msg};
use create::CreateTokenForm;
use secret::NewTokenSecret;

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let tokens = LocalResource::new(api::tokens::list);
    let created = RwSignal::new(None::<CreatedToken>);
    let revoking = RwSignal::new(None::<ApiToken>);
    let status = RwSignal::new(None::<String>);

    let revoke = Action::new_local(|token: &ApiToken| {
        let id = token.id.clone();
        async move { api::tokens::revoke(&id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            if let Some(gone) = revoking.get_untracked() {
                revoking.set(None);
                status.set(Some(fill(
                    i18n.t(Msg::TokenRevoked),
                    &[("name", &gone.name)],
                )));
                tokens.refetch();
            }
        }
    });
    let revoke_error = Signal::derive(move || {
        revoke
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| i18n.t(e.message()).to_owned())
    });

    let row = move |token: ApiToken| {
        let name = token.name.clone();
        let target = token.clone();
        let state = if token.revoked {
            Msg::TokenStateRevoked
        } else {
            Msg::TokenStateActive
        };
        view! {
            <tr data-testid=format!("token-row-{name}")>
                <th scope="row">{token.name.clone()}</th>
                <td>
                    <Timestamp at=token.created_at />
                </td>
                <td>
                    <Timestamp at=token.expires_at />
                </td>
                <td>
                    {match token.last_used_at {
                        Some(at) => view! { <Timestamp at=at /> }.into_any(),
                        None => view! { <span>{move || i18n.t(Msg::Never)}</span> }.into_any(),
                    }}
                </td>
                <td>{move || i18n.t(state)}</td>
                <td>
                    {(!token.revoked)
                        .then(|| {
                            view! {
                                <button
                                    class="bc-button bc-button--small bc-button--danger-outline"
                                    type="button"
                                    data-testid=format!("token-revoke-{name}")
                                    on:click=move |_| {
                                        revoke.clear();
                                        revoking.set(Some(target.clone()));
                                    }
                                >
                                    {move || i18n.t(Msg::Revoke)}
                                </button>
                            }
                        })}
                </td>
            </tr>
        }
    };
    let list = move || {
        tokens.get().map(|result| match result {
            Ok(list) if list.is_empty() => {
                view! { <p class="bc-hint">{move || i18n.t(Msg::NoTokens)}</p> }.into_any()
            }
            Ok(list) => view! {
                <ScrollRegion label=Msg::NavTokens>
                    <table class="bc-table" data-testid="tokens-table">
                        <caption class="bc-visually-hidden">
                            {move || i18n.t(Msg::NavTokens)}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t(Msg::TokenName)}</th>
                                <th scope="col">{move || i18n.t(Msg::Created)}</th>
                                <th scope="col">{move || i18n.t(Msg::Expires)}</th>
                                <th scope="col">{move || i18n.t(Msg::LastUsed)}</th>
                                <th scope="col">{move || i18n.t(Msg::State)}</th>
                                <th scope="col">
                                    <span class="bc-visually-hidden">
                                        {move || i18n.t(Msg::Actions)}
                                    </span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </ScrollRegion>
            }
            .into_any(),
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| tokens.refetch() /> }
                    .into_any()
            }
        })
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavTokens)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::TokensIntro)}</p>
            <section class="bc-card" aria-labelledby="create-token-heading">
                <h2 class="bc-card__title" id="create-token-heading">
                    {move || i18n.t(Msg::CreateToken)}
                </h2>
                {move || {
                    created
                        .get()
                        .map(|c| {
                            view! {
                                <NewTokenSecret created=c on_dismiss=move |()| created.set(None) />
                            }
                        })
                }}
                <CreateTokenForm on_created=move |c: CreatedToken| {
                    created.set(Some(c));
                    tokens.refetch();
                } />
            </section>
            <section class="bc-card" aria-labelledby="tokens-heading">
                <h2 class="bc-card__title" id="tokens-heading">
                    {move || i18n.t(Msg::YourTokens)}
                </h2>
                <p
                    class="bc-inline-status"
                    role="status"
                    aria-live="polite"
                    data-testid="tokens-status"
                >
                    {move || status.get()}
                </p>
                <Transition fallback=move || {
                    view! {
                        <p class="bc-loading" role="status">
                            {i18n.t(Msg::Loading)}
                        </p>
                    }
                }>{list}</Transition>
            </section>
            <ConfirmDialog
                id="revoke-token"
                subject=Signal::derive(move || revoking.get().map(|t| t.name))
                title=Signal::derive(move || i18n.t(Msg::RevokeToken).to_owned())
                body=Signal::derive(move || {
                    let name = revoking
                        .with(|t| t.as_ref().map(|t| t.name.clone()).unwrap_or_default());
                    fill(i18n.t(Msg::RevokeTokenBody), &[("name", &name)])
                })
                confirm_label=Msg::Revoke
                pending=revoke.pending()
                error=revoke_error
                on_confirm=move |()| {
                    if let Some(token) = revoking.get_untracked() {
                        revoke.dispatch_local(token);
                    }
                }
                on_cancel=move |()| revoking.set(None)
            />
        </section>
    }
}
