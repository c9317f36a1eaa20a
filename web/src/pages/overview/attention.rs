//! What needs someone: failed deployments, PrivateLinks waiting for the customer's Allow, bootstrap
//! keys about to expire, the user's own tokens about to expire. The server chooses them with
//! core's rules (`byoc_core::overview`) and says how many there are beyond those listed.

use byoc_core::api::Attention;
use byoc_core::lifecycle::deployment::Operation;
use leptos::prelude::*;

use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, labels, use_i18n, Msg};
use crate::routes::Route;

/// One kind of item: a heading, the items, and "and N more" when the server listed fewer.
#[component]
fn Group(
    heading: Msg,
    testid: &'static str,
    total: u64,
    listed: usize,
    #[prop(optional)] hint: Option<Msg>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let more = total.saturating_sub(listed as u64);
    view! {
        <div class="bc-overview__group" data-testid=testid>
            <h3 class="bc-overview__group-title">{move || i18n.t(heading)} " (" {total} ")"</h3>
            {hint.map(|h| view! { <p class="bc-hint">{move || i18n.t(h)}</p> })}
            <ul class="bc-overview__items">{children()}</ul>
            {(more > 0)
                .then(|| {
                    view! {
                        <p class="bc-hint">
                            {move || fill(
                                i18n.t(Msg::OverviewMore),
                                &[("count", &more.to_string())],
                            )}
                        </p>
                    }
                })}
        </div>
    }
}

#[component]
pub fn AttentionList(attention: Attention) -> impl IntoView {
    let i18n = use_i18n();
    let a = attention;
    let nothing = a.failed.is_empty()
        && a.privatelinks_waiting.is_empty()
        && a.keys_expiring.is_empty()
        && a.tokens_expiring.is_empty();

    let failed = (!a.failed.is_empty()).then(|| {
        let items = a
            .failed
            .iter()
            .map(|d| {
                let project = d.project_name.clone();
                view! {
                    <li data-testid="attention-failed">
                        <a href=Route::deployment(&d.deployment_id)>{d.deployment_name.clone()}</a>
                        " "
                        <span class="bc-hint">
                            {move || fill(i18n.t(Msg::OverviewFailedIn), &[("project", &project)])}
                        </span>
                        {d.reason.clone().map(|r| view! { <p class="bc-overview__reason">{r}</p> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <Group
                heading=Msg::OverviewFailed
                testid="attention-failed-group"
                total=a.failed_total
                listed=a.failed.len()
            >
                {items}
            </Group>
        }
    });

    let links = (!a.privatelinks_waiting.is_empty()).then(|| {
        let items = a
            .privatelinks_waiting
            .iter()
            .map(|l| {
                view! {
                    <li data-testid="attention-privatelink">
                        <a href=Route::deployment_network(
                            &l.deployment_id,
                        )>{l.deployment_name.clone()}</a>
                        " "
                        <code class="bc-overview__id">{l.service_id.clone()}</code>
                    </li>
                }
            })
            .collect_view();
        view! {
            <Group
                heading=Msg::OverviewLinksWaiting
                hint=Msg::OverviewLinksWaitingHint
                testid="attention-privatelinks-group"
                total=a.privatelinks_waiting_total
                listed=a.privatelinks_waiting.len()
            >
                {items}
            </Group>
        }
    });

    let keys = (!a.keys_expiring.is_empty()).then(|| {
        let items = a
            .keys_expiring
            .iter()
            .map(|k| {
                let op = Operation::parse(&k.operation).map(labels::operation);
                let raw_op = k.operation.clone();
                let operation = move || op.map_or_else(|| raw_op.clone(), |m| i18n.t(m).to_owned());
                let sentence = if k.expired {
                    let operation = operation.clone();
                    view! {
                        <span class="bc-overview__expired">
                            {move || fill(
                                i18n.t(Msg::OverviewKeyExpired),
                                &[("operation", &operation())],
                            )}
                        </span>
                    }
                    .into_any()
                } else {
                    view! {
                        <span>
                            {move || {
                                let (head, _) = split_time(i18n.t(Msg::OverviewKeyExpiresAt));
                                fill(head, &[("operation", &operation())])
                            }} <Timestamp at=k.expires_at />
                            {move || split_time(i18n.t(Msg::OverviewKeyExpiresAt)).1}
                        </span>
                    }
                    .into_any()
                };
                view! {
                    <li data-testid="attention-key" data-expired=k.expired.to_string()>
                        <a href=Route::deployment(&k.deployment_id)>{k.deployment_name.clone()}</a>
                        " · "
                        {sentence}
                    </li>
                }
            })
            .collect_view();
        view! {
            <Group
                heading=Msg::OverviewKeys
                testid="attention-keys-group"
                total=a.keys_expiring_total
                listed=a.keys_expiring.len()
            >
                {items}
            </Group>
        }
    });

    let tokens = (!a.tokens_expiring.is_empty()).then(|| {
        let total = a.tokens_expiring.len() as u64;
        let items = a
            .tokens_expiring
            .iter()
            .map(|t| {
                view! {
                    <li data-testid="attention-token">
                        <a href=Route::Tokens.path()>{t.name.clone()}</a>
                        " · "
                        {move || split_time(i18n.t(Msg::OverviewTokenExpiresAt)).0.to_owned()}
                        <Timestamp at=t.expires_at />
                        {move || split_time(i18n.t(Msg::OverviewTokenExpiresAt)).1}
                    </li>
                }
            })
            .collect_view();
        view! {
            <Group
                heading=Msg::OverviewTokens
                testid="attention-tokens-group"
                total=total
                listed=a.tokens_expiring.len()
            >
                {items}
            </Group>
        }
    });

    view! {
        <section
            class="bc-card"
            aria-labelledby="overview-attention-heading"
            data-testid="overview-attention"
        >
            <h2 id="overview-attention-heading" class="bc-card__title">
                {move || i18n.t(Msg::OverviewAttention)}
            </h2>
            {nothing
                .then(|| {
                    view! {
                        <p data-testid="attention-none">
                            {move || i18n.t(Msg::OverviewNothingNeedsAttention)}
                        </p>
                    }
                })}
            {failed}
            {links}
            {keys}
            {tokens}
        </section>
    }
}

/// A catalog sentence with a `{time}` slot split around it, so the time can be a `<time>`
/// element in the user's locale in either language's word order.
fn split_time(template: &'static str) -> (&'static str, &'static str) {
    template.split_once("{time}").unwrap_or((template, ""))
}
