//! Every field of the licence in force, its status and the days it has left.

use byoc_core::api::{LicenceSource, LicenceView};
use byoc_core::licence::LicenceStatus;
use leptos::prelude::*;

use crate::browser::format_number;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

/// The badge's colour follows the status; its words say it too (colour is never the only cue).
#[component]
pub fn StatusBadge(status: LicenceStatus) -> impl IntoView {
    let i18n = use_i18n();
    let modifier = match status {
        LicenceStatus::Valid => "pass",
        LicenceStatus::ExpiringSoon => "warn",
        LicenceStatus::Expired | LicenceStatus::NotYetValid => "fail",
    };
    view! {
        <span class=format!("bc-badge bc-badge--{modifier}") data-testid="licence-status">
            {move || i18n.t(labels::licence_status(status))}
        </span>
    }
}

#[component]
pub fn LicenceDetails(view: LicenceView) -> impl IntoView {
    let i18n = use_i18n();
    let l = view.licence;
    let fact = move |label: Msg, testid: &'static str, value: AnyView| {
        view! {
            <div>
                <dt>{move || i18n.t(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let number = move |n: u64| (move || format_number(n, i18n.lang.get().tag())).into_any();
    let text = |s: String| if s.is_empty() { "—".to_owned() } else { s }.into_any();
    let time = |t: chrono::DateTime<chrono::Utc>| view! { <Timestamp at=t /> }.into_any();
    let kind = l.kind;
    let source = match view.source {
        LicenceSource::Default => Msg::LicenceSourceDefault,
        LicenceSource::Installed => Msg::LicenceSourceInstalled,
    };
    view! {
        <dl class="bc-facts bc-licence__facts" data-testid="licence-details">
            {fact(
                Msg::LicenceStatus,
                "licence-status-fact",
                view! { <StatusBadge status=view.status /> }.into_any(),
            )}
            {fact(Msg::DaysLeft, "licence-days-left", view.days_left.to_string().into_any())}
            {fact(Msg::LicenceId, "licence-id", text(l.id))}
            {fact(
                Msg::LicenceType,
                "licence-type",
                (move || i18n.t(labels::licence_type(kind))).into_any(),
            )}
            {fact(Msg::LicenceIssuedTo, "licence-issued-to", text(l.issued_to))}
            {fact(Msg::LicenceIssuerEmail, "licence-issuer-email", text(l.issuer_email))}
            {fact(Msg::LicenceIssuedAt, "licence-issued-at", time(l.issued_at))}
            {fact(Msg::LicenceValidFrom, "licence-valid-from", time(l.valid_from))}
            {fact(Msg::LicenceValidUntil, "licence-valid-until", time(l.valid_until))}
            {fact(Msg::LicenceMaxSessions, "licence-max-sessions", number(l.max_sessions))}
            {fact(Msg::LicenceMaxTps, "licence-max-tps", number(l.max_tps))}
            {fact(Msg::LicenceCoreSize, "licence-core-size", number(u64::from(l.core_size)))}
            {fact(Msg::LicenceSource, "licence-source", (move || i18n.t(source)).into_any())}
            {view
                .installed_at
                .map(|at| fact(
                    Msg::LicenceInstalledAt,
                    "licence-installed-at",
                    view! { <Timestamp at=at /> }.into_any(),
                ))}
        </dl>
    }
}
