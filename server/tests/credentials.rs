//! What a password change does to a user's other ways in (issue "Hardening", finding 6): an
//! owner's reset and removing a user end every session and token of that user; changing one's own
//! password ends one's other sessions and, when asked, one's tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{password_of, test_app, Auth, TestApp};
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// A fresh API token of `auth`'s user.
async fn token(app: &TestApp, auth: &Auth, name: &str) -> Auth {
    let created = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            auth,
            Some(json!({"name": name})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    Auth::Bearer(created["secret"].as_str().unwrap().to_owned())
}

async fn who(app: &TestApp, auth: &Auth) -> StatusCode {
    app.call(Method::GET, "/api/v1/session", auth, None, &[])
        .await
        .status
}

/// Alice (a member) signed in twice, with a token; returns (her id, session, session, token).
async fn alice(app: &TestApp, owner: &Auth) -> (String, Auth, Auth, Auth) {
    let id = app.create_user(owner, "alice", "member").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let laptop = app.sign_in("alice", &password_of("alice")).await;
    let phone = app.sign_in("alice", &password_of("alice")).await;
    let bearer = token(app, &laptop, "ci").await;
    for auth in [&laptop, &phone, &bearer] {
        assert_eq!(who(app, auth).await, StatusCode::OK);
    }
    (id, laptop, phone, bearer)
}

async fn version_of(app: &TestApp, owner: &Auth, id: &str) -> String {
    let user = app
        .call(
            Method::GET,
            &format!("/api/v1/users/{id}"),
            owner,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK);
    user.json()["version"].to_string()
}

#[tokio::test]
async fn an_owners_reset_ends_every_session_and_token_of_that_user() {
    let app = test_app().await;
    let owner = app.admin().await;
    let (id, laptop, phone, bearer) = alice(&app, &owner).await;
    let version = version_of(&app, &owner, &id).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        &owner,
        Some(json!({"password": NEW_PASSWORD})),
        &[("if-match", &version)],
    )
    .await
    .expect(StatusCode::OK);
    for (what, auth) in [("laptop", &laptop), ("phone", &phone), ("token", &bearer)] {
        assert_eq!(who(&app, auth).await, StatusCode::UNAUTHORIZED, "{what}");
    }
    // The owner's own session is untouched, and the new password works.
    assert_eq!(who(&app, &owner).await, StatusCode::OK);
    app.sign_in("alice", NEW_PASSWORD).await;
}

#[tokio::test]
async fn a_role_change_alone_leaves_sessions_and_tokens_alone() {
    let app = test_app().await;
    let owner = app.admin().await;
    let (id, laptop, _, bearer) = alice(&app, &owner).await;
    let version = version_of(&app, &owner, &id).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        &owner,
        Some(json!({"org_role": "owner"})),
        &[("if-match", &version)],
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(who(&app, &laptop).await, StatusCode::OK);
    assert_eq!(who(&app, &bearer).await, StatusCode::OK);
}

#[tokio::test]
async fn removing_a_user_ends_their_sessions_and_tokens() {
    let app = test_app().await;
    let owner = app.admin().await;
    let (id, laptop, phone, bearer) = alice(&app, &owner).await;
    let version = version_of(&app, &owner, &id).await;
    app.call(
        Method::DELETE,
        &format!("/api/v1/users/{id}"),
        &owner,
        None,
        &[("if-match", &version)],
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    for (what, auth) in [("laptop", &laptop), ("phone", &phone), ("token", &bearer)] {
        assert_eq!(who(&app, auth).await, StatusCode::UNAUTHORIZED, "{what}");
    }
}

async fn change_own(app: &TestApp, auth: &Auth, body: serde_json::Value) {
    app.call(
        Method::PUT,
        "/api/v1/session/password",
        auth,
        Some(body),
        &[],
    )
    .await
    .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn changing_your_own_password_ends_your_other_sessions_and_keeps_tokens_unless_asked() {
    let app = test_app().await;
    let owner = app.admin().await;
    let (_, laptop, phone, bearer) = alice(&app, &owner).await;
    change_own(
        &app,
        &laptop,
        json!({"current_password": password_of("alice"), "new_password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(
        who(&app, &laptop).await,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(who(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        who(&app, &bearer).await,
        StatusCode::OK,
        "tokens stay by default"
    );
}

#[tokio::test]
async fn changing_your_own_password_can_revoke_your_tokens() {
    let app = test_app().await;
    let owner = app.admin().await;
    let (_, laptop, phone, bearer) = alice(&app, &owner).await;
    let owners_token = token(&app, &owner, "owner-ci").await;
    change_own(
        &app,
        &laptop,
        json!({"current_password": password_of("alice"), "new_password": NEW_PASSWORD, "revoke_tokens": true}),
    )
    .await;
    assert_eq!(
        who(&app, &laptop).await,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(who(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(who(&app, &bearer).await, StatusCode::UNAUTHORIZED);
    // Only her tokens: the owner's are not hers to end.
    assert_eq!(who(&app, &owners_token).await, StatusCode::OK);
    let listed = app
        .call(Method::GET, "/api/v1/tokens", &laptop, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(listed["items"][0]["revoked"], true, "{listed}");
}

#[tokio::test]
async fn the_operators_reset_ends_sessions_and_tokens_and_is_audited_as_the_system() {
    let app = test_app().await;
    let owner = app.admin().await;
    let owners_token = token(&app, &owner, "owner-ci").await;
    let db = app.store.clone();
    // A password given on standard input must follow the same rule as any other.
    assert!(matches!(
        byoc_server::operator::reset_password(&db, "admin", Some("short".into())).await,
        Err(byoc_server::operator::OperatorError::Password(_))
    ));
    assert_eq!(who(&app, &owners_token).await, StatusCode::OK);

    let generated = byoc_server::operator::reset_password(&db, "admin", None)
        .await
        .unwrap();
    assert!(generated.len() >= 20, "{generated}");
    assert_eq!(who(&app, &owner).await, StatusCode::UNAUTHORIZED);
    assert_eq!(who(&app, &owners_token).await, StatusCode::UNAUTHORIZED);
    app.sign_in("admin", &generated).await;
    let (kind, detail): (String, String) = sqlx::query_as(
        "SELECT actor_kind, detail FROM audit_log WHERE action = 'user.update' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kind, "system");
    assert!(detail.contains("1 API token(s) revoked"), "{detail}");
    assert!(matches!(
        byoc_server::operator::reset_password(&db, "nobody", None).await,
        Err(byoc_server::operator::OperatorError::NoSuchUser(_))
    ));
}
