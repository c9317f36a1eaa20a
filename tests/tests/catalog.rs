//! The catalog slice through every layer: core → API → console in a real browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use fantoccini::Locator;
use support::{Harness, ADMIN, ADMIN_PASSWORD};

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn picks_a_cloud_and_sees_its_regions_in_both_languages() {
    let h = Harness::start().await;
    // Signing in leads back to the page asked for: the Prerequisites page, which loads the
    // catalog from the API.
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_text("h1", "Prerequisites").await;
    assert!(h
        .browser
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/prerequisites"));
    h.wait_for_text("[data-testid=region-table]", "cn-beijing")
        .await;

    h.click("label[for=cloud-gcp]").await;
    let table = h
        .wait_for_text("[data-testid=region-table]", "Oregon (us-west1)")
        .await;
    assert!(table.contains("asia-east1"), "{table}");
    assert!(!table.contains("cn-beijing"), "{table}");

    // Switch to Chinese: names change in place and the choice survives a reload.
    let lang = h
        .browser
        .find(Locator::Css("[data-testid=language-select]"))
        .await
        .unwrap();
    lang.select_by_value("zh-CN").await.unwrap();
    h.wait_for_text("[data-testid=region-table]", "俄勒冈（us-west1）")
        .await;
    h.wait_for_text("h1", "前提条件").await;

    h.browser.refresh().await.unwrap();
    h.wait_for_text("h1", "前提条件").await;
    h.click("label[for=cloud-aws-cn]").await;
    h.wait_for_text("[data-testid=region-table]", "中国（宁夏）")
        .await;
    let html_lang = h
        .browser
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(html_lang, "zh-CN");
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn deep_links_load_the_console_and_unknown_pages_say_so() {
    let h = Harness::start().await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_text("[data-testid=region-table]", "cn-beijing")
        .await;
    h.open("/no/such/page").await;
    h.wait_for_text("h1", "Page not found").await;
    h.stop().await;
}
