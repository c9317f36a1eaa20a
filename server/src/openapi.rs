//! The OpenAPI document, generated from the handlers' annotations and the `core::api` types, and
//! served at `/api/v1/openapi.json`. A snapshot test fails when the API changes unnoticed.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BYOC Console control plane",
        description = "Deployments of a managed MQTT broker in your own cloud account. Errors are \
                       application/problem+json with a stable `code`; changes send If-Match; creates \
                       accept Idempotency-Key. Browser sessions must send X-Requested-With on changes."
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

/// The problems any operation can answer, declared once here instead of on every handler: a
/// malformed request (400), a body over the route's limit (413), invalid fields or headers (422),
/// and for signed-in operations 401 and 403 (the `X-Requested-With` rule, roles); 404 where a
/// path names a resource. An operation's own description of a status wins.
struct CommonProblems;

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let names_resource = path.contains('{');
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_common_problems(operation, names_resource);
            }
        }
    }
}

fn add_common_problems(operation: &mut utoipa::openapi::path::Operation, names_resource: bool) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    // `security(())` on a handler is one empty requirement: nobody needs to sign in.
    let signed_in = operation.security.as_ref().is_none_or(|all| {
        all.iter()
            .any(|r| serde_json::to_value(r).is_ok_and(|v| v != serde_json::json!({})))
    });
    let has_body = operation.request_body.is_some();
    let mut common = vec![(
        "400",
        "Malformed request: the body is not the JSON this operation takes, or a parameter cannot be read",
    )];
    if has_body {
        common.push(("413", "The body is larger than this operation accepts"));
    }
    common.push((
        "422",
        "A field, parameter or header is invalid; errors name it",
    ));
    if signed_in {
        common.push(("401", "Not signed in, or the session or token has ended"));
        common.push((
            "403",
            "Not allowed (or X-Requested-With missing on a cookie-authenticated change)",
        ));
    }
    if names_resource {
        common.push(("404", "No such resource, or not visible to the caller"));
    }
    for (status, description) in common {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/problem+json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}

/// The document of every route the app serves: the operations come from the routes themselves
/// (`app::documented`), the rest (info, security schemes) from [`ApiDoc`]; then the problems
/// every operation can answer.
pub fn document() -> utoipa::openapi::OpenApi {
    let (api, outside) = crate::app::documented();
    let mut doc = ApiDoc::openapi();
    doc = doc.nest("/api/v1", api.into_openapi());
    doc.merge(outside.into_openapi());
    CommonProblems.modify(&mut doc);
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}
