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
