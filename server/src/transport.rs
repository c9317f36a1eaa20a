//! What the connection says about a request: the client's address (for throttling and audit) and
//! whether it came over HTTPS (for `Secure` cookies and HSTS). Behind a TLS-terminating proxy the
//! socket shows the proxy over plain HTTP, so both come from `X-Forwarded-*`, believed only from
//! the proxies listed in `--trusted-proxies` (the rule is `core::forwarded`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Extensions, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use byoc_core::forwarded::{client_address, forwarded_https};

use crate::config::Config;

/// Browsers keep to HTTPS for a year once they saw this over HTTPS. No `includeSubDomains`: other
/// hosts under the same domain are not ours to commit.
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Transport {
    /// `None` only when the request came without a socket (the router driven in tests).
    pub client: Option<IpAddr>,
    pub https: bool,
}

impl Transport {
    /// Judges a request from its socket peer and headers.
    pub fn judge(config: &Config, peer: Option<IpAddr>, headers: &HeaderMap) -> Transport {
        let proxies = config.trusted_proxies();
        let values = |name: &str| -> Vec<&str> {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect()
        };
        let client = peer.map(|peer| client_address(peer, &values("x-forwarded-for"), proxies));
        let proto = values("x-forwarded-proto");
        let https = config.public_url().starts_with("https://")
            || peer.is_some_and(|peer| forwarded_https(peer, proto.first().copied(), proxies));
        Transport { client, https }
    }
}

fn peer(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_canonical())
}

/// The socket's peer, whatever the headers say (for `/metrics`' loopback rule).
pub fn socket_peer(extensions: &Extensions) -> Option<IpAddr> {
    peer(extensions)
}

/// The client's address as judged by [`layer`], or the socket's when the layer did not run.
pub fn client(extensions: &Extensions) -> Option<IpAddr> {
    match extensions.get::<Transport>() {
        Some(t) => t.client,
        None => peer(extensions),
    }
}

/// Judges every request once, for handlers and [`crate::auth::RequestMeta`], and marks answers
/// given over HTTPS with `Strict-Transport-Security`.
pub async fn layer(State(config): State<Arc<Config>>, mut req: Request, next: Next) -> Response {
    let transport = Transport::judge(&config, peer(req.extensions()), req.headers());
    req.extensions_mut().insert(transport);
    let mut response = next.run(req).await;
    if transport.https {
        response
            .headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for Transport {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Transport>()
            .copied()
            .unwrap_or(Transport {
                client: peer(&parts.extensions),
                https: false,
            }))
    }
}
