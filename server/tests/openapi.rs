//! The OpenAPI document is generated from the code; this snapshot makes any API change visible in
//! review. After an intended change: `UPDATE_SNAPSHOTS=1 cargo test -p byoc-server --test suite openapi`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;

fn generated() -> String {
    serde_json::to_string_pretty(&byoc_server::openapi::document()).unwrap() + "\n"
}

#[test]
fn openapi_document_matches_the_snapshot() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    let doc = generated();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &doc).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).expect("no snapshot yet: run with UPDATE_SNAPSHOTS=1");
    assert!(
        doc == expected,
        "the API changed; review the difference and run UPDATE_SNAPSHOTS=1 cargo test -p byoc-server --test suite openapi"
    );
}

#[test]
fn documents_every_main_path_of_the_spec() {
    let doc = byoc_server::openapi::document();
    let paths: Vec<&String> = doc.paths.paths.keys().collect();
    for path in [
        "/api/v1/session",
        "/api/v1/catalog",
        "/api/v1/prerequisites/sizing",
        "/api/v1/prerequisites/quotas",
        "/api/v1/prerequisites/policies",
        "/api/v1/prerequisites/domain",
        "/api/v1/prerequisites/tls",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/members",
        "/api/v1/audit",
        "/api/v1/licence",
        "/api/v1/licence/public-key",
        "/api/v1/licence/history",
        "/api/v1/deployments/{id}/peerings",
        "/api/v1/deployments/{id}/peerings/{pid}",
        "/api/v1/deployments/{id}/privatelinks",
        "/api/v1/deployments/{id}/privatelinks/{lid}",
        "/api/v1/deployments/{id}/privatelinks/{lid}/dismiss",
    ] {
        assert!(
            paths.iter().any(|p| p.as_str() == path),
            "{path} is not documented"
        );
    }
}

#[tokio::test]
async fn the_document_is_served() {
    let app = common::test_app().await;
    let reply = app.get("/api/v1/openapi.json").await.expect(StatusCode::OK);
    assert_eq!(
        reply.json(),
        serde_json::from_str::<serde_json::Value>(&generated()).unwrap()
    );
    assert!(reply.json()["components"]["schemas"]["Problem"].is_object());
}
