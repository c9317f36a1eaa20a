//! The simulated agent's network reconciliation, run with every heartbeat: it reads the
//! peerings and PrivateLinks waiting for it (`GET /agent/v1/network`) and reports what a cloud
//! would make of them. Only the provider side is simulated; the protocol is the real one.
//!
//! - A pending PrivateLink runs once the simulated provider "allows" it: after `--allow-after`
//!   seconds (scaled by `--speed`), or at once when `byoc simulate allow --service-id …` left an
//!   allow file in the state directory. A pending peering becomes active the same way
//!   (`byoc simulate allow --peering …`).
//! - Marked identifiers fail instead: a service ID containing `notwhitelisted` or `c105ed` fails
//!   as "not whitelisted"; one containing `reject` or `deadbeef` (the hex-only AWS IDs can carry
//!   only the latter) as rejected; a peering whose IDs or network contain `reject` or `deadbeef`
//!   as rejected by the peer.
//! - Deleting ones are removed.

use std::collections::HashMap;
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use byoc_core::api::{AgentNetwork, NetworkKind, NetworkOutcome, Peering, PrivateLink};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::peering::PeeringStatus;
use byoc_core::lifecycle::privatelink::PrivateLinkStatus;
use byoc_core::network::{Cidr, EndpointServiceId};
use serde::{Deserialize, Serialize};

use super::client::{AgentClient, ProtocolError};
use super::simulate::fnv;

/// Where `byoc simulate allow` and the running agent meet, unless `--state-dir` says otherwise.
pub const DEFAULT_STATE_DIR: &str = ".byoc";

const REJECTED: [&str; 2] = ["reject", "deadbeef"];
const NOT_WHITELISTED: [&str; 2] = ["notwhitelisted", "c105ed"];

/// What `byoc simulate allow` leaves for the agent: the service ID (or peering) the provider
/// side allowed, and optionally the endpoint to report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    pub id: String,
    #[serde(default)]
    pub endpoint: Option<String>,
}

fn allow_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("allow")
}

fn allow_file(state_dir: &Path, id: &str) -> PathBuf {
    // Service IDs hold slashes (Google Cloud): the file is named by a digest of the ID.
    allow_dir(state_dir).join(format!("{:016x}.json", fnv(id.trim())))
}

/// `byoc simulate allow`: the simulated provider allows `id` (an endpoint service ID, or a
/// peering's ID, peering connection ID or network); the running agent picks it up at its next
/// heartbeat. Returns the file written.
pub fn allow(state_dir: &Path, id: &str, endpoint: Option<&str>) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(allow_dir(state_dir))?;
    let path = allow_file(state_dir, id);
    let allowance = Allowance {
        id: id.trim().to_owned(),
        endpoint: endpoint
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned),
    };
    let text = serde_json::to_string_pretty(&allowance).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}

fn allowances(state_dir: &Path) -> HashMap<String, Allowance> {
    let Ok(entries) = std::fs::read_dir(allow_dir(state_dir)) else {
        return HashMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| serde_json::from_str::<Allowance>(&t).ok())
        .map(|a| (a.id.clone(), a))
        .collect()
}

fn marked(texts: &[&str], markers: &[&str]) -> bool {
    texts
        .iter()
        .any(|t| markers.iter().any(|m| t.to_ascii_lowercase().contains(m)))
}

