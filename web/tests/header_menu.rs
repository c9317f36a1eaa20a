//! Component tests in headless Chromium: the header's menu on a narrow screen is a disclosure —
//! its button says whether the panel is open, Escape closes it and puts focus back on the button,
//! and choosing a link closes it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::lang::Lang;
use byoc_web::components::header_menu::HeaderMenu;
use byoc_web::i18n::I18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, container, find, until};

type Handle = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

fn mount() -> (web_sys::HtmlElement, Handle) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        view! {
            <HeaderMenu>
                <nav>
                    // Links that go nowhere: the test stays on its page.
                    <a href="#projects" data-testid="link-projects">
                        "Projects"
                    </a>
                    <a href="#tokens" data-testid="link-tokens">
                        "Tokens"
                    </a>
                </nav>
            </HeaderMenu>
        }
        .into_any()
    });
    (root, handle)
}

fn expanded(root: &web_sys::HtmlElement) -> String {
    find(root, "[data-testid=nav-toggle]")
        .unwrap()
        .get_attribute("aria-expanded")
        .unwrap_or_default()
}

fn panel_open(root: &web_sys::HtmlElement) -> bool {
    find(root, "#nav-panel")
        .unwrap()
        .class_list()
        .contains("bc-header__panel--open")
}

fn escape_on(element: &web_sys::HtmlElement) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

fn focused_testid() -> Option<String> {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .and_then(|e| e.get_attribute("data-testid"))
}

#[wasm_bindgen_test]
async fn the_button_controls_the_panel_and_says_whether_it_is_open() {
    let (root, _handle) = mount();
    let button = appears(&root, "[data-testid=nav-toggle]").await;
    assert_eq!(button.tag_name(), "BUTTON");
    assert_eq!(
        button.get_attribute("aria-controls").as_deref(),
        Some("nav-panel")
    );
    assert_eq!(expanded(&root), "false");
    assert!(!panel_open(&root));

    button.click();
    until("the menu to open", || expanded(&root) == "true").await;
    assert!(panel_open(&root));
    button.click();
    until("the menu to close", || expanded(&root) == "false").await;
    assert!(!panel_open(&root));
}

#[wasm_bindgen_test]
async fn escape_closes_the_menu_and_returns_focus_to_its_button() {
    let (root, _handle) = mount();
    let button = appears(&root, "[data-testid=nav-toggle]").await;
    button.click();
    until("the menu to open", || expanded(&root) == "true").await;
    let link = find(&root, "[data-testid=link-tokens]").unwrap();
    link.focus().unwrap();
    assert_eq!(focused_testid().as_deref(), Some("link-tokens"));

    escape_on(&link);
    until("Escape to close the menu", || expanded(&root) == "false").await;
    assert!(!panel_open(&root));
    assert_eq!(
        focused_testid().as_deref(),
        Some("nav-toggle"),
        "focus is back on the menu button"
    );
}

#[wasm_bindgen_test]
async fn choosing_a_link_closes_the_menu() {
    let (root, _handle) = mount();
    let button = appears(&root, "[data-testid=nav-toggle]").await;
    button.click();
    until("the menu to open", || expanded(&root) == "true").await;
    find(&root, "[data-testid=link-projects]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    until("the link to close the menu", || expanded(&root) == "false").await;
    assert!(!panel_open(&root));
}
