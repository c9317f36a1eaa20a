//! The network step: the VPC's address range, with suggestions, and a warning naming both ranges
//! when it overlaps another deployment of the project (the two could never be peered).

use byoc_core::api::DeploymentField;
use byoc_core::network::cidr::{overlapping, Cidr, SUGGESTED_VPC_CIDRS};
use leptos::prelude::*;

use super::checks::Checks;
use crate::components::text_field::TextField;
use crate::i18n::{fill, use_i18n, Msg};

/// Another deployment of the project and its range.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbour {
    pub name: String,
    pub cidr: Cidr,
}

#[component]
pub fn NetworkStep(checks: Checks, neighbours: StoredValue<Vec<Neighbour>>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = checks.draft;
    let error = checks.error(DeploymentField::VpcCidr, move || {
        !draft.vpc_cidr.with(String::is_empty)
    });

    let overlaps = move || {
        let mine = Cidr::parse(&draft.vpc_cidr.get()).ok()?;
        let lang = i18n.lang.get();
        let lines = neighbours.with_value(|all| {
            let clashing = overlapping(&mine, all.iter().map(|n| &n.cidr));
            all.iter()
                .filter(|n| clashing.contains(&n.cidr))
                .map(|n| {
                    fill(
                        Msg::CidrOverlap.text(lang),
                        &[
                            ("cidr", &mine.to_string()),
                            ("other", &n.cidr.to_string()),
                            ("name", &n.name),
                        ],
                    )
                })
                .collect::<Vec<_>>()
        });
        (!lines.is_empty()).then(|| {
            view! {
                <div class="bc-alert bc-alert--warning" data-testid="cidr-overlap">
                    {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                </div>
            }
        })
    };

    let suggestions = SUGGESTED_VPC_CIDRS
        .into_iter()
        .map(|cidr| {
            view! {
                <button
                    class="bc-button bc-button--small"
                    type="button"
                    data-testid=format!("cidr-suggestion-{cidr}")
                    aria-pressed=move || draft.vpc_cidr.with(|v| v.trim() == cidr).to_string()
                    on:click=move |_| draft.vpc_cidr.set(cidr.to_owned())
                >
                    <code>{cidr}</code>
                </button>
            }
        })
        .collect_view();

    view! {
        <TextField
            id="deployment-vpc-cidr"
            label=Msg::VpcCidr
            value=draft.vpc_cidr
            error=error
            required=true
            hint=Msg::VpcCidrHint
        />
        <div class="bc-toolbar bc-suggestions">
            <span class="bc-hint">{move || i18n.t(Msg::CidrSuggestions)}</span>
            {suggestions}
        </div>
        <div aria-live="polite">{overlaps}</div>
    }
}
