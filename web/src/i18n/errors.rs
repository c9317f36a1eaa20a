//! Rule errors in the user's language. The sentences come from `core` (which names them in both
//! languages), so the console, the API and the toolkit word a broken rule the same way.

use byoc_core::domain::DomainError;
use byoc_core::lang::Lang;

use super::Msg;
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
