//! The HTTP plumbing every typed function shares: the base URL, reads, mutations with the headers
//! the server requires, and turning answers into bodies or [`ApiError`]s.

use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::api::Page;
use byoc_core::lang::Lang;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::ApiError;

thread_local! {
    /// Base URL of the control plane; empty = the origin that served the console.
    static API_BASE: RefCell<String> = const { RefCell::new(String::new()) };
    /// Told when any answer says the session is gone, so the app can send the user to sign in.
    static ON_SESSION_LOST: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
    /// The user's language, sent as `Accept-Language` so the server's problem details (shown
    /// after the console's own words) are in it too. Kept here rather than read from the `I18n`
    /// context because requests finish outside any component's owner.
    static LANG: RefCell<Lang> = const { RefCell::new(Lang::En) };
}

/// The header a cross-site form cannot send; the server refuses cookie-authenticated changes
/// without it (SPEC §8).
const REQUESTED_WITH: (&str, &str) = ("X-Requested-With", "byoc-console");

/// Lists are read to the end, but never more than this many pages: a server bug that keeps
/// answering with a cursor must not hang the page.
const MAX_PAGES: usize = 100;

pub fn set_base(base: &str) {
    API_BASE.with(|b| *b.borrow_mut() = base.trim_end_matches('/').to_owned());
}

/// Registers what to do when an answer says the session is gone (replacing any earlier hook).
pub fn on_session_lost(hook: impl Fn() + 'static) {
    ON_SESSION_LOST.with(|h| *h.borrow_mut() = Some(Rc::new(hook)));
}

/// The language answers should be in; `I18n` sets it whenever the user's language is chosen.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| *l.borrow_mut() = lang);
}

/// The `Accept-Language` every request carries.
pub(crate) fn accept_language() -> &'static str {
    LANG.with(|l| l.borrow().tag())
}

pub(crate) fn url(path: &str) -> String {
    API_BASE.with(|b| format!("{}{}", b.borrow(), path))
}

/// One path segment (an id), escaped so it cannot change the path.
pub(crate) fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// `?a=1&b=2` from the pairs whose value is not empty; `""` when none is.
pub(crate) fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", segment(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// `path` with `pairs` added to whatever query it already has.
pub(crate) fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let extra = query(pairs);
    match extra.strip_prefix('?') {
        Some(rest) if path.contains('?') => format!("{path}&{rest}"),
        _ => format!("{path}{extra}"),
    }
}

/// What a change may carry besides its body.
#[derive(Clone, Debug, Default)]
pub(crate) struct Preconditions {
    /// The version the user saw; the server refuses the change (412) if it moved on since.
    pub if_match: Option<i64>,
    /// Same key and body on a retry → the server answers with the first result.
    pub idempotency_key: Option<String>,
}

impl Preconditions {
    pub fn version(version: i64) -> Self {
        Preconditions {
            if_match: Some(version),
            idempotency_key: None,
        }
    }

    pub fn idempotent(key: &str) -> Self {
        Preconditions {
            if_match: None,
            idempotency_key: Some(key.to_owned()),
        }
    }
}

// The plumbing below is not generic: fetching, headers and error handling are compiled once, and
// only the small `decode` / `encode` steps are instantiated per body type (this halved the wasm
// these functions took when every typed call had its own copy of the whole request).

/// GET a JSON resource. The request is aborted if the component that asked is unmounted first
/// (navigating away), so stale answers never land on a new page.
pub(crate) async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(&get_text(path, "application/json").await?)
}

/// GET a plain-text resource (a PEM file, say), aborted on unmount like [`get_json`].
pub(crate) async fn get_text(path: &str, accept: &str) -> Result<String, ApiError> {
    let controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let response = Request::get(&url(path))
        .credentials(web_sys::RequestCredentials::Include)
        .header("Accept", accept)
        .header("Accept-Language", accept_language())
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    text(checked(response).await?).await
}

async fn text(response: Response) -> Result<String, ApiError> {
    response
        .text()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

fn encode<B: Serialize + ?Sized>(body: Option<&B>) -> Result<Option<String>, ApiError> {
    body.map(serde_json::to_string)
        .transpose()
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// Every item of a paginated list, following `next_cursor`.
pub(crate) async fn get_all<T: DeserializeOwned>(path: &str) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page_path = match &cursor {
            None => path.to_owned(),
            Some(c) => with_query(path, &[("cursor", c)]),
        };
        let page: Page<T> = get_json(&page_path).await?;
        items.extend(page.items);
        match page.next_cursor {
            Some(next) if !next.is_empty() => cursor = Some(next),
            _ => break,
        }
    }
    Ok(items)
}

/// Sends a change: always with credentials and the `X-Requested-With` and `Accept-Language`
/// headers, plus `If-Match` and `Idempotency-Key` when given. Mutations are not aborted on unmount: a change the user
/// asked for should finish even if they navigate away.
async fn send_encoded(
    method: Method,
    path: &str,
    body: Option<String>,
    pre: Preconditions,
) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(&url(path))
        .method(method)
        .credentials(web_sys::RequestCredentials::Include)
        .header("Accept", "application/json")
        .header("Accept-Language", accept_language())
        .header(REQUESTED_WITH.0, REQUESTED_WITH.1);
    if let Some(version) = pre.if_match {
        builder = builder.header("If-Match", &format!("\"{version}\""));
    }
    if let Some(key) = &pre.idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    checked(response).await
}

/// The response if it is a success, else the matching [`ApiError`] (telling the app when the
/// session is gone).
pub(crate) async fn checked(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let problem = response.json().await.ok();
    let error = ApiError::from_status(status, problem, retry_after);
    if error.is_session_lost() {
        // Cloned out first: the hook may register a new hook or start requests of its own.
        if let Some(hook) = ON_SESSION_LOST.with(|h| h.borrow().clone()) {
            hook();
        }
    }
    Err(error)
}

/// A change whose success has no body (204).
pub(crate) async fn send_no_content<B: Serialize + ?Sized>(
    method: Method,
    path: &str,
    body: Option<&B>,
    pre: Preconditions,
) -> Result<(), ApiError> {
    send_encoded(method, path, encode(body)?, pre)
        .await
        .map(|_| ())
}

/// A change answered with a JSON body.
pub(crate) async fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
    pre: Preconditions,
) -> Result<T, ApiError> {
    let response = send_encoded(method, path, encode(body)?, pre).await?;
    decode(&text(response).await?)
}

/// The body type of a change that sends none.
pub(crate) const NO_BODY: Option<&()> = None;
