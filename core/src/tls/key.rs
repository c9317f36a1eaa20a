//! Rules 8 and 9: the private key's format, whether it is encrypted, and whether it is the key
//! of the server certificate. Only public parts are compared (RSA modulus and exponent, the EC
//! point derived from the secret scalar): no signing, no randomness, nothing leaves the input.

use const_oid::db::{rfc5912, rfc8410};
use der::Decode;

use super::cert::{strip_zeros, Curve, KeyFamily, PublicKey};
use super::error::FileKind;
use super::names::oid_name;
use super::pem::Block;

/// How a private key block is encoded, from its PEM label and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyFormat {
    /// `RSA PRIVATE KEY`
    Pkcs1,
    /// `PRIVATE KEY`
    Pkcs8,
    /// `EC PRIVATE KEY` (SEC1): neither PKCS#1 nor PKCS#8.
    Sec1,
    /// `ENCRYPTED PRIVATE KEY`
    EncryptedPkcs8,
    /// A traditional key with `Proc-Type: 4,ENCRYPTED`.
    EncryptedTraditional,
    /// Any other `… PRIVATE KEY` label (OpenSSH, DSA, …), named.
    Other(String),
}

/// A private key block found in either input.
#[derive(Clone, Debug)]
pub(crate) struct KeyBlock {
    pub format: KeyFormat,
    pub der: Option<Vec<u8>>,
    pub file: FileKind,
}

impl KeyBlock {
    /// The block as a private key, or `None` when its label is not a private key's.
    pub(crate) fn from_block(block: &Block) -> Option<KeyBlock> {
        let format = match (block.label.as_str(), block.proc_type_encrypted) {
            ("ENCRYPTED PRIVATE KEY", _) => KeyFormat::EncryptedPkcs8,
            (label, true) if label.ends_with("PRIVATE KEY") => KeyFormat::EncryptedTraditional,
            ("PRIVATE KEY", false) => KeyFormat::Pkcs8,
            ("RSA PRIVATE KEY", false) => KeyFormat::Pkcs1,
            ("EC PRIVATE KEY", false) => KeyFormat::Sec1,
            (label, false) if label.ends_with("PRIVATE KEY") => KeyFormat::Other(label.to_owned()),
            _ => return None,
        };
        Some(KeyBlock {
            format,
            der: block.der.clone(),
            file: block.file,
        })
    }

    pub(crate) fn is_encrypted(&self) -> bool {
        matches!(
            self.format,
            KeyFormat::EncryptedPkcs8 | KeyFormat::EncryptedTraditional
        )
    }

    /// The public half of an unencrypted PKCS#1, PKCS#8 or SEC1 key; `Err` says why not.
    pub(crate) fn material(&self) -> Result<KeyMaterial, KeyProblem> {
        let der = self.der.as_deref().ok_or(KeyProblem::Damaged)?;
        match &self.format {
            KeyFormat::Pkcs1 => rsa_material(der),
            KeyFormat::Pkcs8 => pkcs8_material(der),
            KeyFormat::Sec1 => sec1_material(der, None),
            KeyFormat::EncryptedPkcs8 | KeyFormat::EncryptedTraditional => {
                Err(KeyProblem::Encrypted)
            }
            KeyFormat::Other(label) => Err(KeyProblem::Unsupported(label.clone())),
        }
    }
}

/// Why a private key cannot be read. The detail strings are the decoder's own (English).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    Damaged,
    Encrypted,
    Unsupported(String),
    NotPkcs1(String),
    NotPkcs8(String),
    NotEc(String),
    CurveNotNamed,
    NotOnCurve(&'static str),
}

impl KeyProblem {
    pub(crate) fn english(&self) -> String {
        match self {
            KeyProblem::Damaged => "the block is damaged".to_owned(),
            KeyProblem::Encrypted => "it is encrypted".to_owned(),
            KeyProblem::Unsupported(label) => format!("{label} is not a supported format"),
            KeyProblem::NotPkcs1(detail) => format!("it is not a valid PKCS#1 RSA key ({detail})"),
            KeyProblem::NotPkcs8(detail) => format!("it is not a valid PKCS#8 key ({detail})"),
            KeyProblem::NotEc(detail) => format!("it is not a valid EC key ({detail})"),
            KeyProblem::CurveNotNamed => "the EC key does not name its curve".to_owned(),
            KeyProblem::NotOnCurve(curve) => format!("it is not a valid {curve} key"),
        }
    }

