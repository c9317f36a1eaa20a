//! Certificates for the tests, built with rcgen at test time from RSA keys pre-generated with
//! openssl (`fixtures/tls/keys/`: rcgen with ring cannot generate RSA keys), plus assertions
//! on exact check codes and outcomes.

use std::time::Duration;

use base64ct::{Base64, Encoding};
use byoc_core::tls::{codes, inspect, Outcome, TlsInput, TlsReport};
use chrono::{DateTime, TimeZone, Utc};
use der::{Decode, Encode};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, PublicKeyData, SignatureAlgorithm, PKCS_RSA_SHA256,
};

pub use Outcome::{Fail, Pass, Warn};

pub const DOMAIN: &str = "mqtt.example.com";

pub mod keys {
    pub const ROOT: &str = include_str!("../fixtures/tls/keys/root-rsa2048.key.pem");
    pub const INTERMEDIATE: &str =
        include_str!("../fixtures/tls/keys/intermediate-rsa2048.key.pem");
    pub const LEAF: &str = include_str!("../fixtures/tls/keys/leaf-rsa2048.key.pem");
    pub const LEAF_PKCS1: &str = include_str!("../fixtures/tls/keys/leaf-rsa2048.pkcs1.pem");
    pub const LEAF_ENCRYPTED_PKCS8: &str =
        include_str!("../fixtures/tls/keys/leaf-rsa2048.encrypted-pkcs8.pem");
    pub const LEAF_ENCRYPTED_PKCS1: &str =
        include_str!("../fixtures/tls/keys/leaf-rsa2048.encrypted-pkcs1.pem");
    pub const OTHER: &str = include_str!("../fixtures/tls/keys/other-rsa2048.key.pem");
    pub const RSA_1024: &str = include_str!("../fixtures/tls/keys/leaf-rsa1024.key.pem");
    pub const RSA_4096: &str = include_str!("../fixtures/tls/keys/leaf-rsa4096.key.pem");
    pub const EC_P256: &str = include_str!("../fixtures/tls/keys/leaf-ec-p256.key.pem");
    pub const EC_P256_SEC1: &str = include_str!("../fixtures/tls/keys/leaf-ec-p256.sec1.pem");
}

/// The pinned "now" of every generated fixture: 2030-01-01T00:00:00Z.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

/// `now()` moved by whole days (negative: earlier), in rcgen's time type.
pub fn days_from_now(days: i64) -> time::OffsetDateTime {
    let base = date_time_ymd(2030, 1, 1);
    let shift = Duration::from_secs(days.unsigned_abs() * 86_400);
    if days >= 0 {
        base + shift
    } else {
        base - shift
    }
}

pub fn key(pem: &str) -> KeyPair {
    KeyPair::from_pem(pem).unwrap()
}

/// An RSA public key rcgen can put in a certificate even when ring refuses the key pair (ring
/// will not load RSA keys under 2048 bits, and we only need the public half of a leaf).
pub struct RsaPublic(Vec<u8>);

impl RsaPublic {
    pub fn from_pkcs8_pem(pem: &str) -> RsaPublic {
        let der = pem_body(pem);
        let info = pkcs8::PrivateKeyInfoRef::from_der(&der).unwrap();
        let private = pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes()).unwrap();
        let public = pkcs1::RsaPublicKey {
            modulus: private.modulus,
            public_exponent: private.public_exponent,
        };
        RsaPublic(public.to_der().unwrap())
    }

    /// A well-formed RSA public key of `bits` bits whose private half nobody has (a modulus of
    /// all ones), for the size limits.
    pub fn synthetic(bits: usize) -> RsaPublic {
        let modulus = vec![0xffu8; bits / 8];
        let public = pkcs1::RsaPublicKey {
            modulus: der::asn1::UintRef::new(&modulus).unwrap(),
            public_exponent: der::asn1::UintRef::new(&[1, 0, 1]).unwrap(),
        };
        RsaPublic(public.to_der().unwrap())
    }
}

impl PublicKeyData for RsaPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &PKCS_RSA_SHA256
    }
}

/// The body of the first PEM block of `pem`.
pub fn pem_body(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .filter(|l| !l.contains(':'))
        .collect();
    Base64::decode_vec(body.trim()).unwrap()
}

