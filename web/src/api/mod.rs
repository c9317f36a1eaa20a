//! The one way the console talks to the control plane. Pages call the typed functions here and
//! never see gloo-net; every failure arrives as an [`ApiError`].

pub mod audit;
mod client;
pub mod deployments;
mod error;
pub mod idempotency;
pub mod licence;
pub mod network;
pub mod overview;
pub mod projects;
pub mod session;
pub mod tokens;
pub mod users;

use byoc_core::api::{Catalog, ConsoleConfig};
use gloo_net::http::Request;

pub use client::{on_session_lost, set_base, set_lang};
pub(crate) use client::{query, segment};
pub use error::ApiError;

/// Reads `config.json` beside `index.html`, so a console served from a CDN can point at a control
/// plane elsewhere. A missing or unreadable file means "same origin", which is the common case.
pub async fn init() {
    // From the root, like every asset trunk links (`/…`): relative to a nested page such as
    // `/deployments/<id>` it would be that page's sibling, which does not exist.
    let config = match Request::get("/config.json").send().await {
        Ok(resp) if resp.ok() => resp.json::<ConsoleConfig>().await.unwrap_or_default(),
        _ => ConsoleConfig::default(),
    };
    set_base(&config.api_base);
}

pub async fn catalog() -> Result<Catalog, ApiError> {
    client::get_json("/api/v1/catalog").await
}
