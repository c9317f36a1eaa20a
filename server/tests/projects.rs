//! Projects, members, roles on every route, If-Match and Idempotency-Key, through the real router.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{Method, StatusCode};
use byoc_core::api::ProblemCode;
use common::{password_of, test_app, Auth, TestApp};
use serde_json::{json, Value};

/// An owner, a project with an admin, an editor and a viewer, and an outsider in no project.
struct World {
    app: TestApp,
    owner: Auth,
    project: Value,
    admin: (Auth, Value),
    editor: (Auth, Value),
    viewer: (Auth, Value),
    outsider: (Auth, Value),
}

async fn world() -> World {
    let app = test_app().await;
    let owner = app.admin().await;
    let project = app.create_project(&owner, "payments").await;
    let pid = project["id"].as_str().unwrap().to_owned();
    let mut people = Vec::new();
    for (name, role) in [
        ("pat", Some("admin")),
        ("eddie", Some("editor")),
        ("vic", Some("viewer")),
        ("otto", None),
    ] {
        let user = app.create_user(&owner, name, "member").await;
        if let Some(role) = role {
            app.add_member(&owner, &pid, user["id"].as_str().unwrap(), role)
                .await;
        }
        people.push((app.sign_in(name, &password_of(name)).await, user));
    }
    let mut people = people.into_iter();
    let mut next = || people.next().unwrap();
    let (admin, editor, viewer, outsider) = (next(), next(), next(), next());
    World {
        app,
        owner,
        project,
        admin,
        editor,
        viewer,
        outsider,
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Everything a refused request must leave untouched.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT 'u:' || id || ':' || org_role || ':' || version FROM users \
         UNION ALL SELECT 'p:' || id || ':' || name || ':' || version FROM projects \
         UNION ALL SELECT 'm:' || project_id || ':' || user_id || ':' || role || ':' || version FROM project_members \
         ORDER BY 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn every_mutating_route_refuses_viewers_and_outsiders_and_changes_nothing() {
    let w = world().await;
    let pid = id(&w.project);
    let victim = id(&w.editor.1);
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"username": "mallory", "password": password_of("m"), "org_role": "owner"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{victim}"),
            Some(json!({"org_role": "owner"})),
        ),
        (Method::DELETE, format!("/api/v1/users/{victim}"), None),
        (
            Method::POST,
            "/api/v1/projects".into(),
            Some(json!({"name": "shadow"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/projects/{pid}"),
            Some(json!({"name": "renamed"})),
        ),
        (Method::DELETE, format!("/api/v1/projects/{pid}"), None),
        (
            Method::PUT,
            format!("/api/v1/projects/{pid}/members"),
            Some(json!({"user_id": victim, "role": "admin"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/projects/{pid}/members/{victim}"),
            None,
        ),
    ];
    let before = snapshot(&w.app).await;
    for (who, auth) in [
        ("viewer", &w.viewer.0),
        ("editor", &w.editor.0),
        ("outsider", &w.outsider.0),
    ] {
        for (method, path, body) in &routes {
            let audit_before = w.app.audit_count().await;
            let reply = w
                .app
                .call(
                    method.clone(),
                    path,
                    auth,
                    body.clone(),
                    &[("if-match", "\"1\"")],
                )
                .await;
            let project_route = path.contains("/projects/");
            let expected = if who == "outsider" && project_route {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                reply.status,
                expected,
                "{who} {method} {path}: {}",
                reply.text()
            );
            // Each refusal is itself recorded, once.
            assert_eq!(
                w.app.audit_count().await,
                audit_before + 1,
                "{who} {method} {path}"
            );
            assert_eq!(
                w.app.audit_tail(1).await[0].1,
                "denied",
                "{who} {method} {path}"
            );
        }
    }
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn members_see_only_their_projects_and_outsiders_cannot_tell_a_project_exists() {
    let w = world().await;
    w.app.create_project(&w.owner, "secret-project").await;
    let names = |v: Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let mine = w
        .app
        .call(Method::GET, "/api/v1/projects", &w.viewer.0, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(names(mine.clone()), ["payments"]);
    assert_eq!(mine["items"][0]["role"], "viewer");
    let all = w
        .app
        .call(Method::GET, "/api/v1/projects", &w.owner, None, &[])
        .await
        .json();
    assert_eq!(names(all), ["payments", "secret-project"]);
    let none = w
        .app
        .call(Method::GET, "/api/v1/projects", &w.outsider.0, None, &[])
        .await
        .json();
    assert!(names(none).is_empty());

    let pid = id(&w.project);
    let hidden = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{pid}"),
            &w.outsider.0,
            None,
            &[],
        )
        .await;
    let missing = w
        .app
        .call(
            Method::GET,
            "/api/v1/projects/no-such-id",
            &w.outsider.0,
            None,
            &[],
        )
        .await;
    assert_eq!(
        (hidden.status, hidden.problem().detail),
        (missing.status, missing.problem().detail)
    );
    w.app
        .call(
            Method::GET,
            &format!("/api/v1/projects/{pid}/members"),
            &w.viewer.0,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn project_admins_manage_members_and_the_project_but_not_users() {
    let w = world().await;
    let pid = id(&w.project);
    let outsider_id = id(&w.outsider.1);
    let added = w
        .app
        .add_member(&w.admin.0, &pid, &outsider_id, "viewer")
        .await;
    assert_eq!(added["version"], 1);
    // Changing an existing membership needs its version.
    let path = format!("/api/v1/projects/{pid}/members");
    let body = Some(json!({"user_id": outsider_id, "role": "editor"}));
    let no_version = w
        .app
        .call(Method::PUT, &path, &w.admin.0, body.clone(), &[])
        .await;
    assert_eq!(no_version.status, StatusCode::PRECONDITION_REQUIRED);
    let changed = w
        .app
        .call(
            Method::PUT,
            &path,
            &w.admin.0,
            body,
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (changed["role"].as_str(), changed["version"].as_i64()),
        (Some("editor"), Some(2))
    );
    w.app
        .call(
            Method::DELETE,
            &format!("{path}/{outsider_id}"),
            &w.admin.0,
            None,
            &[("if-match", "\"2\"")],
        )
        .await
        .expect(StatusCode::NO_CONTENT);
    w.app
        .call(
            Method::PATCH,
            &format!("/api/v1/projects/{pid}"),
            &w.admin.0,
            Some(json!({"description": "cards"})),
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK);
    let users = w
        .app
        .call(Method::GET, "/api/v1/users", &w.admin.0, None, &[])
        .await;
    assert_eq!(users.status, StatusCode::FORBIDDEN);
    let unknown = w
        .app
        .call(
            Method::PUT,
            &path,
            &w.admin.0,
            Some(json!({"user_id": "nobody", "role": "viewer"})),
            &[],
        )
        .await;
    assert_eq!(unknown.problem().errors[0].code, "unknown_user");
}

#[tokio::test]
async fn stale_versions_are_refused_with_the_current_one() {
    let w = world().await;
    let path = format!("/api/v1/projects/{}", id(&w.project));
    let got = w
        .app
        .call(Method::GET, &path, &w.owner, None, &[])
        .await
        .expect(StatusCode::OK);
    assert_eq!(got.headers["etag"], "\"1\"");
    let rename = |name: &str| Some(json!({"name": name}));

    let missing = w
        .app
        .call(Method::PATCH, &path, &w.owner, rename("a"), &[])
        .await;
    assert_eq!(
        (missing.status, missing.problem().code.as_str()),
        (StatusCode::PRECONDITION_REQUIRED, "if_match_required")
    );

    // Two tabs saw version 1; the first save wins, the second is told and changes nothing.
    let first = w
        .app
        .call(
            Method::PATCH,
            &path,
            &w.owner,
            rename("tab one"),
            &[("if-match", "\"1\"")],
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(first.headers["etag"], "\"2\"");
    let second = w
        .app
        .call(
            Method::PATCH,
            &path,
            &w.owner,
            rename("tab two"),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(second.status, StatusCode::PRECONDITION_FAILED);
    let problem = second.problem();
    assert_eq!(
        (problem.code.as_str(), problem.current_version),
        ("version_mismatch", Some(2))
    );
    assert_eq!(
        w.app
            .call(Method::GET, &path, &w.owner, None, &[])
            .await
            .json()["name"],
        "tab one"
    );

    let garbage = w
        .app
        .call(
            Method::PATCH,
            &path,
            &w.owner,
            rename("x"),
            &[("if-match", "banana")],
        )
        .await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn idempotency_keys_make_retries_safe() {
    let app = test_app().await;
    let owner = app.admin().await;
    let key = [("idempotency-key", "4f1c2e7a-retry-1")];
    let body = Some(json!({"name": "billing", "description": "invoices"}));
    let first = app
        .call(Method::POST, "/api/v1/projects", &owner, body.clone(), &key)
        .await
        .expect(StatusCode::CREATED);
    let again = app
        .call(Method::POST, "/api/v1/projects", &owner, body, &key)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(first.json()["id"], again.json()["id"]);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    let other = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &owner,
            Some(json!({"name": "other"})),
            &key,
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.problem().code, ProblemCode::IdempotencyKeyReused);
    // Keys belong to their user: another user's identical key is a new request.
    app.create_user(&owner, "second", "owner").await;
    let second = app.sign_in("second", &password_of("second")).await;
    let theirs = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &second,
            Some(json!({"name": "theirs"})),
            &key,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_replayed_token_creation_does_not_repeat_the_secret() {
    let app = test_app().await;
    let owner = app.admin().await;
    let key = [("idempotency-key", "tok-1")];
    let body = Some(json!({"name": "ci"}));
    let first = app
        .call(Method::POST, "/api/v1/tokens", &owner, body.clone(), &key)
        .await
        .json();
    let again = app
        .call(Method::POST, "/api/v1/tokens", &owner, body, &key)
        .await
        .json();
    assert!(first["secret"].is_string());
    assert!(again["secret"].is_null());
    assert_eq!(first["token"]["id"], again["token"]["id"]);
}

#[tokio::test]
async fn project_names_are_unique_and_validated() {
    let w = world().await;
    let dup = w
        .app
        .call(
            Method::POST,
            "/api/v1/projects",
            &w.owner,
            Some(json!({"name": "payments"})),
            &[],
        )
        .await;
    assert_eq!(
        (dup.status, dup.problem().code.as_str()),
        (StatusCode::CONFLICT, "name_taken")
    );
    let bad = w
        .app
        .call(
            Method::POST,
            "/api/v1/projects",
            &w.owner,
            Some(json!({"name": " padded "})),
            &[],
        )
        .await;
    assert_eq!(bad.problem().errors[0].field, "name");
    let malformed = w
        .app
        .call(
            Method::POST,
            "/api/v1/projects",
            &w.owner,
            Some(json!({"nom": 1})),
            &[],
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_last_owner_stays_and_nobody_removes_themselves() {
    let app = test_app().await;
    let owner = app.admin().await;
    let me: Value = app
        .call(Method::GET, "/api/v1/session", &owner, None, &[])
        .await
        .json();
    let my_id = me["user"]["id"].as_str().unwrap();
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{my_id}"),
            &owner,
            Some(json!({"org_role": "member"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(
        (demote.status, demote.problem().code.as_str()),
        (StatusCode::CONFLICT, "last_owner")
    );
    let delete = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{my_id}"),
            &owner,
            None,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(delete.problem().code, ProblemCode::CannotDeleteSelf);
}

#[tokio::test]
async fn an_owner_reset_password_signs_the_user_out_everywhere() {
    let app = test_app().await;
    let owner = app.admin().await;
    let bob = app.create_user(&owner, "bob", "member").await;
    let bob_session = app.sign_in("bob", &password_of("bob")).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{}", id(&bob)),
        &owner,
        Some(json!({"password": "a fresh reset phrase"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        app.call(Method::GET, "/api/v1/session", &bob_session, None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.sign_in("bob", "a fresh reset phrase").await;
}
