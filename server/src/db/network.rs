//! VPC peerings and PrivateLinks of deployments. States are written only from core's
//! `lifecycle::{peering, privatelink}` states, with the version as a condition.

use super::{Connect, Stamp};
use byoc_core::api::{Peering, PrivateLink};
use byoc_core::catalog::Cloud;
use byoc_core::domain::DomainName;
use byoc_core::lifecycle::peering::{self, PeeringStatus};
use byoc_core::lifecycle::privatelink::{self, PrivateLinkStatus};
use byoc_core::network::{Endpoint, PeeringSpec, Principal, PrivateLinkSpec};
use sqlx::FromRow;

fn total(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A table of a deployment's network resources: peerings or PrivateLinks, read the same way.
pub trait Stored:
    for<'r> FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
    + 'static
{
    const TABLE: &'static str;
    const COLUMNS: &'static str;
    type Status: PartialEq;
    fn status(&self) -> Self::Status;
}

impl Stored for PeeringRow {
    const TABLE: &'static str = "peerings";
    const COLUMNS: &'static str = PEERING_COLUMNS;
    type Status = PeeringStatus;
    fn status(&self) -> PeeringStatus {
        self.state().status
    }
}

impl Stored for PrivateLinkRow {
    const TABLE: &'static str = "privatelinks";
    const COLUMNS: &'static str = LINK_COLUMNS;
    type Status = PrivateLinkStatus;
    fn status(&self) -> PrivateLinkStatus {
        self.state().status
    }
}

/// One peering or link of the deployment (removed ones too: their answers name what became of
/// them).
pub async fn by_id<R: Stored>(
    conn: &mut impl Connect,
    deployment_id: &str,
    id: &str,
) -> Result<Option<R>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
            "SELECT {} FROM {} WHERE deployment_id = $1 AND id = $2",
            R::COLUMNS,
            R::TABLE
        ))
        .bind(deployment_id)
        .bind(id)
        .fetch_optional(conn)
        .await
    })
}

/// The deployment's peerings or links except removed ones, oldest first: one page and the count.
pub async fn list<R: Stored>(
    conn: &mut impl Connect,
    deployment_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<R>, u64), sqlx::Error> {
    on!(conn, |conn| {
        let rows = sqlx::query_as(&format!(
            "SELECT {} FROM {} WHERE deployment_id = $1 AND status <> 'removed' \
         ORDER BY created_at, id LIMIT $2 OFFSET $3",
            R::COLUMNS,
            R::TABLE
        ))
        .bind(deployment_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {} WHERE deployment_id = $1 AND status <> 'removed'",
            R::TABLE
        ))
        .bind(deployment_id)
        .fetch_one(conn)
        .await?;
        Ok((rows, total(n)))
    })
}

/// The deployment's peerings or links in any of `statuses`, oldest first.
pub async fn rows_in<R: Stored>(
    conn: &mut impl Connect,
    deployment_id: &str,
    statuses: &[R::Status],
) -> Result<Vec<R>, sqlx::Error> {
    on!(conn, |conn| {
        let rows: Vec<R> = sqlx::query_as(&format!(
        "SELECT {} FROM {} WHERE deployment_id = $1 AND status <> 'removed' ORDER BY created_at, id",
        R::COLUMNS,
        R::TABLE
    ))
    .bind(deployment_id)
    .fetch_all(conn)
    .await?;
        Ok(rows
            .into_iter()
            .filter(|r| statuses.contains(&r.status()))
            .collect())
    })
}

// ── peerings ─────────────────────────────────────────────────────────────────────────────────

#[derive(Clone, Debug, FromRow)]
pub struct PeeringRow {
    pub id: String,
    pub deployment_id: String,
    pub cloud: String,
    pub peer_cidr: String,
    pub peering_id: Option<String>,
    pub peer_account_id: Option<String>,
    pub peer_vpc_id: Option<String>,
    pub peer_project_id: Option<String>,
    pub peer_network: Option<String>,
    pub identity: String,
    pub description: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: Stamp,
    pub version: i64,
}

