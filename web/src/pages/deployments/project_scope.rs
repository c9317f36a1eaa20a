//! Which project a Deployments page is about: the `?project=` of the URL, else the user's first
//! project (written into the URL, so a reload or a shared link shows the same one), with a
//! picker to switch.

use byoc_core::api::Project;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{use_i18n, Msg};
use crate::routes::{Route, PROJECT_QUERY};

/// Renders `render(project)` for the chosen project below a project picker. `link` builds the
/// address of this page for a project (the router's own path, from [`Route`]).
#[component]
pub fn ProjectScope(link: fn(&str) -> String, render: fn(Project) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let projects = LocalResource::new(api::projects::list);
    let query = use_query_map();
    let navigate = use_navigate();
    let wanted = Memo::new(move |_| query.with(|q| q.get(PROJECT_QUERY)));
    let list = Memo::new(move |_| projects.get().and_then(Result::ok));
    let current = Memo::new(move |_| {
        let wanted = wanted.get()?;
        list.with(|l| l.as_ref()?.iter().find(|p| p.id == wanted).cloned())
    });
    // No project named, or one the user cannot see (any more): the first of theirs, in place
    // of the address (a replace, so Back does not return to the address without it).
    let go = navigate.clone();
    Effect::new(move |_| {
        let Some(list) = list.get() else { return };
        if current.with(Option::is_none) {
            if let Some(first) = list.first() {
                go(
                    &link(&first.id),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });

    let picker = move || {
        let list = list.get()?;
        let chosen = current.get().map(|p| p.id);
        let options = list
            .into_iter()
            .map(|p| {
                let selected = chosen.as_deref() == Some(p.id.as_str());
                view! {
                    <option value=p.id.clone() selected=selected>
                        {p.name.clone()}
                    </option>
                }
            })
            .collect_view();
        let navigate = navigate.clone();
        Some(view! {
            <label class="bc-control bc-project-scope">
                <span class="bc-control__label">{move || i18n.t(Msg::Project)}</span>
                <select
                    class="bc-select"
                    data-testid="project-picker"
                    on:change=move |ev| navigate(
                        &link(&event_target_value(&ev)),
                        NavigateOptions::default(),
                    )
                >
                    {options}
                </select>
            </label>
        })
    };

    let body = move || {
        projects.get().map(|result| match result {
            Ok(list) if list.is_empty() => view! {
                <div class="bc-alert bc-alert--info" data-testid="deployments-no-projects">
                    <p>{move || i18n.t(Msg::NoProjectsForDeployments)}</p>
                    <a class="bc-button" href=Route::Projects.path()>
                        {move || i18n.t(Msg::GoToProjects)}
                    </a>
                </div>
            }
            .into_any(),
            Ok(_) => (move || current.get().map(render)).into_any(),
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| projects.refetch() /> }
                    .into_any()
            }
        })
    };

    view! {
        <Transition fallback=move || {
            view! {
                <p class="bc-loading" role="status">
                    {i18n.t(Msg::Loading)}
                </p>
            }
        }>{picker} {body}</Transition>
    }
}
