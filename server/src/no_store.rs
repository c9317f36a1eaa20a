//! Answers that carry a secret (an API token, a bootstrap key, an agent token) are shown once and
//! must not be kept by any cache on the way or in the browser: `Cache-Control: no-store`, and
//! `Pragma: no-cache` for HTTP/1.0 proxies. Wrap such an answer in [`NoStore`].

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A response that no cache may store.
pub struct NoStore<T>(pub T);

impl<T: IntoResponse> IntoResponse for NoStore<T> {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        response
    }
}

/// The answer, marked so that no cache stores it.
pub fn no_store(answer: impl IntoResponse) -> Response {
    NoStore(answer).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn marks_the_answer_and_keeps_status_and_headers() {
        let r = NoStore((StatusCode::CREATED, [(header::ETAG, "\"1\"")], "secret")).into_response();
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(r.headers()[header::PRAGMA], "no-cache");
        assert_eq!(r.headers()[header::ETAG], "\"1\"");
    }
}
