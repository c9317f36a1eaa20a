//! Component tests in headless Chromium: the sign-in form with a simulated server behind its
//! injected action (wrong credentials, a throttled attempt, a slow success).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::api::ProblemCode;
use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::access::OrgRole;
use byoc_core::api::{Me, Problem, SignInRequest, User};
use byoc_core::lang::Lang;
use byoc_web::api::ApiError;
use byoc_web::components::sign_in_form::{sign_in_error, SignInAction, SignInForm};
use byoc_web::i18n::I18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{container, find, text_of};

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

fn type_into(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let input: web_sys::HtmlInputElement = find(root, css).unwrap().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn value_of(root: &web_sys::HtmlElement, css: &str) -> String {
    find(root, css)
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn submit_button(root: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    find(root, "[data-testid=sign-in-submit]")
        .unwrap()
        .unchecked_into()
}

fn problem(status: u16, code: ProblemCode) -> Problem {
    Problem {
        kind: "about:blank".into(),
        title: code.as_str().into(),
        status,
        code,
        detail: None,
        errors: vec![],
        request_id: None,
        current_version: None,
        allowed_actions: vec![],
    }
}

fn admin() -> Me {
    Me {
        user: User {
            id: "u1".into(),
            username: "admin".into(),
            org_role: OrgRole::Owner,
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            version: 1,
        },
        projects: vec![],
        via: "session".into(),
    }
}

struct Mounted {
    root: web_sys::HtmlElement,
    i18n: I18n,
    /// What the form asked the "server".
    sent: Rc<RefCell<Vec<SignInRequest>>>,
    signed_in: RwSignal<Option<Me>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Mounts the form with an action that answers `outcome` after `delay_ms`.
fn mount(outcome: Result<Me, ApiError>, delay_ms: u32) -> Mounted {
    let root = container();
    let i18n = I18n::with(Lang::En);
    let sent = Rc::new(RefCell::new(Vec::new()));
    let signed_in = RwSignal::new(None);
    let log = sent.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        let log = log.clone();
        let outcome = outcome.clone();
        let action: SignInAction = Action::new_local(move |request: &SignInRequest| {
            log.borrow_mut().push(request.clone());
            let outcome = outcome.clone();
            async move {
                sleep(delay_ms).await;
                outcome
            }
        });
        view! { <SignInForm action=action on_signed_in=move |me| signed_in.set(Some(me)) /> }
            .into_any()
    });
    Mounted {
        root,
        i18n,
        sent,
        signed_in,
        _handle: handle,
    }
}

fn fill_in(m: &Mounted, username: &str, password: &str) {
    type_into(&m.root, "#sign-in-username", username);
    type_into(&m.root, "#sign-in-password", password);
}

#[wasm_bindgen_test]
async fn wrong_credentials_show_one_inline_alert_that_does_not_say_which_was_wrong() {
    let m = mount(
        Err(ApiError::Unauthorized(Some(problem(
            401,
            ProblemCode::InvalidCredentials,
        )))),
        0,
    );
    sleep(20).await;
    fill_in(&m, " alice ", "not-the-password");
    submit_button(&m.root).click();
    sleep(50).await;

    let error = find(&m.root, "[data-testid=sign-in-error]").expect("an inline error");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        error.text_content().unwrap(),
        "The username or password is incorrect."
    );
    assert_eq!(
        m.sent.borrow().as_slice(),
        [SignInRequest {
            username: "alice".into(),
            password: "not-the-password".into()
        }]
    );
    // The username stays for the next attempt; the password is cleared.
    assert_eq!(value_of(&m.root, "#sign-in-username"), " alice ");
    assert_eq!(value_of(&m.root, "#sign-in-password"), "");
    assert!(m.signed_in.get_untracked().is_none());
}

#[wasm_bindgen_test]
async fn a_throttled_attempt_says_how_long_to_wait_in_the_users_language() {
    let m = mount(
        Err(ApiError::TooManyAttempts {
            retry_after: Some(16),
            problem: Some(problem(429, ProblemCode::TooManyAttempts)),
        }),
        0,
    );
    sleep(20).await;
    fill_in(&m, "alice", "guess-number-six");
    submit_button(&m.root).click();
    sleep(50).await;
    let error = text_of(&m.root, "[data-testid=sign-in-error]").unwrap();
    assert!(error.contains("Try again in 16 s"), "{error}");

    m.i18n.lang.set(Lang::ZhCn);
    sleep(20).await;
    let error = text_of(&m.root, "[data-testid=sign-in-error]").unwrap();
    assert!(error.contains("16 秒"), "{error}");
}

#[wasm_bindgen_test]
async fn submit_is_disabled_while_the_request_is_pending_then_signs_in() {
    let m = mount(Ok(admin()), 300);
    sleep(20).await;
    fill_in(&m, "admin", "test-admin-password-1");
    submit_button(&m.root).click();
    sleep(50).await;
    let button = submit_button(&m.root);
    assert!(button.disabled(), "disabled while pending");
    assert_eq!(button.text_content().unwrap(), "Signing in…");
    // A second click while pending sends nothing more.
    button.click();
    sleep(400).await;
    assert_eq!(m.sent.borrow().len(), 1);
    assert!(!submit_button(&m.root).disabled());
    assert_eq!(m.signed_in.get_untracked(), Some(admin()));
    assert!(find(&m.root, "[data-testid=sign-in-error]").is_none());
}

#[wasm_bindgen_test]
async fn empty_fields_are_pointed_out_without_asking_the_server() {
    let m = mount(Ok(admin()), 0);
    sleep(20).await;
    assert_eq!(text_of(&m.root, "#sign-in-username-error").unwrap(), "");
    submit_button(&m.root).click();
    sleep(50).await;
    assert_eq!(
        text_of(&m.root, "#sign-in-username-error").unwrap(),
        "Enter your username."
    );
    assert_eq!(
        text_of(&m.root, "#sign-in-password-error").unwrap(),
        "Enter your password."
    );
    let input = find(&m.root, "#sign-in-username").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(m.sent.borrow().is_empty());
}

#[wasm_bindgen_test]
fn wait_times_are_whole_seconds_never_zero() {
    let locked = |s| ApiError::TooManyAttempts {
        retry_after: s,
        problem: None,
    };
    // The server throttles for at most 30 s, so the wait is told in seconds.
    assert!(sign_in_error(&locked(Some(17)), Lang::En).contains("in 17 s"));
    assert!(sign_in_error(&locked(Some(0)), Lang::En).contains("in 1 s"));
    assert!(sign_in_error(&locked(None), Lang::En).contains("shortly"));
    assert_eq!(
        sign_in_error(&ApiError::Network("offline".into()), Lang::En),
        byoc_web::i18n::Msg::ErrNetwork.text(Lang::En)
    );
}
