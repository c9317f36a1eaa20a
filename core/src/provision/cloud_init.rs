//! What each instance of a plan runs at boot: cloud-init user data (`#cloud-config`), the same for
//! every cloud whose images carry cloud-init.
//!
//! - The **image builder** installs the broker from EMQ's package repository and powers off; the
//!   toolkit then takes the image from it.
//! - A **broker** starts the broker with its node name, the other brokers as static cluster
//!   seeds (their fixed private addresses come from the plan) and the deployment's certificate.
//! - The **agent** fetches the toolkit from the control plane, checks its SHA-256 and runs
//!   `byoc agent` as a service.
//!
//! The certificate's private key travels from the bootstrap machine to the brokers inside the
//! user data, through the cloud's API, never through the control plane. Instance metadata keeps
//! user data readable for the instance's life, so every broker, once its boot is over, routes the
//! metadata address to nowhere (`byoc-metadata-off.service`, at every boot after cloud-init; EC2's
//! 169.254.169.254 and Alibaba Cloud's 100.100.100.200): no process on the node can read the key
//! from there afterwards. (User data stays readable through the cloud's API to principals allowed
//! `ec2:DescribeInstanceAttribute` or `ecs:DescribeUserData`, the customer's own.)

use super::{Detail, Plan, Resource, Role};

/// What the nodes need beyond the plan.
#[derive(Clone, Debug, Default)]
pub struct NodeInputs<'a> {
    pub domain: &'a str,
    /// The certificate chain (PEM) and its private key (PEM), from the customer's files.
    pub cert_pem: &'a str,
    pub key_pem: &'a str,
    /// The control plane the agent reports to, and the agent's token for this deployment.
    pub control_plane: &'a str,
    pub agent_token: &'a str,
    /// The SHA-256 of the toolkit binary the agent node downloads.
    pub toolkit_sha256: &'a str,
    /// `key:secret` of the brokers' REST API, which the agent reads its figures from.
    pub broker_api_key: &'a str,
    /// The Erlang distribution cookie the brokers share (the default is public knowledge).
    pub cluster_cookie: &'a str,
    /// The dashboard's first password for `admin` (the default is public knowledge).
    pub dashboard_password: &'a str,
}

/// The broker package the builder installs (EMQ's open-source broker, from its own repository).
pub const BROKER_PACKAGE: &str = "emqx";
/// EMQ's script that adds its RPM repository.
pub const BROKER_REPOSITORY_SCRIPT: &str = "https://assets.emqx.com/scripts/install-emqx-rpm.sh";
const CERT_DIR: &str = "/etc/emqx/certs";
/// EMQX reads API keys to create at start from this file (`key:secret` lines).
const API_KEYS: &str = "/etc/emqx/byoc-api-keys";

/// The `#cloud-config` document of one instance of the plan.
pub fn user_data(plan: &Plan, instance: &Resource, inputs: &NodeInputs) -> String {
    let Detail::Instance {
        role, private_ip, ..
    } = &instance.detail
    else {
        return String::new();
    };
    match role {
        Role::ImageBuilder => builder(),
        Role::Broker => broker(plan, private_ip.as_deref().unwrap_or(""), inputs),
        Role::Agent => agent(plan, inputs),
    }
}

fn builder() -> String {
    format!(
        "#cloud-config\n\
         # BYOC image builder: installs the broker, then powers off so the image can be taken.\n\
         runcmd:\n\
         \x20 - [sh, -c, \"curl -fsSL {BROKER_REPOSITORY_SCRIPT} | bash\"]\n\
         \x20 - [dnf, install, -y, {BROKER_PACKAGE}]\n\
         \x20 - [systemctl, disable, {BROKER_PACKAGE}]\n\
         power_state:\n\
         \x20 mode: poweroff\n\
         \x20 message: BYOC image built\n\
         \x20 timeout: 30\n\
         \x20 condition: \"test -x /usr/bin/emqx\"\n"
    )
}

