//! One parsed certificate and the facts the checks need from it: names, validity, public key,
//! extensions. Everything is read once here, so the rules never touch ASN.1.

use std::ops::Range;

use chrono::{DateTime, Utc};
use const_oid::db::{rfc5912, rfc8410};
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader};
use sha2::{Digest, Sha256};
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, SubjectAltName};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::names::{distinguished_name, oid_name};

/// The named curves BYOC can meet in a chain (P-256 and P-384 CAs are common).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
}

/// A subject public key, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// Big-endian modulus and exponent without leading zero bytes.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// The SEC1 point as the certificate carries it.
    Ec {
        curve: Curve,
        point: Vec<u8>,
    },
    /// An EC key on a curve other than P-256/P-384 (named by its OID).
    EcOther {
        curve: String,
    },
    Ed25519,
    Other {
        algorithm: String,
    },
}

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo's parts. `params` is the DER of the algorithm parameters.
    pub(crate) fn from_parts(
        algorithm: der::oid::ObjectIdentifier,
        params: Option<AnyRef<'_>>,
        key: &[u8],
    ) -> PublicKey {
        if algorithm == rfc5912::RSA_ENCRYPTION {
            return match pkcs1::RsaPublicKeyRef::from_der(key) {
                Ok(k) => PublicKey::Rsa {
                    n: strip_zeros(k.modulus.as_bytes()).to_vec(),
                    e: strip_zeros(k.public_exponent.as_bytes()).to_vec(),
                },
                Err(_) => PublicKey::Other {
                    algorithm: "RSA (unreadable key)".to_owned(),
                },
            };
        }
        if algorithm == rfc5912::ID_EC_PUBLIC_KEY {
            let curve = params.and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok());
            return match curve {
                Some(c) if c == rfc5912::SECP_256_R_1 => PublicKey::Ec {
                    curve: Curve::P256,
                    point: key.to_vec(),
                },
                Some(c) if c == rfc5912::SECP_384_R_1 => PublicKey::Ec {
                    curve: Curve::P384,
                    point: key.to_vec(),
                },
                Some(c) => PublicKey::EcOther {
                    curve: oid_name(&c),
                },
                None => PublicKey::EcOther {
                    curve: "unknown".to_owned(),
                },
            };
        }
        if algorithm == rfc8410::ID_ED_25519 {
            return PublicKey::Ed25519;
        }
        PublicKey::Other {
            algorithm: oid_name(&algorithm),
        }
    }

    /// Modulus size for RSA, field size for EC; 0 when unknown.
    pub(crate) fn bits(&self) -> u32 {
        match self {
            PublicKey::Rsa { n, .. } => bit_length(n),
            PublicKey::Ec {
                curve: Curve::P256, ..
            } => 256,
            PublicKey::Ec {
                curve: Curve::P384, ..
            } => 384,
            PublicKey::Ed25519 => 256,
            PublicKey::EcOther { .. } | PublicKey::Other { .. } => 0,
        }
    }

    /// "RSA", "EC P-256", … as the summary shows it.
    pub(crate) fn type_name(&self) -> String {
        match self {
            PublicKey::Rsa { .. } => "RSA".to_owned(),
            PublicKey::Ec {
                curve: Curve::P256, ..
            } => "EC P-256".to_owned(),
            PublicKey::Ec {
                curve: Curve::P384, ..
            } => "EC P-384".to_owned(),
            PublicKey::EcOther { curve } => format!("EC {curve}"),
            PublicKey::Ed25519 => "Ed25519".to_owned(),
            PublicKey::Other { algorithm } => algorithm.clone(),
        }
    }

    pub(crate) fn family(&self) -> KeyFamily {
        match self {
            PublicKey::Rsa { .. } => KeyFamily::Rsa,
            PublicKey::Ec { .. } | PublicKey::EcOther { .. } => KeyFamily::Ec,
            PublicKey::Ed25519 => KeyFamily::Ed25519,
            PublicKey::Other { .. } => KeyFamily::Other,
        }
    }
}

/// ecdsa-with-SHA1 (RFC 5758), absent from const-oid's database.
const ECDSA_WITH_SHA_1: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// Key types as rule 10 compares them (an RSA CA must sign an RSA certificate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    Rsa,
    Ec,
    Ed25519,
    Other,
}

