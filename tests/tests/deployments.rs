//! Deployments in a real browser with the real toolkit: a deployment created through the wizard,
//! `byoc create --simulate` run with exactly the command the console shows, the page following it
//! to `running` without a reload, then stop, start and delete the same way; a second deployment
//! whose run fails at the network phase shows the phase, the reason and a retry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::certs::DOMAIN;
use support::toolkit::{bootstrap_dir, run_shown_command, toolkit_binary};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// The bootstrap command the detail page shows (with its key), once it is there.
async fn shown_command(h: &Harness, operation: &str) -> String {
    h.wait_for_text(
        "[data-testid=bootstrap-command]",
        &format!("./byoc {operation} "),
    )
    .await
    .trim()
    .to_owned()
}

/// Walks the wizard for a deployment named `name` on AWS us-east-1 and returns its page path.
async fn create_through_wizard(h: &Harness, project: &str, name: &str) -> String {
    h.open(&format!("/deployments/new?project={project}")).await;
    h.type_into("#deployment-name", name).await;
    h.click("[data-testid=deployment-cloud-aws]").await;
    h.wait_for("#deployment-region")
        .await
        .select_by_value("us-east-1")
        .await
        .unwrap();
    h.click("[data-testid=wizard-next]").await;
    // Small enough for the built-in default licence (25 sessions).
    h.type_into("#sizing-sessions", "10").await;
    h.type_into("#sizing-tps", "100").await;
    h.click("[data-testid=wizard-next]").await;
    h.type_into("#deployment-vpc-cidr", "10.0.0.0/16").await;
    h.click("[data-testid=wizard-next]").await;
    h.type_into("#deployment-domain", DOMAIN).await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for("[data-testid=tags]").await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for_text("[data-testid=wizard-summary]", name).await;
    h.click("[data-testid=wizard-create]").await;
    h.wait_for("[data-testid=deployment-detail]").await;
    h.location().await
}

async fn act(h: &Harness, action: &str, name: Option<&str>) {
    h.click(&format!("[data-testid=action-{action}]")).await;
    if let Some(name) = name {
        h.type_into("[data-testid=confirm-name]", name).await;
        h.click("[data-testid=confirm-action]").await;
    }
}

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
