//! The string catalog is complete in both languages.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use byoc_core::lang::Lang;
use byoc_web::i18n::Msg;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_message_has_text_in_both_languages() {
    for msg in Msg::ALL {
        for lang in Lang::ALL {
            assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
        }
    }
}

#[wasm_bindgen_test]
fn chinese_texts_are_translated_not_copied() {
    let same: HashSet<_> = Msg::ALL
        .iter()
        .filter(|m| m.text(Lang::En) == m.text(Lang::ZhCn))
        .collect();
    assert!(same.is_empty(), "untranslated: {same:?}");
}
