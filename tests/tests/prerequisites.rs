//! The Prerequisites page in a real browser: sizing, quotas and the seed-exact policy download.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use fantoccini::Locator;
use support::{Harness, ADMIN, ADMIN_PASSWORD};

const SEED_ALIYUN_CREATE: &str =
    include_str!("../../core/tests/fixtures/policies/aliyun-create.json");

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn aliyun_with_three_nodes_downloads_the_seed_create_policy() {
    let h = Harness::start().await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_text("[data-testid=region-table]", "cn-hangzhou")
        .await;
    h.click("label[for=cloud-aliyun]").await;

    // 10,000 sessions / 5,000 TPS is tier 2: two nodes by default; choose three.
    h.wait_for_text("[data-testid=sizing-result]", "ecs.c7.xlarge")
        .await;
    let nodes = h
        .browser
        .find(Locator::Css("[data-testid=sizing-nodes]"))
        .await
        .unwrap();
    nodes.select_by_value("3").await.unwrap();
    h.wait_for_text("[data-testid=sizing-result]", "3 + 1")
        .await;
    // Quotas follow: 3 broker nodes + the agent node.
    h.wait_for_text("[data-testid=quota-totals]", "4").await;

    h.click("#policy-tab-create").await;
    h.click("[data-testid=policy-download]").await;
    let downloaded = h
        .wait_for_download("emqx-byoc-aliyun-create-policy.json")
        .await;
    let got: serde_json::Value = serde_json::from_str(&downloaded).unwrap();
    let seed: serde_json::Value = serde_json::from_str(SEED_ALIYUN_CREATE).unwrap();
    assert_eq!(got, seed);
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn sizing_and_domain_errors_show_inline_as_the_user_types() {
    let h = Harness::start().await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_text("[data-testid=region-table]", "cn-beijing")
        .await;

    let sessions = h
        .browser
        .find(Locator::Css("[data-testid=sizing-sessions]"))
        .await
        .unwrap();
    sessions.clear().await.unwrap();
    sessions.send_keys("2000000").await.unwrap();
    h.wait_for_text("#sessions-error", "sales").await;

    let domain = h
        .browser
        .find(Locator::Css("[data-testid=domain-input]"))
        .await
        .unwrap();
    domain.send_keys("*.example.com").await.unwrap();
    h.wait_for_text("[data-testid=domain-error]", "ildcard")
        .await;
    domain.clear().await.unwrap();
    domain.send_keys("mqtt.example.com").await.unwrap();
    h.wait_for_text("[data-testid=domain-ok]", "mqtt.example.com")
        .await;
    h.wait_for_text("[data-testid=domain-icp]", "ICP").await;
    h.stop().await;
}
