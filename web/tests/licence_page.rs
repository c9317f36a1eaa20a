//! Component tests in headless Chromium: the pieces of the Licence page that decide what a
//! person is warned about — usage bars in the warning style from 70 %, and the banner for a
//! licence expiring soon, expired, not yet valid or only the default one.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::api::{LicenceSource, LicenceView};
use byoc_core::lang::Lang;
use byoc_core::licence::{default_licence, DeploymentUse, LicencePayload};
use byoc_web::i18n::I18n;
use byoc_web::pages::licence::banner::attention;
use byoc_web::pages::licence::usage::UsageBars;
use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn licence() -> LicencePayload {
    let mut l = default_licence(at("2026-01-01T00:00:00Z"));
    l.id = "LIC-2026-000123".into();
    l.valid_until = at("2027-01-01T00:00:00Z");
    l.max_sessions = 10_000;
    l.max_tps = 5_000;
    l.core_size = 32;
    l
}

fn view_at(payload: LicencePayload, source: LicenceSource, now: DateTime<Utc>) -> LicenceView {
    LicenceView {
        source,
        status: payload.status(now),
        days_left: payload.days_left(now),
        usage: payload.usage(&[]),
        installed_at: None,
        public_key_configured: true,
        version: 0,
        licence: payload,
    }
}

#[wasm_bindgen_test]
fn the_banner_speaks_up_only_when_the_licence_needs_attention() {
    let installed = |now| view_at(licence(), LicenceSource::Installed, at(now));
    assert_eq!(
        attention(&installed("2026-06-01T00:00:00Z"), Lang::En),
        None
    );

    let (text, error) = attention(&installed("2026-12-01T00:00:00Z"), Lang::En).unwrap();
    assert!(!error);
    assert!(text.contains("expires in 31 days (2027-01-01)"), "{text}");

    let (text, error) = attention(&installed("2027-02-01T00:00:00Z"), Lang::En).unwrap();
    assert!(error);
    assert!(text.contains("expired on 2027-01-01"), "{text}");

    let (text, error) = attention(&installed("2025-12-01T00:00:00Z"), Lang::ZhCn).unwrap();
    assert!(error);
    assert!(text.contains("2026-01-01 起才生效"), "{text}");

    let start = at("2026-11-20T00:00:00Z");
    let default = view_at(
        default_licence(start),
        LicenceSource::Default,
        start + Duration::days(1),
    );
    let (text, error) = attention(&default, Lang::En).unwrap();
    assert!(!error);
    assert!(text.contains("25 sessions, 13 days left"), "{text}");
}

#[wasm_bindgen_test]
async fn usage_bars_turn_to_the_warning_style_at_seventy_percent() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    // 7,000 of 10,000 sessions is exactly 70 %; 3,000 of 5,000 TPS is 60 %; 40 of 32 vCPUs 125 %.
    let usage = licence().usage(&[DeploymentUse {
        sessions: 7_000,
        tps: 3_000,
        vcpu: 40,
    }]);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! { <UsageBars usage=usage /> }
    });
    gloo_timers::future::TimeoutFuture::new(20).await;
    let line = |id: &str| {
        root.query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap()
    };
    let warns = |id: &str| line(id).get_attribute("data-warn").unwrap();
    assert_eq!(warns("usage-sessions"), "true");
    assert_eq!(warns("usage-tps"), "false");
    assert_eq!(warns("usage-cores"), "true");
    assert!(line("usage-sessions")
        .query_selector(".bc-usage__bar--warn")
        .unwrap()
        .is_some());
    assert!(line("usage-sessions")
        .text_content()
        .unwrap()
        .contains("7,000 of 10,000 (70 %)"));
    // The bar stops at full; the figure says how far over the licence is.
    let cores = line("usage-cores");
    assert!(cores.text_content().unwrap().contains("40 of 32 (125 %)"));
    let meter = cores.query_selector("[role=meter]").unwrap().unwrap();
    assert_eq!(meter.get_attribute("aria-valuenow").unwrap(), "100");
}
