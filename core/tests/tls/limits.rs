//! The work limits of the rules (issue "Hardening", finding 7): a chain holds at most
//! `MAX_CHAIN_CERTIFICATES` certificates and no RSA key over `MAX_RSA_BITS` is read, so a hostile
//! bundle cannot make the server (or the browser) verify dozens of huge signatures.

use byoc_core::tls::{codes, public_bundle, TlsError, MAX_CHAIN_CERTIFICATES, MAX_RSA_BITS};

use crate::support::*;

#[test]
fn a_server_key_over_the_maximum_fails_key_algorithm() {
    let chain = Chain::with_leaf_key(&Leaf::default(), &RsaPublic::synthetic(8192));
    let report = inspect_at(&chain.bundle(), None, DOMAIN);
    assert_eq!(
        report.outcome(codes::KEY_ALGORITHM),
        Some(Fail),
        "{report:#?}"
    );
    assert_eq!(
        message(&report, codes::KEY_ALGORITHM),
        "The key is RSA 8192 bits, above the 4096-bit maximum; reissue the certificate with an \
         RSA 2048 key."
    );
    assert_eq!(MAX_RSA_BITS, 4096);
    let at_the_limit = Chain::with_leaf_key(&Leaf::default(), &RsaPublic::synthetic(4096));
    let report = inspect_at(&at_the_limit.bundle(), None, DOMAIN);
    assert_eq!(report.outcome(codes::KEY_ALGORITHM), Some(Pass));
}

#[test]
fn an_issuer_key_over_the_maximum_is_never_used_to_verify() {
    let chain = Chain::valid();
    // Same name as the real intermediate, but an 8192-bit key: the server certificate's signature
    // is not even tried with it.
    let huge = ca_cert_for(
        "BYOC Test Intermediate CA",
        &RsaPublic::synthetic(8192),
        &chain.root,
    );
    let bundle = format!("{}{huge}{}", chain.leaf, chain.root.pem());
    let report = inspect_at(&bundle, None, DOMAIN);
    assert_eq!(report.outcome(codes::CHAIN_COMPLETE), Some(Fail));
    assert!(
        message(&report, codes::CHAIN_COMPLETE).contains("RSA keys over 4096 bits"),
        "{}",
        message(&report, codes::CHAIN_COMPLETE)
    );
}

#[test]
fn more_certificates_than_a_chain_has_are_refused_before_any_check() {
    let chain = Chain::valid();
    let root = chain.root.pem();
    let at_limit = format!(
        "{}{}",
        chain.bundle(),
        root.repeat(MAX_CHAIN_CERTIFICATES - 3)
    );
    let report = inspect_at(&at_limit, None, DOMAIN);
    assert_ne!(report.outcome(codes::PEM_PARSE), Some(Fail), "{report:#?}");
    assert!(public_bundle(&at_limit).is_ok());

    let over = format!("{at_limit}{root}");
    let report = inspect_at(&over, None, DOMAIN);
    assert_eq!(
        outcomes(&report),
        [(codes::PEM_PARSE, Fail), (codes::PRIVATE_KEY_PRESENT, Fail)]
    );
    assert_eq!(
        message(&report, codes::PEM_PARSE),
        "the files hold 9 certificates; a chain has at most 8 (server certificate, intermediates, \
         root): remove the others."
    );
    assert_eq!(
        public_bundle(&over),
        Err(TlsError::TooManyCertificates { count: 9 })
    );
    assert_eq!(
        TlsError::TooManyCertificates { count: 9 }.code(),
        "tls_too_many_certificates"
    );
}
