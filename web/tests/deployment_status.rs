//! Component tests in headless Chromium: every deployment status has a badge with its own words
//! in both languages, and the pure pieces deployments pages build on (paths, the key's clock).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Status;
use byoc_web::components::deployment_status::{DeploymentStatusBadge, ProgressSummary};
use byoc_web::i18n::{labels, I18n};
use byoc_web::pages::deployments::detail::clock;
use byoc_web::routes::Route;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, container, find, text_of, until};

#[wasm_bindgen_test]
async fn every_status_has_a_translated_badge() {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        Status::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <div data-testid=format!("badge-{}", s.code())>
                        <DeploymentStatusBadge status=s />
                    </div>
                }
            })
            .collect_view()
    });
    let badge_text = |s: Status| {
        text_of(
            &root,
            &format!("[data-testid=badge-{}] .bc-status", s.code()),
        )
    };
    until("every badge", || {
        Status::ALL.into_iter().all(|s| badge_text(s).is_some())
    })
    .await;
    let read = |lang: Lang| -> Vec<String> {
        Status::ALL
            .into_iter()
            .map(|s| {
                let badge = find(
                    &root,
                    &format!("[data-testid=badge-{}] .bc-status", s.code()),
                )
                .unwrap();
                assert_eq!(badge.get_attribute("data-status").unwrap(), s.code());
                let text = badge.text_content().unwrap();
                assert_eq!(
                    text,
                    labels::deployment_status(s).text(lang),
                    "{s:?} in {lang:?}"
                );
                assert!(!text.trim().is_empty(), "{s:?} in {lang:?}");
                text
            })
            .collect()
    };
    let english = read(Lang::En);
    i18n.lang.set(Lang::ZhCn);
    until("every badge to change language", || {
        Status::ALL
            .into_iter()
            .zip(&english)
            .all(|(s, en)| badge_text(s).is_some_and(|t| t != *en))
    })
    .await;
    let chinese = read(Lang::ZhCn);
    for (en, zh) in english.iter().zip(&chinese) {
        assert_ne!(en, zh, "translated, not copied");
        assert!(!zh.is_ascii(), "{zh}");
    }
    // Nine states, nine different words: no two statuses read the same.
    assert_eq!(
        english.iter().collect::<HashSet<_>>().len(),
        Status::ALL.len()
    );
    assert_eq!(
        chinese.iter().collect::<HashSet<_>>().len(),
        Status::ALL.len()
    );
    assert_eq!(english[0], "Waiting for deployment");
}

#[wasm_bindgen_test]
async fn progress_says_the_phase_and_percent_or_that_the_toolkit_is_awaited() {
    let root = container();
    let phase = RwSignal::new(None::<String>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! { <ProgressSummary percent=Signal::stored(40) phase=phase testid="progress" /> }
    });
    appears(&root, ".bc-progress__text").await;
    assert_eq!(
        text_of(&root, ".bc-progress__text").unwrap(),
        "Waiting for the toolkit"
    );
    phase.set(Some("load_balancer".into()));
    until("the phase instead of the wait", || {
        text_of(&root, ".bc-progress__text").is_some_and(|t| t != "Waiting for the toolkit")
    })
    .await;
    assert_eq!(
        text_of(&root, ".bc-progress__text").unwrap(),
        "Load balancer: 40 %"
    );
    let bar = find(&root, "[role=progressbar]").unwrap();
    assert_eq!(bar.get_attribute("aria-valuenow").unwrap(), "40");
}

#[wasm_bindgen_test]
fn deployment_paths_come_from_the_route_table() {
    assert_eq!(Route::deployments_of("p1"), "/deployments?project=p1");
    assert_eq!(
        Route::new_deployment("p 1"),
        "/deployments/new?project=p%201"
    );
    assert_eq!(Route::deployment("dep/1"), "/deployments/dep%2F1");
    assert!(Route::Deployments.is_built());
}

#[wasm_bindgen_test]
fn the_key_countdown_reads_as_a_clock() {
    assert_eq!(clock(3_600), "1:00:00");
    assert_eq!(clock(3_599), "59:59");
    assert_eq!(clock(61), "01:01");
    assert_eq!(clock(0), "00:00");
    assert_eq!(clock(-5), "00:00");
}
