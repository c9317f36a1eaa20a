//! The projects the user can see, with rename and delete where `core` says they may.

use byoc_core::access::{can, Action, OrgRole};
use byoc_core::api::Project;
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

#[component]
pub fn ProjectsTable(
    #[prop(into)] projects: Signal<Vec<Project>>,
    org_role: OrgRole,
    #[prop(into)] on_rename: Callback<Project>,
    #[prop(into)] on_delete: Callback<Project>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |project: Project| {
        let manages = can(org_role, project.role, Action::ManageProject);
        let name = project.name.clone();
        let role = project.role;
        let actions = manages.then(|| {
            let (rename, delete) = (project.clone(), project.clone());
            let (rename_id, delete_id) = (
                format!("project-rename-{name}"),
                format!("project-delete-{name}"),
            );
            view! {
                <div class="bc-table__actions">
                    <button
                        class="bc-button bc-button--small"
                        type="button"
                        data-testid=rename_id
                        on:click=move |_| on_rename.run(rename.clone())
                    >
                        {move || i18n.t(Msg::Rename)}
                    </button>
                    <button
                        class="bc-button bc-button--small bc-button--danger-outline"
                        type="button"
                        data-testid=delete_id
                        on:click=move |_| on_delete.run(delete.clone())
                    >
                        {move || i18n.t(Msg::Delete)}
                    </button>
                </div>
            }
        });
        view! {
            <tr data-testid=format!("project-row-{name}")>
                <th scope="row">{project.name.clone()}</th>
                <td>{project.description.clone()}</td>
                <td>
                    {move || {
                        role.map_or(i18n.t(Msg::NotAMember), |r| i18n.t(labels::project_role(r)))
                    }}
                </td>
                <td>
                    <Timestamp at=project.created_at />
                </td>
                <td>{actions}</td>
            </tr>
        }
    };
    view! {
        <ScrollRegion label=Msg::NavProjects>
            <table class="bc-table" data-testid="projects-table">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::NavProjects)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::ProjectName)}</th>
                        <th scope="col">{move || i18n.t(Msg::ProjectDescription)}</th>
                        <th scope="col">{move || i18n.t(Msg::YourRole)}</th>
                        <th scope="col">{move || i18n.t(Msg::Created)}</th>
                        <th scope="col">
                            <span class="bc-visually-hidden">{move || i18n.t(Msg::Actions)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{move || projects.get().into_iter().map(row).collect_view()}</tbody>
            </table>
        </ScrollRegion>
    }
}