const PEERING_COLUMNS: &str = "id, deployment_id, cloud, peer_cidr, peering_id, peer_account_id, \
    peer_vpc_id, peer_project_id, peer_network, identity, description, status, reason, created_at, \
    updated_at, version";

impl PeeringRow {
    /// The lifecycle state as core sees it; an unreadable status (a damaged database) reads as
    /// failed, which the user can dismiss.
    pub fn state(&self) -> peering::State {
        peering::State {
            status: PeeringStatus::parse(&self.status).unwrap_or(PeeringStatus::Failed),
            reason: self.reason.clone(),
            requested_at: self.created_at,
        }
    }

    pub fn to_api(&self) -> Peering {
        let state = self.state();
        Peering {
            id: self.id.clone(),
            deployment_id: self.deployment_id.clone(),
            cloud: self.cloud.parse().unwrap_or(Cloud::Aws),
            peer_cidr: self.peer_cidr.clone(),
            peering_id: self.peering_id.clone(),
            peer_account_id: self.peer_account_id.clone(),
            peer_vpc_id: self.peer_vpc_id.clone(),
            peer_project_id: self.peer_project_id.clone(),
            peer_network: self.peer_network.clone(),
            description: self.description.clone(),
            allowed_actions: state.allowed_actions(),
            expires_at: state.expires_at(),
            status: state.status,
            reason: state.reason,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at.time(),
        }
    }
}

pub async fn insert_peering(
    conn: &mut impl Connect,
    deployment_id: &str,
    cloud: Cloud,
    spec: &PeeringSpec,
    now: &Stamp,
) -> Result<PeeringRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        let fields = spec.fields();
        sqlx::query(
        "INSERT INTO peerings (id, deployment_id, cloud, peer_cidr, peering_id, peer_account_id, peer_vpc_id, \
         peer_project_id, peer_network, identity, description, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&id)
    .bind(deployment_id)
    .bind(cloud.code())
    .bind(spec.peer_cidr.to_string())
    .bind(&fields.peering_id)
    .bind(&fields.peer_account_id)
    .bind(&fields.peer_vpc_id)
    .bind(&fields.peer_project_id)
    .bind(&fields.peer_network)
    .bind(spec.identity())
    .bind(&spec.description)
    .bind(PeeringStatus::PendingAcceptance.code())
    .bind(now)
    .execute(&mut *conn)
    .await?;
        by_id(conn, deployment_id, &id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    })
}

/// The deployment's peering of this peer network that is not removed, if any.
pub async fn peering_by_identity(
    conn: &mut impl Connect,
    deployment_id: &str,
    identity: &str,
) -> Result<Option<PeeringRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
        "SELECT {PEERING_COLUMNS} FROM peerings WHERE deployment_id = $1 AND identity = $2 AND status <> 'removed'"
    ))
    .bind(deployment_id)
    .bind(identity)
    .fetch_optional(conn)
    .await
    })
}

