//! Issue 19 item 4 with the keyboard alone: the create wizard from the Deployments page's link to
//! the created deployment, and the PrivateLink wizard on a running deployment's Network tab,
//! driven by Tab, Shift+Tab, Enter, Space, arrow keys and typing sent to whatever has focus.
//! Every stop shows its focus, and a dialog closed with Escape gives focus back to its opener.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use serde_json::json;
use support::a11y::{
    focus_matches, focused, press, tab_to, type_keys, wait_for_focus, ARROW_RIGHT, ENTER, ESCAPE,
    SPACE,
};
use support::certs::DOMAIN;
use support::toolkit::{run_to_end, running, toolkit_binary};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// The endpoint service the PrivateLink wizard is given (in the deployment's region).
const SERVICE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a";

/// Tabs to `css` and presses Enter on it.
async fn activate(h: &Harness, css: &str) {
    tab_to(h, css, false).await;
    press(h, &[ENTER]).await;
}

/// Opens the dialog with the focused `opener` (Enter), closes it with Escape, and checks focus is
/// back on the opener, visibly.
async fn dialog_gives_focus_back(h: &Harness, opener: &str, dialog: &str) {
    assert!(focus_matches(h, opener).await, "{opener} has focus");
    press(h, &[ENTER]).await;
    h.wait_for(&format!("{dialog}[open]")).await;
    // The browser moves focus into the modal dialog.
    wait_for_focus(h, &format!("{dialog} *")).await;
    press(h, &[ESCAPE]).await;
    h.wait_for(&format!("{dialog}:not([open])")).await;
    wait_for_focus(h, opener).await;
    let (name, shown) = focused(h).await;
    assert!(shown, "focus back on {name} is visible");
}