    pub(crate) fn chinese(&self) -> String {
        match self {
            KeyProblem::Damaged => "该块已损坏".to_owned(),
            KeyProblem::Encrypted => "私钥已加密".to_owned(),
            KeyProblem::Unsupported(label) => format!("不支持 {label} 格式"),
            KeyProblem::NotPkcs1(detail) => format!("不是有效的 PKCS#1 RSA 私钥（{detail}）"),
            KeyProblem::NotPkcs8(detail) => format!("不是有效的 PKCS#8 私钥（{detail}）"),
            KeyProblem::NotEc(detail) => format!("不是有效的 EC 私钥（{detail}）"),
            KeyProblem::CurveNotNamed => "EC 私钥未指明曲线".to_owned(),
            KeyProblem::NotOnCurve(curve) => format!("不是有效的 {curve} 私钥"),
        }
    }
}

/// What a private key reveals about its public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyMaterial {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    EcP256(p256::PublicKey),
    EcP384(p384::PublicKey),
    /// A key type BYOC does not compare (named), e.g. Ed25519.
    Other(String),
}

impl KeyMaterial {
    pub(crate) fn family(&self) -> KeyFamily {
        match self {
            KeyMaterial::Rsa { .. } => KeyFamily::Rsa,
            KeyMaterial::EcP256(_) | KeyMaterial::EcP384(_) => KeyFamily::Ec,
            KeyMaterial::Other(name) if name == "Ed25519" => KeyFamily::Ed25519,
            KeyMaterial::Other(_) => KeyFamily::Other,
        }
    }

    /// Whether this is the private half of `public`.
    pub(crate) fn matches(&self, public: &PublicKey) -> bool {
        match (self, public) {
            (KeyMaterial::Rsa { n, e }, PublicKey::Rsa { n: cn, e: ce }) => n == cn && e == ce,
            (
                KeyMaterial::EcP256(key),
                PublicKey::Ec {
                    curve: Curve::P256,
                    point,
                },
            ) => p256::PublicKey::from_sec1_bytes(point).is_ok_and(|p| p == *key),
            (
                KeyMaterial::EcP384(key),
                PublicKey::Ec {
                    curve: Curve::P384,
                    point,
                },
            ) => p384::PublicKey::from_sec1_bytes(point).is_ok_and(|p| p == *key),
            _ => false,
        }
    }
}

fn rsa_material(der: &[u8]) -> Result<KeyMaterial, KeyProblem> {
    let key =
        pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|e| KeyProblem::NotPkcs1(e.to_string()))?;
    Ok(KeyMaterial::Rsa {
        n: strip_zeros(key.modulus.as_bytes()).to_vec(),
        e: strip_zeros(key.public_exponent.as_bytes()).to_vec(),
    })
}

fn pkcs8_material(der: &[u8]) -> Result<KeyMaterial, KeyProblem> {
    let info =
        pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| KeyProblem::NotPkcs8(e.to_string()))?;
    let algorithm = info.algorithm.oid;
    let inner = info.private_key.as_bytes();
    if algorithm == rfc5912::RSA_ENCRYPTION {
        return rsa_material(inner);
    }
    if algorithm == rfc5912::ID_EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok());
        return sec1_material(inner, curve);
    }
    if algorithm == rfc8410::ID_ED_25519 {
        return Ok(KeyMaterial::Other("Ed25519".to_owned()));
    }
    Ok(KeyMaterial::Other(oid_name(&algorithm)))
}

/// An EC key: the curve comes from PKCS#8's algorithm parameters or SEC1's own.
fn sec1_material(
    der: &[u8],
    curve: Option<der::oid::ObjectIdentifier>,
) -> Result<KeyMaterial, KeyProblem> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|e| KeyProblem::NotEc(e.to_string()))?;
    let curve = curve
        .or_else(|| key.parameters.and_then(|p| p.named_curve()))
        .ok_or(KeyProblem::CurveNotNamed)?;
    if curve == rfc5912::SECP_256_R_1 {
        p256::SecretKey::from_sec1_der(der)
            .map(|k| KeyMaterial::EcP256(k.public_key()))
            .map_err(|_| KeyProblem::NotOnCurve("P-256"))
    } else if curve == rfc5912::SECP_384_R_1 {
        p384::SecretKey::from_sec1_der(der)
            .map(|k| KeyMaterial::EcP384(k.public_key()))
            .map_err(|_| KeyProblem::NotOnCurve("P-384"))
    } else {
        Ok(KeyMaterial::Other(format!("EC {}", oid_name(&curve))))
    }
}
