//! Runs the checks in report order: read the blocks, sort them into certificates and keys,
//! build the chain once, then let each rule look at what it needs.

use chrono::{DateTime, Utc};

use crate::domain::DomainName;

use super::cert::{KeyFamily, ParsedCert, PublicKey};
use super::chain::{self, Chain, ChainEnd};
use super::error::{FileKind, TlsError};
use super::findings::{Finding, IgnoredBlock};
use super::hostname::{match_domain, NameMatch};
use super::key::{KeyBlock, KeyFormat, KeyMaterial};
use super::names::oid_name;
use super::pem::{self, Block};
use super::{
    CertSummary, TlsInput, TlsReport, MAX_CHAIN_CERTIFICATES, MAX_RSA_BITS, MIN_DAYS_LEFT,
};

/// Whether the key checks belong in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyChecks {
    /// The user must give the key: its absence fails `private_key_present`.
    Required,
    /// The caller never has the key (the control plane): no key check is reported.
    Skipped,
}

const SECONDS_PER_DAY: i64 = 86_400;

pub(crate) fn run(input: &TlsInput<'_>, now: DateTime<Utc>, key_checks: KeyChecks) -> TlsReport {
    let parsed = read_inputs(input);
    let chain = chain::build(&parsed.certs);
    let leaf = chain
        .as_ref()
        .and_then(|c| c.path.first())
        .and_then(|i| parsed.certs.get(*i));

    let mut findings = vec![parsed.pem_finding()];
    if let (Some(chain), Some(leaf)) = (&chain, leaf) {
        findings.push(version(leaf));
        findings.push(key_algorithm(&leaf.key));
        findings.push(order(chain, &parsed.certs));
        findings.push(Finding::Chain(chain.end.clone()));
        findings.push(ca_signed(chain, leaf));
        findings.push(validity(chain, &parsed.certs, now));
        findings.push(domain_match(leaf, input.domain));
    }
    if key_checks == KeyChecks::Required {
        findings.extend(key_findings(&parsed.keys, leaf));
    }
    if let Some(leaf) = leaf {
        findings.push(issuer_key_type(leaf));
    }

    TlsReport {
        checks: findings.into_iter().map(Finding::into_check).collect(),
        summary: chain
            .as_ref()
            .zip(leaf)
            .map(|(chain, leaf)| summary(leaf, chain, now)),
        ordered_bundle: chain
            .as_ref()
            .filter(|c| !c.in_file_order())
            .map(|c| ordered_bundle(c, &parsed.certs)),
    }
}

/// Both inputs' blocks, sorted.
struct Parsed {
    certs: Vec<ParsedCert>,
    keys: Vec<KeyBlock>,
    ignored: Vec<IgnoredBlock>,
    errors: Vec<TlsError>,
}

impl Parsed {
    fn pem_finding(&self) -> Finding {
        if self.errors.is_empty() {
            Finding::PemRead {
                certificates: self.certs.len(),
                keys: self.keys.len(),
                ignored: self.ignored.clone(),
            }
        } else {
            Finding::PemErrors(self.errors.clone())
        }
    }
}

fn read_inputs(input: &TlsInput<'_>) -> Parsed {
    let bundle = pem::scan(input.bundle_pem, FileKind::Certificate);
    let key_file = input.key_pem.map(|text| pem::scan(text, FileKind::Key));
    let mut parsed = Parsed {
        certs: Vec::new(),
        keys: Vec::new(),
        ignored: Vec::new(),
        errors: bundle.errors,
    };
    let certificate_file_failed = !parsed.errors.is_empty();
    let mut blocks: Vec<Block> = bundle.blocks;
    if let Some(scan) = key_file {
        parsed.errors.extend(scan.errors);
        // Users mix the files up or combine them: certificates and keys count wherever they are.
        blocks.extend(scan.blocks);
    }
    let certificates = blocks.iter().filter(|b| b.label == "CERTIFICATE").count();
    if certificates > MAX_CHAIN_CERTIFICATES {
        // Refused whole, before any certificate is parsed or signature checked.
        parsed.errors.push(TlsError::TooManyCertificates {
            count: certificates,
        });
        return parsed;
    }
    for block in blocks {
        sort_block(block, &mut parsed);
    }
    if parsed.certs.is_empty() && !certificate_file_failed {
        parsed.errors.push(TlsError::NoCertificate);
    }
    parsed
}

