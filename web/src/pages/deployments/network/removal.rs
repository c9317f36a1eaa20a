//! What the peering and PrivateLink lists share: deleting (after a confirmation in the kind's
//! words) or dismissing one resource at the version shown, the outcome and refusal lines, and the
//! table. A stale version reloads the tab.

use leptos::prelude::*;

use super::change_error;
use crate::api::network::Change;
use crate::api::ApiError;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{fill, use_i18n, Msg};

/// A deletion waiting for its confirmation: which resource, at which version, named how.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    id: String,
    version: i64,
    name: String,
}

/// Delete and dismiss for one list; `T` is the resource the server answers with.
pub struct Removal<T: Send + Sync + 'static> {
    change: Action<(String, Change, i64), Result<T, ApiError>>,
    confirming: RwSignal<Option<Pending>>,
    /// What the section last did, said near its top.
    pub done: RwSignal<Option<Msg>>,
    error: Signal<Option<String>>,
}

impl<T: Send + Sync + 'static> Clone for Removal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Removal<T> {}

impl<T: Clone + Send + Sync + 'static> Removal<T> {
    pub fn new(
        change: Action<(String, Change, i64), Result<T, ApiError>>,
        on_stale: Callback<()>,
    ) -> Self {
        let i18n = use_i18n();
        let confirming = RwSignal::new(None::<Pending>);
        let done = RwSignal::new(None::<Msg>);
        Effect::new(move |_| match change.value().get() {
            Some(Ok(_)) => {
                // A confirmed deletion is requested, not done: the toolkit removes it.
                if confirming.get_untracked().is_some() {
                    done.set(Some(Msg::NetworkChangeRequested));
                }
                confirming.set(None);
            }
            Some(Err(ApiError::PreconditionFailed { .. })) => {
                // The dialog holds the old version: asking again must start from the row,
                // which the reload refreshes.
                confirming.set(None);
                on_stale.run(());
            }
            _ => {}
        });
        let error = Signal::derive(move || {
            change
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| change_error(&e, i18n.lang.get()))
        });
        Removal {
            change,
            confirming,
            done,
            error,
        }
    }

    /// The button for `what` on one resource: Delete asks first, Dismiss goes at once.
    pub fn button(
        self,
        what: Change,
        testid: &'static str,
        id: String,
        version: i64,
        name: String,
    ) -> impl IntoView {
        let i18n = use_i18n();
        let (label, class) = match what {
            Change::Delete => (
                Msg::Delete,
                "bc-button bc-button--small bc-button--danger-outline",
            ),
            Change::Dismiss => (Msg::DismissFailed, "bc-button bc-button--small"),
        };
        view! {
            <button
                type="button"
                data-testid=testid
                class=class
                disabled=move || self.change.pending().get()
                on:click=move |_| {
                    self.change.clear();
                    self.done.set(None);
                    match what {
                        Change::Delete => {
                            self.confirming
                                .set(
                                    Some(Pending {
                                        id: id.clone(),
                                        version,
                                        name: name.clone(),
                                    }),
                                )
                        }
                        Change::Dismiss => {
                            self.change.dispatch_local((id.clone(), Change::Dismiss, version));
                        }
                    }
                }
            >
                {move || i18n.t(label)}
            </button>
        }
    }

    /// The outcome line (`{prefix}-done`) and, outside the dialog, the last refusal
    /// (`{prefix}-action-error`).
    pub fn outcome(self, prefix: &'static str) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <p
                class="bc-inline-status"
                role="status"
                aria-live="polite"
                data-testid=format!("{prefix}-done")
            >
                {move || self.done.get().map(|m| i18n.t(m))}
            </p>
            {move || {
                self.confirming
                    .with(Option::is_none)
                    .then(|| self.error.get())
                    .flatten()
                    .map(|e| {
                        view! {
                            <p
                                class="bc-alert bc-alert--error"
                                role="alert"
                                data-testid=format!("{prefix}-action-error")
                            >
                                {e}
                            </p>
                        }
                    })
            }}
        }
    }

    /// The confirmation of a deletion: `title` names the resource (`{name}`), `body` warns.
    pub fn dialog(self, id: &'static str, title: Msg, body: Signal<String>) -> impl IntoView {
        let i18n = use_i18n();
        let confirming = self.confirming;
        view! {
            <ConfirmDialog
                id=id
                subject=Signal::derive(move || confirming.get().map(|p| p.name))
                title=Signal::derive(move || {
                    let name = confirming.get().map(|p| p.name).unwrap_or_default();
                    fill(i18n.t(title), &[("name", &name)])
                })
                body=body
                confirm_label=Msg::Delete
                pending=self.change.pending()
                error=self.error
                on_confirm=move |()| {
                    if let Some(p) = confirming.get_untracked() {
                        self.change.dispatch_local((p.id, Change::Delete, p.version));
                    }
                }
                on_cancel=move |()| confirming.set(None)
            />
        }
    }
}

/// A list's table with its headers, or its empty line when there are no rows.
pub fn list_or_empty(
    testid: &'static str,
    caption: Msg,
    headers: &'static [Msg],
    empty: (&'static str, Msg),
    is_empty: Signal<bool>,
    rows: impl Fn() -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        if is_empty.get() {
            return view! {
                <p class="bc-empty" data-testid=empty.0>
                    {i18n.t(empty.1)}
                </p>
            }
            .into_any();
        }
        let head = headers
            .iter()
            .map(|h| view! { <th scope="col">{i18n.t(*h)}</th> })
            .collect_view();
        let rows = rows.clone();
        view! {
            <ScrollRegion label=caption>
                <table class="bc-table" data-testid=testid>
                    <caption class="bc-visually-hidden">{i18n.t(caption)}</caption>
                    <thead>
                        <tr>{head}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    }
}
