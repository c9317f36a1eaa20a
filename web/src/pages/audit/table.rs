//! Audit entries as a table: when, who, what, on what, and how it ended.

use byoc_core::api::AuditEntry;
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// An entry's outcome as a badge in the user's language (an unknown one as it came); the
/// Overview's recent activity shows the same.
#[component]
pub fn OutcomeBadge(outcome: String) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("bc-badge bc-badge--{outcome}");
    view! {
        <span class=class>
            {move || {
                labels::audit_outcome(&outcome)
                    .map_or_else(|| outcome.clone(), |m| i18n.t(m).to_owned())
            }}
        </span>
    }
}

#[component]
pub fn AuditTable(#[prop(into)] entries: Signal<Vec<AuditEntry>>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |entry: AuditEntry| {
        // Repeated anonymous failures are counted on their first entry (server `db::audit`).
        let repeats = (entry.repeats > 0).then(|| {
            let n = entry.repeats.to_string();
            view! {
                " "
                <span class="bc-hint" data-testid="audit-repeats">
                    {move || fill(i18n.t(Msg::AuditRepeats), &[("count", &n)])}
                </span>
            }
        });
        let target = match &entry.target_id {
            Some(id) => format!("{} {id}", entry.target_kind),
            None => entry.target_kind.clone(),
        };
        view! {
            <tr data-testid="audit-row">
                <td>
                    <Timestamp at=entry.at />
                </td>
                <td>
                    {entry.actor_name.clone()}" "
                    <span class="bc-hint">"("{entry.actor_kind.clone()}")"</span>
                </td>
                <td>
                    <code>{entry.action.clone()}</code>
                </td>
                <td>{target}</td>
                <td>
                    <OutcomeBadge outcome=entry.outcome.clone() />
                </td>
                <td>{entry.detail.clone()}{repeats}</td>
                <td>
                    <code class="bc-hint">{entry.request_id.clone()}</code>
                </td>
            </tr>
        }
    };
    view! {
        <ScrollRegion label=Msg::NavAudit>
            <table class="bc-table" data-testid="audit-table">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::NavAudit)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::AuditTime)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditActor)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditAction)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditTarget)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditOutcome)}</th>
                        <th scope="col">{move || i18n.t(Msg::AuditDetail)}</th>
                        <th scope="col">{move || i18n.t(Msg::RequestId)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.id children=row />
                </tbody>
            </table>
        </ScrollRegion>
    }
}
