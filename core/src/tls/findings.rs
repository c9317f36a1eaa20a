//! Every result a check can have, as data. Each finding knows its check code and outcome; its
//! words are in `messages.rs`. Keeping the verdict apart from the wording means a test can
//! pin "this input → these codes and outcomes" and a translator edits one file.

use chrono::{DateTime, Utc};

use crate::domain::DomainError;

use super::chain::ChainEnd;
use super::codes;
use super::error::{FileKind, TlsError};
use super::key::KeyProblem;
use super::{Outcome, TlsCheck};

/// A block that is neither a certificate nor a private key, ignored with a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IgnoredBlock {
    pub file: FileKind,
    pub index: usize,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Finding {
    // pem_parse
    PemRead {
        certificates: usize,
        keys: usize,
        ignored: Vec<IgnoredBlock>,
    },
    PemErrors(Vec<TlsError>),
    // x509_v3
    V3,
    NotV3 {
        version: u8,
    },
    // key_algorithm
    RsaStrong {
        bits: u32,
    },
    RsaWeak {
        bits: u32,
    },
    RsaTooSmall {
        bits: u32,
    },
    RsaTooLarge {
        bits: u32,
    },
    KeyNotRsa {
        key_type: String,
    },
    // chain_order
    InOrder {
        count: usize,
    },
    OutOfOrder {
        reordered: bool,
        strays: Vec<String>,
    },
    // chain_complete
    Chain(ChainEnd),
    // ca_signed
    CaSigned {
        issuer: String,
    },
    SelfSigned,
    // validity
    Valid {
        not_after: DateTime<Utc>,
        days_left: i64,
    },
    Expired {
        not_after: DateTime<Utc>,
    },
    NotYetValid {
        not_before: DateTime<Utc>,
    },
    ExpiresSoon {
        not_after: DateTime<Utc>,
        days_left: i64,
    },
    ChainCertExpired {
        subject: String,
        not_after: DateTime<Utc>,
    },
    ChainCertNotYetValid {
        subject: String,
        not_before: DateTime<Utc>,
    },
    // domain_match
    DomainMissing,
    DomainInvalid(DomainError),
    DomainMatchesAltName {
        domain: String,
        name: String,
    },
    DomainMatchesCommonNameOnly {
        domain: String,
    },
    DomainNoMatch {
        domain: String,
        names: Vec<String>,
    },
    // private_key_present
    KeyFound {
        file: FileKind,
    },
    KeyMissing,
    KeysSeveral {
        count: usize,
    },
    // private_key_unencrypted
    KeyUnencrypted,
    KeyEncrypted,
    // private_key_format
    KeyPkcs1,
    KeyPkcs8,
    KeySec1,
    KeyUnsupportedFormat {
        label: String,
    },
    KeyUnreadable(KeyProblem),
    // key_matches_cert
    KeyMatches,
    KeyOfAnotherCertificate,
    KeyOfAnotherType {
        key_type: &'static str,
        cert_type: &'static str,
    },
    // issuer_key_type
    IssuerTypeMatches {
        key_type: &'static str,
    },
    IssuerTypeDiffers {
        key_type: &'static str,
        issuer_type: &'static str,
    },
    IssuerTypeUnknown {
        algorithm: String,
    },
}

impl Finding {
    pub(crate) fn code(&self) -> &'static str {
        use Finding::*;
        match self {
            PemRead { .. } | PemErrors(_) => codes::PEM_PARSE,
            V3 | NotV3 { .. } => codes::X509_V3,
            RsaStrong { .. }
            | RsaWeak { .. }
            | RsaTooSmall { .. }
            | RsaTooLarge { .. }
            | KeyNotRsa { .. } => codes::KEY_ALGORITHM,
            InOrder { .. } | OutOfOrder { .. } => codes::CHAIN_ORDER,
            Chain(_) => codes::CHAIN_COMPLETE,
            CaSigned { .. } | SelfSigned => codes::CA_SIGNED,
            Valid { .. }
            | Expired { .. }
            | NotYetValid { .. }
            | ExpiresSoon { .. }
            | ChainCertExpired { .. }
            | ChainCertNotYetValid { .. } => codes::VALIDITY,
            DomainMissing
            | DomainInvalid(_)
            | DomainMatchesAltName { .. }
            | DomainMatchesCommonNameOnly { .. }
            | DomainNoMatch { .. } => codes::DOMAIN_MATCH,
            KeyFound { .. } | KeyMissing | KeysSeveral { .. } => codes::PRIVATE_KEY_PRESENT,
            KeyUnencrypted | KeyEncrypted => codes::PRIVATE_KEY_UNENCRYPTED,
            KeyPkcs1 | KeyPkcs8 | KeySec1 | KeyUnsupportedFormat { .. } | KeyUnreadable { .. } => {
                codes::PRIVATE_KEY_FORMAT
            }
            KeyMatches | KeyOfAnotherCertificate | KeyOfAnotherType { .. } => {
                codes::KEY_MATCHES_CERT
            }
            IssuerTypeMatches { .. } | IssuerTypeDiffers { .. } | IssuerTypeUnknown { .. } => {
                codes::ISSUER_KEY_TYPE
            }
        }
    }

    pub(crate) fn outcome(&self) -> Outcome {
        use Finding::*;
        match self {
            PemRead { ignored, .. } if !ignored.is_empty() => Outcome::Warn,
            RsaWeak { .. } | OutOfOrder { .. } | DomainMatchesCommonNameOnly { .. } => {
                Outcome::Warn
            }
            Chain(end) if end.is_complete() => Outcome::Pass,
            PemRead { .. }
            | V3
            | RsaStrong { .. }
            | InOrder { .. }
            | CaSigned { .. }
            | Valid { .. }
            | DomainMatchesAltName { .. }
            | KeyFound { .. }
            | KeyUnencrypted
            | KeyPkcs1
            | KeyPkcs8
            | KeyMatches
            | IssuerTypeMatches { .. } => Outcome::Pass,
            _ => Outcome::Fail,
        }
    }

    pub(crate) fn into_check(self) -> TlsCheck {
        TlsCheck {
            code: self.code().to_owned(),
            outcome: self.outcome(),
            message_en: self.english(),
            message_zh: self.chinese(),
        }
    }
}
