//! `/api/v1/prerequisites/*` through the real router: the same answers as `core`, and bad
//! parameters reported by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::{header, StatusCode};
use byoc_core::catalog::Cloud;
use byoc_core::policy::{policy, Operation, TagCondition};
use common::{test_app, Reply, TestApp};

async fn app() -> (TestApp, ()) {
    (test_app().await, ())
}

async fn get(app: &TestApp, uri: &str) -> Reply {
    app.get(uri).await
}

/// Asserts a 422 problem whose only field error names `field` with `code`.
fn assert_field_error(reply: &Reply, field: &str, code: &str) {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let problem = reply.problem();
    assert_eq!(problem.errors.len(), 1, "{problem:?}");
    assert_eq!(problem.errors[0].field, field, "{problem:?}");
    assert_eq!(problem.errors[0].code, code, "{problem:?}");
    assert!(!problem.errors[0].message.is_empty());
}

#[tokio::test]
async fn sizing_picks_the_tier_of_the_larger_need() {
    let (app, _d) = app().await;
    let reply = get(
        &app,
        "/api/v1/prerequisites/sizing?cloud=aws&sessions=4000&tps=25000",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let s = reply.json();
    assert_eq!(s["tier"], 3);
    assert_eq!(s["nodes"], 3);
    assert_eq!(s["node_type"]["name"], "c6i.2xlarge");
    assert_eq!(s["agent_type"]["name"], "t3.medium");
}

#[tokio::test]
async fn sizing_accepts_more_nodes_and_a_larger_type() {
    let (app, _d) = app().await;
    let reply =
        get(&app, "/api/v1/prerequisites/sizing?cloud=aliyun&sessions=100&tps=100&nodes=4&node_type=ecs.c7.2xlarge")
            .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let s = reply.json();
    assert_eq!(s["tier"], 1);
    assert_eq!(s["nodes"], 4);
    assert_eq!(s["node_type"]["name"], "ecs.c7.2xlarge");
}

#[tokio::test]
async fn sizing_refuses_bad_parameters_by_name() {
    let (app, _d) = app().await;
    let base = "/api/v1/prerequisites/sizing";
    assert_field_error(
        &get(&app, &format!("{base}?sessions=1&tps=1")).await,
        "cloud",
        "required",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=azure&sessions=1&tps=1")).await,
        "cloud",
        "unknown_cloud",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=aws&tps=1")).await,
        "sessions",
        "required",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=aws&sessions=lots&tps=1")).await,
        "sessions",
        "not_a_number",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=aws&sessions=1&tps=-5")).await,
        "tps",
        "not_a_number",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=aws&sessions=1000001&tps=1")).await,
        "sessions",
        "contact_sales",
    );
    assert_field_error(
        &get(
            &app,
            &format!("{base}?cloud=aws&sessions=200000&tps=1&nodes=2"),
        )
        .await,
        "nodes",
        "nodes_below_tier",
    );
    assert_field_error(
        &get(
            &app,
            &format!("{base}?cloud=aws&sessions=1&tps=1&node_type=ecs.c7.large"),
        )
        .await,
        "node_type",
        "unknown_instance_type",
    );
}

#[tokio::test]
async fn quotas_scale_with_the_node_count() {
    let (app, _d) = app().await;
    let reply = get(
        &app,
        "/api/v1/prerequisites/quotas?cloud=aliyun&nodes=3&node_type=ecs.c7.large",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let q = reply.json();
    assert_eq!(q["vm_count"], 4);
    // 3 × ecs.c7.large (2 vCPU, 4 GiB) + the agent ecs.g7.large (2 vCPU, 8 GiB).
    assert_eq!(q["total_vcpu"], 8);
    assert_eq!(q["total_memory_gib"], 20);
    let expected = serde_json::to_value(byoc_core::quota::quotas(
        Cloud::Aliyun,
        3,
        byoc_core::sizing::find_node_type(Cloud::Aliyun, "ecs.c7.large").unwrap(),
    ))
    .unwrap();
    assert_eq!(q, expected);
}

#[tokio::test]
async fn quotas_refuse_bad_parameters_by_name() {
    let (app, _d) = app().await;
    let base = "/api/v1/prerequisites/quotas";
    assert_field_error(
        &get(&app, &format!("{base}?cloud=gcp&node_type=n2-standard-4")).await,
        "nodes",
        "required",
    );
    assert_field_error(
        &get(
            &app,
            &format!("{base}?cloud=gcp&nodes=6&node_type=n2-standard-4"),
        )
        .await,
        "nodes",
        "nodes_out_of_range",
    );
    assert_field_error(
        &get(&app, &format!("{base}?cloud=gcp&nodes=3")).await,
        "node_type",
        "required",
    );
    assert_field_error(
        &get(
            &app,
            &format!("{base}?cloud=gcp&nodes=3&node_type=c6i.large"),
        )
        .await,
        "node_type",
        "unknown_instance_type",
    );
}

#[tokio::test]
async fn policies_are_served_as_the_document_itself() {
    let (app, _d) = app().await;
    for cloud in [Cloud::Aliyun, Cloud::AwsCn, Cloud::Aws] {
        for op in Operation::ALL {
            let reply = get(
                &app,
                &format!(
                    "/api/v1/prerequisites/policies?cloud={}&operation={}",
                    cloud.code(),
                    op.code()
                ),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
            assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
            let expected = policy(cloud, op, &TagCondition::default());
            assert_eq!(reply.text(), expected.to_text(), "{cloud} {op:?}");
            let disposition = reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
            assert!(
                disposition.contains(&expected.file_name(cloud, op)),
                "{disposition}"
            );
        }
    }
}

#[tokio::test]
async fn gcp_policy_is_yaml_with_gcloud_commands_in_headers() {
    let (app, _d) = app().await;
    let reply = get(
        &app,
        "/api/v1/prerequisites/policies?cloud=gcp&operation=create",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/yaml");
    assert!(reply.text().contains("includedPermissions"));
    let commands: Vec<_> = reply
        .headers
        .get_all("x-gcloud-command")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("gcloud iam roles create")),
        "{commands:?}"
    );
}

#[tokio::test]
async fn policies_use_a_custom_tag_condition() {
    let (app, _d) = app().await;
    let reply =
        get(&app, "/api/v1/prerequisites/policies?cloud=aws&operation=delete&tag_key=owner&tag_value=mqtt-prod").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let text = reply.text();
    assert!(
        text.contains("mqtt-prod") && !text.contains("emqx-cloud"),
        "{text}"
    );
}

#[tokio::test]
async fn policies_refuse_bad_parameters_by_name() {
    let (app, _d) = app().await;
    let base = "/api/v1/prerequisites/policies";
    assert_field_error(
        &get(&app, &format!("{base}?cloud=aws")).await,
        "operation",
        "required",
    );
    let reply = get(&app, &format!("{base}?cloud=aws&operation=reboot")).await;
    assert_eq!(reply.problem().errors[0].field, "operation");
    let reply = get(&app, &format!("{base}?cloud=aws&operation=create&tag_key=")).await;
    assert_eq!(reply.problem().errors[0].field, "tag_key");
}

#[tokio::test]
async fn domain_check_reports_icp_for_china_clouds() {
    let (app, _d) = app().await;
    let reply = get(
        &app,
        "/api/v1/prerequisites/domain?cloud=aliyun&name=MQTT.Example.com.",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let d = reply.json();
    assert_eq!(d["domain"], "mqtt.example.com");
    assert_eq!(d["icp_filing_required"], true);
    let intl = get(
        &app,
        "/api/v1/prerequisites/domain?cloud=aws&name=mqtt.example.com",
    )
    .await
    .json();
    assert_eq!(intl["icp_filing_required"], false);
}

#[tokio::test]
async fn domain_check_names_the_rule_broken() {
    let (app, _d) = app().await;
    let reply = get(
        &app,
        "/api/v1/prerequisites/domain?cloud=aws&name=*.example.com",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.problem().errors[0].field, "name");
    let reply = get(&app, "/api/v1/prerequisites/domain?cloud=aws&name=").await;
    assert_eq!(reply.problem().errors[0].field, "name");
    assert_field_error(
        &get(&app, "/api/v1/prerequisites/domain?name=a.com").await,
        "cloud",
        "required",
    );
}

#[tokio::test]
async fn the_server_rechecks_a_certificate_chain_without_any_key() {
    let app = test_app().await;
    let owner = app.admin().await;
    let chain = include_str!("../../core/tests/fixtures/tls/browser/chain.pem");
    let body = serde_json::json!({"bundle_pem": chain, "domain": "mqtt.example.com"});
    let reply = app
        .call(
            axum::http::Method::POST,
            "/api/v1/prerequisites/tls",
            &owner,
            Some(body),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    let codes: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"chain_complete") && codes.contains(&"domain_match"),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.starts_with("private_key")),
        "no key checks on the server: {codes:?}"
    );
    let wrong = serde_json::json!({"bundle_pem": chain, "domain": "other.example.org"});
    let reply = app
        .call(
            axum::http::Method::POST,
            "/api/v1/prerequisites/tls",
            &owner,
            Some(wrong),
            &[],
        )
        .await;
    let check = reply.json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "domain_match")
        .cloned()
        .unwrap();
    assert_eq!(check["outcome"], "fail");
}
