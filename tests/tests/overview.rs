//! The Overview in a real browser: where `/` leads after sign-in; the licence card, counts that
//! link to the narrowed list, a failed deployment called out, recent activity; both languages,
//! and a 360 px screen that never scrolls sideways. Screenshots go to
//! `target/screenshots/overview-*.png` for people to look at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use serde_json::json;
use support::{Harness, ADMIN, ADMIN_PASSWORD};

fn deployment(name: &str) -> serde_json::Value {
    // Small enough for the built-in default licence (25 sessions) twice over.
    json!({
        "name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
        "sessions": 10, "tps": 100, "domain": "mqtt.example.com", "tags": []
    })
}

/// The whole page at `width`: the window is made as tall as the page for the picture, then put
/// back.
async fn screenshot(h: &Harness, name: &str, width: u32) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let height = h
        .browser
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(900);
    h.browser
        .set_window_size(width, height.max(800))
        .await
        .unwrap();
    let png = h.browser.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("overview-{name}.png")), png).unwrap();
    h.browser.set_window_size(width, 900).await.unwrap();
}

/// How far the page is wider than the window (0 when nothing scrolls sideways).
async fn overflow(h: &Harness) -> i64 {
    h.browser
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs the built console and ChromeDriver: run `cargo xtask test`"]
async fn the_overview_counts_links_and_calls_out_what_needs_attention() {
    let h = Harness::start().await;
    h.open("/").await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    h.wait_for_location("/overview").await;

    let (status, project) = h
        .api_send("POST", "/api/v1/projects", Some(json!({"name": "iot"})))
        .await;
    assert_eq!(status, 201, "{project}");
    let project = project["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for name in ["edge", "core"] {
        let (status, created) = h
            .api_send(
                "POST",
                &format!("/api/v1/projects/{project}/deployments"),
                Some(deployment(name)),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["deployment"]["id"].as_str().unwrap().to_owned());
    }
    // A failure as the toolkit would report it (the deployments tests drive that for real).
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        h.data_path().join("byoc.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE deployments SET status = 'failed', reason = 'The VPC quota is used up.' WHERE id = ?1")
        .bind(&ids[0])
        .execute(&db)
        .await
        .unwrap();

    h.open("/overview").await;
    h.wait_for_text("[data-testid=overview-licence-days]", "days left")
        .await;
    h.wait_for("[data-testid=licence-usage]").await;
    let failed = h
        .wait_for_text("[data-testid=attention-failed-group]", "edge")
        .await;
    assert!(failed.contains("The VPC quota is used up."), "{failed}");
    h.wait_for_text("[data-testid=overview-activity]", "deployment.create")
        .await;
    let count = h
        .wait_for("[data-testid=overview-count-failed]")
        .await
        .text()
        .await
        .unwrap();
    assert!(count.starts_with("1 Failed"), "{count}");
    screenshot(&h, "en-1280", 1280).await;

    // The count leads to the project's list narrowed to the status.
    h.click("[data-testid=overview-count-failed]").await;
    h.wait_for_location(&format!("/deployments?project={project}&status=failed"))
        .await;
    h.wait_for_text("[data-testid=deployments-table]", "edge")
        .await;
    h.count_stays(
        "only the failed deployment is listed",
        "[data-testid=deployments-table] tbody tr",
        1,
        std::time::Duration::from_millis(500),
    )
    .await;
    let chosen = h
        .browser
        .execute(
            "return document.querySelector('[data-testid=deployments-status]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, "failed");

    // Both languages, and a phone-sized screen.
    h.open("/overview").await;
    h.choose("[data-testid=language-select]", "简体中文").await;
    h.wait_for_text("[data-testid=overview-attention]", "需要处理")
        .await;
    h.wait_for_text("[data-testid=overview-count-failed]", "失败")
        .await;
    screenshot(&h, "zh-1280", 1280).await;
    h.browser.set_window_size(360, 900).await.unwrap();
    h.wait_for_text("[data-testid=overview-attention]", "需要处理")
        .await;
    assert!(
        overflow(&h).await <= 0,
        "the Overview scrolls sideways at 360 px"
    );
    screenshot(&h, "zh-360", 360).await;
    // At 360 px the language switch sits behind the header's menu.
    h.browser.set_window_size(1280, 900).await.unwrap();
    h.choose("[data-testid=language-select]", "English").await;
    h.wait_for_text("[data-testid=overview-attention]", "Needs attention")
        .await;
    h.browser.set_window_size(360, 900).await.unwrap();
    h.wait_for_text("[data-testid=overview-attention]", "Needs attention")
        .await;
    assert!(
        overflow(&h).await <= 0,
        "the Overview scrolls sideways at 360 px"
    );
    screenshot(&h, "en-360", 360).await;
    h.stop().await;
}
