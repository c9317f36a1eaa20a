//! Transport (issue "Hardening", finding 8): `Secure` session cookies and HSTS whenever the
//! console is reached over HTTPS, including behind a TLS-terminating proxy that is trusted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use byoc_server::config::Config;
use common::{test_app_with, Reply, TestApp, ADMIN_PASSWORD};
use serde_json::json;

/// Signs in as the owner from `peer` with extra headers.
async fn sign_in_from(app: &TestApp, peer: &str, headers: &[(&str, &str)]) -> Reply {
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    let mut req = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(peer));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string();
    app.send(req.body(Body::from(body)).unwrap())
        .await
        .expect(StatusCode::OK)
}

fn cookie(reply: &Reply) -> &str {
    reply.headers[header::SET_COOKIE].to_str().unwrap()
}

fn hsts(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .map(|v| v.to_str().unwrap())
}

fn behind_proxy(c: &mut Config) {
    c.trusted_proxies = Some("10.0.0.0/8".parse().unwrap());
}

const HTTPS: [(&str, &str); 2] = [
    ("x-forwarded-proto", "https"),
    ("x-forwarded-for", "203.0.113.9"),
];

#[tokio::test]
async fn plain_http_gets_neither_secure_cookies_nor_hsts() {
    let app = test_app_with(|_| {}).await;
    let reply = sign_in_from(&app, "127.0.0.1", &[]).await;
    assert!(!cookie(&reply).contains("Secure"), "{}", cookie(&reply));
    assert_eq!(hsts(&reply), None);
}

#[tokio::test]
async fn an_https_public_url_means_secure_cookies_and_hsts_on_every_answer() {
    let app = test_app_with(|c| c.public_url = Some("https://byoc.example.com".into())).await;
    let reply = sign_in_from(&app, "127.0.0.1", &[]).await;
    assert!(cookie(&reply).contains("; Secure"), "{}", cookie(&reply));
    assert_eq!(hsts(&reply), Some("max-age=31536000"));
    // Refusals and health checks too: HSTS is about the host, not the route.
    assert!(hsts(&app.get("/api/v1/nothing-here").await).is_some());
    assert!(hsts(&app.get("/healthz").await).is_some());
}

#[tokio::test]
async fn a_trusted_proxy_that_terminated_tls_makes_cookies_secure_and_adds_hsts() {
    let app = test_app_with(behind_proxy).await;
    let reply = sign_in_from(&app, "10.1.2.3", &HTTPS).await;
    assert!(cookie(&reply).contains("; Secure"), "{}", cookie(&reply));
    assert_eq!(hsts(&reply), Some("max-age=31536000"));
    // Signing out clears the cookie with the same attributes.
    let pair = cookie(&reply).split(';').next().unwrap().to_owned();
    let peer: SocketAddr = "10.1.2.3:40000".parse().unwrap();
    let mut out = Request::delete("/api/v1/session")
        .header(header::COOKIE, pair)
        .header("x-requested-with", "test")
        .extension(ConnectInfo(peer));
    for (k, v) in HTTPS {
        out = out.header(k, v);
    }
    let out = app
        .send(out.body(Body::empty()).unwrap())
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(cookie(&out).contains("; Secure"), "{}", cookie(&out));
}

#[tokio::test]
async fn x_forwarded_proto_from_anyone_else_is_ignored() {
    let app = test_app_with(behind_proxy).await;
    let reply = sign_in_from(&app, "203.0.113.50", &HTTPS).await;
    assert!(!cookie(&reply).contains("Secure"), "{}", cookie(&reply));
    assert_eq!(hsts(&reply), None);
    let plain = sign_in_from(&app, "10.1.2.3", &[("x-forwarded-proto", "http")]).await;
    assert_eq!(hsts(&plain), None);
}
