//! The language of the answer. [`negotiate`] reads the request's `Accept-Language` (core's
//! rule, [`Lang::from_accept_language`]) and runs the rest of the request inside a task-local
//! holding the language, so every problem's `title`, `detail` and field messages can be worded
//! in it where they are made — in a handler, an extractor, `AppError::into_response` — without a
//! language parameter threaded through every handler and helper on the way. Work moved to the
//! blocking pool takes the language along ([`carry`]); anything outside a request (start-up, the
//! purge task) reads English.
//!
//! Only answers change language: audit records, stored state and logs stay English, because
//! they are records read later by whoever looks, not replies to this request.

mod says;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use byoc_core::api::Problem;
pub use byoc_core::lang::Lang;

pub use says::Say;

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being answered; English outside one.
pub fn current() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// Middleware: answers the request in the language its `Accept-Language` asks for, and says so
/// (`Content-Language`, `Vary: Accept-Language`) on problem documents, the answers it words.
pub async fn negotiate(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let mut response = LANG.scope(lang, next.run(request)).await;
    if response.extensions().get::<Problem>().is_some() {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.tag()),
        );
        headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    response
}

/// Runs `f` in `lang`, for tests and for work started outside a request.
pub async fn scope<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

/// `job` with the current language taken along, for a thread that does not share the task's
/// locals (the blocking pool).
pub fn carry<T>(job: impl FnOnce() -> T) -> impl FnOnce() -> T {
    let lang = current();
    move || LANG.sync_scope(lang, job)
}

/// One of two texts, in the current language: for a sentence made of a core error's own words in
/// each language.
pub fn pick<T>(en: T, zh: T) -> T {
    match current() {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}
