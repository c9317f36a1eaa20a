//! The banner that says the licence needs attention: expiring soon, expired, not yet valid, or
//! only the built-in default licence in force. Shown under the header on every page (linking
//! to the Licence page) and on the Licence page itself.

use byoc_core::api::{LicenceSource, LicenceView};
use byoc_core::lang::Lang;
use byoc_core::licence::LicenceStatus;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::state::use_licence;
use crate::i18n::{fill, use_i18n, Msg};
use crate::routes::Route;

/// The sentence for a licence that needs attention, and whether it is an error (new work is
/// refused) rather than a warning; `None` when all is well.
pub fn attention(view: &LicenceView, lang: Lang) -> Option<(String, bool)> {
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    let days = view.days_left.to_string();
    let until = date(view.licence.valid_until);
    match (view.source, view.status) {
        (_, LicenceStatus::Expired) => Some((
            fill(Msg::BannerExpired.text(lang), &[("date", &until)]),
            true,
        )),
        (_, LicenceStatus::NotYetValid) => Some((
            fill(
                Msg::BannerNotYetValid.text(lang),
                &[("date", &date(view.licence.valid_from))],
            ),
            true,
        )),
        (LicenceSource::Default, _) => Some((
            fill(
                Msg::BannerDefault.text(lang),
                &[
                    ("sessions", &view.licence.max_sessions.to_string()),
                    ("days", &days),
                ],
            ),
            false,
        )),
        (_, LicenceStatus::ExpiringSoon) => Some((
            fill(
                Msg::BannerExpiringSoon.text(lang),
                &[("days", &days), ("date", &until)],
            ),
            false,
        )),
        (LicenceSource::Installed, LicenceStatus::Valid) => None,
    }
}

#[component]
pub fn LicenceBanner(
    #[prop(into)] view: Signal<Option<LicenceView>>,
    /// Offer a link to the Licence page (not on that page itself).
    #[prop(optional)]
    link: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang.get();
        let (text, error) = view.with(|v| v.as_ref().and_then(|v| attention(v, lang)))?;
        let class = if error {
            "bc-banner bc-banner--error"
        } else {
            "bc-banner bc-banner--warning"
        };
        Some(view! {
            <div class=class role="status" data-testid="licence-banner">
                <p class="bc-banner__text">{text}</p>
                {link
                    .then(|| {
                        view! {
                            <A
                                href=Route::Licence.path()
                                attr:class="bc-banner__link"
                                attr:data-testid="licence-banner-link"
                            >
                                {i18n.t(Msg::BannerLink)}
                            </A>
                        }
                    })}
            </div>
        })
    }
}

/// The banner under the header: on every page but the Licence page, which shows its own.
#[component]
pub fn ShellLicenceBanner() -> impl IntoView {
    let licence = use_licence();
    let location = use_location();
    let elsewhere = move || location.pathname.get() != Route::Licence.path();
    view! {
        <Show when=elsewhere>
            <LicenceBanner view=Signal::derive(move || licence.view()) link=true />
        </Show>
    }
}
