//! The application: context (language, theme, session), the shell and the router. Every area
//! but sign-in sits behind `RequireSession` and is its own part of the wasm, fetched the first
//! time it is visited ([`parts`]).

pub mod parts;
mod shell;
mod user_menu;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route as RouterRoute, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

use crate::i18n::I18n;
use crate::pages::deployments::keys::IssuedKeys;
use crate::pages::licence::state::LicenceState;
use crate::pages::not_found::NotFoundPage;
use crate::pages::sign_in::SignInPage;
use crate::routes::{Route, ID_PARAM, NEW_SEGMENT};
use crate::session::Session;
use crate::theme::ThemeState;
use shell::Shell;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::from_browser();
    crate::browser::set_document_lang(i18n.lang.get_untracked().tag());
    provide_context(i18n);
    provide_context(ThemeState::from_browser());
    Session::provide();
    LicenceState::provide();
    IssuedKeys::provide();
    crate::crypto::Crypto::worker().provide();
    parts::prefetch_when_idle();

    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <RouterRoute
                        path=StaticSegment("")
                        view=|| view! { <Redirect path=Route::home().path() /> }
                    />
                    <RouterRoute path=StaticSegment(Route::SignIn.segment()) view=SignInPage />
                    <RouterRoute
                        path=StaticSegment(Route::Overview.segment())
                        view=parts::OverviewPart
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Projects.segment())
                        view=parts::ProjectsPart
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Deployments.segment())
                        view=parts::DeploymentsPart
                    />
                    // The wizard's static segment comes before the id, which would match it too.
                    <RouterRoute
                        path=(
                            StaticSegment(Route::Deployments.segment()),
                            StaticSegment(NEW_SEGMENT),
                        )
                        view=parts::NewDeploymentPart
                    />
                    <RouterRoute
                        path=(StaticSegment(Route::Deployments.segment()), ParamSegment(ID_PARAM))
                        view=parts::DeploymentPart
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Prerequisites.segment())
                        view=parts::PrerequisitesPart
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Licence.segment())
                        view=parts::LicencePart
                    />
                    <RouterRoute path=StaticSegment(Route::Audit.segment()) view=parts::AuditPart />
                    <RouterRoute
                        path=StaticSegment(Route::Access.segment())
                        view=parts::AccessPart
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Tokens.segment())
                        view=parts::TokensPart
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
