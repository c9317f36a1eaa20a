//! Component tests in headless Chromium: the region picker and the language switch.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::catalog::Cloud;
use byoc_core::lang::Lang;
use byoc_web::components::region_picker::RegionPicker;
use byoc_web::i18n::I18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, click, container, text_of, until};

fn region_table(root: &web_sys::HtmlElement) -> String {
    root.query_selector("[data-testid=region-table]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn shows_the_regions_of_the_chosen_cloud_in_the_current_language() {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let selected = RwSignal::new(Cloud::Aliyun);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        view! { <RegionPicker catalog=byoc_core::catalog::catalog() selected=selected /> }
    });
    appears(&root, "[data-testid=region-table]").await;

    let table = region_table(&root);
    assert!(table.contains("China (Hangzhou)"), "{table}");
    assert!(table.contains("6 regions"), "{table}");

    // Picking a cloud by clicking its card updates the shared selection and the table.
    click(&root, "#cloud-gcp");
    until("the table of Google Cloud's regions", || {
        region_table(&root).contains("(us-west1)")
    })
    .await;
    assert_eq!(selected.get_untracked(), Cloud::Gcp);
    let table = region_table(&root);
    assert!(table.contains("Oregon (us-west1)"), "{table}");
    assert!(!table.contains("cn-hangzhou"), "{table}");

    // Switching the language renames everything in place, keeping the choice.
    i18n.lang.set(Lang::ZhCn);
    until("the table and the legend in Chinese", || {
        !region_table(&root).contains("Oregon")
            && text_of(&root, "legend").is_some_and(|l| !l.is_ascii())
    })
    .await;
    let table = region_table(&root);
    assert!(table.contains("俄勒冈（us-west1）"), "{table}");
    assert!(table.contains("谷歌云"), "{table}");
    let legend = root
        .query_selector("legend")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(legend, "云服务商");
}

#[wasm_bindgen_test]
async fn the_selected_cloud_card_is_checked_for_assistive_technology() {
    let root = container();
    let selected = RwSignal::new(Cloud::AwsCn);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <RegionPicker catalog=byoc_core::catalog::catalog() selected=selected /> }
    });
    appears(&root, "input[name=cloud]:checked").await;
    let checked: web_sys::HtmlInputElement = root
        .query_selector("input[name=cloud]:checked")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(checked.value(), "aws-cn");
    assert!(region_table(&root).contains("China (Ningxia)"));
}
