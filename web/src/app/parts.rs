//! The console's areas as parts of its wasm, each fetched the first time it is visited, so a first
//! visit loads the shell and the sign-in form, not the wizard, the network tab or the audit log.
//!
//! Built with the `split` feature (trunk builds it so; the post-build hook, `cargo xtask
//! precompress`, runs the splitter), each area's page is a `#[wasm_split]` function: calling it
//! fetches its part first. The load is `fallible`: a part that cannot be fetched (a dropped
//! connection, or a deploy replaced the files this page was built with) becomes an error on the
//! page with a reload button, never a panic — which is why this does not use Leptos's `#[lazy]`
//! (it panics on a failed load). A failed load is not remembered, so the next visit tries again.
//!
//! Without the feature (the component tests, a plain `cargo build`), the same functions are
//! called directly: one wasm, nothing fetched.

// `#[wasm_split]` links each part through a wasm import and export it declares with
// `unsafe extern` and `#[unsafe(no_mangle)]`; nothing else in the console is unsafe.
#![allow(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::pages::access::AccessPage;
use crate::pages::audit::AuditPage;
use crate::pages::deployments::{DeploymentPage, DeploymentsPage, NewDeploymentPage};
use crate::pages::licence::LicencePage;
use crate::pages::overview::OverviewPage;
use crate::pages::prerequisites::PrerequisitesPage;
use crate::pages::projects::ProjectsPage;
use crate::pages::tokens::TokensPage;
use crate::session::guard::RequireSession;

/// A part of the console's wasm that could not be fetched. The splitter's runtime has already
/// logged why to the browser console; the page says what to do.
#[derive(Debug)]
pub struct PartMissing;

impl From<leptos::wasm_split::SplitLoaderError> for PartMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartMissing
    }
}

/// Fetching a part: done once it is there (at once when it was fetched before).
type Fetch = Pin<Box<dyn Future<Output = Result<(), PartMissing>>>>;
/// Making an area's view from its part (at once when the part is fetched).
type Make = Pin<Box<dyn Future<Output = Result<AnyView, PartMissing>>>>;

/// `$name`: the component the router shows for one area, behind sign-in; `$build`: the function
/// that builds the area's view, whose code (and what only it uses) the splitter moves into the
/// part named `$module`; `$fetch`: what fetches that part without building anything; `$page`:
/// the area's page.
macro_rules! part {
    ($name:ident, $module:ident, $build:ident, $fetch:ident, $page:ident) => {
        // One line: rustfmt re-indents this attribute further on every run when it is broken
        // over several.
        #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($fetch)))]
        fn $build() -> Result<AnyView, PartMissing> {
            Ok(view! { <$page /> }.into_any())
        }

        #[component]
        pub fn $name() -> impl IntoView {
            #[cfg(feature = "split")]
            let (fetch, make) = (
                || -> Fetch { Box::pin(async { Ok($fetch().await?) }) },
                || -> Make { Box::pin($build()) },
            );
            #[cfg(not(feature = "split"))]
            let (fetch, make) = (
                || -> Fetch { Box::pin(std::future::ready(Ok(()))) },
                || -> Make { Box::pin(std::future::ready($build())) },
            );
            // Only with a session: a signed-out visit goes to sign-in without fetching the part.
            view! {
                <RequireSession>
                    <Part fetch=fetch make=make />
                </RequireSession>
            }
        }
    };
}

// Areas seen together share a part, since pieces compress worse apart than in one wasm: the
// deployments list, one deployment's page, the create wizard and the prerequisites (the wizard
// and the prerequisites share the region, sizing, quota and policy pieces); the areas an
// administrator visits now and then. (Ten parts, one per area: all parts 951 kB as served;
// these three: 900 kB, a first visit the same.)
part!(
    OverviewPart,
    overview,
    overview_view,
    fetch_overview,
    OverviewPage
);
part!(
    DeploymentsPart,
    deployments,
    deployments_view,
    fetch_deployments,
    DeploymentsPage
);
part!(
    DeploymentPart,
    deployments,
    deployment_view,
    fetch_deployment,
    DeploymentPage
);
part!(
    NewDeploymentPart,
    deployments,
    wizard_view,
    fetch_wizard,
    NewDeploymentPage
);
part!(
    PrerequisitesPart,
    deployments,
    prerequisites_view,
    fetch_prerequisites,
    PrerequisitesPage
);
part!(
    ProjectsPart,
    admin,
    projects_view,
    fetch_projects,
    ProjectsPage
);
part!(LicencePart, admin, licence_view, fetch_licence, LicencePage);
part!(AuditPart, admin, audit_view, fetch_audit, AuditPage);
part!(AccessPart, admin, access_view, fetch_access, AccessPage);
part!(TokensPart, admin, tokens_view, fetch_tokens, TokensPage);

/// Fetches the deployments' part once the browser is idle after the console has started, so the
/// page most visits go to next (the list, after sign-in) does not wait for it: it downloads while
/// the user types their password. A failure is forgotten (the visit itself tries again).
pub fn prefetch_when_idle() {
    #[cfg(feature = "split")]
    {
        use wasm_bindgen::JsCast as _;
        let fetch = wasm_bindgen::closure::Closure::once_into_js(|| {
            leptos::task::spawn_local(async {
                let _ = fetch_deployments().await;
            });
        });
        if let Some(window) = web_sys::window() {
            let _ = window.request_idle_callback(fetch.unchecked_ref());
        }
    }
}

/// Shows "Loading…" while the part is fetched, then the page, or what to do when it cannot be
/// fetched. The fetch runs as a task of its own, not inside the view: a view can be dropped and
/// made again while the fetch is under way (the session guard re-rendering, the user moving
/// on), and a fetch dropped halfway could leave the next visit waiting on it forever.
#[component]
fn Part(fetch: fn() -> Fetch, make: fn() -> Make) -> impl IntoView {
    let i18n = use_i18n();
    let fetched = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        let there = fetch().await.is_ok();
        // The page may have been left meanwhile; then there is no one to tell.
        let _ = fetched.try_set(Some(there));
    });
    move || match fetched.get() {
        None => view! {
            <p class="bc-loading" role="status">
                {move || i18n.t(Msg::Loading)}
            </p>
        }
        .into_any(),
        // The page is made here, synchronously, so it belongs to this view as a page always
        // did: made inside a `Suspend` instead, its signals were owned apart from its effects,
        // and leaving it (the session ending) could run an effect on a signal already gone.
        Some(true) => match at_once(make()) {
            Some(Ok(page)) => page,
            Some(Err(PartMissing)) | None => view! { <PartMissingView /> }.into_any(),
        },
        Some(false) => view! { <PartMissingView /> }.into_any(),
    }
}

/// The future's output if it is ready when first asked. Making a view from a part that is
/// fetched is: the splitter's loader answers at once for a part it has loaded.
fn at_once<T>(mut future: Pin<Box<dyn Future<Output = T>>>) -> Option<T> {
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

/// What a visit shows when its part cannot be fetched. Reloading is the remedy for both causes:
/// it retries a dropped fetch, and after a deploy it loads the new `index.html` and its parts.
#[component]
pub fn PartMissingView() -> impl IntoView {
    let i18n = use_i18n();
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="bc-page">
            <div class="bc-alert bc-alert--error" role="alert">
                <p class="bc-alert__title">{move || i18n.t(Msg::PartMissing)}</p>
                <button class="bc-button" type="button" data-testid="part-reload" on:click=reload>
                    {move || i18n.t(Msg::Reload)}
                </button>
            </div>
        </section>
    }
}
