//! The OpenAPI document, generated from the handlers' annotations and the `core::api` types, and
//! served at `/api/v1/openapi.json`. A snapshot test fails when the API changes unnoticed.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BYOC Console control plane",
        description = "Deployments of a managed MQTT broker in your own cloud account. Errors are \
                       application/problem+json with a stable `code`; changes send If-Match; creates \
                       accept Idempotency-Key. Browser sessions must send X-Requested-With on changes."
    ),
    paths(
        routes::health::healthz,
        routes::health::readyz,
        routes::catalog::catalog,
        routes::prerequisites::sizing,
        routes::prerequisites::quota_table,
        routes::prerequisites::policies,
        routes::prerequisites::domain,
        routes::prerequisites::tls,
        routes::session::sign_in,
        routes::session::who_am_i,
        routes::session::sign_out,
        routes::session::change_password,
        routes::users::list,
        routes::users::one,
        routes::users::create,
        routes::users::update,
        routes::users::remove,
        routes::tokens::list,
        routes::tokens::create,
        routes::tokens::revoke,
        routes::projects::list,
        routes::projects::one,
        routes::projects::create,
        routes::projects::update,
        routes::projects::remove,
        routes::members::list,
        routes::members::put,
        routes::members::remove,
        routes::audit::list,
        routes::audit::export,
        routes::licence::show,
        routes::licence::install,
        routes::licence::public_key,
        routes::licence::history,
        routes::deployments::list::list,
        routes::deployments::create::create,
        routes::deployments::one,
        routes::deployments::actions::act,
        routes::deployments::bootstrap::guide,
        routes::deployments::bootstrap::regenerate,
        routes::network::overview,
        routes::network::peerings::list,
        routes::network::peerings::create,
        routes::network::peerings::one,
        routes::network::peerings::remove,
        routes::network::peerings::dismiss,
        routes::network::privatelinks::list,
        routes::network::privatelinks::create,
        routes::network::privatelinks::one,
        routes::network::privatelinks::remove,
        routes::network::privatelinks::dismiss,
        routes::agent::register,
        routes::agent::progress,
        routes::agent::complete,
        routes::agent::heartbeat,
        routes::network::agent::work,
        routes::network::agent::report,
    ),
    modifiers(&Security),
    security(("session" = []), ("token" = []))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "agent_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}
