//! The licence API: the default licence, installing (owners only, verified, audited, history
//! kept), every kind of bad file, and the vendor key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use byoc_core::api::ProblemCode;
use byoc_core::licence::{issue, public_key_pem, LicencePayload, LicenceType, SigningKey};
use chrono::{Duration, Utc};
use common::{test_app, test_app_with, Auth, TestApp};
use serde_json::json;

fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[9u8; 32])
}

fn payload(id: &str, days_from_now: (i64, i64)) -> LicencePayload {
    let now = Utc::now();
    LicencePayload {
        id: id.into(),
        kind: LicenceType::Formal,
        issued_to: "Example Ltd".into(),
        issuer_email: "licences@vendor.example".into(),
        issued_at: now,
        valid_from: now + Duration::days(days_from_now.0),
        valid_until: now + Duration::days(days_from_now.1),
        max_sessions: 100_000,
        max_tps: 30_000,
        core_size: 48,
    }
}

fn line(id: &str) -> String {
    issue(&payload(id, (-1, 365)), &vendor()).unwrap()
}

async fn app_with_key() -> TestApp {
    test_app_with(|c| {
        let path = c.data_dir.join("vendor.pem");
        std::fs::create_dir_all(&c.data_dir).unwrap();
        std::fs::write(&path, public_key_pem(&vendor().verifying_key())).unwrap();
        c.licence_public_key = Some(path);
    })
    .await
}

/// The licence view's version as its `ETag` says.
async fn etag(app: &TestApp, auth: &Auth) -> String {
    let view = app
        .call(Method::GET, "/api/v1/licence", auth, None, &[])
        .await
        .expect(StatusCode::OK);
    view.headers[header::ETAG].to_str().unwrap().to_owned()
}

/// Installs `text` as the console does: with the version of the view it showed.
async fn put_text(app: &TestApp, auth: &Auth, text: &str) -> common::Reply {
    let version = etag(app, auth).await;
    app.call(
        Method::PUT,
        "/api/v1/licence",
        auth,
        Some(json!({ "licence": text })),
        &[("if-match", &version)],
    )
    .await
}

#[tokio::test]
async fn without_a_licence_the_default_applies() {
    let app = app_with_key().await;
    let owner = app.admin().await;
    let view = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(view["source"], "default");
    assert_eq!(view["licence"]["max_sessions"], 25);
    assert_eq!(
        view["days_left"], 13,
        "14 days from the first start, minus the moments since"
    );
    assert_eq!(view["status"], "expiring_soon");
    assert_eq!(view["usage"]["sessions"]["used"], 0);
    assert_eq!(view["public_key_configured"], true);
}

#[tokio::test]
async fn an_owner_installs_a_licence_and_the_previous_one_is_kept() {
    let app = app_with_key().await;
    let owner = app.admin().await;
    let first = put_text(&app, &owner, &line("LIC-2026-000001"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(first["source"], "installed");
    assert_eq!(first["licence"]["id"], "LIC-2026-000001");
    assert_eq!(first["licence"]["issued_to"], "Example Ltd");
    assert_eq!(first["status"], "valid");

    // A plain-text body with the file's trailing newline works too.
    let req = axum::http::Request::put("/api/v1/licence")
        .header(
            header::COOKIE,
            match &owner {
                Auth::Cookie(c) => c.clone(),
                _ => unreachable!(),
            },
        )
        .header("x-requested-with", "test")
        .header(header::IF_MATCH, etag(&app, &owner).await)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from(format!(
            "{}\n",
            line("LIC-2026-000002")
        )))
        .unwrap();
    let second = app.send(req).await.expect(StatusCode::OK).json();
    assert_eq!(second["licence"]["id"], "LIC-2026-000002");

    let history = app
        .call(Method::GET, "/api/v1/licence/history", &owner, None, &[])
        .await
        .json();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["licence"]["id"], "LIC-2026-000002");
    assert!(items[0]["replaced_at"].is_null());
    assert_eq!(items[1]["licence"]["id"], "LIC-2026-000001");
    assert!(items[1]["replaced_at"].is_string());
    assert_eq!(
        app.audit_tail(1).await[0],
        ("licence.install".into(), "success".into())
    );
}

#[tokio::test]
async fn only_owners_install_licences() {
    let app = app_with_key().await;
    let owner = app.admin().await;
    app.create_user(&owner, "mia", "member").await;
    let mia = app.sign_in("mia", &common::password_of("mia")).await;
    let reply = put_text(&app, &mia, &line("LIC-X")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.audit_tail(1).await[0],
        ("licence.install".into(), "denied".into())
    );
    let view = app
        .call(Method::GET, "/api/v1/licence", &mia, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        view["source"], "default",
        "members read the licence but cannot change it"
    );
}

