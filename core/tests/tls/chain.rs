//! Rules 4, 5 and 10: chain order and completeness with real signature checks, CA-signed only,
//! issuer key type.

use byoc_core::tls::{codes, inspect_chain, public_bundle, Outcome};
use chrono::{TimeZone, Utc};
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384};

use crate::support::*;

#[test]
fn a_valid_chain_passes_every_check_and_is_summarised() {
    let chain = Chain::valid();
    let report = inspect_at(&chain.bundle(), Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[]);
    assert!(report.passed());
    assert_eq!(report.ordered_bundle, None);
    assert_eq!(
        message(&report, codes::CHAIN_COMPLETE),
        "The chain is complete: every signature verifies, up to the root \
         CN=BYOC Test Root CA,O=BYOC Test."
    );
    let summary = report.summary.unwrap();
    assert_eq!(summary.subject, "CN=mqtt.example.com");
    assert_eq!(summary.sans, ["mqtt.example.com"]);
    assert_eq!(summary.issuer, "CN=BYOC Test Intermediate CA,O=BYOC Test");
    assert_eq!(summary.key_type, "RSA");
    assert_eq!(summary.key_bits, 2048);
    assert_eq!(summary.chain_length, 3);
    assert_eq!(summary.days_left, 365);
    assert_eq!(
        summary.not_after,
        Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap()
    );
    let fingerprint = &summary.sha256_fingerprint;
    assert_eq!(fingerprint.len(), 32 * 3 - 1, "{fingerprint}");
    assert!(fingerprint.split(':').all(|b| b.len() == 2
        && b.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())));
}

#[test]
fn an_out_of_order_chain_warns_and_carries_the_ordered_bundle() {
    let chain = Chain::valid();
    let shuffled = format!(
        "{}{}{}",
        chain.root.pem(),
        chain.leaf,
        chain.intermediate.pem()
    );
    let report = inspect_at(&shuffled, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::CHAIN_ORDER, Warn)]);
    assert!(report.passed(), "a warning does not stop the wizard");
    assert!(message(&report, codes::CHAIN_ORDER).contains("out of order"));
    assert_eq!(
        report.ordered_bundle.as_deref(),
        Some(public_bundle(&chain.bundle()).unwrap().as_str())
    );
    assert_eq!(report.summary.unwrap().subject, "CN=mqtt.example.com");
}

#[test]
fn a_certificate_off_the_chain_warns_and_is_left_out_of_the_ordered_bundle() {
    let chain = Chain::valid();
    let stray = root_ca("Unrelated Root", key(keys::OTHER));
    let bundle = format!("{}{}", chain.bundle(), stray.pem());
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::CHAIN_ORDER, Warn)]);
    assert_eq!(
        message(&report, codes::CHAIN_ORDER),
        "Not part of the chain, so left out of the corrected bundle: CN=Unrelated Root,O=BYOC Test."
    );
    assert_eq!(
        report.ordered_bundle.as_deref(),
        Some(public_bundle(&chain.bundle()).unwrap().as_str())
    );
}

#[test]
fn a_missing_intermediate_fails_as_not_reaching_a_trusted_root() {
    let chain = Chain::valid();
    let bundle = format!("{}{}", chain.leaf, chain.root.pem());
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(
        &report,
        &[(codes::CHAIN_COMPLETE, Fail), (codes::CHAIN_ORDER, Warn)],
    );
    let text = message(&report, codes::CHAIN_COMPLETE);
    assert!(
        text.starts_with("The chain does not reach a trusted root"),
        "{text}"
    );
    assert!(
        text.contains("CN=BYOC Test Intermediate CA,O=BYOC Test"),
        "{text}"
    );
}

#[test]
fn the_server_certificate_alone_fails_only_the_chain() {
    let chain = Chain::valid();
    let report = inspect_at(&chain.leaf, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::CHAIN_COMPLETE, Fail)]);
    assert_eq!(report.summary.unwrap().chain_length, 1);
}

