//! The API client asks for answers in the user's language: every request, read or change,
//! carries `Accept-Language` with the language chosen in the console, so the server's problem
//! details come in it too. `window.fetch` is replaced by a stub that notes the header.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::lang::Lang;
use byoc_web::api;
use byoc_web::i18n::I18n;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `fetch` with a stub answering `body` with status 200, noting each request's
/// `Accept-Language` in `window.__acceptLanguages`.
fn stub_fetch(body: &str) {
    let window = web_sys::window().unwrap();
    js_sys::Reflect::set(&window, &"__acceptLanguages".into(), &js_sys::Array::new()).unwrap();
    let fetch = js_sys::Function::new_with_args(
        "request",
        &format!(
            "window.__acceptLanguages.push(request.headers.get('accept-language'));
             return Promise.resolve(new Response({body:?}, {{status: 200, headers: {{'content-type': 'application/json'}}}}));"
        ),
    );
    js_sys::Reflect::set(&window, &"fetch".into(), &fetch).unwrap();
}

fn sent() -> Vec<Option<String>> {
    let window = web_sys::window().unwrap();
    let seen: js_sys::Array = js_sys::Reflect::get(&window, &"__acceptLanguages".into())
        .unwrap()
        .into();
    seen.iter().map(|v: JsValue| v.as_string()).collect()
}

#[wasm_bindgen_test]
async fn reads_and_changes_carry_the_users_language() {
    stub_fetch(r#"{"clouds": []}"#);
    let i18n = I18n::with(Lang::En);
    api::catalog().await.unwrap();
    i18n.set(Lang::ZhCn);
    api::catalog().await.unwrap();
    // A change (with no body to read back) goes through the other half of the client.
    api::session::sign_out().await.unwrap();
    i18n.set(Lang::En);
    api::catalog().await.unwrap();
    assert_eq!(
        sent(),
        [
            Some("en".to_owned()),
            Some("zh-CN".to_owned()),
            Some("zh-CN".to_owned()),
            Some("en".to_owned()),
        ]
    );
}
