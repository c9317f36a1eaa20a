//! Adding someone to a project: picked by username from the users an owner sees, or entered by
//! user id by a project admin (who cannot list the organisation's users).

use byoc_core::access::ProjectRole;
use byoc_core::api::{Member, PutMemberRequest, User};
use leptos::prelude::*;

use crate::components::text_field::TextField;
use crate::i18n::{labels, use_i18n, Msg};

#[component]
pub fn AddMemberForm(
    /// Users to pick from; `None` means entering a user id.
    users: Signal<Option<Vec<User>>>,
    /// The project's current members (left out of the picker; an id already among them is a
    /// role change and carries that membership's version).
    #[prop(into)]
    members: Signal<Vec<Member>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_add: Callback<(PutMemberRequest, Option<i64>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user_id = RwSignal::new(String::new());
    let role = RwSignal::new(ProjectRole::Viewer);
    let attempted = RwSignal::new(false);
    let missing = Signal::derive(move || {
        (attempted.get() && user_id.with(|u| u.trim().is_empty()))
            .then(|| i18n.t(Msg::ChooseUser).to_owned())
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let id = user_id.get_untracked().trim().to_owned();
        if id.is_empty() || pending.get_untracked() {
            return;
        }
        let version =
            members.with_untracked(|ms| ms.iter().find(|m| m.user_id == id).map(|m| m.version));
        on_add.run((
            PutMemberRequest {
                user_id: id,
                role: role.get_untracked(),
            },
            version,
        ));
        attempted.set(false);
        user_id.set(String::new());
    };

    let picker = move || match users.get() {
        Some(list) => {
            let options = move || {
                let taken: Vec<String> =
                    members.with(|ms| ms.iter().map(|m| m.user_id.clone()).collect());
                list.iter()
                    .filter(|u| !taken.contains(&u.id))
                    .map(|u| {
                        view! {
                            <option value=u.id.clone() selected=u.id == user_id.get_untracked()>
                                {u.username.clone()}
                            </option>
                        }
                    })
                    .collect_view()
            };
            view! {
                <div class="bc-field">
                    <label class="bc-field__label" for="add-member-user">
                        {move || i18n.t(Msg::User)}
                    </label>
                    <select
                        class="bc-select"
                        id="add-member-user"
                        data-testid="add-member-user"
                        aria-invalid=move || missing.with(Option::is_some).to_string()
                        aria-describedby="add-member-user-error"
                        on:change=move |ev| user_id.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || user_id.with(String::is_empty)>
                            {move || i18n.t(Msg::ChooseUser)}
                        </option>
                        {options}
                    </select>
                    <p class="bc-field__error" id="add-member-user-error" role="alert">
                        {move || missing.get()}
                    </p>
                </div>
            }
            .into_any()
        }
        None => view! {
            <TextField
                id="add-member-user"
                label=Msg::UserId
                value=user_id
                error=missing
                hint=Msg::UserIdHint
            />
        }
        .into_any(),
    };
    let role_options = ProjectRole::ALL
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.code() selected=move || role.get() == r>
                    {move || i18n.t(labels::project_role(r))}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="bc-form" on:submit=submit novalidate data-testid="add-member-form">
            <div class="bc-form-row">
                {picker} <div class="bc-field">
                    <label class="bc-field__label" for="add-member-role">
                        {move || i18n.t(Msg::ProjectRole)}
                    </label>
                    <select
                        class="bc-select"
                        id="add-member-role"
                        data-testid="add-member-role"
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse() {
                                role.set(r);
                            }
                        }
                    >
                        {role_options}
                    </select>
                </div>
            </div>
            <button
                class="bc-button bc-button--primary"
                type="submit"
                data-testid="add-member-submit"
                disabled=move || pending.get()
            >
                {move || i18n.t(Msg::AddMember)}
            </button>
        </form>
    }
}
