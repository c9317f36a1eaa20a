//! Data transfer objects of the control-plane API: plain serde data shared by the server (which
//! produces them) and the console (which reads them). No logic lives here beyond conversions.

mod accounts;
mod deployments;
mod fields;
mod licence;
mod network;
mod overview;
mod paging;
mod problem;
mod refusals;
pub mod time;

use serde::{Deserialize, Serialize};

pub use accounts::*;
pub use deployments::*;
pub use fields::{
    DeploymentField, FormField, LicenceField, PasswordField, PeeringField, PrivateLinkField,
    ProjectField, TokenField, UserField,
};
pub use licence::*;
pub use network::*;
pub use overview::*;
pub use paging::{
    DeploymentCursor, DeploymentSort, PageLimit, AUDIT_PAGE, DEPLOYMENTS_PAGE, NETWORK_PAGE,
};
pub use problem::ProblemCode;
pub use refusals::Refusal;

use crate::catalog::{Cloud, Site};

/// `GET /api/v1/catalog`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub clouds: Vec<CatalogCloud>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogCloud {
    pub code: Cloud,
    pub name_en: String,
    pub name_zh: String,
    pub site: Site,
    pub regions: Vec<CatalogRegion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogRegion {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
}

/// `GET /healthz` and `/readyz`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// An RFC 9457 problem document (`application/problem+json`), the body of every API error.
/// `code` is stable and what clients branch on; `title`/`detail` are for people, in the language
/// the request's `Accept-Language` asks for (`en` or `zh-CN`; English when neither is
/// acceptable), named by the answer's `Content-Language`. So are the messages of `errors`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field errors for a request that failed validation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// On a 412 (stale `If-Match`): the version the resource has now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// On a refused lifecycle action (409 `action_not_allowed`): what may be done instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_actions: Vec<String>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// One invalid field (or query parameter) of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// `config.json` beside the console's `index.html`: where the control plane is, so one built
/// console can be served from a CDN and pointed at any control plane without rebuilding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleConfig {
    /// Base URL of the control plane, e.g. `https://byoc.example.com`. Empty means the same
    /// origin that served the console.
    #[serde(default)]
    pub api_base: String,
}

/// `POST /api/v1/prerequisites/tls`: the server re-checks a certificate chain. Only public
/// certificates: a body holding a private key is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TlsCheckRequest {
    pub bundle_pem: String,
    pub domain: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_omits_empty_parts_and_reads_back() {
        let p = Problem {
            kind: about_blank(),
            title: "Not found".into(),
            status: 404,
            code: ProblemCode::NotFound,
            detail: None,
            errors: vec![],
            request_id: None,
            current_version: None,
            allowed_actions: vec![],
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type":"about:blank","title":"Not found","status":404,"code":"not_found"})
        );
        assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), p);
    }

    #[test]
    fn console_config_defaults_to_same_origin() {
        let c: ConsoleConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c.api_base, "");
    }
}
