//! Component tests in headless Chromium: the sizing form follows core's rules as the user types.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::catalog::Cloud;
use byoc_core::lang::Lang;
use byoc_web::components::sizing_form::{SizingForm, SizingInput};
use byoc_web::i18n::I18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{choose, container, settle, text_of, type_into};

struct Mounted {
    root: web_sys::HtmlElement,
    i18n: I18n,
    cloud: RwSignal<Cloud>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn mount(cloud: Cloud) -> Mounted {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let cloud = RwSignal::new(cloud);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        let input = SizingInput::new(10_000, 5_000);
        let sizing = Memo::new(move |_| input.sizing(cloud.get()));
        view! { <SizingForm cloud=cloud input=input sizing=sizing/> }.into_any()
    });
    Mounted {
        root,
        i18n,
        cloud,
        _handle: handle,
    }
}

#[wasm_bindgen_test]
async fn recommends_the_tier_and_follows_the_larger_need() {
    let m = mount(Cloud::Aws);
    settle().await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("c6i.xlarge"), "{result}");

    // TPS beyond tier 2 moves the recommendation to tier 3 although sessions fit tier 2.
    type_into(&m.root, "[data-testid=sizing-tps]", "25000");
    settle().await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("c6i.2xlarge"), "{result}");
    assert!(result.contains("3 + 1"), "{result}");

    // Switching cloud renames the type from that cloud's catalogue.
    m.cloud.set(Cloud::Gcp);
    settle().await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("n2-standard-8"), "{result}");
}

#[wasm_bindgen_test]
async fn shows_rule_errors_inline_and_keeps_what_was_typed() {
    let m = mount(Cloud::Aliyun);
    settle().await;
    type_into(&m.root, "[data-testid=sizing-sessions]", "2000000");
    settle().await;
    let error = text_of(&m.root, "#sessions-error").expect("an inline error under sessions");
    assert!(error.contains("contact sales"), "{error}");
    assert!(text_of(&m.root, "[data-testid=sizing-result]").is_none());
    let input: web_sys::HtmlInputElement = m
        .root
        .query_selector("[data-testid=sizing-sessions]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), "2000000");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));

    type_into(&m.root, "[data-testid=sizing-sessions]", "12x");
    settle().await;
    assert!(text_of(&m.root, "#sessions-error")
        .unwrap()
        .contains("whole number"));

    m.i18n.lang.set(Lang::ZhCn);
    type_into(&m.root, "[data-testid=sizing-sessions]", "2000000");
    settle().await;
    let error = text_of(&m.root, "#sessions-error").unwrap();
    assert!(!error.is_ascii(), "the error is in Chinese: {error}");
}

#[wasm_bindgen_test]
async fn node_choices_never_go_below_the_tier() {
    let m = mount(Cloud::Aws);
    type_into(&m.root, "[data-testid=sizing-sessions]", "200000");
    settle().await;
    // Tier 4 needs 3 nodes: the select offers 3 to 5 only.
    let select: web_sys::HtmlSelectElement = m
        .root
        .query_selector("[data-testid=sizing-nodes]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let options: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(options, ["3", "4", "5"]);
    choose(&m.root, "[data-testid=sizing-nodes]", "5");
    settle().await;
    assert!(text_of(&m.root, "[data-testid=sizing-result]")
        .unwrap()
        .contains("5 + 1"));

    // Lowering the need keeps the user's 5 nodes (allowed at any tier).
    type_into(&m.root, "[data-testid=sizing-sessions]", "100");
    type_into(&m.root, "[data-testid=sizing-tps]", "100");
    settle().await;
    assert!(text_of(&m.root, "[data-testid=sizing-result]")
        .unwrap()
        .contains("5 + 1"));
}