#[test]
fn a_self_signed_server_certificate_fails_ca_signed_and_the_chain() {
    let leaf = Leaf::default().self_signed(&key(keys::LEAF));
    let report = inspect_at(&leaf, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(
        &report,
        &[(codes::CHAIN_COMPLETE, Fail), (codes::CA_SIGNED, Fail)],
    );
    assert_eq!(
        message(&report, codes::CA_SIGNED),
        "The server certificate is self-signed; BYOC accepts only certificates signed by a \
         certificate authority."
    );
}

#[test]
fn a_tampered_signature_fails_the_chain() {
    let chain = Chain::valid();
    let mut der = pem_body(&chain.leaf);
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let bundle = format!(
        "{}{}{}",
        pem("CERTIFICATE", &der),
        chain.intermediate.pem(),
        chain.root.pem()
    );
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_eq!(report.outcome(codes::CHAIN_COMPLETE), Some(Fail));
    assert!(message(&report, codes::CHAIN_COMPLETE).contains("does not verify"));
}

/// The server certificate's DER with one byte changed, at `offset` from the start of the
/// outer `NULL` parameter of its signature algorithm (`05 00`, then the signature's
/// `BIT STRING` header `03 82 01 01` and its unused-bits byte `00`).
fn leaf_changed_after_signature_algorithm(offset: usize, xor: u8) -> String {
    let chain = Chain::valid();
    let mut der = pem_body(&chain.leaf);
    let tail = [0x05, 0x00, 0x03, 0x82, 0x01, 0x01, 0x00];
    let at = der.windows(tail.len()).rposition(|w| w == tail).unwrap();
    der[at + offset] ^= xor;
    format!(
        "{}{}{}",
        pem("CERTIFICATE", &der),
        chain.intermediate.pem(),
        chain.root.pem()
    )
}

#[test]
fn an_altered_unsigned_outer_signature_algorithm_is_not_a_valid_certificate() {
    // Found by the property test: the outer algorithm's parameters are outside the signature.
    let report = inspect_at(
        &leaf_changed_after_signature_algorithm(0, 0x01),
        Some(keys::LEAF),
        DOMAIN,
    );
    assert_eq!(report.outcome(codes::PEM_PARSE), Some(Fail), "{report:#?}");
    assert!(message(&report, codes::PEM_PARSE)
        .contains("its signature algorithm differs from the signed one"));
}

#[test]
fn a_signature_bit_string_with_unused_bits_does_not_verify() {
    // Found by the property test: the unused-bits count is outside the signature too.
    let report = inspect_at(
        &leaf_changed_after_signature_algorithm(6, 0x01),
        Some(keys::LEAF),
        DOMAIN,
    );
    assert_eq!(
        report.outcome(codes::CHAIN_COMPLETE),
        Some(Fail),
        "{report:#?}"
    );
}

#[test]
fn an_issuer_that_is_not_a_ca_breaks_the_chain() {
    let root = root_ca("BYOC Test Root CA", key(keys::ROOT));
    let mut params = Leaf::default().params();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Not A CA");
    let not_ca = rcgen::CertifiedIssuer::signed_by(params, key(keys::INTERMEDIATE), &root).unwrap();
    let leaf = Leaf::default().signed_by(&key(keys::LEAF), &not_ca);
    let bundle = format!("{leaf}{}{}", not_ca.pem(), root.pem());
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_eq!(report.outcome(codes::CHAIN_COMPLETE), Some(Fail));
    assert!(
        message(&report, codes::CHAIN_COMPLETE).contains("CN=Not A CA is"),
        "{report:#?}"
    );
}

#[test]
fn sha384_and_sha512_rsa_signatures_verify() {
    let root_key =
        KeyPair::from_pkcs8_pem_and_sign_algo(keys::ROOT, &rcgen::PKCS_RSA_SHA512).unwrap();
    let root = root_ca("BYOC Test Root CA", root_key);
    let intermediate_key =
        KeyPair::from_pkcs8_pem_and_sign_algo(keys::INTERMEDIATE, &rcgen::PKCS_RSA_SHA384).unwrap();
    let intermediate = intermediate_ca("BYOC Test Intermediate CA", intermediate_key, &root);
    let leaf = Leaf::default().signed_by(&key(keys::LEAF), &intermediate);
    let bundle = format!("{leaf}{}{}", intermediate.pem(), root.pem());
    assert_all_pass_except(&inspect_at(&bundle, Some(keys::LEAF), DOMAIN), &[]);
}

#[test]
fn rsa_pss_signatures_with_sha256_384_512_verify() {
    // Made with openssl (rcgen cannot sign PSS): root PSS-SHA256, intermediate PSS-SHA384,
    // server certificate PSS-SHA512, valid 2026-11-24 to 2043.
    let chain = include_str!("../fixtures/tls/pss/chain.pem");
    let now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let report = byoc_core::tls::inspect(
        &byoc_core::tls::TlsInput {
            bundle_pem: chain,
            key_pem: Some(keys::LEAF),
            domain: DOMAIN,
        },
        now,
    );
    assert_all_pass_except(&report, &[]);
}

#[test]
fn ecdsa_p384_and_p256_cas_verify_but_an_rsa_certificate_under_them_fails_issuer_key_type() {
    let root = root_ca(
        "EC Root",
        KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap(),
    );
    let intermediate = intermediate_ca(
        "EC Intermediate",
        KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap(),
        &root,
    );
    let leaf = Leaf::default().signed_by(&key(keys::LEAF), &intermediate);
    let bundle = format!("{leaf}{}{}", intermediate.pem(), root.pem());
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::ISSUER_KEY_TYPE, Fail)]);
    assert_eq!(
        message(&report, codes::ISSUER_KEY_TYPE),
        "The server certificate's key is RSA but its issuer signs with EC; BYOC needs the same \
         type (an RSA CA for an RSA certificate)."
    );
}

