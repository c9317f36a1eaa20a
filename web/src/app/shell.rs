//! Header with navigation and the user menu around the routed page.

use byoc_core::access::{Action, ProjectRole};
use leptos::prelude::*;
use leptos_router::components::A;

use super::user_menu::UserMenu;
use crate::components::header_menu::HeaderMenu;
use crate::components::shell_controls::ShellControls;
use crate::i18n::{use_i18n, Msg};
use crate::pages::licence::banner::ShellLicenceBanner;
use crate::routes::Route;
use crate::session::use_session;

/// Whether the signed-in user has any use for an area's link. The audit log answers only owners
/// and project admins; the rest is for everyone signed in.
fn offers(route: Route) -> impl Fn() -> bool + Copy {
    let session = use_session();
    move || match route {
        Route::Audit => {
            session.can(None, Action::ReadAllAudit)
                || session
                    .me()
                    .is_some_and(|me| me.projects.iter().any(|m| m.role == ProjectRole::Admin))
        }
        _ => session.is_signed_in(),
    }
}

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let nav = Route::AREAS
        .into_iter()
        .filter(|r| r.is_built())
        .map(|r| {
            view! {
                <Show when=offers(r)>
                    <li>
                        <A href=r.path() attr:class="bc-nav__link">
                            {move || i18n.t(r.label())}
                        </A>
                    </li>
                </Show>
            }
        })
        .collect_view();

    view! {
        <a class="bc-skip-link" href="#main">
            {move || i18n.t(Msg::SkipToContent)}
        </a>
        <header class="bc-header">
            <a class="bc-header__brand" href="/">
                <span class="bc-header__logo" aria-hidden="true">
                    "◆"
                </span>
                {move || i18n.t(Msg::AppName)}
            </a>
            <HeaderMenu>
                <nav class="bc-nav" aria-label=move || i18n.t(Msg::MainNavigation)>
                    <ul class="bc-nav__list">{nav}</ul>
                </nav>
                <ShellControls />
            </HeaderMenu>
            <Show when=move || session.is_signed_in()>
                <UserMenu />
            </Show>
        </header>
        <ShellLicenceBanner />
        <main id="main" class="bc-main" tabindex="-1">
            {children()}
        </main>
    }
}
