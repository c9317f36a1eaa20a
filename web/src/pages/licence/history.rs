//! Every licence installed so far, newest first, with who installed it and when it was replaced.

use byoc_core::api::LicenceRecord;
use leptos::prelude::*;

use crate::browser::format_number;
use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

#[component]
pub fn HistoryTable(records: Vec<LicenceRecord>) -> impl IntoView {
    let i18n = use_i18n();
    if records.is_empty() {
        return view! {
            <p class="bc-hint" data-testid="licence-history-empty">
                {move || i18n.t(Msg::HistoryEmpty)}
            </p>
        }
        .into_any();
    }
    let rows = records
        .into_iter()
        .map(|r| {
            let l = r.licence;
            let kind = l.kind;
            let sessions = l.max_sessions;
            view! {
                <tr data-testid=format!("licence-history-{}", l.id)>
                    <th scope="row">{l.id.clone()}</th>
                    <td>{move || i18n.t(labels::licence_type(kind))}</td>
                    <td>{l.issued_to.clone()}</td>
                    <td class="bc-table__num">
                        {move || format_number(sessions, i18n.lang.get().tag())}
                    </td>
                    <td>
                        <Timestamp at=l.valid_from />
                        " – "
                        <Timestamp at=l.valid_until />
                    </td>
                    <td>
                        <Timestamp at=r.installed_at />
                    </td>
                    <td>{r.installed_by.clone()}</td>
                    <td>
                        {match r.replaced_at {
                            Some(at) => view! { <Timestamp at=at /> }.into_any(),
                            None => {
                                view! {
                                    <span class="bc-badge bc-badge--pass">
                                        {move || i18n.t(Msg::InForce)}
                                    </span>
                                }
                                    .into_any()
                            }
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollRegion label=Msg::LicenceHistory>
            <table class="bc-table" data-testid="licence-history">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::LicenceHistory)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::LicenceId)}</th>
                        <th scope="col">{move || i18n.t(Msg::LicenceType)}</th>
                        <th scope="col">{move || i18n.t(Msg::LicenceIssuedTo)}</th>
                        <th scope="col" class="bc-table__num">
                            {move || i18n.t(Msg::LicenceMaxSessions)}
                        </th>
                        <th scope="col">{move || i18n.t(Msg::LicenceValidity)}</th>
                        <th scope="col">{move || i18n.t(Msg::LicenceInstalledAt)}</th>
                        <th scope="col">{move || i18n.t(Msg::InstalledBy)}</th>
                        <th scope="col">{move || i18n.t(Msg::ReplacedAt)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ScrollRegion>
    }
    .into_any()
}
