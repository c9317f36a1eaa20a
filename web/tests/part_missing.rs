//! Component tests in headless Chromium: what a visit shows when its part of the wasm cannot be
//! fetched (web/src/app/parts.rs) — an alert that says why it may have happened and what to do,
//! in the reader's language, and a reload button. (The end-to-end tier removes a part from a
//! built console and checks that the rest of the console keeps working.)
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::lang::Lang;
use byoc_web::app::parts::PartMissingView;
use byoc_web::i18n::{I18n, Msg};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{container, find, text_of};

#[wasm_bindgen_test]
fn a_missing_part_says_what_happened_and_offers_a_reload_in_either_language() {
    for lang in [Lang::En, Lang::ZhCn] {
        let root = container();
        let handle = leptos::mount::mount_to(root.clone(), move || {
            provide_context(I18n::with(lang));
            view! { <PartMissingView /> }.into_any()
        });
        assert_eq!(
            text_of(&root, "[role=alert] .bc-alert__title").as_deref(),
            Some(Msg::PartMissing.text(lang))
        );
        let reload = find(&root, "[data-testid=part-reload]").expect("a reload button");
        assert_eq!(
            reload.text_content().as_deref(),
            Some(Msg::Reload.text(lang))
        );
        assert_eq!(reload.get_attribute("type").as_deref(), Some("button"));
        drop(handle);
    }
}
