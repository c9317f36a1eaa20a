//! Rule 1 and the API around the report: broken input is named, never a crash; public
//! bundles and the private-key guard; both languages; the JSON shape.

use byoc_core::lang::Lang;
use byoc_core::tls::{
    codes, contains_private_key, public_bundle, FileKind, Outcome, TlsError, MAX_INPUT_BYTES,
    MAX_PEM_BLOCKS,
};

use crate::support::*;

#[test]
fn garbage_fails_pem_parse_and_the_missing_key() {
    for garbage in [
        "",
        "hello",
        "\u{0}\u{1}\u{2}\u{fffd}",
        "-----BEGIN CERTIFICATE-----\nMIIB",
    ] {
        let report = inspect_at(garbage, None, DOMAIN);
        assert_eq!(
            outcomes(&report),
            [(codes::PEM_PARSE, Fail), (codes::PRIVATE_KEY_PRESENT, Fail)],
            "{garbage:?}"
        );
        assert_eq!(report.summary, None);
        assert!(!report.passed());
    }
    assert_eq!(
        message(&inspect_at("hello", None, DOMAIN), codes::PEM_PARSE),
        "the certificate file holds no PEM block (-----BEGIN …-----); if it is binary DER, \
         convert it with `openssl x509 -inform der -in cert.der -out cert.pem`."
    );
}

#[test]
fn a_certificate_block_of_der_garbage_is_named() {
    let bundle = pem("CERTIFICATE", b"\x30\x03\x02\x01\x01");
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_eq!(
        outcomes(&report),
        [
            (codes::PEM_PARSE, Fail),
            (codes::PRIVATE_KEY_PRESENT, Pass),
            (codes::PRIVATE_KEY_UNENCRYPTED, Pass),
            (codes::PRIVATE_KEY_FORMAT, Pass),
        ]
    );
    assert!(message(&report, codes::PEM_PARSE)
        .starts_with("block 1 of the certificate file is not a valid X.509 certificate"));
}

#[test]
fn a_truncated_bundle_names_the_broken_block_and_checks_the_rest() {
    let bundle = Chain::valid().bundle();
    let truncated = &bundle[..bundle.len() - 200];
    let report = inspect_at(truncated, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(
        &report,
        &[(codes::PEM_PARSE, Fail), (codes::CHAIN_COMPLETE, Fail)],
    );
    assert_eq!(
        message(&report, codes::PEM_PARSE),
        "block 3 (CERTIFICATE) of the certificate file has no END line; the file may be truncated."
    );
}

#[test]
fn input_over_one_mebibyte_is_refused() {
    let huge = format!("{}{}", Chain::valid().bundle(), " ".repeat(MAX_INPUT_BYTES));
    let report = inspect_at(&huge, Some(keys::LEAF), DOMAIN);
    assert_eq!(report.outcome(codes::PEM_PARSE), Some(Fail));
    assert!(message(&report, codes::PEM_PARSE).contains("the limit is 1 MiB"));
    assert_eq!(report.summary, None);
    assert!(matches!(
        public_bundle(&huge),
        Err(TlsError::TooLarge {
            file: FileKind::Certificate,
            ..
        })
    ));
}

#[test]
fn thousands_of_blocks_are_refused() {
    let leaf = Chain::valid().leaf;
    let report = inspect_at(&leaf.repeat(500), Some(keys::LEAF), DOMAIN);
    assert_eq!(report.outcome(codes::PEM_PARSE), Some(Fail));
    assert_eq!(
        message(&report, codes::PEM_PARSE),
        format!(
            "the certificate file has more than {MAX_PEM_BLOCKS} PEM blocks; a certificate \
             bundle has a handful (server certificate, intermediates, root)."
        )
    );
}

#[test]
fn an_unknown_block_is_ignored_with_a_warning() {
    let bundle = format!(
        "{}{}",
        Chain::valid().bundle(),
        pem("CERTIFICATE REQUEST", b"\x30\x00")
    );
    let report = inspect_at(&bundle, Some(keys::LEAF), DOMAIN);
    assert_all_pass_except(&report, &[(codes::PEM_PARSE, Warn)]);
    assert_eq!(
        message(&report, codes::PEM_PARSE),
        "Read 3 certificates and 1 private key. Ignored block 4 (CERTIFICATE REQUEST) of the \
         certificate file: only certificates and private keys are used."
    );
}

#[test]
fn public_bundle_keeps_only_certificates() {
    let chain = Chain::valid();
    let combined = format!("{}{}", chain.bundle(), keys::LEAF_PKCS1);
    let public = public_bundle(&combined).unwrap();
    assert!(!contains_private_key(&public));
    assert_eq!(public.matches("-----BEGIN CERTIFICATE-----").count(), 3);
    assert_eq!(
        public_bundle(&public).unwrap(),
        public,
        "canonical form is stable"
    );
    assert_eq!(public_bundle(keys::LEAF), Err(TlsError::NoCertificate));
    assert_eq!(public_bundle("x").unwrap_err().code(), "tls_no_pem");
}

#[test]
fn contains_private_key_spots_every_key_file() {
    for key in [
        keys::LEAF,
        keys::LEAF_PKCS1,
        keys::LEAF_ENCRYPTED_PKCS1,
        keys::LEAF_ENCRYPTED_PKCS8,
    ] {
        assert!(contains_private_key(key));
        let json = serde_json::to_string(&serde_json::json!({ "chain": key })).unwrap();
        assert!(contains_private_key(&json), "inside JSON too");
    }
    assert!(!contains_private_key(&Chain::valid().bundle()));
}

#[test]
fn every_check_speaks_both_languages() {
    let report = inspect_at(&Chain::valid().bundle(), Some(keys::LEAF), DOMAIN);
    for check in &report.checks {
        assert_eq!(check.message(Lang::En), check.message_en);
        assert_eq!(check.message(Lang::ZhCn), check.message_zh);
        assert!(check.message_en.is_ascii(), "{}", check.message_en);
        assert!(!check.message_zh.is_ascii(), "{}", check.message_zh);
    }
    let zh = inspect_at("hello", None, DOMAIN);
    assert!(zh.checks[0].message_zh.starts_with("证书文件中没有 PEM 块"));
}

#[test]
fn the_report_serialises_with_snake_case_outcomes_and_reads_back() {
    let report = inspect_at(&Chain::valid().bundle(), None, DOMAIN);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["checks"][0]["code"], "pem_parse");
    assert_eq!(json["checks"][0]["outcome"], "pass");
    assert_eq!(json["checks"][8]["outcome"], "fail");
    assert_eq!(json["summary"]["chain_length"], 3);
    assert!(json["ordered_bundle"].is_null());
    let back: byoc_core::tls::TlsReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    assert_eq!(report.outcome("no_such_check"), None::<Outcome>);
}
