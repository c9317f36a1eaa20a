//! A deployment made through the console for real: created in the wizard (whose review shows the
//! plan), then `byoc create` run with exactly the command the console shows — not simulated —
//! against the AWS emulator as an IAM user holding only the create policy the Prerequisites page
//! serves. The page follows it to `running` with the load balancer's address; deleting it the same
//! way (with the delete policy's user) leaves nothing of it in the account.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use support::moto::Moto;
use support::toolkit::{bootstrap_dir, run_shown_command_for_real, toolkit_binary};
use support::wizard::{act, create_through_wizard, shown_command};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

const EMULATOR_ONLY: [&str; 4] = ["--poll-seconds", "0.05", "--base-image", "ami-760aaa0f"];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn a_wizard_deployment_is_created_and_deleted_for_real_with_the_shown_commands() {
    let byoc = toolkit_binary();
    let h = Harness::start().await;
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let mut users = Vec::new();
    for (user, op) in [("toolkit-create", "create"), ("toolkit-delete", "delete")] {
        let path = format!("/api/v1/prerequisites/policies?cloud=aws&operation={op}");
        users.push((user, h.api_get(&path).await));
    }
    let moto = tokio::task::block_in_place(|| Moto::start("us-east-1", &users));
    assert_eq!(
        h.api_status(
            "POST",
            "/api/v1/projects",
            Some(serde_json::json!({"name": "real"})),
            None
        )
        .await,
        201
    );
    let projects = h.api_get("/api/v1/projects").await;
    let project = projects["items"][0]["id"].as_str().unwrap().to_owned();
    let dir = bootstrap_dir();

    let page = create_through_wizard(&h, &project, "mqtt-real").await;
    let id = page.rsplit('/').next().unwrap().to_owned();
    // The guide says how to fetch the toolkit and which credentials to set.
    h.wait_for_text("[data-testid=bootstrap-prepare]", "AWS_ACCESS_KEY_ID")
        .await;
    let command = shown_command(&h, "create").await;
    let mut create = run_shown_command_for_real(
        &byoc,
        &command,
        dir.path(),
        &EMULATOR_ONLY,
        &moto.env("toolkit-create"),
    );
    h.wait_for_text("[data-testid=deployment-status]", "Running")
        .await;
    // The real load balancer's address, reported by the toolkit.
    h.wait_for_text("[data-testid=deployment-detail]", ".elb.amazonaws.com")
        .await;
    assert!(tokio::task::block_in_place(|| create.wait())
        .unwrap()
        .success());
    let made = tokio::task::block_in_place(|| moto.inventory(&id));
    assert_eq!(made["VPC"], 1, "{made:?}");
    assert_eq!(made["Load balancers"], 1, "{made:?}");

    act(&h, "delete", Some("mqtt-real")).await;
    let delete = shown_command(&h, "delete").await;
    let mut deleting = run_shown_command_for_real(
        &byoc,
        &delete,
        dir.path(),
        &EMULATOR_ONLY,
        &moto.env("toolkit-delete"),
    );
    h.wait_for_text("[data-testid=deployment-status]", "Deleted")
        .await;
    assert!(tokio::task::block_in_place(|| deleting.wait())
        .unwrap()
        .success());
    let left = tokio::task::block_in_place(|| moto.inventory(&id));
    assert!(left.values().all(|n| *n == 0), "left behind: {left:?}");
    h.stop().await;
}