fn sort_block(block: Block, parsed: &mut Parsed) {
    if block.label == "CERTIFICATE" {
        // A broken block's error is already recorded by the scanner.
        if let Some(der) = block.der {
            match ParsedCert::parse(der) {
                Ok(cert) => parsed.certs.push(cert),
                Err(reason) => parsed.errors.push(TlsError::NotACertificate {
                    file: block.file,
                    index: block.index,
                    reason,
                }),
            }
        }
    } else if let Some(key) = KeyBlock::from_block(&block) {
        // The same key in both files is one key.
        let duplicate = key.der.is_some() && parsed.keys.iter().any(|k| k.der == key.der);
        if !duplicate {
            parsed.keys.push(key);
        }
    } else if block.der.is_some() {
        parsed.ignored.push(IgnoredBlock {
            file: block.file,
            index: block.index,
            label: block.label,
        });
    }
}

fn version(leaf: &ParsedCert) -> Finding {
    match leaf.version() {
        3 => Finding::V3,
        version => Finding::NotV3 { version },
    }
}

fn key_algorithm(key: &PublicKey) -> Finding {
    match key {
        PublicKey::Rsa { .. } => match key.bits() {
            bits if bits > MAX_RSA_BITS => Finding::RsaTooLarge { bits },
            bits if bits >= 2048 => Finding::RsaStrong { bits },
            bits if bits >= 1024 => Finding::RsaWeak { bits },
            bits => Finding::RsaTooSmall { bits },
        },
        other => Finding::KeyNotRsa {
            key_type: other.type_name(),
        },
    }
}

fn order(chain: &Chain, certs: &[ParsedCert]) -> Finding {
    if chain.in_file_order() {
        return Finding::InOrder {
            count: chain.path.len(),
        };
    }
    Finding::OutOfOrder {
        reordered: chain.path.iter().enumerate().any(|(i, p)| i != *p),
        strays: chain
            .unused
            .iter()
            .filter_map(|i| certs.get(*i))
            .map(ParsedCert::subject)
            .collect(),
    }
}

fn ca_signed(chain: &Chain, leaf: &ParsedCert) -> Finding {
    if chain.end == ChainEnd::SelfSignedLeaf {
        Finding::SelfSigned
    } else {
        Finding::CaSigned {
            issuer: leaf.issuer(),
        }
    }
}

fn validity(chain: &Chain, certs: &[ParsedCert], now: DateTime<Utc>) -> Finding {
    let mut path = chain.path.iter().filter_map(|i| certs.get(*i));
    let Some(leaf) = path.next() else {
        return Finding::Expired {
            not_after: DateTime::default(),
        };
    };
    let (not_before, not_after) = (leaf.not_before(), leaf.not_after());
    if now < not_before {
        return Finding::NotYetValid { not_before };
    }
    if now > not_after {
        return Finding::Expired { not_after };
    }
    let left = not_after - now;
    if left.num_seconds() <= MIN_DAYS_LEFT * SECONDS_PER_DAY {
        return Finding::ExpiresSoon {
            not_after,
            days_left: left.num_days(),
        };
    }
    for issuer in path {
        if now > issuer.not_after() {
            return Finding::ChainCertExpired {
                subject: issuer.subject(),
                not_after: issuer.not_after(),
            };
        }
        if now < issuer.not_before() {
            return Finding::ChainCertNotYetValid {
                subject: issuer.subject(),
                not_before: issuer.not_before(),
            };
        }
    }
    Finding::Valid {
        not_after,
        days_left: left.num_days(),
    }
}

