//! Private keys never reach the control plane (SPEC §5), and no request is larger than its route
//! needs. Every API and agent request passes here before a handler sees it:
//!
//! - its body is read up to the route's limit (`body_limits`); a larger one is refused with 413;
//! - the request is judged as a handler will read it, after decoding: every string of a JSON body
//!   (escapes decoded), every field of a form-encoded body, every query parameter — and, for a
//!   body that is not valid JSON, its raw text both as sent and with JSON-style escapes decoded.
//!   Anything holding a private key in any spelling (`core::tls::text_holds_private_key`) is
//!   refused with 422 `private_key_refused`; nothing of it is stored or logged.
//!
//! The console checks keys in the browser; only public certificates are ever sent.
//!
//! The same reading refuses the NUL character (U+0000) anywhere (`core::text::holds_nul`): in
//! the path (`%00`, answered 404: no resource is named with it), the query (422) or the body
//! (400). No field has a use for it, and PostgreSQL's text refuses it, which made it a 500 there.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use byoc_core::api::ProblemCode;
use byoc_core::text::{any_json_string, holds_nul};
use byoc_core::tls::{json_holds_private_key, text_holds_private_key, unescape_json_like};

use crate::body_limits;
use crate::error::AppError;
use crate::lang::Say;

/// Bodies above this size are judged on the blocking pool, not on an async worker.
const JUDGE_INLINE_BYTES: usize = 64 * 1024;

pub async fn refuse_private_keys(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let guarded = path.starts_with("/api/") || path.starts_with("/agent/");
    if !guarded {
        return next.run(request).await;
    }
    if path.contains("%00") {
        return AppError::NotFound {
            detail: Say::NulCharacter.text(),
        }
        .into_response();
    }
    if let Some(query) = request.uri().query() {
        if form_holds_private_key(query.as_bytes()) {
            return refused(path);
        }
        if form_holds(query.as_bytes(), holds_nul) {
            return AppError::Invalid {
                code: ProblemCode::InvalidQuery,
                detail: Say::NulCharacter.text(),
                errors: Vec::new(),
            }
            .into_response();
        }
    }
    let has_body = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if !has_body {
        return next.run(request).await;
    }
    let limit = body_limits::for_route(request.method(), path);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return too_large(limit);
    };
    let verdict = if bytes.len() > JUDGE_INLINE_BYTES {
        let judged = bytes.clone();
        // A failed judge (it never panics) counts as holding a key: refusing is the safe side.
        tokio::task::spawn_blocking(move || judge_body(&judged))
            .await
            .unwrap_or(Carried::PrivateKey)
    } else {
        judge_body(&bytes)
    };
    match verdict {
        Carried::PrivateKey => return refused(parts.uri.path()),
        Carried::Nul => {
            return AppError::MalformedBody {
                detail: Say::NulCharacter.text(),
            }
            .into_response()
        }
        Carried::Fine => {}
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// What a body carries that no handler may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carried {
    Fine,
    PrivateKey,
    Nul,
}

/// A body read every way a handler might read it: a private key first, then the NUL character.
fn judge_body(bytes: &[u8]) -> Carried {
    let text = String::from_utf8_lossy(bytes);
    let json = serde_json::from_slice::<serde_json::Value>(bytes).ok();
    let holds_key = text_holds_private_key(&text)
        || match &json {
            Some(value) => json_holds_private_key(value),
            None => {
                text_holds_private_key(&unescape_json_like(&text)) || form_holds_private_key(bytes)
            }
        };
    let nul = match &json {
        Some(value) => any_json_string(value, holds_nul),
        None => bytes.contains(&0) || form_holds(bytes, holds_nul),
    };
    match (holds_key, nul) {
        (true, _) => Carried::PrivateKey,
        (false, true) => Carried::Nul,
        (false, false) => Carried::Fine,
    }
}

/// Whether any name or value of `a=b&c=d` (percent-decoded, `+` as space) holds a private key.
fn form_holds_private_key(encoded: &[u8]) -> bool {
    form_holds(encoded, text_holds_private_key)
}

/// Whether any name or value of `a=b&c=d` (percent-decoded, `+` as space) answers `test`.
fn form_holds(encoded: &[u8], test: impl Fn(&str) -> bool) -> bool {
    form_urlencoded::parse(encoded).any(|(name, value)| test(&name) || test(&value))
}

fn too_large(limit: usize) -> Response {
    AppError::PayloadTooLarge { max_bytes: limit }.into_response()
}

fn refused(path: &str) -> Response {
    tracing::warn!(path, "refused a request holding a private key");
    AppError::Invalid {
        code: ProblemCode::PrivateKeyRefused,
        detail: Say::PrivateKeyRefused.text(),
        errors: Vec::new(),
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_holds_private_key(bytes: &[u8]) -> bool {
        judge_body(bytes) == Carried::PrivateKey
    }

    #[test]
    fn a_body_with_nul_is_judged_so_after_any_private_key() {
        assert_eq!(judge_body(br#"{"a":["x\u0000"]}"#), Carried::Nul);
        assert_eq!(judge_body(b"a=%00"), Carried::Nul);
        assert_eq!(judge_body(b"raw\0text"), Carried::Nul);
        assert_eq!(judge_body(br#"{"a":"\\u0000"}"#), Carried::Fine);
        let both = format!(r#"{{"k":"{SEC1}","n":"\u0000"}}"#);
        assert_eq!(judge_body(both.as_bytes()), Carried::PrivateKey);
    }

    const SEC1: &str = "MHcCAQEEIB8GUMEUAbPmMgQeZ0NSJwtX4+C92cR8AYlGFxQlmGh3oAoGCCqGSM49\
                        AwEHoUQDQgAEOE0hWH1GINDjdqSRxIv0YDY8DmdChx/B6iAnS3yMk6VK4fJFugIz\
                        EsOS9SP+Ziyaw/MLTuuOBwsbR+/G/Q3qrA==";

    #[test]
    fn bodies_are_judged_after_decoding() {
        let escaped = br#"{"description":"-----BEGIN EC PRIVATE\u0020KEY-----"}"#;
        assert!(body_holds_private_key(escaped));
        let broken_json = br#"{"description":"-----BEGIN EC PRIVATE\u0020KEY-----""#;
        assert!(body_holds_private_key(broken_json));
        let form = b"name=x&description=-----BEGIN%20EC%20PRIVATE+KEY-----";
        assert!(body_holds_private_key(form));
        let form_base64 = format!("d={}", SEC1.replace('+', "%2B").replace('/', "%2F"));
        assert!(body_holds_private_key(form_base64.as_bytes()));
        assert!(body_holds_private_key(
            format!(r#"{{"tags":[{{"key":"k","value":"{SEC1}"}}]}}"#).as_bytes()
        ));
        assert!(!body_holds_private_key(
            br#"{"name":"payments","description":"ok"}"#
        ));
        assert!(!body_holds_private_key(b"not json at all"));
    }

    #[test]
    fn query_strings_are_judged_decoded() {
        assert!(form_holds_private_key(
            b"actor=-----BEGIN%20RSA%20PRIVATE%20KEY-----"
        ));
        assert!(!form_holds_private_key(b"actor=alice&action=project."));
    }
}
