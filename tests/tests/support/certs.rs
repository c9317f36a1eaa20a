//! Test certificates: a chain valid today, made with rcgen from committed test keys.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::{Datelike, Duration, Utc};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    IsCa, KeyPair, KeyUsagePurpose,
};

pub const DOMAIN: &str = "mqtt.example.com";
/// Test keys only (RSA-2048, made with openssl: rcgen with ring cannot generate RSA keys).
pub const ROOT_KEY: &str =
    include_str!("../../../core/tests/fixtures/tls/keys/root-rsa2048.key.pem");
pub const INTERMEDIATE_KEY: &str =
    include_str!("../../../core/tests/fixtures/tls/keys/intermediate-rsa2048.key.pem");
pub const LEAF_KEY: &str =
    include_str!("../../../core/tests/fixtures/tls/keys/leaf-rsa2048.key.pem");

/// Validity from yesterday for `days` days. The committed browser fixture is pinned to 2030, so
/// the chain here is made valid for the day the test runs.
fn valid_for(params: &mut CertificateParams, days: i64) {
    let today = Utc::now().date_naive();
    let ymd = |d: chrono::NaiveDate| date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    params.not_before = ymd(today - Duration::days(1));
    params.not_after = ymd(today + Duration::days(days));
}

fn ca(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "BYOC Test");
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    valid_for(&mut params, 3650);
    params
}

/// Server certificate, intermediate and root (PEM each), valid today for `DOMAIN`.
pub fn chain() -> [String; 3] {
    let root = CertifiedIssuer::self_signed(
        ca("BYOC Test Root CA"),
        KeyPair::from_pem(ROOT_KEY).unwrap(),
    )
    .unwrap();
    let intermediate = CertifiedIssuer::signed_by(
        ca("BYOC Test Intermediate CA"),
        KeyPair::from_pem(INTERMEDIATE_KEY).unwrap(),
        &root,
    )
    .unwrap();
    let mut leaf = CertificateParams::new(vec![DOMAIN.to_owned()]).unwrap();
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name.push(DnType::CommonName, DOMAIN);
    valid_for(&mut leaf, 365);
    let leaf = leaf
        .signed_by(&KeyPair::from_pem(LEAF_KEY).unwrap(), &intermediate)
        .unwrap();
    [leaf.pem(), intermediate.pem(), root.pem()]
}

pub fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}
