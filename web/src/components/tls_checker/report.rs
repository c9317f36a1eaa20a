//! The report: one line saying whether the certificate can be used, then every check as a row
//! with its outcome badge and its message in the current language (`core` words them).

use byoc_core::tls::{Outcome, TlsReport};
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// The overall outcome: failures first, since they block the certificate.
#[component]
pub fn Verdict(report: TlsReport) -> impl IntoView {
    let i18n = use_i18n();
    let failures = report.count(Outcome::Fail);
    let warnings = report.count(Outcome::Warn);
    let (outcome, class) = match (failures, warnings) {
        (0, 0) => (Outcome::Pass, "bc-tls__verdict bc-tls__verdict--pass"),
        (0, _) => (Outcome::Warn, "bc-tls__verdict bc-tls__verdict--warn"),
        _ => (Outcome::Fail, "bc-tls__verdict bc-tls__verdict--fail"),
    };
    let text = move || {
        let (template, n) = match outcome {
            Outcome::Pass => (Msg::TlsAllPass, 0),
            Outcome::Warn => (Msg::TlsWarnings, warnings),
            Outcome::Fail => (Msg::TlsFailures, failures),
        };
        fill(i18n.t(template), &[("count", &n.to_string())])
    };
    view! {
        <p class=class data-testid="tls-verdict" data-outcome=labels::outcome_code(outcome)>
            {text}
        </p>
    }
}

#[component]
pub fn ReportTable(report: TlsReport) -> impl IntoView {
    let i18n = use_i18n();
    let rows = report
        .checks
        .into_iter()
        .map(|check| {
            let name = labels::tls_check(&check.code);
            let code = check.code.clone();
            let outcome = check.outcome;
            let testid = format!("tls-check-{}", check.code);
            view! {
                <tr data-testid=testid data-outcome=labels::outcome_code(outcome)>
                    <th scope="row">
                        {move || name.map_or_else(|| code.clone(), |m| i18n.t(m).to_owned())}
                    </th>
                    <td>
                        <span class=format!(
                            "bc-badge bc-badge--{}",
                            labels::outcome_code(outcome),
                        )>{move || i18n.t(labels::tls_outcome(outcome))}</span>
                    </td>
                    <td>{move || check.message(i18n.lang.get()).to_owned()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollRegion label=Msg::TlsReport>
            <table class="bc-table bc-tls__report" data-testid="tls-report">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::TlsReport)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::TlsCheckColumn)}</th>
                        <th scope="col">{move || i18n.t(Msg::TlsResultColumn)}</th>
                        <th scope="col">{move || i18n.t(Msg::TlsDetailColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ScrollRegion>
    }
}
