//! A deployment's Network tab in a real browser, with the real `byoc` toolkit as the deployment's
//! simulated agent: the PrivateLink wizard walked on Alibaba Cloud and on AWS, the connection
//! allowed on the simulated provider side with `byoc simulate allow`, the page following it to
//! `running` with its endpoint without a reload, then deleted; and on AWS a peering whose range
//! overlaps, explained with both ranges, then a valid one accepted on the simulated peer side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use support::toolkit::{run_to_end, running, toolkit_binary, Running};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// Opens the deployment's page, then its Network tab the way a user does.
async fn open_network_tab(h: &Harness, id: &str) {
    h.open(&format!("/deployments/{id}")).await;
    h.wait_for("[data-testid=deployment-detail]").await;
    h.click("[data-testid=tab-network]").await;
    h.wait_for("[data-testid=network-tab]").await;
    assert_eq!(h.location().await, format!("/deployments/{id}?tab=network"));
}

/// The wizard from "+ PrivateLink" to running and the endpoint, with the provider side allowing
/// the connection through the toolkit; returns the principal shown and the endpoint domain.
async fn walk_privatelink_wizard(
    h: &Harness,
    byoc: &Path,
    d: &Running,
    service: &str,
) -> (String, String) {
    h.click("[data-testid=privatelink-add]").await;
    h.wait_for("[data-testid=pl-notice]").await;
    h.click("[data-testid=pl-next]").await;
    let principal = h
        .wait_for("[data-testid=pl-principal]")
        .await
        .text()
        .await
        .unwrap();
    h.wait_for("[data-testid=pl-zone]").await;
    h.click("[data-testid=pl-next]").await;
    h.type_into("#pl-service-id", service).await;
    h.type_into("#pl-description", "Redis for rules").await;
    h.click("[data-testid=pl-create]").await;
    h.wait_for(
        "[data-testid=pl-created] [data-testid=pl-created-status][data-status=pending_acceptance]",
    )
    .await;

    // The simulated provider does not allow it by itself: it stays pending until allowed, over
    // several of the agent's reconciliations.
    h.count_stays(
        "the link stays pending without an allow",
        "[data-testid=pl-created-status][data-status=pending_acceptance]",
        1,
        Duration::from_millis(1_500),
    )
    .await;
    run_to_end(
        byoc,
        d.dir.path(),
        &["simulate", "allow", "--service-id", service],
    );
    h.wait_for("[data-testid=pl-created-status][data-status=running]")
        .await;
    let domain = h
        .wait_for("[data-testid=pl-endpoint-domain]")
        .await
        .text()
        .await
        .unwrap();
    h.wait_for("[data-testid=pl-endpoint-domain-copy]").await;
    h.click("[data-testid=pl-close]").await;
    h.wait_for("[data-testid=privatelink-row][data-status=running]")
        .await;
    (principal, domain)
}

/// Deletes the one running link after the seed's warnings; the agent removes it.
async fn delete_the_link(h: &Harness) {
    h.click("[data-testid=privatelink-row] [data-testid=privatelink-delete]")
        .await;
    h.wait_for_text(
        "#confirm-privatelink-delete",
        "before you delete the endpoint service",
    )
    .await;
    h.click("[data-testid=confirm-privatelink-delete-confirm]")
        .await;
    h.wait_for("[data-testid=privatelinks-empty]").await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn privatelinks_on_aliyun_and_aws_run_once_allowed_and_an_overlapping_peering_is_explained() {
    let byoc = toolkit_binary();
    let h = Harness::start().await;
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let (status, project) = h
        .api_send("POST", "/api/v1/projects", Some(json!({"name": "net"})))
        .await;
    assert_eq!(status, 201, "{project}");
    let project = project["id"].as_str().unwrap().to_owned();

    // Alibaba Cloud: the account UID to whitelist, the epsrv- instance ID.
    let mut ali = running(&h, &byoc, &project, "mqtt-ali", "aliyun", "cn-shenzhen").await;
    open_network_tab(&h, &ali.id).await;
    let (principal, domain) =
        walk_privatelink_wizard(&h, &byoc, &ali, "epsrv-hp3vpx8yqxblby3iabcd").await;
    assert!(
        principal.len() == 16 && principal.chars().all(|c| c.is_ascii_digit()),
        "an account UID: {principal}"
    );
    assert!(domain.contains("epsrv-hp3vpx8yqxblby3iabcd"), "{domain}");
    h.wait_for_text("[data-testid=privatelink-row]", "Redis for rules")
        .await;
    delete_the_link(&h).await;
    ali.agent.kill().unwrap();

    // AWS: the account's root principal ARN, the endpoint service name in the deployment's region.
    let mut aws = running(&h, &byoc, &project, "mqtt-aws", "aws", "us-east-1").await;
    open_network_tab(&h, &aws.id).await;
    let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a";
    let (principal, domain) = walk_privatelink_wizard(&h, &byoc, &aws, service).await;
    assert!(
        principal.starts_with("arn:aws:iam::") && principal.ends_with(":root"),
        "{principal}"
    );
    assert!(domain.ends_with(".vpce.amazonaws.com"), "{domain}");
    delete_the_link(&h).await;

    // A peering whose range overlaps the deployment's VPC: explained with both ranges, not sent.
    let vpc = h
        .wait_for("[data-testid=network-vpc-id]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        vpc.contains("vpc-"),
        "the deployment's VPC ID to peer with: {vpc}"
    );
    h.click("[data-testid=peering-add]").await;
    h.type_into("#peering-peering-id", "pcx-0a1b2c3d4e5f67890")
        .await;
    h.type_into("#peering-account-id", "210987654321").await;
    h.type_into("#peering-vpc-id", "vpc-0fedcba9").await;
    h.type_into("#peering-peer-cidr", "10.0.8.0/24").await;
    let explained = h
        .wait_for_text("#peering-peer-cidr-error", "10.0.0.0/16")
        .await;
    assert!(explained.contains("10.0.8.0/24"), "{explained}");
    h.click("[data-testid=peering-create]").await;
    h.count_stays(
        "nothing was sent",
        "[data-testid=peering-row]",
        0,
        Duration::from_millis(500),
    )
    .await;

    // A distinct range goes through; the simulated peer accepts it.
    h.type_into("#peering-peer-cidr", "172.31.0.0/16").await;
    h.click("[data-testid=peering-create]").await;
    h.wait_for("[data-testid=peering-row][data-status=pending_acceptance]")
        .await;
    run_to_end(
        &byoc,
        aws.dir.path(),
        &["simulate", "allow", "--peering", "pcx-0a1b2c3d4e5f67890"],
    );
    h.wait_for("[data-testid=peering-row][data-status=active]")
        .await;
    // Its range is now taken: another peering inside it is explained with the peering's name.
    h.click("[data-testid=peering-add]").await;
    h.type_into("#peering-peer-cidr", "172.31.4.0/24").await;
    h.wait_for_text("#peering-peer-cidr-error", "pcx-0a1b2c3d4e5f67890")
        .await;

    aws.agent.kill().unwrap();
    h.stop().await;
}
