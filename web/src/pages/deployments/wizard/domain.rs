//! The domain & TLS step: the domain the broker answers at (with the ICP reminder for the China
//! site's clouds) and, optionally, its certificate, checked in the browser by the TLS checker.
//! Only the public chain it hands back goes into the request; the key stays in the checker.

use byoc_core::api::DeploymentField;
use byoc_core::domain::icp_notice;
use leptos::prelude::*;

use super::checks::Checks;
use crate::components::text_field::TextField;
use crate::components::tls_checker::{CheckedCertificate, TlsChecker};
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn DomainStep(checks: Checks) -> impl IntoView {
    let i18n = use_i18n();
    let draft = checks.draft;
    let domain_error = checks.error(DeploymentField::Domain, move || {
        !draft.domain.with(String::is_empty)
    });
    let chain_error = checks.error(DeploymentField::CertificatePem, || true);
    let certificate_error = move || {
        let lang = i18n.lang.get();
        let failed = draft.certificate.with(|c| c.provided && !c.passed);
        if failed {
            Some(Msg::CertificateMustPass.text(lang).to_owned())
        } else {
            chain_error.get()
        }
    };
    let icp = move || {
        let lang = i18n.lang.get();
        icp_notice(draft.cloud.get()).map(|notice| {
            view! {
                <p class="bc-alert bc-alert--warning" data-testid="domain-icp">
                    {notice.get(lang)}
                </p>
            }
        })
    };
    view! {
        <TextField
            id="deployment-domain"
            label=Msg::DomainLabel
            value=draft.domain
            error=domain_error
            required=true
        />
        <div aria-live="polite">{icp}</div>
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::TlsHeading)}</h3>
        <p class="bc-hint">{move || i18n.t(Msg::CertificateOptional)}</p>
        <TlsChecker
            domain=Signal::derive(move || draft.domain.get().trim().to_owned())
            on_change=move |c: CheckedCertificate| draft.certificate.set(c)
        />
        <p class="bc-field__error" role="alert" data-testid="certificate-error">
            {certificate_error}
        </p>
    }
}
