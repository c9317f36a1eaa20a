//! What the peering form and the PrivateLink wizard share: a create sent once the rules `core`
//! checks hold, the errors beside each field (core's first, else the server's), and a refusal
//! about no one field said above the buttons. The action outlives the form (its section keeps
//! it), so only answers to this form's own submissions count, and the server's errors only while
//! the request is still the one it judged.

use byoc_core::api::FormField;
use byoc_core::network::NetworkError;
use leptos::prelude::*;

use super::change_error;
use crate::api::ApiError;
use crate::i18n::use_i18n;

pub struct Submission<R: Send + Sync + 'static, T: Send + Sync + 'static> {
    action: Action<R, Result<T, ApiError>>,
    /// The request as the form holds it now.
    request: Signal<R>,
    /// The last request this form sent, until the server created it.
    sent: StoredValue<Option<R>>,
    /// Whether a submit was tried: from then on empty fields show their errors too.
    pub tried: RwSignal<bool>,
    /// Every broken rule of the request as it stands, from `core`.
    problems: Memo<Vec<NetworkError>>,
}

impl<R: Send + Sync + 'static, T: Send + Sync + 'static> Clone for Submission<R, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static, T: Send + Sync + 'static> Copy for Submission<R, T> {}

impl<R, T> Submission<R, T>
where
    R: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    pub fn new(
        action: Action<R, Result<T, ApiError>>,
        problems: Memo<Vec<NetworkError>>,
        request: impl Fn() -> R + Send + Sync + 'static,
    ) -> Self {
        Submission {
            action,
            request: Signal::derive(request),
            sent: StoredValue::new(None),
            tried: RwSignal::new(false),
            problems,
        }
    }

    /// Runs `then` with what the server created, once per submission of this form.
    pub fn on_created(self, then: impl Fn(T) + 'static) {
        Effect::new(move |_| {
            if let Some(Ok(created)) = self.action.value().get() {
                if self.sent.with_value(Option::is_some) {
                    self.sent.set_value(None);
                    self.tried.set(false);
                    then(created);
                }
            }
        });
    }

    /// Sends the request if `core` finds nothing wrong with it (and `also_ok`); marks every
    /// field either way.
    pub fn submit(self, also_ok: bool) {
        self.tried.set(true);
        let ok = also_ok && self.problems.with(Vec::is_empty);
        if ok && !self.action.pending().get_untracked() {
            let request = self.request.get_untracked();
            self.sent.set_value(Some(request.clone()));
            self.action.dispatch_local(request);
        }
    }

    pub fn pending(self) -> Signal<bool> {
        self.action.pending().into()
    }

    fn server_error(self) -> Option<ApiError> {
        self.action.value().get().and_then(Result::err).filter(|_| {
            let now = self.request.get();
            self.sent.with_value(|sent| sent.as_ref() == Some(&now))
        })
    }

    /// The error beside `field` (whose input is `value`): once it holds something or a submit
    /// was tried, every rule `core` finds broken for it, else `extra` (a rule of the form, such as
    /// one link per service), else what the server said of it.
    pub fn field_error(
        self,
        field: impl FormField + Send + Sync + 'static,
        value: RwSignal<String>,
        extra: impl Fn() -> Option<String> + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            if !self.tried.get() && value.with(|v| v.trim().is_empty()) {
                return None;
            }
            let lang = i18n.lang.get();
            let ours: Vec<String> = self.problems.with(|p| {
                p.iter()
                    .filter(|e| e.field() == field.name())
                    .map(|e| e.message(lang))
                    .collect()
            });
            if !ours.is_empty() {
                return Some(ours.join(" "));
            }
            extra().or_else(|| {
                self.server_error()
                    .and_then(|e| e.field_error(field).map(|f| f.message.clone()))
            })
        })
    }

    /// A refusal about no one field (the deployment stopped, a duplicate, the network).
    pub fn general_error(self) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        let i18n = use_i18n();
        move || {
            let e = self.server_error()?;
            if e.problem().is_some_and(|p| !p.errors.is_empty()) {
                return None;
            }
            Some(change_error(&e, i18n.lang.get()))
        }
    }
}
