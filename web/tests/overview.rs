//! Component tests in headless Chromium: the Overview's parts — counts that link to the filtered
//! list, the attention list with its "and N more", expired keys called out, recent activity —
//! in both languages.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dom;

use byoc_core::api::{
    Attention, AuditEntry, DeploymentRef, ExpiringKey, ExpiringToken, ProjectStatusCounts,
    StatusCount, WaitingPrivateLink,
};
use byoc_core::lang::Lang;
use byoc_web::i18n::I18n;
use byoc_web::pages::overview::activity::RecentActivity;
use byoc_web::pages::overview::attention::AttentionList;
use byoc_web::pages::overview::counts::StatusCounts;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn projects() -> Vec<ProjectStatusCounts> {
    let count = |status: &str, count| StatusCount {
        status: status.into(),
        count,
    };
    vec![
        ProjectStatusCounts {
            project_id: "prj-1".into(),
            project_name: "iot".into(),
            counts: vec![count("running", 12), count("failed", 2)],
        },
        ProjectStatusCounts {
            project_id: "prj-2".into(),
            project_name: "lab".into(),
            counts: vec![],
        },
    ]
}

fn links(root: &web_sys::HtmlElement, css: &str) -> Vec<(String, String, String)> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| {
            let a: web_sys::HtmlElement = list.item(i).unwrap().unchecked_into();
            (
                a.get_attribute("href").unwrap_or_default(),
                a.text_content().unwrap_or_default().trim().to_owned(),
                a.get_attribute("aria-label").unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn every_count_links_to_its_projects_list_narrowed_to_the_status() {
    let root = dom::container();
    let i18n = I18n::with(Lang::En);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        view! { <StatusCounts projects=projects() /> }
    });
    dom::appears(&root, "[data-testid=overview-count-failed]").await;
    // The project is part of each link's name (hidden text after the visible words, so what
    // is announced starts with what is shown).
    assert_eq!(
        links(&root, ".bc-overview__count"),
        [
            (
                "/deployments?project=prj-1&status=running".to_owned(),
                "12 Running in iot".to_owned(),
                String::new()
            ),
            (
                "/deployments?project=prj-1&status=failed".to_owned(),
                "2 Failed in iot".to_owned(),
                String::new()
            ),
        ]
    );
    assert_eq!(
        dom::text_of(&root, ".bc-overview__count .bc-visually-hidden").unwrap(),
        " in iot"
    );
    let projects = links(&root, ".bc-overview__project-name");
    assert_eq!(projects[1].0, "/deployments?project=prj-2");
    assert_eq!(projects[1].2, "All deployments of lab");
    assert!(
        dom::text_of(&root, "[data-testid=overview-project]:nth-child(2)")
            .unwrap()
            .contains("No deployments")
    );

    i18n.set(Lang::ZhCn);
    dom::until("the counts in Chinese", || {
        links(&root, ".bc-overview__count")[0].1 == "12 运行中（项目 iot）"
    })
    .await;
}

#[wasm_bindgen_test]
async fn no_projects_says_how_to_get_one() {
    let root = dom::container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! { <StatusCounts projects=vec![] /> }
    });
    let hint = dom::appears(&root, "[data-testid=overview-no-projects]").await;
    assert!(hint
        .text_content()
        .unwrap()
        .contains("An owner can add you"));
}

fn attention() -> Attention {
    Attention {
        failed: vec![DeploymentRef {
            deployment_id: "dep-1".into(),
            deployment_name: "edge".into(),
            project_id: "prj-1".into(),
            project_name: "iot".into(),
            reason: Some("Quota exceeded for VPCs".into()),
            updated_at: "2026-12-01T10:00:00Z".parse().unwrap(),
        }],
        failed_total: 13,
        privatelinks_waiting: vec![WaitingPrivateLink {
            deployment_id: "dep-2".into(),
            deployment_name: "core".into(),
            project_id: "prj-1".into(),
            privatelink_id: "pl-1".into(),
            service_id: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".into(),
            created_at: "2026-12-01T10:00:00Z".parse().unwrap(),
        }],
        privatelinks_waiting_total: 1,
        keys_expiring: vec![
            ExpiringKey {
                deployment_id: "dep-3".into(),
                deployment_name: "old".into(),
                project_id: "prj-1".into(),
                operation: "create".into(),
                expires_at: "2026-12-01T09:00:00Z".parse().unwrap(),
                expired: true,
            },
            ExpiringKey {
                deployment_id: "dep-4".into(),
                deployment_name: "soon".into(),
                project_id: "prj-1".into(),
                operation: "stop".into(),
                expires_at: "2026-12-01T11:00:00Z".parse().unwrap(),
                expired: false,
            },
        ],
        keys_expiring_total: 2,
        tokens_expiring: vec![ExpiringToken {
            token_id: "tok-1".into(),
            name: "ci".into(),
            expires_at: "2026-12-05T00:00:00Z".parse().unwrap(),
        }],
    }
}

