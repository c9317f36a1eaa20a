//! Peerings and PrivateLinks through the real router and database: their whole lifecycles driven
//! by the agent protocol, refusals in the wrong state, duplicates, a deployment that is not
//! running, overlapping ranges explained, roles, idempotent creates and the agent's checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use byoc_core::api::ProblemCode;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{Method, StatusCode};
use common::{licensed_app, Auth, Reply, TestApp};
use serde_json::{json, Value};

const SERVICE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a";
const ALIYUN_SERVICE: &str = "epsrv-hp3vpx8yqxblby3iabcd";

fn deployment_request(name: &str, cloud: &str, region: &str) -> Value {
    json!({
        "name": name, "cloud": cloud, "region": region, "vpc_cidr": "10.0.0.0/16",
        "sessions": 4000, "tps": 1000, "domain": "mqtt.example.com"
    })
}

/// A deployment, its agent token and the agent's next sequence number.
struct Fixture {
    app: TestApp,
    admin: Auth,
    project: String,
    id: String,
    token: String,
    seq: AtomicU64,
}

async fn agent(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    app.call(
        method,
        &format!("/agent/v1/{path}"),
        &Auth::Bearer(token.to_owned()),
        body,
        &[],
    )
    .await
}

/// Creates a deployment and, unless `run` is false, walks `byoc create` to `running` with the
/// outputs a toolkit on `cloud` would report.
async fn deployment(cloud: &str, region: &str, run: bool) -> Fixture {
    let app = licensed_app(100_000, 30_000, 64).await;
    let admin = app.admin().await;
    let project = app.create_project(&admin, "iot").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = app
        .call(
            Method::POST,
            &format!("/api/v1/projects/{project}/deployments"),
            &admin,
            Some(deployment_request("mqtt", cloud, region)),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = change["deployment"]["id"].as_str().unwrap().to_owned();
    let mut token = String::new();
    let mut seq = 0;
    if run {
        let key = change["bootstrap"]["key"]["key"].as_str().unwrap();
        let reg = app
            .call(
                Method::POST,
                "/agent/v1/register",
                &Auth::None,
                Some(json!({"key": key, "operation": "create", "platform": cloud})),
                &[],
            )
            .await
            .expect(StatusCode::OK)
            .json();
        token = reg["agent_token"].as_str().unwrap().to_owned();
        let account = match cloud {
            "aliyun" => "1234567890123456",
            "gcp" => "byoc-host-project",
            _ => "123456789012",
        };
        let outputs = json!({"cloud_account_id": account, "zone": format!("{region}a"), "vpc_id": "vpc-0abc1234", "load_balancer": "lb.example.com"});
        seq += 1;
        agent(
            &app,
            &token,
            Method::POST,
            "complete",
            Some(
                json!({"deployment_id": id, "seq": seq, "outcome": "success", "outputs": outputs}),
            ),
        )
        .await
        .expect(StatusCode::OK);
    }
    Fixture {
        app,
        admin,
        project,
        id,
        token,
        seq: AtomicU64::new(seq),
    }
}

impl Fixture {
    async fn post(&self, auth: &Auth, path: &str, body: Value, headers: &[(&str, &str)]) -> Reply {
        self.app
            .call(
                Method::POST,
                &format!("/api/v1/deployments/{}/{path}", self.id),
                auth,
                Some(body),
                headers,
            )
            .await
    }

    async fn get(&self, auth: &Auth, path: &str) -> Reply {
        self.app
            .call(
                Method::GET,
                &format!("/api/v1/deployments/{}/{path}", self.id),
                auth,
                None,
                &[],
            )
            .await
    }

    async fn change(&self, auth: &Auth, method: Method, path: &str, version: Option<i64>) -> Reply {
        let v = version.map(|v| format!("\"{v}\""));
        let headers: Vec<(&str, &str)> = v.iter().map(|v| ("if-match", v.as_str())).collect();
        self.app
            .call(
                method,
                &format!("/api/v1/deployments/{}/{path}", self.id),
                auth,
                None,
                &headers,
            )
            .await
    }

    async fn link(&self, service_id: &str) -> Value {
        self.post(
            &self.admin,
            "privatelinks",
            json!({"service_id": service_id, "description": "redis"}),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json()
    }

    async fn peering(&self, body: Value) -> Reply {
        self.post(&self.admin, "peerings", body, &[]).await
    }

    /// A network report with the next sequence number.
    async fn report(&self, kind: &str, id: &str, outcome: &str, extra: Value) -> Reply {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = json!({"deployment_id": self.id, "seq": seq, "kind": kind, "id": id, "outcome": outcome});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        agent(
            &self.app,
            &self.token,
            Method::POST,
            "network/report",
            Some(body),
        )
        .await
    }

    async fn work(&self) -> Value {
        agent(&self.app, &self.token, Method::GET, "network", None)
            .await
            .expect(StatusCode::OK)
            .json()
    }

    async fn audit(&self, action: &str, outcome: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2")
            .bind(action)
            .bind(outcome)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }
}

fn aws_peering(cidr: &str, pcx: &str) -> Value {
    json!({"peer_cidr": cidr, "peering_id": pcx, "peer_account_id": "210987654321", "peer_vpc_id": "vpc-0fedcba987654321f"})
}

fn version(v: &Value) -> i64 {
    v["version"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_privatelink_walks_from_pending_to_running_through_the_agent_and_is_deleted() {
    let f = deployment("aws", "us-east-1", true).await;
    let network = f
        .get(&f.admin, "network")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(network["accepts_changes"], true);
    assert_eq!(
        network["principal"],
        json!({"kind": "arn", "value": "arn:aws:iam::123456789012:root"})
    );
    assert_eq!(network["zone"], "us-east-1a");
    assert_eq!(network["vpc_id"], "vpc-0abc1234");

    let reply = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": SERVICE, "description": "redis"}),
            &[],
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(reply.headers["etag"], "\"1\"");
    let link = reply.json();
    let lid = link["id"].as_str().unwrap().to_owned();
    assert_eq!(link["status"], "pending_acceptance");
    assert_eq!(link["allowed_actions"], json!([]));
    assert_eq!(link["principal"]["value"], "arn:aws:iam::123456789012:root");
    assert_eq!(
        (link["zone"].as_str(), link["description"].as_str()),
        (Some("us-east-1a"), Some("redis"))
    );

    // The agent sees it waiting and reports it running once the customer accepted it.
    let work = f.work().await;
    assert_eq!(ids(&work["privatelinks"]), [lid.as_str()]);
    assert_eq!(work["vpc_cidr"], "10.0.0.0/16");
    let domain =
        "vpce-0a1b2c3d4e5f67890-abcd1234.vpce-svc-0654fb016640c364a.us-east-1.vpce.amazonaws.com";
    let ack = f
        .report(
            "privatelink",
            &lid,
            "running",
            json!({"endpoint_domain": domain, "endpoint_ip": "10.0.12.34"}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ack["status"], "running");
    let link = f
        .get(&f.admin, &format!("privatelinks/{lid}"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(link["status"], "running");
    assert_eq!(
        (
            link["endpoint_domain"].as_str(),
            link["endpoint_ip"].as_str()
        ),
        (Some(domain), Some("10.0.12.34"))
    );
    assert_eq!(link["allowed_actions"], json!(["delete"]));
    assert!(
        ids(&f.work().await["privatelinks"]).is_empty(),
        "nothing left to do"
    );

    // Deleting needs the current version.
    let path = format!("privatelinks/{lid}");
    assert_eq!(
        f.change(&f.admin, Method::DELETE, &path, None)
            .await
            .expect(StatusCode::PRECONDITION_REQUIRED)
            .problem()
            .code,
        ProblemCode::IfMatchRequired
    );
    let stale = f
        .change(&f.admin, Method::DELETE, &path, Some(1))
        .await
        .expect(StatusCode::PRECONDITION_FAILED)
        .problem();
    assert_eq!(stale.current_version, Some(version(&link)));
    let deleting = f
        .change(&f.admin, Method::DELETE, &path, Some(version(&link)))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(deleting["status"], "deleting");
    assert_eq!(
        deleting["endpoint_ip"], "10.0.12.34",
        "shown until the agent removed it"
    );
    assert_eq!(ids(&f.work().await["privatelinks"]), [lid.as_str()]);
    f.report("privatelink", &lid, "removed", json!({}))
        .await
        .expect(StatusCode::OK);

    let list = f
        .get(&f.admin, "privatelinks")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (
            list["total"].as_u64(),
            list["items"].as_array().unwrap().len()
        ),
        (Some(0), 0)
    );
    assert_eq!(list["network"]["principal"]["kind"], "arn");
    let gone = f.get(&f.admin, &path).await.expect(StatusCode::OK).json();
    assert_eq!(
        (gone["status"].as_str(), gone["endpoint_ip"].as_str()),
        (Some("removed"), None)
    );
    for action in ["privatelink.create", "privatelink.delete", "agent.network"] {
        assert!(f.audit(action, "success").await >= 1, "{action} is audited");
    }
}

#[tokio::test]
async fn a_failed_privatelink_can_only_be_dismissed_and_one_service_gets_one_link() {
    let f = deployment("aws", "us-east-1", true).await;
    let link = f.link(SERVICE).await;
    let lid = link["id"].as_str().unwrap().to_owned();
    let path = format!("privatelinks/{lid}");

    let dup = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": format!(" {SERVICE} ")}),
            &[],
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(dup.code, ProblemCode::PrivatelinkExists);

    // Not running yet: neither deleted nor dismissed.
    for (method, p) in [
        (Method::DELETE, path.clone()),
        (Method::POST, format!("{path}/dismiss")),
    ] {
        let refused = f
            .change(&f.admin, method, &p, Some(version(&link)))
            .await
            .expect(StatusCode::CONFLICT)
            .problem();
        assert_eq!(
            (refused.code.as_str(), refused.allowed_actions.len()),
            ("action_not_allowed", 0)
        );
    }

    let no_reason = f
        .report("privatelink", &lid, "failed", json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(no_reason.errors[0].code, "reason_missing");
    let reason = "the endpoint service does not allow arn:aws:iam::123456789012:root";
    f.report("privatelink", &lid, "failed", json!({"reason": reason}))
        .await
        .expect(StatusCode::OK);
    let failed = f.get(&f.admin, &path).await.json();
    assert_eq!(
        (failed["status"].as_str(), failed["reason"].as_str()),
        (Some("failed"), Some(reason))
    );
    let refused = f
        .change(&f.admin, Method::DELETE, &path, Some(version(&failed)))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(refused.allowed_actions, ["dismiss"]);
    assert!(refused.detail.unwrap().contains("failed"));
    let dup = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": SERVICE}),
            &[],
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert!(dup.detail.unwrap().contains("Dismiss the failed one first"));

    let dismissed = f
        .change(
            &f.admin,
            Method::POST,
            &format!("{path}/dismiss"),
            Some(version(&failed)),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(dismissed["status"], "removed");
    // The service is free again; when the provider removes the service first, the running link fails.
    let again = f.link(SERVICE).await;
    let again_id = again["id"].as_str().unwrap();
    f.report(
        "privatelink",
        again_id,
        "running",
        json!({"endpoint_ip": "10.0.9.9"}),
    )
    .await
    .expect(StatusCode::OK);
    let running = f
        .get(&f.admin, &format!("privatelinks/{again_id}"))
        .await
        .json();
    let refused = f
        .change(
            &f.admin,
            Method::POST,
            &format!("privatelinks/{again_id}/dismiss"),
            Some(version(&running)),
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(refused.allowed_actions, ["delete"]);
    f.report(
        "privatelink",
        again_id,
        "failed",
        json!({"reason": "the endpoint service was deleted"}),
    )
    .await
    .expect(StatusCode::OK);
    let failed = f
        .get(&f.admin, &format!("privatelinks/{again_id}"))
        .await
        .json();
    assert_eq!(
        (failed["status"].as_str(), failed["endpoint_ip"].as_str()),
        (Some("failed"), None)
    );
    assert_eq!(f.audit("privatelink.dismiss", "success").await, 1);
}

#[tokio::test]
async fn privatelink_service_ids_are_checked_for_the_cloud_and_region() {
    let f = deployment("aws", "us-east-1", true).await;
    let cases = [
        ("vpce-svc-0654fb016640c364a", "id_prefix"),
        (
            "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb01",
            "id_length",
        ),
        (
            "com.amazonaws.vpce.eu-central-1.vpce-svc-0654fb016640c364a",
            "id_region",
        ),
        (ALIYUN_SERVICE, "id_prefix"),
    ];
    for (service_id, code) in cases {
        let p = f
            .post(
                &f.admin,
                "privatelinks",
                json!({"service_id": service_id}),
                &[],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY)
            .problem();
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("service_id", code),
            "{service_id}"
        );
    }
    let p = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": "com.amazonaws.vpce.eu-central-1.vpce-svc-0654fb016640c364a"}),
            &[],
        )
        .await
        .problem();
    assert!(p
        .detail
        .unwrap()
        .contains("eu-central-1, but the deployment is in us-east-1"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privatelinks")
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_aliyun_link_whitelists_the_account_uid_and_both_service_forms_are_one_service() {
    let f = deployment("aliyun", "cn-hangzhou", true).await;
    let link = f.link(ALIYUN_SERVICE).await;
    assert_eq!(
        link["principal"],
        json!({"kind": "account_uid", "value": "1234567890123456"})
    );
    assert_eq!(link["zone"], "cn-hangzhoua");
    let full = format!("com.aliyuncs.privatelink.cn-hangzhou.{ALIYUN_SERVICE}");
    let dup = f
        .post(&f.admin, "privatelinks", json!({"service_id": full}), &[])
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(dup.code, ProblemCode::PrivatelinkExists);
    let other_region = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": full.replace("cn-hangzhou", "cn-beijing")}),
            &[],
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(other_region.errors[0].code, "id_region");
}

#[tokio::test]
async fn a_peering_walks_from_pending_to_active_through_the_agent_and_is_deleted() {
    let f = deployment("aws", "us-east-1", true).await;
    let reply = f
        .peering(aws_peering("172.31.0.0/16", "pcx-0a1b2c3d4e5f67890"))
        .await
        .expect(StatusCode::CREATED);
    let p = reply.json();
    let pid = p["id"].as_str().unwrap().to_owned();
    assert_eq!(p["status"], "pending_acceptance");
    let created = chrono::DateTime::parse_from_rfc3339(p["created_at"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(p["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires - created, chrono::Duration::days(7));
    assert_eq!(
        (p["peer_account_id"].as_str(), p["peer_project_id"].as_str()),
        (Some("210987654321"), None)
    );

    let list = f
        .get(&f.admin, "peerings")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ids(&list["items"]), [pid.as_str()]);
    assert_eq!(
        (
            list["network"]["account_id"].as_str(),
            list["network"]["vpc_cidr"].as_str()
        ),
        (Some("123456789012"), Some("10.0.0.0/16"))
    );
    assert_eq!(ids(&f.work().await["peerings"]), [pid.as_str()]);

    // A running outcome is a PrivateLink's, not a peering's.
    let wrong = f
        .report("peering", &pid, "running", json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(wrong.errors[0].code, "outcome_not_allowed");
    f.report("peering", &pid, "active", json!({}))
        .await
        .expect(StatusCode::OK);
    let active = f
        .get(&f.admin, &format!("peerings/{pid}"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (active["status"].as_str(), active["expires_at"].as_str()),
        (Some("active"), None)
    );
    assert_eq!(active["allowed_actions"], json!(["delete"]));
    let refused = f
        .change(
            &f.admin,
            Method::POST,
            &format!("peerings/{pid}/dismiss"),
            Some(version(&active)),
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(refused.allowed_actions, ["delete"]);

    let deleting = f
        .change(
            &f.admin,
            Method::DELETE,
            &format!("peerings/{pid}"),
            Some(version(&active)),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(deleting["status"], "deleting");
    // Deleting twice: no longer allowed.
    let again = f
        .change(
            &f.admin,
            Method::DELETE,
            &format!("peerings/{pid}"),
            Some(version(&deleting)),
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(again.code, ProblemCode::ActionNotAllowed);
    f.report("peering", &pid, "removed", json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(f.get(&f.admin, "peerings").await.json()["total"], 0);
    // Removed, the same peering ID and range may be used again.
    f.peering(aws_peering("172.31.0.0/16", "pcx-0a1b2c3d4e5f67890"))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(f.audit("peering.delete", "success").await, 1);
}

#[tokio::test]
async fn overlapping_peer_ranges_are_refused_with_both_ranges_explained() {
    let f = deployment("aws", "us-east-1", true).await;
    let p = f
        .peering(aws_peering("10.0.4.0/22", "pcx-11111111"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("peer_cidr", "cidr_overlaps_deployment")
    );
    assert_eq!(
        p.errors[0].message,
        "The peer range 10.0.4.0/22 (10.0.4.0–10.0.7.255) overlaps the deployment's VPC range 10.0.0.0/16 \
         (10.0.0.0–10.0.255.255); overlapping networks cannot route to each other, so peer a network with a distinct range."
    );
    let first = f
        .peering(aws_peering("172.16.0.0/16", "pcx-11111111"))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let p = f
        .peering(aws_peering("172.16.128.0/20", "pcx-22222222"))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(p.errors[0].code, "cidr_overlaps_peering");
    assert!(
        p.errors[0]
            .message
            .contains("172.16.0.0/16 (172.16.0.0–172.16.255.255) of the peering pcx-11111111"),
        "{}",
        p.errors[0].message
    );
    // The same peering ID twice.
    let dup = f
        .peering(aws_peering("192.168.0.0/24", "pcx-11111111"))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(dup.code, ProblemCode::PeeringExists);
    // Every field at once.
    let bad = f
        .peering(
            json!({"peer_cidr": "8.8.8.0/24", "peering_id": "vpc-123", "peer_account_id": "12"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    let fields: Vec<(&str, &str)> = bad
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("peering_id", "id_prefix"),
            ("peer_account_id", "id_length"),
            ("peer_vpc_id", "id_missing"),
            ("peer_cidr", "cidr_not_private")
        ]
    );

    // A failed peering no longer holds its range, but its ID until it is dismissed.
    let fid = first["id"].as_str().unwrap();
    f.report(
        "peering",
        fid,
        "failed",
        json!({"reason": "the peer rejected the request"}),
    )
    .await
    .expect(StatusCode::OK);
    f.peering(aws_peering("172.16.128.0/20", "pcx-22222222"))
        .await
        .expect(StatusCode::CREATED);
    let dup = f
        .peering(aws_peering("192.168.0.0/24", "pcx-11111111"))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert!(dup
        .detail
        .unwrap()
        .contains("Dismiss the earlier one first"));
}

#[tokio::test]
async fn a_pending_peering_expires_only_after_seven_days_and_is_then_dismissed() {
    let f = deployment("aws", "us-east-1", true).await;
    let p = f
        .peering(aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let pid = p["id"].as_str().unwrap().to_owned();
    let early = f
        .report("peering", &pid, "expired", json!({}))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(early.code, ProblemCode::NotYetExpired);
    assert_eq!(f.audit("agent.network", "denied").await, 1);
    // Eight days later (the request's time moved back).
    let past = byoc_server::db::offset(chrono::Utc::now(), -8 * 24 * 3600);
    sqlx::query(&format!(
        "UPDATE peerings SET created_at = {} WHERE id = $2",
        common::time(1)
    ))
    .bind(past.to_string())
    .bind(&pid)
    .execute(&f.app.db)
    .await
    .unwrap();
    f.report("peering", &pid, "expired", json!({}))
        .await
        .expect(StatusCode::OK);
    let expired = f.get(&f.admin, &format!("peerings/{pid}")).await.json();
    assert_eq!(expired["status"], "expired");
    assert!(expired["reason"].as_str().unwrap().contains("7 days"));
    assert_eq!(expired["allowed_actions"], json!(["dismiss"]));
    let refused = f
        .change(
            &f.admin,
            Method::DELETE,
            &format!("peerings/{pid}"),
            Some(version(&expired)),
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(refused.allowed_actions, ["dismiss"]);
    f.change(
        &f.admin,
        Method::POST,
        &format!("peerings/{pid}/dismiss"),
        Some(version(&expired)),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(f.get(&f.admin, "peerings").await.json()["total"], 0);
}

#[tokio::test]
async fn gcp_and_aliyun_peerings_ask_for_their_own_fields() {
    let f = deployment("gcp", "us-east1", true).await;
    let p = f.peering(json!({"peer_cidr": "10.128.0.0/20", "peer_project_id": "shop-prod-42", "peer_network": "default"})).await.expect(StatusCode::CREATED).json();
    assert_eq!(
        (p["peer_network"].as_str(), p["peering_id"].as_str()),
        (Some("default"), None)
    );
    let network = f.get(&f.admin, "network").await.json();
    assert_eq!(
        network["principal"],
        json!({"kind": "project_id", "value": "byoc-host-project"})
    );
    let bad = f
        .peering(json!({"peer_cidr": "10.129.0.0/20", "peering_id": "pcx-0a1b2c3d"}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["peer_project_id", "peer_network"]);

    let f = deployment("aliyun", "cn-shanghai", true).await;
    f.peering(json!({"peer_cidr": "192.168.0.0/16", "peering_id": "cen-7qthudw0ll6jmcabcd", "peer_account_id": "6543210987654321", "peer_vpc_id": "vpc-uf6f7l4fg90oxxxxxxxxx"})).await.expect(StatusCode::CREATED);
    let bad = f.peering(json!({"peer_cidr": "192.169.0.0/16", "peering_id": "cen-7qthudw0ll6jmcabcd", "peer_account_id": "210987654321", "peer_vpc_id": "vpc-uf6f7l4fg90oxxxxxxxxx"})).await.expect(StatusCode::UNPROCESSABLE_ENTITY).problem();
    let fields: Vec<(&str, &str)> = bad
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("peer_account_id", "id_length"),
            ("peer_cidr", "cidr_not_private")
        ]
    );
}

#[tokio::test]
async fn a_deployment_that_is_not_running_takes_no_new_peerings_or_links() {
    let f = deployment("aws", "us-east-1", false).await;
    let network = f
        .get(&f.admin, "network")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (
            network["accepts_changes"].as_bool(),
            network["principal"].is_null()
        ),
        (Some(false), true)
    );
    let p = f
        .peering(aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(p.code, ProblemCode::DeploymentNotRunning);
    assert!(p.detail.unwrap().contains("waiting_for_deployment"));
    let p = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": SERVICE}),
            &[],
        )
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(p.code, ProblemCode::DeploymentNotRunning);
}

#[tokio::test]
async fn viewers_read_the_network_but_cannot_change_it_and_outsiders_see_nothing() {
    let f = deployment("aws", "us-east-1", true).await;
    let link = f.link(SERVICE).await;
    let lid = link["id"].as_str().unwrap();
    let viewer = f.app.create_user(&f.admin, "vera", "member").await;
    f.app
        .add_member(
            &f.admin,
            &f.project,
            viewer["id"].as_str().unwrap(),
            "viewer",
        )
        .await;
    f.app.create_user(&f.admin, "otto", "member").await;
    let vera = f.app.sign_in("vera", &common::password_of("vera")).await;
    let otto = f.app.sign_in("otto", &common::password_of("otto")).await;

    for path in [
        "network",
        "peerings",
        "privatelinks",
        &format!("privatelinks/{lid}"),
    ] {
        f.get(&vera, path).await.expect(StatusCode::OK);
        f.get(&otto, path).await.expect(StatusCode::NOT_FOUND);
    }
    let before = f.app.audit_count().await;
    f.post(
        &vera,
        "privatelinks",
        json!({"service_id": SERVICE.replace("0654", "0655")}),
        &[],
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let refused = f
        .peering_as(&vera)
        .await
        .expect(StatusCode::FORBIDDEN)
        .problem();
    assert_eq!(
        refused.detail.as_deref(),
        Some("Your role in this project does not allow managing networks.")
    );
    f.change(
        &vera,
        Method::DELETE,
        &format!("privatelinks/{lid}"),
        Some(1),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    f.post(&otto, "privatelinks", json!({"service_id": SERVICE}), &[])
        .await
        .expect(StatusCode::NOT_FOUND);
    assert_eq!(
        f.app.audit_count().await - before,
        4,
        "every refusal is audited"
    );
    assert_eq!(f.audit("privatelink.create", "denied").await, 2);
    assert_eq!(f.audit("peering.create", "denied").await, 1);
    assert_eq!(f.audit("privatelink.delete", "denied").await, 1);
}

impl Fixture {
    async fn peering_as(&self, auth: &Auth) -> Reply {
        self.post(
            auth,
            "peerings",
            aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"),
            &[],
        )
        .await
    }
}

#[tokio::test]
async fn a_retried_create_with_the_same_key_returns_the_first_answer() {
    let f = deployment("aws", "us-east-1", true).await;
    let key = [("idempotency-key", "link-1")];
    let body = json!({"service_id": SERVICE});
    let first = f
        .post(&f.admin, "privatelinks", body.clone(), &key)
        .await
        .expect(StatusCode::CREATED)
        .json();
    let again = f
        .post(&f.admin, "privatelinks", body, &key)
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(first, again);
    let other = f
        .post(
            &f.admin,
            "privatelinks",
            json!({"service_id": SERVICE.replace("0654", "0655")}),
            &key,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.problem().code, ProblemCode::IdempotencyKeyReused);
    let key = [("idempotency-key", "peer-1")];
    let p1 = f
        .post(
            &f.admin,
            "peerings",
            aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"),
            &key,
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let p2 = f
        .post(
            &f.admin,
            "peerings",
            aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"),
            &key,
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(p1["id"], p2["id"]);
    assert_eq!(f.get(&f.admin, "privatelinks").await.json()["total"], 1);
    assert_eq!(f.get(&f.admin, "peerings").await.json()["total"], 1);
}

#[tokio::test]
async fn agent_network_reports_are_checked_like_every_agent_message() {
    let f = deployment("aws", "us-east-1", true).await;
    let lid = f.link(SERVICE).await["id"].as_str().unwrap().to_owned();
    let before = f.audit("agent.network", "denied").await;
    // Another deployment's id, an unknown link, an endpoint outside the VPC.
    let seq = f.seq.fetch_add(1, Ordering::SeqCst) + 1;
    let wrong = agent(&f.app, &f.token, Method::POST, "network/report", Some(json!({"deployment_id": "other", "seq": seq, "kind": "privatelink", "id": lid, "outcome": "removed"}))).await;
    assert_eq!(
        wrong.expect(StatusCode::FORBIDDEN).problem().code,
        ProblemCode::WrongDeployment
    );
    f.report("privatelink", "nope", "removed", json!({}))
        .await
        .expect(StatusCode::NOT_FOUND);
    let outside = f
        .report(
            "privatelink",
            &lid,
            "running",
            json!({"endpoint_ip": "192.168.1.1"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(outside.errors[0].code, "endpoint_outside_vpc");
    let missing = f
        .report("privatelink", &lid, "running", json!({}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .problem();
    assert_eq!(missing.errors[0].code, "endpoint_missing");
    let early = f
        .report("privatelink", &lid, "removed", json!({}))
        .await
        .expect(StatusCode::CONFLICT)
        .problem();
    assert_eq!(early.code, ProblemCode::ActionNotAllowed);
    assert_eq!(f.audit("agent.network", "denied").await - before, 5);

    // A repeated sequence number changes nothing.
    let seq = f.seq.fetch_add(1, Ordering::SeqCst) + 1;
    let body = json!({"deployment_id": f.id, "seq": seq, "kind": "privatelink", "id": lid, "outcome": "running", "endpoint_ip": "10.0.1.1"});
    agent(
        &f.app,
        &f.token,
        Method::POST,
        "network/report",
        Some(body.clone()),
    )
    .await
    .expect(StatusCode::OK);
    let mut repeat = body;
    repeat["outcome"] = json!("failed");
    repeat["reason"] = json!("x");
    let dup = agent(
        &f.app,
        &f.token,
        Method::POST,
        "network/report",
        Some(repeat),
    )
    .await
    .expect(StatusCode::CONFLICT)
    .problem();
    assert_eq!(dup.code, ProblemCode::MessageOutOfOrder);
    assert_eq!(
        f.get(&f.admin, &format!("privatelinks/{lid}")).await.json()["status"],
        "running"
    );
    agent(&f.app, "byoc_agt_forged", Method::GET, "network", None)
        .await
        .expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn deleting_the_deployment_removes_its_peerings_and_links() {
    let f = deployment("aws", "us-east-1", true).await;
    let lid = f.link(SERVICE).await["id"].as_str().unwrap().to_owned();
    f.report(
        "privatelink",
        &lid,
        "running",
        json!({"endpoint_ip": "10.0.1.1"}),
    )
    .await
    .expect(StatusCode::OK);
    f.peering(aws_peering("172.31.0.0/16", "pcx-0a1b2c3d"))
        .await
        .expect(StatusCode::CREATED);
    let d = f
        .app
        .call(
            Method::GET,
            &format!("/api/v1/deployments/{}", f.id),
            &f.admin,
            None,
            &[],
        )
        .await
        .json();
    let del = f
        .app
        .call(
            Method::POST,
            &format!("/api/v1/deployments/{}/actions/delete", f.id),
            &f.admin,
            None,
            &[("if-match", &format!("\"{}\"", version(&d)))],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let key = del["bootstrap"]["key"]["key"].as_str().unwrap();
    let reg = f
        .app
        .call(
            Method::POST,
            "/agent/v1/register",
            &Auth::None,
            Some(json!({"key": key, "operation": "delete", "platform": "aws"})),
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json();
    let token = reg["agent_token"].as_str().unwrap();
    agent(
        &f.app,
        token,
        Method::POST,
        "complete",
        Some(json!({"deployment_id": f.id, "seq": 1, "outcome": "success"})),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(f.get(&f.admin, "peerings").await.json()["total"], 0);
    assert_eq!(f.get(&f.admin, "privatelinks").await.json()["total"], 0);
    assert_eq!(
        f.get(&f.admin, &format!("privatelinks/{lid}")).await.json()["status"],
        "removed"
    );
}

#[tokio::test]
async fn lists_are_paged() {
    let f = deployment("aws", "us-east-1", true).await;
    for i in 0..3 {
        f.peering(aws_peering(
            &format!("172.{}.0.0/16", 16 + i),
            &format!("pcx-0000000{i}"),
        ))
        .await
        .expect(StatusCode::CREATED);
    }
    let page = f
        .get(&f.admin, "peerings?limit=2")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (
            page["items"].as_array().unwrap().len(),
            page["total"].as_u64()
        ),
        (2, Some(3))
    );
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = f
        .get(&f.admin, &format!("peerings?limit=2&cursor={cursor}"))
        .await
        .json();
    assert_eq!(
        (
            rest["items"].as_array().unwrap().len(),
            rest["next_cursor"].is_null()
        ),
        (1, true)
    );
    assert_eq!(
        f.get(&f.admin, "peerings?limit=0")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY)
            .problem()
            .errors[0]
            .code,
        "limit_out_of_range"
    );
    assert_eq!(
        f.get(&f.admin, "privatelinks?cursor=zz")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY)
            .problem()
            .errors[0]
            .code,
        "invalid_cursor"
    );
}