/// A YAML block scalar of `text`, indented under a key at `indent` spaces.
fn block(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::from("|\n");
    for line in text.trim_end().lines() {
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn broker_ips(plan: &Plan) -> Vec<String> {
    plan.resources
        .iter()
        .filter_map(|r| match &r.detail {
            Detail::Instance {
                role: Role::Broker,
                private_ip: Some(ip),
                ..
            } => Some(ip.clone()),
            _ => None,
        })
        .collect()
}

fn broker(plan: &Plan, ip: &str, inputs: &NodeInputs) -> String {
    let seeds: Vec<String> = broker_ips(plan)
        .iter()
        .map(|ip| format!("emqx@{ip}"))
        .collect();
    let env = [
        ("EMQX_NODE__NAME", format!("emqx@{ip}")),
        ("EMQX_CLUSTER__DISCOVERY_STRATEGY", "static".into()),
        (
            "EMQX_CLUSTER__STATIC__SEEDS",
            format!("[{}]", seeds.join(",")),
        ),
        (
            "EMQX_LISTENERS__SSL__DEFAULT__SSL_OPTIONS__CERTFILE",
            format!("{CERT_DIR}/cert.pem"),
        ),
        (
            "EMQX_LISTENERS__SSL__DEFAULT__SSL_OPTIONS__KEYFILE",
            format!("{CERT_DIR}/key.pem"),
        ),
        (
            "EMQX_LISTENERS__WSS__DEFAULT__SSL_OPTIONS__CERTFILE",
            format!("{CERT_DIR}/cert.pem"),
        ),
        (
            "EMQX_LISTENERS__WSS__DEFAULT__SSL_OPTIONS__KEYFILE",
            format!("{CERT_DIR}/key.pem"),
        ),
        ("EMQX_API_KEY__BOOTSTRAP_FILE", API_KEYS.to_owned()),
        ("EMQX_NODE__COOKIE", inputs.cluster_cookie.to_owned()),
        // The dashboard and REST API over TLS on 18084 (the load balancer's 18084 and 8443).
        ("EMQX_DASHBOARD__LISTENERS__HTTPS__BIND", "18084".to_owned()),
        (
            "EMQX_DASHBOARD__LISTENERS__HTTPS__SSL_OPTIONS__CERTFILE",
            format!("{CERT_DIR}/cert.pem"),
        ),
        (
            "EMQX_DASHBOARD__LISTENERS__HTTPS__SSL_OPTIONS__KEYFILE",
            format!("{CERT_DIR}/key.pem"),
        ),
        (
            "EMQX_DASHBOARD__DEFAULT_PASSWORD",
            inputs.dashboard_password.to_owned(),
        ),
    ];
    let mut dropin = String::from("[Service]\n");
    for (k, v) in env {
        dropin.push_str(&format!("Environment=\"{k}={v}\"\n"));
    }
    format!(
        "#cloud-config\n\
         # BYOC broker {ip} of deployment {id} ({domain}).\n\
         write_files:\n\
         \x20 - path: {CERT_DIR}/cert.pem\n\
         \x20   permissions: \"0644\"\n\
         \x20   content: {cert}\
         \x20 - path: {CERT_DIR}/key.pem\n\
         \x20   permissions: \"0600\"\n\
         \x20   content: {key}\
         \x20 - path: {API_KEYS}\n\
         \x20   permissions: \"0600\"\n\
         \x20   content: {api_key}\
         \x20 - path: /etc/systemd/system/emqx.service.d/byoc.conf\n\
         \x20   content: {dropin}\
         \x20 - path: /etc/systemd/system/byoc-metadata-off.service\n\
         \x20   content: {metadata_off}\
         runcmd:\n\
         \x20 - [chown, -R, \"emqx:emqx\", {CERT_DIR}, {API_KEYS}]\n\
         \x20 - [systemctl, daemon-reload]\n\
         \x20 - [systemctl, enable, --now, emqx]\n\
         \x20 - [systemctl, enable, byoc-metadata-off.service]\n\
         \x20 - [systemctl, start, --no-block, byoc-metadata-off.service]\n",
        id = plan.deployment_id,
        domain = inputs.domain,
        cert = block(inputs.cert_pem, 6),
        key = block(inputs.key_pem, 6),
        api_key = block(inputs.broker_api_key, 6),
        dropin = block(&dropin, 6),
        metadata_off = block(METADATA_OFF, 6),
    )
}

/// Once cloud-init has finished at each boot, the metadata address leads nowhere on this node.
const METADATA_OFF: &str = "[Unit]
Description=BYOC: no instance metadata after boot (it holds the TLS key in user data)
After=cloud-final.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/ip route replace prohibit 169.254.169.254/32
ExecStart=/usr/sbin/ip route replace prohibit 100.100.100.200/32
[Install]
WantedBy=multi-user.target";

fn agent(plan: &Plan, inputs: &NodeInputs) -> String {
    let brokers: Vec<String> = broker_ips(plan);
    let unit = format!(
        "[Unit]\nDescription=BYOC agent of deployment {id}\nAfter=network-online.target\n[Service]\n\
         EnvironmentFile=/etc/byoc/agent.env\n\
         ExecStart=/usr/local/bin/byoc agent --brokers {brokers}\n\
         Restart=always\nRestartSec=10\n[Install]\nWantedBy=multi-user.target",
        id = plan.deployment_id,
        brokers = brokers.join(","),
    );
    format!(
        "#cloud-config\n\
         # BYOC agent of deployment {id}.\n\
         write_files:\n\
         \x20 - path: /etc/byoc/agent.env\n\
         \x20   permissions: \"0600\"\n\
         \x20   content: {env}\
         \x20 - path: /etc/systemd/system/byoc-agent.service\n\
         \x20   content: {unit}\
         runcmd:\n\
         \x20 - [curl, -fsSL, -o, /usr/local/bin/byoc, {url}]\n\
         \x20 - [sh, -c, {check}]\n\
         \x20 - [chmod, \"0755\", /usr/local/bin/byoc]\n\
         \x20 - [systemctl, daemon-reload]\n\
         \x20 - [systemctl, enable, --now, byoc-agent.service]\n",
        id = plan.deployment_id,
        env = block(
            &format!(
                "BYOC_ENDPOINT={}\nBYOC_DEPLOYMENT_ID={}\nBYOC_AGENT_TOKEN={}\nBYOC_BROKER_API_KEY={}",
                inputs.control_plane, plan.deployment_id, inputs.agent_token, inputs.broker_api_key
            ),
            6
        ),
        unit = block(&unit, 6),
        url = quoted(&format!("{}/downloads/byoc-linux-amd64", inputs.control_plane.trim_end_matches('/'))),
        check = quoted(&format!(
            "echo '{}  /usr/local/bin/byoc' | sha256sum -c - || {{ rm -f /usr/local/bin/byoc; exit 1; }}",
            inputs.toolkit_sha256
        )),
    )
}
