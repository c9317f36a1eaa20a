//! The licence line: `byoc-lic-v1.<base64url(payload JSON)>.<base64url(Ed25519 signature over the
//! payload bytes)>`. The signature covers the exact payload bytes, so nothing is re-serialised
//! before checking it.

use base64ct::{Base64UrlUnpadded, Encoding};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

pub const PREFIX: &str = "byoc-lic-v1";
/// Larger than any real licence line by far; refusing early keeps parsing cheap.
const MAX_LINE_BYTES: usize = 16 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicenceType {
    Trial,
    Formal,
}

/// What a licence grants (SPEC §4). Field names are the wire format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicencePayload {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: LicenceType,
    pub issued_to: String,
    pub issuer_email: String,
    pub issued_at: DateTime<Utc>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub max_sessions: u64,
    pub max_tps: u64,
    /// Licensed vCPUs across all broker nodes.
    pub core_size: u32,
}

/// A licence whose signature has been verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Licence {
    pub payload: LicencePayload,
    /// The line as verified (surrounding whitespace removed), for storing and re-verifying.
    pub line: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    #[error("the licence is empty")]
    Empty,
    #[error("the licence is too large to be a licence file")]
    TooLarge,
    #[error("this is not a BYOC licence: it must start with \"byoc-lic-v1.\"")]
    BadPrefix,
    #[error(
        "the licence must have three parts separated by dots; it may have been cut off when copied"
    )]
    BadStructure,
    #[error("the licence's {0} is not valid base64url; it may have been changed when copied")]
    BadBase64(&'static str),
    #[error("the licence content is not valid JSON: {0}")]
    BadJson(String),
    #[error("the licence content lacks the field \"{0}\"")]
    MissingField(String),
    #[error("the licence signature has the wrong length")]
    BadSignatureLength,
    #[error(
        "the signature does not match: the licence was altered, or signed by another vendor key"
    )]
    BadSignature,
    #[error("the licence is inconsistent: {0}")]
    Inconsistent(&'static str),
}

impl LicenceError {
    pub fn code(&self) -> &'static str {
        match self {
            LicenceError::Empty => "licence_empty",
            LicenceError::TooLarge => "licence_too_large",
            LicenceError::BadPrefix => "licence_bad_prefix",
            LicenceError::BadStructure => "licence_bad_structure",
            LicenceError::BadBase64(_) => "licence_bad_base64",
            LicenceError::BadJson(_) => "licence_bad_json",
            LicenceError::MissingField(_) => "licence_missing_field",
            LicenceError::BadSignatureLength => "licence_bad_signature_length",
            LicenceError::BadSignature => "licence_bad_signature",
            LicenceError::Inconsistent(_) => "licence_inconsistent",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => match self {
                LicenceError::Empty => "许可证内容为空".into(),
                LicenceError::TooLarge => "内容过大，不是许可证文件".into(),
                LicenceError::BadPrefix => {
                    "这不是 BYOC 许可证：内容必须以“byoc-lic-v1.”开头".into()
                }
                LicenceError::BadStructure => {
                    "许可证应由三段以点分隔的内容组成，可能在复制时被截断".into()
                }
                LicenceError::BadBase64(part) => {
                    format!(
                        "许可证的{}不是有效的 base64url 编码，可能在复制时被修改",
                        part_zh(part)
                    )
                }
                LicenceError::BadJson(e) => format!("许可证内容不是有效的 JSON：{e}"),
                LicenceError::MissingField(f) => format!("许可证内容缺少字段“{f}”"),
                LicenceError::BadSignatureLength => "许可证签名长度不正确".into(),
                LicenceError::BadSignature => {
                    "签名不匹配：许可证已被修改，或由其他供应商密钥签发".into()
                }
                LicenceError::Inconsistent(what) => format!("许可证内容不一致：{what}"),
            },
        }
    }
}

fn part_zh(part: &str) -> &'static str {
    if part == "payload" {
        "内容部分"
    } else {
        "签名部分"
    }
}

