//! The network step: the VPC's address range, with suggestions, and a warning naming both ranges
//! when it overlaps another deployment of the project (the two could never be peered).

use byoc_core::api::{DeploymentField, RangeInUse};
use byoc_core::network::cidr::SUGGESTED_VPC_CIDRS;
use leptos::prelude::*;

use super::checks::Checks;
use crate::components::text_field::TextField;
use crate::i18n::{fill, use_i18n, Msg};

#[component]
pub fn NetworkStep(
    checks: Checks,
    /// The project's deployments the typed range overlaps (at most ten, by name) and how many
    /// in all, as the server answered for exactly the range typed now.
    #[prop(into)]
    overlaps: Signal<Option<(Vec<RangeInUse>, u64)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = checks.draft;
    let error = checks.error(DeploymentField::VpcCidr, move || {
        !draft.vpc_cidr.with(String::is_empty)
    });

    let overlaps = move || {
        let (clashing, total) = overlaps.get().filter(|(c, _)| !c.is_empty())?;
        let mine = draft.vpc_cidr.with(|c| c.trim().to_owned());
        let lang = i18n.lang.get();
        let mut lines: Vec<String> = clashing
            .iter()
            .map(|n| {
                fill(
                    Msg::CidrOverlap.text(lang),
                    &[("cidr", &mine), ("other", &n.vpc_cidr), ("name", &n.name)],
                )
            })
            .collect();
        let more = total.saturating_sub(clashing.len() as u64);
        if more > 0 {
            lines.push(fill(
                Msg::OverviewMore.text(lang),
                &[("count", &more.to_string())],
            ));
        }
        Some(view! {
            <div class="bc-alert bc-alert--warning" data-testid="cidr-overlap">
                {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
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
