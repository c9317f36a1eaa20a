//! The licence in force at a glance: status, days left, usage bars and a link to the Licence
//! page. It reads the console's shared licence state, so it agrees with the header's banner.

use leptos::prelude::*;

use crate::i18n::{fill, labels, use_i18n, Msg};
use crate::pages::licence::state::use_licence;
use crate::pages::licence::usage::UsageBars;
use crate::routes::Route;

#[component]
pub fn LicenceCard() -> impl IntoView {
    let i18n = use_i18n();
    let licence = use_licence();
    let body = move || {
        licence.view().map(|view| {
            let days = view.days_left.to_string();
            let until = view.licence.valid_until.format("%Y-%m-%d").to_string();
            let status = view.status;
            view! {
                <p class="bc-overview__licence-status">
                    <span class="bc-badge" data-testid="overview-licence-status">
                        {move || i18n.t(labels::licence_status(status))}
                    </span>
                    " "
                    <span data-testid="overview-licence-days">
                        {move || {
                            fill(
                                i18n.t(Msg::OverviewDaysLeft),
                                &[("days", &days), ("date", &until)],
                            )
                        }}
                    </span>
                </p>
                <UsageBars usage=view.usage />
            }
        })
    };
    view! {
        <section class="bc-card bc-overview__card" aria-labelledby="overview-licence-heading">
            <h2 id="overview-licence-heading" class="bc-card__title">
                {move || i18n.t(Msg::OverviewLicence)}
            </h2>
            {body}
            <a class="bc-link" href=Route::Licence.path() data-testid="overview-licence-link">
                {move || i18n.t(Msg::OverviewOpenLicence)}
            </a>
        </section>
    }
}