/// Signs a payload into a licence line (vendor tooling and tests).
pub fn issue(payload: &LicencePayload, key: &SigningKey) -> Result<String, LicenceError> {
    check_consistency(payload)?;
    let bytes = serde_json::to_vec(payload).map_err(|e| LicenceError::BadJson(e.to_string()))?;
    let signature = key.sign(&bytes);
    Ok(format!(
        "{PREFIX}.{}.{}",
        Base64UrlUnpadded::encode_string(&bytes),
        Base64UrlUnpadded::encode_string(&signature.to_bytes())
    ))
}

/// Parses a licence line and verifies its signature with the vendor's key. Surrounding whitespace
/// (a trailing newline from a file, spaces from a paste) is ignored.
pub fn verify(text: &str, key: &VerifyingKey) -> Result<Licence, LicenceError> {
    if text.len() > MAX_LINE_BYTES {
        return Err(LicenceError::TooLarge);
    }
    let line = text.trim();
    if line.is_empty() {
        return Err(LicenceError::Empty);
    }
    let rest = line
        .strip_prefix(PREFIX)
        .and_then(|r| r.strip_prefix('.'))
        .ok_or(LicenceError::BadPrefix)?;
    let mut parts = rest.split('.');
    let (Some(payload_b64), Some(signature_b64), None) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(LicenceError::BadStructure);
    };
    let payload_bytes = Base64UrlUnpadded::decode_vec(payload_b64)
        .map_err(|_| LicenceError::BadBase64("payload"))?;
    let signature_bytes = Base64UrlUnpadded::decode_vec(signature_b64)
        .map_err(|_| LicenceError::BadBase64("signature"))?;
    let signature_array: [u8; 64] = signature_bytes
        .as_slice()
        .try_into()
        .map_err(|_| LicenceError::BadSignatureLength)?;
    // Verify before trusting anything in the payload.
    key.verify(&payload_bytes, &Signature::from_bytes(&signature_array))
        .map_err(|_| LicenceError::BadSignature)?;
    let payload = parse_payload(&payload_bytes)?;
    check_consistency(&payload)?;
    Ok(Licence {
        payload,
        line: line.to_owned(),
    })
}

fn parse_payload(bytes: &[u8]) -> Result<LicencePayload, LicenceError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        // serde's "missing field `x`" becomes its own, clearer error.
        match text
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            Some(field) => LicenceError::MissingField(field.to_owned()),
            None => LicenceError::BadJson(text),
        }
    })
}

