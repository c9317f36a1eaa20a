//! Component tests in headless Chromium: the TLS checker on the committed fixture chain, pasted
//! and picked as files — a failure (wrong domain), the pass state, the language switch, the
//! 1 MiB limit, and that what it hands its parent never holds the key.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::lang::Lang;
use byoc_core::tls::MAX_INPUT_BYTES;
use byoc_web::components::tls_checker::{CheckedCertificate, TlsChecker};
use byoc_web::crypto::{local, Crypto};
use byoc_web::i18n::I18n;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, container, until};

const CHAIN: &str = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../../core/tests/fixtures/tls/browser/key.pem");

fn find(root: &web_sys::HtmlElement, css: &str) -> web_sys::HtmlElement {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into()
}

fn text_of(root: &web_sys::HtmlElement, css: &str) -> String {
    find(root, css).text_content().unwrap_or_default()
}

/// The outcome an element shows, if it is there yet.
fn outcome(root: &web_sys::HtmlElement, css: &str) -> Option<String> {
    dom::find(root, css).and_then(|e| e.get_attribute("data-outcome"))
}

fn outcome_of(root: &web_sys::HtmlElement, css: &str) -> String {
    find(root, css)
        .get_attribute("data-outcome")
        .unwrap_or_default()
}

/// Sets a text field or textarea as typing or pasting would.
fn type_into(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let el = find(root, css);
    if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        el.unchecked_ref::<web_sys::HtmlInputElement>()
            .set_value(value);
    }
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Chooses a file in a file input, as the picker would.
fn pick_file(root: &web_sys::HtmlElement, css: &str, name: &str, content: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = find(root, css).unchecked_into();
    input.set_files(transfer.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

struct Mounted {
    root: web_sys::HtmlElement,
    i18n: I18n,
    told: RwSignal<Vec<CheckedCertificate>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// The checker at the fixture's pinned time (its certificates are valid 2029–2031).
fn mount() -> Mounted {
    mount_with(|| Crypto::in_place(local::answer))
}

fn mount_with(crypto: impl FnOnce() -> Crypto + 'static) -> Mounted {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let told = RwSignal::new(Vec::new());
    let now: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        // Core's answers computed on the page; the worker itself is tested end to end.
        crypto().provide();
        view! {
            <TlsChecker
                now=Signal::stored(now)
                on_change=move |c: CheckedCertificate| told.update(|t| t.push(c))
            />
        }
        .into_any()
    });
    Mounted {
        root,
        i18n,
        told,
        _handle: handle,
    }
}

impl Mounted {
    fn last(&self) -> CheckedCertificate {
        self.told.with_untracked(|t| t.last().cloned().unwrap())
    }

    /// How many outcomes the parent was told of.
    fn told(&self) -> usize {
        self.told.with_untracked(Vec::len)
    }
}

#[wasm_bindgen_test]
async fn a_wrong_domain_fails_and_the_right_one_passes() {
    let m = mount();
    appears(&m.root, "[data-testid=tls-key-note]").await;
    until("the first outcome told to the parent", || m.told() > 0).await;
    assert!(text_of(&m.root, "[data-testid=tls-key-note]").contains("never uploaded"));
    assert!(!m.last().passed, "nothing entered yet");

    type_into(&m.root, "#tls-cert", CHAIN);
    type_into(&m.root, "#tls-key", KEY);
    type_into(&m.root, "#tls-domain", "broker.example.org");
    until("a verdict on the chain, told to the parent", || {
        outcome(&m.root, "[data-testid=tls-verdict]").is_some() && m.told() > 1
    })
    .await;
    assert_eq!(
        outcome_of(&m.root, "[data-testid=tls-check-domain_match]"),
        "fail"
    );
    assert_eq!(outcome_of(&m.root, "[data-testid=tls-verdict]"), "fail");
    assert!(text_of(&m.root, "[data-testid=tls-check-domain_match]").contains("broker.example.org"));
    assert!(text_of(&m.root, "[data-testid=tls-verdict]").contains("1 check(s) failed"));
    // Every other check still passes: only the domain is wrong.
    assert_eq!(
        outcome_of(&m.root, "[data-testid=tls-check-key_matches_cert]"),
        "pass"
    );
    assert!(!m.last().passed);

    let told = m.told();
    type_into(&m.root, "#tls-domain", "mqtt.example.com");
    until("a verdict on the right domain, told to the parent", || {
        outcome(&m.root, "[data-testid=tls-verdict]").as_deref() != Some("fail") && m.told() > told
    })
    .await;
    assert_eq!(outcome_of(&m.root, "[data-testid=tls-verdict]"), "pass");
    let rows = m
        .root
        .query_selector_all("[data-testid=tls-report] tbody tr")
        .unwrap()
        .length();
    assert_eq!(rows, 13);
    assert_eq!(
        m.root
            .query_selector_all("[data-testid=tls-report] tbody tr[data-outcome=pass]")
            .unwrap()
            .length(),
        13
    );
    assert_eq!(
        text_of(&m.root, "[data-testid=tls-subject]"),
        "CN=mqtt.example.com"
    );
    assert_eq!(text_of(&m.root, "[data-testid=tls-days-left]"), "365");
    assert_eq!(text_of(&m.root, "[data-testid=tls-chain-length]"), "3");
    assert_eq!(
        text_of(&m.root, "[data-testid=tls-key-type]"),
        "RSA 2048 bits"
    );
    assert!(text_of(&m.root, "[data-testid=tls-fingerprint]").starts_with("56:00:6B:A2"));

    let told = m.last();
    assert!(told.passed);
    let bundle = told.bundle.unwrap();
    assert_eq!(bundle.matches("BEGIN CERTIFICATE").count(), 3);
    assert!(!bundle.contains("PRIVATE KEY"));
    assert_eq!(told.summary.unwrap().subject, "CN=mqtt.example.com");
    assert!(
        m.told.get_untracked().iter().all(|c| c
            .bundle
            .as_deref()
            .is_none_or(|b| !b.contains("PRIVATE KEY"))),
        "no outcome ever carried the key"
    );

    // The messages follow the language.
    m.i18n.set(Lang::ZhCn);
    until("the checks in Chinese", || {
        !text_of(&m.root, "[data-testid=tls-check-domain_match]").is_ascii()
    })
    .await;
    assert!(text_of(&m.root, "[data-testid=tls-check-domain_match]").contains("证书包含域名"));
    m.i18n.set(Lang::En);
}

#[wasm_bindgen_test]
async fn one_combined_file_picked_from_disk_passes() {
    let m = mount();
    pick_file(
        &m.root,
        "[data-testid=tls-cert-file]",
        "combined.pem",
        &format!("{CHAIN}{KEY}"),
    );
    type_into(&m.root, "#tls-domain", "mqtt.example.com");
    until("the file read and judged, told to the parent", || {
        outcome(&m.root, "[data-testid=tls-verdict]").is_some() && m.told() > 1
    })
    .await;
    assert!(find(&m.root, "#tls-cert")
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
        .contains("BEGIN CERTIFICATE"));
    assert_eq!(outcome_of(&m.root, "[data-testid=tls-verdict]"), "pass");
    assert!(
        text_of(&m.root, "[data-testid=tls-check-private_key_present]")
            .contains("certificate file")
    );
    let told = m.last();
    assert!(told.passed);
    assert!(!told.bundle.unwrap().contains("PRIVATE KEY"));
}

#[wasm_bindgen_test]
async fn a_file_over_one_mebibyte_is_refused_unread() {
    let m = mount();
    type_into(&m.root, "#tls-key", "left over");
    pick_file(
        &m.root,
        "[data-testid=tls-key-file]",
        "huge.pem",
        &"A".repeat(MAX_INPUT_BYTES + 1),
    );
    until("the refusal, and an outcome told to the parent", || {
        !text_of(&m.root, "[data-testid=tls-key-error]").is_empty() && m.told() > 0
    })
    .await;
    let error = text_of(&m.root, "[data-testid=tls-key-error]");
    assert!(error.contains("1 MiB"), "{error}");
    assert!(error.contains("key file"), "{error}");
    let key = find(&m.root, "#tls-key").unchecked_into::<web_sys::HtmlTextAreaElement>();
    assert_eq!(
        key.value(),
        "",
        "the refused file replaced nothing with its content"
    );
    assert!(!m.last().passed);
}

/// A worker that cannot start (here: its loader is missing, as after a deployment replaced the
/// files) is an error on the page, and the certificate does not count as checked.
#[wasm_bindgen_test]
async fn a_checker_that_cannot_start_is_shown_as_an_error() {
    let m = mount_with(|| Crypto::worker_at("/no-such-crypto-loader.js"));
    appears(&m.root, "[data-testid=tls-key-note]").await;
    type_into(&m.root, "#tls-cert", CHAIN);
    type_into(&m.root, "#tls-domain", "mqtt.example.com");
    let alert = appears(&m.root, "[data-testid=tls-unavailable]").await;
    assert!(
        alert
            .text_content()
            .unwrap()
            .contains("could not be started"),
        "{:?}",
        alert.text_content()
    );
    assert!(find_opt(&m.root, "[data-testid=tls-running]").is_none());
    let last = m.last();
    assert!(
        last.provided && !last.passed && last.bundle.is_none(),
        "{last:?}"
    );

    // Typing again tries a fresh worker, which fails the same way rather than hanging.
    type_into(&m.root, "#tls-domain", "mqtt.example.org");
    until("the error again after a new attempt", || {
        find_opt(&m.root, "[data-testid=tls-unavailable]").is_some()
            && find_opt(&m.root, "[data-testid=tls-running]").is_none()
    })
    .await;
}

fn find_opt(root: &web_sys::HtmlElement, css: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(css)
        .unwrap()
        .map(JsCast::unchecked_into)
}
