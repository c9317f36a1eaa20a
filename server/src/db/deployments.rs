//! The `deployments` table (its bootstrap keys and agent tokens are in `bootstrap_keys` and
//! `agent_tokens`).

use byoc_core::api::{
    Deployment, DeploymentOutputs, DeploymentSort, LiveStats, Progress, RangeInUse, Tag,
};
use byoc_core::catalog::Cloud;
use byoc_core::licence::DeploymentUse;

use byoc_core::lifecycle::deployment::{Operation, State, Status};
use byoc_core::lifecycle::spec::DeploymentSpec;
use byoc_core::tls::CertSummary;
use sqlx::{FromRow, Row};

use super::{Arg, Connect, Stamp, Statement};

/// One deployment as stored. Its fields are in [`COLUMNS`]' order: a list page on SQLite reads
/// each row as one JSON array of them ([`listed`]).
#[derive(Clone, Debug, FromRow, serde::Deserialize)]
pub struct DeploymentRow {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub cloud: String,
    pub region: String,
    pub vpc_cidr: String,
    pub sessions: i64,
    pub tps: i64,
    pub tier: i64,
    pub node_type: String,
    pub node_vcpu: i64,
    pub node_memory_gib: i64,
    pub nodes: i64,
    pub agent_type: String,
    pub domain: String,
    pub certificate: Option<String>,
    pub tags: String,
    pub status: String,
    pub operation: Option<String>,
    pub phase: Option<String>,
    pub percent: i64,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub cloud_account_id: Option<String>,
    pub zone: Option<String>,
    pub vpc_id: Option<String>,
    pub load_balancer: Option<String>,
    pub live_sessions: Option<i64>,
    pub live_tps: Option<i64>,
    pub live_at: Option<Stamp>,
    pub agent_last_seen_at: Option<Stamp>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub version: i64,
}

const COLUMNS: &str = "id, project_id, name, cloud, region, vpc_cidr, sessions, tps, tier, node_type, \
    node_vcpu, node_memory_gib, nodes, agent_type, domain, certificate, tags, status, operation, phase, \
    percent, reason, message, cloud_account_id, zone, vpc_id, load_balancer, live_sessions, live_tps, \
    live_at, agent_last_seen_at, created_at, updated_at, version";

/// What a list page selects. On SQLite, each row as one JSON array of [`COLUMNS`]: sqlx hands a
/// SQLite row over value by value (a copy and an allocation each, about 0.6 µs), so 34 columns
/// made a page of 50 cost 5× a single get; one text per row, parsed here, costs a tenth of that.
/// PostgreSQL sends rows in its binary protocol, which sqlx reads cheaply: the columns as they are
/// (building JSON there measured slower).
fn listed(pg: bool) -> String {
    if pg {
        COLUMNS.to_owned()
    } else {
        format!("json_array({COLUMNS})")
    }
}

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// vCPUs of the broker nodes (what a licence's `core_size` counts).
fn vcpu(nodes: i64, node_vcpu: i64) -> u32 {
    u32::try_from(nodes.saturating_mul(node_vcpu)).unwrap_or(u32::MAX)
}

impl DeploymentRow {
    /// The lifecycle state as core sees it. Only this module writes these columns, from a
    /// `State`, so an unreadable one means a damaged database: it reads as failed.
    pub fn state(&self) -> State {
        State {
            status: Status::parse(&self.status).unwrap_or(Status::Failed),
            operation: self.operation.as_deref().and_then(Operation::parse),
            phase: self.phase.clone(),
            percent: u8::try_from(self.percent).unwrap_or(0),
            reason: self.reason.clone(),
        }
    }

    pub fn cloud(&self) -> Cloud {
        self.cloud.parse().unwrap_or(Cloud::Aws)
    }

