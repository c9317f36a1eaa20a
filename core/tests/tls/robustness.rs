//! Never panics (issue 5 item 2): arbitrary text, arbitrary bytes read leniently, and valid
//! PEM mutated at the text and at the DER level all give a report that starts with
//! `pem_parse`. Case counts are bounded so this stays a few seconds.

use base64ct::{Base64, Encoding};
use byoc_core::tls::{codes, inspect, TlsInput, TlsReport};
use proptest::prelude::*;

use crate::support::*;

const CHAIN: &str = include_str!("../fixtures/tls/browser/chain.pem");
const KEY: &str = include_str!("../fixtures/tls/browser/key.pem");

fn check(bundle: &str, key: Option<&str>, domain: &str) -> TlsReport {
    let report = inspect(
        &TlsInput {
            bundle_pem: bundle,
            key_pem: key,
            domain,
        },
        now(),
    );
    assert_eq!(
        report.checks.first().map(|c| c.code.as_str()),
        Some(codes::PEM_PARSE)
    );
    report
}

/// Replaces the base64 body of every block with that of `der` mutated by `mutate`.
fn with_der_mutation(pem_text: &str, block: usize, mutate: impl Fn(&mut Vec<u8>)) -> String {
    let blocks: Vec<&str> = pem_text
        .split_inclusive("-----END CERTIFICATE-----\n")
        .collect();
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if i != block % blocks.len() {
                return b.to_string();
            }
            let mut der = pem_body(b);
            mutate(&mut der);
            pem("CERTIFICATE", &der)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_gives_a_report(bundle in ".{0,2000}", key in proptest::option::of(".{0,300}"), domain in ".{0,40}") {
        check(&bundle, key.as_deref(), &domain);
    }

    #[test]
    fn arbitrary_bytes_read_leniently_give_a_report(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let text = String::from_utf8_lossy(&bytes);
        check(&text, Some(&text), DOMAIN);
    }

    #[test]
    fn arbitrary_der_inside_valid_pem_gives_a_report(der in proptest::collection::vec(any::<u8>(), 0..600), label in prop::sample::select(vec!["CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])) {
        let text = pem(label, &der);
        check(&text, Some(&text), DOMAIN);
        let mixed = format!("{CHAIN}{text}");
        check(&mixed, Some(KEY), DOMAIN);
    }

    #[test]
    fn valid_pem_cut_or_spliced_anywhere_gives_a_report(at in 0usize..5000, insert in ".{0,20}", cut in 0usize..200) {
        let bundle: String = CHAIN.chars().collect();
        let at = at.min(bundle.len());
        let end = (at + cut).min(bundle.len());
        let spliced = format!("{}{insert}{}", &bundle[..at], &bundle[end..]);
        check(&spliced, Some(KEY), DOMAIN);
        check(&bundle[..at], Some(&KEY[..at.min(KEY.len())]), DOMAIN);
    }

    #[test]
    fn valid_certificates_with_flipped_der_bytes_give_a_report(block in 0usize..3, at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let mutated = with_der_mutation(CHAIN, block, |der| {
            let i = at.index(der.len());
            der[i] ^= xor;
        });
        let report = check(&mutated, Some(KEY), DOMAIN);
        // A changed byte never leaves a certificate both readable and correctly signed.
        prop_assert!(!report.passed(), "{report:#?}");
    }

    #[test]
    fn valid_certificates_truncated_at_the_der_level_give_a_report(block in 0usize..3, keep in any::<prop::sample::Index>()) {
        let mutated = with_der_mutation(CHAIN, block, |der| {
            let n = keep.index(der.len());
            der.truncate(n);
        });
        check(&mutated, Some(KEY), DOMAIN);
    }
}

#[test]
fn base64_of_nothing_and_lone_markers_give_a_report() {
    for text in [
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        "-----END CERTIFICATE-----\n",
        "-----BEGIN -----\n\n-----END -----",
        "-----BEGIN CERTIFICATE-----\n====\n-----END CERTIFICATE-----",
    ] {
        check(text, Some(text), DOMAIN);
    }
    assert!(Base64::decode_vec("").unwrap_or_default().is_empty());
}
