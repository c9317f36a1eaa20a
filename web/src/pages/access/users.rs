//! The owner's part of Users & access: every user, creating them, their organisation role,
//! password resets and removal.

use byoc_core::access::OrgRole;
use byoc_core::api::ProblemCode;
use byoc_core::api::{Me, UpdateUserRequest, User};
use leptos::prelude::*;

use super::create_user::CreateUserForm;
use super::reset_password::ResetPasswordDialog;
use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ApiErrorView;
use crate::components::users_table::UsersTable;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// Why a change to a user was refused, in the terms an owner acts on.
fn refusal(error: &ApiError) -> Msg {
    match error {
        ApiError::PreconditionFailed { .. } => Msg::UserChangedMeanwhile,
        e if e.code() == Some(ProblemCode::LastOwner) => Msg::LastOwner,
        e => e.message(),
    }
}

#[component]
pub fn UsersSection(me: Me, users: LocalResource<Result<Vec<User>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(None::<String>);
    let resetting = RwSignal::new(None::<User>);
    let removing = RwSignal::new(None::<User>);
    let say = move |msg: Msg, name: &str| {
        status.set(Some(fill(
            msg.text(i18n.lang.get_untracked()),
            &[("name", name)],
        )));
    };

    let set_role = Action::new_local(|(user, role): &(User, OrgRole)| {
        let (user, request) = (
            user.clone(),
            UpdateUserRequest {
                org_role: Some(*role),
                password: None,
            },
        );
        async move { api::users::update(&user.id, user.version, &request).await }
    });
    Effect::new(move |_| {
        if let Some(result) = set_role.value().get() {
            match result {
                Ok(user) => {
                    let role = i18n.t(labels::org_role(user.org_role));
                    status.set(Some(fill(
                        i18n.t(Msg::RoleChanged),
                        &[("name", &user.username), ("role", role)],
                    )));
                }
                Err(e) => status.set(Some(i18n.t(refusal(&e)).to_owned())),
            }
            // Success or not, the table shows what the server now holds.
            users.refetch();
        }
    });

    let remove = Action::new_local(|user: &User| {
        let user = user.clone();
        async move { api::users::remove(&user.id, user.version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            if let Some(gone) = removing.get_untracked() {
                removing.set(None);
                say(Msg::UserRemoved, &gone.username);
                users.refetch();
            }
        }
    });
    let remove_error = Signal::derive(move || {
        let lang = i18n.lang.get();
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| refusal(&e).text(lang).to_owned())
    });

    let viewer_id = me.user.id.clone();
    let viewer_role = me.user.org_role;
    let table = move || {
        let viewer_id = viewer_id.clone();
        users.get().map(move |result| match result {
            Ok(list) => view! {
                <UsersTable
                    users=Signal::stored(list)
                    viewer_role=viewer_role
                    viewer_id=viewer_id
                    busy=set_role.pending()
                    on_role=move |(user, role)| {
                        set_role.dispatch_local((user, role));
                    }
                    on_reset=move |user| resetting.set(Some(user))
                    on_remove=move |user| {
                        remove.clear();
                        removing.set(Some(user));
                    }
                />
            }
            .into_any(),
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| users.refetch() /> }.into_any()
            }
        })
    };

    view! {
        <section class="bc-card" aria-labelledby="users-heading">
            <h2 class="bc-card__title" id="users-heading">
                {move || i18n.t(Msg::UsersHeading)}
            </h2>
            <p class="bc-inline-status" role="status" aria-live="polite" data-testid="users-status">
                {move || status.get()}
            </p>
            <Transition fallback=move || {
                view! {
                    <p class="bc-loading" role="status">
                        {i18n.t(Msg::Loading)}
                    </p>
                }
            }>{table}</Transition>
            <h3 class="bc-card__subtitle">{move || i18n.t(Msg::CreateUser)}</h3>
            <CreateUserForm on_created=move |user: User| {
                say(Msg::UserCreated, &user.username);
                users.refetch();
            } />
        </section>
        <ResetPasswordDialog
            target=resetting
            on_done=move |user: User| say(Msg::PasswordReset, &user.username)
        />
        <ConfirmDialog
            id="remove-user"
            subject=Signal::derive(move || removing.get().map(|u| u.username))
            title=Signal::derive(move || i18n.t(Msg::RemoveUser).to_owned())
            body=Signal::derive(move || {
                let name = removing
                    .with(|u| u.as_ref().map(|u| u.username.clone()).unwrap_or_default());
                fill(i18n.t(Msg::RemoveUserBody), &[("name", &name)])
            })
            confirm_label=Msg::RemoveUser
            pending=remove.pending()
            error=remove_error
            on_confirm=move |()| {
                if let Some(user) = removing.get_untracked() {
                    remove.dispatch_local(user);
                }
            }
            on_cancel=move |()| removing.set(None)
        />
    }
}
