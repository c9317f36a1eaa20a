//! The built console as the control plane serves it: precompressed variants by Accept-Encoding,
//! hashed assets cached for a year, index.html and config.json revalidated, and none of that on
//! API answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{test_app_with, Auth, Reply, TestApp};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const WASM: &str = "byoc-web-8f3a9c0d1e2b4a5f_bg.wasm";

/// A dist directory as trunk plus the precompression hook leave it: each asset with `.br` and
/// `.gz` beside it (distinct bytes, so the test sees which one was sent), config.json alone.
async fn app_with_console() -> TestApp {
    test_app_with(|c| {
        let dist = c.data_dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        let files: [(&str, &[u8]); 8] = [
            ("index.html", b"<!doctype html><title>console</title>"),
            ("index.html.br", b"index-as-brotli"),
            ("index.html.gz", b"index-as-gzip"),
            (WASM, b"\0asm-raw"),
            ("byoc-web-8f3a9c0d1e2b4a5f_bg.wasm.br", b"wasm-as-brotli"),
            ("byoc-web-8f3a9c0d1e2b4a5f_bg.wasm.gz", b"wasm-as-gzip"),
            ("tokens-0123456789abcdef.css", b"body{}"),
            ("config.json", br#"{ "api_base": "" }"#),
        ];
        for (name, bytes) in files {
            std::fs::write(dist.join(name), bytes).unwrap();
        }
        c.console_dir = dist;
    })
    .await
}

async fn get(app: &TestApp, uri: &str, accept_encoding: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = accept_encoding
        .map(|e| vec![("accept-encoding", e)])
        .unwrap_or_default();
    app.call(Method::GET, uri, &Auth::None, None, &headers)
        .await
}

fn header(reply: &Reply, name: header::HeaderName) -> Option<&str> {
    reply.headers.get(name).map(|v| v.to_str().unwrap())
}

fn varies_by_encoding(reply: &Reply) -> bool {
    reply
        .headers
        .get_all(header::VARY)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("accept-encoding"))
}

#[tokio::test]
async fn a_hashed_asset_is_sent_as_brotli_and_cached_for_a_year() {
    let app = app_with_console().await;
    let reply = get(&app, &format!("/{WASM}"), Some("gzip, deflate, br")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(header(&reply, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(
        header(&reply, header::CONTENT_TYPE),
        Some("application/wasm")
    );
    assert_eq!(reply.body, b"wasm-as-brotli");
    assert!(varies_by_encoding(&reply), "{:?}", reply.headers);
    assert_eq!(header(&reply, header::CACHE_CONTROL), Some(IMMUTABLE));
}

#[tokio::test]
async fn gzip_is_sent_to_a_client_without_brotli_and_the_raw_file_to_one_without_either() {
    let app = app_with_console().await;
    let gz = get(&app, &format!("/{WASM}"), Some("gzip")).await;
    assert_eq!(header(&gz, header::CONTENT_ENCODING), Some("gzip"));
    assert_eq!(gz.body, b"wasm-as-gzip");

    let raw = get(&app, &format!("/{WASM}"), None).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(header(&raw, header::CONTENT_ENCODING), None);
    assert_eq!(raw.body, b"\0asm-raw");
    // Caches must still keep the variants apart, whichever one this answer was.
    assert!(varies_by_encoding(&raw));
    assert_eq!(header(&raw, header::CACHE_CONTROL), Some(IMMUTABLE));

    // A hashed asset without precompressed files (css here) is still served, plainly.
    let css = get(&app, "/tokens-0123456789abcdef.css", Some("br")).await;
    assert_eq!(css.body, b"body{}");
    assert_eq!(header(&css, header::CACHE_CONTROL), Some(IMMUTABLE));
}

#[tokio::test]
async fn index_html_and_config_json_are_revalidated() {
    let app = app_with_console().await;
    let index = get(&app, "/", Some("br")).await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(header(&index, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(index.body, b"index-as-brotli");
    assert_eq!(header(&index, header::CACHE_CONTROL), Some(REVALIDATE));
    assert!(varies_by_encoding(&index));

    // Revalidation is cheap: the validator the answer carries gets a 304.
    let modified = header(&index, header::LAST_MODIFIED).unwrap().to_owned();
    let again = app
        .call(
            Method::GET,
            "/",
            &Auth::None,
            None,
            &[("if-modified-since", &modified)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // config.json is edited after the build to name the control plane: never cached unchecked,
    // and never a stale precompressed copy.
    let config = get(&app, "/config.json", Some("gzip, br")).await;
    assert_eq!(config.body, br#"{ "api_base": "" }"#);
    assert_eq!(header(&config, header::CONTENT_ENCODING), None);
    assert_eq!(header(&config, header::CACHE_CONTROL), Some(REVALIDATE));
}

#[tokio::test]
async fn a_deep_link_gets_index_html_revalidated_even_under_a_hashed_looking_name() {
    let app = app_with_console().await;
    let deep = get(&app, "/deployments/dep-1/network", Some("br")).await;
    assert_eq!(deep.status, StatusCode::OK);
    assert_eq!(deep.body, b"index-as-brotli");
    assert_eq!(header(&deep, header::CACHE_CONTROL), Some(REVALIDATE));

    let plain = get(&app, "/deployments/dep-1/network", None).await;
    assert_eq!(plain.body, b"<!doctype html><title>console</title>");

    // An asset of an older build is gone: the page that answers in its place must not be kept
    // for a year under the asset's name.
    let gone = get(&app, "/byoc-web-0000111122223333_bg.wasm", None).await;
    assert_eq!(gone.body, b"<!doctype html><title>console</title>");
    assert_eq!(header(&gone, header::CACHE_CONTROL), Some(REVALIDATE));
}

#[tokio::test]
async fn api_answers_never_get_the_consoles_cache_headers() {
    let app = app_with_console().await;
    for uri in [
        "/api/v1/catalog",
        "/api/v1/missing",
        "/api/v1/byoc-web-8f3a9c0d1e2b4a5f_bg.wasm",
        "/agent/v1/byoc-web-8f3a9c0d1e2b4a5f_bg.wasm",
        "/healthz",
    ] {
        let reply = get(&app, uri, Some("br")).await;
        let cache = header(&reply, header::CACHE_CONTROL);
        assert!(
            cache != Some(IMMUTABLE) && cache != Some(REVALIDATE),
            "{uri}: {cache:?}"
        );
        assert_eq!(header(&reply, header::CONTENT_ENCODING), None, "{uri}");
    }
}
