//! Deployments in a real browser with the real toolkit: a deployment created through the wizard,
//! `byoc create --simulate` run with exactly the command the console shows, the page following it
//! to `running` without a reload, then stop, start and delete the same way; a second deployment
//! whose run fails at the network phase shows the phase, the reason and a retry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use support::toolkit::{bootstrap_dir, run_shown_command, toolkit_binary};
use support::wizard::{act, create_through_wizard, shown_command};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn a_wizard_deployment_runs_with_the_shown_command_then_stops_starts_and_is_deleted() {
    let byoc = toolkit_binary();
    let h = Harness::start().await;
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let project = h
        .api_status(
            "POST",
            "/api/v1/projects",
            Some(serde_json::json!({"name": "iot"})),
            None,
        )
        .await;
    assert_eq!(project, 201);
    let projects = h.api_get("/api/v1/projects").await;
    let project = projects["items"][0]["id"].as_str().unwrap().to_owned();

    let tls = bootstrap_dir();

    create_through_wizard(&h, &project, "mqtt-e2e").await;
    h.wait_for_text("[data-testid=deployment-status]", "Waiting for deployment")
        .await;
    let command = shown_command(&h, "create").await;
    assert!(
        command.contains(&format!("--endpoint {} ", h.base)),
        "{command}"
    );
    let mut create = run_shown_command(&byoc, &command, tls.path(), &[]);

    // The page follows the run by itself: no reload.
    h.wait_for_text("[data-testid=deployment-status]", "Running")
        .await;
    h.wait_for_text("[data-testid=deployment-detail]", "mqtt-e2e-lb.us-east-1")
        .await;
    h.wait_for("[data-testid=deployment-live]").await;

    act(&h, "stop", Some("mqtt-e2e")).await;
    h.wait_for_text("[data-testid=deployment-status]", "Stopping")
        .await;
    let stop = shown_command(&h, "stop").await;
    let mut stopping = run_shown_command(&byoc, &stop, tls.path(), &[]);
    h.wait_for_text("[data-testid=deployment-status]", "Stopped")
        .await;
    assert!(stopping.wait().unwrap().success());
    // The create run was the deployment's agent until it stopped; it ends by itself.
    assert!(create.wait().unwrap().success());

    act(&h, "start", None).await;
    let start = shown_command(&h, "start").await;
    let mut starting = run_shown_command(&byoc, &start, tls.path(), &[]);
    h.wait_for_text("[data-testid=deployment-status]", "Running")
        .await;

    act(&h, "delete", Some("mqtt-e2e")).await;
    let delete = shown_command(&h, "delete").await;
    let mut deleting = run_shown_command(&byoc, &delete, tls.path(), &[]);
    h.wait_for_text("[data-testid=deployment-status]", "Deleted")
        .await;
    assert!(deleting.wait().unwrap().success());
    assert!(starting.wait().unwrap().success());

    // A second run told to fail at the network phase.
    create_through_wizard(&h, &project, "mqtt-fails").await;
    let command = shown_command(&h, "create").await;
    let mut failing = run_shown_command(&byoc, &command, tls.path(), &["--fail-at", "network"]);
    h.wait_for_text("[data-testid=deployment-status]", "Failed")
        .await;
    let reason = h
        .wait_for_text("[data-testid=deployment-reason]", "network")
        .await;
    assert!(reason.contains("simulated failure"), "{reason}");
    assert!(!failing.wait().unwrap().success());
    h.wait_for("[data-testid=action-retry]").await;
    assert_eq!(h.count("[data-testid=action-stop]").await, 0);
    act(&h, "retry", None).await;
    h.wait_for_text("[data-testid=deployment-status]", "Waiting for deployment")
        .await;
    shown_command(&h, "create").await;
    h.stop().await;
}
