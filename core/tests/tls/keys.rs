//! Rules 3, 8 and 9: the server key's algorithm and size, and the private key: present,
//! unencrypted, PKCS#1 or PKCS#8, the certificate's own.

use byoc_core::tls::{codes, inspect_chain, Outcome};
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256};

use crate::support::*;

/// Every check but the key checks passed; these are exactly the key checks reported.
fn assert_key_checks(report: &byoc_core::tls::TlsReport, key_checks: &[(&str, Outcome)]) {
    let mut expected: Vec<(&str, Outcome)> = codes::ALL[..8].iter().map(|c| (*c, Pass)).collect();
    expected.extend_from_slice(key_checks);
    expected.push((codes::ISSUER_KEY_TYPE, Pass));
    assert_eq!(outcomes(report), expected, "{report:#?}");
}

#[test]
fn rsa_1024_passes_with_a_weak_key_warning() {
    let chain = Chain::with_leaf_key(&Leaf::default(), &RsaPublic::from_pkcs8_pem(keys::RSA_1024));
    let report = inspect_at(&chain.bundle(), Some(keys::RSA_1024), DOMAIN);
    assert_all_pass_except(&report, &[(codes::KEY_ALGORITHM, Warn)]);
    assert!(report.passed());
    assert_eq!(
        message(&report, codes::KEY_ALGORITHM),
        "The key is RSA 1024 bits: accepted, but weak; use RSA 2048 when you renew."
    );
}

#[test]
fn rsa_4096_passes() {
    let chain = Chain::with_leaf_key(&Leaf::default(), &key(keys::RSA_4096));
    let report = inspect_at(&chain.bundle(), Some(keys::RSA_4096), DOMAIN);
    assert_all_pass_except(&report, &[]);
    assert_eq!(report.summary.unwrap().key_bits, 4096);
}

#[test]
fn an_ec_server_key_fails_the_key_algorithm_and_the_issuer_key_type() {
    let ec = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let chain = Chain::with_leaf_key(&Leaf::default(), &ec);
    let report = inspect_at(&chain.bundle(), Some(&ec.serialize_pem()), DOMAIN);
    assert_all_pass_except(
        &report,
        &[(codes::KEY_ALGORITHM, Fail), (codes::ISSUER_KEY_TYPE, Fail)],
    );
    assert_eq!(
        message(&report, codes::KEY_ALGORITHM),
        "The key is EC P-256; BYOC accepts only RSA keys (2048 bits, or 1024): reissue the \
         certificate with an RSA key."
    );
    assert_eq!(
        message(&report, codes::KEY_MATCHES_CERT),
        "The private key belongs to the server certificate."
    );
}

#[test]
fn an_encrypted_pkcs8_key_fails_asking_to_remove_the_passphrase() {
    let report = inspect_at(
        &Chain::valid().bundle(),
        Some(keys::LEAF_ENCRYPTED_PKCS8),
        DOMAIN,
    );
    assert_key_checks(
        &report,
        &[
            (codes::PRIVATE_KEY_PRESENT, Pass),
            (codes::PRIVATE_KEY_UNENCRYPTED, Fail),
        ],
    );
    assert!(message(&report, codes::PRIVATE_KEY_UNENCRYPTED).contains("remove the passphrase"));
    let zh = &report
        .check(codes::PRIVATE_KEY_UNENCRYPTED)
        .unwrap()
        .message_zh;
    assert!(zh.contains("移除密码"), "{zh}");
}

#[test]
fn an_encrypted_pkcs1_key_with_a_proc_type_header_fails_the_same_way() {
    assert!(keys::LEAF_ENCRYPTED_PKCS1.contains("Proc-Type: 4,ENCRYPTED"));
    let report = inspect_at(
        &Chain::valid().bundle(),
        Some(keys::LEAF_ENCRYPTED_PKCS1),
        DOMAIN,
    );
    assert_key_checks(
        &report,
        &[
            (codes::PRIVATE_KEY_PRESENT, Pass),
            (codes::PRIVATE_KEY_UNENCRYPTED, Fail),
        ],
    );
    assert!(message(&report, codes::PRIVATE_KEY_UNENCRYPTED).contains("remove the passphrase"));
}

#[test]
fn the_key_of_another_certificate_fails_key_matches_cert() {
    let report = inspect_at(&Chain::valid().bundle(), Some(keys::OTHER), DOMAIN);
    assert_all_pass_except(&report, &[(codes::KEY_MATCHES_CERT, Fail)]);
    assert_eq!(
        message(&report, codes::KEY_MATCHES_CERT),
        "The private key does not belong to the server certificate; it is the key of another \
         certificate."
    );
}

#[test]
fn an_ec_key_for_an_rsa_certificate_names_both_types() {
    let ec = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let report = inspect_at(&Chain::valid().bundle(), Some(&ec.serialize_pem()), DOMAIN);
    assert_all_pass_except(&report, &[(codes::KEY_MATCHES_CERT, Fail)]);
    assert!(message(&report, codes::KEY_MATCHES_CERT).starts_with("The private key is an EC key"));
}

