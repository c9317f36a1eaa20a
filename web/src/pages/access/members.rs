//! Project members, for whoever manages them (owners: every project; project admins: theirs):
//! add a member, change a role, remove one. Every change carries the membership's version.

use byoc_core::access::{OrgRole, ProjectRole};
use byoc_core::api::{Me, Member, Project, PutMemberRequest, User};
use leptos::prelude::*;

use super::add_member::AddMemberForm;
use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ApiErrorView;
use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// What a members change sends: the project, the request, and the version it was based on.
pub type MemberChange = (String, PutMemberRequest, Option<i64>);

#[component]
pub fn MembersSection(
    me: Me,
    /// The projects whose members the user manages (at least one).
    projects: Vec<Project>,
    /// Everyone the user can pick from (owners); `None`: members are added by user id.
    users: Signal<Option<Vec<User>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(projects.first().map(|p| p.id.clone()).unwrap_or_default());
    let status = RwSignal::new(None::<String>);
    let removing = RwSignal::new(None::<Member>);
    let members = LocalResource::new(move || {
        let id = selected.get();
        async move { api::projects::members(&id).await }
    });

    let put = Action::new_local(|(project, request, version): &MemberChange| {
        let (project, request, version) = (project.clone(), request.clone(), *version);
        async move { api::projects::put_member(&project, &request, version).await }
    });
    Effect::new(move |_| {
        if let Some(result) = put.value().get() {
            let text = match result {
                Ok(m) => fill(
                    i18n.t(Msg::MemberSaved),
                    &[
                        ("name", &m.username),
                        ("role", i18n.t(labels::project_role(m.role))),
                    ],
                ),
                Err(ApiError::PreconditionFailed { .. }) => {
                    i18n.t(Msg::MemberChangedMeanwhile).to_owned()
                }
                Err(e) => i18n.t(e.message()).to_owned(),
            };
            status.set(Some(text));
            members.refetch();
        }
    });

    let remove = Action::new_local(|(project, member): &(String, Member)| {
        let (project, member) = (project.clone(), member.clone());
        async move { api::projects::remove_member(&project, &member.user_id, member.version).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            if let Some(gone) = removing.get_untracked() {
                removing.set(None);
                status.set(Some(fill(
                    i18n.t(Msg::MemberRemoved),
                    &[("name", &gone.username)],
                )));
                members.refetch();
            }
        }
    });
    let remove_error = Signal::derive(move || {
        remove.value().get().and_then(Result::err).map(|e| match e {
            ApiError::PreconditionFailed { .. } => i18n.t(Msg::MemberChangedMeanwhile).to_owned(),
            e => i18n.t(e.message()).to_owned(),
        })
    });

    let my_id = StoredValue::new(me.user.id.clone());
    let owner = me.user.org_role == OrgRole::Owner;
    let row = move |member: Member| {
        // Project admins do not demote or remove themselves here: they would lose the page
        // they are on. Owners keep every power regardless of membership.
        let controls = owner || my_id.with_value(|id| *id != member.user_id);
        let name = member.username.clone();
        let role_cell = if controls {
            let changed = member.clone();
            let options = ProjectRole::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <option value=r.code() selected=r == member.role>
                            {move || i18n.t(labels::project_role(r))}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    class="bc-select bc-select--compact"
                    data-testid=format!("member-role-{name}")
                    aria-label=move || format!("{} {}", i18n.t(Msg::ProjectRole), changed.username)
                    disabled=move || put.pending().get()
                    on:change=move |ev| {
                        if let Ok(role) = event_target_value(&ev).parse::<ProjectRole>() {
                            let request = PutMemberRequest {
                                user_id: changed.user_id.clone(),
                                role,
                            };
                            put.dispatch_local((
                                selected.get_untracked(),
                                request,
                                Some(changed.version),
                            ));
                        }
                    }
                >
                    {options}
                </select>
            }
            .into_any()
        } else {
            let role = member.role;
            view! { <span>{move || i18n.t(labels::project_role(role))}</span> }.into_any()
        };
        let gone = member.clone();
        view! {
            <tr data-testid=format!("member-row-{name}")>
                <th scope="row">{member.username.clone()}</th>
                <td>{role_cell}</td>
                <td>
                    {controls
                        .then(|| {
                            view! {
                                <button
                                    class="bc-button bc-button--small bc-button--danger-outline"
                                    type="button"
                                    data-testid=format!("member-remove-{name}")
                                    on:click=move |_| {
                                        remove.clear();
                                        removing.set(Some(gone.clone()));
                                    }
                                >
                                    {move || i18n.t(Msg::Remove)}
                                </button>
                            }
                        })}
                </td>
            </tr>
        }
    };

    let current = Memo::new(move |_| members.get().and_then(Result::ok).unwrap_or_default());
    let table = move || {
        members.get().map(|result| match result {
            Ok(list) if list.is_empty() => {
                view! { <p class="bc-hint">{move || i18n.t(Msg::NoMembers)}</p> }.into_any()
            }
            Ok(list) => view! {
                <ScrollRegion label=Msg::MembersHeading>
                    <table class="bc-table" data-testid="members-table">
                        <caption class="bc-visually-hidden">
                            {move || i18n.t(Msg::MembersHeading)}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t(Msg::Username)}</th>
                                <th scope="col">{move || i18n.t(Msg::ProjectRole)}</th>
                                <th scope="col">
                                    <span class="bc-visually-hidden">
                                        {move || i18n.t(Msg::Actions)}
                                    </span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </ScrollRegion>
            }
            .into_any(),
            Err(error) => {
                view! { <ApiErrorView error=error on_retry=move |()| members.refetch() /> }
                    .into_any()
            }
        })
    };

    let project_options = projects
        .iter()
        .map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> })
        .collect_view();

    view! {
        <section class="bc-card" aria-labelledby="members-heading">
            <h2 class="bc-card__title" id="members-heading">
                {move || i18n.t(Msg::MembersHeading)}
            </h2>
            <div class="bc-field bc-field--inline">
                <label class="bc-field__label" for="members-project">
                    {move || i18n.t(Msg::Project)}
                </label>
                <select
                    class="bc-select"
                    id="members-project"
                    data-testid="members-project"
                    on:change=move |ev| {
                        status.set(None);
                        selected.set(event_target_value(&ev));
                    }
                >
                    {project_options}
                </select>
            </div>
            <p
                class="bc-inline-status"
                role="status"
                aria-live="polite"
                data-testid="members-status"
            >
                {move || status.get()}
            </p>
            <Transition fallback=move || {
                view! {
                    <p class="bc-loading" role="status">
                        {i18n.t(Msg::Loading)}
                    </p>
                }
            }>{table}</Transition>
            <h3 class="bc-card__subtitle">{move || i18n.t(Msg::AddMember)}</h3>
            <AddMemberForm
                users=users
                members=current
                pending=put.pending()
                on_add=move |(request, version): (PutMemberRequest, Option<i64>)| {
                    put.dispatch_local((selected.get_untracked(), request, version));
                }
            />
        </section>
        <ConfirmDialog
            id="remove-member"
            subject=Signal::derive(move || removing.get().map(|m| m.username))
            title=Signal::derive(move || i18n.t(Msg::RemoveMember).to_owned())
            body=Signal::derive(move || {
                let name = removing
                    .with(|m| m.as_ref().map(|m| m.username.clone()).unwrap_or_default());
                fill(i18n.t(Msg::RemoveMemberBody), &[("name", &name)])
            })
            confirm_label=Msg::RemoveMember
            pending=remove.pending()
            error=remove_error
            on_confirm=move |()| {
                if let Some(member) = removing.get_untracked() {
                    remove.dispatch_local((selected.get_untracked(), member));
                }
            }
            on_cancel=move |()| removing.set(None)
        />
    }
}
