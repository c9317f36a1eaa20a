//! Pick a cloud and see the regions offered there, named in the current language.

use byoc_core::api::{Catalog, CatalogCloud};
use byoc_core::catalog::{Cloud, Site};
use leptos::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn RegionPicker(
    catalog: Catalog,
    /// The chosen cloud; the parent owns it so later steps (sizing, quotas) can follow it.
    selected: RwSignal<Cloud>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clouds = StoredValue::new(catalog.clouds);

    let cards = clouds
        .get_value()
        .into_iter()
        .map(|cloud| {
            let code = cloud.code;
            let id = format!("cloud-{}", code.code());
            let label_for = id.clone();
            let site = match cloud.site {
                Site::China => Msg::SiteChina,
                Site::International => Msg::SiteInternational,
            };
            let name_cloud = cloud.clone();
            view! {
                <label class="bc-choice" for=label_for>
                    <input
                        class="bc-choice__input"
                        type="radio"
                        name="cloud"
                        id=id
                        value=code.code()
                        prop:checked=move || selected.get() == code
                        on:change=move |_| selected.set(code)
                    />
                    <span class="bc-choice__title">
                        {move || name_cloud.name(i18n.lang.get()).to_owned()}
                    </span>
                    <span class="bc-choice__meta">
                        <code>{code.code()}</code>
                        " · "
                        {move || i18n.t(site)}
                    </span>
                </label>
            }
        })
        .collect_view();

    let current = move || -> Option<CatalogCloud> {
        clouds.with_value(|cs| cs.iter().find(|c| c.code == selected.get()).cloned())
    };

    let regions = move || {
        let lang = i18n.lang.get();
        current().map(|cloud| {
            let count = cloud.regions.len();
            let rows = cloud
                .regions
                .iter()
                .map(|r| {
                    view! {
                        <tr>
                            <td>{r.name(lang).to_owned()}</td>
                            <td>
                                <code>{r.code.clone()}</code>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <ScrollRegion label=Msg::CatalogHeading>
                    <table class="bc-table" data-testid="region-table">
                        <caption class="bc-table__caption">
                            {i18n.t(Msg::RegionsOf)}" "{cloud.name(lang).to_owned()} " ("{count}" "
                            {i18n.t(Msg::RegionCount)}")"
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(Msg::RegionName)}</th>
                                <th scope="col">{i18n.t(Msg::RegionCode)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </ScrollRegion>
            }
        })
    };

    view! {
        <div class="bc-region-picker">
            <fieldset class="bc-choices">
                <legend class="bc-choices__legend">{move || i18n.t(Msg::CloudLabel)}</legend>
                {cards}
            </fieldset>
            <div aria-live="polite">{regions}</div>
        </div>
    }
}
