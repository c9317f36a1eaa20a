//! The one way the console talks to the control plane. Pages call the typed functions here and
//! never see gloo-net; every failure arrives as an [`ApiError`].

mod error;

use std::cell::RefCell;

use byoc_core::api::{Catalog, ConsoleConfig};
use gloo_net::http::{Request, Response};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

pub use error::ApiError;

thread_local! {
    /// Base URL of the control plane; empty = the origin that served the console.
    static API_BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reads `config.json` beside `index.html`, so a console served from a CDN can point at a control
/// plane elsewhere. A missing or unreadable file means "same origin", which is the common case.
pub async fn init() {
    let config = match Request::get("config.json").send().await {
        Ok(resp) if resp.ok() => resp.json::<ConsoleConfig>().await.unwrap_or_default(),
        _ => ConsoleConfig::default(),
    };
    set_base(&config.api_base);
}

pub fn set_base(base: &str) {
    API_BASE.with(|b| *b.borrow_mut() = base.trim_end_matches('/').to_owned());
}

fn url(path: &str) -> String {
    API_BASE.with(|b| format!("{}{}", b.borrow(), path))
}

/// GET a JSON resource. The request is aborted if the component that asked is unmounted first
/// (navigating away), so stale answers never land on a new page.
async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let response = Request::get(&url(path))
        .credentials(web_sys::RequestCredentials::Include)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    into_json(response).await
}

/// Turns a response into the expected body or the matching [`ApiError`].
async fn into_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()));
    }
    let status = response.status();
    let problem = response.json().await.ok();
    Err(ApiError::from_status(status, problem))
}

pub async fn catalog() -> Result<Catalog, ApiError> {
    get_json("/api/v1/catalog").await
}