#[tokio::test]
async fn bad_licence_files_are_refused_with_the_exact_reason() {
    let app = app_with_key().await;
    let owner = app.admin().await;
    let good = line("LIC-OK");
    let parts: Vec<&str> = good.split('.').collect();
    let other_vendor = issue(
        &payload("LIC-FORGED", (-1, 365)),
        &SigningKey::from_bytes(&[1u8; 32]),
    )
    .unwrap();
    let expired = issue(&payload("LIC-OLD", (-400, -1)), &vendor()).unwrap();
    let future = issue(&payload("LIC-NEXT", (10, 400)), &vendor()).unwrap();
    let cases = [
        ("".to_owned(), "licence_empty"),
        ("hello".to_owned(), "licence_bad_prefix"),
        (
            format!("{}.{}", parts[0], parts[1]),
            "licence_bad_structure",
        ),
        (
            format!("{}.{}%.{}", parts[0], parts[1], parts[2]),
            "licence_bad_base64",
        ),
        (other_vendor, "licence_bad_signature"),
        (expired, "licence_expired"),
        (future, "licence_not_yet_valid"),
    ];
    for (text, code) in cases {
        let reply = put_text(&app, &owner, &text).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let problem = reply.problem();
        assert_eq!(
            (
                problem.errors[0].field.as_str(),
                problem.errors[0].code.as_str()
            ),
            ("licence", code)
        );
    }
    let view = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .json();
    assert_eq!(view["source"], "default", "nothing was installed");
    let malformed = app
        .call(
            Method::PUT,
            "/api/v1/licence",
            &owner,
            Some(json!({"licnce": good})),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_public_key_is_served_for_the_browser_to_verify_with() {
    let app = app_with_key().await;
    let reply = app
        .get("/api/v1/licence/public-key")
        .await
        .expect(StatusCode::OK);
    assert_eq!(reply.text(), public_key_pem(&vendor().verifying_key()));
}

#[tokio::test]
async fn without_a_vendor_key_nothing_can_be_installed() {
    let app = test_app().await;
    let owner = app.admin().await;
    assert_eq!(
        app.get("/api/v1/licence/public-key").await.status,
        StatusCode::NOT_FOUND
    );
    let reply = put_text(&app, &owner, &line("LIC-1")).await;
    assert_eq!(
        (reply.status, reply.problem().code.as_str()),
        (StatusCode::CONFLICT, "licence_key_not_configured")
    );
    let view = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .json();
    assert_eq!(view["public_key_configured"], false);
}

#[tokio::test]
async fn an_unusable_key_file_stops_the_start_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = byoc_server::config::Config::for_tests(dir.path());
    let path = dir.path().join("not-a-key.pem");
    std::fs::write(
        &path,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    config.licence_public_key = Some(path);
    let err = byoc_server::prepare(config).await.unwrap_err().to_string();
    assert!(
        err.contains("licence public key") && err.contains("not an Ed25519 key"),
        "{err}"
    );
}

/// Installs the licence `id` with the given `If-Match` (none: the header is left out).
async fn install(app: &TestApp, owner: &Auth, if_match: Option<&str>, id: &str) -> common::Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
    app.call(
        Method::PUT,
        "/api/v1/licence",
        owner,
        Some(json!({ "licence": line(id) })),
        &headers,
    )
    .await
}

#[tokio::test]
async fn installing_a_licence_needs_the_version_it_replaces() {
    let app = app_with_key().await;
    let owner = app.admin().await;
    let shown = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        shown.headers[header::ETAG],
        "\"0\"",
        "nothing installed yet"
    );
    assert_eq!(shown.json()["version"], 0);

    let missing = install(&app, &owner, None, "LIC-A").await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.problem().code, ProblemCode::IfMatchRequired);
    let wrong = install(&app, &owner, Some("\"7\""), "LIC-A").await;
    assert_eq!(wrong.status, StatusCode::PRECONDITION_FAILED);
    let view = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .json();
    assert_eq!(view["source"], "default", "nothing was installed");

    let first = install(&app, &owner, Some("\"0\""), "LIC-A")
        .await
        .expect(StatusCode::OK);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(tag, format!("\"{}\"", first.json()["version"]));
    assert_ne!(tag, "\"0\"");
    // Another owner, still looking at the default, would replace LIC-A unseen: refused.
    let stale = install(&app, &owner, Some("\"0\""), "LIC-B").await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let view = app
        .call(Method::GET, "/api/v1/licence", &owner, None, &[])
        .await
        .json();
    assert_eq!(view["licence"]["id"], "LIC-A");
    let second = install(&app, &owner, Some(&tag), "LIC-B")
        .await
        .expect(StatusCode::OK);
    assert_eq!(second.json()["licence"]["id"], "LIC-B");
}
