//! The request id (`X-Request-Id`) names a request in logs, problem documents and audit entries.
//! A client may send its own, so a log line can be matched with the caller's; it is kept only if
//! it is short and plain ([`is_plain`]). Anything else — a megabyte of text, spaces, quotes,
//! control characters that could forge a log line — is dropped before the request-id layer runs,
//! which then assigns a fresh UUID. The response echoes the id used.

use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest client request id kept.
pub const MAX_LEN: usize = 64;

/// Whether a client's request id is kept: 1 to [`MAX_LEN`] characters of `A–Z a–z 0–9 . _ -`.
pub fn is_plain(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Middleware (outside the request-id layer): keeps one plain client id, or none.
pub async fn keep_only_plain(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    let mut values = headers.get_all(&HEADER).iter();
    let keep = match (values.next(), values.next()) {
        (Some(only), None) => only.to_str().is_ok_and(is_plain),
        (None, _) => true,
        // Several ids: which one logs would show is ambiguous; none is kept.
        (Some(_), Some(_)) => false,
    };
    if !keep {
        headers.remove(&HEADER);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_plain_ids_are_kept_and_others_are_not() {
        for ok in [
            "a",
            "req-123",
            "4f1d2c3b-aaaa-bbbb-cccc-0123456789ab",
            "trace.span_1",
        ] {
            assert!(is_plain(ok), "{ok}");
        }
        assert!(is_plain(&"x".repeat(MAX_LEN)));
        for bad in [
            "",
            "has space",
            "quote\"",
            "line\nbreak",
            "<script>",
            "ünï",
            "a/b",
            &"x".repeat(MAX_LEN + 1),
        ] {
            assert!(!is_plain(bad), "{bad:?}");
        }
    }
}
