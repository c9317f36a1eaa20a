//! The application: context (language, theme, session), the shell and the router. Every area
//! but sign-in sits behind [`RequireSession`].

mod shell;
mod user_menu;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route as RouterRoute, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

use crate::i18n::I18n;
use crate::pages::access::AccessPage;
use crate::pages::audit::AuditPage;
use crate::pages::deployments::keys::IssuedKeys;
use crate::pages::deployments::{DeploymentPage, DeploymentsPage, NewDeploymentPage};
use crate::pages::licence::state::LicenceState;
use crate::pages::licence::LicencePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::overview::OverviewPage;
use crate::pages::prerequisites::PrerequisitesPage;
use crate::pages::projects::ProjectsPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::tokens::TokensPage;
use crate::routes::{Route, ID_PARAM, NEW_SEGMENT};
use crate::session::guard::RequireSession;
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
                        view=|| {
                            view! {
                                <RequireSession>
                                    <OverviewPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Projects.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <ProjectsPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Deployments.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <DeploymentsPage />
                                </RequireSession>
                            }
                        }
                    />
                    // The wizard's static segment comes before the id, which would match it too.
                    <RouterRoute
                        path=(
                            StaticSegment(Route::Deployments.segment()),
                            StaticSegment(NEW_SEGMENT),
                        )
                        view=|| {
                            view! {
                                <RequireSession>
                                    <NewDeploymentPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=(StaticSegment(Route::Deployments.segment()), ParamSegment(ID_PARAM))
                        view=|| {
                            view! {
                                <RequireSession>
                                    <DeploymentPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Prerequisites.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <PrerequisitesPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Licence.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <LicencePage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Audit.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <AuditPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Access.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <AccessPage />
                                </RequireSession>
                            }
                        }
                    />
                    <RouterRoute
                        path=StaticSegment(Route::Tokens.segment())
                        view=|| {
                            view! {
                                <RequireSession>
                                    <TokensPage />
                                </RequireSession>
                            }
                        }
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
