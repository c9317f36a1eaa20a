//! What the browser makes of a licence before anything is uploaded: `core` verifies the
//! signature with the vendor key the control plane publishes, then the dates are checked the way
//! the server will check them, so the user sees the exact problem at once.

use byoc_core::lang::Lang;
use byoc_core::licence::{
    parse_public_key_pem, verify, LicenceError, LicencePayload, LicenceStatus,
};
use chrono::{DateTime, Utc};

use crate::i18n::{fill, Msg};

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Nothing entered yet.
    Empty,
    /// The control plane has no vendor key, so nothing can be verified or installed.
    NoKey,
    /// The control plane sent a key this console cannot read.
    BadKey,
    Invalid(LicenceError),
    Expired(DateTime<Utc>),
    NotYetValid(DateTime<Utc>),
    /// Verified and valid now: the payload to show and the line to send.
    Ready(Box<LicencePayload>, String),
}

impl Verdict {
    pub fn of(text: &str, public_key_pem: Option<&str>, now: DateTime<Utc>) -> Verdict {
        if text.trim().is_empty() {
            return Verdict::Empty;
        }
        let Some(pem) = public_key_pem else {
            return Verdict::NoKey;
        };
        let Ok(key) = parse_public_key_pem(pem) else {
            return Verdict::BadKey;
        };
        match verify(text, &key) {
            Err(e) => Verdict::Invalid(e),
            Ok(licence) => match licence.payload.status(now) {
                LicenceStatus::Expired => Verdict::Expired(licence.payload.valid_until),
                LicenceStatus::NotYetValid => Verdict::NotYetValid(licence.payload.valid_from),
                LicenceStatus::Valid | LicenceStatus::ExpiringSoon => {
                    Verdict::Ready(Box::new(licence.payload), licence.line)
                }
            },
        }
    }

    /// Why the licence cannot be installed, in `lang`; `None` when it can (or nothing was
    /// entered).
    pub fn error(&self, lang: Lang) -> Option<String> {
        let day = |d: &DateTime<Utc>| d.format("%Y-%m-%d").to_string();
        match self {
            Verdict::Empty | Verdict::Ready(..) => None,
            Verdict::NoKey => Some(Msg::LicenceNoKey.text(lang).to_owned()),
            Verdict::BadKey => Some(Msg::LicenceBadKey.text(lang).to_owned()),
            Verdict::Invalid(e) => Some(e.message(lang)),
            Verdict::Expired(until) => Some(fill(
                Msg::LicenceAlreadyExpired.text(lang),
                &[("date", &day(until))],
            )),
            Verdict::NotYetValid(from) => Some(fill(
                Msg::LicenceNotYetValidLocal.text(lang),
                &[("date", &day(from))],
            )),
        }
    }
}
