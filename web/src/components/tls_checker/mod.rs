//! The TLS checker (SPEC §5): the certificate file and the private key (or one combined file),
//! picked, dropped or pasted, and the domain; the report of `core::tls` updates as they change.
//!
//! Everything runs in the browser. This component makes no request at all, so the private key
//! cannot leave the machine through it; what it hands its parent ([`CheckedCertificate`]) holds
//! only public certificates. The create wizard reuses it and continues only when `passed`.

mod report;
pub mod summary;

use byoc_core::lang::Lang;
use byoc_core::tls::{CertSummary, FileKind, Outcome, TlsCheck, TlsError, MAX_INPUT_BYTES};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::components::copy_download::DownloadButton;
use crate::components::text_field::TextField;
use crate::components::text_file_input::TextFileInput;
use crate::crypto::protocol::{Answer, ChainVerdict, Job, TlsAnswer};
use crate::crypto::{use_crypto, CryptoError};
use crate::i18n::{use_i18n, Msg};
use report::{ReportTable, Verdict};
use summary::SummaryView;

/// What the checker tells its parent: never the key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckedCertificate {
    /// Something was entered (a certificate, a key, or both), so there is a verdict to respect.
    pub provided: bool,
    /// A certificate was given and no check failed (warnings allowed).
    pub passed: bool,
    /// The public certificates to store, in chain order when the file had them out of order.
    pub bundle: Option<String>,
    pub summary: Option<CertSummary>,
    /// The bundle re-checked as the server checks a deployment request.
    pub chain: Option<ChainVerdict>,
}

impl CheckedCertificate {
    fn from_answer(answer: &TlsAnswer) -> Self {
        CheckedCertificate {
            provided: true,
            passed: answer.report.passed() && answer.report.summary.is_some(),
            bundle: answer.bundle.clone(),
            summary: answer.report.summary.clone(),
            chain: answer.chain.clone(),
        }
    }

    /// `check_certificate`'s verdict on `pem` for `domain`, for `spec::validate_with`; a failed
    /// `pending` check while the answer for exactly these is not there yet, so nothing goes
    /// ahead unchecked.
    pub fn chain_for(&self, pem: &str, domain: &str) -> Result<CertSummary, Vec<TlsCheck>> {
        match &self.chain {
            Some(c) if c.pem == pem && c.domain == domain => c.result.clone(),
            _ => Err(vec![TlsCheck {
                code: "pending".to_owned(),
                outcome: Outcome::Fail,
                message_en: Msg::TlsChecking.text(Lang::En).to_owned(),
                message_zh: Msg::TlsChecking.text(Lang::ZhCn).to_owned(),
            }]),
        }
    }
}

/// Where the check stands for what is entered now.
#[derive(Clone, Debug, PartialEq)]
enum Check {
    /// Nothing entered.
    Empty,
    /// Sent to the worker; no answer yet.
    Running,
    Done(Box<TlsAnswer>),
    Failed(CryptoError),
}

fn too_large_certificate(size: usize, lang: byoc_core::lang::Lang) -> String {
    TlsError::TooLarge {
        file: FileKind::Certificate,
        size,
    }
    .message(lang)
}

fn too_large_key(size: usize, lang: byoc_core::lang::Lang) -> String {
    TlsError::TooLarge {
        file: FileKind::Key,
        size,
    }
    .message(lang)
}

