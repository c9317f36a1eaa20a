//! What the console's main thread and the crypto worker say to each other: JSON text, one
//! message per job, so the worker needs nothing of the page and the page nothing of the crypto.

use byoc_core::licence::LicencePayload;
use byoc_core::tls::{CertSummary, TlsCheck, TlsReport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Work that needs certificate or signature checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Core's TLS inspection of what the user entered (the key stays in this browser: the worker
    /// is part of the page, and it makes no request).
    Tls {
        bundle: String,
        /// `None`: the key is expected in the certificate file.
        key: Option<String>,
        domain: String,
        at: DateTime<Utc>,
    },
    /// Whether a licence line verifies with the vendor key and may be installed at `at`.
    Licence {
        text: String,
        public_key_pem: String,
        at: DateTime<Utc>,
    },
}

/// The worker's answer to a [`Job`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Tls(Box<TlsAnswer>),
    Licence(LicenceAnswer),
}

/// Core's report on the certificate and key, and what may be stored of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TlsAnswer {
    pub report: TlsReport,
    /// The public certificates to store (chain order when the file had them out of order);
    /// never a private key.
    pub bundle: Option<String>,
    /// The public bundle re-checked as the server will check a deployment request
    /// (`lifecycle::spec::check_certificate`), when there is one and the domain is valid.
    pub chain: Option<ChainVerdict>,
}

/// `check_certificate`'s verdict on `pem` for `domain` (as `DomainName` spells it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainVerdict {
    pub pem: String,
    pub domain: String,
    pub result: Result<CertSummary, Vec<TlsCheck>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LicenceAnswer {
    /// The control plane's vendor key could not be read.
    BadKey,
    /// Core's refusal (the server refuses the same text the same way), worded in both languages.
    Refused {
        code: String,
        message_en: String,
        message_zh: String,
    },
    /// Verified and valid now: what to show and the line to send.
    Ready {
        payload: Box<LicencePayload>,
        line: String,
    },
}

/// The page's message to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub job: Job,
}

/// The worker's messages to the page. `Failed` is also what the loader script (`crypto-loader.js`)
/// posts when the worker's wasm cannot be fetched or started, so the page shows an error instead
/// of waiting forever.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Ready,
    Failed(String),
    Done { id: u32, answer: Answer },
}
