//! Accounts and access in a real browser against the real control plane: sign-in and the way
//! back, an owner setting up a project and a viewer, what that viewer sees (no controls to change
//! anything) and what the API answers them (403), tokens, session expiry, and the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use serde_json::json;
use support::{Harness, ADMIN, ADMIN_PASSWORD};

const VIEWER: &str = "viewer1";
const VIEWER_PASSWORD: &str = "a long viewer passphrase";

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn an_owner_sets_up_a_viewer_who_sees_no_controls_and_whom_the_api_refuses() {
    let h = Harness::start().await;

    // A page that needs a session leads to sign-in, remembering where the user was going.
    h.open("/access").await;
    h.wait_for_location("/sign-in?next=%2Faccess").await;
    h.type_into("#sign-in-username", ADMIN).await;
    h.type_into("#sign-in-password", "not the password").await;
    h.click("[data-testid=sign-in-submit]").await;
    h.wait_for_text(
        "[data-testid=sign-in-error]",
        "username or password is incorrect",
    )
    .await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/access").await;

    // The owner creates the user…
    h.wait_for("[data-testid=users-table]").await;
    h.type_into("#new-user-username", VIEWER).await;
    h.type_into("#new-user-password", VIEWER_PASSWORD).await;
    h.click("[data-testid=create-user-submit]").await;
    h.wait_for_text("[data-testid=users-status]", "viewer1 created")
        .await;
    h.wait_for("[data-testid=user-row-viewer1]").await;

    // …and the project.
    h.click("a[href='/projects']").await;
    h.type_into("#project-name", "payments").await;
    h.type_into("#project-description", "Card payments").await;
    h.click("[data-testid=create-project-submit]").await;
    h.wait_for_text("[data-testid=project-row-payments]", "Card payments")
        .await;

    // Then makes the user a viewer of the project.
    h.click("a[href='/access']").await;
    h.choose("[data-testid=members-project]", "payments").await;
    h.choose("[data-testid=add-member-user]", VIEWER).await;
    h.choose("[data-testid=add-member-role]", "Viewer").await;
    h.click("[data-testid=add-member-submit]").await;
    h.wait_for_text("[data-testid=member-row-viewer1]", "Viewer")
        .await;

    h.sign_out().await;
    h.sign_in(VIEWER, VIEWER_PASSWORD).await;

    // The viewer sees the project, with their role, and nothing to change it with.
    h.open("/projects").await;
    h.wait_for_text("[data-testid=project-row-payments]", "Viewer")
        .await;
    assert_eq!(h.count("[data-testid=create-project-form]").await, 0);
    assert_eq!(h.count("[data-testid=project-rename-payments]").await, 0);
    assert_eq!(h.count("[data-testid=project-delete-payments]").await, 0);
    assert_eq!(
        h.count("a[href='/audit']").await,
        0,
        "no audit log for a viewer"
    );

    h.open("/access").await;
    h.wait_for_text("[data-testid=my-access]", "payments — Viewer")
        .await;
    for absent in [
        "[data-testid=users-table]",
        "[data-testid=create-user-form]",
        "[data-testid=members-table]",
        "[data-testid=add-member-form]",
    ] {
        assert_eq!(h.count(absent).await, 0, "{absent}");
    }

    // Controls hidden is a courtesy; the server refuses anyway.
    let projects = h.api_get("/api/v1/projects").await;
    let project = &projects["items"][0];
    assert_eq!(project["name"], "payments");
    let id = project["id"].as_str().unwrap().to_owned();
    let version = project["version"].as_i64().unwrap();
    let me = h.api_get("/api/v1/session").await;
    let my_id = me["user"]["id"].as_str().unwrap().to_owned();
    let refused = [
        (
            "POST",
            "/api/v1/projects".to_owned(),
            Some(json!({"name": "sneaky"})),
            None,
        ),
        (
            "PATCH",
            format!("/api/v1/projects/{id}"),
            Some(json!({"name": "mine"})),
            Some(version),
        ),
        (
            "DELETE",
            format!("/api/v1/projects/{id}"),
            None,
            Some(version),
        ),
        (
            "PUT",
            format!("/api/v1/projects/{id}/members"),
            Some(json!({"user_id": my_id, "role": "admin"})),
            Some(1),
        ),
        (
            "POST",
            "/api/v1/users".to_owned(),
            Some(
                json!({"username": "mallory", "password": "a long mallory passphrase", "org_role": "owner"}),
            ),
            None,
        ),
    ];
    for (method, path, body, if_match) in refused {
        assert_eq!(
            h.api_status(method, &path, body, if_match).await,
            403,
            "{method} {path}"
        );
    }
    let after = h.api_get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(after["name"], "payments", "nothing changed");
    assert_eq!(after["version"], version);
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn an_expired_session_leads_to_sign_in_and_back_and_tokens_show_their_secret_once() {
    let h = Harness::start().await;
    h.open("/tokens").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/tokens").await;

    // The session ends behind the console's back; the next request notices and sends the user
    // to sign in, then back to this page.
    h.browser.delete_all_cookies().await.unwrap();
    h.type_into("#token-name", "ci deploy").await;
    h.click("[data-testid=create-token-submit]").await;
    h.wait_for_location("/sign-in?next=%2Ftokens").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/tokens").await;

    h.type_into("#token-name", "ci deploy").await;
    h.type_into("#token-days", "30").await;
    h.click("[data-testid=create-token-submit]").await;
    let secret = h
        .wait_for("[data-testid=token-secret]")
        .await
        .text()
        .await
        .unwrap();
    assert!(secret.len() > 20, "a secret: {secret:?}");
    h.wait_for_text("[data-testid=token-created]", "only this once")
        .await;
    h.click("[data-testid=token-secret-dismiss]").await;
    assert_eq!(h.count("[data-testid=token-secret]").await, 0, "shown once");
    h.wait_for_text("[data-testid='token-row-ci deploy']", "Active")
        .await;

    // Revoking asks first.
    h.click("[data-testid='token-revoke-ci deploy']").await;
    h.click("[data-testid=revoke-token-confirm]").await;
    h.wait_for_text("[data-testid='token-row-ci deploy']", "Revoked")
        .await;
    h.wait_for_text("[data-testid=tokens-status]", "revoked")
        .await;
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn projects_are_renamed_with_their_version_and_deleted_after_typing_the_name() {
    let h = Harness::start().await;
    h.open("/projects").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.type_into("#project-name", "staging").await;
    h.click("[data-testid=create-project-submit]").await;
    h.wait_for("[data-testid=project-row-staging]").await;

    // Someone else renames it meanwhile: this tab's rename is refused, not silently applied.
    h.click("[data-testid=project-rename-staging]").await;
    let projects = h.api_get("/api/v1/projects").await;
    let id = projects["items"][0]["id"].as_str().unwrap().to_owned();
    let version = projects["items"][0]["version"].as_i64().unwrap();
    let status = h
        .api_status(
            "PATCH",
            &format!("/api/v1/projects/{id}"),
            Some(json!({"description": "by another tab"})),
            Some(version),
        )
        .await;
    assert_eq!(status, 200);
    h.type_into("#rename-project-name", "staging-eu").await;
    h.click("[data-testid=rename-project-submit]").await;
    h.wait_for_text("[data-testid=rename-conflict]", "changed this project")
        .await;
    h.click("[data-testid=rename-conflict] button").await;
    h.wait_for_text("[data-testid=project-row-staging]", "by another tab")
        .await;

    // With the latest version, the rename goes through.
    h.click("[data-testid=project-rename-staging]").await;
    h.type_into("#rename-project-name", "staging-eu").await;
    h.click("[data-testid=rename-project-submit]").await;
    h.wait_for("[data-testid=project-row-staging-eu]").await;

    // Deleting wants the name typed first.
    h.click("[data-testid=project-delete-staging-eu]").await;
    let confirm = h.wait_for("[data-testid=delete-project-confirm]").await;
    assert!(!confirm.is_enabled().await.unwrap());
    h.type_into("[data-testid=delete-project-confirm-input]", "staging-eu")
        .await;
    h.click("[data-testid=delete-project-confirm]").await;
    h.wait_for_text("[data-testid=projects-status]", "deleted")
        .await;
    assert_eq!(h.count("[data-testid=project-row-staging-eu]").await, 0);
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn the_audit_log_filters_loads_more_and_exports_the_same_filters() {
    let h = Harness::start().await;
    h.open("/audit").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/audit").await;

    // More project creations than one page holds.
    for i in 0..55 {
        let status = h
            .api_status(
                "POST",
                "/api/v1/projects",
                Some(json!({"name": format!("p{i:02}")})),
                None,
            )
            .await;
        assert_eq!(status, 201);
    }
    h.type_into("#audit-action", "project.create").await;
    h.click("[data-testid=audit-apply]").await;
    h.wait_for_text("[data-testid=audit-count]", "50 entries")
        .await;
    let rows = h.count("[data-testid=audit-row]").await;
    assert_eq!(rows, 50);
    h.click("[data-testid=audit-more]").await;
    h.wait_for_text("[data-testid=audit-count]", "55 entries")
        .await;
    assert_eq!(
        h.count("[data-testid=audit-more]").await,
        0,
        "no further page"
    );

    let href = h
        .wait_for("[data-testid=audit-export]")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        href.ends_with("/api/v1/audit/export.csv?action=project.create"),
        "{href}"
    );
    h.click("[data-testid=audit-export]").await;
    let csv = h.wait_for_download("byoc-audit-log.csv").await;
    assert_eq!(csv.matches("project.create").count(), 55, "{csv}");
    assert!(
        !csv.contains("session.create"),
        "the filter applies to the export too"
    );
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn changing_the_password_checks_the_current_one_and_takes_effect() {
    let h = Harness::start().await;
    h.open("/projects").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.click("[data-testid=user-menu]").await;
    h.click("[data-testid=change-password]").await;

    // The rule is checked as the user types.
    h.type_into("#new-password", "short").await;
    h.wait_for_text("#new-password-error", "12 to 128").await;

    // A wrong current password is refused inline, and the user stays signed in.
    let new_password = "a brand new owner passphrase";
    h.type_into("#current-password", "not the current one")
        .await;
    h.type_into("#new-password", new_password).await;
    h.type_into("#repeat-password", new_password).await;
    h.click("[data-testid=change-password-submit]").await;
    h.wait_for_text("#current-password-error", "current password is incorrect")
        .await;
    h.type_into("#current-password", ADMIN_PASSWORD).await;
    h.click("[data-testid=change-password-submit]").await;
    h.wait_for_text("[data-testid=password-changed]", "has been changed")
        .await;

    h.sign_out().await;
    h.type_into("#sign-in-username", ADMIN).await;
    h.type_into("#sign-in-password", ADMIN_PASSWORD).await;
    h.click("[data-testid=sign-in-submit]").await;
    h.wait_for_text("[data-testid=sign-in-error]", "incorrect")
        .await;
    h.sign_in(ADMIN, new_password).await;
    h.stop().await;
}
