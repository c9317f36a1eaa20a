//! IPv4 ranges. The arithmetic is `ipnet`'s, a maintained crate, not hand-written bit math.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::Serialize;

use crate::lang::Lang;

/// The deployment VPC's prefix range: /16 leaves room for every subnet the cluster needs, and
/// anything smaller than /22 does not fit the broker nodes, the agent and the load balancer.
pub const MIN_VPC_PREFIX: u8 = 16;
pub const MAX_VPC_PREFIX: u8 = 22;

/// A peer network's range. Every supported cloud takes VPC ranges from /8 (Alibaba Cloud's
/// 10.0.0.0/8) down to /28 (the smallest AWS VPC and Alibaba Cloud VPC); a smaller range is a
/// single subnet, not a network to peer with.
pub const MIN_PEER_PREFIX: u8 = 8;
pub const MAX_PEER_PREFIX: u8 = 28;

/// The private ranges of RFC 1918.
pub const PRIVATE_RANGES: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/// Offered in the console when the user has no plan of their own.
pub const SUGGESTED_VPC_CIDRS: [&str; 4] = [
    "10.0.0.0/16",
    "10.10.0.0/16",
    "172.16.0.0/16",
    "192.168.0.0/16",
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("\"{0}\" is not an IPv4 range like 10.0.0.0/16")]
    Syntax(String),
    #[error("{given} has host bits set; the range starts at {network}")]
    HostBits { given: String, network: String },
    #[error("{0} is not a private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)")]
    NotPrivate(String),
    #[error("a VPC range is /16 to /22, not /{0}")]
    Prefix(u8),
    #[error("a peer network's range is /8 to /28, not /{0}")]
    PeerPrefix(u8),
}

impl CidrError {
    pub fn code(&self) -> &'static str {
        match self {
            CidrError::Syntax(_) => "cidr_syntax",
            CidrError::HostBits { .. } => "cidr_host_bits",
            CidrError::NotPrivate(_) => "cidr_not_private",
            CidrError::Prefix(_) => "cidr_prefix",
            CidrError::PeerPrefix(_) => "cidr_peer_prefix",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => match self {
                CidrError::Syntax(s) => format!("“{s}”不是形如 10.0.0.0/16 的 IPv4 网段"),
                CidrError::HostBits { given, network } => {
                    format!("{given} 的主机位不为零；该网段应写作 {network}")
                }
                CidrError::NotPrivate(s) => format!(
                    "{s} 不是私有网段（RFC 1918：10.0.0.0/8、172.16.0.0/12、192.168.0.0/16）"
                ),
                CidrError::Prefix(p) => format!("VPC 网段的前缀长度为 /16 到 /22，不能是 /{p}"),
                CidrError::PeerPrefix(p) => {
                    format!("对端网络的网段前缀长度为 /8 到 /28，不能是 /{p}")
                }
            },
        }
    }
}

/// An IPv4 network in CIDR form, exactly as written (no host bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Cidr(Ipv4Net);

impl Cidr {
    pub fn parse(s: &str) -> Result<Cidr, CidrError> {
        let text = s.trim();
        let net: Ipv4Net = text
            .parse()
            .map_err(|_| CidrError::Syntax(text.to_owned()))?;
        if net.network() != net.addr() {
            return Err(CidrError::HostBits {
                given: text.to_owned(),
                network: net.trunc().to_string(),
            });
        }
        Ok(Cidr(net))
    }

    pub fn prefix(&self) -> u8 {
        self.0.prefix_len()
    }

    /// The four equal quarters of the range, in order (none for a /31 or /32).
    pub fn quarters(&self) -> Vec<Cidr> {
        self.0
            .subnets(self.0.prefix_len().saturating_add(2))
            .map(|nets| nets.map(Cidr).collect())
            .unwrap_or_default()
    }

    pub fn first(&self) -> Ipv4Addr {
        self.0.network()
    }

    pub fn last(&self) -> Ipv4Addr {
        self.0.broadcast()
    }

    /// Whether the two ranges share any address (one contains the other, or they are equal).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.0.contains(&other.0) || other.0.contains(&self.0)
    }

    /// Whether `ip` lies inside the range.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.0.contains(&ip)
    }

    /// The range with its first and last address, e.g. `10.0.0.0/16 (10.0.0.0–10.0.255.255)`,
    /// so an overlap can be explained with both ranges written out.
    pub fn span(&self) -> String {
        format!("{self} ({}–{})", self.first(), self.last())
    }

    /// Inside one of the RFC 1918 ranges.
    pub fn is_private(&self) -> bool {
        PRIVATE_RANGES
            .iter()
            .filter_map(|r| r.parse::<Ipv4Net>().ok())
            .any(|r| r.contains(&self.0))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.to_string()
    }
}

/// A deployment VPC's range: private (RFC 1918) and /16 to /22.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct VpcCidr(Cidr);

impl VpcCidr {
    pub fn parse(s: &str) -> Result<VpcCidr, CidrError> {
        let cidr = Cidr::parse(s)?;
        if !cidr.is_private() {
            return Err(CidrError::NotPrivate(cidr.to_string()));
        }
        if !(MIN_VPC_PREFIX..=MAX_VPC_PREFIX).contains(&cidr.prefix()) {
            return Err(CidrError::Prefix(cidr.prefix()));
        }
        Ok(VpcCidr(cidr))
    }

    pub fn cidr(&self) -> Cidr {
        self.0
    }
}

impl fmt::Display for VpcCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<VpcCidr> for String {
    fn from(c: VpcCidr) -> String {
        c.to_string()
    }
}

/// A peer network's range (VPC peering, SPEC §6): private (RFC 1918) and /8 to /28. Whether it
/// overlaps the deployment or another peering is [`crate::network::peering`]'s rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct PeerCidr(Cidr);