/// Simulated endpoint of a link allowed without an explicit endpoint: an address inside the
/// deployment's VPC and, except on Google Cloud (whose endpoints are addresses), the provider's
/// style of domain name.
pub fn simulated_endpoint(
    link: &PrivateLink,
    region: &str,
    vpc: Cidr,
) -> (Option<String>, Option<String>) {
    let h = fnv(&link.id);
    let first = u32::from(vpc.first());
    let size = u32::from(vpc.last()) - first + 1;
    // Clear of the network's first addresses, which the clouds reserve.
    let ip = Ipv4Addr::from(first + 16 + (h as u32) % (size.saturating_sub(32).max(1)));
    let key = EndpointServiceId::parse(link.cloud, region, &link.service_id)
        .map(|s| s.key().to_owned())
        .unwrap_or_else(|_| "service".to_owned());
    let domain = match link.cloud {
        Cloud::Aliyun => Some(format!(
            "ep-{:016x}.{key}.{region}.privatelink.aliyuncs.com",
            h
        )),
        Cloud::Aws => Some(format!(
            "vpce-{:017x}-{:08x}.{key}.{region}.vpce.amazonaws.com",
            h & 0x0fff_ffff_ffff_ffff_u64,
            h >> 32
        )),
        Cloud::AwsCn => Some(format!(
            "vpce-{:017x}-{:08x}.{key}.{region}.vpce.amazonaws.com.cn",
            h & 0x0fff_ffff_ffff_ffff_u64,
            h >> 32
        )),
        Cloud::Gcp => None,
    };
    (domain, Some(ip.to_string()))
}

/// An endpoint given to `byoc simulate allow --endpoint`: an address, or a domain name.
fn given_endpoint(text: &str) -> (Option<String>, Option<String>) {
    match text.parse::<Ipv4Addr>() {
        Ok(ip) => (None, Some(ip.to_string())),
        Err(_) => (Some(text.to_owned()), None),
    }
}

/// One report to send.
struct Step {
    kind: NetworkKind,
    id: String,
    label: String,
    outcome: NetworkOutcome,
    endpoint: (Option<String>, Option<String>),
    reason: Option<String>,
    /// The allow file to remove once the report landed.
    used: Option<String>,
}

pub struct Reconciler {
    state_dir: PathBuf,
    /// Real time after which a pending resource is allowed; none: only by `simulate allow`.
    allow_after: Option<Duration>,
    region: String,
    first_seen: HashMap<String, Instant>,
}

impl Reconciler {
    pub fn new(state_dir: PathBuf, allow_after: Option<Duration>, region: &str) -> Self {
        Reconciler {
            state_dir,
            allow_after,
            region: region.to_owned(),
            first_seen: HashMap::new(),
        }
    }

