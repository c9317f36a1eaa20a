//! The console's areas are parts of its wasm fetched on their first visit (web/src/app/parts.rs,
//! split by `cargo xtask precompress` in trunk's hook): a visit to sign-in fetches only the
//! deployments' part (prefetched once the browser is idle), an area fetches its own, and a part
//! that cannot be fetched is an error on the page with a reload button while the rest of the
//! console keeps working — never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use crate::support;

use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// The wasm files the page has fetched so far (their names, from the browser's resource timing).
async fn fetched_wasm(h: &Harness) -> Vec<String> {
    let names = h
        .browser
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)\
             .filter(n => n.endsWith('.wasm')).map(n => n.split('/').pop());",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(names).unwrap()
}

fn parts(fetched: &[String]) -> Vec<&str> {
    fetched
        .iter()
        .map(String::as_str)
        .filter(|n| n.starts_with("split-") || n.starts_with("chunk-"))
        .collect()
}

/// Waits until the page has fetched a part whose name starts with `prefix`; returns the parts
/// fetched by then.
async fn wait_for_part(h: &Harness, prefix: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let fetched = fetched_wasm(h).await;
        let parts: Vec<String> = parts(&fetched).into_iter().map(str::to_owned).collect();
        if parts.iter().any(|n| n.starts_with(prefix)) {
            return parts;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {prefix}… fetched; fetched: {fetched:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn sign_in_fetches_only_the_deployments_part_and_each_area_fetches_its_own() {
    let h = Harness::start().await;
    h.open("/sign-in").await;
    h.wait_for("#sign-in-username").await;
    let first = fetched_wasm(&h).await;
    assert!(
        first.iter().any(|n| n.starts_with("byoc-web-")),
        "the main wasm: {first:?}"
    );
    // Once idle, the sign-in page fetches the part most visits go to next, and no other.
    let fetched = wait_for_part(&h, "split-deployments-").await;
    assert!(
        !fetched
            .iter()
            .any(|n| n.starts_with("split-overview-") || n.starts_with("split-admin-")),
        "sign-in fetched parts of areas not visited: {fetched:?}"
    );

    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.open("/audit").await;
    h.wait_for("[data-testid=audit-filters]").await;
    let fetched = wait_for_part(&h, "split-admin-").await;
    assert!(
        !fetched.iter().any(|n| n.starts_with("split-overview-")),
        "the overview's part, not visited: {fetched:?}"
    );
    h.stop().await;
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn a_part_that_cannot_be_fetched_is_an_error_on_the_page_not_a_dead_console() {
    // The built console without its administration part, as after a deploy replaced the files
    // a page was opened with.
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    let console = tempfile::tempdir().unwrap();
    let mut removed = 0;
    for entry in std::fs::read_dir(&built).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("split-admin-") {
            removed += 1;
        } else {
            std::fs::copy(entry.path(), console.path().join(&name)).unwrap();
        }
    }
    assert!(removed > 0, "the built console has no administration part");
    let dir = console.path().to_path_buf();
    let h = Harness::start_with(|c| c.console_dir = dir).await;

    h.open("/audit").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/audit").await;
    h.wait_for_text("[role=alert]", "could not be loaded").await;
    h.wait_for("[data-testid=part-reload]").await;

    // The rest of the console still works: the menu leads to a part that is there.
    h.click("a[href='/prerequisites']").await;
    h.wait_for_location("/prerequisites").await;
    h.wait_for_text("[data-testid=region-table]", "cn-hangzhou")
        .await;
    assert_eq!(h.count("[data-testid=part-reload]").await, 0);
    h.stop().await;
}