impl KeyFamily {
    pub(crate) fn name(self) -> &'static str {
        match self {
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ec => "EC",
            KeyFamily::Ed25519 => "Ed25519",
            KeyFamily::Other => "other",
        }
    }

    /// The key family a signature algorithm needs, i.e. the signer's key type.
    pub(crate) fn of_signature(algorithm: &der::oid::ObjectIdentifier) -> KeyFamily {
        let rsa = [
            rfc5912::SHA_1_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            rfc5912::MD_5_WITH_RSA_ENCRYPTION,
            rfc5912::ID_RSASSA_PSS,
        ];
        let ec = [
            ECDSA_WITH_SHA_1,
            rfc5912::ECDSA_WITH_SHA_224,
            rfc5912::ECDSA_WITH_SHA_256,
            rfc5912::ECDSA_WITH_SHA_384,
            rfc5912::ECDSA_WITH_SHA_512,
        ];
        if rsa.contains(algorithm) {
            KeyFamily::Rsa
        } else if ec.contains(algorithm) {
            KeyFamily::Ec
        } else if *algorithm == rfc8410::ID_ED_25519 {
            KeyFamily::Ed25519
        } else {
            KeyFamily::Other
        }
    }
}

/// A certificate of the bundle with what the rules read from it.
#[derive(Clone, Debug)]
pub(crate) struct ParsedCert {
    pub der: Vec<u8>,
    pub cert: Certificate,
    /// Where the to-be-signed bytes are in `der`: signatures cover those exact bytes, and
    /// re-encoding the parsed structure could differ (x509-cert adjusts time encodings).
    tbs: Range<usize>,
    pub key: PublicKey,
    /// The issuer and subject names' DER contents (without the SEQUENCE header), as trust
    /// anchors store them; also what name chaining compares.
    pub issuer_value: Vec<u8>,
    pub subject_value: Vec<u8>,
}

impl ParsedCert {
    pub(crate) fn parse(der: Vec<u8>) -> Result<ParsedCert, String> {
        let cert = Certificate::from_der(&der).map_err(|e| e.to_string())?;
        // RFC 5280 §4.1.1.2: the outer algorithm is not covered by the signature, so it must
        // repeat the signed one exactly, or its parameters could be altered unnoticed.
        if cert.signature_algorithm() != cert.tbs_certificate().signature() {
            return Err("its signature algorithm differs from the signed one".to_owned());
        }
        let tbs = tbs_range(&der).ok_or_else(|| "cannot locate the signed part".to_owned())?;
        let spki = cert.tbs_certificate().subject_public_key_info();
        let key = PublicKey::from_parts(
            spki.algorithm.oid,
            spki.algorithm.parameters.as_ref().map(Into::into),
            // A key BIT STRING with unused bits is malformed: read it as no key at all.
            spki.subject_public_key.as_bytes().unwrap_or_default(),
        );
        let issuer_value = name_value(cert.tbs_certificate().issuer());
        let subject_value = name_value(cert.tbs_certificate().subject());
        Ok(ParsedCert {
            der,
            cert,
            tbs,
            key,
            issuer_value,
            subject_value,
        })
    }

    pub(crate) fn tbs_bytes(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    pub(crate) fn signature_algorithm(&self) -> &x509_cert::spki::AlgorithmIdentifierOwned {
        self.cert.signature_algorithm()
    }

    /// The signature bits; `None` for a BIT STRING with unused bits (DER signatures have none),
    /// which would otherwise let a changed byte go unnoticed.
    pub(crate) fn signature(&self) -> Option<&[u8]> {
        self.cert.signature().as_bytes()
    }

    /// RFC 4514 form, e.g. `CN=mqtt.example.com,O=Example`.
    pub(crate) fn subject(&self) -> String {
        distinguished_name(self.cert.tbs_certificate().subject())
    }

    pub(crate) fn issuer(&self) -> String {
        distinguished_name(self.cert.tbs_certificate().issuer())
    }

    /// Issuer and subject are the same name: a root, or a self-signed server certificate.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.issuer_value == self.subject_value
    }

