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
use dom::{appears, choose, container, find, stays, text_of, type_into, until};

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
        view! { <SizingForm cloud=cloud input=input sizing=sizing /> }.into_any()
    });
    Mounted {
        root,
        i18n,
        cloud,
        _handle: handle,
    }
}

/// Whether the recommendation shown differs from `before`.
fn result_changed(m: &Mounted, before: &str) -> bool {
    text_of(&m.root, "[data-testid=sizing-result]").is_some_and(|r| r != before)
}

/// The node counts the select offers.
fn node_choices(root: &web_sys::HtmlElement) -> Vec<String> {
    let select: web_sys::HtmlSelectElement = find(root, "[data-testid=sizing-nodes]")
        .unwrap()
        .unchecked_into();
    (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| o.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn recommends_the_tier_and_follows_the_larger_need() {
    let m = mount(Cloud::Aws);
    appears(&m.root, "[data-testid=sizing-result]").await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("c6i.xlarge"), "{result}");

    // TPS beyond tier 2 moves the recommendation to tier 3 although sessions fit tier 2.
    type_into(&m.root, "[data-testid=sizing-tps]", "25000");
    until("the recommendation to move on", || {
        result_changed(&m, &result)
    })
    .await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("c6i.2xlarge"), "{result}");
    assert!(result.contains("3 + 1"), "{result}");

    // Switching cloud renames the type from that cloud's catalogue.
    m.cloud.set(Cloud::Gcp);
    until("the recommendation in Google Cloud's types", || {
        result_changed(&m, &result)
    })
    .await;
    let result = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    assert!(result.contains("n2-standard-8"), "{result}");
}

#[wasm_bindgen_test]
async fn shows_rule_errors_inline_and_keeps_what_was_typed() {
    let m = mount(Cloud::Aliyun);
    appears(&m.root, "[data-testid=sizing-sessions]").await;
    type_into(&m.root, "[data-testid=sizing-sessions]", "2000000");
    appears(&m.root, "#sessions-error").await;
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
    until("another error under sessions", || {
        text_of(&m.root, "#sessions-error").is_some_and(|e| e != error)
    })
    .await;
    let whole_number = text_of(&m.root, "#sessions-error").unwrap();
    assert!(whole_number.contains("whole number"));

    m.i18n.lang.set(Lang::ZhCn);
    type_into(&m.root, "[data-testid=sizing-sessions]", "2000000");
    until("the first error again, in another language", || {
        text_of(&m.root, "#sessions-error").is_some_and(|e| e != error && e != whole_number)
    })
    .await;
    let error = text_of(&m.root, "#sessions-error").unwrap();
    assert!(!error.is_ascii(), "the error is in Chinese: {error}");
}

#[wasm_bindgen_test]
async fn node_choices_never_go_below_the_tier() {
    let m = mount(Cloud::Aws);
    let tier_2 = appears(&m.root, "[data-testid=sizing-result]")
        .await
        .text_content()
        .unwrap_or_default();
    type_into(&m.root, "[data-testid=sizing-sessions]", "200000");
    until("the recommendation for the larger need", || {
        result_changed(&m, &tier_2)
    })
    .await;
    // Tier 4 needs 3 nodes: the select offers 3 to 5 only.
    assert_eq!(node_choices(&m.root), ["3", "4", "5"]);
    choose(&m.root, "[data-testid=sizing-nodes]", "5");
    until("the five nodes chosen", || {
        text_of(&m.root, "[data-testid=sizing-result]").is_some_and(|r| r.contains("5 + 1"))
    })
    .await;
    assert!(text_of(&m.root, "[data-testid=sizing-result]")
        .unwrap()
        .contains("5 + 1"));

    // Lowering the need keeps the user's 5 nodes (allowed at any tier).
    let tier_4 = text_of(&m.root, "[data-testid=sizing-result]").unwrap();
    type_into(&m.root, "[data-testid=sizing-sessions]", "100");
    type_into(&m.root, "[data-testid=sizing-tps]", "100");
    until("the recommendation for the lower need", || {
        text_of(&m.root, "[data-testid=sizing-result]").is_some_and(|r| r != tier_4)
    })
    .await;
    stays("the user's 5 nodes", || {
        text_of(&m.root, "[data-testid=sizing-result]").is_some_and(|r| r.contains("5 + 1"))
    })
    .await;
}
