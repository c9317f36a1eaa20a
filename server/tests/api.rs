//! API tests through the real router and a real SQLite database in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use byoc_core::api::ProblemCode;
use byoc_core::api::{Catalog, Health};
use byoc_server::config::Config;
use common::{test_app, test_app_with, Reply};

#[tokio::test]
async fn catalog_lists_every_cloud_with_regions_from_core() {
    let app = test_app().await;
    let reply = app.get("/api/v1/catalog").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let catalog: Catalog = serde_json::from_value(reply.json()).unwrap();
    assert_eq!(catalog, byoc_core::catalog::catalog());
    let gcp = catalog
        .clouds
        .iter()
        .find(|c| c.code.code() == "gcp")
        .unwrap();
    assert!(gcp
        .regions
        .iter()
        .any(|r| r.code == "us-west1" && r.name_zh == "俄勒冈（us-west1）"));
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = test_app().await;
    let health: Health = serde_json::from_value(app.get("/healthz").await.json()).unwrap();
    assert_eq!(health.status, "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["status"], "ready");
}

#[tokio::test]
async fn unknown_api_paths_are_problem_json_404_with_request_id() {
    let app = test_app().await;
    for path in [
        "/api/v1/nope",
        "/api/v2/catalog",
        "/api",
        "/api/",
        "/agent/v1/anything",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let problem = reply.problem();
        assert_eq!(problem.code, ProblemCode::NotFound, "{path}");
        assert_eq!(problem.status, 404);
        let id = reply.headers["x-request-id"].to_str().unwrap();
        assert_eq!(problem.request_id.as_deref(), Some(id), "{path}");
    }
}

#[tokio::test]
async fn wrong_method_on_an_api_route_is_problem_json_405() {
    let app = test_app().await;
    let reply = app
        .send(
            Request::delete("/api/v1/catalog")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.problem().code, ProblemCode::MethodNotAllowed);
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_kept() {
    let app = test_app().await;
    let reply = app
        .send(
            Request::get("/api/v1/nope")
                .header("x-request-id", "trace-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.headers["x-request-id"], "trace-123");
    assert_eq!(reply.problem().request_id.as_deref(), Some("trace-123"));
}

#[tokio::test]
async fn console_is_served_with_spa_fallback_but_not_for_api_paths() {
    let app = test_app_with(|c| {
        let dist = c.data_dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>console</title>",
        )
        .unwrap();
        std::fs::write(dist.join("app.css"), "body{}").unwrap();
        c.console_dir = dist;
    })
    .await;
    let index = app.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&index.body).contains("console"));
    // A deep link into the single-page app gets index.html, so the router can take over.
    let deep = app.get("/deployments/dep-1/network").await;
    assert_eq!(deep.status, StatusCode::OK);
    assert_eq!(deep.body, index.body);
    let css = app.get("/app.css").await;
    assert_eq!(css.body, b"body{}");
    assert_eq!(
        app.get("/api/v1/missing").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(index.headers["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn without_a_built_console_pages_explain_how_to_build_it() {
    let app = test_app().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&reply.body).contains("cargo xtask run"));
}

#[tokio::test]
async fn cors_allows_only_configured_console_origins() {
    let app = test_app_with(|c| c.cors_origins = vec!["https://console.example.com/".into()]).await;
    let preflight = |origin: &'static str| {
        Request::options("/api/v1/catalog")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight("https://console.example.com")).await;
    assert_eq!(
        allowed.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://console.example.com"
    );
    assert_eq!(
        allowed.headers[header::ACCESS_CONTROL_ALLOW_CREDENTIALS],
        "true"
    );
    let other = app.send(preflight("https://evil.example.net")).await;
    assert!(other
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
}

#[tokio::test]
async fn first_start_time_is_recorded_once_and_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::config(dir.path()).await;
    let state = byoc_server::prepare(config.clone()).await.unwrap();
    let later = |y: i32| {
        byoc_server::db::stamp(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, y, 1, 1, 0, 0, 0).unwrap(),
        )
    };
    let mut tx = byoc_server::db::write(&state.db).await.unwrap();
    let first = byoc_server::db::settings::first_started_at(&mut tx, &later(2030))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!first.starts_with("2030"), "{first}");
    state.db.close().await;
    // A restart on the same database runs migrations again and keeps the first value.
    let again = byoc_server::prepare(config).await.unwrap();
    let mut tx = byoc_server::db::write(&again.db).await.unwrap();
    let kept = byoc_server::db::settings::first_started_at(&mut tx, &later(2031))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept, first);
}

/// The JSON extractor every body-taking route uses turns bad bodies into problems naming the fault.
mod api_json {
    use super::*;
    use axum::routing::post;
    use byoc_server::error::ApiJson;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Body1 {
        name: String,
    }

    fn router() -> Router {
        Router::new().route(
            "/echo",
            post(|ApiJson(b): ApiJson<Body1>| async move { b.name }),
        )
    }

    async fn post_body(content_type: Option<&str>, body: &'static str) -> Reply {
        let mut req = Request::post("/echo");
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        common::send_to(router(), req.body(Body::from(body)).unwrap()).await
    }

    #[tokio::test]
    async fn malformed_json_is_a_400_problem() {
        let reply = post_body(Some("application/json"), "{\"name\": ").await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let p = reply.problem();
        assert_eq!(p.code, ProblemCode::MalformedBody);
        assert!(p.detail.unwrap().contains("not valid JSON"));
    }

    #[tokio::test]
    async fn wrong_shape_and_missing_content_type_are_explained() {
        let shape = post_body(Some("application/json"), "{\"nom\": 1}")
            .await
            .problem();
        assert!(shape.detail.unwrap().contains("wrong shape"));
        let ct = post_body(None, "{\"name\":\"x\"}").await.problem();
        assert!(ct
            .detail
            .unwrap()
            .contains("Content-Type: application/json"));
    }

    #[tokio::test]
    async fn good_json_passes() {
        let reply = post_body(Some("application/json"), "{\"name\":\"ok\"}").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body, b"ok");
    }
}

/// Reads and writes use separate pools: the readers' connections are read-only, so a write that
/// forgot to take the writers' turn fails at once instead of racing the writer.
#[tokio::test]
async fn the_readers_pool_cannot_write() {
    if common::on_postgres() {
        // SQLite's readers are read-only connections; PostgreSQL has one pool.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = byoc_server::prepare(Config::for_tests(dir.path()))
        .await
        .unwrap();
    let mut reader = state.db.acquire().await.unwrap();
    let refused = byoc_server::db::settings::mark_start(&mut reader, &byoc_server::db::now())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("readonly"), "{refused}");
    // The same statement in a write transaction is fine.
    let mut tx = byoc_server::db::write(&state.db).await.unwrap();
    byoc_server::db::settings::mark_start(&mut tx, &byoc_server::db::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
