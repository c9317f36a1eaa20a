//! Sign-in, sessions, tokens, cross-site safety and security headers, through the real router.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use byoc_core::api::ProblemCode;
use common::{password_of, test_app, test_app_with, Auth, ADMIN_PASSWORD};
use serde_json::json;

fn credentials(username: &str, password: &str) -> Option<serde_json::Value> {
    Some(json!({"username": username, "password": password}))
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_says_who_you_are() {
    let app = test_app().await;
    let reply = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            credentials("admin", ADMIN_PASSWORD),
            &[],
        )
        .await;
    let reply = reply.expect(StatusCode::OK);
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("byoc_session=byoc_ses_"), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain-HTTP local run: {cookie}");
    assert_eq!(reply.json()["user"]["username"], "admin");
    assert_eq!(reply.json()["user"]["org_role"], "owner");

    let auth = Auth::Cookie(cookie.split(';').next().unwrap().to_owned());
    let me = app
        .call(Method::GET, "/api/v1/session", &auth, None, &[])
        .await
        .expect(StatusCode::OK);
    assert_eq!(me.json()["via"], "session");
    // Only a digest of the session secret is stored.
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!cookie.contains(&stored));
}

#[tokio::test]
async fn behind_tls_the_cookie_is_secure() {
    let app = test_app_with(|c| c.public_url = Some("https://byoc.example.com".into())).await;
    let reply = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            credentials("admin", ADMIN_PASSWORD),
            &[],
        )
        .await;
    assert!(reply.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("; Secure"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = test_app().await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            credentials("admin", "not the password"),
            &[],
        )
        .await;
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            credentials("nobody", "not the password"),
            &[],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let (a, b) = (wrong.problem(), unknown.problem());
    assert_eq!((a.code.as_str(), &a.detail), (b.code.as_str(), &b.detail));
    assert_eq!(a.code, ProblemCode::InvalidCredentials);
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    // Both are audited alike: one entry, the second failure (same source, same hour) counted on
    // it rather than recorded again.
    assert_eq!(
        app.audit_tail(1).await,
        [("session.create".into(), "failure".into())]
    );
    let repeats: i64 = sqlx::query_scalar("SELECT repeats FROM audit_repeats")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(repeats, 1);
}