async fn signed_in_with_project(h: &Harness, name: &str) -> String {
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let (status, project) = h
        .api_send("POST", "/api/v1/projects", Some(json!({"name": name})))
        .await;
    assert_eq!(status, 201, "{project}");
    project["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn the_create_wizard_is_walked_with_the_keyboard_alone() {
    let h = Harness::start().await;
    let project = signed_in_with_project(&h, "keys").await;
    h.open(&format!("/deployments?project={project}")).await;
    h.wait_for("a[href^='/deployments/new']").await;

    // From the page's top: the skip link first, then on to the create link.
    activate(&h, "a[href^='/deployments/new']").await;
    h.wait_for("#deployment-name").await;

    // Step 1: name, cloud (arrow keys move within the radio group), region as it comes.
    tab_to(&h, "#deployment-name", false).await;
    type_keys(&h, "mqtt-keys", false).await;
    tab_to(&h, "input[name=deployment-cloud]", false).await;
    while !focus_matches(&h, "#deployment-cloud-aws:checked").await {
        press(&h, &[ARROW_RIGHT]).await;
    }
    activate(&h, "[data-testid=wizard-next]").await;
    wait_for_focus(&h, "#wizard-step-spec-title").await;

    // Step 2: small enough for the built-in licence (25 sessions).
    tab_to(&h, "#sizing-sessions", false).await;
    type_keys(&h, "10", true).await;
    tab_to(&h, "#sizing-tps", false).await;
    type_keys(&h, "100", true).await;
    // Back to the first step with Shift+Tab and Enter, and forward again: nothing is lost.
    tab_to(&h, "[data-testid=wizard-back]", false).await;
    press(&h, &[ENTER]).await;
    wait_for_focus(&h, "#wizard-step-cloud-title").await;
    activate(&h, "[data-testid=wizard-next]").await;
    wait_for_focus(&h, "#wizard-step-spec-title").await;
    tab_to(&h, "#sizing-sessions", false).await;
    assert_eq!(
        h.wait_for("#sizing-sessions")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("10")
    );
    activate(&h, "[data-testid=wizard-next]").await;

    // Step 3: the suggested range is kept.
    wait_for_focus(&h, "#wizard-step-network-title").await;
    activate(&h, "[data-testid=wizard-next]").await;
    // Step 4: the domain.
    wait_for_focus(&h, "#wizard-step-domain-title").await;
    tab_to(&h, "#deployment-domain", false).await;
    type_keys(&h, DOMAIN, false).await;
    activate(&h, "[data-testid=wizard-next]").await;
    // Step 5: no tags; Space presses a button as well as Enter does.
    wait_for_focus(&h, "#wizard-step-tags-title").await;
    tab_to(&h, "[data-testid=wizard-next]", false).await;
    press(&h, &[SPACE]).await;
    // Review, then create.
    wait_for_focus(&h, "#wizard-step-review-title").await;
    h.wait_for_text("[data-testid=wizard-summary]", "mqtt-keys")
        .await;
    activate(&h, "[data-testid=wizard-create]").await;
    h.wait_for("[data-testid=deployment-detail]").await;
    h.wait_for_text("[data-testid=deployment-detail]", "mqtt-keys")
        .await;

    // A confirm dialog opened from the keyboard gives focus back to its button when closed.
    let opener = "button[data-testid^=action-].bc-button--danger-outline";
    h.wait_for(opener).await;
    tab_to(&h, opener, false).await;
    dialog_gives_focus_back(&h, opener, "dialog.bc-dialog").await;

    // The password dialog is opened from the user menu, which closes: focus goes back to the
    // menu's button rather than to nothing.
    tab_to(&h, "[data-testid=user-menu]", true).await;
    press(&h, &[ENTER]).await;
    h.wait_for("[data-testid=user-menu][aria-expanded=true]")
        .await;
    activate(&h, "[data-testid=change-password]").await;
    h.wait_for("#change-password-dialog[open]").await;
    wait_for_focus(&h, "#change-password-dialog *").await;
    press(&h, &[ESCAPE]).await;
    h.wait_for("#change-password-dialog:not([open])").await;
    wait_for_focus(&h, "[data-testid=user-menu]").await;

    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn the_privatelink_wizard_is_walked_with_the_keyboard_alone() {
    let byoc = toolkit_binary();
    let h = Harness::start().await;
    let project = signed_in_with_project(&h, "keys-net").await;
    let mut d = running(&h, &byoc, &project, "mqtt-keys-net", "aws", "us-east-1").await;
    h.open(&format!("/deployments/{}", d.id)).await;
    h.wait_for("[data-testid=deployment-detail]").await;

    // The page's sections are links: Tab to Network, Enter.
    activate(&h, "[data-testid=tab-network]").await;
    h.wait_for("[data-testid=network-tab]").await;

    // "+ PrivateLink": the wizard opens with focus on its heading, then each step in turn.
    activate(&h, "[data-testid=privatelink-add]").await;
    wait_for_focus(&h, "#pl-wizard-heading").await;
    h.wait_for("[data-testid=pl-notice]").await;
    activate(&h, "[data-testid=pl-next]").await;
    wait_for_focus(&h, "#pl-wizard-heading").await;
    h.wait_for("[data-testid=pl-principal]").await;
    // Shift+Tab goes back from Next to Back (the buttons without a test id are Cancel, Back).
    tab_to(&h, "[data-testid=pl-next]", false).await;
    tab_to(
        &h,
        "[data-testid=pl-whitelist] button:not([data-testid])",
        true,
    )
    .await;
    activate(&h, "[data-testid=pl-next]").await;
    wait_for_focus(&h, "#pl-wizard-heading").await;
    tab_to(&h, "#pl-service-id", false).await;
    type_keys(&h, SERVICE, false).await;
    tab_to(&h, "#pl-description", false).await;
    type_keys(&h, "Redis for rules", false).await;
    // Enter in a field submits the step's form.
    press(&h, &[ENTER]).await;
    h.wait_for("[data-testid=pl-created] [data-testid=pl-created-status]")
        .await;
    wait_for_focus(&h, "#pl-wizard-heading").await;
    activate(&h, "[data-testid=pl-close]").await;
    h.wait_for("[data-testid=privatelink-row]").await;
    // Closing the wizard puts focus back on the button that opened it.
    wait_for_focus(&h, "[data-testid=privatelink-add]").await;

    // Once the provider side allows it, it runs and may be deleted. Deleting asks first; Escape
    // keeps it and focus returns to its Delete button.
    run_to_end(
        &byoc,
        d.dir.path(),
        &["simulate", "allow", "--service-id", SERVICE],
    );
    h.wait_for("[data-testid=privatelink-row][data-status=running]")
        .await;
    let delete = "[data-testid=privatelink-row] [data-testid=privatelink-delete]";
    tab_to(&h, delete, false).await;
    dialog_gives_focus_back(&h, delete, "#confirm-privatelink-delete").await;

    d.agent.kill().unwrap();
    h.stop().await;
}
