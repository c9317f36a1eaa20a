//! The console's deployment wizard and detail page as a person uses them, for end-to-end tests.
#![allow(dead_code, clippy::unwrap_used)]

use super::certs::DOMAIN;
use super::Harness;

/// The bootstrap command the detail page shows (with its key), once it is there.
pub async fn shown_command(h: &Harness, operation: &str) -> String {
    h.wait_for_text(
        "[data-testid=bootstrap-command]",
        &format!("./byoc {operation} "),
    )
    .await
    .trim()
    .to_owned()
}

/// Walks the wizard for a deployment named `name` on AWS us-east-1 and returns its page path.
pub async fn create_through_wizard(h: &Harness, project: &str, name: &str) -> String {
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
    // The review shows what the toolkit will make (core's plan).
    h.wait_for_text("[data-testid=plan-table]", &format!("{name}-vpc"))
        .await;
    h.click("[data-testid=wizard-create]").await;
    h.wait_for("[data-testid=deployment-detail]").await;
    h.location().await
}

pub async fn act(h: &Harness, action: &str, name: Option<&str>) {
    h.click(&format!("[data-testid=action-{action}]")).await;
    if let Some(name) = name {
        h.type_into("[data-testid=confirm-name]", name).await;
        h.click("[data-testid=confirm-action]").await;
    }
}
