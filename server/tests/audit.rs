//! The audit log: every change leaves exactly one entry, entries can be filtered, paged and
//! exported, and nobody can change them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{password_of, test_app, Auth, ADMIN_PASSWORD};
use serde_json::{json, Value};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// (expected action, method, path, body, headers, who)
type Step<'a> = (
    &'a str,
    Method,
    String,
    Option<Value>,
    &'a [(&'a str, &'a str)],
    &'a Auth,
);

#[tokio::test]
async fn each_mutating_route_leaves_exactly_one_entry() {
    let app = test_app().await;
    let owner = app.admin().await;
    let m1 = [("if-match", "\"1\"")];
    let m2 = [("if-match", "\"2\"")];
    // carol's own password change also moves her user to version 3.
    let m3 = [("if-match", "\"3\"")];

    // Each step: what it does, and the one entry it must leave.
    let before = app.audit_count().await;
    let user = app.create_user(&owner, "carol", "member").await;
    assert_eq!(app.audit_count().await, before + 1);
    assert_eq!(
        app.audit_tail(1).await[0],
        ("user.create".into(), "success".into())
    );
    let uid = id(&user);

    let n = app.audit_count().await;
    app.create_project(&owner, "p1").await;
    assert_eq!(app.audit_count().await, n + 1);
    assert_eq!(
        app.audit_tail(1).await[0],
        ("project.create".into(), "success".into())
    );
    let pid: String = sqlx::query_scalar("SELECT id FROM projects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let tok = app
        .call(
            Method::POST,
            "/api/v1/tokens",
            &owner,
            Some(json!({"name": "t"})),
            &[],
        )
        .await
        .json();
    let tid = tok["token"]["id"].as_str().unwrap().to_owned();
    let carol_session = app.sign_in("carol", &password_of("carol")).await;

    let steps: Vec<Step> = vec![
        (
            "project.update",
            Method::PATCH,
            format!("/api/v1/projects/{pid}"),
            Some(json!({"name": "p2"})),
            &m1,
            &owner,
        ),
        (
            "project.member.put",
            Method::PUT,
            format!("/api/v1/projects/{pid}/members"),
            Some(json!({"user_id": uid, "role": "viewer"})),
            &[],
            &owner,
        ),
        (
            "project.member.put",
            Method::PUT,
            format!("/api/v1/projects/{pid}/members"),
            Some(json!({"user_id": uid, "role": "editor"})),
            &m1,
            &owner,
        ),
        (
            "project.member.delete",
            Method::DELETE,
            format!("/api/v1/projects/{pid}/members/{uid}"),
            None,
            &m2,
            &owner,
        ),
        (
            "user.update",
            Method::PATCH,
            format!("/api/v1/users/{uid}"),
            Some(json!({"org_role": "owner"})),
            &m1,
            &owner,
        ),
        (
            "token.revoke",
            Method::DELETE,
            format!("/api/v1/tokens/{tid}"),
            None,
            &[],
            &owner,
        ),
        (
            "user.password.change",
            Method::PUT,
            "/api/v1/session/password".into(),
            Some(
                json!({"current_password": password_of("carol"), "new_password": "another long phrase"}),
            ),
            &[],
            &carol_session,
        ),
        (
            "session.delete",
            Method::DELETE,
            "/api/v1/session".into(),
            None,
            &[],
            &carol_session,
        ),
        (
            "project.delete",
            Method::DELETE,
            format!("/api/v1/projects/{pid}"),
            None,
            &m2,
            &owner,
        ),
        (
            "user.delete",
            Method::DELETE,
            format!("/api/v1/users/{uid}"),
            None,
            &m3,
            &owner,
        ),
    ];
    for (action, method, path, body, headers, auth) in steps {
        let n = app.audit_count().await;
        let reply = app.call(method.clone(), &path, auth, body, headers).await;
        assert!(
            reply.status.is_success(),
            "{action} {method} {path}: {}",
            reply.text()
        );
        assert_eq!(app.audit_count().await, n + 1, "{action}");
        assert_eq!(
            app.audit_tail(1).await[0],
            (action.to_owned(), "success".to_owned())
        );
    }
    // Sign-in, successful or not, is recorded too.
    let n = app.audit_count().await;
    app.admin().await;
    assert_eq!(app.audit_count().await, n + 1);
}

#[tokio::test]
async fn entries_say_who_did_what_to_what_from_where() {
    let app = test_app().await;
    let owner = app.admin().await;
    let project = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &owner,
            Some(json!({"name": "traced"})),
            &[("x-request-id", "req-42")],
        )
        .await
        .json();
    let page = app
        .call(
            Method::GET,
            "/api/v1/audit?action=project.create",
            &owner,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let e = &page["items"][0];
    assert_eq!(e["actor_kind"], "user");
    assert_eq!(e["actor_name"], "admin");
    assert_eq!(e["target_kind"], "project");
    assert_eq!(e["target_id"], project["id"]);
    assert_eq!(e["project_id"], project["id"]);
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["request_id"], "req-42");
    assert!(e["source"].is_string());
    assert!(e["at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn filters_and_cursor_paging_walk_the_whole_log_newest_first() {
    let app = test_app().await;
    let owner = app.admin().await;
    for i in 0..7 {
        app.create_project(&owner, &format!("p{i}")).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit?action=project.&limit=3&cursor={c}"),
            None => "/api/v1/audit?action=project.&limit=3".to_owned(),
        };
        let page = app
            .call(Method::GET, &path, &owner, None, &[])
            .await
            .expect(StatusCode::OK)
            .json();
        for e in page["items"].as_array().unwrap() {
            seen.push(e["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seen:?}"
    );

    let by_actor = app
        .call(
            Method::GET,
            "/api/v1/audit?actor=admin&action=session.create",
            &owner,
            None,
            &[],
        )
        .await
        .json();
    assert_eq!(by_actor["items"].as_array().unwrap().len(), 1);
    let future = app
        .call(
            Method::GET,
            "/api/v1/audit?from=2999-01-01T00:00:00Z",
            &owner,
            None,
            &[],
        )
        .await
        .json();
    assert!(future["items"].as_array().unwrap().is_empty());
    let bad = app
        .call(
            Method::GET,
            "/api/v1/audit?from=yesterday",
            &owner,
            None,
            &[],
        )
        .await;
    assert_eq!(bad.problem().errors[0].field, "from");
    let bad = app
        .call(Method::GET, "/api/v1/audit?limit=1000", &owner, None, &[])
        .await;
    assert_eq!(bad.problem().errors[0].field, "limit");
}

#[tokio::test]
async fn csv_export_has_a_header_and_one_line_per_entry() {
    let app = test_app().await;
    let owner = app.admin().await;
    app.create_project(&owner, "=HYPERLINK(\"x\")").await;
    let reply = app
        .call(Method::GET, "/api/v1/audit/export.csv", &owner, None, &[])
        .await
        .expect(StatusCode::OK);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(reply.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let text = reply.text();
    let lines: Vec<_> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("id,at,actor_kind"));
    assert_eq!(lines.len() as i64 - 1, app.audit_count().await);
    assert!(
        text.contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "formula defused: {text}"
    );
}

#[tokio::test]
async fn owners_read_everything_project_admins_their_projects_and_others_nothing() {
    let app = test_app().await;
    let owner = app.admin().await;
    let mine = app.create_project(&owner, "mine").await;
    app.create_project(&owner, "theirs").await;
    for name in ["ada", "val"] {
        app.create_user(&owner, name, "member").await;
    }
    let users: Value = app
        .call(Method::GET, "/api/v1/users", &owner, None, &[])
        .await
        .json();
    let uid = |n: &str| {
        id(users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == n)
            .unwrap())
    };
    app.add_member(&owner, &id(&mine), &uid("ada"), "admin")
        .await;
    app.add_member(&owner, &id(&mine), &uid("val"), "viewer")
        .await;

    let ada = app.sign_in("ada", &password_of("ada")).await;
    let page = app
        .call(Method::GET, "/api/v1/audit", &ada, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|e| e["project_id"] == mine["id"]),
        "{items:?}"
    );

    let val = app.sign_in("val", &password_of("val")).await;
    assert_eq!(
        app.call(Method::GET, "/api/v1/audit", &val, None, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let everything = app
        .call(Method::GET, "/api/v1/audit?limit=200", &owner, None, &[])
        .await
        .json();
    assert_eq!(
        everything["items"].as_array().unwrap().len() as i64,
        app.audit_count().await
    );
}

#[tokio::test]
async fn entries_cannot_be_changed_or_removed() {
    let app = test_app().await;
    let owner = app.admin().await;
    for method in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let reply = app
            .call(
                method.clone(),
                "/api/v1/audit",
                &owner,
                Some(json!({})),
                &[],
            )
            .await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // Not even with direct database access through the server's own pool.
    let update = sqlx::query("UPDATE audit_log SET outcome = 'success'")
        .execute(&app.db)
        .await;
    assert!(update
        .unwrap_err()
        .to_string()
        .contains("cannot be changed"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(&app.db).await;
    assert!(delete
        .unwrap_err()
        .to_string()
        .contains("cannot be deleted"));
    assert!(app.audit_count().await > 0);
    let _ = ADMIN_PASSWORD;
}

/// Every filter of the audit list is served by an index, so a filtered page stays cheap with a
/// million entries (figures: `cargo bench -p byoc-server --bench api_load -- audit`). Asked of
/// SQLite's own planner for the query the list runs, over a log seeded with 20,000 entries.
#[tokio::test]
async fn every_audit_filter_is_served_by_an_index() {
    use byoc_server::db::audit::{bulk, select, Actor, Filter};

    let app = test_app().await;
    let mut conn = app.store.acquire_writer().await.unwrap();
    bulk(&mut conn, 20_000).await.unwrap();
    drop(conn);
    // What the server does at start and every few minutes.
    byoc_server::db::optimize(&app.store).await.unwrap();
    if common::on_postgres() {
        // ANALYZE ran on this test's own schema: the planner has the log's statistics.
        let columns: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() \
             AND tablename = 'audit_log'",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert!(columns > 0, "no statistics of audit_log");
    }
    let mut conn = app.store.acquire().await.unwrap();
    let some = |s: &str| Some(s.to_owned());
    let filters = [
        (
            "actor",
            Filter {
                actor: some("user-7"),
                ..Filter::default()
            },
        ),
        (
            "action",
            Filter {
                action: some("deployment.stop"),
                ..Filter::default()
            },
        ),
        (
            "target",
            Filter {
                target: some("dep-42"),
                ..Filter::default()
            },
        ),
        (
            "projects",
            Filter {
                projects: Some(vec!["proj-3".to_owned(), "proj-4".to_owned()]),
                ..Filter::default()
            },
        ),
        (
            "target with a cursor",
            Filter {
                target: some("dep-42"),
                before_id: Some(10_000),
                ..Filter::default()
            },
        ),
    ];
    let by_id = Filter {
        actor: some("u-7"),
        ..Filter::default()
    };
    let asked = filters
        .into_iter()
        .map(|(name, f)| (name, f, Actor::Name))
        .chain([("actor by id", by_id, Actor::Id)]);
    // SQLite's planner is asked; PostgreSQL's indexes are the same (its own schema), and the
    // answers below are checked on both.
    let asked = asked.filter(|_| !common::on_postgres());
    for (name, filter, actor_by) in asked {
        let details = common::plan(
            &app.db,
            &select("EXPLAIN QUERY PLAN ", &filter, 51, actor_by),
        )
        .await;
        let on_log: Vec<&String> = details
            .iter()
            .filter(|d| d.contains("audit_log ") || d.ends_with("audit_log"))
            .collect();
        assert!(!on_log.is_empty(), "{name}: {details:?}");
        for d in on_log {
            assert!(
                d.starts_with("SEARCH audit_log USING") || d.contains("INDEX audit_log_by_"),
                "{name}: the log is scanned: {details:?}"
            );
        }
    }

    // A prefix is asked action by action: those the log holds under it, and only those.
    let under = byoc_server::db::audit::actions_under(&mut conn, "project.")
        .await
        .unwrap();
    assert_eq!(under, ["project.create", "project.update"]);
    assert!(byoc_server::db::audit::actions_under(&mut conn, "proj.")
        .await
        .unwrap()
        .is_empty());
    // The merged answer holds exactly what the prefix names, newest first.
    let entries = byoc_server::db::audit::list(
        &mut conn,
        &Filter {
            action: some("project."),
            ..Filter::default()
        },
        200,
    )
    .await
    .unwrap();
    assert_eq!(entries.len(), 200);
    assert!(entries.iter().all(|e| e.action.starts_with("project.")));
    assert!(entries.windows(2).all(|w| w[0].id > w[1].id));
    assert!(entries.iter().any(|e| e.action == "project.update"));

    // An actor is matched by name or by id (two index reads, merged newest first).
    let of = |actor: &str| Filter {
        actor: some(actor),
        ..Filter::default()
    };
    let by_name = byoc_server::db::audit::list(&mut conn, &of("user-7"), 60)
        .await
        .unwrap();
    let by_id = byoc_server::db::audit::list(&mut conn, &of("u-7"), 60)
        .await
        .unwrap();
    let ids = |es: &[byoc_core::api::AuditEntry]| es.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(by_name.len(), 60);
    assert_eq!(ids(&by_name), ids(&by_id));
    assert!(
        ids(&by_name).windows(2).all(|w| w[0] > w[1]),
        "newest first"
    );
}
