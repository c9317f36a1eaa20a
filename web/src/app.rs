//! The application shell: header, navigation, language and theme switches, and the router.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route as RouterRoute, Router, Routes, A};
use leptos_router::StaticSegment;

use crate::components::shell_controls::ShellControls;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::not_found::NotFoundPage;
use crate::pages::prerequisites::PrerequisitesPage;
use crate::routes::Route;
use crate::theme::ThemeState;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::from_browser();
    crate::browser::set_document_lang(i18n.lang.get_untracked().tag());
    provide_context(i18n);
    provide_context(ThemeState::from_browser());

    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <RouterRoute
                        path=StaticSegment("")
                        view=|| view! { <Redirect path=Route::home().path()/> }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Prerequisites.segment())
                        view=PrerequisitesPage
                    />
                </Routes>
            </Shell>
        </Router>
    }
}

/// Header with navigation around the routed page.
#[component]
fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let nav = Route::AREAS
        .into_iter()
        .filter(|r| r.is_built())
        .map(|r| {
            view! {
                <li>
                    <A href=r.path() attr:class="bc-nav__link">
                        {move || i18n.t(r.label())}
                    </A>
                </li>
            }
        })
        .collect_view();

    view! {
        <a class="bc-skip-link" href="#main">{move || i18n.t(Msg::SkipToContent)}</a>
        <header class="bc-header">
            <a class="bc-header__brand" href="/">
                <span class="bc-header__logo" aria-hidden="true">"◆"</span>
                {move || i18n.t(Msg::AppName)}
            </a>
            <nav class="bc-nav" aria-label=move || i18n.t(Msg::MainNavigation)>
                <ul class="bc-nav__list">{nav}</ul>
            </nav>
            <ShellControls/>
        </header>
        <main id="main" class="bc-main" tabindex="-1">
            {children()}
        </main>
    }
}
