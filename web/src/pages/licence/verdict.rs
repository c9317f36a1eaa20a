//! What the browser makes of a licence before anything is uploaded: `core` verifies the
//! signature with the vendor key the control plane publishes, then the dates are checked the way
//! the server will check them, so the user sees the exact problem at once.

use byoc_core::lang::Lang;
use byoc_core::licence::{installable, parse_public_key_pem, InstallRefusal, LicencePayload};
use chrono::{DateTime, Utc};

use crate::i18n::Msg;

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Nothing entered yet.
    Empty,
    /// The control plane has no vendor key, so nothing can be verified or installed.
    NoKey,
    /// The control plane sent a key this console cannot read.
    BadKey,
    /// Core's reason it may not be installed (the server would refuse it the same way).
    Refused(InstallRefusal),
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
        match installable(text, &key, now) {
            Err(refusal) => Verdict::Refused(refusal),
            Ok(licence) => Verdict::Ready(Box::new(licence.payload), licence.line),
        }
    }

    /// Why the licence cannot be installed, in `lang`; `None` when it can (or nothing was
    /// entered).
    pub fn error(&self, lang: Lang) -> Option<String> {
        match self {
            Verdict::Empty | Verdict::Ready(..) => None,
            Verdict::NoKey => Some(Msg::LicenceNoKey.text(lang).to_owned()),
            Verdict::BadKey => Some(Msg::LicenceBadKey.text(lang).to_owned()),
            Verdict::Refused(refusal) => Some(refusal.message(lang)),
        }
    }
}
