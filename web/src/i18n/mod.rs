//! The console's string catalog: every user-facing text in English and 简体中文, plus the current
//! language as a context signal that persists in `localStorage`.
//!
//! Messages are an enum, so a missing translation is a compile error rather than a blank label.

pub mod errors;
pub mod labels;
mod messages;

use byoc_core::lang::Lang;
use leptos::prelude::*;

pub use messages::Msg;

const STORAGE_KEY: &str = "byoc.lang";

/// The language in force, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Reads the saved choice, else the browser's language.
    pub fn from_browser() -> Self {
        let saved = crate::browser::storage_get(STORAGE_KEY);
        let lang = match saved {
            Some(tag) => Lang::from_tag(&tag),
            None => crate::browser::navigator_language()
                .map(|t| Lang::from_tag(&t))
                .unwrap_or_default(),
        };
        Self::with(lang)
    }

    pub fn with(lang: Lang) -> Self {
        crate::api::set_lang(lang);
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// Switches language, remembers it and updates `<html lang>` for screen readers.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        crate::api::set_lang(lang);
        crate::browser::storage_set(STORAGE_KEY, lang.tag());
        crate::browser::set_document_lang(lang.tag());
    }

    /// A message in the current language (reactive when called inside a view or closure).
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }
}

/// The `I18n` provided by the app shell. Components rendered without it (in isolation) fall back to
/// English rather than panicking.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| {
        let i18n = I18n::with(Lang::En);
        provide_context(i18n);
        i18n
    })
}

/// Fills `{name}` placeholders in a catalog text, so word order stays the translator's choice.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}
