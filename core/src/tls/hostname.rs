//! Rule 7: the domain clients connect to must be one the certificate names (RFC 6125): a DNS
//! subjectAltName, exactly or through a wildcard covering one whole leftmost label; the common
//! name only when the certificate has no subjectAltName at all.

use crate::domain::DomainName;

use super::cert::AltNames;

/// Which name of the certificate covers the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NameMatch {
    /// This subjectAltName (possibly a wildcard).
    AltName(String),
    /// The certificate has no subjectAltName and its CN matches.
    CommonName(String),
    NoMatch,
}

pub(crate) fn match_domain(
    domain: &DomainName,
    alt_names: Option<&AltNames>,
    common_name: Option<&str>,
) -> NameMatch {
    let domain = domain.as_str();
    match alt_names {
        Some(alt) => alt
            .dns
            .iter()
            .find(|pattern| name_matches(pattern, domain))
            .map_or(NameMatch::NoMatch, |p| NameMatch::AltName(p.clone())),
        None => match common_name {
            Some(cn) if name_matches(cn, domain) => NameMatch::CommonName(cn.to_owned()),
            _ => NameMatch::NoMatch,
        },
    }
}

/// `domain` is already lowercase without a trailing dot (a `DomainName`).
pub(crate) fn name_matches(pattern: &str, domain: &str) -> bool {
    let pattern = pattern.trim();
    let pattern = pattern
        .strip_suffix('.')
        .unwrap_or(pattern)
        .to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        // A wildcard stands for exactly one label, and never for a whole registrable domain
        // ("*.com"): the rest of the pattern needs at least two labels.
        Some(base) => {
            base.contains('.')
                && !base.contains('*')
                && domain
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == base)
        }
        // Partial wildcards ("mq*.example.com") are not honoured by modern clients.
        None => !pattern.contains('*') && pattern == domain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    #[test]
    fn exact_names_match_ignoring_case_and_trailing_dot() {
        assert!(name_matches("MQTT.Example.com.", "mqtt.example.com"));
        assert!(!name_matches("mqtt.example.com", "mqtt.example.org"));
    }

    #[test]
    fn a_wildcard_covers_exactly_one_label() {
        assert!(name_matches("*.example.com", "mqtt.example.com"));
        assert!(!name_matches("*.example.com", "a.mqtt.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(!name_matches("*.com", "example.com"));
        assert!(!name_matches("mq*.example.com", "mqtt.example.com"));
        assert!(!name_matches("*.*.com", "a.b.com"));
    }

    #[test]
    fn the_common_name_counts_only_without_alt_names() {
        let d = domain("mqtt.example.com");
        let none = AltNames::default();
        assert_eq!(
            match_domain(&d, None, Some("mqtt.example.com")),
            NameMatch::CommonName("mqtt.example.com".into())
        );
        assert_eq!(
            match_domain(&d, Some(&none), Some("mqtt.example.com")),
            NameMatch::NoMatch
        );
        let alt = AltNames {
            dns: vec!["other.example.com".into(), "*.example.com".into()],
            ips: vec![],
        };
        assert_eq!(
            match_domain(&d, Some(&alt), None),
            NameMatch::AltName("*.example.com".into())
        );
    }
}
