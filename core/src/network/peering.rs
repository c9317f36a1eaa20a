//! VPC peering requests (SPEC §6, reference/domain.md §4.1): the fields each cloud asks for,
//! and the peer range, which must be private and overlap neither the deployment's VPC nor
//! another live peering of the deployment. The console runs [`validate_peering`] as the user
//! types; the control plane runs it again on every create.

use crate::api::{FormField, PeeringField};
use serde::Serialize;

use super::cidr::{Cidr, PeerCidr};
use super::ids::{
    AliyunAccountUid, AliyunVpcId, AwsAccountId, AwsPeeringId, AwsVpcId, CenInstanceId, GcpNetwork,
    GcpProjectId, IdError, IdKind,
};
use super::{check_description, NetworkError};
use crate::api::{CreatePeeringRequest, Peering};
use crate::catalog::Cloud;

/// The identifying fields a cloud's peering form asks for, in form order (the peer range and
/// the description come after them on every cloud): the request field and what it holds.
pub fn peering_fields(cloud: Cloud) -> &'static [(PeeringField, IdKind)] {
    match cloud {
        // AWS: the requester side's peering connection, owner and VPC (EMQ/peer).
        Cloud::Aws | Cloud::AwsCn => &[
            (PeeringField::PeeringId, IdKind::AwsPeeringId),
            (PeeringField::PeerAccountId, IdKind::AwsAccountId),
            (PeeringField::PeerVpcId, IdKind::AwsVpcId),
        ],
        Cloud::Gcp => &[
            (PeeringField::PeerProjectId, IdKind::GcpProjectId),
            (PeeringField::PeerNetwork, IdKind::GcpNetwork),
        ],
        // Alibaba Cloud peers through a CEN instance: 对等连接ID = CEN instance ID.
        Cloud::Aliyun => &[
            (PeeringField::PeeringId, IdKind::CenInstanceId),
            (PeeringField::PeerAccountId, IdKind::AliyunAccountUid),
            (PeeringField::PeerVpcId, IdKind::AliyunVpcId),
        ],
    }
}

/// The peer network, as its cloud identifies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "cloud", rename_all = "snake_case")]
pub enum PeerNetwork {
    /// AWS and AWS China.
    Aws {
        peering_id: AwsPeeringId,
        account_id: AwsAccountId,
        vpc_id: AwsVpcId,
    },
    Gcp {
        project_id: GcpProjectId,
        network: GcpNetwork,
    },
    Aliyun {
        cen_id: CenInstanceId,
        account_uid: AliyunAccountUid,
        vpc_id: AliyunVpcId,
    },
}

/// The request fields again, from a parsed peer, for storing and answering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerFields {
    pub peering_id: Option<String>,
    pub peer_account_id: Option<String>,
    pub peer_vpc_id: Option<String>,
    pub peer_project_id: Option<String>,
    pub peer_network: Option<String>,
}

/// A peering request every rule has accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeeringSpec {
    pub peer_cidr: PeerCidr,
    pub peer: PeerNetwork,
    pub description: Option<String>,
}

impl PeeringSpec {
    /// What makes two peerings the same one: the AWS peering connection, the CEN instance and
    /// VPC attached to it, or the Google Cloud project and network.
    pub fn identity(&self) -> String {
        match &self.peer {
            PeerNetwork::Aws { peering_id, .. } => peering_id.to_string(),
            PeerNetwork::Gcp {
                project_id,
                network,
            } => format!("{project_id}/{network}"),
            PeerNetwork::Aliyun { cen_id, vpc_id, .. } => format!("{cen_id}/{vpc_id}"),
        }
    }

    pub fn fields(&self) -> PeerFields {
        let s = |v: &dyn std::fmt::Display| Some(v.to_string());
        match &self.peer {
            PeerNetwork::Aws {
                peering_id,
                account_id,
                vpc_id,
            } => PeerFields {
                peering_id: s(peering_id),
                peer_account_id: s(account_id),
                peer_vpc_id: s(vpc_id),
                ..PeerFields::default()
            },
            PeerNetwork::Gcp {
                project_id,
                network,
            } => PeerFields {
                peer_project_id: s(project_id),
                peer_network: s(network),
                ..PeerFields::default()
            },
            PeerNetwork::Aliyun {
                cen_id,
                account_uid,
                vpc_id,
            } => PeerFields {
                peering_id: s(cen_id),
                peer_account_id: s(account_uid),
                peer_vpc_id: s(vpc_id),
                ..PeerFields::default()
            },
        }
    }
}

