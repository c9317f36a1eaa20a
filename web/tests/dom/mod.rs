//! DOM helpers the component tests share: a fresh container per test, waiting for Leptos to
//! render, and finding, reading and operating elements the way a user would.
#![allow(dead_code, clippy::unwrap_used)]

use wasm_bindgen::JsCast;

/// A fresh container per test so tests do not see each other's DOM.
pub fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

/// Lets Leptos run the effects a change scheduled (rendering is asynchronous in 0.8), for a test
/// about to check that something did *not* happen; to wait for something to happen, use
/// [`until`], which waits exactly as long as that takes.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

/// How long [`until`] waits before it gives up: far beyond what any render takes, so a failure
/// means the condition never came true.
const PATIENCE_MS: u32 = 5_000;
const TICK_MS: u32 = 5;

/// Waits until `condition` holds, looking after each short tick; panics naming `what` if it has
/// not after five seconds.
pub async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let mut waited = 0;
    while !condition() {
        assert!(waited < PATIENCE_MS, "waited {PATIENCE_MS} ms for {what}");
        gloo_timers::future::TimeoutFuture::new(TICK_MS).await;
        waited += TICK_MS;
    }
}

/// Waits until the element `css` exists under `root`, and answers it.
pub async fn appears(root: &web_sys::HtmlElement, css: &str) -> web_sys::HtmlElement {
    until(&format!("{css} to appear"), || find(root, css).is_some()).await;
    find(root, css).unwrap()
}

/// Checks that `condition` keeps holding while Leptos runs everything a change scheduled (the
/// waits of [`settle`], twice): for "nothing was sent", "still pending", and the like.
pub async fn stays(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..2 {
        assert!(condition(), "{what} did not hold");
        settle().await;
    }
    assert!(condition(), "{what} did not hold");
}

pub fn find(root: &web_sys::HtmlElement, css: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(css)
        .unwrap()
        .map(JsCast::unchecked_into)
}

pub fn text_of(root: &web_sys::HtmlElement, css: &str) -> Option<String> {
    find(root, css).map(|e| e.text_content().unwrap_or_default())
}

/// Types into an input the way a user does: set the value, fire `input`.
pub fn type_into(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let input: web_sys::HtmlInputElement =
        root.query_selector(css).unwrap().unwrap().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Picks an option of a `<select>` and fires `change`.
pub fn choose(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let select: web_sys::HtmlSelectElement =
        root.query_selector(css).unwrap().unwrap().unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

pub fn click(root: &web_sys::HtmlElement, css: &str) {
    find(root, css).unwrap().click();
}