#[tokio::test]
async fn accounts_need_a_session_or_token() {
    let app = test_app().await;
    for path in [
        "/api/v1/session",
        "/api/v1/users",
        "/api/v1/projects",
        "/api/v1/tokens",
        "/api/v1/audit",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(reply.problem().code, ProblemCode::Unauthenticated, "{path}");
    }
    let forged = Auth::Cookie("byoc_session=byoc_ses_forged".into());
    assert_eq!(
        app.call(Method::GET, "/api/v1/session", &forged, None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_cookie_alone_cannot_change_anything() {
    let app = test_app().await;
    let Auth::Cookie(cookie) = app.admin().await else {
        unreachable!()
    };
    let before = app.audit_count().await;
    let reply = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &Auth::CookieOnly(cookie.clone()),
            Some(json!({"name": "x"})),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.problem().code, ProblemCode::CsrfHeaderMissing);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(app.audit_count().await, before);
    // Reading with the cookie alone is fine.
    app.call(
        Method::GET,
        "/api/v1/projects",
        &Auth::CookieOnly(cookie),
        None,
        &[],
    )
    .await
    .expect(StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = test_app().await;
    let auth = app.admin().await;
    let out = app
        .call(Method::DELETE, "/api/v1/session", &auth, None, &[])
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(out.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        app.call(Method::GET, "/api/v1/session", &auth, None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let app = test_app().await;
    let here = app.admin().await;
    let elsewhere = app.admin().await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let wrong = app
        .call(
            Method::PUT,
            "/api/v1/session/password",
            &here,
            Some(change("nope", "a brand new passphrase")),
            &[],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let weak = app
        .call(
            Method::PUT,
            "/api/v1/session/password",
            &here,
            Some(change(ADMIN_PASSWORD, "short")),
            &[],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.problem().errors[0].field, "new_password");

    app.call(
        Method::PUT,
        "/api/v1/session/password",
        &here,
        Some(change(ADMIN_PASSWORD, "a brand new passphrase")),
        &[],
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    app.call(Method::GET, "/api/v1/session", &here, None, &[])
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        app.call(Method::GET, "/api/v1/session", &elsewhere, None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let old = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            credentials("admin", ADMIN_PASSWORD),
            &[],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.sign_in("admin", "a brand new passphrase").await;
}

#[tokio::test]
async fn api_tokens_are_shown_once_work_as_bearer_and_stop_when_revoked() {
    let app = test_app().await;
    let admin = app.admin().await;
    let created = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": "ci", "expires_in_days": 30})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("byoc_tok_"));
    let listed = app
        .call(Method::GET, "/api/v1/tokens", &admin, None, &[])
        .await
        .expect(StatusCode::OK);
    assert!(
        !listed.text().contains(&secret),
        "the secret is never shown again"
    );
    let stored: String = sqlx::query_scalar("SELECT secret_hash FROM api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(stored, secret);

    // A token acts as its user, and needs no X-Requested-With (no browser is involved).
    let bearer = Auth::Bearer(secret.clone());
    let me = app
        .call(Method::GET, "/api/v1/session", &bearer, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (me["user"]["username"].as_str(), me["via"].as_str()),
        (Some("admin"), Some("token"))
    );
    app.create_project(&bearer, "made by a token").await;

    let id = created["token"]["id"].as_str().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        &admin,
        None,
        &[],
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.call(Method::GET, "/api/v1/session", &bearer, None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn token_names_and_expiry_are_validated() {
    let app = test_app().await;
    let admin = app.admin().await;
    let reply = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": "x", "expires_in_days": 400})),
            &[],
        )
        .await;
    assert_eq!(reply.problem().errors[0].field, "expires_in_days");
    let reply = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": ""})),
            &[],
        )
        .await;
    assert_eq!(reply.problem().errors[0].field, "name");
}

#[tokio::test]
async fn someone_elses_token_cannot_be_revoked_or_even_seen() {
    let app = test_app().await;
    let admin = app.admin().await;
    app.create_user(&admin, "bob", "member").await;
    let bob = app.sign_in("bob", &password_of("bob")).await;
    let created = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &admin,
            Some(json!({"name": "mine"})),
            &[],
        )
        .await
        .json();
    let id = created["token"]["id"].as_str().unwrap();
    let reply = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            &bob,
            None,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.audit_tail(1).await,
        [("token.revoke".into(), "denied".into())]
    );
    let bearer = Auth::Bearer(created["secret"].as_str().unwrap().to_owned());
    app.call(Method::GET, "/api/v1/session", &bearer, None, &[])
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = test_app().await;
    for path in ["/healthz", "/api/v1/catalog", "/api/v1/nope", "/"] {
        let reply = app.get(path).await;
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test]
async fn the_inline_loader_of_the_built_console_is_allowed_by_its_hash() {
    let app = test_app_with(|c| {
        let dist = c.data_dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<script type=\"module\">boot()</script>",
        )
        .unwrap();
        c.console_dir = dist;
    })
    .await;
    let csp = app.get("/").await.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    // sha256("boot()"), base64.
    assert!(csp.contains("'sha256-"), "{csp}");
}

#[tokio::test]
async fn the_first_start_creates_one_owner_and_records_it() {
    let app = test_app_with(|c| c.admin_password = None).await;
    let users: Vec<(String, String)> = sqlx::query_as("SELECT username, org_role FROM users")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(users, [("admin".to_owned(), "owner".to_owned())]);
    assert_eq!(
        app.audit_tail(1).await,
        [("user.create".into(), "success".into())]
    );
}

#[tokio::test]
async fn a_weak_configured_admin_password_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = byoc_server::config::Config::for_tests(dir.path());
    config.admin_password = Some("short".into());
    let err = byoc_server::prepare(config).await.unwrap_err();
    assert!(err.to_string().contains("BYOC_ADMIN_PASSWORD"), "{err}");
}
