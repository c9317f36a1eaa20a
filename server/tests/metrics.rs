//! `/metrics`: Prometheus text with requests by route pattern (never IDs), latency histograms,
//! deployments by status and the database figures; readable only with the configured token (or
//! from loopback when none is), and never the console's page.

use crate::common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use common::{send_to, test_app, test_app_with, Auth};

#[tokio::test]
async fn the_token_holder_reads_requests_by_route_and_deployments_by_status() {
    let app = test_app_with(|c| c.metrics_token = Some("metrics-s3cret".into())).await;
    let admin = app.admin().await;
    let project = app.create_project(&admin, "p-metrics").await;
    let id = project["id"].as_str().unwrap();
    app.call(
        Method::GET,
        &format!("/api/v1/projects/{id}"),
        &admin,
        None,
        &[],
    )
    .await
    .expect(StatusCode::OK);
    app.get("/api/v1/catalog").await.expect(StatusCode::OK);
    // The same page twice: read from the database, then answered from the kept page.
    for _ in 0..2 {
        app.call(
            Method::GET,
            &format!("/api/v1/projects/{id}/deployments?limit=20"),
            &admin,
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK);
    }

    let reply = app
        .call(
            Method::GET,
            "/metrics",
            &Auth::Bearer("metrics-s3cret".into()),
            None,
            &[],
        )
        .await
        .expect(StatusCode::OK);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = reply.text();
    // The route's pattern, not the project's ID.
    assert!(
        text.contains(
            "byoc_http_requests_total{route=\"/api/v1/projects/{id}\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(!text.contains(id), "no IDs in labels");
    assert!(text.contains(
        "byoc_http_requests_total{route=\"/api/v1/catalog\",method=\"GET\",status=\"200\"} 1"
    ));
    assert!(text.contains(
        "byoc_http_request_duration_seconds_count{route=\"/api/v1/catalog\",method=\"GET\"} 1"
    ));
    assert!(text.contains("# TYPE byoc_deployments gauge"));
    assert!(text.contains("byoc_db_writers_waiting 0"));
    assert!(text.contains("byoc_agents_reporting 0"));
    assert!(
        text.contains("byoc_list_pages_total{kept=\"hit\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("byoc_list_pages_total{kept=\"miss\"} 1"),
        "{text}"
    );
    let kept: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("byoc_list_pages_kept_bytes "))
        .and_then(|n| n.parse().ok())
        .expect("kept bytes");
    assert!(kept > 0, "the page is kept: {text}");
}

#[tokio::test]
async fn without_the_token_the_metrics_are_refused_and_never_the_console() {
    let app = test_app_with(|c| c.metrics_token = Some("metrics-s3cret".into())).await;
    let none = app.get("/metrics").await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(none.problem().code.as_str(), "unauthenticated");
    let wrong = app
        .call(
            Method::GET,
            "/metrics",
            &Auth::Bearer("guess".into()),
            None,
            &[],
        )
        .await
        .expect(StatusCode::FORBIDDEN);
    assert!(!wrong.text().contains("byoc_"));
}

#[tokio::test]
async fn with_no_token_configured_only_this_machine_reads_them() {
    let app = test_app().await;
    let from = |addr: &str| {
        let mut req = Request::builder()
            .uri("/metrics")
            .body(Body::empty())
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo::<std::net::SocketAddr>(addr.parse().unwrap()));
        req
    };
    let local = send_to(app.router.clone(), from("127.0.0.1:40000")).await;
    assert_eq!(local.status, StatusCode::OK, "{}", local.text());
    let far = send_to(app.router.clone(), from("203.0.113.9:40000")).await;
    assert_eq!(far.status, StatusCode::FORBIDDEN);
    // Even when a proxy header claims otherwise: the socket decides.
    let mut forged = from("203.0.113.9:40000");
    forged
        .headers_mut()
        .insert("x-forwarded-for", "127.0.0.1".parse().unwrap());
    assert_eq!(
        send_to(app.router.clone(), forged).await.status,
        StatusCode::FORBIDDEN
    );
}
