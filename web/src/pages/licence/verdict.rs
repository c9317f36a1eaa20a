//! What the browser makes of a licence before anything is uploaded: `core`, in the crypto worker,
//! verifies the signature with the vendor key the control plane publishes, then checks the dates
//! the way the server will, so the user sees the exact problem at once.

use byoc_core::lang::Lang;
use byoc_core::licence::LicencePayload;
use chrono::{DateTime, Utc};

use crate::crypto::protocol::{Answer, Job, LicenceAnswer};
use crate::crypto::CryptoError;
use crate::i18n::Msg;

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Nothing entered yet.
    Empty,
    /// The control plane has no vendor key, so nothing can be verified or installed.
    NoKey,
    /// Being verified.
    Checking,
    /// The control plane sent a key this console cannot read.
    BadKey,
    /// Core's reason it may not be installed (the server would refuse it the same way), worded in
    /// both languages.
    Refused {
        message_en: String,
        message_zh: String,
    },
    /// The checker could not run.
    Unavailable(CryptoError),
    /// Verified and valid now: the payload to show and the line to send.
    Ready(Box<LicencePayload>, String),
}

impl Verdict {
    /// The verdict known without verifying (`Err` holds the job that will decide it).
    pub fn before_checking(
        text: &str,
        public_key_pem: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Verdict, Job> {
        if text.trim().is_empty() {
            return Ok(Verdict::Empty);
        }
        let Some(pem) = public_key_pem else {
            return Ok(Verdict::NoKey);
        };
        Err(Job::Licence {
            text: text.to_owned(),
            public_key_pem: pem.to_owned(),
            at: now,
        })
    }

    /// The verdict the checker's answer gives.
    pub fn from_answer(answer: Result<Answer, CryptoError>) -> Verdict {
        match answer {
            Ok(Answer::Licence(LicenceAnswer::BadKey)) => Verdict::BadKey,
            Ok(Answer::Licence(LicenceAnswer::Refused {
                message_en,
                message_zh,
                ..
            })) => Verdict::Refused {
                message_en,
                message_zh,
            },
            Ok(Answer::Licence(LicenceAnswer::Ready { payload, line })) => {
                Verdict::Ready(payload, line)
            }
            Ok(Answer::Tls(_)) => Verdict::Unavailable(CryptoError::wrong_answer()),
            Err(e) => Verdict::Unavailable(e),
        }
    }

    /// Why the licence cannot be installed, in `lang`; `None` when it can (or nothing was
    /// entered, or it is still being checked).
    pub fn error(&self, lang: Lang) -> Option<String> {
        match self {
            Verdict::Empty | Verdict::Checking | Verdict::Ready(..) => None,
            Verdict::NoKey => Some(Msg::LicenceNoKey.text(lang).to_owned()),
            Verdict::BadKey => Some(Msg::LicenceBadKey.text(lang).to_owned()),
            Verdict::Refused {
                message_en,
                message_zh,
            } => Some(match lang {
                Lang::En => message_en.clone(),
                Lang::ZhCn => message_zh.clone(),
            }),
            Verdict::Unavailable(e) => {
                Some(format!("{} ({e})", Msg::CheckerUnavailable.text(lang)))
            }
        }
    }
}
