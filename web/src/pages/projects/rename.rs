//! Renaming a project (admins and owners), guarded by the version the user saw: if someone else
//! changed it meanwhile, the server answers 412 and nothing is overwritten.

use byoc_core::access::{ProjectDescription, ProjectName};
use byoc_core::api::ProblemCode;
use byoc_core::api::ProjectField;
use byoc_core::api::{Project, UpdateProjectRequest};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::text_field::TextField;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
pub fn RenameProjectDialog(
    /// The project being renamed; `None` keeps the dialog closed.
    target: RwSignal<Option<Project>>,
    #[prop(into)] on_saved: Callback<Project>,
    /// Reload the list (after a conflict, to see the latest version).
    #[prop(into)]
    on_reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = Signal::derive(move || target.with(Option::is_some));
    let title = Signal::derive(move || i18n.t(Msg::RenameProject).to_owned());
    view! {
        <Dialog id="rename-project" open=open title=title on_close=move |()| target.set(None)>
            {move || {
                target
                    .get()
                    .map(|project| {
                        view! {
                            <RenameForm
                                project=project
                                target=target
                                on_saved=on_saved
                                on_reload=on_reload
                            />
                        }
                    })
            }}
        </Dialog>
    }
}

#[component]
fn RenameForm(
    project: Project,
    target: RwSignal<Option<Project>>,
    on_saved: Callback<Project>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(project.name.clone());
    let description = RwSignal::new(project.description.clone());
    let action = Action::new_local(
        |(id, version, request): &(String, i64, UpdateProjectRequest)| {
            let (id, version, request) = (id.clone(), *version, request.clone());
            async move { api::projects::update(&id, version, &request).await }
        },
    );
    let pending = action.pending();
    let failed = move || action.value().get().and_then(Result::err);

    let name_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        match (ProjectName::parse(&name.get()), failed()) {
            (Err(e), _) => Some(e.message(lang)),
            (Ok(_), Some(e)) if e.code() == Some(ProblemCode::NameTaken) => {
                Some(Msg::ProjectNameTaken.text(lang).to_owned())
            }
            (Ok(_), Some(e)) => e.field_error(ProjectField::Name).map(|f| f.message.clone()),
            (Ok(_), None) => None,
        }
    });
    let description_error = Signal::derive(move || {
        ProjectDescription::parse(&description.get())
            .err()
            .map(|e| e.message(i18n.lang.get()))
    });
    let alert = move || {
        let lang = i18n.lang.get();
        match failed()? {
            ApiError::PreconditionFailed {
                current_version, ..
            } => {
                let now = current_version.map_or_else(|| "?".to_owned(), |v| v.to_string());
                Some(view! {
                    <div
                        class="bc-alert bc-alert--warning"
                        role="alert"
                        data-testid="rename-conflict"
                    >
                        <p class="bc-alert__title">
                            {fill(Msg::ProjectChangedMeanwhile.text(lang), &[("version", &now)])}
                        </p>
                        <button
                            class="bc-button"
                            type="button"
                            on:click=move |_| {
                                target.set(None);
                                on_reload.run(());
                            }
                        >
                            {Msg::ReloadLatest.text(lang)}
                        </button>
                    </div>
                }
                .into_any())
            }
            e if e.code() == Some(ProblemCode::NameTaken) => None,
            e if e.field_error(ProjectField::Name).is_some() => None,
            e => Some(
                view! {
                    <p class="bc-alert bc-alert--error" role="alert">
                        {e.message().text(lang)}
                    </p>
                }
                .into_any(),
            ),
        }
    };

    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            target.set(None);
            on_saved.run(saved);
        }
    });

    let id = project.id.clone();
    let version = project.version;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(parsed) = ProjectName::parse(&name.get_untracked()) else {
            return;
        };
        let Ok(about) = ProjectDescription::parse(&description.get_untracked()) else {
            return;
        };
        let request = UpdateProjectRequest {
            name: Some(parsed.as_str().to_owned()),
            description: Some(about.as_str().to_owned()),
        };
        action.dispatch_local((id.clone(), version, request));
    };

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="rename-project-form">
            <TextField
                id="rename-project-name"
                label=Msg::ProjectName
                value=name
                error=name_error
                required=true
            />
            <TextField
                id="rename-project-description"
                label=Msg::ProjectDescription
                value=description
                error=description_error
            />
            {alert}
            <div class="bc-dialog__actions">
                <button class="bc-button" type="button" on:click=move |_| target.set(None)>
                    {move || i18n.t(Msg::Cancel)}
                </button>
                <button
                    class="bc-button bc-button--primary"
                    type="submit"
                    data-testid="rename-project-submit"
                    disabled=move || pending.get()
                >
                    {move || i18n.t(Msg::Save)}
                </button>
            </div>
        </form>
    }
}
