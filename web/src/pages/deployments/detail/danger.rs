//! The danger zone: the lifecycle actions the deployment's state allows (`allowed_actions`,
//! decided by `core`), each sent with the version shown. Stopping, deleting and cancelling ask
//! for the deployment's name first.

use byoc_core::api::ProblemCode;
use byoc_core::api::{Deployment, DeploymentChange};
use byoc_core::lifecycle::deployment::Action as Lifecycle;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::i18n::{errors, fill, labels, use_i18n, Msg};

/// Asks for a lifecycle action on a deployment at a version.
pub type ActAction = Action<(String, Lifecycle, i64), Result<DeploymentChange, ApiError>>;

/// Whether the action needs the name typed first: it takes the broker away from its clients.
fn asks_for_name(action: Lifecycle) -> bool {
    matches!(
        action,
        Lifecycle::Stop | Lifecycle::Delete | Lifecycle::Cancel
    )
}

/// The sentence for a refused action.
pub fn action_error(error: &ApiError, lang: byoc_core::lang::Lang) -> String {
    errors::refusal(
        error,
        lang,
        Msg::ActionChangedMeanwhile,
        &[],
        &[
            (ProblemCode::ActionNotAllowed, Msg::ActionNotAllowed),
            (ProblemCode::LicenceCapacity, Msg::LicenceRefusedCapacity),
            (ProblemCode::LicenceExpired, Msg::LicenceRefusedExpired),
            (
                ProblemCode::LicenceNotYetValid,
                Msg::LicenceRefusedNotYetValid,
            ),
        ],
    )
}

#[component]
pub fn DangerZone(
    #[prop(into)] deployment: Signal<Deployment>,
    act: ActAction,
    /// Told when the server says the deployment changed since it was shown (412).
    #[prop(into)]
    on_stale: Callback<()>,
    /// Set to what the last accepted action means for the user (the page says it near the
    /// top, since the actions may be gone once the state moved on).
    done: RwSignal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(None::<Lifecycle>);
    let allowed = Memo::new(move |_| deployment.with(|d| d.allowed_actions.clone()));
    let name = move || deployment.with(|d| d.name.clone());

    let dispatch = move |action: Lifecycle| {
        let (id, version) = deployment.with_untracked(|d| (d.id.clone(), d.version));
        act.dispatch_local((id, action, version));
    };
    Effect::new(move |_| match act.value().get() {
        Some(Ok(change)) => {
            confirming.set(None);
            done.set(Some(if change.bootstrap.is_some() {
                Msg::ActionRequested
            } else {
                Msg::DeploymentCancelled
            }));
        }
        Some(Err(ApiError::PreconditionFailed { .. })) => on_stale.run(()),
        _ => {}
    });
    let error = Signal::derive(move || {
        act.value()
            .get()
            .and_then(Result::err)
            .map(|e| action_error(&e, i18n.lang.get()))
    });

    let buttons = move || {
        allowed
            .get()
            .into_iter()
            .map(|action| {
                let class = if asks_for_name(action) {
                    "bc-button bc-button--danger-outline"
                } else {
                    "bc-button"
                };
                view! {
                    <button
                        class=class
                        type="button"
                        data-testid=format!("action-{}", action.code())
                        disabled=move || act.pending().get()
                        on:click=move |_| {
                            act.clear();
                            done.set(None);
                            if asks_for_name(action) {
                                confirming.set(Some(action));
                            } else {
                                dispatch(action);
                            }
                        }
                    >
                        {move || i18n.t(labels::deployment_action(action))}
                    </button>
                }
            })
            .collect_view()
    };

    let dialog = move |action: Lifecycle, title: Msg, body: Msg| {
        view! {
            <ConfirmDialog
                id=match action {
                    Lifecycle::Stop => "confirm-stop",
                    Lifecycle::Delete => "confirm-delete",
                    _ => "confirm-cancel",
                }
                subject=Signal::derive(move || (confirming.get() == Some(action)).then(name))
                title=Signal::derive(move || fill(i18n.t(title), &[("name", &name())]))
                body=Signal::derive(move || i18n.t(body).to_owned())
                confirm_label=labels::deployment_action(action)
                type_to_confirm=true
                pending=act.pending()
                error=error
                on_confirm=move |()| dispatch(action)
                on_cancel=move |()| confirming.set(None)
                input_testid="confirm-name"
                confirm_testid="confirm-action"
            />
        }
    };

    // The card only while the state allows something; the dialogs stay, closed.
    let any = Memo::new(move |_| allowed.with(|a| !a.is_empty()));
    view! {
        <Show when=move || any.get()>
            <section
                class="bc-card bc-danger-zone"
                aria-labelledby="danger-heading"
                data-testid="danger-zone"
            >
                <h2 class="bc-card__title" id="danger-heading">
                    {move || i18n.t(Msg::DangerZone)}
                </h2>
                <p class="bc-hint">{move || i18n.t(Msg::DangerIntro)}</p>
                <div class="bc-toolbar" data-testid="deployment-actions">
                    {buttons}
                </div>
                {move || {
                    confirming
                        .with(Option::is_none)
                        .then(|| error.get())
                        .flatten()
                        .map(|e| {
                            view! {
                                <p
                                    class="bc-alert bc-alert--error"
                                    role="alert"
                                    data-testid="action-error"
                                >
                                    {e}
                                </p>
                            }
                        })
                }}
            </section>
        </Show>
        {dialog(Lifecycle::Stop, Msg::StopTitle, Msg::StopBody)}
        {dialog(Lifecycle::Delete, Msg::DeleteTitle, Msg::DeleteBody)}
        {dialog(Lifecycle::Cancel, Msg::CancelTitle, Msg::CancelBody)}
    }
}