#[wasm_bindgen_test]
async fn the_attention_list_names_each_item_links_to_it_and_counts_the_rest() {
    let root = dom::container();
    let i18n = I18n::with(Lang::En);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        view! { <AttentionList attention=attention() /> }
    });
    let failed = dom::appears(&root, "[data-testid=attention-failed-group]").await;
    let text = failed.text_content().unwrap();
    assert!(text.contains("Failed deployments (13)"), "{text}");
    assert!(text.contains("edge in iot"), "{text}");
    assert!(text.contains("Quota exceeded for VPCs"), "{text}");
    assert!(text.contains("and 12 more"), "{text}");
    assert_eq!(links(&failed, "a")[0].0, "/deployments/dep-1");

    let links_group = dom::find(&root, "[data-testid=attention-privatelinks-group]").unwrap();
    assert_eq!(
        links(&links_group, "a")[0].0,
        "/deployments/dep-2?tab=network"
    );
    assert!(!links_group.text_content().unwrap().contains("more"));

    let keys = root
        .query_selector_all("[data-testid=attention-key]")
        .unwrap();
    let key = |i| -> web_sys::Element { keys.item(i).unwrap().unchecked_into() };
    assert_eq!(key(0).get_attribute("data-expired").unwrap(), "true");
    assert!(key(0)
        .text_content()
        .unwrap()
        .contains("the key has expired"));
    assert!(key(1)
        .text_content()
        .unwrap()
        .contains("Stop: the key expires at"));
    assert!(key(1).query_selector("time").unwrap().is_some());
    assert!(dom::text_of(&root, "[data-testid=attention-token]")
        .unwrap()
        .contains("ci · expires at"));
    assert!(dom::find(&root, "[data-testid=attention-none]").is_none());

    i18n.set(Lang::ZhCn);
    dom::until("the list in Chinese", || {
        dom::text_of(&root, "[data-testid=attention-failed-group]")
            .is_some_and(|t| t.contains("失败的部署 (13)") && t.contains("以及另外 12 项"))
    })
    .await;
    assert!(key(0).text_content().unwrap().contains("密钥已过期"));
}

#[wasm_bindgen_test]
async fn nothing_to_do_is_said_plainly() {
    let root = dom::container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! { <AttentionList attention=Attention::default() /> }
    });
    let none = dom::appears(&root, "[data-testid=attention-none]").await;
    assert_eq!(none.text_content().unwrap(), "Nothing needs attention.");
    assert!(dom::find(&root, ".bc-overview__group").is_none());
}

#[wasm_bindgen_test]
async fn recent_activity_lists_entries_and_links_to_the_log() {
    let root = dom::container();
    let entry = AuditEntry {
        id: 7,
        at: "2026-12-01T10:00:00Z".parse().unwrap(),
        actor_kind: "user".into(),
        actor_id: Some("usr-1".into()),
        actor_name: "admin".into(),
        action: "deployment.create".into(),
        target_kind: "deployment".into(),
        target_id: Some("dep-1".into()),
        project_id: Some("prj-1".into()),
        outcome: "success".into(),
        request_id: "req-1".into(),
        source: "127.0.0.1".into(),
        detail: String::new(),
        repeats: 0,
    };
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! { <RecentActivity entries=vec![entry] /> }
    });
    let item = dom::appears(&root, "[data-testid=overview-activity-item]").await;
    let text = item.text_content().unwrap();
    assert!(
        text.contains("admin · deployment.create · deployment dep-1"),
        "{text}"
    );
    assert_eq!(links(&root, "a")[0].0, "/audit");
}
