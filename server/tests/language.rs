//! Both languages in every answer (issue 19, item 2): a problem's `title`, `detail` and field
//! messages follow `Accept-Language` (English and 简体中文), the sentences the console also shows
//! are the console's own words, the `code`s stay what they were, and what is stored stays English.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use byoc_core::access::throttle::REAL_UNIT_MS;
use byoc_core::api::{Problem, ProblemCode, Refusal};
use byoc_core::lang::Lang;
use common::{licence_line, licensed_app, test_app, test_app_with, Auth, Reply, TestApp};
use serde_json::{json, Value};

const ZH: &[(&str, &str)] = &[("accept-language", "zh-CN")];

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The problem, checked to be worded wholly in Chinese and labelled so.
fn chinese(reply: &Reply) -> Problem {
    assert_eq!(
        reply.headers[header::CONTENT_LANGUAGE],
        "zh-CN",
        "{}",
        reply.text()
    );
    let problem = reply.problem();
    assert!(has_chinese(&problem.title), "title: {}", problem.title);
    let detail = problem.detail.clone().unwrap_or_default();
    assert!(has_chinese(&detail), "detail: {detail}");
    for e in &problem.errors {
        assert!(has_chinese(&e.message), "{}: {}", e.field, e.message);
    }
    problem
}

/// The problem, checked to be worded in English and labelled so.
fn english(reply: &Reply) -> Problem {
    assert_eq!(
        reply.headers[header::CONTENT_LANGUAGE],
        "en",
        "{}",
        reply.text()
    );
    let problem = reply.problem();
    assert!(!has_chinese(&problem.title), "title: {}", problem.title);
    let detail = problem.detail.clone().unwrap_or_default();
    assert!(
        !detail.is_empty() && !has_chinese(&detail),
        "detail: {detail}"
    );
    for e in &problem.errors {
        assert!(!has_chinese(&e.message), "{}: {}", e.field, e.message);
    }
    problem
}

