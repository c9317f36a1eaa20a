//! How much of the licence live deployments use: one bar per limit, in the warning style from
//! `core`'s threshold (70 %) on.

use byoc_core::licence::{Usage, UsageLine};
use leptos::prelude::*;

use crate::browser::format_number;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
fn UsageBar(id: &'static str, label: Msg, line: UsageLine) -> impl IntoView {
    let i18n = use_i18n();
    let label_id = format!("{id}-label");
    let text = move || {
        let tag = i18n.lang.get().tag();
        fill(
            i18n.t(Msg::UsageOf),
            &[
                ("used", &format_number(line.used, tag)),
                ("max", &format_number(line.max, tag)),
                ("percent", &line.percent.to_string()),
            ],
        )
    };
    // The bar stops at full; the text keeps the real figure (over 100 % after a smaller licence).
    // Set through the CSS object model (`style:`), which the control plane's CSP
    // (`style-src 'self'`) allows, unlike a `style` attribute.
    let width = format!("{}%", line.percent.min(100));
    let class = if line.warn {
        "bc-usage__bar bc-usage__bar--warn"
    } else {
        "bc-usage__bar"
    };
    view! {
        <div class="bc-usage__line" data-testid=id data-warn=line.warn.to_string()>
            <div class="bc-usage__head">
                <span class="bc-usage__label" id=label_id.clone()>
                    {move || i18n.t(label)}
                </span>
                <span class="bc-usage__figures">{text}</span>
            </div>
            <div
                class="bc-usage__track"
                role="meter"
                aria-labelledby=label_id
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=line.percent.min(100)
                aria-valuetext=text
            >
                <div class=class style:width=width></div>
            </div>
            {line
                .warn
                .then(|| {
                    view! { <p class="bc-usage__warning">{move || i18n.t(Msg::UsageHigh)}</p> }
                })}
        </div>
    }
}

#[component]
pub fn UsageBars(usage: Usage) -> impl IntoView {
    view! {
        <div class="bc-usage" data-testid="licence-usage">
            <UsageBar id="usage-sessions" label=Msg::UsageSessions line=usage.sessions />
            <UsageBar id="usage-tps" label=Msg::UsageTps line=usage.tps />
            <UsageBar id="usage-cores" label=Msg::UsageCores line=usage.cores />
        </div>
    }
}