pub fn pem(label: &str, der: &[u8]) -> String {
    let body = Base64::encode_string(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn name(params: &mut CertificateParams, cn: &str) {
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "BYOC Test");
    params.distinguished_name.push(DnType::CommonName, cn);
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    name(&mut params, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2045, 1, 1);
    params
}

pub type Ca = CertifiedIssuer<'static, KeyPair>;

pub fn root_ca(cn: &str, key: KeyPair) -> Ca {
    CertifiedIssuer::self_signed(ca_params(cn), key).unwrap()
}

pub fn intermediate_ca(cn: &str, key: KeyPair, parent: &Issuer<'_, KeyPair>) -> Ca {
    CertifiedIssuer::signed_by(ca_params(cn), key, parent).unwrap()
}

/// A CA certificate named `cn` for any public key (one that cannot sign, too), issued by `parent`.
pub fn ca_cert_for(cn: &str, key: &impl PublicKeyData, parent: &Issuer<'_, KeyPair>) -> String {
    ca_params(cn).signed_by(key, parent).unwrap().pem()
}

/// A server certificate's parameters; `Leaf::default()` is a good one for `DOMAIN`.
pub struct Leaf {
    pub sans: Vec<String>,
    pub cn: String,
    pub not_before: time::OffsetDateTime,
    pub not_after: time::OffsetDateTime,
}

impl Default for Leaf {
    fn default() -> Leaf {
        Leaf {
            sans: vec![DOMAIN.to_owned()],
            cn: DOMAIN.to_owned(),
            not_before: days_from_now(-365),
            not_after: days_from_now(365),
        }
    }
}

impl Leaf {
    pub fn params(&self) -> CertificateParams {
        let mut params = CertificateParams::new(self.sans.clone()).unwrap();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, &self.cn);
        params.not_before = self.not_before;
        params.not_after = self.not_after;
        params
    }

    pub fn signed_by(&self, key: &impl PublicKeyData, issuer: &Issuer<'_, KeyPair>) -> String {
        self.params().signed_by(key, issuer).unwrap().pem()
    }

    pub fn self_signed(&self, key: &KeyPair) -> String {
        self.params().self_signed(key).unwrap().pem()
    }
}

/// root → intermediate → leaf, all RSA-2048 from the committed keys.
pub struct Chain {
    pub root: Ca,
    pub intermediate: Ca,
    pub leaf: String,
}

impl Chain {
    pub fn with_leaf(leaf: &Leaf) -> Chain {
        Chain::with_leaf_key(leaf, &key(keys::LEAF))
    }

    pub fn with_leaf_key(leaf: &Leaf, leaf_key: &impl PublicKeyData) -> Chain {
        let root = root_ca("BYOC Test Root CA", key(keys::ROOT));
        let intermediate =
            intermediate_ca("BYOC Test Intermediate CA", key(keys::INTERMEDIATE), &root);
        let leaf = leaf.signed_by(leaf_key, &intermediate);
        Chain {
            root,
            intermediate,
            leaf,
        }
    }

    pub fn valid() -> Chain {
        Chain::with_leaf(&Leaf::default())
    }

    /// Server certificate, intermediate, root: the right order.
    pub fn bundle(&self) -> String {
        format!(
            "{}{}{}",
            self.leaf,
            self.intermediate.pem(),
            self.root.pem()
        )
    }
}

pub fn inspect_at(bundle: &str, key: Option<&str>, domain: &str) -> TlsReport {
    inspect(
        &TlsInput {
            bundle_pem: bundle,
            key_pem: key,
            domain,
        },
        now(),
    )
}

/// The codes and outcomes of a report, in order.
pub fn outcomes(report: &TlsReport) -> Vec<(&str, Outcome)> {
    report
        .checks
        .iter()
        .map(|c| (c.code.as_str(), c.outcome))
        .collect()
}

/// Every check ran and passed, except `exceptions`.
pub fn assert_all_pass_except(report: &TlsReport, exceptions: &[(&str, Outcome)]) {
    let expected: Vec<(&str, Outcome)> = codes::ALL
        .iter()
        .map(|code| {
            let outcome = exceptions
                .iter()
                .find(|(c, _)| c == code)
                .map_or(Pass, |(_, o)| *o);
            (*code, outcome)
        })
        .collect();
    assert_eq!(outcomes(report), expected, "{report:#?}");
}

/// The message of check `code` in English.
pub fn message<'r>(report: &'r TlsReport, code: &str) -> &'r str {
    &report
        .check(code)
        .unwrap_or_else(|| panic!("no {code} check in {report:#?}"))
        .message_en
}
