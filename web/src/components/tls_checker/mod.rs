//! The TLS checker (SPEC §5): the certificate file and the private key (or one combined file),
//! picked, dropped or pasted, and the domain; the report of `core::tls` updates as they change.
//!
//! Everything runs in the browser. This component makes no request at all, so the private key
//! cannot leave the machine through it; what it hands its parent ([`CheckedCertificate`]) holds
//! only public certificates. The create wizard reuses it and continues only when `passed`.

mod report;
pub mod summary;

use byoc_core::tls::{
    contains_private_key, inspect, public_bundle, CertSummary, FileKind, TlsError, TlsInput,
    TlsReport, MAX_INPUT_BYTES,
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::components::copy_download::DownloadButton;
use crate::components::text_field::TextField;
use crate::components::text_file_input::TextFileInput;
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
}

impl CheckedCertificate {
    fn from_report(report: &TlsReport, bundle_pem: &str) -> Self {
        let bundle = report
            .ordered_bundle
            .clone()
            .or_else(|| public_bundle(bundle_pem).ok())
            // `public_bundle` keeps certificates only; this guards that promise here too.
            .filter(|b| !contains_private_key(b));
        CheckedCertificate {
            provided: true,
            passed: report.passed() && report.summary.is_some(),
            bundle,
            summary: report.summary.clone(),
        }
    }
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

    let report = Memo::new(move |_| {
        let bundle = bundle.get();
        let key = key.get();
        if bundle.trim().is_empty() && key.trim().is_empty() {
            return None;
        }
        let at = now.map_or_else(Utc::now, |n| n.get());
        let domain = domain_value.get();
        let input = TlsInput {
            bundle_pem: &bundle,
            // An empty key field means "the key is in the certificate file".
            key_pem: (!key.trim().is_empty()).then_some(key.as_str()),
            domain: domain.trim(),
        };
        Some(inspect(&input, at))
    });
    let checked = Memo::new(move |_| {
        report
            .get()
            .map(|r| bundle.with(|b| CheckedCertificate::from_report(&r, b)))
            .unwrap_or_default()
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