    /// 1, 2 or 3.
    pub(crate) fn version(&self) -> u8 {
        match self.cert.tbs_certificate().version() {
            Version::V1 => 1,
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }

    /// Whether this certificate may issue others: basicConstraints cA. Version 1 certificates
    /// have no extensions at all; a few old roots are still v1, so they are given the benefit.
    pub(crate) fn may_issue(&self) -> bool {
        if self.version() < 3 {
            return true;
        }
        matches!(
            self.cert
                .tbs_certificate()
                .get_extension::<BasicConstraints>(),
            Ok(Some((_, BasicConstraints { ca: true, .. })))
        )
    }

    pub(crate) fn not_before(&self) -> DateTime<Utc> {
        to_chrono(self.cert.tbs_certificate().validity().not_before)
    }

    pub(crate) fn not_after(&self) -> DateTime<Utc> {
        to_chrono(self.cert.tbs_certificate().validity().not_after)
    }

    /// DNS names and IP addresses of the subjectAltName extension; `None` when the
    /// certificate has no such extension (then, and only then, the CN counts as a name).
    pub(crate) fn alt_names(&self) -> Option<AltNames> {
        let tbs = self.cert.tbs_certificate();
        let extension = tbs.get_extension::<SubjectAltName>();
        let san = match extension {
            Ok(Some((_, san))) => san,
            Ok(None) => return None,
            // Present but unreadable: it still replaces the CN, and names nothing.
            Err(_) => return Some(AltNames::default()),
        };
        let mut names = AltNames::default();
        for name in san.0 {
            match name {
                GeneralName::DnsName(dns) => names.dns.push(dns.to_string()),
                GeneralName::IpAddress(ip) => names.ips.push(ip_text(ip.as_bytes())),
                _ => {}
            }
        }
        Some(names)
    }

    /// The first common name of the subject, if it is a readable string.
    pub(crate) fn common_name(&self) -> Option<String> {
        match self.cert.tbs_certificate().subject().common_name() {
            Ok(Some(cn)) => Some(cn.value().into_owned()),
            _ => None,
        }
    }

    /// SHA-256 of the DER, colon-separated upper-case hex (as browsers and openssl show it).
    pub(crate) fn fingerprint(&self) -> String {
        colon_hex(&Sha256::digest(&self.der))
    }
}

/// The names a certificate is issued for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AltNames {
    pub dns: Vec<String>,
    pub ips: Vec<String>,
}

fn tbs_range(der: &[u8]) -> Option<Range<usize>> {
    let outer = AnyRef::from_der(der).ok()?;
    // `from_der` consumed the whole input, so the value is the tail of `der`.
    let start = der.len().checked_sub(outer.value().len())?;
    let mut reader = SliceReader::new(outer.value()).ok()?;
    let tbs = reader.tlv_bytes().ok()?;
    Some(start..start.checked_add(tbs.len())?)
}

fn name_value(name: &Name) -> Vec<u8> {
    let Ok(der) = name.to_der() else {
        return Vec::new();
    };
    AnyRef::from_der(&der)
        .map(|any| any.value().to_vec())
        .unwrap_or_default()
}

fn to_chrono(time: x509_cert::time::Time) -> DateTime<Utc> {
    i64::try_from(time.to_unix_duration().as_secs())
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_default()
}

pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default()
}

fn bit_length(big_endian: &[u8]) -> u32 {
    let bytes = strip_zeros(big_endian);
    match bytes.first() {
        None => 0,
        Some(first) => {
            let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX / 8);
            len.saturating_mul(8).saturating_sub(first.leading_zeros())
        }
    }
}

fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return std::net::Ipv4Addr::from(v4).to_string();
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        return std::net::Ipv6Addr::from(v6).to_string();
    }
    colon_hex(bytes)
}

pub(crate) fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bits_from_the_top_set_bit() {
        assert_eq!(bit_length(&[0x00, 0x80, 0, 0]), 24);
        assert_eq!(bit_length(&[0x01, 0]), 9);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
    }

    #[test]
    fn formats_fingerprints_and_addresses() {
        assert_eq!(colon_hex(&[0x0a, 0xff, 0x00]), "0A:FF:00");
        assert_eq!(ip_text(&[10, 0, 0, 1]), "10.0.0.1");
        assert_eq!(ip_text(&[0; 16]), "::");
        assert_eq!(ip_text(&[1, 2]), "01:02");
    }

    #[test]
    fn names_signature_algorithms_by_their_signer_key_type() {
        assert_eq!(
            KeyFamily::of_signature(&rfc5912::ID_RSASSA_PSS),
            KeyFamily::Rsa
        );
        assert_eq!(
            KeyFamily::of_signature(&rfc5912::ECDSA_WITH_SHA_384),
            KeyFamily::Ec
        );
        assert_eq!(
            KeyFamily::of_signature(&rfc5912::ID_SHA_256),
            KeyFamily::Other
        );
        assert_eq!(oid_name(&rfc5912::ID_RSASSA_PSS), "id-RSASSA-PSS");
    }
}
