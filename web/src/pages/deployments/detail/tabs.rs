//! The deployment page's tabs: Overview and Network. The tab lives in the URL's query (`?tab=`),
//! so a reload or a shared link opens the same tab, and switching keeps the page mounted (a
//! bootstrap key shown once stays shown).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::routes::{Route, NETWORK_TAB};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Overview,
    Network,
}

impl Tab {
    /// From the `tab` query value; anything unknown is the overview.
    pub fn parse(value: Option<&str>) -> Tab {
        match value {
            Some(NETWORK_TAB) => Tab::Network,
            _ => Tab::Overview,
        }
    }
}

#[component]
pub fn DeploymentTabs(
    #[prop(into)] id: Signal<String>,
    #[prop(into)] tab: Signal<Tab>,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |which: Tab, label: Msg, testid: &'static str| {
        view! {
            <a
                class="bc-tabs__tab"
                data-testid=testid
                href=move || match which {
                    Tab::Overview => Route::deployment(&id.get()),
                    Tab::Network => Route::deployment_network(&id.get()),
                }
                aria-current=move || (tab.get() == which).then_some("page")
            >
                {move || i18n.t(label)}
            </a>
        }
    };
    view! {
        <nav class="bc-tabs" aria-label=move || i18n.t(Msg::DeploymentSections)>
            {link(Tab::Overview, Msg::TabOverview, "tab-overview")}
            {link(Tab::Network, Msg::TabNetwork, "tab-network")}
        </nav>
    }
}
