//! Creating a project (owners): name and description, checked as typed by `core`'s rules.

use byoc_core::access::{ProjectDescription, ProjectName};
use byoc_core::api::ProblemCode;
use byoc_core::api::ProjectField;
use byoc_core::api::{CreateProjectRequest, Project};
use leptos::prelude::*;

use crate::api::idempotency::SubmissionKey;
use crate::api::{self, ApiError};
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};

/// The server's code for a project name already in use.

#[component]
pub fn CreateProjectForm(#[prop(into)] on_created: Callback<Project>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let key = SubmissionKey::<CreateProjectRequest>::new();
    let action = Action::new_local(|(request, key): &(CreateProjectRequest, String)| {
        let (request, key) = (request.clone(), key.clone());
        async move { api::projects::create(&request, &key).await }
    });
    let pending = action.pending();
    let failed = move || action.value().get().and_then(Result::err);

    let name_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        let typed = name.get();
        if typed.is_empty() && !attempted.get() {
            return None;
        }
        if let Err(e) = ProjectName::parse(&typed) {
            return Some(e.message(lang));
        }
        match failed() {
            Some(e) if e.code() == Some(ProblemCode::NameTaken) => {
                Some(Msg::ProjectNameTaken.text(lang).to_owned())
            }
            Some(e) => e.field_error(ProjectField::Name).map(|f| f.message.clone()),
            None => None,
        }
    });
    let description_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        ProjectDescription::parse(&description.get())
            .err()
            .map(|e| e.message(lang))
    });
    let other_error = move || {
        failed()
            .filter(|e: &ApiError| {
                e.code() != Some(ProblemCode::NameTaken)
                    && e.field_error(ProjectField::Name).is_none()
            })
            .map(|e| {
                view! {
                    <p class="bc-alert bc-alert--error" role="alert">
                        {move || i18n.t(e.message())}
                    </p>
                }
            })
    };

    Effect::new(move |_| {
        if let Some(Ok(project)) = action.value().get() {
            key.done();
            attempted.set(false);
            name.set(String::new());
            description.set(String::new());
            on_created.run(project);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        if pending.get_untracked() {
            return;
        }
        let Ok(parsed) = ProjectName::parse(&name.get_untracked()) else {
            return;
        };
        let Ok(about) = ProjectDescription::parse(&description.get_untracked()) else {
            return;
        };
        let request = CreateProjectRequest {
            name: parsed.as_str().to_owned(),
            description: (!about.as_str().is_empty()).then(|| about.as_str().to_owned()),
        };
        let idempotency_key = key.for_request(&request);
        action.dispatch_local((request, idempotency_key));
    };

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="create-project-form">
            <div class="bc-form-row">
                <TextField
                    id="project-name"
                    label=Msg::ProjectName
                    value=name
                    error=name_error
                    required=true
                />
                <TextField
                    id="project-description"
                    label=Msg::ProjectDescription
                    value=description
                    error=description_error
                />
            </div>
            {other_error}
            <button
                class="bc-button bc-button--primary"
                type="submit"
                data-testid="create-project-submit"
                disabled=move || pending.get()
            >
                {move || i18n.t(Msg::CreateProject)}
            </button>
        </form>
    }
}
