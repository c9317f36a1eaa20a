//! Ed25519 keys in the standard PEM forms (SPKI public key, PKCS#8 private key), the same bytes
//! `openssl genpkey -algorithm ed25519` writes, so vendors can use their usual tools.

use base64ct::{Base64, Encoding};
use ed25519_dalek::{SigningKey, VerifyingKey};

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
/// DER prefix of an Ed25519 PKCS#8 v1 private key (RFC 8410); the 32 seed bytes follow.
const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not a PEM \"{0}\" block")]
    NotPem(&'static str),
    #[error("the PEM block is not valid base64")]
    BadBase64,
    #[error("not an Ed25519 key")]
    NotEd25519,
}

fn pem_body(text: &str, label: &'static str) -> Result<Vec<u8>, KeyError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin).ok_or(KeyError::NotPem(label))? + begin.len();
    let stop = text[start..].find(&end).ok_or(KeyError::NotPem(label))? + start;
    let b64: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Base64::decode_vec(&b64).map_err(|_| KeyError::BadBase64)
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn key_bytes(der: &[u8], prefix: &[u8]) -> Result<[u8; 32], KeyError> {
    match der.strip_prefix(prefix) {
        Some(rest) => rest.try_into().map_err(|_| KeyError::NotEd25519),
        None => Err(KeyError::NotEd25519),
    }
}

pub fn parse_public_key_pem(text: &str) -> Result<VerifyingKey, KeyError> {
    let der = pem_body(text, "PUBLIC KEY")?;
    VerifyingKey::from_bytes(&key_bytes(&der, &SPKI_PREFIX)?).map_err(|_| KeyError::NotEd25519)
}

pub fn public_key_pem(key: &VerifyingKey) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(key.as_bytes());
    pem("PUBLIC KEY", &der)
}

pub fn parse_signing_key_pem(text: &str) -> Result<SigningKey, KeyError> {
    let der = pem_body(text, "PRIVATE KEY")?;
    Ok(SigningKey::from_bytes(&key_bytes(&der, &PKCS8_PREFIX)?))
}

pub fn signing_key_pem(key: &SigningKey) -> String {
    let mut der = PKCS8_PREFIX.to_vec();
    der.extend_from_slice(&key.to_bytes());
    pem("PRIVATE KEY", &der)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written by `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout`.
    const OPENSSL_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILhA9mR/rZX2eOnhKaGWX2z95iScfKfBQchZOzSQQzjO\n-----END PRIVATE KEY-----\n";
    const OPENSSL_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAj+Dudi0rf2HEosaMvLnCLfL6/O1YreubxWVhdRlW6C4=\n-----END PUBLIC KEY-----\n";

    #[test]
    fn keys_round_trip_through_pem() {
        let signing = SigningKey::from_bytes(&[7u8; 32]);
        let back = parse_signing_key_pem(&signing_key_pem(&signing)).unwrap();
        assert_eq!(back.to_bytes(), signing.to_bytes());
        let public = signing.verifying_key();
        assert_eq!(
            parse_public_key_pem(&public_key_pem(&public)).unwrap(),
            public
        );
    }

    #[test]
    fn reads_keys_written_by_openssl() {
        let signing = parse_signing_key_pem(OPENSSL_PRIVATE).unwrap();
        assert_eq!(public_key_pem(&signing.verifying_key()), OPENSSL_PUBLIC);
        assert_eq!(
            parse_public_key_pem(OPENSSL_PUBLIC).unwrap(),
            signing.verifying_key()
        );
    }

    #[test]
    fn refuses_what_is_not_an_ed25519_pem_key() {
        assert_eq!(
            parse_public_key_pem("hello"),
            Err(KeyError::NotPem("PUBLIC KEY"))
        );
        assert_eq!(
            parse_public_key_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"),
            Err(KeyError::BadBase64)
        );
        // An RSA-shaped (wrong length / prefix) key.
        assert_eq!(
            parse_public_key_pem(
                "-----BEGIN PUBLIC KEY-----\nMAwwCgYIKoZIzj0DAQc=\n-----END PUBLIC KEY-----"
            ),
            Err(KeyError::NotEd25519)
        );
        assert!(
            parse_signing_key_pem(OPENSSL_PRIVATE.replace("PRIVATE", "PUBLIC").as_str()).is_err()
        );
    }
}
