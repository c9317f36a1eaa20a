//! The built console (`dist/`) as static files. The build writes `.br` and `.gz` beside each asset
//! (the trunk post-build hook, `cargo xtask precompress`), so nothing is compressed per request:
//! the variant the client accepts is sent as it is. trunk names assets by a hash of their content
//! (and the hook names the console's parts so), so those are cached for a year; `index.html`
//! (which names the current hashes) and `config.json` (edited after the build) are revalidated on
//! every visit.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// Files from `dir` (their precompressed variant when the client accepts it), and `index.html` for
/// every other path so that deep links into the single-page app work. Without a build, a page says
/// how to make one.
pub fn service(dir: &Path) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        let hint = format!(
            "<!doctype html><meta charset=utf-8><title>BYOC Console</title>\
             <p>The console has not been built (no {}). Run <code>cargo xtask run</code>, \
             or point <code>BYOC_CONSOLE_DIR</code> at a built console. The API is at /api/v1.</p>",
            index.display()
        );
        return Router::new().fallback(move || async move {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
                Html(hint),
            )
                .into_response()
        });
    }
    let index = ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// Immutable caching only for a hashed asset actually found under its name; anything else, the
/// SPA fallback's `index.html` included (even when it stands in for a missing hashed name from an
/// older build), is revalidated.
async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let found = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if hashed && found && !html {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, policy);
    // Every console path may have a compressed variant; caches must keep them apart.
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// Whether the last path segment is a name trunk gave by content hash: `<stem>-<hex>` then the
/// extension, with wasm-bindgen's `_bg` / `_loader` suffixes (`byoc-web-8f3a…_bg.wasm`,
/// `tokens-01ab….css`). trunk writes the 64-bit hash as `{:x}`, so usually 16 digits, fewer when
/// it has leading zeros; a name this misjudges is merely revalidated, never cached wrongly.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    if ext.is_empty() {
        return false;
    }
    let stem = stem
        .strip_suffix("_bg")
        .or_else(|| stem.strip_suffix("_loader"))
        .unwrap_or(stem);
    let Some((base, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    !base.is_empty()
        && (8..=16).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunks_hashed_names_only() {
        for hashed in [
            "/byoc-web-8f3a9c0d1e2b4a5f_bg.wasm",
            "/byoc-web-8f3a9c0d1e2b4a5f.js",
            "/byoc-web-8f3a9c0d1e2b4a5f_loader.js",
            "/tokens-0123456789abcdef.css",
            "/worker-3a9c0d1e2b4a5f.js",
            "/byoc-web-8f3a9c0d1e2b4a5f_bg.wasm.br",
            // The console's parts, named by the build's post-build hook (xtask/src/split.rs).
            "/byoc-web-parts-8f3a9c0d1e2b4a5f.js",
            "/split-admin-e9cd4f7d98e21008.wasm",
            "/chunk-4-5bedc19c2a8aa213.wasm.br",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/config.json",
            "/deployments/dep-1/network",
            "/deployments/dep-0123456789abcdef",
            "/tokens.css",
            "/-0123456789abcdef.css",
            "/tokens-0123456789ABCDEF.css",
            "/tokens-0123456789abcdef0.css",
            "/tokens-0123456789abcdef.",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }
}
