//! The Overview (SPEC §10), where `/` leads after sign-in: the licence card, deployments by status
//! in every project the user can see, what needs attention and recent activity. One request
//! (`GET /api/v1/overview`) brings everything but the licence, which the whole console shares.

pub mod activity;
pub mod attention;
pub mod counts;
pub mod licence_card;

use leptos::prelude::*;

use crate::api;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{use_i18n, Msg};
use activity::RecentActivity;
use attention::AttentionList;
use counts::StatusCounts;
use licence_card::LicenceCard;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = LocalResource::new(api::overview::get);
    let body = move || {
        overview.get().map(|result| match result {
            Ok(o) => view! {
                <StatusCounts projects=o.projects />
                <AttentionList attention=o.attention />
                {o.recent_activity.map(|entries| view! { <RecentActivity entries=entries /> })}
            }
            .into_any(),
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| overview.refetch() /> }
                    .into_any()
            }
        })
    };
    view! {
        <section class="bc-page bc-overview" data-testid="overview">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavOverview)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::OverviewIntro)}</p>
            <LicenceCard />
            <Transition fallback=move || {
                view! {
                    <p class="bc-loading" role="status">
                        {i18n.t(Msg::Loading)}
                    </p>
                }
            }>{body}</Transition>
        </section>
    }
}
