//! Every page of the console as one enum, so links and the router never disagree on a path.

use crate::i18n::Msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Overview,
    Deployments,
    Prerequisites,
    Licence,
    Audit,
    Access,
}

impl Route {
    /// The areas in navigation order (SPEC §10).
    pub const AREAS: [Route; 6] = [
        Route::Overview,
        Route::Deployments,
        Route::Prerequisites,
        Route::Licence,
        Route::Audit,
        Route::Access,
    ];

    /// The path's single segment, without the leading slash.
    pub fn segment(self) -> &'static str {
        match self {
            Route::Overview => "overview",
            Route::Deployments => "deployments",
            Route::Prerequisites => "prerequisites",
            Route::Licence => "licence",
            Route::Audit => "audit",
            Route::Access => "access",
        }
    }

    pub fn path(self) -> String {
        format!("/{}", self.segment())
    }

    pub fn label(self) -> Msg {
        match self {
            Route::Overview => Msg::NavOverview,
            Route::Deployments => Msg::NavDeployments,
            Route::Prerequisites => Msg::NavPrerequisites,
            Route::Licence => Msg::NavLicence,
            Route::Audit => Msg::NavAudit,
            Route::Access => Msg::NavAccess,
        }
    }

    /// Whether the area works yet. Unbuilt areas are neither linked nor routed, so nobody follows a
    /// link into an empty page; each issue that builds an area flips its line here.
    pub fn is_built(self) -> bool {
        matches!(self, Route::Prerequisites)
    }

    /// Where `/` leads: the first built area.
    pub fn home() -> Route {
        Route::AREAS
            .into_iter()
            .find(|r| r.is_built())
            .unwrap_or(Route::Prerequisites)
    }
}
