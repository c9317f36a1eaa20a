//! The server certificate at a glance: who it names, who issued it, until when, its key and
//! fingerprint, and how long the chain is.

use byoc_core::tls::CertSummary;
use leptos::prelude::*;

use crate::components::timestamp::Timestamp;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
pub fn SummaryView(summary: CertSummary) -> impl IntoView {
    let i18n = use_i18n();
    let fact = move |label: Msg, testid: &'static str, value: AnyView| {
        view! {
            <div>
                <dt>{move || i18n.t(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let sans = if summary.sans.is_empty() {
        "—".to_owned()
    } else {
        summary.sans.join(", ")
    };
    let days = summary.days_left;
    let key = if summary.key_bits > 0 {
        let bits = summary.key_bits.to_string();
        let key_type = summary.key_type.clone();
        view! { {move || fill(i18n.t(Msg::TlsKeyBits), &[("type", &key_type), ("bits", &bits)])} }
            .into_any()
    } else {
        summary.key_type.clone().into_any()
    };
    view! {
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::TlsSummary)}</h3>
        <dl class="bc-facts bc-tls__summary" data-testid="tls-summary">
            {fact(Msg::TlsSubject, "tls-subject", summary.subject.clone().into_any())}
            {fact(Msg::TlsSans, "tls-sans", sans.into_any())}
            {fact(Msg::TlsIssuer, "tls-issuer", summary.issuer.clone().into_any())}
            {fact(
                Msg::TlsValidFrom,
                "tls-not-before",
                view! { <Timestamp at=summary.not_before /> }.into_any(),
            )}
            {fact(
                Msg::TlsValidUntil,
                "tls-not-after",
                view! { <Timestamp at=summary.not_after /> }.into_any(),
            )}
            {fact(Msg::DaysLeft, "tls-days-left", days.to_string().into_any())}
            {fact(Msg::TlsKey, "tls-key-type", key)}
            {fact(
                Msg::TlsChainLength,
                "tls-chain-length",
                summary.chain_length.to_string().into_any(),
            )}
            {fact(
                Msg::TlsFingerprint,
                "tls-fingerprint",
                view! {
                    <code class="bc-tls__fingerprint">{summary.sha256_fingerprint.clone()}</code>
                }
                    .into_any(),
            )}
        </dl>
    }
}
