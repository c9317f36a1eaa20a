//! Network rules (SPEC §6): address ranges for deployment VPCs and peer networks, the identifiers
//! of each cloud's peering and PrivateLink forms, the principal a PrivateLink needs whitelisted,
//! and the endpoint a running link offers. The lifecycles of peerings and links are
//! `crate::lifecycle::{peering, privatelink}`.

pub mod cidr;
pub mod ids;
pub mod peering;
pub mod privatelink;

pub use cidr::{Cidr, CidrError, PeerCidr, VpcCidr};
pub use ids::{IdError, IdKind};
pub use peering::{validate_peering, LivePeer, PeerNetwork, PeeringSpec};
pub use privatelink::{
    validate_privatelink, Endpoint, EndpointServiceId, Principal, PrincipalKind, PrivateLinkSpec,
};

use crate::api::{FormField, PeeringField};
use crate::domain::DomainError;
use crate::lang::Lang;

/// Longest description of a peering or PrivateLink.
pub const MAX_DESCRIPTION: usize = 200;

/// One broken rule of a peering or PrivateLink request (or of an agent's report about one),
/// with the request field it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("{error}")]
    Id { field: &'static str, error: IdError },
    #[error("{error}")]
    Cidr {
        field: &'static str,
        error: CidrError,
    },
    #[error(
        "the peer range {} overlaps the deployment's VPC range {}; overlapping networks cannot route to each other, so peer a network with a distinct range",
        .peer.span(), .deployment.span()
    )]
    OverlapsDeployment { peer: Cidr, deployment: Cidr },
    #[error(
        "the peer range {} overlaps the range {} of the peering {name}; each peered network needs a range of its own",
        .peer.span(), .other.span()
    )]
    OverlapsPeering {
        peer: Cidr,
        other: Cidr,
        name: String,
    },
    #[error("a description is at most {MAX_DESCRIPTION} characters of plain text")]
    Description,
    #[error("a running PrivateLink needs its endpoint: a domain name, an IP address or both")]
    EndpointMissing,
    #[error("the endpoint domain is not usable: {0}")]
    EndpointDomain(DomainError),
    #[error("\"{0}\" is not an IPv4 address")]
    EndpointIp(String),
    #[error("the endpoint {ip} is outside the deployment's VPC range {}, where the endpoint is created", .vpc.span())]
    EndpointOutsideVpc { ip: std::net::Ipv4Addr, vpc: Cidr },
    #[error("a {kind} cannot become {outcome}")]
    Outcome {
        kind: &'static str,
        outcome: &'static str,
    },
    #[error("a failure needs its reason")]
    ReasonMissing,
}

impl NetworkError {
    /// The request field, as named in the `core::api` request types.
    pub fn field(&self) -> &'static str {
        match self {
            NetworkError::Id { field, .. } | NetworkError::Cidr { field, .. } => field,
            NetworkError::OverlapsDeployment { .. } | NetworkError::OverlapsPeering { .. } => {
                PeeringField::PeerCidr.name()
            }
            // The same name in the peering and the PrivateLink forms.
            NetworkError::Description => PeeringField::Description.name(),
            NetworkError::EndpointMissing | NetworkError::EndpointDomain(_) => "endpoint_domain",
            NetworkError::EndpointIp(_) | NetworkError::EndpointOutsideVpc { .. } => "endpoint_ip",
            NetworkError::Outcome { .. } => "outcome",
            NetworkError::ReasonMissing => "reason",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            NetworkError::Id { error, .. } => error.code(),
            NetworkError::Cidr { error, .. } => error.code(),
            NetworkError::OverlapsDeployment { .. } => "cidr_overlaps_deployment",
            NetworkError::OverlapsPeering { .. } => "cidr_overlaps_peering",
            NetworkError::Description => "description_invalid",
            NetworkError::EndpointMissing => "endpoint_missing",
            NetworkError::EndpointDomain(_) => "endpoint_domain_invalid",
            NetworkError::EndpointIp(_) => "endpoint_ip_invalid",
            NetworkError::EndpointOutsideVpc { .. } => "endpoint_outside_vpc",
            NetworkError::Outcome { .. } => "outcome_not_allowed",
            NetworkError::ReasonMissing => "reason_missing",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            NetworkError::Id { error, .. } => error.message(lang),
            NetworkError::Cidr { error, .. } => error.message(lang),
            NetworkError::OverlapsDeployment { peer, deployment } => format!(
                "对端网段 {} 与部署的 VPC 网段 {} 重叠；网段重叠的网络之间无法路由，请对等一个网段不重叠的网络",
                peer.span(),
                deployment.span()
            ),
            NetworkError::OverlapsPeering { peer, other, name } => format!(
                "对端网段 {} 与对等连接 {name} 的网段 {} 重叠；每个对等网络都需要独立的网段",
                peer.span(),
                other.span()
            ),
            NetworkError::Description => {
                format!("描述最多 {MAX_DESCRIPTION} 个字符，且只能是纯文本")
            }
            NetworkError::EndpointMissing => {
                "运行中的私网连接需要终端节点：域名、IP 地址或两者".to_owned()
            }
            NetworkError::EndpointDomain(e) => format!("终端节点域名不可用：{}", e.message(lang)),
            NetworkError::EndpointIp(s) => format!("“{s}”不是 IPv4 地址"),
            NetworkError::EndpointOutsideVpc { ip, vpc } => format!(
                "终端节点 {ip} 不在部署的 VPC 网段 {} 内，而终端节点建在该网段中",
                vpc.span()
            ),
            NetworkError::Outcome { kind, outcome } => {
                format!("{kind} 不能变为 {outcome}")
            }
            NetworkError::ReasonMissing => "失败需要说明原因".to_owned(),
        }
    }
}

/// An optional description: trimmed, empty means none, at most [`MAX_DESCRIPTION`] characters
/// of plain text (line breaks are not kept in a one-line list).
pub fn check_description(s: Option<&str>) -> Result<Option<String>, NetworkError> {
    let Some(text) = s.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    // Control, bidirectional and invisible characters are refused like line breaks.
    if crate::text::check_plain_text(text, MAX_DESCRIPTION, false).is_err() {
        return Err(NetworkError::Description);
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_optional_short_plain_text() {
        assert_eq!(check_description(None), Ok(None));
        assert_eq!(check_description(Some("  ")), Ok(None));
        assert_eq!(
            check_description(Some(" Redis in prod ")),
            Ok(Some("Redis in prod".into()))
        );
        assert_eq!(
            check_description(Some(&"x".repeat(MAX_DESCRIPTION + 1))),
            Err(NetworkError::Description)
        );
        assert_eq!(
            check_description(Some("a\nb")).unwrap_err().field(),
            "description"
        );
        for hidden in ["evil\u{202e}", "zero\u{200b}width"] {
            assert_eq!(
                check_description(Some(hidden)),
                Err(NetworkError::Description)
            );
        }
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        let errors = [
            NetworkError::Description,
            NetworkError::EndpointMissing,
            NetworkError::EndpointIp("x".into()),
            NetworkError::ReasonMissing,
            NetworkError::Outcome {
                kind: "peering",
                outcome: "running",
            },
        ];
        for e in errors {
            assert_ne!(e.message(Lang::ZhCn), e.to_string(), "{e:?}");
        }
    }
}
