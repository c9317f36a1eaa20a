//! Users & access: the user's own access; for owners the organisation's users; for whoever
//! manages project members (owners, project admins) the members of those projects. What is shown
//! follows `core::access::can`, the table the server enforces.

mod add_member;
mod create_user;
mod members;
mod reset_password;
mod users;

use byoc_core::access::{can, Action};
use byoc_core::api::{Me, Project, User};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_view::ApiErrorView;
use crate::i18n::{labels, use_i18n, Msg};
use crate::session::use_session;
use members::MembersSection;
use users::UsersSection;

#[component]
pub fn AccessPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The guard renders this page only with a session; without one there is nothing to show.
    let Some(me) = session.me_untracked() else {
        return ().into_any();
    };
    let org = me.user.org_role;
    let manages_users = can(org, None, Action::ManageUsers);

    // Only owners may list users; asking otherwise would be a 403 for nothing.
    let users: LocalResource<Result<Vec<User>, ApiError>> =
        LocalResource::new(move || async move {
            if manages_users {
                api::users::list().await
            } else {
                Ok(Vec::new())
            }
        });
    let pickable = Signal::derive(move || {
        manages_users
            .then(|| users.get().and_then(Result::ok))
            .flatten()
    });
    let projects = LocalResource::new(api::projects::list);

    let members_me = me.clone();
    let members = move || {
        let me = members_me.clone();
        projects.get().map(move |result| match result {
            Ok(list) => {
                let managed: Vec<Project> = list
                    .into_iter()
                    .filter(|p| can(org, p.role, Action::ManageMembers))
                    .collect();
                (!managed.is_empty())
                    .then(|| {
                        view! { <MembersSection me=me projects=managed users=pickable /> }
                    })
                    .into_any()
            }
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| projects.refetch() /> }
                    .into_any()
            }
        })
    };

    view! {
        <section class="bc-page">
            <h1 class="bc-page__title">{move || i18n.t(Msg::NavAccess)}</h1>
            <MyAccess me=me.clone() />
            {manages_users.then(|| view! { <UsersSection me=me.clone() users=users /> })}
            <Transition fallback=move || {
                view! {
                    <p class="bc-loading" role="status">
                        {i18n.t(Msg::Loading)}
                    </p>
                }
            }>{members}</Transition>
        </section>
    }
    .into_any()
}

/// The signed-in user's organisation role and project roles, and who manages access.
#[component]
fn MyAccess(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let org = me.user.org_role;
    let memberships = me
        .projects
        .iter()
        .map(|m| {
            let role = m.role;
            view! { <li>{m.project_name.clone()}" — "{move || i18n.t(labels::project_role(role))}</li> }
        })
        .collect_view();
    let none = me.projects.is_empty();
    view! {
        <section class="bc-card" aria-labelledby="my-access-heading" data-testid="my-access">
            <h2 class="bc-card__title" id="my-access-heading">
                {move || i18n.t(Msg::YourAccess)}
            </h2>
            <dl class="bc-facts">
                <div>
                    <dt>{move || i18n.t(Msg::Username)}</dt>
                    <dd>{me.user.username.clone()}</dd>
                </div>
                <div>
                    <dt>{move || i18n.t(Msg::OrgRole)}</dt>
                    <dd>{move || i18n.t(labels::org_role(org))}</dd>
                </div>
            </dl>
            {if none {
                view! { <p class="bc-hint">{move || i18n.t(Msg::NoMemberships)}</p> }.into_any()
            } else {
                view! { <ul class="bc-list">{memberships}</ul> }.into_any()
            }}
            <p class="bc-hint">{move || i18n.t(Msg::AccessManagedBy)}</p>
        </section>
    }
}
