//! TLS certificate inspection (SPEC §5, `reference/domain.md` §2): the certificate file (server
//! certificate and chain, PEM) and the private key (PEM, separate or in the same file) are
//! checked against the domain and a `now`, giving one named check per rule and a summary.
//!
//! It runs in the browser, so the private key never leaves the user's machine; the server only
//! sees public certificates ([`public_bundle`]) and refuses anything with a key
//! ([`contains_private_key`]), re-checking the chain with [`inspect_chain`].
//!
//! Nothing here panics or reads the clock; every input, however broken, gives a report.
//!
//! Checks, in report order (codes in [`codes`]):
//!
//! | code | pass | warn | fail |
//! |---|---|---|---|
//! | `pem_parse` | every block read | a block that is neither a certificate nor a key was ignored | input over 1 MiB, over 32 blocks or over 8 certificates, no PEM, a broken block, no certificate |
//! | `x509_v3` | v3 | | v1/v2 |
//! | `key_algorithm` | RSA 2048–4096 bits | RSA 1024–2047 (weak) | RSA < 1024 or > 4096, EC, anything else |
//! | `chain_order` | server certificate first, then each issuer, nothing else | out of order, or certificates not on the chain (the report carries the corrected bundle) | |
//! | `chain_complete` | every signature verifies up to an included self-signed root, or up to a well-known public root | | a missing issuer, a bad or unsupported signature, an issuer that is no CA, a self-signed server certificate |
//! | `ca_signed` | issued by someone else | | self-signed |
//! | `validity` | valid now and for more than 30 more days | | not yet valid, expired, ≤ 30 days left, a chain certificate out of its validity |
//! | `domain_match` | a subjectAltName covers the domain (one-label wildcard allowed) | only the CN matches and there is no subjectAltName | no match, no or an invalid domain |
//! | `private_key_present` | exactly one key | | none, or several different ones |
//! | `private_key_unencrypted` | not encrypted | | `ENCRYPTED PRIVATE KEY` or `Proc-Type: 4,ENCRYPTED` ("remove the passphrase") |
//! | `private_key_format` | PKCS#1 or PKCS#8 | | SEC1, OpenSSH, unreadable |
//! | `key_matches_cert` | the key is the server certificate's | | another certificate's key, another key type |
//! | `issuer_key_type` | the issuer's key type (from the signature algorithm) equals the server key's | | they differ |
//!
//! A check whose input is missing is left out rather than failed twice: without a certificate
//! only `pem_parse` and the key checks appear; without a usable key only the key checks that
//! could run. With no key at all (`key_pem: None` and none in the bundle) `inspect` reports
//! `private_key_present` as a failure — the deployment needs the key — while
//! [`inspect_chain`] leaves every key check out, for callers that never have the key.

mod cert;
mod chain;
mod error;
mod findings;
mod hostname;
mod inspect;
mod key;
mod messages;
mod names;
mod pem;
mod private_key;
mod roots;
mod verify;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

pub use error::{FileKind, TlsError};
pub use private_key::{json_holds_private_key, text_holds_private_key, unescape_json_like};

/// Largest input accepted, per file. Real certificate bundles and keys are a few KiB.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Most PEM blocks read per file: a bundle has a handful; thousands are an attack or a mistake.
pub const MAX_PEM_BLOCKS: usize = 32;
/// Most certificates in a chain: the server certificate, a few intermediates and a root (real
/// chains have 2 to 5). More are refused before any signature is checked, which bounds the work a
/// hostile bundle can cause.
pub const MAX_CHAIN_CERTIFICATES: usize = 8;
/// Largest RSA key read: the server certificate's key (rule 3: RSA 2048, 1024 weak; up to this
/// size accepted) and every issuer's key a signature is verified with (every public CA's key is at
/// most 4096 bits). Bounds the cost of each verification.
pub const MAX_RSA_BITS: u32 = 4096;
/// Certificates with at most this many days left fail the validity check (EMQX refuses them).
pub const MIN_DAYS_LEFT: i64 = 30;

/// The stable check codes, in report order.
pub mod codes {
    pub const PEM_PARSE: &str = "pem_parse";
    pub const X509_V3: &str = "x509_v3";
    pub const KEY_ALGORITHM: &str = "key_algorithm";
    pub const CHAIN_ORDER: &str = "chain_order";
    pub const CHAIN_COMPLETE: &str = "chain_complete";
    pub const CA_SIGNED: &str = "ca_signed";
    pub const VALIDITY: &str = "validity";
    pub const DOMAIN_MATCH: &str = "domain_match";
    pub const PRIVATE_KEY_PRESENT: &str = "private_key_present";
    pub const PRIVATE_KEY_UNENCRYPTED: &str = "private_key_unencrypted";
    pub const PRIVATE_KEY_FORMAT: &str = "private_key_format";
    pub const KEY_MATCHES_CERT: &str = "key_matches_cert";
    pub const ISSUER_KEY_TYPE: &str = "issuer_key_type";