#[component]
pub fn TlsChecker(
    /// The domain the certificate must cover. When given (the wizard asks for it elsewhere) the
    /// checker shows no domain field of its own.
    #[prop(optional, into)]
    domain: Option<Signal<String>>,
    /// The time to check validity at; the browser's clock when not given (tests pin it).
    #[prop(optional, into)]
    now: Option<Signal<DateTime<Utc>>>,
    /// Told whenever the outcome changes.
    #[prop(optional, into)]
    on_change: Option<Callback<CheckedCertificate>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let bundle = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let own_domain = RwSignal::new(String::new());
    let domain_value = domain.unwrap_or_else(|| own_domain.into());

    // Each change is inspected by core in the crypto worker; an answer for an older input is
    // dropped (`run_latest`), so the report always belongs to what is entered now.
    let crypto = use_crypto();
    let check = RwSignal::new(Check::Empty);
    let turn = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let bundle = bundle.get();
        let key = key.get();
        if bundle.trim().is_empty() && key.trim().is_empty() {
            turn.update_value(|t| *t = t.wrapping_add(1));
            check.set(Check::Empty);
            return;
        }
        let job = Job::Tls {
            bundle,
            // An empty key field means "the key is in the certificate file".
            key: (!key.trim().is_empty()).then_some(key),
            domain: domain_value.get().trim().to_owned(),
            at: now.map_or_else(Utc::now, |n| n.get()),
        };
        check.set(Check::Running);
        crypto.run_latest(turn, job, move |answer| {
            check.set(match answer {
                Ok(Answer::Tls(answer)) => Check::Done(answer),
                Ok(Answer::Licence(_)) => Check::Failed(CryptoError::wrong_answer()),
                Err(e) => Check::Failed(e),
            });
        });
    });
    let report = Memo::new(move |_| {
        check.with(|c| match c {
            Check::Done(answer) => Some(answer.report.clone()),
            _ => None,
        })
    });
    let checked = Memo::new(move |_| {
        check.with(|c| match c {
            Check::Empty => CheckedCertificate::default(),
            Check::Done(answer) => CheckedCertificate::from_answer(answer),
            // Entered but not (yet) judged: the wizard may not continue.
            Check::Running | Check::Failed(_) => CheckedCertificate {
                provided: true,
                ..CheckedCertificate::default()
            },
        })
    });
    if let Some(callback) = on_change {
        Effect::new(move |_| callback.run(checked.get()));
    }

    let ordered = move || report.with(|r| r.as_ref().and_then(|r| r.ordered_bundle.clone()));
    view! {
        <div class="bc-tls" data-testid="tls-checker">
            <p class="bc-alert bc-alert--info" data-testid="tls-key-note">
                {move || i18n.t(Msg::TlsKeyStaysHere)}
            </p>
            <div class="bc-form-row">
                <TextFileInput
                    id="tls-cert"
                    label=Msg::TlsCertFile
                    hint=Msg::TlsCertHint
                    value=bundle
                    max_bytes=MAX_INPUT_BYTES
                    too_large=too_large_certificate
                    accept=".pem,.crt,.cer,.txt"
                />
                <TextFileInput
                    id="tls-key"
                    label=Msg::TlsKeyFile
                    hint=Msg::TlsKeyHint
                    value=key
                    max_bytes=MAX_INPUT_BYTES
                    too_large=too_large_key
                    accept=".pem,.key,.txt"
                />
            </div>
            {domain
                .is_none()
                .then(|| {
                    view! {
                        <div class="bc-form-row">
                            <TextField
                                id="tls-domain"
                                label=Msg::TlsDomain
                                value=own_domain
                                error=Signal::derive(|| None::<String>)
                            />
                        </div>
                    }
                })}
            // Only the one-line verdict is announced as it changes, not the whole table.
            <div aria-live="polite">
                {move || report.get().map(|r| view! { <Verdict report=r /> })}
                {move || {
                    check
                        .with(|c| matches!(c, Check::Running))
                        .then(|| {
                            view! {
                                <p class="bc-hint" data-testid="tls-running">
                                    {move || i18n.t(Msg::TlsChecking)}
                                </p>
                            }
                        })
                }}
                {move || {
                    check
                        .with(|c| match c {
                            Check::Failed(e) => Some(e.to_string()),
                            _ => None,
                        })
                        .map(|detail| {
                            view! {
                                <p
                                    class="bc-alert bc-alert--error"
                                    role="alert"
                                    data-testid="tls-unavailable"
                                >
                                    {move || i18n.t(Msg::CheckerUnavailable)}
                                    " "
                                    <span class="bc-hint">{detail}</span>
                                </p>
                            }
                        })
                }}
            </div>
            {move || {
                report
                    .get()
                    .map(|r| {
                        let summary = r.summary.clone();
                        view! {
                            <ReportTable report=r />
                            {summary.map(|s| view! { <SummaryView summary=s /> })}
                        }
                    })
            }}
            {move || {
                ordered()
                    .map(|text| {
                        view! {
                            <div
                                class="bc-alert bc-alert--warning bc-tls__reordered"
                                data-testid="tls-reordered"
                            >
                                <p>{move || i18n.t(Msg::TlsReordered)}</p>
                                <DownloadButton
                                    text=text
                                    file_name="fullchain.pem".to_owned()
                                    media_type="application/x-pem-file"
                                    testid="tls-download-ordered"
                                />
                            </div>
                        }
                    })
            }}
        </div>
    }
}
