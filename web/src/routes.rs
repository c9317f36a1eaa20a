//! Every page of the console as one enum, so links and the router never disagree on a path.

use byoc_core::lifecycle::deployment::Status;

use crate::api::{query, segment};
use crate::i18n::Msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Overview,
    Projects,
    Deployments,
    Prerequisites,
    Licence,
    Audit,
    Access,
    Tokens,
    /// Not an area: where a person without a session is sent.
    SignIn,
}

impl Route {
    /// The areas in navigation order (SPEC §10).
    pub const AREAS: [Route; 8] = [
        Route::Overview,
        Route::Projects,
        Route::Deployments,
        Route::Prerequisites,
        Route::Licence,
        Route::Audit,
        Route::Access,
        Route::Tokens,
    ];

    /// The path's single segment, without the leading slash.
    pub fn segment(self) -> &'static str {
        match self {
            Route::Overview => "overview",
            Route::Projects => "projects",
            Route::Deployments => "deployments",
            Route::Prerequisites => "prerequisites",
            Route::Licence => "licence",
            Route::Audit => "audit",
            Route::Access => "access",
            Route::Tokens => "tokens",
            Route::SignIn => "sign-in",
        }
    }

    pub fn path(self) -> String {
        format!("/{}", self.segment())
    }

    pub fn label(self) -> Msg {
        match self {
            Route::Overview => Msg::NavOverview,
            Route::Projects => Msg::NavProjects,
            Route::Deployments => Msg::NavDeployments,
            Route::Prerequisites => Msg::NavPrerequisites,
            Route::Licence => Msg::NavLicence,
            Route::Audit => Msg::NavAudit,
            Route::Access => Msg::NavAccess,
            Route::Tokens => Msg::NavTokens,
            Route::SignIn => Msg::SignInTitle,
        }
    }

    /// Whether the area works yet. Unbuilt areas are neither linked nor routed, so nobody follows a
    /// link into an empty page; each issue that builds an area flips its line here.
    pub fn is_built(self) -> bool {
        matches!(
            self,
            Route::Overview
                | Route::Projects
                | Route::Deployments
                | Route::Prerequisites
                | Route::Licence
                | Route::Audit
                | Route::Access
                | Route::Tokens
                | Route::SignIn
        )
    }

    /// Where `/` leads: the first built area.
    pub fn home() -> Route {
        Route::AREAS
            .into_iter()
            .find(|r| r.is_built())
            .unwrap_or(Route::Prerequisites)
    }

    /// The Deployments list of one project (the choice lives in the URL, so reloads keep it).
    pub fn deployments_of(project_id: &str) -> String {
        format!(
            "{}{}",
            Route::Deployments.path(),
            query(&[(PROJECT_QUERY, project_id)])
        )
    }

    /// The Deployments list of one project, showing only deployments in `status`.
    pub fn deployments_in(project_id: &str, status: Status) -> String {
        format!(
            "{}{}",
            Route::Deployments.path(),
            query(&[(PROJECT_QUERY, project_id), (STATUS_QUERY, status.code())])
        )
    }

    /// The create wizard, for one project.
    pub fn new_deployment(project_id: &str) -> String {
        format!(
            "{}/{NEW_SEGMENT}{}",
            Route::Deployments.path(),
            query(&[(PROJECT_QUERY, project_id)])
        )
    }

    /// One deployment's page.
    pub fn deployment(id: &str) -> String {
        format!("{}/{}", Route::Deployments.path(), segment(id))
    }

    /// One deployment's Network tab (a query, not a path: switching tabs keeps the page, and
    /// with it a bootstrap key shown only once).
    pub fn deployment_network(id: &str) -> String {
        format!(
            "{}{}",
            Route::deployment(id),
            query(&[(TAB_QUERY, NETWORK_TAB)])
        )
    }

    /// The sign-in page, remembering where to come back to.
    pub fn sign_in_then(here: &str) -> String {
        match safe_return_path(Some(here)) {
            Some(path) => format!(
                "{}?next={}",
                Route::SignIn.path(),
                String::from(js_sys::encode_uri_component(path))
            ),
            None => Route::SignIn.path(),
        }
    }
}

/// Below `/deployments`: the wizard's segment, and the parameter naming one deployment. The
/// router matches these same constants, so a link built above cannot drift from its route.
pub const NEW_SEGMENT: &str = "new";
pub const ID_PARAM: &str = "id";
/// The query parameter naming a deployment page's tab, and the Network tab's value.
pub const TAB_QUERY: &str = "tab";
pub const NETWORK_TAB: &str = "network";
/// The query parameter naming the project a Deployments page shows.
pub const PROJECT_QUERY: &str = "project";
/// The query parameter narrowing a Deployments page to one status (links from the Overview).
pub const STATUS_QUERY: &str = "status";

/// `next` if it is a path inside the console worth returning to, else `None`. Only local paths
/// are accepted, so a crafted sign-in link cannot send the user to another site afterwards
/// (`//evil.example` and `/\evil.example` are other hosts to a browser).
pub fn safe_return_path(next: Option<&str>) -> Option<&str> {
    let next = next?;
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    let is_sign_in =
        next == Route::SignIn.path() || next.starts_with(&format!("{}?", Route::SignIn.path()));
    (local && !is_sign_in && !next.chars().any(char::is_control)).then_some(next)
}
