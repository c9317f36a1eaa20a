//! The newest audit entries the user may read (owners: all; project admins: their projects),
//! with a link to the whole log. Shown only to those the server sends entries for.

use byoc_core::api::AuditEntry;
use leptos::prelude::*;

use crate::components::timestamp::Timestamp;
use crate::i18n::{use_i18n, Msg};
use crate::pages::audit::table::OutcomeBadge;
use crate::routes::Route;

#[component]
pub fn RecentActivity(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = entries.is_empty();
    let items = entries
        .into_iter()
        .map(|e| {
            let target = match &e.target_id {
                Some(id) => format!("{} {id}", e.target_kind),
                None => e.target_kind.clone(),
            };
            view! {
                <li class="bc-overview__activity-item" data-testid="overview-activity-item">
                    <Timestamp at=e.at />
                    " · "
                    <span>{e.actor_name.clone()}</span>
                    " · "
                    <code>{e.action.clone()}</code>
                    " · "
                    <span class="bc-overview__id">{target}</span>
                    " "
                    <OutcomeBadge outcome=e.outcome.clone() />
                </li>
            }
        })
        .collect_view();
    view! {
        <section
            class="bc-card"
            aria-labelledby="overview-activity-heading"
            data-testid="overview-activity"
        >
            <h2 id="overview-activity-heading" class="bc-card__title">
                {move || i18n.t(Msg::OverviewActivity)}
            </h2>
            {empty
                .then(|| {
                    view! { <p class="bc-hint">{move || i18n.t(Msg::OverviewNoActivity)}</p> }
                })}
            <ul class="bc-overview__activity">{items}</ul>
            <a class="bc-link" href=Route::Audit.path()>
                {move || i18n.t(Msg::OverviewOpenAudit)}
            </a>
        </section>
    }
}
