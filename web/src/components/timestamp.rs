//! A time from the API, shown in the user's locale and time zone.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// `at` as the browser formats it for the current language; the exact time stays in
/// `datetime`. The API's times are typed, so there is no unreadable text to fall back on.
#[component]
pub fn Timestamp(at: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    // Milliseconds are what a JS Date holds; the `datetime` attribute keeps the microseconds.
    let millis = at.timestamp_millis() as f64;
    let text = move || {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
        String::from(
            date.to_locale_string(i18n.lang.get().tag(), &wasm_bindgen::JsValue::UNDEFINED),
        )
    };
    view! { <time datetime=byoc_core::api::time::text(at)>{text}</time> }
}
