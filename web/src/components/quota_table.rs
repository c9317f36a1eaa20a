//! The cloud resources a deployment of the chosen size needs, to compare with the account's quotas.

use byoc_core::quota::quotas;
use byoc_core::sizing::Sizing;
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn QuotaTableView(#[prop(into)] sizing: Signal<Option<Sizing>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang.get();
        match sizing.get() {
            None => view! { <p class="bc-hint">{i18n.t(Msg::QuotaNeedsSizing)}</p> }.into_any(),
            Some(s) => {
                let table = quotas(s.cloud, s.nodes, s.node_type);
                let rows = table
                    .lines
                    .iter()
                    .map(|line| {
                        view! {
                            <tr>
                                <td>{line.resource.get(lang)}</td>
                                <td class="bc-table__num">{line.required}</td>
                                <td>{line.note.map(|n| n.get(lang))}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let notes = table
                    .notes
                    .iter()
                    .map(|n| view! { <li>{n.get(lang)}</li> })
                    .collect_view();
                view! {
                    <dl class="bc-facts" data-testid="quota-totals">
                        <div>
                            <dt>{i18n.t(Msg::QuotaVms)}</dt>
                            <dd>{table.vm_count}</dd>
                        </div>
                        <div>
                            <dt>{i18n.t(Msg::QuotaVcpu)}</dt>
                            <dd>{table.total_vcpu}</dd>
                        </div>
                        <div>
                            <dt>{i18n.t(Msg::QuotaMemory)}</dt>
                            <dd>{table.total_memory_gib}" GiB"</dd>
                        </div>
                    </dl>
                    <ScrollRegion label=Msg::QuotaHeading>
                        <table class="bc-table" data-testid="quota-table">
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.t(Msg::QuotaResource)}</th>
                                    <th scope="col">{i18n.t(Msg::QuotaRequired)}</th>
                                    <th scope="col">{i18n.t(Msg::QuotaNote)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </ScrollRegion>
                    <ul class="bc-notes">{notes}</ul>
                    <p class="bc-hint">
                        {i18n.t(Msg::QuotaConsole)}" "
                        <a href=table.console_url target="_blank" rel="noopener noreferrer">
                            {table.console_url}
                        </a>
                    </p>
                }
                .into_any()
            }
        }
    }
}
