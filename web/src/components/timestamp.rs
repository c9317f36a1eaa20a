//! An RFC 3339 time from the API, shown in the user's locale and time zone.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// `at` as the browser formats it for the current language; the raw value stays in `datetime`
/// (and is shown as is if the browser cannot read it).
#[component]
pub fn Timestamp(#[prop(into)] at: String) -> impl IntoView {
    let i18n = use_i18n();
    let raw = at.clone();
    let text = move || {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&raw));
        if date.get_time().is_nan() {
            raw.clone()
        } else {
            String::from(
                date.to_locale_string(i18n.lang.get().tag(), &wasm_bindgen::JsValue::UNDEFINED),
            )
        }
    };
    view! { <time datetime=at>{text}</time> }
}
