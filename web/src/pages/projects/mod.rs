//! The Projects page: the projects the user can see; owners create them, project admins rename
//! them and delete empty ones.

mod create;
mod rename;
mod table;

use byoc_core::access::{can, Action as Permission};
use byoc_core::api::Project;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ApiErrorView;
use crate::i18n::{fill, use_i18n, Msg};
use crate::session::use_session;
use create::CreateProjectForm;
use rename::RenameProjectDialog;
use table::ProjectsTable;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let projects = LocalResource::new(api::projects::list);
    let status = RwSignal::new(None::<String>);
    let renaming = RwSignal::new(None::<Project>);
    let deleting = RwSignal::new(None::<Project>);
    // The guard renders this page only with a session, so the role is known and fixed here.
    let org_role = session.me_untracked().map(|me| me.user.org_role);
    let can_create = org_role.is_some_and(|org| can(org, None, Permission::CreateProject));

    // A change to projects can change the user's memberships: the session is asked again too.
    let changed = move |text: String| {
        status.set(Some(text));
        projects.refetch();
        session.refetch();
    };

    let delete = Action::new_local(|project: &Project| {
        let project = project.clone();
        async move { api::projects::remove(&project.id, project.version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            if let Some(gone) = deleting.get_untracked() {
                deleting.set(None);
                changed(fill(
                    Msg::ProjectDeleted.text(i18n.lang.get_untracked()),
                    &[("name", &gone.name)],
                ));
            }
        }
    });
    let delete_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        delete.value().get().and_then(Result::err).map(|e| match e {
            ApiError::Conflict(_) => Msg::ProjectNotEmpty.text(lang).to_owned(),
            e => e.message().text(lang).to_owned(),
        })
    });
    let open_delete = move |project: Project| {
        delete.clear();
        deleting.set(Some(project));
    };

    let list = move || {
        projects.get().map(|result| match (result, org_role) {
            (Ok(list), _) if list.is_empty() => view! {
                <p class="bc-hint" data-testid="projects-empty">
                    {move || i18n.t(Msg::NoProjects)}
                </p>
            }
            .into_any(),
            (Ok(list), Some(role)) => view! {
                <ProjectsTable
                    projects=Signal::stored(list)
                    org_role=role
                    on_rename=move |p| renaming.set(Some(p))
                    on_delete=open_delete
                />
            }
            .into_any(),
            (Ok(_), None) => ().into_any(),
            (Err(error), _) => {
                view! { <ApiErrorView error=error on_retry=move |()| projects.refetch() /> }
                    .into_any()
            }
        })
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavProjects)}</h1>
            <p class="bc-page__intro">{move || i18n.t(Msg::ProjectsIntro)}</p>
            <p
                class="bc-inline-status"
                role="status"
                aria-live="polite"
                data-testid="projects-status"
            >
                {move || status.get()}
            </p>
            {can_create
                .then(|| {
                    view! {
                        <section class="bc-card" aria-labelledby="create-project-heading">
                            <h2 class="bc-card__title" id="create-project-heading">
                                {move || i18n.t(Msg::CreateProject)}
                            </h2>
                            <CreateProjectForm on_created=move |p: Project| {
                                changed(
                                    fill(
                                        Msg::ProjectCreated.text(i18n.lang.get_untracked()),
                                        &[("name", &p.name)],
                                    ),
                                )
                            } />
                        </section>
                    }
                })}
            <section class="bc-card" aria-labelledby="projects-heading">
                <h2 class="bc-card__title" id="projects-heading">
                    {move || i18n.t(Msg::YourProjects)}
                </h2>
                <Transition fallback=move || {
                    view! {
                        <p class="bc-loading" role="status">
                            {i18n.t(Msg::Loading)}
                        </p>
                    }
                }>{list}</Transition>
            </section>
            <RenameProjectDialog
                target=renaming
                on_saved=move |p: Project| changed(
                    fill(Msg::ProjectRenamed.text(i18n.lang.get_untracked()), &[("name", &p.name)]),
                )
                on_reload=move |()| projects.refetch()
            />
            <ConfirmDialog
                id="delete-project"
                subject=Signal::derive(move || deleting.get().map(|p| p.name))
                title=Signal::derive(move || i18n.t(Msg::DeleteProject).to_owned())
                body=Signal::derive(move || i18n.t(Msg::DeleteProjectBody).to_owned())
                confirm_label=Msg::DeleteProject
                type_to_confirm=true
                pending=delete.pending()
                error=delete_error
                on_confirm=move |()| {
                    if let Some(p) = deleting.get_untracked() {
                        delete.dispatch_local(p);
                    }
                }
                on_cancel=move |()| deleting.set(None)
            />
        </section>
    }
}