/// Another peering of the deployment that still holds its range (pending, active or being
/// deleted), for the overlap rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LivePeer<'a> {
    /// How the user knows it, e.g. its peering ID.
    pub name: &'a str,
    pub cidr: Cidr,
}

fn field<T>(
    name: &'static str,
    value: &Option<String>,
    parse: impl Fn(&str) -> Result<T, IdError>,
    errors: &mut Vec<NetworkError>,
) -> Option<T> {
    parse(value.as_deref().unwrap_or(""))
        .map_err(|error| errors.push(NetworkError::Id { field: name, error }))
        .ok()
}

/// The peer range's own rules and the overlap rules: not the deployment's range, not a live
/// peering's. Every overlap is reported, each with both ranges.
pub fn check_peer_cidr(
    s: &str,
    deployment: Cidr,
    live: &[LivePeer<'_>],
) -> Result<PeerCidr, Vec<NetworkError>> {
    let peer = PeerCidr::parse(s).map_err(|error| {
        vec![NetworkError::Cidr {
            field: PeeringField::PeerCidr.name(),
            error,
        }]
    })?;
    let mut errors = Vec::new();
    if peer.cidr().overlaps(&deployment) {
        errors.push(NetworkError::OverlapsDeployment {
            peer: peer.cidr(),
            deployment,
        });
    }
    for other in live.iter().filter(|o| peer.cidr().overlaps(&o.cidr)) {
        errors.push(NetworkError::OverlapsPeering {
            peer: peer.cidr(),
            other: other.cidr,
            name: other.name.to_owned(),
        });
    }
    if errors.is_empty() {
        Ok(peer)
    } else {
        Err(errors)
    }
}

/// Every rule of a peering request on `cloud` at once, so a form can show every problem
/// together. Fields of other clouds are ignored.
pub fn validate_peering(
    cloud: Cloud,
    req: &CreatePeeringRequest,
    deployment_cidr: Cidr,
    live: &[LivePeer<'_>],
) -> Result<PeeringSpec, Vec<NetworkError>> {
    let mut errors = Vec::new();
    let peer = match cloud {
        Cloud::Aws | Cloud::AwsCn => {
            let peering_id = field(
                PeeringField::PeeringId.name(),
                &req.peering_id,
                AwsPeeringId::parse,
                &mut errors,
            );
            let account_id = field(
                PeeringField::PeerAccountId.name(),
                &req.peer_account_id,
                AwsAccountId::parse,
                &mut errors,
            );
            let vpc_id = field(
                PeeringField::PeerVpcId.name(),
                &req.peer_vpc_id,
                AwsVpcId::parse,
                &mut errors,
            );
            match (peering_id, account_id, vpc_id) {
                (Some(peering_id), Some(account_id), Some(vpc_id)) => Some(PeerNetwork::Aws {
                    peering_id,
                    account_id,
                    vpc_id,
                }),
                _ => None,
            }
        }
        Cloud::Gcp => {
            let project_id = field(
                PeeringField::PeerProjectId.name(),
                &req.peer_project_id,
                GcpProjectId::parse,
                &mut errors,
            );
            let network = field(
                PeeringField::PeerNetwork.name(),
                &req.peer_network,
                GcpNetwork::parse,
                &mut errors,
            );
            match (project_id, network) {
                (Some(project_id), Some(network)) => Some(PeerNetwork::Gcp {
                    project_id,
                    network,
                }),
                _ => None,
            }
        }
        Cloud::Aliyun => {
            let cen_id = field(
                PeeringField::PeeringId.name(),
                &req.peering_id,
                CenInstanceId::parse,
                &mut errors,
            );
            let account_uid = field(
                PeeringField::PeerAccountId.name(),
                &req.peer_account_id,
                AliyunAccountUid::parse,
                &mut errors,
            );
            let vpc_id = field(
                PeeringField::PeerVpcId.name(),
                &req.peer_vpc_id,
                AliyunVpcId::parse,
                &mut errors,
            );
            match (cen_id, account_uid, vpc_id) {
                (Some(cen_id), Some(account_uid), Some(vpc_id)) => Some(PeerNetwork::Aliyun {
                    cen_id,
                    account_uid,
                    vpc_id,
                }),
                _ => None,
            }
        }
    };
    let peer_cidr = check_peer_cidr(&req.peer_cidr, deployment_cidr, live)
        .map_err(|e| errors.extend(e))
        .ok();
    let description = check_description(req.description.as_deref())
        .map_err(|e| errors.push(e))
        .ok();
    match (peer, peer_cidr, description) {
        (Some(peer), Some(peer_cidr), Some(description)) if errors.is_empty() => Ok(PeeringSpec {
            peer_cidr,
            peer,
            description,
        }),
        _ => Err(errors),
    }
}

/// How people know a peering in messages: its peering connection (or CEN instance) ID, else
/// the Google Cloud project and network.
pub fn peering_label(p: &Peering) -> String {
    p.peering_id.clone().unwrap_or_else(|| {
        format!(
            "{}/{}",
            p.peer_project_id.as_deref().unwrap_or(""),
            p.peer_network.as_deref().unwrap_or("")
        )
    })
}

/// The peerings of a list that still hold their range, with their labels: what the overlap rule
/// of a new peering is checked against (the console builds [`LivePeer`]s from them).
pub fn live_ranges(items: &[Peering]) -> Vec<(String, Cidr)> {
    items
        .iter()
        .filter(|p| p.status.is_live())
        .filter_map(|p| {
            Cidr::parse(&p.peer_cidr)
                .ok()
                .map(|c| (peering_label(p), c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn cidr(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    fn aws(peer_cidr: &str) -> CreatePeeringRequest {
        CreatePeeringRequest {
            peer_cidr: peer_cidr.into(),
            peering_id: Some("pcx-0a1b2c3d4e5f67890".into()),
            peer_account_id: Some("123456789012".into()),
            peer_vpc_id: Some("vpc-0a1b2c3d".into()),
            ..CreatePeeringRequest::default()
        }
    }

    fn codes(r: Result<PeeringSpec, Vec<NetworkError>>) -> Vec<(&'static str, &'static str)> {
        r.unwrap_err()
            .iter()
            .map(|e| (e.field(), e.code()))
            .collect()
    }

    const DEPLOYMENT: &str = "10.0.0.0/16";

    #[test]
    fn an_aws_peering_needs_its_three_ids_and_a_private_range() {
        for cloud in [Cloud::Aws, Cloud::AwsCn] {
            let spec =
                validate_peering(cloud, &aws("172.31.0.0/16"), cidr(DEPLOYMENT), &[]).unwrap();
            assert_eq!(spec.identity(), "pcx-0a1b2c3d4e5f67890");
            assert_eq!(spec.fields().peer_vpc_id.as_deref(), Some("vpc-0a1b2c3d"));
        }
        let bad = CreatePeeringRequest {
            peering_id: Some("vpc-0a1b2c3d".into()),
            peer_account_id: Some("12345".into()),
            peer_vpc_id: None,
            ..aws("8.8.8.0/24")
        };
        assert_eq!(
            codes(validate_peering(Cloud::Aws, &bad, cidr(DEPLOYMENT), &[])),
            [
                ("peering_id", "id_prefix"),
                ("peer_account_id", "id_length"),
                ("peer_vpc_id", "id_missing"),
                ("peer_cidr", "cidr_not_private"),
            ]
        );
    }

    #[test]
    fn a_gcp_peering_needs_project_and_network() {
        let req = CreatePeeringRequest {
            peer_cidr: "10.128.0.0/20".into(),
            peer_project_id: Some("shop-prod-42".into()),
            peer_network: Some("default".into()),
            // Another cloud's field is ignored.
            peering_id: Some("pcx-whatever".into()),
            ..CreatePeeringRequest::default()
        };
        let spec = validate_peering(Cloud::Gcp, &req, cidr(DEPLOYMENT), &[]).unwrap();
        assert_eq!(spec.identity(), "shop-prod-42/default");
        assert_eq!(spec.fields().peering_id, None);
        let bad = CreatePeeringRequest {
            peer_project_id: Some("Shop".into()),
            peer_network: Some("-x".into()),
            ..req
        };
        assert_eq!(
            codes(validate_peering(Cloud::Gcp, &bad, cidr(DEPLOYMENT), &[])),
            [
                ("peer_project_id", "id_characters"),
                ("peer_network", "id_shape")
            ]
        );
    }

    #[test]
    fn an_aliyun_peering_names_the_cen_instance_account_and_vpc() {
        let req = CreatePeeringRequest {
            peer_cidr: "192.168.0.0/16".into(),
            peering_id: Some("cen-7qthudw0ll6jmcabcd".into()),
            peer_account_id: Some("1234567890123456".into()),
            peer_vpc_id: Some("vpc-bp15zckdt37pq72zvabcd".into()),
            description: Some("orders".into()),
            ..CreatePeeringRequest::default()
        };
        let spec = validate_peering(Cloud::Aliyun, &req, cidr(DEPLOYMENT), &[]).unwrap();
        assert_eq!(
            spec.identity(),
            "cen-7qthudw0ll6jmcabcd/vpc-bp15zckdt37pq72zvabcd"
        );
        assert_eq!(spec.description.as_deref(), Some("orders"));
        // An AWS account ID is not an Alibaba Cloud UID.
        let bad = CreatePeeringRequest {
            peer_account_id: Some("123456789012".into()),
            peering_id: Some("pcx-0a1b2c3d".into()),
            ..req
        };
        assert_eq!(
            codes(validate_peering(Cloud::Aliyun, &bad, cidr(DEPLOYMENT), &[])),
            [
                ("peering_id", "id_prefix"),
                ("peer_account_id", "id_length")
            ]
        );
    }

    #[test]
    fn rejects_peer_cidr_overlapping_deployment_identical_or_containing() {
        for (peer, contains) in [
            ("10.0.0.0/16", "identical"),
            ("10.0.0.0/8", "containing"),
            ("10.0.128.0/20", "contained"),
        ] {
            let errors =
                validate_peering(Cloud::Aws, &aws(peer), cidr(DEPLOYMENT), &[]).unwrap_err();
            assert_eq!(errors.len(), 1, "{contains}");
            assert_eq!(errors[0].code(), "cidr_overlaps_deployment", "{contains}");
        }
        let e = &validate_peering(Cloud::Aws, &aws("10.0.4.0/22"), cidr(DEPLOYMENT), &[])
            .unwrap_err()[0];
        assert_eq!(
            e.to_string(),
            "the peer range 10.0.4.0/22 (10.0.4.0–10.0.7.255) overlaps the deployment's VPC range \
             10.0.0.0/16 (10.0.0.0–10.0.255.255); overlapping networks cannot route to each other, \
             so peer a network with a distinct range"
        );
        let zh = e.message(Lang::ZhCn);
        assert!(
            zh.contains("10.0.4.0/22 (10.0.4.0–10.0.7.255)") && zh.contains("10.0.0.0/16"),
            "{zh}"
        );
    }

    #[test]
    fn adjacent_and_other_private_ranges_do_not_overlap() {
        for peer in [
            "10.1.0.0/16",
            "9.255.0.0/16",
            "172.16.0.0/12",
            "192.168.0.0/24",
        ] {
            let r = validate_peering(Cloud::Aws, &aws(peer), cidr(DEPLOYMENT), &[]);
            if peer.starts_with('9') {
                assert_eq!(r.unwrap_err()[0].code(), "cidr_not_private");
            } else {
                assert!(r.is_ok(), "{peer}");
            }
        }
    }

    #[test]
    fn rejects_peer_cidr_overlapping_another_live_peering_naming_it() {
        let live = [
            LivePeer {
                name: "pcx-11111111",
                cidr: cidr("172.16.0.0/16"),
            },
            LivePeer {
                name: "pcx-22222222",
                cidr: cidr("192.168.0.0/24"),
            },
        ];
        let errors = validate_peering(Cloud::Aws, &aws("172.16.8.0/24"), cidr(DEPLOYMENT), &live)
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code(), "cidr_overlaps_peering");
        assert!(errors[0].to_string().contains("pcx-11111111"));
        assert!(errors[0]
            .to_string()
            .contains("172.16.0.0/16 (172.16.0.0–172.16.255.255)"));
        // Both overlaps at once: the deployment's and a peering's.
        let errors =
            validate_peering(Cloud::Aws, &aws("0.0.0.0/0"), cidr(DEPLOYMENT), &live).unwrap_err();
        assert_eq!(errors[0].code(), "cidr_not_private");
        let errors = check_peer_cidr(
            "10.0.0.0/8",
            cidr(DEPLOYMENT),
            &[LivePeer {
                name: "x",
                cidr: cidr("10.9.0.0/16"),
            }],
        )
        .unwrap_err();
        assert_eq!(
            errors.iter().map(NetworkError::code).collect::<Vec<_>>(),
            ["cidr_overlaps_deployment", "cidr_overlaps_peering"]
        );
        assert!(
            validate_peering(Cloud::Aws, &aws("172.17.0.0/16"), cidr(DEPLOYMENT), &live).is_ok()
        );
    }

    #[test]
    fn every_cloud_lists_its_form_fields() {
        assert_eq!(peering_fields(Cloud::Gcp).len(), 2);
        for cloud in [Cloud::Aws, Cloud::AwsCn, Cloud::Aliyun] {
            let names: Vec<_> = peering_fields(cloud)
                .iter()
                .map(|(f, _)| f.name())
                .collect();
            assert_eq!(names, ["peering_id", "peer_account_id", "peer_vpc_id"]);
        }
    }

    fn listed(status: crate::lifecycle::peering::PeeringStatus, cidr: &str) -> Peering {
        Peering {
            id: "p".into(),
            deployment_id: "d".into(),
            cloud: Cloud::Gcp,
            peer_cidr: cidr.into(),
            peering_id: None,
            peer_account_id: None,
            peer_vpc_id: None,
            peer_project_id: Some("my-project".into()),
            peer_network: Some("default".into()),
            description: None,
            status,
            reason: None,
            expires_at: None,
            allowed_actions: vec![],
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn only_live_peerings_hold_their_range_and_are_named_by_their_ids() {
        use crate::lifecycle::peering::PeeringStatus::*;
        let mut aws = listed(Active, "172.31.0.0/16");
        aws.peering_id = Some("pcx-0a1b2c3d".into());
        let items = [
            aws,
            listed(PendingAcceptance, "192.168.0.0/24"),
            listed(Failed, "10.1.0.0/16"),
            listed(Expired, "10.2.0.0/16"),
            listed(Deleting, "10.3.0.0/16"),
        ];
        let live = live_ranges(&items);
        assert_eq!(
            live,
            vec![
                ("pcx-0a1b2c3d".to_owned(), cidr("172.31.0.0/16")),
                ("my-project/default".to_owned(), cidr("192.168.0.0/24")),
                ("my-project/default".to_owned(), cidr("10.3.0.0/16")),
            ]
        );
        // A failed peering's range is free again; a live one's is not.
        let peers: Vec<LivePeer<'_>> = live
            .iter()
            .map(|(name, cidr)| LivePeer { name, cidr: *cidr })
            .collect();
        assert!(check_peer_cidr("10.1.0.0/16", cidr("10.0.0.0/16"), &peers).is_ok());
        let errors = check_peer_cidr("172.31.8.0/24", cidr("10.0.0.0/16"), &peers).unwrap_err();
        assert!(
            errors[0].to_string().contains("pcx-0a1b2c3d"),
            "{}",
            errors[0]
        );
    }
}
