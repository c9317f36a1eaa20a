//! The organisation's users, with the controls an owner has: role, password reset, removal.
//! Which controls exist is `core::access::can`'s answer for the viewer, so a member sees a plain
//! table (the server would refuse them anyway).

use byoc_core::access::{can, Action, OrgRole};
use byoc_core::api::User;
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::components::timestamp::Timestamp;
use crate::i18n::{labels, use_i18n, Msg};

#[component]
pub fn UsersTable(
    #[prop(into)] users: Signal<Vec<User>>,
    /// The signed-in user's organisation role and id.
    viewer_role: OrgRole,
    #[prop(into)] viewer_id: String,
    #[prop(into)] on_role: Callback<(User, OrgRole)>,
    #[prop(into)] on_reset: Callback<User>,
    #[prop(into)] on_remove: Callback<User>,
    /// While a change is being saved, further changes wait.
    #[prop(into, optional)]
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let manages = can(viewer_role, None, Action::ManageUsers);
    let viewer_id = StoredValue::new(viewer_id);

    let row = move |user: User| {
        // One's own account is changed through "Change password", and an owner cannot demote or
        // remove themselves here: that is how an organisation loses its last owner.
        let controls = manages && viewer_id.with_value(|id| *id != user.id);
        let name = user.username.clone();
        let role_cell = if controls {
            let select_user = user.clone();
            let label_name = user.username.clone();
            let options = [OrgRole::Owner, OrgRole::Member]
                .into_iter()
                .map(|r| {
                    view! {
                        <option value=r.code() selected=r == user.org_role>
                            {move || i18n.t(labels::org_role(r))}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    class="bc-select bc-select--compact"
                    data-testid=format!("user-role-{name}")
                    aria-label=move || format!("{} {}", i18n.t(Msg::OrgRole), label_name)
                    disabled=move || busy.get()
                    on:change=move |ev| {
                        if let Ok(role) = event_target_value(&ev).parse::<OrgRole>() {
                            on_role.run((select_user.clone(), role));
                        }
                    }
                >
                    {options}
                </select>
            }
            .into_any()
        } else {
            let role = user.org_role;
            view! { <span>{move || i18n.t(labels::org_role(role))}</span> }.into_any()
        };
        let actions = controls.then(|| {
            let reset_user = user.clone();
            let remove_user = user.clone();
            view! {
                <div class="bc-table__actions">
                    <button
                        class="bc-button bc-button--small"
                        type="button"
                        data-testid=format!("user-reset-{name}")
                        disabled=move || busy.get()
                        on:click=move |_| on_reset.run(reset_user.clone())
                    >
                        {move || i18n.t(Msg::ResetPassword)}
                    </button>
                    <button
                        class="bc-button bc-button--small bc-button--danger-outline"
                        type="button"
                        data-testid=format!("user-remove-{name}")
                        disabled=move || busy.get()
                        on:click=move |_| on_remove.run(remove_user.clone())
                    >
                        {move || i18n.t(Msg::Remove)}
                    </button>
                </div>
            }
        });
        view! {
            <tr data-testid=format!("user-row-{}", user.username)>
                <th scope="row">{user.username.clone()}</th>
                <td>{role_cell}</td>
                <td>
                    <Timestamp at=user.created_at />
                </td>
                {manages.then(|| view! { <td>{actions}</td> })}
            </tr>
        }
    };

    view! {
        <ScrollRegion label=Msg::UsersHeading>
            <table class="bc-table" data-testid="users-table">
                <caption class="bc-visually-hidden">{move || i18n.t(Msg::UsersHeading)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::Username)}</th>
                        <th scope="col">{move || i18n.t(Msg::OrgRole)}</th>
                        <th scope="col">{move || i18n.t(Msg::Created)}</th>
                        {manages
                            .then(|| view! { <th scope="col">{move || i18n.t(Msg::Actions)}</th> })}
                    </tr>
                </thead>
                // Re-rendered whole on every change: a handful of rows, and a select must never keep
                // showing a role the server refused.
                <tbody>{move || users.get().into_iter().map(row).collect_view()}</tbody>
            </table>
        </ScrollRegion>
    }
}
