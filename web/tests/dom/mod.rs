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

/// Lets Leptos run its scheduled effects (rendering is asynchronous in 0.8).
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
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
