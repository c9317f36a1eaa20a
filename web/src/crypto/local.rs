//! The answers themselves, computed with `core` in whatever thread calls them: the worker's body,
//! and what component tests plug in instead of a worker. The console's main bundle never calls
//! this, so none of the crypto is linked into it.

use byoc_core::licence::{installable, parse_public_key_pem};
use byoc_core::tls::{contains_private_key, inspect, public_bundle, TlsInput};

use byoc_core::domain::DomainName;
use byoc_core::lifecycle::spec::check_certificate;

use super::protocol::{Answer, ChainVerdict, Job, LicenceAnswer, TlsAnswer};
use byoc_core::lang::Lang;

pub fn answer(job: &Job) -> Answer {
    match job {
        Job::Tls {
            bundle,
            key,
            domain,
            at,
        } => {
            let input = TlsInput {
                bundle_pem: bundle,
                key_pem: key.as_deref(),
                domain,
            };
            let report = inspect(&input, *at);
            let public = report
                .ordered_bundle
                .clone()
                .or_else(|| public_bundle(bundle).ok())
                // `public_bundle` keeps certificates only; this guards that promise here too.
                .filter(|b| !contains_private_key(b));
            let chain = public.as_ref().and_then(|pem| {
                let domain = DomainName::parse(domain.trim()).ok()?;
                Some(ChainVerdict {
                    pem: pem.clone(),
                    domain: domain.as_str().to_owned(),
                    result: check_certificate(pem, domain.as_str(), *at),
                })
            });
            Answer::Tls(Box::new(TlsAnswer {
                report,
                bundle: public,
                chain,
            }))
        }
        Job::Licence {
            text,
            public_key_pem,
            at,
        } => Answer::Licence(licence(text, public_key_pem, *at)),
    }
}

fn licence(text: &str, public_key_pem: &str, at: chrono::DateTime<chrono::Utc>) -> LicenceAnswer {
    let Ok(key) = parse_public_key_pem(public_key_pem) else {
        return LicenceAnswer::BadKey;
    };
    match installable(text, &key, at) {
        Err(refusal) => LicenceAnswer::Refused {
            code: refusal.code().to_owned(),
            message_en: refusal.message(Lang::En),
            message_zh: refusal.message(Lang::ZhCn),
        },
        Ok(licence) => LicenceAnswer::Ready {
            payload: Box::new(licence.payload),
            line: licence.line,
        },
    }
}