async fn project_of(app: &TestApp, auth: &Auth) -> String {
    app.create_project(auth, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn bad_deployment() -> Value {
    json!({
        "name": "Bad_Name", "cloud": "aws", "region": "mars-1", "vpc_cidr": "8.8.8.0/24",
        "sessions": 4000, "tps": 1000, "domain": "mqtt.example.com", "tags": []
    })
}

#[tokio::test]
async fn core_validation_errors_follow_accept_language_field_by_field() {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = project_of(&app, &admin).await;
    let uri = format!("/api/v1/projects/{project}/deployments");
    let zh = app
        .call(Method::POST, &uri, &admin, Some(bad_deployment()), ZH)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let en = app
        .call(Method::POST, &uri, &admin, Some(bad_deployment()), &[])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let (zh, en) = (chinese(&zh), english(&en));
    assert_eq!(zh.code, ProblemCode::ValidationFailed);
    assert_eq!(zh.detail.as_deref(), Some("有 3 个字段无效。"));
    let codes = |p: &Problem| -> Vec<(String, String)> {
        p.errors
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect()
    };
    assert_eq!(codes(&zh), codes(&en), "the codes are the contract");
    assert_eq!(
        codes(&zh),
        [
            ("name".to_owned(), "name_start".to_owned()),
            ("region".to_owned(), "unknown_region".to_owned()),
            ("vpc_cidr".to_owned(), "cidr_not_private".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_bad_query_parameter_is_refused_in_chinese() {
    let app = test_app().await;
    let reply = app
        .call(
            Method::GET,
            "/api/v1/prerequisites/sizing?cloud=mars&sessions=10&tps=10",
            &Auth::None,
            None,
            ZH,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let problem = chinese(&reply);
    assert_eq!(problem.errors[0].code, "unknown_cloud");
    assert!(problem.errors[0].message.contains("mars"));
}

#[tokio::test]
async fn not_found_conflict_and_forbidden_are_worded_in_chinese() {
    let app = test_app().await;
    let admin = app.admin().await;
    let missing = app
        .call(Method::GET, "/api/v1/projects/nope", &admin, None, ZH)
        .await
        .expect(StatusCode::NOT_FOUND);
    let problem = chinese(&missing);
    assert_eq!(problem.code, ProblemCode::NotFound);
    assert_eq!(problem.title, "未找到");
    assert_eq!(
        problem.detail.as_deref(),
        Some("没有这个项目，或您不是它的成员。")
    );
    let vary = missing.headers[header::VARY].to_str().unwrap().to_owned();
    assert!(
        vary.to_ascii_lowercase().contains("accept-language"),
        "{vary}"
    );

    project_of(&app, &admin).await;
    let taken = app
        .call(
            Method::POST,
            "/api/v1/projects",
            &admin,
            Some(json!({"name": "iot"})),
            ZH,
        )
        .await
        .expect(StatusCode::CONFLICT);
    let problem = chinese(&taken);
    assert_eq!(problem.code, ProblemCode::NameTaken);
    assert_eq!(
        problem.detail.as_deref(),
        Some("名为 \"iot\" 的项目已存在。")
    );

    let no_route = app
        .call(Method::GET, "/api/v1/nothing-here", &admin, None, ZH)
        .await
        .expect(StatusCode::NOT_FOUND);
    assert_eq!(
        chinese(&no_route).detail.as_deref(),
        Some("/api/v1/nothing-here 处没有 API 资源。")
    );
}

#[tokio::test]
async fn the_last_owner_refusal_is_the_consoles_own_sentence() {
    let app = test_app().await;
    let owner = app.admin().await;
    let me: Value = app
        .call(Method::GET, "/api/v1/session", &owner, None, &[])
        .await
        .json();
    let my_id = me["user"]["id"].as_str().unwrap();
    for lang in Lang::ALL {
        let demote = app
            .call(
                Method::PATCH,
                &format!("/api/v1/users/{my_id}"),
                &owner,
                Some(json!({"org_role": "member"})),
                &[("if-match", "\"1\""), ("accept-language", lang.tag())],
            )
            .await
            .expect(StatusCode::CONFLICT);
        let problem = demote.problem();
        assert_eq!(problem.code, ProblemCode::LastOwner);
        assert_eq!(
            problem.detail.as_deref(),
            Some(Refusal::LastOwner.text(lang))
        );
    }
}

#[tokio::test]
async fn signing_in_is_answered_in_chinese_unauthenticated_and_wrong_password() {
    let app = test_app().await;
    let unauthenticated = app
        .call(Method::GET, "/api/v1/projects", &Auth::None, None, ZH)
        .await
        .expect(StatusCode::UNAUTHORIZED);
    let problem = chinese(&unauthenticated);
    assert_eq!(problem.code, ProblemCode::Unauthenticated);
    assert_eq!(problem.detail.as_deref(), Some("请先登录。"));

    let wrong = app
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({"username": "admin", "password": "guess guess guess"})),
            ZH,
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
    let problem = chinese(&wrong);
    assert_eq!(problem.code, ProblemCode::InvalidCredentials);
    assert_eq!(problem.title, "用户名或密码错误");
    assert_eq!(problem.detail.as_deref(), Some("用户名或密码错误。"));
}

#[tokio::test]
async fn too_many_attempts_says_how_long_to_wait_in_chinese() {
    let app = test_app_with(|c| c.sign_in_delay_unit_ms = REAL_UNIT_MS).await;
    let peer: SocketAddr = "203.0.113.7:40000".parse().unwrap();
    let mut told = None;
    for _ in 0..20 {
        let request = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8")
            .extension(ConnectInfo(peer))
            .body(Body::from(
                json!({"username": "admin", "password": "guess guess guess"}).to_string(),
            ))
            .unwrap();
        let reply = app.send(request).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            told = Some(reply);
            break;
        }
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());
    }
    let reply = told.expect("20 wrong passwords and never told to wait");
    let seconds = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .to_owned();
    let problem = chinese(&reply);
    assert_eq!(problem.code, ProblemCode::TooManyAttempts);
    assert_eq!(
        problem.detail,
        Some(format!("此处的登录尝试次数过多，请在 {seconds} 秒后重试。"))
    );
}

#[tokio::test]
async fn a_refused_licence_says_why_in_chinese() {
    let app = licensed_app(1_000, 1_000, 8).await;
    let admin = app.admin().await;
    let expired = licence_line("LIC-OLD", -400, -1, 1_000, 1_000, 8);
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/licence",
            &admin,
            Some(json!({ "licence": expired })),
            &[("if-match", "\"1\""), ("accept-language", "zh-CN")],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let problem = chinese(&reply);
    assert_eq!(problem.errors[0].code, "licence_expired");
    assert!(
        problem.errors[0].message.starts_with("该许可证已于"),
        "{}",
        problem.errors[0].message
    );
}

#[tokio::test]
async fn english_by_default_and_when_asked_or_when_chinese_is_refused() {
    let app = test_app().await;
    let admin = app.admin().await;
    for headers in [
        &[][..],
        &[("accept-language", "en-US,en;q=0.9")][..],
        &[("accept-language", "zh;q=0, en")][..],
        &[("accept-language", "de-DE, fr;q=0.5")][..],
    ] {
        let reply = app
            .call(Method::GET, "/api/v1/projects/nope", &admin, None, headers)
            .await
            .expect(StatusCode::NOT_FOUND);
        let problem = english(&reply);
        assert_eq!(problem.title, "Not found", "{headers:?}");
        assert_eq!(
            problem.detail.as_deref(),
            Some("There is no such project, or you are not a member of it."),
            "{headers:?}"
        );
    }
}

#[tokio::test]
async fn what_is_stored_stays_english_whatever_the_asker_reads() {
    let app = test_app().await;
    let admin = app.admin().await;
    // A change, a refusal recorded in the audit log, and a refused sign-in, all asked in Chinese.
    app.call(
        Method::POST,
        "/api/v1/projects",
        &admin,
        Some(json!({"name": "iot"})),
        ZH,
    )
    .await
    .expect(StatusCode::CREATED);
    let viewer = app.create_user(&admin, "viewer", "member").await;
    let viewer_auth = app
        .sign_in(
            viewer["username"].as_str().unwrap(),
            &common::password_of("viewer"),
        )
        .await;
    app.call(
        Method::POST,
        "/api/v1/projects",
        &viewer_auth,
        Some(json!({"name": "mine"})),
        ZH,
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    app.call(
        Method::POST,
        "/api/v1/session",
        &Auth::None,
        Some(json!({"username": "admin", "password": "guess guess guess"})),
        ZH,
    )
    .await
    .expect(StatusCode::UNAUTHORIZED);
    let details: Vec<(String, String)> = sqlx::query_as("SELECT action, detail FROM audit_log")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(details.iter().any(|(a, _)| a == "project.create"));
    for (action, detail) in &details {
        assert!(!has_chinese(detail), "{action}: {detail}");
    }
}
