//! Rules 6 and 7: validity against the pinned `now`, and the domain against the names.

use byoc_core::tls::codes;

use crate::support::*;

fn leaf_valid_between(not_before_days: i64, not_after_days: i64) -> byoc_core::tls::TlsReport {
    let leaf = Leaf {
        not_before: days_from_now(not_before_days),
        not_after: days_from_now(not_after_days),
        ..Leaf::default()
    };
    inspect_at(&Chain::with_leaf(&leaf).bundle(), Some(keys::LEAF), DOMAIN)
}

#[test]
fn an_expired_certificate_fails_validity() {
    let report = leaf_valid_between(-365, -1);
    assert_all_pass_except(&report, &[(codes::VALIDITY, Fail)]);
    assert_eq!(
        message(&report, codes::VALIDITY),
        "The certificate expired on 2029-12-31 00:00 UTC; renew it."
    );
    assert_eq!(report.summary.unwrap().days_left, -1);
}

#[test]
fn a_certificate_not_yet_valid_fails_validity() {
    let report = leaf_valid_between(1, 365);
    assert_all_pass_except(&report, &[(codes::VALIDITY, Fail)]);
    assert!(message(&report, codes::VALIDITY).contains("not valid before 2030-01-02"));
}

#[test]
fn expiring_in_29_days_fails_validity() {
    let report = leaf_valid_between(-365, 29);
    assert_all_pass_except(&report, &[(codes::VALIDITY, Fail)]);
    assert_eq!(
        message(&report, codes::VALIDITY),
        "The certificate expires on 2030-01-30 00:00 UTC, in 29 days; BYOC does not accept a \
         certificate within 30 days of expiry: renew it first."
    );
    assert_eq!(report.summary.unwrap().days_left, 29);
}

#[test]
fn expiring_in_exactly_30_days_still_fails_and_31_passes() {
    assert_eq!(
        leaf_valid_between(-365, 30).outcome(codes::VALIDITY),
        Some(Fail)
    );
    let report = leaf_valid_between(-365, 31);
    assert_all_pass_except(&report, &[]);
    assert_eq!(
        message(&report, codes::VALIDITY),
        "Valid until 2030-02-01 00:00 UTC (31 days left)."
    );
}

#[test]
fn an_expired_intermediate_fails_validity_naming_it() {
    let root = root_ca("BYOC Test Root CA", key(keys::ROOT));
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Old Intermediate");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.not_before = days_from_now(-3000);
    params.not_after = days_from_now(-10);
    let old = rcgen::CertifiedIssuer::signed_by(params, key(keys::INTERMEDIATE), &root).unwrap();
    let leaf = Leaf::default().signed_by(&key(keys::LEAF), &old);
    let bundle = format!("{leaf}{}{}", old.pem(), root.pem());
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::VALIDITY, Fail)]);
    assert!(message(&report, codes::VALIDITY)
        .starts_with("The chain certificate CN=Old Intermediate expired"));
}

fn with_names(sans: &[&str], domain: &str) -> byoc_core::tls::TlsReport {
    let leaf = Leaf {
        sans: sans.iter().map(|s| s.to_string()).collect(),
        ..Leaf::default()
    };
    inspect_at(&Chain::with_leaf(&leaf).bundle(), Some(keys::LEAF), domain)
}

#[test]
fn a_san_mismatch_fails_naming_the_certificates_names() {
    let report = with_names(&["other.example.com", "10.0.0.1"], DOMAIN);
    assert_all_pass_except(&report, &[(codes::DOMAIN_MATCH, Fail)]);
    assert_eq!(
        message(&report, codes::DOMAIN_MATCH),
        "The certificate does not cover mqtt.example.com; it is for other.example.com, 10.0.0.1."
    );
    assert_eq!(
        report.summary.unwrap().sans,
        ["other.example.com", "10.0.0.1"]
    );
}

#[test]
fn a_wildcard_covers_one_label() {
    let report = with_names(&["*.example.com"], "MQTT.example.com.");
    assert_all_pass_except(&report, &[]);
    assert_eq!(
        message(&report, codes::DOMAIN_MATCH),
        "The certificate covers mqtt.example.com through *.example.com."
    );
}

#[test]
fn a_wildcard_does_not_cover_two_labels_or_the_bare_domain() {
    for domain in ["a.mqtt.example.com", "example.com"] {
        let report = with_names(&["*.example.com"], domain);
        assert_all_pass_except(&report, &[(codes::DOMAIN_MATCH, Fail)]);
    }
}

#[test]
fn a_cn_only_certificate_matches_with_a_warning() {
    let report = with_names(&[], DOMAIN);
    assert_all_pass_except(&report, &[(codes::DOMAIN_MATCH, Warn)]);
    assert!(message(&report, codes::DOMAIN_MATCH).contains("only in its common name (CN)"));
    assert!(report.passed());
    assert!(report.summary.unwrap().sans.is_empty());
}

#[test]
fn with_a_san_the_cn_does_not_count() {
    let report = with_names(&["other.example.com"], DOMAIN);
    assert_eq!(report.outcome(codes::DOMAIN_MATCH), Some(Fail));
}

#[test]
fn an_empty_domain_fails_asking_for_one() {
    let report = with_names(&[DOMAIN], "  ");
    assert_all_pass_except(&report, &[(codes::DOMAIN_MATCH, Fail)]);
    assert_eq!(
        message(&report, codes::DOMAIN_MATCH),
        "Enter the domain clients connect to, to check the certificate against it."
    );
}

#[test]
fn an_invalid_domain_fails_with_the_domain_rule_message() {
    let report = with_names(&["*.example.com"], "*.example.com");
    assert_all_pass_except(&report, &[(codes::DOMAIN_MATCH, Fail)]);
    assert!(message(&report, codes::DOMAIN_MATCH).contains("contains a wildcard"));
    let zh = report
        .check(codes::DOMAIN_MATCH)
        .unwrap()
        .message_zh
        .clone();
    assert!(zh.contains("通配符"), "{zh}");
}
