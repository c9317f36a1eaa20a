//! Installed licences: the one in force and its predecessors.

use super::{Connect, Stamp};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LicenceRow {
    pub line: String,
    pub installed_at: Stamp,
    pub installed_by: String,
    pub replaced_at: Option<Stamp>,
}

pub async fn current(conn: &mut impl Connect) -> Result<Option<LicenceRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(
        "SELECT line, installed_at, installed_by, replaced_at FROM licences WHERE replaced_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await
    })
}

pub async fn history(conn: &mut impl Connect) -> Result<Vec<LicenceRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(
            "SELECT line, installed_at, installed_by, replaced_at FROM licences ORDER BY id DESC",
        )
        .fetch_all(conn)
        .await
    })
}

/// The licences' version: the newest installation's row id (ids only grow), 0 before the first.
pub async fn version(conn: &mut impl Connect) -> Result<i64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM licences")
            .fetch_one(conn)
            .await
    })
}

/// Puts a licence in force; the previous one is kept as history.
pub async fn install(
    conn: &mut impl Connect,
    licence_id: &str,
    line: &str,
    installed_by: &str,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("UPDATE licences SET replaced_at = $1 WHERE replaced_at IS NULL")
            .bind(now)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO licences (licence_id, line, installed_at, installed_by) VALUES ($1, $2, $3, $4)")
        .bind(licence_id)
        .bind(line)
        .bind(now)
        .bind(installed_by)
        .execute(conn)
        .await
        .map(|_| ())
    })
}