    pub const ALL: [&str; 13] = [
        PEM_PARSE,
        X509_V3,
        KEY_ALGORITHM,
        CHAIN_ORDER,
        CHAIN_COMPLETE,
        CA_SIGNED,
        VALIDITY,
        DOMAIN_MATCH,
        PRIVATE_KEY_PRESENT,
        PRIVATE_KEY_UNENCRYPTED,
        PRIVATE_KEY_FORMAT,
        KEY_MATCHES_CERT,
        ISSUER_KEY_TYPE,
    ];
}

/// What the user gave: the certificate file, the key file if separate, the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlsInput<'a> {
    pub bundle_pem: &'a str,
    pub key_pem: Option<&'a str>,
    pub domain: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Warn,
    Fail,
}

/// One rule's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TlsCheck {
    /// Stable, one of [`codes::ALL`].
    pub code: String,
    pub outcome: Outcome,
    pub message_en: String,
    pub message_zh: String,
}

impl TlsCheck {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.message_en,
            Lang::ZhCn => &self.message_zh,
        }
    }
}

/// The server certificate at a glance (public data only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertSummary {
    /// RFC 4514, e.g. `CN=mqtt.example.com,O=Example`.
    pub subject: String,
    /// DNS names and IP addresses of the subjectAltName extension.
    pub sans: Vec<String>,
    pub issuer: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// `RSA`, `EC P-256`, `EC P-384`, `Ed25519`, or the algorithm's name.
    pub key_type: String,
    /// Modulus size for RSA, curve size for EC, 0 when unknown.
    pub key_bits: u32,
    /// SHA-256 of the certificate's DER, colon-separated upper-case hex.
    pub sha256_fingerprint: String,
    /// Certificates on the chain from the server certificate up (within the file).
    pub chain_length: usize,
    /// Whole days from `now` to `not_after`; negative once expired.
    pub days_left: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TlsReport {
    /// In the order of [`codes::ALL`]; checks that could not run are absent.
    pub checks: Vec<TlsCheck>,
    /// `None` when no certificate could be read.
    pub summary: Option<CertSummary>,
    /// The chain in the right order (PEM, certificates only) when `chain_order` warned;
    /// `None` when the file's order is already right.
    pub ordered_bundle: Option<String>,
}

impl TlsReport {
    /// How many checks came out as `outcome` (the verdict lines of the console and the toolkit).
    pub fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }

    /// No check failed (warnings allowed): the wizard may continue.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Fail)
    }

    /// The outcome of the check `code`, if it ran.
    pub fn outcome(&self, code: &str) -> Option<Outcome> {
        self.check(code).map(|c| c.outcome)
    }

    pub fn check(&self, code: &str) -> Option<&TlsCheck> {
        self.checks.iter().find(|c| c.code == code)
    }
}

/// Runs every check of SPEC §5. A missing key fails `private_key_present`.
pub fn inspect(input: &TlsInput<'_>, now: DateTime<Utc>) -> TlsReport {
    inspect::run(input, now, inspect::KeyChecks::Required)
}

/// The certificate checks only, for the control plane, which receives public certificates and
/// never a key: no key check appears in the report.
pub fn inspect_chain(bundle_pem: &str, domain: &str, now: DateTime<Utc>) -> TlsReport {
    let input = TlsInput {
        bundle_pem,
        key_pem: None,
        domain,
    };
    inspect::run(&input, now, inspect::KeyChecks::Skipped)
}

/// Whether text holds a private key: a `PRIVATE KEY` PEM header in any spelling, or bare base64
/// of a key's DER ([`text_holds_private_key`]). The console keeps such blocks out of what it sends;
/// the server refuses such bodies.
pub fn contains_private_key(text: &str) -> bool {
    text_holds_private_key(text)
}

/// Only the public certificates of a bundle (PEM, file order, canonical 64-column base64), for
/// storing: never a key, never other blocks. Fails when the input is too large, holds a broken
/// block or an unreadable certificate, or has no certificate. For the chain in the right order,
/// use [`TlsReport::ordered_bundle`].
pub fn public_bundle(bundle_pem: &str) -> Result<String, TlsError> {
    let scan = pem::scan(bundle_pem, FileKind::Certificate);
    if let Some(first) = scan.errors.into_iter().next() {
        return Err(first);
    }
    let certificates = scan
        .blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .count();
    if certificates > MAX_CHAIN_CERTIFICATES {
        return Err(TlsError::TooManyCertificates {
            count: certificates,
        });
    }
    let mut out = String::new();
    for block in scan.blocks.iter().filter(|b| b.label == "CERTIFICATE") {
        let der = block.der.as_deref().unwrap_or_default();
        if let Err(reason) = cert::ParsedCert::parse(der.to_vec()) {
            return Err(TlsError::NotACertificate {
                file: FileKind::Certificate,
                index: block.index,
                reason,
            });
        }
        out.push_str(&pem::encode("CERTIFICATE", der));
    }
    if out.is_empty() {
        return Err(TlsError::NoCertificate);
    }
    Ok(out)
}
