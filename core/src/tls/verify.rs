//! Real signature verification of one certificate by one key: RSA PKCS#1 v1.5 and PSS with
//! SHA-256/384/512, ECDSA on P-256 and P-384. Anything else is "unsupported", which the chain
//! check reports by name rather than silently trusting.

use const_oid::db::rfc5912;
use der::asn1::AnyRef;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{BoxedUint, Pkcs1v15Sign, Pss};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::cert::{Curve, ParsedCert, PublicKey};
use super::names::oid_name;

/// Largest RSA modulus verified ([`super::MAX_RSA_BITS`]): it covers every real CA and bounds the
/// work a hostile certificate can cause.
const MAX_RSA_BITS: usize = super::MAX_RSA_BITS as usize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VerifyError {
    /// The algorithm (named) is not one BYOC verifies.
    Unsupported(String),
    /// The signature does not verify with this key (or the key cannot make it).
    Invalid,
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        if *oid == rfc5912::ID_SHA_256 {
            Some(Hash::Sha256)
        } else if *oid == rfc5912::ID_SHA_384 {
            Some(Hash::Sha384)
        } else if *oid == rfc5912::ID_SHA_512 {
            Some(Hash::Sha512)
        } else {
            None
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

enum Scheme {
    Pkcs1v15(Hash),
    Pss { hash: Hash, salt_len: usize },
    Ecdsa(Hash),
}

/// Whether `child`'s signature verifies with `key` (its issuer's public key).
pub(crate) fn verify_cert(child: &ParsedCert, key: &PublicKey) -> Result<(), VerifyError> {
    let signature = child.signature().ok_or(VerifyError::Invalid)?;
    verify(
        child.tbs_bytes(),
        child.signature_algorithm(),
        signature,
        key,
    )
}

fn verify(
    message: &[u8],
    algorithm: &AlgorithmIdentifierOwned,
    signature: &[u8],
    key: &PublicKey,
) -> Result<(), VerifyError> {
    match (scheme(algorithm)?, key) {
        (Scheme::Pkcs1v15(hash), PublicKey::Rsa { n, e }) => {
            let padding = match hash {
                Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
                Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
                Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
            };
            rsa_key(n, e)?
                .verify(padding, &hash.digest(message), signature)
                .map_err(|_| VerifyError::Invalid)
        }
        (Scheme::Pss { hash, salt_len }, PublicKey::Rsa { n, e }) => {
            let key = rsa_key(n, e)?;
            let hashed = hash.digest(message);
            let result = match hash {
                Hash::Sha256 => {
                    key.verify(Pss::<Sha256>::new_with_salt(salt_len), &hashed, signature)
                }
                Hash::Sha384 => {
                    key.verify(Pss::<Sha384>::new_with_salt(salt_len), &hashed, signature)
                }
                Hash::Sha512 => {
                    key.verify(Pss::<Sha512>::new_with_salt(salt_len), &hashed, signature)
                }
            };
            result.map_err(|_| VerifyError::Invalid)
        }
        (Scheme::Ecdsa(hash), PublicKey::Ec { curve, point }) => {
            let prehash = hash.digest(message);
            let ok = match curve {
                Curve::P256 => ecdsa_p256(point, &prehash, signature),
                Curve::P384 => ecdsa_p384(point, &prehash, signature),
            };
            if ok {
                Ok(())
            } else {
                Err(VerifyError::Invalid)
            }
        }
        (Scheme::Ecdsa(_), PublicKey::EcOther { curve }) => {
            Err(VerifyError::Unsupported(format!("ECDSA on curve {curve}")))
        }
        // The algorithm needs another key type than the issuer has: cannot have signed it.
        _ => Err(VerifyError::Invalid),
    }
}

fn scheme(algorithm: &AlgorithmIdentifierOwned) -> Result<Scheme, VerifyError> {
    let oid = algorithm.oid;
    let simple = [
        (
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            Scheme::Pkcs1v15(Hash::Sha256),
        ),
        (
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            Scheme::Pkcs1v15(Hash::Sha384),
        ),
        (
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            Scheme::Pkcs1v15(Hash::Sha512),
        ),
        (rfc5912::ECDSA_WITH_SHA_256, Scheme::Ecdsa(Hash::Sha256)),
        (rfc5912::ECDSA_WITH_SHA_384, Scheme::Ecdsa(Hash::Sha384)),
        (rfc5912::ECDSA_WITH_SHA_512, Scheme::Ecdsa(Hash::Sha512)),
    ];
    if let Some((_, scheme)) = simple.into_iter().find(|(o, _)| *o == oid) {
        return Ok(scheme);
    }
    if oid == rfc5912::ID_RSASSA_PSS {
        return pss_scheme(algorithm.parameters.as_ref().map(Into::into));
    }
    Err(VerifyError::Unsupported(oid_name(&oid)))
}

/// RSASSA-PSS parameters (RFC 4055): the hash, MGF1 with the same hash, the salt length.
/// Mixed hashes are legal but never issued by real CAs; refusing them keeps this small.
fn pss_scheme(params: Option<AnyRef<'_>>) -> Result<Scheme, VerifyError> {
    let unsupported = || VerifyError::Unsupported("RSASSA-PSS with these parameters".to_owned());
    let der = params
        .and_then(|p| p.to_der().ok())
        .ok_or_else(unsupported)?;
    let params = pkcs1::RsaPssParamsOwned::from_der(&der).map_err(|_| unsupported())?;
    let hash = Hash::from_oid(&params.hash.oid).ok_or_else(unsupported)?;
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if params.mask_gen.oid != rfc5912::ID_MGF_1 || mgf_hash != Some(params.hash.oid) {
        return Err(unsupported());
    }
    Ok(Scheme::Pss {
        hash,
        salt_len: usize::from(params.salt_len),
    })
}

fn rsa_key(n: &[u8], e: &[u8]) -> Result<rsa::PublicKey, VerifyError> {
    if n.len() > MAX_RSA_BITS / 8 || e.len() > 8 {
        return Err(VerifyError::Unsupported(format!(
            "RSA keys over {MAX_RSA_BITS} bits"
        )));
    }
    // A zero modulus or exponent (empty after stripping zeros) is no key; the big-integer
    // library is not asked to make sense of zero-width numbers.
    if n.is_empty() || e.is_empty() {
        return Err(VerifyError::Invalid);
    }
    rsa::PublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
        rsa::PublicKey::MIN_SIZE..=MAX_RSA_BITS,
    )
    .map_err(|_| VerifyError::Invalid)
}

fn ecdsa_p256(point: &[u8], prehash: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
        return false;
    };
    let Ok(signature) = p256::ecdsa::Signature::from_der(signature) else {
        return false;
    };
    key.verify_prehash(prehash, &signature).is_ok()
}

fn ecdsa_p384(point: &[u8], prehash: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
        return false;
    };
    let Ok(signature) = p384::ecdsa::Signature::from_der(signature) else {
        return false;
    };
    key.verify_prehash(prehash, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_rsa_keys_are_refused_without_a_panic() {
        for (n, e) in [
            (&[][..], &[1u8, 0, 1][..]),
            (&[0xff; 256][..], &[][..]),
            (&[0xff; 256][..], &[2][..]),
            (&[0xfe; 256][..], &[1, 0, 1][..]),
            (&[0xff; 16][..], &[1, 0, 1][..]),
        ] {
            assert_eq!(rsa_key(n, e).err(), Some(VerifyError::Invalid));
        }
        assert!(matches!(
            rsa_key(&[0xff; 2048], &[3]),
            Err(VerifyError::Unsupported(_))
        ));
        assert!(rsa_key(&[0xff; 256], &[1, 0, 1]).is_ok());
    }
}