impl PeerCidr {
    pub fn parse(s: &str) -> Result<PeerCidr, CidrError> {
        let cidr = Cidr::parse(s)?;
        if !cidr.is_private() {
            return Err(CidrError::NotPrivate(cidr.to_string()));
        }
        if !(MIN_PEER_PREFIX..=MAX_PEER_PREFIX).contains(&cidr.prefix()) {
            return Err(CidrError::PeerPrefix(cidr.prefix()));
        }
        Ok(PeerCidr(cidr))
    }

    pub fn cidr(&self) -> Cidr {
        self.0
    }
}

impl fmt::Display for PeerCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<PeerCidr> for String {
    fn from(c: PeerCidr) -> String {
        c.to_string()
    }
}

/// The other ranges (e.g. of the project's other deployments) that `cidr` overlaps, in the
/// order given: peering between overlapping VPCs is impossible, so the console warns.
pub fn overlapping<'a>(cidr: &Cidr, others: impl IntoIterator<Item = &'a Cidr>) -> Vec<Cidr> {
    others
        .into_iter()
        .filter(|o| cidr.overlaps(o))
        .copied()
        .collect()
}

/// The first suggestion that overlaps none of `taken`, for a sensible default.
pub fn suggest_vpc_cidr(taken: &[Cidr]) -> Option<VpcCidr> {
    SUGGESTED_VPC_CIDRS
        .iter()
        .filter_map(|s| VpcCidr::parse(s).ok())
        .find(|c| overlapping(&c.cidr(), taken).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn vpc_ranges_are_private_and_sixteen_to_twenty_two() {
        for ok in [
            "10.0.0.0/16",
            "172.16.0.0/22",
            "192.168.4.0/22",
            " 10.200.0.0/20 ",
        ] {
            assert!(VpcCidr::parse(ok).is_ok(), "{ok}");
        }
        let cases = [
            ("10.0.0.0", "cidr_syntax"),
            ("10.0.0/16", "cidr_syntax"),
            ("10.0.0.0/33", "cidr_syntax"),
            ("banana", "cidr_syntax"),
            ("10.0.0.1/16", "cidr_host_bits"),
            ("8.8.0.0/16", "cidr_not_private"),
            ("172.32.0.0/16", "cidr_not_private"),
            ("10.0.0.0/8", "cidr_not_private_or_prefix"),
            ("10.0.0.0/15", "cidr_prefix"),
            ("10.0.0.0/24", "cidr_prefix"),
        ];
        for (bad, code) in cases {
            let err = VpcCidr::parse(bad).unwrap_err();
            if code == "cidr_not_private_or_prefix" {
                // 10.0.0.0/8 is the whole private range: private, but too large.
                assert_eq!(err, CidrError::Prefix(8), "{bad}");
            } else {
                assert_eq!(err.code(), code, "{bad}");
            }
        }
    }

    #[test]
    fn host_bits_error_names_the_network() {
        let err = VpcCidr::parse("10.0.3.7/16").unwrap_err();
        assert_eq!(
            err.to_string(),
            "10.0.3.7/16 has host bits set; the range starts at 10.0.0.0/16"
        );
        assert!(err.message(Lang::ZhCn).contains("10.0.0.0/16"));
    }

    #[test]
    fn overlap_covers_identical_containing_adjacent_and_distinct_ranges() {
        assert!(c("10.0.0.0/16").overlaps(&c("10.0.0.0/16")));
        assert!(c("10.0.0.0/16").overlaps(&c("10.0.128.0/20")));
        assert!(c("10.0.128.0/20").overlaps(&c("10.0.0.0/16")));
        assert!(!c("10.0.0.0/16").overlaps(&c("10.1.0.0/16")), "adjacent");
        assert!(
            !c("10.0.0.0/16").overlaps(&c("192.168.0.0/16")),
            "other private range"
        );
        assert_eq!(
            overlapping(&c("10.0.0.0/16"), &[c("10.0.4.0/22"), c("172.16.0.0/16")]),
            vec![c("10.0.4.0/22")]
        );
    }

    #[test]
    fn peer_ranges_are_private_and_eight_to_twenty_eight() {
        for ok in [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.10.0/24",
            "10.1.2.16/28",
        ] {
            assert!(PeerCidr::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PeerCidr::parse("100.64.0.0/16").unwrap_err().code(),
            "cidr_not_private"
        );
        assert_eq!(
            PeerCidr::parse("10.1.2.0/29").unwrap_err(),
            CidrError::PeerPrefix(29)
        );
        assert_eq!(
            PeerCidr::parse("10.1.2.3/24").unwrap_err().code(),
            "cidr_host_bits"
        );
        assert!(CidrError::PeerPrefix(29)
            .message(Lang::ZhCn)
            .contains("/29"));
    }

    #[test]
    fn span_writes_out_the_first_and_last_address() {
        assert_eq!(c("10.0.4.0/22").span(), "10.0.4.0/22 (10.0.4.0–10.0.7.255)");
        assert!(c("10.0.4.0/22").contains("10.0.7.255".parse().unwrap()));
        assert!(!c("10.0.4.0/22").contains("10.0.8.0".parse().unwrap()));
    }

    #[test]
    fn suggestion_avoids_taken_ranges() {
        assert_eq!(suggest_vpc_cidr(&[]).unwrap().to_string(), "10.0.0.0/16");
        let taken = [c("10.0.0.0/12")];
        assert_eq!(
            suggest_vpc_cidr(&taken).unwrap().to_string(),
            "172.16.0.0/16"
        );
        assert_eq!(c("10.0.0.0/22").last().to_string(), "10.0.3.255");
    }
}
