//! What is wrong with the draft, and where to say it: `core`'s verdict on the whole request
//! (`lifecycle::spec::validate`, the rule the server applies again), and the server's own answer
//! to the last submission, both by field.

use byoc_core::api::DeploymentField;
use byoc_core::api::{CreateDeploymentRequest, DeploymentChange};
use byoc_core::lifecycle::spec::{DeploymentSpec, SpecError};
use byoc_core::sizing::Sizing;
use leptos::prelude::*;

use super::draft::{Draft, Step};
use crate::api::ApiError;
use crate::components::sizing_form::SizingProblem;
use crate::i18n::I18n;

/// Creates a deployment from a request and its `Idempotency-Key`.
pub type CreateAction =
    Action<(CreateDeploymentRequest, String), Result<DeploymentChange, ApiError>>;

#[derive(Clone, Copy)]
pub struct Checks {
    pub i18n: I18n,
    pub draft: Draft,
    pub request: Memo<CreateDeploymentRequest>,
    pub verdict: Memo<Result<DeploymentSpec, Vec<SpecError>>>,
    pub sizing: Memo<Result<Sizing, SizingProblem>>,
    /// Steps whose Next (or Create) was pressed: their untouched fields show errors too.
    pub attempted: RwSignal<Vec<Step>>,
    /// The request last sent, so the server's field errors show only while it is unchanged.
    pub submitted: RwSignal<Option<CreateDeploymentRequest>>,
    pub action: CreateAction,
}

impl Checks {
    pub fn attempted(&self, step: Step) -> bool {
        self.attempted.with(|a| a.contains(&step))
    }

    pub fn attempt(&self, step: Step) {
        if !self.attempted(step) {
            self.attempted.update(|a| a.push(step));
        }
    }

    /// The server's complaint about `field` in the answer to the request still entered.
    pub fn server_error(&self, field: DeploymentField) -> Option<String> {
        let current = self
            .submitted
            .with(|s| s.as_ref() == Some(&self.request.get()));
        if !current {
            return None;
        }
        let lang = self.i18n.lang.get();
        self.action.value().with(|v| match v {
            Some(Err(e)) => e.field_error(field).map(|f| {
                let taken = SpecError::NameTaken(self.request.with(|r| r.name.clone()));
                if f.code == taken.code() {
                    // The one the browser cannot know beforehand (a race): in core's words.
                    taken.message(lang)
                } else {
                    f.message.clone()
                }
            }),
            _ => None,
        })
    }

    /// The error to show beside `field`: `core`'s, once the field was filled in (`filled`) or
    /// its step attempted; else the server's.
    pub fn error(
        &self,
        field: DeploymentField,
        filled: impl Fn() -> bool + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        let checks = *self;
        Signal::derive(move || {
            let lang = checks.i18n.lang.get();
            let shown = filled() || checks.attempted(Step::of_field(field));
            let local = shown
                .then(|| {
                    checks.verdict.with(|v| match v {
                        Err(errors) => errors
                            .iter()
                            .find(|e| e.field() == field)
                            .map(|e| e.message(lang)),
                        Ok(_) => None,
                    })
                })
                .flatten();
            local.or_else(|| checks.server_error(field))
        })
    }

    /// Whether `step` has anything to fix before moving on.
    pub fn blocked(&self, step: Step) -> bool {
        let rule = self.verdict.with(|v| match v {
            Err(errors) => errors.iter().any(|e| step.fields().contains(&e.field())),
            Ok(_) => false,
        });
        let extra = match step {
            Step::Spec => self.sizing.with(Result::is_err),
            Step::Domain => self.draft.certificate.with(|c| c.provided && !c.passed),
            _ => false,
        };
        rule || extra
    }

    /// The first step with something to fix, if any.
    pub fn first_blocked(&self) -> Option<Step> {
        Step::ALL.into_iter().find(|s| self.blocked(*s))
    }
}
