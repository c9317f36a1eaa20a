//! A deployment's network: its side of a connection, its VPC peerings and its PrivateLinks
//! (SPEC §6, §9).

use byoc_core::api::{
    CreatePeeringRequest, CreatePrivateLinkRequest, Peering, PeeringPage, PrivateLink,
    PrivateLinkPage, NETWORK_PAGE,
};
use gloo_net::http::Method;

use super::client::{get_json, query, segment, send_json, Preconditions, NO_BODY};
use super::ApiError;

/// The most the server answers in one page of peerings or links.
fn limit() -> String {
    NETWORK_PAGE.max.to_string()
}
/// A bound on the pages followed, so a server answering cursors forever cannot hang the tab.
const MAX_PAGES: usize = 50;

/// The two kinds of network resource a deployment has, as their paths name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Peering,
    PrivateLink,
}

impl Kind {
    fn segment(self) -> &'static str {
        match self {
            Kind::Peering => "peerings",
            Kind::PrivateLink => "privatelinks",
        }
    }
}

/// What the user can ask of one peering or link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Delete,
    Dismiss,
}

fn collection(deployment_id: &str, kind: Kind) -> String {
    format!(
        "/api/v1/deployments/{}/{}",
        segment(deployment_id),
        kind.segment()
    )
}

fn item(deployment_id: &str, kind: Kind, id: &str) -> String {
    format!("{}/{}", collection(deployment_id, kind), segment(id))
}

/// Every page of a list: `$page` type, first read from `path`, then following `next_cursor`.
macro_rules! whole_list {
    ($page:ty, $path:expr) => {{
        let path: String = $path;
        let at = |cursor: &str| {
            format!(
                "{path}{}",
                query(&[("limit", &limit()), ("cursor", cursor)])
            )
        };
        let mut page: $page = get_json(&at("")).await?;
        let mut next = page.next_cursor.take();
        for _ in 0..MAX_PAGES {
            let Some(cursor) = next.filter(|c| !c.is_empty()) else {
                break;
            };
            let more: $page = get_json(&at(&cursor)).await?;
            page.items.extend(more.items);
            next = more.next_cursor;
        }
        Ok(page)
    }};
}

/// All the deployment's peerings (removed ones are not listed) and its side of the connection.
pub async fn peerings(deployment_id: &str) -> Result<PeeringPage, ApiError> {
    whole_list!(PeeringPage, collection(deployment_id, Kind::Peering))
}

/// All the deployment's PrivateLinks and its side of the connection.
pub async fn privatelinks(deployment_id: &str) -> Result<PrivateLinkPage, ApiError> {
    whole_list!(
        PrivateLinkPage,
        collection(deployment_id, Kind::PrivateLink)
    )
}

/// Requests a peering; invalid fields are a 422 naming each, a deployment not running or the
/// same peer network peered already a 409.
pub async fn create_peering(
    deployment_id: &str,
    request: &CreatePeeringRequest,
    idempotency_key: &str,
) -> Result<Peering, ApiError> {
    send_json(
        Method::POST,
        &collection(deployment_id, Kind::Peering),
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

/// Creates a PrivateLink to an endpoint service; one per service (409 `privatelink_exists`).
pub async fn create_privatelink(
    deployment_id: &str,
    request: &CreatePrivateLinkRequest,
    idempotency_key: &str,
) -> Result<PrivateLink, ApiError> {
    send_json(
        Method::POST,
        &collection(deployment_id, Kind::PrivateLink),
        Some(request),
        Preconditions::idempotent(idempotency_key),
    )
    .await
}

/// Deletes or dismisses a peering or link at the version the user saw (412 when it moved on;
/// 409 `action_not_allowed` when its state does not allow it). The answer is the resource as it
/// now stands (`deleting`, or `removed` for a dismissal), as JSON of its kind.
pub async fn change<T: serde::de::DeserializeOwned>(
    deployment_id: &str,
    kind: Kind,
    id: &str,
    change: Change,
    version: i64,
) -> Result<T, ApiError> {
    let path = item(deployment_id, kind, id);
    let (method, path) = match change {
        Change::Delete => (Method::DELETE, path),
        Change::Dismiss => (Method::POST, format!("{path}/dismiss")),
    };
    send_json(method, &path, NO_BODY, Preconditions::version(version)).await
}
