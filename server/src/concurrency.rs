//! Optimistic concurrency: every resource has a `version`, sent back as its `ETag`; a change must
//! name the version it was based on in `If-Match`, so two tabs never silently overwrite each other.

use axum::http::{header, HeaderMap, HeaderValue};

use crate::error::AppError;

/// The version in `If-Match` (`"3"`, `W/"3"` or `3`). Missing → 428; unreadable → 422.
pub fn if_match(headers: &HeaderMap) -> Result<i64, AppError> {
    let raw = headers
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?;
    let text = raw.to_str().unwrap_or_default().trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse().map_err(|_| {
        AppError::field(
            "If-Match",
            "invalid_if_match",
            crate::lang::Say::IfMatchInvalid.text(),
        )
    })
}

/// Refuses a change based on an old version.
pub fn check(expected: i64, current: i64) -> Result<(), AppError> {
    if expected == current {
        Ok(())
    } else {
        Err(AppError::VersionMismatch { current })
    }
}

/// `ETag` header value for a version.
pub fn etag(version: i64) -> [(header::HeaderName, HeaderValue); 1] {
    let value = HeaderValue::from_str(&format!("\"{version}\""))
        .unwrap_or(HeaderValue::from_static("\"0\""));
    [(header::ETAG, value)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn reads_strong_weak_and_bare_versions() {
        assert_eq!(if_match(&with("\"3\"")).unwrap(), 3);
        assert_eq!(if_match(&with("W/\"4\"")).unwrap(), 4);
        assert_eq!(if_match(&with("5")).unwrap(), 5);
    }

    #[test]
    fn missing_or_bad_if_match_is_refused() {
        assert!(matches!(
            if_match(&HeaderMap::new()),
            Err(AppError::PreconditionRequired)
        ));
        assert!(matches!(
            if_match(&with("\"abc\"")),
            Err(AppError::Invalid { .. })
        ));
        assert!(matches!(
            check(1, 2),
            Err(AppError::VersionMismatch { current: 2 })
        ));
        assert!(check(2, 2).is_ok());
    }
}
