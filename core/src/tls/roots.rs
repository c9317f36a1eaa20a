//! Well-known public roots (Mozilla's, through `webpki-roots`): a chain that stops below its
//! root is complete when the last certificate's issuer is one of these and its signature
//! verifies with that root's key. Browsers and MQTT clients already hold these roots.

use der::asn1::AnyRef;
use der::Tag;
use x509_cert::spki::SubjectPublicKeyInfoRef;

use super::cert::{ParsedCert, PublicKey};
use super::verify::{verify_cert, VerifyError};

/// What the well-known roots say about `cert`'s issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicRoot {
    /// The issuer is a public root and its key verifies the signature.
    Signed {
        root: String,
    },
    /// The issuer is a public root, but the signature uses an algorithm BYOC does not verify
    /// (a P-521 root, say): say so rather than claim the root is missing.
    Unsupported {
        algorithm: String,
    },
    NotPublic,
}

pub(crate) fn public_root_issuing(cert: &ParsedCert) -> PublicRoot {
    let mut verdict = PublicRoot::NotPublic;
    // Anchors store the subject and the key without their outer SEQUENCE header.
    let named = webpki_roots::TLS_SERVER_ROOTS
        .iter()
        .filter(|anchor| anchor.subject.as_ref() == cert.issuer_value.as_slice());
    for anchor in named {
        let Some(key) = anchor_key(anchor.subject_public_key_info.as_ref()) else {
            continue;
        };
        match verify_cert(cert, &key) {
            Ok(()) => {
                return PublicRoot::Signed {
                    root: cert.issuer(),
                }
            }
            Err(VerifyError::Unsupported(algorithm)) => {
                verdict = PublicRoot::Unsupported { algorithm };
            }
            Err(VerifyError::Invalid) => {}
        }
    }
    verdict
}

fn anchor_key(spki_value: &[u8]) -> Option<PublicKey> {
    let spki: SubjectPublicKeyInfoRef<'_> = AnyRef::new(Tag::Sequence, spki_value)
        .ok()?
        .decode_as()
        .ok()?;
    Some(PublicKey::from_parts(
        spki.algorithm.oid,
        spki.algorithm.parameters,
        spki.subject_public_key.as_bytes()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_anchor_key_reads_as_rsa_or_a_supported_curve() {
        let mut rsa = 0;
        for anchor in webpki_roots::TLS_SERVER_ROOTS {
            match anchor_key(anchor.subject_public_key_info.as_ref()) {
                Some(PublicKey::Rsa { .. }) => rsa += 1,
                Some(PublicKey::Ec { .. }) => {}
                // Mozilla trusts a few P-521 roots; chains under them are "unsupported".
                Some(PublicKey::EcOther { curve }) if curve == "secp521r1" => {}
                other => panic!("unexpected anchor key {other:?}"),
            }
        }
        assert!(rsa > 50, "{rsa}");
    }
}
