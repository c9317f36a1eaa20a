//! The first two steps: the name, where the deployment runs (cloud and region), and how big it
//! is (the sizing form of the Prerequisites page, with `core::sizing`'s rules).

use byoc_core::api::DeploymentField;

use super::draft::Step;
use byoc_core::catalog::{Cloud, Site};
use byoc_core::licence::{check_capacity, DeploymentUse};
use leptos::prelude::*;

use super::checks::Checks;
use super::draft::first_region;
use crate::components::sizing_form::SizingForm;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::pages::licence::state::use_licence;

#[component]
pub fn CloudStep(checks: Checks) -> impl IntoView {
    let i18n = use_i18n();
    let draft = checks.draft;
    let name_error = checks.error(DeploymentField::Name, move || {
        !draft.name.with(String::is_empty)
    });
    let cloud_error = checks.error(DeploymentField::Cloud, || false);
    let region_error = checks.error(DeploymentField::Region, || true);

    // A region belongs to one cloud: switching clouds starts at the new cloud's first region.
    Effect::new(move |previous: Option<Cloud>| {
        let cloud = draft.cloud.get();
        if previous.is_some_and(|p| p != cloud)
            && draft.region.with_untracked(|r| cloud.region(r).is_err())
        {
            draft.region.set(first_region(cloud));
        }
        cloud
    });

    let cards = Cloud::ALL
        .into_iter()
        .map(|cloud| {
            let id = format!("deployment-cloud-{}", cloud.code());
            let (label_for, testid) = (id.clone(), id.clone());
            let site = match cloud.site() {
                Site::China => Msg::SiteChina,
                Site::International => Msg::SiteInternational,
            };
            view! {
                // The test id is on the card people click: the radio itself is visually hidden.
                <label class="bc-choice" for=label_for data-testid=testid>
                    <input
                        class="bc-choice__input"
                        type="radio"
                        name="deployment-cloud"
                        id=id
                        value=cloud.code()
                        prop:checked=move || draft.cloud.get() == cloud
                        on:change=move |_| draft.cloud.set(cloud)
                    />
                    <span class="bc-choice__title">
                        {move || cloud.name().get(i18n.lang.get()).to_owned()}
                    </span>
                    <span class="bc-choice__meta">
                        <code>{cloud.code()}</code>
                        " · "
                        {move || i18n.t(site)}
                    </span>
                </label>
            }
        })
        .collect_view();

    let regions = move || {
        let lang = i18n.lang.get();
        let chosen = draft.region.get();
        draft
            .cloud
            .get()
            .regions()
            .iter()
            .map(|r| {
                let selected = r.code == chosen;
                view! {
                    <option value=r.code selected=selected>
                        {format!("{} ({})", r.name.get(lang), r.code)}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <TextField
            id="deployment-name"
            label=Msg::DeploymentName
            value=draft.name
            error=name_error
            required=true
            hint=Msg::DeploymentNameHint
        />
        <fieldset class="bc-choices" data-testid="deployment-cloud">
            <legend class="bc-choices__legend">{move || i18n.t(Msg::CloudLabel)}</legend>
            {cards}
        </fieldset>
        <p class="bc-field__error" role="alert">
            {move || cloud_error.get()}
        </p>
        <div class="bc-field">
            <label class="bc-field__label" for="deployment-region">
                {move || i18n.t(Msg::RegionName)}
            </label>
            <select
                class="bc-select"
                id="deployment-region"
                data-testid="deployment-region"
                aria-invalid=move || region_error.with(Option::is_some).to_string()
                aria-describedby="deployment-region-error"
                on:change=move |ev| draft.region.set(event_target_value(&ev))
            >
                {regions}
            </select>
            <p class="bc-field__error" id="deployment-region-error" role="alert">
                {move || region_error.get()}
            </p>
        </div>
    }
}

#[component]
pub fn SpecStep(checks: Checks) -> impl IntoView {
    let draft = checks.draft;
    let cloud = Signal::from(draft.cloud);
    // The server's word on a sizing field (rare: the browser applied the same rules).
    let server = move || {
        Step::Spec
            .fields()
            .iter()
            .copied()
            .filter_map(|f| checks.server_error(f))
            .map(|m| {
                view! {
                    <p class="bc-field__error" role="alert">
                        {m}
                    </p>
                }
            })
            .collect_view()
    };
    view! {
        <SizingForm cloud=cloud input=draft.sizing sizing=checks.sizing />
        {server}
        <LicenceRoom checks=checks testid="spec-licence-warning" />
    }
}

/// Says when the licence in force leaves no room for the deployment: `core`'s capacity rule
/// against what live deployments use now (the server decides again at create time).
#[component]
pub fn LicenceRoom(checks: Checks, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let licence = use_licence();
    let cloud = checks.draft.cloud;
    let room = move || {
        let view = licence.view()?;
        let sizing = checks.sizing.get().ok()?;
        let request = checks.draft.sizing.request(cloud.get()).ok()?;
        let used = DeploymentUse {
            sessions: view.usage.sessions.used,
            tps: view.usage.tps.used,
            vcpu: u32::try_from(view.usage.cores.used).unwrap_or(u32::MAX),
        };
        let wanted = DeploymentUse {
            sessions: request.sessions,
            tps: request.tps,
            vcpu: sizing.node_vcpu(),
        };
        let error = check_capacity(&view.licence, chrono::Utc::now(), &[used], &wanted).err()?;
        let lang = i18n.lang.get();
        Some(view! {
            <div class="bc-alert bc-alert--warning" data-testid=testid>
                <p class="bc-alert__title">{Msg::LicenceNoRoom.text(lang)}</p>
                <p class="bc-alert__detail">{error.message(lang)}</p>
            </div>
        })
    };
    view! { <div aria-live="polite">{room}</div> }
}