#[test]
fn pkcs1_and_pkcs8_keys_both_pass_and_are_named() {
    let bundle = Chain::valid().bundle();
    let pkcs1 = inspect_at(&bundle, Some(keys::LEAF_PKCS1), DOMAIN);
    assert_all_pass_except(&pkcs1, &[]);
    assert_eq!(
        message(&pkcs1, codes::PRIVATE_KEY_FORMAT),
        "The private key is PKCS#1 (RSA PRIVATE KEY)."
    );
    let pkcs8 = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&pkcs8, &[]);
    assert_eq!(
        message(&pkcs8, codes::PRIVATE_KEY_FORMAT),
        "The private key is PKCS#8 (PRIVATE KEY)."
    );
}

#[test]
fn a_sec1_ec_key_fails_the_format_but_is_still_compared() {
    let ec = key(keys::EC_P256);
    let root = root_ca(
        "EC Root",
        KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap(),
    );
    let leaf = Leaf::default().signed_by(&ec, &root);
    let bundle = format!("{leaf}{}", root.pem());
    let report = inspect_at(&bundle, Some(keys::EC_P256_SEC1), DOMAIN);
    assert_all_pass_except(
        &report,
        &[
            (codes::KEY_ALGORITHM, Fail),
            (codes::PRIVATE_KEY_FORMAT, Fail),
        ],
    );
    assert!(message(&report, codes::PRIVATE_KEY_FORMAT).contains("openssl pkcs8 -topk8"));
    // The same key as PKCS#8 is fine.
    let pkcs8 = inspect_at(&bundle, Some(keys::EC_P256), DOMAIN);
    assert_all_pass_except(&pkcs8, &[(codes::KEY_ALGORITHM, Fail)]);
}

#[test]
fn the_key_may_share_the_certificate_file() {
    let combined = format!("{}{}", Chain::valid().bundle(), keys::LEAF_PKCS1);
    let report = inspect_at(&combined, None, DOMAIN);
    assert_all_pass_except(&report, &[]);
    assert_eq!(
        message(&report, codes::PRIVATE_KEY_PRESENT),
        "A private key was found in the certificate file; it stays on this computer."
    );
    assert_eq!(
        message(&report, codes::PEM_PARSE),
        "Read 3 certificates and 1 private key."
    );
}

#[test]
fn the_same_key_in_both_files_counts_once() {
    let combined = format!("{}{}", Chain::valid().bundle(), keys::LEAF);
    assert_all_pass_except(&inspect_at(&combined, Some(keys::LEAF), DOMAIN), &[]);
}

#[test]
fn two_different_keys_fail_private_key_present() {
    let combined = format!("{}{}", Chain::valid().bundle(), keys::OTHER);
    let report = inspect_at(&combined, Some(keys::LEAF), DOMAIN);
    assert_key_checks(&report, &[(codes::PRIVATE_KEY_PRESENT, Fail)]);
}

#[test]
fn without_a_key_inspect_fails_private_key_present_and_inspect_chain_skips_key_checks() {
    let bundle = Chain::valid().bundle();
    let report = inspect_at(&bundle, None, DOMAIN);
    assert_key_checks(&report, &[(codes::PRIVATE_KEY_PRESENT, Fail)]);
    assert!(message(&report, codes::PRIVATE_KEY_PRESENT).contains("never uploaded"));

    let chain_only = inspect_chain(&bundle, DOMAIN, now());
    assert!(chain_only.passed(), "{chain_only:#?}");
    let mut expected: Vec<(&str, Outcome)> = codes::ALL[..8].iter().map(|c| (*c, Pass)).collect();
    expected.push((codes::ISSUER_KEY_TYPE, Pass));
    assert_eq!(outcomes(&chain_only), expected);
}

#[test]
fn a_key_file_holding_garbage_is_named_in_pem_parse() {
    let report = inspect_at(&Chain::valid().bundle(), Some("not a key"), DOMAIN);
    let mut expected: Vec<(&str, Outcome)> = codes::ALL[..8].iter().map(|c| (*c, Pass)).collect();
    expected[0] = (codes::PEM_PARSE, Fail);
    expected.push((codes::PRIVATE_KEY_PRESENT, Fail));
    expected.push((codes::ISSUER_KEY_TYPE, Pass));
    assert_eq!(outcomes(&report), expected, "{report:#?}");
    assert!(message(&report, codes::PEM_PARSE).starts_with("the key file holds no PEM block"));
}

#[test]
fn a_damaged_key_block_is_present_but_unreadable() {
    let damaged = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    let report = inspect_at(&Chain::valid().bundle(), Some(damaged), DOMAIN);
    assert_key_checks(
        &report,
        &[
            (codes::PRIVATE_KEY_PRESENT, Pass),
            (codes::PRIVATE_KEY_UNENCRYPTED, Pass),
            (codes::PRIVATE_KEY_FORMAT, Fail),
        ],
    );
    assert!(
        message(&report, codes::PRIVATE_KEY_FORMAT).starts_with("The private key cannot be read")
    );
}
