//! Thin, failure-tolerant access to browser facilities. Storage can be disabled (private mode,
//! sandboxed frames); the console then works without remembering preferences rather than failing.

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

pub fn navigator_language() -> Option<String> {
    window()?.navigator().language()
}

fn root_element() -> Option<web_sys::Element> {
    window()?.document()?.document_element()
}

pub fn set_document_lang(tag: &str) {
    if let Some(root) = root_element() {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Sets or clears an attribute on `<html>` (used for `data-theme`).
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    if let Some(root) = root_element() {
        let _ = match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
    }
}

/// Copies text to the clipboard; resolves to whether it worked (it needs a secure context and
/// the user's gesture, so callers show the outcome).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = window() else { return false };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `text` as a file download named `file_name`. Generated in the page: nothing is sent to
/// the server.
pub fn download(file_name: &str, media_type: &str, text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let build = || -> Option<()> {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(media_type);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let document = window()?.document()?;
        let anchor: web_sys::HtmlAnchorElement =
            document.create_element("a").ok()?.dyn_into().ok()?;
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    };
    build().is_some()
}

/// The text of a file the user picked or dropped, read in the page (nothing is uploaded).
/// `None` when the browser cannot read it as text.
pub async fn read_file_text(file: &web_sys::File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?
        .as_string()
}

/// `n` with the digit grouping of the language (`10,000`; Chinese uses the same).
pub fn format_number(n: u64, lang_tag: &str) -> String {
    // Exact as an f64 up to 2^53, far beyond any licence limit.
    js_sys::Number::from(n as f64)
        .to_locale_string(lang_tag)
        .into()
}

/// Focuses the element `css` once the change under way has been rendered (Leptos renders on a
/// microtask; an animation frame comes after it): for giving focus back to a control that
/// reappears, say the button that opened a panel now closed.
pub fn focus_after_render(css: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(css).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