    /// Whether the resource `id` has waited long enough, or an allowance names one of `names`.
    fn allowed<'a>(
        &mut self,
        id: &str,
        names: &[&str],
        allowances: &'a HashMap<String, Allowance>,
    ) -> Option<Option<&'a Allowance>> {
        let seen = *self
            .first_seen
            .entry(id.to_owned())
            .or_insert_with(Instant::now);
        if let Some(a) = names.iter().find_map(|n| allowances.get(*n)) {
            return Some(Some(a));
        }
        self.allow_after
            .filter(|after| seen.elapsed() >= *after)
            .map(|_| None)
    }

    fn peering_step(
        &mut self,
        p: &Peering,
        allowances: &HashMap<String, Allowance>,
    ) -> Option<Step> {
        let label = byoc_core::network::peering::peering_label(p);
        let step = |outcome, reason: Option<String>, used: Option<String>| Step {
            kind: NetworkKind::Peering,
            id: p.id.clone(),
            label: label.clone(),
            outcome,
            endpoint: (None, None),
            reason,
            used,
        };
        match p.status {
            PeeringStatus::Deleting => Some(step(NetworkOutcome::Removed, None, None)),
            PeeringStatus::PendingAcceptance => {
                let names: Vec<&str> = [
                    Some(p.id.as_str()),
                    p.peering_id.as_deref(),
                    p.peer_vpc_id.as_deref(),
                    p.peer_network.as_deref(),
                    p.peer_project_id.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect();
                if marked(&names, &REJECTED) {
                    return Some(step(
                        NetworkOutcome::Failed,
                        Some("the peer rejected the peering request (simulated)".into()),
                        None,
                    ));
                }
                self.allowed(&p.id, &names, allowances)
                    .map(|a| step(NetworkOutcome::Active, None, a.map(|a| a.id.clone())))
            }
            _ => None,
        }
    }

    fn link_step(
        &mut self,
        l: &PrivateLink,
        vpc: Cidr,
        allowances: &HashMap<String, Allowance>,
    ) -> Option<Step> {
        let step = |outcome, endpoint, reason: Option<String>, used: Option<String>| Step {
            kind: NetworkKind::Privatelink,
            id: l.id.clone(),
            label: l.service_id.clone(),
            outcome,
            endpoint,
            reason,
            used,
        };
        match l.status {
            PrivateLinkStatus::Deleting => {
                Some(step(NetworkOutcome::Removed, (None, None), None, None))
            }
            PrivateLinkStatus::PendingAcceptance => {
                let names = [l.id.as_str(), l.service_id.as_str()];
                if marked(&names, &NOT_WHITELISTED) {
                    let whom = l
                        .principal
                        .as_ref()
                        .map_or("the deployment's account".to_owned(), |p| p.value.clone());
                    let reason = format!(
                        "the endpoint service does not whitelist {whom}; add it to the whitelist and create the PrivateLink again (simulated)"
                    );
                    return Some(step(
                        NetworkOutcome::Failed,
                        (None, None),
                        Some(reason),
                        None,
                    ));
                }
                if marked(&names, &REJECTED) {
                    let reason =
                        "the endpoint connection was rejected on the endpoint service (simulated)";
                    return Some(step(
                        NetworkOutcome::Failed,
                        (None, None),
                        Some(reason.into()),
                        None,
                    ));
                }
                let region = self.region.clone();
                self.allowed(&l.id, &names, allowances).map(|a| {
                    let endpoint = a
                        .and_then(|a| a.endpoint.as_deref())
                        .map_or_else(|| simulated_endpoint(l, &region, vpc), given_endpoint);
                    step(
                        NetworkOutcome::Running,
                        endpoint,
                        None,
                        a.map(|a| a.id.clone()),
                    )
                })
            }
            _ => None,
        }
    }

    /// One round: reads the work and reports every outcome that is due. A refused report is
    /// printed and the round goes on; an unreachable control plane ends the round.
    pub fn beat(
        &mut self,
        out: &mut impl Write,
        client: &mut AgentClient,
    ) -> Result<(), ProtocolError> {
        let work: AgentNetwork = client.network()?;
        let Ok(vpc) = Cidr::parse(&work.vpc_cidr) else {
            return Ok(());
        };
        let allowances = allowances(&self.state_dir);
        let mut steps: Vec<Step> = Vec::new();
        for p in &work.peerings {
            steps.extend(self.peering_step(p, &allowances));
        }
        for l in &work.privatelinks {
            steps.extend(self.link_step(l, vpc, &allowances));
        }
        for step in steps {
            let what = match step.kind {
                NetworkKind::Peering => "peering",
                NetworkKind::Privatelink => "PrivateLink",
            };
            let sent = client.network_report(
                (step.kind, &step.id),
                step.outcome,
                step.endpoint.clone(),
                step.reason.clone(),
            );
            match sent {
                Ok(_) => {
                    let _ = write!(out, "{what} {}: {:?}", step.label, step.outcome);
                    let _ = match (&step.endpoint, &step.reason) {
                        ((d, i), _) if d.is_some() || i.is_some() => writeln!(
                            out,
                            " at {}",
                            [d.as_deref(), i.as_deref()]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(" / ")
                        ),
                        (_, Some(reason)) => writeln!(out, ": {reason}"),
                        _ => writeln!(out),
                    };
                    self.first_seen.remove(&step.id);
                    if let Some(id) = &step.used {
                        let _ = std::fs::remove_file(allow_file(&self.state_dir, id));
                    }
                }
                Err(ProtocolError::Refused { code, detail, .. }) => {
                    let _ = writeln!(
                        out,
                        "{what} {}: the control plane refused the report ({code}): {detail}",
                        step.label
                    );
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(cloud: Cloud, service_id: &str) -> PrivateLink {
        PrivateLink {
            id: "l-1".into(),
            deployment_id: "d-1".into(),
            cloud,
            service_id: service_id.into(),
            description: None,
            status: PrivateLinkStatus::PendingAcceptance,
            reason: None,
            endpoint_domain: None,
            endpoint_ip: None,
            principal: None,
            zone: None,
            allowed_actions: vec![],
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn simulated_endpoints_lie_in_the_vpc_and_look_like_the_providers() {
        let vpc = Cidr::parse("10.0.0.0/22").unwrap();
        let svc = "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a";
        let (domain, ip) = simulated_endpoint(&link(Cloud::Aws, svc), "us-east-1", vpc);
        let domain = domain.unwrap();
        assert!(
            domain.ends_with(".vpce-svc-0654fb016640c364a.us-east-1.vpce.amazonaws.com"),
            "{domain}"
        );
        assert!(
            byoc_core::domain::DomainName::parse(&domain).is_ok(),
            "{domain}"
        );
        assert!(vpc.contains(ip.unwrap().parse().unwrap()));
        let (domain, _) = simulated_endpoint(
            &link(Cloud::Aliyun, "epsrv-hp3vpx8yqxblby3iabcd"),
            "cn-hangzhou",
            vpc,
        );
        assert!(domain
            .unwrap()
            .ends_with(".epsrv-hp3vpx8yqxblby3iabcd.cn-hangzhou.privatelink.aliyuncs.com"));
        let (domain, ip) = simulated_endpoint(
            &link(
                Cloud::Gcp,
                "projects/p-123456/regions/us-east1/serviceAttachments/x",
            ),
            "us-east1",
            vpc,
        );
        assert!(domain.is_none() && ip.is_some());
    }

    #[test]
    fn allow_files_name_the_id_and_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = allow(
            dir.path(),
            " projects/p/regions/r/serviceAttachments/x ",
            Some("10.0.0.9"),
        )
        .unwrap();
        assert!(path.starts_with(dir.path()));
        let found = allowances(dir.path());
        let a = &found["projects/p/regions/r/serviceAttachments/x"];
        assert_eq!(a.endpoint.as_deref(), Some("10.0.0.9"));
        assert_eq!(given_endpoint("10.0.0.9"), (None, Some("10.0.0.9".into())));
        assert_eq!(
            given_endpoint("ep.example.com"),
            (Some("ep.example.com".into()), None)
        );
        assert!(allowances(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn marked_links_fail_and_others_wait_for_an_allowance() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let mut r = Reconciler::new(PathBuf::from("/nonexistent"), None, "cn-hangzhou");
        let none = HashMap::new();
        let step = r
            .link_step(&link(Cloud::Aliyun, "epsrv-notwhitelisted0001"), vpc, &none)
            .unwrap();
        assert_eq!(step.outcome, NetworkOutcome::Failed);
        assert!(step.reason.unwrap().contains("whitelist"));
        let step = r
            .link_step(&link(Cloud::Aliyun, "epsrv-reject0000000001"), vpc, &none)
            .unwrap();
        assert!(step.reason.unwrap().contains("rejected"));
        assert!(
            r.link_step(
                &link(Cloud::Aliyun, "epsrv-hp3vpx8yqxblby3iabcd"),
                vpc,
                &none
            )
            .is_none(),
            "waits"
        );
        let mut allowed = HashMap::new();
        allowed.insert(
            "epsrv-hp3vpx8yqxblby3iabcd".to_owned(),
            Allowance {
                id: "epsrv-hp3vpx8yqxblby3iabcd".into(),
                endpoint: None,
            },
        );
        let step = r
            .link_step(
                &link(Cloud::Aliyun, "epsrv-hp3vpx8yqxblby3iabcd"),
                vpc,
                &allowed,
            )
            .unwrap();
        assert_eq!(step.outcome, NetworkOutcome::Running);
        assert!(step.endpoint.0.is_some() && step.endpoint.1.is_some());
        let mut soon = Reconciler::new(
            PathBuf::from("/nonexistent"),
            Some(Duration::ZERO),
            "cn-hangzhou",
        );
        assert!(soon
            .link_step(
                &link(Cloud::Aliyun, "epsrv-hp3vpx8yqxblby3iabcd"),
                vpc,
                &none
            )
            .is_some());
    }
}