    pub fn tags(&self) -> Vec<Tag> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }

    pub fn licence_use(&self) -> DeploymentUse {
        DeploymentUse {
            sessions: unsigned(self.sessions),
            tps: unsigned(self.tps),
            vcpu: vcpu(self.nodes, self.node_vcpu),
        }
    }

    pub fn to_api(&self) -> Deployment {
        self.clone().into_api()
    }

    /// The deployment as the API shows it, its text moved rather than copied: a list page makes
    /// fifty of these.
    pub fn into_api(self) -> Deployment {
        let state = self.state();
        let certificate = self
            .certificate
            .as_deref()
            .and_then(|c| serde_json::from_str::<CertSummary>(c).ok());
        Deployment {
            cloud: self.cloud(),
            tags: self.tags(),
            id: self.id,
            project_id: self.project_id,
            name: self.name,
            region: self.region,
            vpc_cidr: self.vpc_cidr,
            sessions: unsigned(self.sessions),
            tps: unsigned(self.tps),
            tier: u8::try_from(self.tier).unwrap_or(0),
            node_type: self.node_type,
            node_vcpu: u32::try_from(self.node_vcpu).unwrap_or(0),
            node_memory_gib: u32::try_from(self.node_memory_gib).unwrap_or(0),
            nodes: u8::try_from(self.nodes).unwrap_or(0),
            agent_type: self.agent_type,
            domain: self.domain,
            certificate,
            allowed_actions: state.allowed_actions(),
            status: state.status,
            reason: state.reason,
            progress: Progress {
                operation: state.operation,
                phase: state.phase,
                percent: state.percent,
                message: self.message,
            },
            outputs: DeploymentOutputs {
                cloud_account_id: self.cloud_account_id,
                zone: self.zone,
                vpc_id: self.vpc_id,
                load_balancer: self.load_balancer,
            },
            live: match (self.live_sessions, self.live_tps, self.live_at) {
                (Some(s), Some(t), Some(at)) => Some(LiveStats {
                    sessions: unsigned(s),
                    tps: unsigned(t),
                    at: at.time(),
                }),
                _ => None,
            },
            agent_last_seen_at: self.agent_last_seen_at.map(Stamp::time),
            version: self.version,
            created_at: self.created_at.time(),
            updated_at: self.updated_at.time(),
        }
    }
}

pub async fn by_id(
    conn: &mut impl Connect,
    id: &str,
) -> Result<Option<DeploymentRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM deployments WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
    })
}

/// What the deployments that hold licence capacity use together, optionally leaving one out
/// (the one being created or started, which is counted as the new request). Read from the
/// running totals (migration 0009), so it costs the same at any number of deployments.
pub async fn licence_use(
    conn: &mut impl Connect,
    except_id: Option<&str>,
) -> Result<Vec<DeploymentUse>, sqlx::Error> {
    on!(conn, |conn| {
        let (sessions, tps, vcpu_total): (i64, i64, i64) =
            sqlx::query_as("SELECT sessions, tps, vcpu FROM licence_totals WHERE id = 1")
                .fetch_one(&mut *conn)
                .await?;
        let mut total = DeploymentUse {
            sessions: unsigned(sessions),
            tps: unsigned(tps),
            vcpu: u32::try_from(vcpu_total).unwrap_or(u32::MAX),
        };
        if let Some(id) = except_id {
            let held: Option<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT sessions, tps, nodes, node_vcpu FROM deployments WHERE id = $1 AND holds_licence = 1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
            if let Some((s, t, nodes, node_vcpu)) = held {
                total.sessions = total.sessions.saturating_sub(unsigned(s));
                total.tps = total.tps.saturating_sub(unsigned(t));
                total.vcpu = total.vcpu.saturating_sub(vcpu(nodes, node_vcpu));
            }
        }
        Ok(vec![total])
    })
}

/// Brings `holds_licence` in line with core's rule for every status, then recomputes the
/// totals from the rows. Run at start: the rule may have changed with this version.
pub async fn refresh_licence_totals(conn: &mut impl Connect) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        for status in Status::ALL {
            sqlx::query(
            "UPDATE deployments SET holds_licence = $2 WHERE status = $1 AND holds_licence <> $2",
        )
        .bind(status.code())
        .bind(i64::from(status.holds_licence()))
        .execute(&mut *conn)
        .await?;
        }
        sqlx::query(
        "UPDATE licence_totals SET \
         sessions = (SELECT COALESCE(SUM(sessions), 0) FROM deployments WHERE holds_licence = 1), \
         tps = (SELECT COALESCE(SUM(tps), 0) FROM deployments WHERE holds_licence = 1), \
         vcpu = (SELECT COALESCE(SUM(nodes * node_vcpu), 0) FROM deployments WHERE holds_licence = 1) \
         WHERE id = 1",
    )
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// The names and VPC ranges of the project's deployments (deleted ones aside), for
/// `lifecycle::spec::availability`.
pub async fn ranges_in_use(
    conn: &mut impl Connect,
    project_id: &str,
) -> Result<Vec<RangeInUse>, sqlx::Error> {
    on!(conn, |conn| {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, vpc_cidr FROM deployments WHERE project_id = $1 AND status <> 'deleted'",
        )
        .bind(project_id)
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, vpc_cidr)| RangeInUse { name, vpc_cidr })
            .collect())
    })
}

