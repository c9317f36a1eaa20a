//! What the nodes run at boot: the cloud-init user data the toolkit gives the image builder, each
//! broker and the agent passes Debian's `cloud-init schema`, and says what it must (static cluster
//! seeds naming every broker, the key readable by the broker only, instance metadata off after
//! boot, the toolkit fetched from the control plane and checked against its SHA-256).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::process::Command;

use byoc_core::catalog::Cloud;
use byoc_core::policy::TagCondition;
use byoc_core::provision::cloud_init::{user_data, NodeInputs};
use byoc_core::provision::{plan, Detail, Kind, PlanInput, Role};
use support::certs::{chain, DOMAIN, LEAF_KEY};

/// `cloud-init schema` on `text`: whether it passed, and what it said.
fn schema(name: &str, text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&file, text).unwrap();
    let out = Command::new("cloud-init")
        .args(["schema", "--config-file"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run cloud-init ({e}): `cargo xtask test e2e` installs Debian's package")
        });
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.success() && said.contains("Valid cloud-config"),
        said,
    )
}

fn schema_check(name: &str, text: &str) {
    let (ok, said) = schema(name, text);
    assert!(ok, "{name}: {said}\n{text}");
}

#[test]
fn the_schema_check_does_refuse_a_wrong_document() {
    let (ok, said) = schema("wrong", "#cloud-config\npower_state:\n  mode: nap\n");
    assert!(!ok, "{said}");
}

#[test]
fn every_nodes_user_data_passes_cloud_init_schema_and_says_what_it_must() {
    let tag = TagCondition::default();
    let plan = plan(&PlanInput {
        deployment_id: "5f0c8a8e-1b2c-4d3e-8f90-123456789abc",
        name: "mqtt-prod",
        cloud: Cloud::Aws,
        region: "us-east-1",
        vpc_cidr: "10.0.0.0/16",
        nodes: 3,
        node_type: "c6i.xlarge",
        tags: &[],
        destructive_tag: &tag,
        zones: None,
    })
    .unwrap();
    let [leaf, intermediate, root] = chain();
    let cert = format!("{leaf}{intermediate}{root}");
    let inputs = NodeInputs {
        domain: DOMAIN,
        cert_pem: &cert,
        key_pem: LEAF_KEY,
        control_plane: "https://console.example.com",
        agent_token: "byoc_agent_token_example",
        toolkit_sha256: &"ab".repeat(32),
        broker_api_key: "byoc-agent:0123456789abcdef",
        cluster_cookie: "cookie0123456789",
        dashboard_password: "dash0123456789",
    };
    let mut roles = Vec::new();
    for instance in plan.of(Kind::Instance) {
        let Detail::Instance { role, .. } = &instance.detail else {
            unreachable!()
        };
        let text = user_data(&plan, instance, &inputs);
        assert!(text.starts_with("#cloud-config\n"));
        schema_check(&instance.key, &text);
        match role {
            Role::ImageBuilder => {
                assert!(text.contains("dnf, install, -y, emqx") && text.contains("mode: poweroff"));
                // No image is taken from a builder whose install failed.
                assert!(text.contains("condition: \"test -x /usr/bin/emqx\""));
            }
            Role::Broker => {
                assert!(text.contains(
                    "EMQX_CLUSTER__STATIC__SEEDS=[emqx@10.0.0.10,emqx@10.0.64.10,emqx@10.0.128.10]"
                ));
                assert!(text.contains("path: /etc/emqx/certs/key.pem\n    permissions: \"0600\""));
                assert!(text.contains("BEGIN PRIVATE KEY"));
                assert!(text.contains("ip route replace prohibit 169.254.169.254/32"));
                assert!(text.contains("ip route replace prohibit 100.100.100.200/32"));
                assert!(text.contains("EMQX_API_KEY__BOOTSTRAP_FILE=/etc/emqx/byoc-api-keys"));
                assert!(text.contains("byoc-agent:0123456789abcdef"));
                assert!(text.contains("EMQX_NODE__COOKIE=cookie0123456789"));
                assert!(text.contains("EMQX_DASHBOARD__LISTENERS__HTTPS__BIND=18084"));
                assert!(text.contains("EMQX_DASHBOARD__DEFAULT_PASSWORD=dash0123456789"));
                assert!(text.contains("start, --no-block, byoc-metadata-off.service"));
            }
            Role::Agent => {
                assert!(text.contains("https://console.example.com/downloads/byoc-linux-amd64"));
                assert!(text.contains(&format!("{}  /usr/local/bin/byoc", "ab".repeat(32))));
                assert!(!text.contains("PRIVATE KEY"), "the agent gets no TLS key");
                assert!(text.contains("BYOC_BROKER_API_KEY=byoc-agent:0123456789abcdef"));
                assert!(text.contains("byoc agent --brokers 10.0.0.10,10.0.64.10,10.0.128.10"));
            }
        }
        roles.push(*role);
    }
    assert_eq!(roles.len(), 5);
}
