//! Rule errors in the user's language. The sentences come from `core` (which names them in both
//! languages), so the console, the API and the toolkit word a broken rule the same way.

use byoc_core::api::ProblemCode;
use byoc_core::domain::DomainError;
use byoc_core::lang::Lang;

use super::Msg;
use crate::api::ApiError;
use crate::components::sizing_form::SizingProblem;

pub fn sizing_problem(problem: &SizingProblem, lang: Lang) -> String {
    match problem {
        SizingProblem::NotANumber { .. } => Msg::ErrNotANumber.text(lang).to_owned(),
        SizingProblem::Rule(e) => e.message(lang),
    }
}

pub fn domain_error(error: &DomainError, lang: Lang) -> String {
    error.message(lang)
}

/// The sentence for a refused change. A stale version (412) says `stale`; a problem code with
/// words of its own in `complete` says only those; one in `heads` leads the server's detail
/// (which names the state and what is allowed, in the user's language: the client sends it as
/// `Accept-Language`); anything else is the error's catalog sentence and the detail.
pub fn refusal(
    error: &ApiError,
    lang: Lang,
    stale: Msg,
    complete: &[(ProblemCode, Msg)],
    heads: &[(ProblemCode, Msg)],
) -> String {
    if matches!(error, ApiError::PreconditionFailed { .. }) {
        return stale.text(lang).to_owned();
    }
    let code = error.code();
    let find = |table: &[(ProblemCode, Msg)]| {
        table
            .iter()
            .find(|(c, _)| Some(*c) == code)
            .map(|(_, m)| *m)
    };
    if let Some(m) = find(complete) {
        return m.text(lang).to_owned();
    }
    let head = find(heads).unwrap_or_else(|| error.message());
    match error.problem().and_then(|p| p.detail.clone()) {
        Some(d) => format!("{} {d}", head.text(lang)),
        None => head.text(lang).to_owned(),
    }
}