/// Whether a deployment that still exists in the project has this name (a deleted one frees
/// it). One index lookup, however many deployments the project has.
pub async fn name_taken(
    conn: &mut impl Connect,
    project_id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM deployments WHERE project_id = $1 AND name = $2 AND status <> 'deleted')",
    )
    .bind(project_id)
    .bind(name)
    .fetch_one(conn)
    .await
    })
}

pub async fn count_in_project(
    conn: &mut impl Connect,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM deployments WHERE project_id = $1 AND status <> 'deleted'",
        )
        .bind(project_id)
        .fetch_one(conn)
        .await
    })
}

pub async fn insert(
    conn: &mut impl Connect,
    project_id: &str,
    spec: &DeploymentSpec,
    now: &Stamp,
) -> Result<DeploymentRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        let state = State::new();
        let certificate = spec
            .certificate
            .as_ref()
            .and_then(|c| serde_json::to_string(c).ok());
        let tags = serde_json::to_string(&spec.tags).unwrap_or_else(|_| "[]".into());
        sqlx::query(
        "INSERT INTO deployments (id, project_id, name, cloud, region, vpc_cidr, sessions, tps, tier, node_type, \
         node_vcpu, node_memory_gib, nodes, agent_type, domain, certificate, tags, status, operation, phase, percent, \
         created_at, updated_at, holds_licence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         $15, $16, $17, $18, $19, NULL, 0, $20, $20, $21)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(spec.name.as_str())
    .bind(spec.cloud.code())
    .bind(spec.region)
    .bind(spec.vpc_cidr.to_string())
    .bind(i64::try_from(spec.sessions).unwrap_or(i64::MAX))
    .bind(i64::try_from(spec.tps).unwrap_or(i64::MAX))
    .bind(i64::from(spec.sizing.tier))
    .bind(spec.sizing.node_type.name)
    .bind(i64::from(spec.sizing.node_type.vcpu))
    .bind(i64::from(spec.sizing.node_type.memory_gib))
    .bind(i64::from(spec.sizing.nodes))
    .bind(spec.sizing.agent_type.name)
    .bind(spec.domain.as_str())
    .bind(certificate)
    .bind(tags)
    .bind(state.status.code())
    .bind(state.operation.map(Operation::code))
    .bind(now)
    .bind(i64::from(state.status.holds_licence()))
    .execute(&mut *conn)
    .await?;
        by_id(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)
    })
}

/// Writes a new lifecycle state if the row is still at `expected_version`. Returns whether it
/// was (false: someone else changed it first, and nothing was written).
pub async fn set_state(
    conn: &mut impl Connect,
    id: &str,
    expected_version: i64,
    state: &State,
    message: Option<&str>,
    now: &Stamp,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        let done = sqlx::query(
        "UPDATE deployments SET status = $3, operation = $4, phase = $5, percent = $6, reason = $7, message = $8, \
         updated_at = $9, holds_licence = $10, version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(expected_version)
    .bind(state.status.code())
    .bind(state.operation.map(Operation::code))
    .bind(&state.phase)
    .bind(i64::from(state.percent))
    .bind(&state.reason)
    .bind(message)
    .bind(now)
    .bind(i64::from(state.status.holds_licence()))
    .execute(conn)
    .await?;
        Ok(done.rows_affected() == 1)
    })
}

pub async fn set_outputs(
    conn: &mut impl Connect,
    id: &str,
    outputs: &DeploymentOutputs,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "UPDATE deployments SET cloud_account_id = COALESCE($2, cloud_account_id), zone = COALESCE($3, zone), \
         vpc_id = COALESCE($4, vpc_id), load_balancer = COALESCE($5, load_balancer) WHERE id = $1",
    )
    .bind(id)
    .bind(&outputs.cloud_account_id)
    .bind(&outputs.zone)
    .bind(&outputs.vpc_id)
    .bind(&outputs.load_balancer)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// A heartbeat: live figures and last-seen time. Not a change of the resource, so the version
