//! The whole HTTP surface as one `Router`, so tests drive exactly what production serves.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::any;
use axum::{middleware, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use utoipa_axum::router::OpenApiRouter;

use crate::error::{add_request_id, AppError};
use crate::lang::Say;
use crate::routes;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The API under `/api/v1` and the agent's `/agent/v1` (and the health checks), each route
/// declared once: its handler's `#[utoipa::path]` gives the router its path and method and the
/// OpenAPI document its operation.
pub fn documented() -> (OpenApiRouter<AppState>, OpenApiRouter<AppState>) {
    let api = OpenApiRouter::new()
        .merge(routes::catalog::routes())
        .merge(routes::prerequisites::routes())
        .merge(routes::session::routes())
        .merge(routes::users::routes())
        .merge(routes::tokens::routes())
        .merge(routes::projects::routes())
        .merge(routes::members::routes())
        .merge(routes::audit::routes())
        .merge(routes::licence::routes())
        .merge(routes::deployments::routes())
        .merge(routes::network::routes())
        .merge(routes::overview::routes());
    let outside = OpenApiRouter::new()
        .merge(routes::agent::routes())
        .merge(routes::agent::network::routes())
        .merge(routes::health::routes());
    (api, outside)
}

pub fn app(state: AppState) -> Router {
    let (api, outside) = documented();
    let (api, _) = api.split_for_parts();
    let (outside, _) = outside.split_for_parts();
    let timed = middleware::from_fn_with_state(state.clone(), crate::metrics::record);
    let outside = outside
        .merge(crate::metrics::routes())
        .route_layer(timed.clone());
    let api = api
        .merge(crate::openapi::routes())
        .route_layer(timed)
        // Anything else under /api/v1 is an API 404, never the console's index.html.
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);

    let transport = middleware::from_fn_with_state(state.config.clone(), crate::transport::layer);
    let cors = cors(&state.config.cors_origins);
    let csp = content_security_policy(&state.config.console_dir);
    let console = crate::console::service(&state.config.console_dir);

    let mut router = Router::new().nest("/api/v1", api);
    // Outside /api/v1 too, API-looking paths answer as the API does, never with the console.
    for prefix in ["/api", "/agent"] {
        router = router
            .route(prefix, any(api_not_found))
            .route(&format!("{prefix}/"), any(api_not_found))
            .route(&format!("{prefix}/{{*rest}}"), any(api_not_found));
    }
    router
        .merge(outside)
        .merge(routes::downloads::routes())
        // Other download names are not the console either.
        .route("/downloads/{*rest}", any(api_not_found))
        .fallback_service(console)
        .with_state(state)
        .layer(middleware::from_fn(crate::private_keys::refuse_private_keys))
        .layer(middleware::from_fn(add_request_id))
        // Outside every layer and handler that words a problem, so all of them answer in the
        // request's language.
        .layer(middleware::from_fn(crate::lang::negotiate))
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Outside the others, so every answer (refusals included) gets HSTS over HTTPS and every
        // layer within sees the judged client.
        .layer(transport)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost, so it runs first: a client's id is kept only if short and plain; otherwise
        // the request-id layer (next inside) makes a fresh one.
        .layer(middleware::from_fn(crate::request_id::keep_only_plain))
}

async fn api_not_found(req: Request) -> AppError {
    AppError::NotFound {
        detail: Say::NoApiResource.with(&[("path", &req.uri().path())]),
    }
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// CORS only for the configured console origins (a console served from a CDN); none by default.
fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .filter_map(|o| match HeaderValue::from_str(o) {
            Ok(v) => Some(v),
            Err(_) => {
                tracing::warn!(origin = o, "ignoring unusable CORS origin");
                None
            }
        })
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::AUTHORIZATION,
            HeaderName::from_static("x-requested-with"),
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER, REQUEST_ID])
        .max_age(Duration::from_secs(600))
}

/// A policy that lets the console run and nothing else: scripts only from this origin plus the
/// exact inline loader trunk writes into `index.html` (allowed by its SHA-256, never by
/// 'unsafe-inline'), wasm compilation, no framing.
fn content_security_policy(console_dir: &std::path::Path) -> HeaderValue {
    let index = std::fs::read_to_string(console_dir.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .iter()
        .map(|script| {
            use base64::Engine;
            use sha2::Digest;
            let digest = sha2::Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; frame-ancestors 'none'",
    ))
}

/// The text of each inline `<script>` (one without `src`) in an HTML page.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(&body[..close]);
        }
        rest = &body[close..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::inline_scripts;

    #[test]
    fn finds_inline_scripts_but_not_external_ones() {
        let html = "<script type=\"module\">\nimport init from '/a.js';\n</script><script src=\"/b.js\"></script>";
        assert_eq!(inline_scripts(html), ["\nimport init from '/a.js';\n"]);
        assert!(inline_scripts("<script>unterminated").is_empty());
    }
}
