//! The toolkit binary the control plane serves to bootstrap machines and agent nodes, with its
//! SHA-256; a missing binary is a clear API 404, never the console.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{test_app_with, Auth};

#[tokio::test]
async fn the_toolkit_and_its_checksum_are_served() {
    let app = test_app_with(|c| {
        let path = c.data_dir.join("byoc");
        std::fs::write(&path, b"\x7fELF pretend toolkit").unwrap();
        c.toolkit_binary = Some(path);
    })
    .await;
    let bin = app
        .call(
            Method::GET,
            "/downloads/byoc-linux-amd64",
            &Auth::None,
            None,
            &[],
        )
        .await;
    assert_eq!(bin.status, StatusCode::OK);
    assert_eq!(bin.body.as_slice(), b"\x7fELF pretend toolkit");
    assert_eq!(bin.headers["content-type"], "application/octet-stream");
    let sum = app
        .call(
            Method::GET,
            "/downloads/byoc-linux-amd64.sha256",
            &Auth::None,
            None,
            &[],
        )
        .await;
    assert_eq!(sum.status, StatusCode::OK);
    // sha256 of the bytes above, as `sha256sum -c` reads it.
    let text = String::from_utf8(sum.body.clone()).unwrap();
    let expected: String = {
        use sha2::Digest;
        sha2::Sha256::digest(b"\x7fELF pretend toolkit")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(text, format!("{expected}  byoc\n"));
    assert_eq!(bin.headers["etag"], format!("\"{expected}\"").as_str());
}

#[tokio::test]
async fn a_missing_toolkit_or_another_name_is_an_api_404() {
    let app = test_app_with(|c| c.toolkit_binary = Some(c.data_dir.join("absent"))).await;
    let r = app
        .call(
            Method::GET,
            "/downloads/byoc-linux-amd64",
            &Auth::None,
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("--toolkit-binary"), "{}", r.text());
    let r = app
        .call(Method::GET, "/downloads/other", &Auth::None, None, &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.text().contains("<html"), "{}", r.text());
}