/// Writes a new state if the row is still at `expected_version`; false when someone changed it
/// first (nothing was written).
pub async fn set_peering_state(
    conn: &mut impl Connect,
    id: &str,
    expected_version: i64,
    state: &peering::State,
    now: &Stamp,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        let done = sqlx::query(
            "UPDATE peerings SET status = $3, reason = $4, updated_at = $5, version = version + 1 \
         WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(expected_version)
        .bind(state.status.code())
        .bind(&state.reason)
        .bind(now)
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

// ── PrivateLinks ─────────────────────────────────────────────────────────────────────────────

#[derive(Clone, Debug, FromRow)]
pub struct PrivateLinkRow {
    pub id: String,
    pub deployment_id: String,
    pub cloud: String,
    pub service_id: String,
    pub service_key: String,
    pub description: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub endpoint_domain: Option<String>,
    pub endpoint_ip: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub version: i64,
}

const LINK_COLUMNS: &str =
    "id, deployment_id, cloud, service_id, service_key, description, status, \
    reason, endpoint_domain, endpoint_ip, created_at, updated_at, version";

impl PrivateLinkRow {
    /// The lifecycle state as core sees it. The endpoint was checked by core before it was
    /// written, so reading it back only re-types it.
    pub fn state(&self) -> privatelink::State {
        let domain = self
            .endpoint_domain
            .as_deref()
            .and_then(|d| DomainName::parse(d).ok());
        let ip = self.endpoint_ip.as_deref().and_then(|i| i.parse().ok());
        privatelink::State {
            status: PrivateLinkStatus::parse(&self.status).unwrap_or(PrivateLinkStatus::Failed),
            reason: self.reason.clone(),
            endpoint: (domain.is_some() || ip.is_some()).then_some(Endpoint { domain, ip }),
        }
    }

    /// The answer, with the deployment's principal and zone beside it.
    pub fn to_api(&self, principal: Option<Principal>, zone: Option<String>) -> PrivateLink {
        let state = self.state();
        PrivateLink {
            id: self.id.clone(),
            deployment_id: self.deployment_id.clone(),
            cloud: self.cloud.parse().unwrap_or(Cloud::Aws),
            service_id: self.service_id.clone(),
            description: self.description.clone(),
            allowed_actions: state.allowed_actions(),
            status: state.status,
            reason: state.reason,
            endpoint_domain: self.endpoint_domain.clone(),
            endpoint_ip: self.endpoint_ip.clone(),
            principal,
            zone,
            version: self.version,
            created_at: self.created_at.time(),
            updated_at: self.updated_at.time(),
        }
    }
}

pub async fn insert_privatelink(
    conn: &mut impl Connect,
    deployment_id: &str,
    cloud: Cloud,
    spec: &PrivateLinkSpec,
    now: &Stamp,
) -> Result<PrivateLinkRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        sqlx::query(
        "INSERT INTO privatelinks (id, deployment_id, cloud, service_id, service_key, description, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(deployment_id)
    .bind(cloud.code())
    .bind(spec.service.as_str())
    .bind(spec.service.key())
    .bind(&spec.description)
    .bind(PrivateLinkStatus::PendingAcceptance.code())
    .bind(now)
    .execute(&mut *conn)
    .await?;
        by_id(conn, deployment_id, &id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    })
}

/// The deployment's link to this endpoint service that is not removed, if any.
pub async fn privatelink_by_service(
    conn: &mut impl Connect,
    deployment_id: &str,
    service_key: &str,
) -> Result<Option<PrivateLinkRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM privatelinks WHERE deployment_id = $1 AND service_key = $2 AND status <> 'removed'"
    ))
    .bind(deployment_id)
    .bind(service_key)
    .fetch_optional(conn)
    .await
    })
}

pub async fn set_privatelink_state(
    conn: &mut impl Connect,
    id: &str,
    expected_version: i64,
    state: &privatelink::State,
    now: &Stamp,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        let domain = state
            .endpoint
            .as_ref()
            .and_then(|e| e.domain.as_ref())
            .map(|d| d.as_str().to_owned());
        let ip = state
            .endpoint
            .as_ref()
            .and_then(|e| e.ip)
            .map(|ip| ip.to_string());
        let done = sqlx::query(
        "UPDATE privatelinks SET status = $3, reason = $4, endpoint_domain = $5, endpoint_ip = $6, \
         updated_at = $7, version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(expected_version)
    .bind(state.status.code())
    .bind(&state.reason)
    .bind(domain)
    .bind(ip)
    .bind(now)
    .execute(conn)
    .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// When the deployment's cloud resources are gone, so are its peerings and links.
pub async fn remove_all(
    conn: &mut impl Connect,
    deployment_id: &str,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
            "UPDATE peerings SET status = 'removed', updated_at = $2, version = version + 1 \
         WHERE deployment_id = $1 AND status <> 'removed'",
        )
        .bind(deployment_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
        "UPDATE privatelinks SET status = 'removed', endpoint_domain = NULL, endpoint_ip = NULL, \
         updated_at = $2, version = version + 1 WHERE deployment_id = $1 AND status <> 'removed'",
    )
    .bind(deployment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
        Ok(())
    })
}
