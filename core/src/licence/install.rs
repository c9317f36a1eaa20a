//! Whether a licence may be installed now: its signature verifies with the vendor key and it is
//! valid today. Installing replaces the licence in force, so one that is expired or not yet
//! valid would stop all new work. The console judges a pasted licence with this before sending
//! it, and the server judges the same text with it again.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;

use super::{verify, Licence, LicenceError, LicenceStatus};
use crate::lang::Lang;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InstallRefusal {
    #[error("{0}")]
    Invalid(LicenceError),
    #[error("This licence expired on {}; ask your vendor for a current one.", .0.format("%Y-%m-%d"))]
    Expired(DateTime<Utc>),
    #[error("This licence is valid only from {}; install it then.", .0.format("%Y-%m-%d"))]
    NotYetValid(DateTime<Utc>),
}

impl InstallRefusal {
    /// The field error's code on `licence`.
    pub fn code(&self) -> &'static str {
        match self {
            InstallRefusal::Invalid(e) => e.code(),
            InstallRefusal::Expired(_) => "licence_expired",
            InstallRefusal::NotYetValid(_) => "licence_not_yet_valid",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let day = |d: &DateTime<Utc>| d.format("%Y-%m-%d").to_string();
        match (self, lang) {
            (InstallRefusal::Invalid(e), _) => e.message(lang),
            (_, Lang::En) => self.to_string(),
            (InstallRefusal::Expired(until), Lang::ZhCn) => {
                format!(
                    "该许可证已于 {} 过期，请向供应商索取有效的许可证。",
                    day(until)
                )
            }
            (InstallRefusal::NotYetValid(from), Lang::ZhCn) => {
                format!("该许可证自 {} 起生效，请届时再安装。", day(from))
            }
        }
    }
}

/// The licence `text` verified with `key`, if it may be installed at `now`.
pub fn installable(
    text: &str,
    key: &VerifyingKey,
    now: DateTime<Utc>,
) -> Result<Licence, InstallRefusal> {
    let licence = verify(text, key).map_err(InstallRefusal::Invalid)?;
    match licence.payload.status(now) {
        LicenceStatus::Expired => Err(InstallRefusal::Expired(licence.payload.valid_until)),
        LicenceStatus::NotYetValid => Err(InstallRefusal::NotYetValid(licence.payload.valid_from)),
        LicenceStatus::Valid | LicenceStatus::ExpiringSoon => Ok(licence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licence::{issue, LicencePayload, LicenceType, SigningKey};
    use chrono::TimeZone;

    fn licence(from: DateTime<Utc>, until: DateTime<Utc>) -> (String, VerifyingKey) {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let payload = LicencePayload {
            id: "lic-1".into(),
            kind: LicenceType::Formal,
            issued_to: "Acme".into(),
            issuer_email: "licences@vendor.example".into(),
            issued_at: from,
            valid_from: from,
            valid_until: until,
            max_sessions: 1000,
            max_tps: 100,
            core_size: 64,
        };
        (issue(&payload, &signing).unwrap(), signing.verifying_key())
    }

    #[test]
    fn only_a_licence_valid_today_may_be_installed() {
        let day = |d: u32| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap();
        let now = day(6);
        let (ok, key) = licence(day(1), day(30));
        assert_eq!(installable(&ok, &key, now).unwrap().payload.id, "lic-1");
        let (old, key) = licence(day(1), day(5));
        let e = installable(&old, &key, now).unwrap_err();
        assert_eq!(e.code(), "licence_expired");
        assert!(e.to_string().contains("expired on 2026-12-05"), "{e}");
        assert!(e.message(Lang::ZhCn).contains("2026-12-05 过期"));
        let (later, key) = licence(day(7), day(30));
        let e = installable(&later, &key, now).unwrap_err();
        assert_eq!(e.code(), "licence_not_yet_valid");
        assert!(e.message(Lang::En).contains("only from 2026-12-07"));
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert!(matches!(
            installable(&ok, &other, now),
            Err(InstallRefusal::Invalid(_))
        ));
    }
}
