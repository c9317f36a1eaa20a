//! Component tests in headless Chromium: the licence upload form verifies in the browser with the
//! vendor key, shows the exact error in the user's language (a licence signed by another key,
//! text that is no licence) and sends nothing; a good licence is confirmed, then installed.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_web::crypto::{local, Crypto};
use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::api::{LicenceSource, LicenceView};
use byoc_core::lang::Lang;
use byoc_core::licence::{issue, public_key_pem, LicencePayload, LicenceType, SigningKey};
use byoc_web::api::ApiError;
use byoc_web::i18n::I18n;
use byoc_web::pages::licence::upload::LicenceUploadForm;
use chrono::{Duration, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, container, find, stays, text_of, until};

fn paste(root: &web_sys::HtmlElement, text: &str) {
    let area: web_sys::HtmlTextAreaElement = find(root, "#licence-text").unwrap().unchecked_into();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn review_button(root: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    find(root, "[data-testid=licence-review]")
        .unwrap()
        .unchecked_into()
}

fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn payload() -> LicencePayload {
    let now = Utc::now();
    LicencePayload {
        id: "LIC-2026-000777".into(),
        kind: LicenceType::Formal,
        issued_to: "Example Ltd".into(),
        issuer_email: "licences@vendor.example".into(),
        issued_at: now - Duration::days(1),
        valid_from: now - Duration::days(1),
        valid_until: now + Duration::days(365),
        max_sessions: 10_000,
        max_tps: 5_000,
        core_size: 32,
    }
}

fn installed(payload: &LicencePayload) -> LicenceView {
    let now = Utc::now();
    LicenceView {
        source: LicenceSource::Installed,
        licence: payload.clone(),
        status: payload.status(now),
        days_left: payload.days_left(now),
        usage: payload.usage(&[]),
        installed_at: Some(now),
        public_key_configured: true,
        version: 1,
    }
}

struct Mounted {
    root: web_sys::HtmlElement,
    i18n: I18n,
    sent: Rc<RefCell<Vec<String>>>,
    done: RwSignal<Option<LicenceView>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// The form with the vendor's public key, and a "server" that installs whatever it is sent.
fn mount() -> Mounted {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let sent = Rc::new(RefCell::new(Vec::new()));
    let done = RwSignal::new(None);
    let log = sent.clone();
    let key = public_key_pem(&vendor().verifying_key());
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        // Core's answers computed on the page; the worker itself is tested end to end.
        Crypto::in_place(local::answer).provide();
        let log = log.clone();
        let action = Action::new_local(move |line: &String| {
            log.borrow_mut().push(line.clone());
            async move { Ok::<_, ApiError>(installed(&payload())) }
        });
        view! {
            <LicenceUploadForm
                public_key=Signal::stored(Some(key.clone()))
                action=action
                on_installed=move |v| done.set(Some(v))
            />
        }
        .into_any()
    });
    Mounted {
        root,
        i18n,
        sent,
        done,
        _handle: handle,
    }
}

#[wasm_bindgen_test]
async fn a_licence_signed_by_another_key_is_refused_in_the_browser_with_the_exact_error() {
    let m = mount();
    appears(&m.root, "[data-testid=licence-review]").await;
    assert!(review_button(&m.root).disabled(), "nothing to install yet");

    let forged = issue(&payload(), &SigningKey::from_bytes(&[9u8; 32])).unwrap();
    paste(&m.root, &forged);
    appears(&m.root, "[data-testid=licence-error]").await;
    let error = text_of(&m.root, "[data-testid=licence-error]").unwrap();
    assert_eq!(
        error,
        "the signature does not match: the licence was altered, or signed by another vendor key"
    );
    assert!(find(&m.root, "[data-testid=licence-verified]").is_none());
    assert!(review_button(&m.root).disabled());

    // Submitting anyway (Enter in the form) sends nothing.
    let form: web_sys::HtmlFormElement = find(&m.root, "[data-testid=licence-upload]")
        .unwrap()
        .unchecked_into();
    form.request_submit().unwrap();
    stays("nothing reached the server", || m.sent.borrow().is_empty()).await;

    // The same error in Chinese, from `core`'s own wording.
    m.i18n.set(Lang::ZhCn);
    until("the error in Chinese", || {
        text_of(&m.root, "[data-testid=licence-error]").is_some_and(|e| !e.is_ascii())
    })
    .await;
    assert_eq!(
        text_of(&m.root, "[data-testid=licence-error]").unwrap(),
        "签名不匹配：许可证已被修改，或由其他供应商密钥签发"
    );
    m.i18n.set(Lang::En);
    until("the error in English again", || {
        text_of(&m.root, "[data-testid=licence-error]").is_some_and(|e| e == error)
    })
    .await;

    // Text that is no licence at all is named as such.
    paste(&m.root, "hello");
    until("another error", || {
        text_of(&m.root, "[data-testid=licence-error]").is_some_and(|e| e != error)
    })
    .await;
    assert!(text_of(&m.root, "[data-testid=licence-error]")
        .unwrap()
        .contains("byoc-lic-v1."));
    assert!(m.sent.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn an_expired_licence_is_refused_before_upload() {
    let m = mount();
    let mut old = payload();
    old.valid_from = Utc::now() - Duration::days(400);
    old.valid_until = Utc::now() - Duration::days(35);
    paste(&m.root, &issue(&old, &vendor()).unwrap());
    appears(&m.root, "[data-testid=licence-error]").await;
    assert!(text_of(&m.root, "[data-testid=licence-error]")
        .unwrap()
        .contains("expired on"));
    assert!(review_button(&m.root).disabled());
}

#[wasm_bindgen_test]
async fn a_verified_licence_is_confirmed_then_installed() {
    let m = mount();
    let line = issue(&payload(), &vendor()).unwrap();
    paste(&m.root, &format!("{line}\n"));
    until("the licence verified, and Review enabled", || {
        find(&m.root, "[data-testid=licence-preview]").is_some()
            && !review_button(&m.root).disabled()
    })
    .await;
    assert!(find(&m.root, "[data-testid=licence-error]").is_none());
    let preview = text_of(&m.root, "[data-testid=licence-preview]").unwrap();
    assert!(preview.contains("LIC-2026-000777"), "{preview}");
    assert!(preview.contains("10,000"), "{preview}");
    assert!(preview.contains("Formal"), "{preview}");

    review_button(&m.root).click();
    let dialog = find(&m.root, "[data-testid=install-licence]").unwrap();
    let open = || dialog.unchecked_ref::<web_sys::HtmlDialogElement>().open();
    until("the confirmation to open", || {
        open() && find(&m.root, "[data-testid=install-licence-facts]").is_some()
    })
    .await;
    let facts = text_of(&m.root, "[data-testid=install-licence-facts]").unwrap();
    assert!(facts.contains("LIC-2026-000777"), "{facts}");
    stays("nothing is sent before the confirmation", || {
        m.sent.borrow().is_empty()
    })
    .await;

    find(&m.root, "[data-testid=install-licence-confirm]")
        .unwrap()
        .click();
    until("the licence installed and the confirmation closed", || {
        m.done.with_untracked(Option::is_some) && !open()
    })
    .await;
    assert_eq!(*m.sent.borrow(), vec![line]);
    assert_eq!(
        m.done.get_untracked().unwrap().licence.id,
        "LIC-2026-000777"
    );
    assert!(!open());
}
