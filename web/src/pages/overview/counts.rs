//! Deployments by status, one line per project the user can see. Every count links to the
//! project's list narrowed to that status; the project's name links to its whole list.

use byoc_core::api::ProjectStatusCounts;
use byoc_core::lifecycle::deployment::Status;
use leptos::prelude::*;

use crate::i18n::{fill, labels, use_i18n, Msg};
use crate::routes::Route;

#[component]
pub fn StatusCounts(projects: Vec<ProjectStatusCounts>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = projects.is_empty();
    let rows = projects
        .into_iter()
        .map(|p| {
            let name = p.project_name.clone();
            let all_label = name.clone();
            let counts = p
                .counts
                .iter()
                .filter_map(|c| Some((Status::parse(&c.status)?, c.count)))
                .map(|(status, count)| {
                    let project = name.clone();
                    // The project is said, not shown (the row shows it): part of the link's
                    // name, so the visible words stay the start of what is announced.
                    let in_project =
                        move || fill(i18n.t(Msg::OverviewCountIn), &[("project", &project)]);
                    view! {
                        <li>
                            <a
                                class=format!(
                                    "bc-overview__count bc-status bc-status--{}",
                                    labels::status_tone(status),
                                )
                                href=Route::deployments_in(&p.project_id, status)
                                data-testid=format!("overview-count-{}", status.code())
                            >
                                <span class="bc-overview__count-number">{count}</span>
                                " "
                                {move || i18n.t(labels::deployment_status(status))}
                                <span class="bc-visually-hidden">{in_project}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            let none = p.counts.is_empty().then(|| {
                view! { <li class="bc-hint">{move || i18n.t(Msg::OverviewNoDeployments)}</li> }
            });
            view! {
                <li class="bc-overview__project" data-testid="overview-project">
                    <a
                        class="bc-overview__project-name"
                        href=Route::deployments_of(&p.project_id)
                        aria-label=move || {
                            fill(i18n.t(Msg::OverviewAllDeployments), &[("project", &all_label)])
                        }
                    >
                        {name}
                    </a>
                    <ul class="bc-overview__counts">{counts} {none}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="bc-card" aria-labelledby="overview-deployments-heading">
            <h2 id="overview-deployments-heading" class="bc-card__title">
                {move || i18n.t(Msg::OverviewDeployments)}
            </h2>
            {empty
                .then(|| {
                    view! {
                        <p class="bc-hint" data-testid="overview-no-projects">
                            {move || i18n.t(Msg::OverviewNoProjects)}
                        </p>
                    }
                })}
            <ul class="bc-overview__projects">{rows}</ul>
        </section>
    }
}