fn domain_match(leaf: &ParsedCert, domain: &str) -> Finding {
    if domain.trim().is_empty() {
        return Finding::DomainMissing;
    }
    let domain = match DomainName::parse(domain) {
        Ok(d) => d,
        Err(e) => return Finding::DomainInvalid(e),
    };
    let alt_names = leaf.alt_names();
    let common_name = leaf.common_name();
    match match_domain(&domain, alt_names.as_ref(), common_name.as_deref()) {
        NameMatch::AltName(name) => Finding::DomainMatchesAltName {
            domain: domain.to_string(),
            name,
        },
        NameMatch::CommonName(_) => Finding::DomainMatchesCommonNameOnly {
            domain: domain.to_string(),
        },
        NameMatch::NoMatch => Finding::DomainNoMatch {
            domain: domain.to_string(),
            names: match alt_names {
                Some(alt) => alt.dns.into_iter().chain(alt.ips).collect(),
                None => common_name.into_iter().collect(),
            },
        },
    }
}

fn key_findings(keys: &[KeyBlock], leaf: Option<&ParsedCert>) -> Vec<Finding> {
    let key = match keys {
        [] => return vec![Finding::KeyMissing],
        [key] => key,
        several => {
            return vec![Finding::KeysSeveral {
                count: several.len(),
            }]
        }
    };
    let mut out = vec![Finding::KeyFound { file: key.file }];
    if key.is_encrypted() {
        out.push(Finding::KeyEncrypted);
        return out;
    }
    out.push(Finding::KeyUnencrypted);
    if let KeyFormat::Other(label) = &key.format {
        out.push(Finding::KeyUnsupportedFormat {
            label: label.clone(),
        });
        return out;
    }
    match key.material() {
        Err(problem) => out.push(Finding::KeyUnreadable(problem)),
        Ok(material) => {
            out.push(match key.format {
                KeyFormat::Pkcs1 => Finding::KeyPkcs1,
                KeyFormat::Sec1 => Finding::KeySec1,
                _ => Finding::KeyPkcs8,
            });
            if let Some(leaf) = leaf {
                out.push(key_match(&material, &leaf.key));
            }
        }
    }
    out
}

fn key_match(material: &KeyMaterial, cert_key: &PublicKey) -> Finding {
    if material.matches(cert_key) {
        return Finding::KeyMatches;
    }
    let (key_family, cert_family) = (material.family(), cert_key.family());
    if key_family == cert_family {
        Finding::KeyOfAnotherCertificate
    } else {
        Finding::KeyOfAnotherType {
            key_type: key_family.name(),
            cert_type: cert_family.name(),
        }
    }
}

fn issuer_key_type(leaf: &ParsedCert) -> Finding {
    let algorithm = &leaf.signature_algorithm().oid;
    let key_type = leaf.key.family();
    match KeyFamily::of_signature(algorithm) {
        KeyFamily::Other => Finding::IssuerTypeUnknown {
            algorithm: oid_name(algorithm),
        },
        issuer if issuer == key_type => Finding::IssuerTypeMatches {
            key_type: key_type.name(),
        },
        issuer => Finding::IssuerTypeDiffers {
            key_type: key_type.name(),
            issuer_type: issuer.name(),
        },
    }
}

fn summary(leaf: &ParsedCert, chain: &Chain, now: DateTime<Utc>) -> CertSummary {
    let sans = leaf
        .alt_names()
        .map(|alt| alt.dns.into_iter().chain(alt.ips).collect())
        .unwrap_or_default();
    CertSummary {
        subject: leaf.subject(),
        sans,
        issuer: leaf.issuer(),
        not_before: leaf.not_before(),
        not_after: leaf.not_after(),
        key_type: leaf.key.type_name(),
        key_bits: leaf.key.bits(),
        sha256_fingerprint: leaf.fingerprint(),
        chain_length: chain.path.len(),
        days_left: (leaf.not_after() - now).num_days(),
    }
}

fn ordered_bundle(chain: &Chain, certs: &[ParsedCert]) -> String {
    chain
        .path
        .iter()
        .filter_map(|i| certs.get(*i))
        .map(|c| pem::encode("CERTIFICATE", &c.der))
        .collect()
}