/// stays (an `If-Match` taken before a heartbeat still holds).
pub async fn set_live(
    conn: &mut impl Connect,
    id: &str,
    sessions: u64,
    tps: u64,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "UPDATE deployments SET live_sessions = $2, live_tps = $3, live_at = $4, agent_last_seen_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::try_from(sessions).unwrap_or(i64::MAX))
    .bind(i64::try_from(tps).unwrap_or(i64::MAX))
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn seen(conn: &mut impl Connect, id: &str, now: &Stamp) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("UPDATE deployments SET agent_last_seen_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

/// Stopped or deleted deployments report no live figures.
pub async fn clear_live(conn: &mut impl Connect, id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("UPDATE deployments SET live_sessions = NULL, live_tps = NULL, live_at = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// How a list is narrowed and ordered.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub cloud: Option<String>,
    pub region: Option<String>,
    /// Part of the name.
    pub name: Option<String>,
    pub include_deleted: bool,
}

/// The SQL order of each of core's list orders; the ID breaks ties, so pages never overlap.
fn order_by(sort: DeploymentSort) -> &'static str {
    match sort {
        DeploymentSort::Newest => "created_at DESC, id DESC",
        DeploymentSort::Oldest => "created_at ASC, id ASC",
        DeploymentSort::Name => "name ASC, id ASC",
        DeploymentSort::NameDescending => "name DESC, id DESC",
        DeploymentSort::Status => "status ASC, name ASC, id ASC",
    }
}

fn push_filter(q: &mut Statement, project_id: &str, f: &Filter) {
    q.push(" WHERE project_id = ").bind(project_id);
    if !f.include_deleted && f.status.as_deref() != Some("deleted") {
        q.push(" AND status <> 'deleted'");
    }
    if let Some(s) = &f.status {
        q.push(" AND status = ").bind(s.as_str());
    }
    if let Some(c) = &f.cloud {
        q.push(" AND cloud = ").bind(c.as_str());
    }
    if let Some(r) = &f.region {
        q.push(" AND region = ").bind(r.as_str());
    }
    if let Some(n) = &f.name {
        // instr, not LIKE: the user's text is matched literally (no % or _ wildcards).
        // (PostgreSQL's schema defines instr as its strpos.)
        q.push(" AND instr(name, ").bind(n.as_str()).push(") > 0");
    }
}

/// The sort key of `row` in `sort`'s order: what a cursor after it carries.
pub fn sort_key(row: &DeploymentRow, sort: DeploymentSort) -> Vec<String> {
    match sort {
        DeploymentSort::Newest | DeploymentSort::Oldest => {
            vec![row.created_at.to_string(), row.id.clone()]
        }
        DeploymentSort::Name | DeploymentSort::NameDescending => {
            vec![row.name.clone(), row.id.clone()]
        }
        DeploymentSort::Status => vec![row.status.clone(), row.name.clone(), row.id.clone()],
    }
}

fn key_columns(sort: DeploymentSort) -> &'static str {
    match sort {
        DeploymentSort::Newest | DeploymentSort::Oldest => "(created_at, id)",
        DeploymentSort::Name | DeploymentSort::NameDescending => "(name, id)",
        DeploymentSort::Status => "(status, name, id)",
    }
}

/// One page of the project's deployments in `sort`'s order after `after` (a keyset: the
/// row-value comparison walks the sort's index from the last row shown, so a deep page costs
/// what the first does), at most `limit` rows; and, for the first page only (`after` is `None`),
/// how many deployments match in all: counted once per list, not per page. Where the counts the
/// triggers keep answer it ([`kept_count`]), the page's own statement reads it, one column more,
/// so a first page is one round trip to the database like any other.
pub async fn list(
    conn: &mut impl Connect,
    project_id: &str,
    filter: &Filter,
    sort: DeploymentSort,
    after: Option<&[String]>,
    limit: i64,
) -> Result<(Vec<DeploymentRow>, Option<i64>), sqlx::Error> {
    let first = after.is_none();
    let with_total = first && kept_count(filter);
    let (rows, total) = on!(&mut *conn, |c, pg| {
        let st = select("", project_id, filter, sort, after, limit, pg, with_total)?;
        if pg {
            let found = bound!(sqlx::query(&st.sql), &st.args).fetch_all(c).await?;
            let total = match found.first() {
                Some(r) if with_total => Some(r.try_get::<i64, _>("total")?),
                _ => None,
            };
            let rows = found
                .iter()
                .map(DeploymentRow::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, sqlx::Error>((rows, total))
        } else {
            let (texts, total): (Vec<String>, Option<i64>) = if with_total {
                let found: Vec<(String, i64)> = bound!(sqlx::query_as(&st.sql), &st.args)
                    .fetch_all(c)
                    .await?;
                let total = found.first().map(|r| r.1);
                (found.into_iter().map(|r| r.0).collect(), total)
            } else {
                let texts = bound!(sqlx::query_scalar(&st.sql), &st.args)
                    .fetch_all(c)
                    .await?;
                (texts, None)
            };
            let rows = texts
                .iter()
                .map(|t| {
                    serde_json::from_str(t).map_err(|e| {
                        sqlx::Error::Decode(format!("a stored deployment: {e}").into())
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((rows, total))
        }
    })?;
    let total = match (first, with_total) {
        (false, _) => None,
        // No row on a first page: nothing matches.
        (true, true) => Some(total.unwrap_or(0)),
        (true, false) => Some(count(conn, project_id, filter).await?),
    };
    Ok((rows, total))
}

/// The statement [`list`] runs on PostgreSQL (`pg`) or SQLite, after `prefix` (tests ask
/// SQLite's planner with `EXPLAIN QUERY PLAN `); with `total`, each row also carries the kept
/// count of matches as `total`. A cursor's time that is not a stored time is an error.
#[allow(clippy::too_many_arguments)]
pub fn select(
    prefix: &str,
    project_id: &str,
    filter: &Filter,
    sort: DeploymentSort,
    after: Option<&[String]>,
    limit: i64,
    pg: bool,
    total: bool,
) -> Result<Statement, sqlx::Error> {
    let mut q = Statement::new(format!("{prefix}SELECT {}", listed(pg)));
    if total {
        q.push(", (");
        push_kept_count(&mut q, project_id, filter);
        q.push(") AS total");
    }
    q.push(" FROM deployments");
    push_filter(&mut q, project_id, filter);
    if let Some(after) = after {
        let op = if sort.descending() { " < (" } else { " > (" };
        q.push(" AND ").push(key_columns(sort)).push(op);
        let by_time = sort.by_time();
        let values = after
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if by_time && i == 0 {
                    super::parse_stamp(v).map(Arg::Time)
                } else {
                    Ok(Arg::Text(v.clone()))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        q.bind_list(values).push(")");
    }
    q.push(&format!(" ORDER BY {} LIMIT ", order_by(sort)))
        .bind(limit);
    Ok(q)
}

/// Whether the counts the triggers keep by project and status (migration 0012) answer how many
/// deployments `filter` matches: narrowed at most by status.
fn kept_count(filter: &Filter) -> bool {
    filter.cloud.is_none() && filter.region.is_none() && filter.name.is_none()
}

/// The statement reading a [`kept_count`] filter's count from those counts.
fn push_kept_count(c: &mut Statement, project_id: &str, filter: &Filter) {
    c.push("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM deployment_counts WHERE project_id = ")
        .bind(project_id);
    match &filter.status {
        Some(s) => {
            c.push(" AND status = ").bind(s.as_str());
        }
        None if !filter.include_deleted => {
            c.push(" AND status <> 'deleted'");
        }
        None => {}
    }
}

/// How many of the project's deployments match: from the kept counts where they answer
/// ([`kept_count`]); a cloud, region or name filter counts the matching rows.
async fn count(
    conn: &mut impl Connect,
    project_id: &str,
    filter: &Filter,
) -> Result<i64, sqlx::Error> {
    let c = if kept_count(filter) {
        let mut c = Statement::default();
        push_kept_count(&mut c, project_id, filter);
        c
    } else {
        let mut c = Statement::new("SELECT COUNT(*) FROM deployments");
        push_filter(&mut c, project_id, filter);
        c
    };
    on!(conn, |conn| bound!(sqlx::query_scalar(&c.sql), &c.args)
        .fetch_one(conn)
        .await)
}

// ── the operation attempt, which agent tokens are bound to ───────────────────────────────────

/// The deployment's attempt: how many operations were started on it.
pub async fn attempt(conn: &mut impl Connect, deployment_id: &str) -> Result<i64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar("SELECT attempt FROM deployments WHERE id = $1")
            .bind(deployment_id)
            .fetch_one(conn)
            .await
    })
}

/// A user action began a new operation: every token issued before stops speaking for the
/// deployment at once (core::lifecycle::agent_token).
pub async fn next_attempt(conn: &mut impl Connect, deployment_id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("UPDATE deployments SET attempt = attempt + 1 WHERE id = $1")
            .bind(deployment_id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}
