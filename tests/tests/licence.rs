//! The Licence page in a real browser: a vendor key pair and a licence made with the real vendor
//! CLI (`byoc-server licence keygen` / `issue`), the control plane started with that public key,
//! the default licence and its banner, a tampered licence refused in the browser, then the real
//! one pasted, confirmed and installed, with its fields and days left shown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::path::Path;
use std::process::Command;

use chrono::{Duration, NaiveTime, Utc};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

const ID: &str = "LIC-2026-000123";

/// Runs `byoc-server licence …` through cargo from the workspace root, as a vendor would run
/// the binary, and returns what it printed.
fn vendor_cli(args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "byoc-server", "--", "licence"])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "byoc-server licence {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A payload character swapped for another: still base64url, but no longer what was signed.
fn tampered(line: &str) -> String {
    let payload_middle = "byoc-lic-v1.".len() + 20;
    let mut chars: Vec<char> = line.chars().collect();
    chars[payload_middle] = if chars[payload_middle] == 'A' {
        'B'
    } else {
        'A'
    };
    chars.into_iter().collect()
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn a_licence_issued_with_the_cli_is_verified_installed_and_shown() {
    let vendor = tempfile::tempdir().unwrap();
    let out = vendor.path().to_string_lossy().into_owned();
    vendor_cli(&["keygen", "--out", &out]);
    let signing_key = vendor.path().join("licence-signing-key.pem");
    let public_key = vendor.path().join("licence-public-key.pem");
    let today = Utc::now().date_naive();
    let from = (today - Duration::days(1)).format("%Y-%m-%d").to_string();
    let until_day = today + Duration::days(365);
    let until = until_day.format("%Y-%m-%d").to_string();
    let line = vendor_cli(&[
        "issue",
        "--key",
        &signing_key.to_string_lossy(),
        "--id",
        ID,
        "--type",
        "formal",
        "--to",
        "Example Ltd",
        "--email",
        "licences@vendor.example",
        "--sessions",
        "10000",
        "--tps",
        "5000",
        "--cores",
        "32",
        "--from",
        &from,
        "--until",
        &until,
    ]);
    let line = line.trim().to_owned();
    assert!(line.starts_with("byoc-lic-v1."), "{line}");

    let h = Harness::start_with(|config| config.licence_public_key = Some(public_key)).await;
    h.open("/prerequisites").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;

    // With nothing installed the default licence applies, and the header says so on every page.
    h.wait_for_text("[data-testid=licence-banner]", "No licence is installed")
        .await;
    h.click("[data-testid=licence-banner-link]").await;
    h.wait_for_location("/licence").await;
    h.wait_for_text("[data-testid=licence-id]", "default").await;
    h.wait_for_text("[data-testid=licence-max-sessions]", "25")
        .await;
    h.wait_for_text("[data-testid=licence-status]", "Expiring soon")
        .await;
    assert_eq!(
        h.count("[data-testid=licence-banner]").await,
        1,
        "one banner, the page's own"
    );
    h.wait_for("[data-testid=licence-history-empty]").await;

    // A licence altered after signing is refused in the browser, in words, before any upload.
    h.type_into("#licence-text", &tampered(&line)).await;
    h.wait_for_text("[data-testid=licence-error]", "signature does not match")
        .await;
    let review = h.wait_for("[data-testid=licence-review]").await;
    assert_eq!(
        review.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );

    // The real one: verified here, confirmed, installed.
    h.type_into("#licence-text", &line).await;
    h.wait_for_text("[data-testid=licence-preview]", ID).await;
    h.wait_for_text("[data-testid=licence-preview]", "10,000")
        .await;
    h.click("[data-testid=licence-review]").await;
    h.wait_for_text("[data-testid=install-licence-facts]", ID)
        .await;
    h.click("[data-testid=install-licence-confirm]").await;
    h.wait_for_text("[data-testid=licence-page-status]", ID)
        .await;

    h.wait_for_text("[data-testid=licence-id]", ID).await;
    h.wait_for_text("[data-testid=licence-type]", "Formal")
        .await;
    h.wait_for_text("[data-testid=licence-issued-to]", "Example Ltd")
        .await;
    h.wait_for_text(
        "[data-testid=licence-issuer-email]",
        "licences@vendor.example",
    )
    .await;
    h.wait_for_text("[data-testid=licence-max-sessions]", "10,000")
        .await;
    h.wait_for_text("[data-testid=licence-max-tps]", "5,000")
        .await;
    h.wait_for_text("[data-testid=licence-core-size]", "32")
        .await;
    h.wait_for_text("[data-testid=licence-status]", "Valid")
        .await;
    // Whole days from now until midnight UTC at the end of validity, as the server counts them.
    let days_left = (until_day.and_time(NaiveTime::MIN).and_utc() - Utc::now()).num_days();
    let shown = h
        .wait_for_text("[data-testid=licence-days-left]", &days_left.to_string())
        .await;
    assert_eq!(shown.trim(), days_left.to_string());
    h.wait_for_text("[data-testid=usage-sessions]", "0 of 10,000")
        .await;
    // Nothing is in use yet: the bar is empty (drawn through the CSS object model, which the
    // control plane's content security policy allows, unlike a style attribute).
    let bar_width = h
        .browser
        .execute(
            "return document.querySelector('[data-testid=usage-sessions] .bc-usage__bar').offsetWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bar_width, 0, "an unused licence shows an empty bar");
    h.wait_for(&format!("[data-testid=licence-history-{ID}]"))
        .await;
    assert_eq!(
        h.count("[data-testid=licence-banner]").await,
        0,
        "a valid licence needs no banner"
    );

    // The API agrees with what the page shows.
    let view = h.api_get("/api/v1/licence").await;
    assert_eq!(view["licence"]["id"], ID);
    assert_eq!(view["days_left"], days_left);
    h.stop().await;
}
