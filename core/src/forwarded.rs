//! Who the client is, and whether it came over HTTPS, when proxies stand in front of the control
//! plane (issue "Hardening", findings 1 and 8).
//!
//! `X-Forwarded-For` and `X-Forwarded-Proto` are only believed from a socket peer listed as a
//! trusted proxy: anyone else could write any address there and pose as a fresh client to the
//! sign-in throttle. Each proxy appends the address it saw, so the rightmost entry that is not
//! itself a trusted proxy is the client; entries left of it were written by the client and may be
//! lies.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use ipnet::IpNet;

/// One trusted proxy: an address (`10.0.0.5`, `::1`) or a range (`10.0.0.0/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy(IpNet);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IP address or CIDR range (for example 10.0.0.5 or 10.0.0.0/8)")]
pub struct TrustedProxyError(pub String);

impl FromStr for TrustedProxy {
    type Err = TrustedProxyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(net) = s.parse::<IpNet>() {
            return Ok(TrustedProxy(net.trunc()));
        }
        s.parse::<IpAddr>()
            .map(|ip| TrustedProxy(IpNet::from(ip.to_canonical())))
            .map_err(|_| TrustedProxyError(s.to_owned()))
    }
}

impl std::fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl TrustedProxy {
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }
}

/// The `--trusted-proxies` list: comma-separated, blanks ignored, so an empty setting (a
/// `BYOC_TRUSTED_PROXIES=` line in a template) means no proxy rather than an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<TrustedProxy>);

impl FromStr for TrustedProxies {
    type Err = TrustedProxyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .filter(|entry| !entry.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn as_slice(&self) -> &[TrustedProxy] {
        &self.0
    }
}

fn trusted(proxies: &[TrustedProxy], ip: IpAddr) -> bool {
    proxies.iter().any(|p| p.contains(ip))
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn entry_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The client's address. `forwarded_for` holds the values of every `X-Forwarded-For` header in
/// the order received; they count only when `peer` (the socket's other end) is a trusted proxy.
/// An entry that is no address stops the walk: nothing left of it can be placed, so the last
/// proxy that was trusted stands for the client.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], proxies: &[TrustedProxy]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted(proxies, peer) {
        return peer;
    }
    let mut client = peer;
    let entries = forwarded_for.iter().flat_map(|v| v.split(',')).rev();
    for entry in entries {
        match entry_address(entry) {
            Some(ip) => {
                client = ip;
                if !trusted(proxies, ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// Whether the request reached the first proxy over HTTPS: `X-Forwarded-Proto` from a trusted
/// proxy says so (its first value, written by the proxy that faced the client).
pub fn forwarded_https(
    peer: IpAddr,
    forwarded_proto: Option<&str>,
    proxies: &[TrustedProxy],
) -> bool {
    trusted(proxies, peer)
        && forwarded_proto
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or_else(|_| unreachable!("test address {s}"))
    }

    fn proxies(list: &[&str]) -> Vec<TrustedProxy> {
        list.iter()
            .map(|s| s.parse().unwrap_or_else(|_| unreachable!("test proxy {s}")))
            .collect()
    }

    #[test]
    fn parses_addresses_and_ranges_and_names_what_is_not() {
        assert_eq!(proxies(&[" 10.0.0.5 "])[0].to_string(), "10.0.0.5/32");
        assert_eq!(proxies(&["10.1.2.3/8"])[0].to_string(), "10.0.0.0/8");
        assert_eq!(proxies(&["::1"])[0].to_string(), "::1/128");
        let err = "proxy.example.com".parse::<TrustedProxy>().unwrap_err();
        assert!(err.to_string().contains("`proxy.example.com`"), "{err}");
        assert!("10.0.0.0/33".parse::<TrustedProxy>().is_err());
    }

    #[test]
    fn a_list_is_comma_separated_and_blank_means_none() {
        let list: TrustedProxies = "127.0.0.1, 10.0.0.0/8,".parse().unwrap();
        assert_eq!(list.as_slice(), proxies(&["127.0.0.1", "10.0.0.0/8"]));
        assert_eq!(
            "".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::default()
        );
        assert_eq!(
            " , ".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::default()
        );
        let err = "127.0.0.1,proxy".parse::<TrustedProxies>().unwrap_err();
        assert_eq!(err, TrustedProxyError("proxy".into()));
    }

    #[test]
    fn without_trusted_proxies_the_socket_peer_is_the_client() {
        let forged = ["198.51.100.1"];
        assert_eq!(
            client_address(ip("203.0.113.9"), &forged, &[]),
            ip("203.0.113.9")
        );
        let others = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &forged, &others),
            ip("203.0.113.9"),
            "a peer that is not a listed proxy"
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        // The client forged the first entry; the proxies appended what they saw.
        let xff = ["1.1.1.1, 203.0.113.9", "10.0.0.7"];
        assert_eq!(
            client_address(ip("127.0.0.1"), &xff, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &["203.0.113.9:51234"], &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &["[2001:db8::1]:443"], &trusted),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn a_trusted_peer_without_forwarded_for_or_with_only_proxies_is_itself_the_client() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &[], &trusted),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &["10.0.0.2, 10.0.0.3"], &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_trusted_hop() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                &["203.0.113.9, nonsense, 10.0.0.3"],
                &trusted
            ),
            ip("10.0.0.3")
        );
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_proxies() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &["203.0.113.9"], &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("::ffff:203.0.113.9"), &[], &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn https_is_believed_only_from_a_trusted_proxy() {
        let trusted = proxies(&["127.0.0.1"]);
        assert!(forwarded_https(ip("127.0.0.1"), Some("https"), &trusted));
        assert!(forwarded_https(
            ip("127.0.0.1"),
            Some("HTTPS, http"),
            &trusted
        ));
        assert!(!forwarded_https(ip("127.0.0.1"), Some("http"), &trusted));
        assert!(!forwarded_https(ip("127.0.0.1"), None, &trusted));
        assert!(!forwarded_https(ip("203.0.113.9"), Some("https"), &trusted));
        assert!(!forwarded_https(ip("127.0.0.1"), Some("https"), &[]));
    }
}