#[test]
fn an_ec_certificate_under_an_ec_ca_fails_only_the_key_algorithm() {
    let root = root_ca(
        "EC Root",
        KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap(),
    );
    let leaf_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = Leaf::default().signed_by(&leaf_key, &root);
    let bundle = format!("{leaf}{}", root.pem());
    let report = inspect_at(&bundle, Some(&leaf_key.serialize_pem()), DOMAIN);
    assert_all_pass_except(&report, &[(codes::KEY_ALGORITHM, Fail)]);
    let summary = report.summary.unwrap();
    assert_eq!(
        (summary.key_type.as_str(), summary.key_bits),
        ("EC P-256", 256)
    );
}

/// A real public chain (crates.io, 2023), copied from the x509-cert crate's test data: the
/// server certificate and Amazon RSA 2048 M02, issued by Amazon Root CA 1, which is not in the
/// file but is a well-known public root.
const CRATES_IO: &str = include_str!("../fixtures/tls/public/crates-io-chain.pem");

fn crates_io_report(certificates: usize) -> byoc_core::tls::TlsReport {
    let blocks: Vec<&str> = CRATES_IO
        .split_inclusive("-----END CERTIFICATE-----\n")
        .collect();
    let bundle = blocks[..certificates].concat();
    let now = Utc.with_ymd_and_hms(2023, 6, 1, 0, 0, 0).unwrap();
    inspect_chain(&bundle, "index.crates.io", now)
}

#[test]
fn a_chain_ending_below_a_well_known_public_root_is_complete() {
    let report = crates_io_report(2);
    let expected: Vec<(&str, Outcome)> = [
        codes::PEM_PARSE,
        codes::X509_V3,
        codes::KEY_ALGORITHM,
        codes::CHAIN_ORDER,
        codes::CHAIN_COMPLETE,
        codes::CA_SIGNED,
        codes::VALIDITY,
        codes::DOMAIN_MATCH,
        codes::ISSUER_KEY_TYPE,
    ]
    .into_iter()
    .map(|c| (c, Pass))
    .collect();
    assert_eq!(outcomes(&report), expected, "{report:#?}");
    assert_eq!(
        message(&report, codes::CHAIN_COMPLETE),
        "The chain is complete: every signature verifies, up to the well-known public root \
         CN=Amazon Root CA 1,O=Amazon,C=US (clients already have it)."
    );
    assert_eq!(
        message(&report, codes::DOMAIN_MATCH),
        "The certificate names index.crates.io."
    );
}

#[test]
fn cross_signed_roots_after_a_public_root_still_make_a_complete_chain() {
    // The last certificate's issuer (Starfield Class 2) is no longer a public root, but Amazon
    // Root CA 1 below it is: the chain is trusted through it.
    let report = crates_io_report(4);
    assert_eq!(
        report.outcome(codes::CHAIN_COMPLETE),
        Some(Pass),
        "{report:#?}"
    );
    assert_eq!(report.outcome(codes::CHAIN_ORDER), Some(Pass));
    assert_eq!(report.summary.unwrap().chain_length, 4);
}

#[test]
fn a_public_issuer_name_with_a_forged_signature_is_not_trusted() {
    // The intermediate alone: its issuer is Amazon Root CA 1, but a flipped signature bit
    // must stop it from borrowing the root's trust.
    let blocks: Vec<&str> = CRATES_IO
        .split_inclusive("-----END CERTIFICATE-----\n")
        .collect();
    let mut der = pem_body(blocks[1]);
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let bundle = format!("{}{}", blocks[0], pem("CERTIFICATE", &der));
    let now = Utc.with_ymd_and_hms(2023, 6, 1, 0, 0, 0).unwrap();
    let report = inspect_chain(&bundle, "crates.io", now);
    assert_eq!(
        report.outcome(codes::CHAIN_COMPLETE),
        Some(Fail),
        "{report:#?}"
    );
}