fn check_consistency(p: &LicencePayload) -> Result<(), LicenceError> {
    if p.id.trim().is_empty() {
        return Err(LicenceError::Inconsistent("the id is empty"));
    }
    if p.valid_until <= p.valid_from {
        return Err(LicenceError::Inconsistent("it ends before it starts"));
    }
    if p.max_sessions == 0 || p.core_size == 0 {
        return Err(LicenceError::Inconsistent(
            "it grants no sessions or no cores",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    pub(crate) fn payload() -> LicencePayload {
        LicencePayload {
            id: "LIC-2026-000123".into(),
            kind: LicenceType::Formal,
            issued_to: "Example Ltd".into(),
            issuer_email: "licences@vendor.example".into(),
            issued_at: at("2026-01-01T00:00:00Z"),
            valid_from: at("2026-01-01T00:00:00Z"),
            valid_until: at("2027-01-01T00:00:00Z"),
            max_sessions: 100_000,
            max_tps: 30_000,
            core_size: 48,
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[42u8; 32])
    }

    #[test]
    fn an_issued_licence_verifies_and_round_trips() {
        let line = issue(&payload(), &key()).unwrap();
        assert!(line.starts_with("byoc-lic-v1."));
        let licence = verify(&format!("  {line}\n"), &key().verifying_key()).unwrap();
        assert_eq!(licence.payload, payload());
        assert_eq!(licence.line, line);
    }

    #[test]
    fn a_licence_signed_by_another_key_is_refused() {
        let other = SigningKey::from_bytes(&[1u8; 32]);
        let line = issue(&payload(), &other).unwrap();
        assert_eq!(
            verify(&line, &key().verifying_key()),
            Err(LicenceError::BadSignature)
        );
    }

    #[test]
    fn an_altered_payload_is_refused() {
        let line = issue(&payload(), &key()).unwrap();
        let parts: Vec<&str> = line.split('.').collect();
        let mut forged = payload();
        forged.max_sessions = 10_000_000;
        let forged_b64 = Base64UrlUnpadded::encode_string(&serde_json::to_vec(&forged).unwrap());
        let tampered = format!("{}.{}.{}", parts[0], forged_b64, parts[2]);
        assert_eq!(
            verify(&tampered, &key().verifying_key()),
            Err(LicenceError::BadSignature)
        );
    }

    #[test]
    fn each_format_error_is_named() {
        let k = key().verifying_key();
        let good = issue(&payload(), &key()).unwrap();
        let parts: Vec<&str> = good.split('.').collect();
        let cases: Vec<(String, &str)> = vec![
            ("".into(), "licence_empty"),
            ("   \n".into(), "licence_empty"),
            ("x".repeat(20_000), "licence_too_large"),
            ("byoc-lic-v2.a.b".into(), "licence_bad_prefix"),
            ("LIC-2026-000123".into(), "licence_bad_prefix"),
            (
                format!("{}.{}", parts[0], parts[1]),
                "licence_bad_structure",
            ),
            (format!("{good}.extra"), "licence_bad_structure"),
            (
                format!("{}.{}!.{}", parts[0], parts[1], parts[2]),
                "licence_bad_base64",
            ),
            (
                format!("{}.{}.{}*", parts[0], parts[1], parts[2]),
                "licence_bad_base64",
            ),
            (
                format!("{}.{}.{}", parts[0], parts[1], "AAAA"),
                "licence_bad_signature_length",
            ),
        ];
        for (text, code) in cases {
            assert_eq!(verify(&text, &k).unwrap_err().code(), code, "{text:.60}");
        }
    }

    fn signed_raw(json: &str) -> String {
        let sig = key().sign(json.as_bytes());
        format!(
            "{PREFIX}.{}.{}",
            Base64UrlUnpadded::encode_string(json.as_bytes()),
            Base64UrlUnpadded::encode_string(&sig.to_bytes())
        )
    }

    #[test]
    fn bad_json_and_missing_fields_are_reported_after_the_signature_checks_out() {
        let k = key().verifying_key();
        assert_eq!(
            verify(&signed_raw("{not json"), &k).unwrap_err().code(),
            "licence_bad_json"
        );
        let mut v = serde_json::to_value(payload()).unwrap();
        v.as_object_mut().unwrap().remove("core_size");
        let err = verify(&signed_raw(&v.to_string()), &k).unwrap_err();
        assert_eq!(err, LicenceError::MissingField("core_size".into()));
        assert!(err.message(Lang::ZhCn).contains("core_size"));
    }

    #[test]
    fn inconsistent_licences_are_refused() {
        let mut p = payload();
        p.valid_until = p.valid_from;
        assert_eq!(
            issue(&p, &key()).unwrap_err().code(),
            "licence_inconsistent"
        );
        let mut v = serde_json::to_value(payload()).unwrap();
        v["max_sessions"] = 0.into();
        assert_eq!(
            verify(&signed_raw(&v.to_string()), &key().verifying_key())
                .unwrap_err()
                .code(),
            "licence_inconsistent"
        );
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        for e in [
            LicenceError::Empty,
            LicenceError::TooLarge,
            LicenceError::BadPrefix,
            LicenceError::BadStructure,
            LicenceError::BadBase64("payload"),
            LicenceError::BadJson("x".into()),
            LicenceError::MissingField("id".into()),
            LicenceError::BadSignatureLength,
            LicenceError::BadSignature,
            LicenceError::Inconsistent("x"),
        ] {
            assert!(!e.message(Lang::ZhCn).is_ascii(), "{e:?}");
        }
    }
}
