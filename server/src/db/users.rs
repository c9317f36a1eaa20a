//! Users.

use super::{Connect, Stamp};
use byoc_core::access::OrgRole;
use byoc_core::api::User;
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub org_role: OrgRoleCol,
    pub created_at: Stamp,
    pub version: i64,
}

/// `org_role` as stored; the column's CHECK constraint keeps it to the two codes.
#[derive(Clone, Copy, Debug)]
pub struct OrgRoleCol(pub OrgRole);

impl TryFrom<String> for OrgRoleCol {
    type Error = byoc_core::access::ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse().map(OrgRoleCol)
    }
}

/// The part of a user the rest of the server needs.
#[derive(Clone, Debug)]
pub struct UserRef {
    pub id: String,
    pub username: String,
    pub org_role: OrgRole,
}

impl UserRow {
    pub fn to_api(&self) -> User {
        User {
            id: self.id.clone(),
            username: self.username.clone(),
            org_role: self.org_role.0,
            created_at: self.created_at.time(),
            version: self.version,
        }
    }

    pub fn to_ref(&self) -> UserRef {
        UserRef {
            id: self.id.clone(),
            username: self.username.clone(),
            org_role: self.org_role.0,
        }
    }
}

const COLUMNS: &str = "id, username, password_hash, org_role, created_at, version";

/// How many users there are.
pub async fn count(conn: &mut impl Connect) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(c)
        .await)
}

pub async fn by_username(
    conn: &mut impl Connect,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(conn)
            .await
    })
}

pub async fn by_id(conn: &mut impl Connect, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
    })
}

pub async fn list(conn: &mut impl Connect) -> Result<Vec<UserRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users ORDER BY username"))
            .fetch_all(conn)
            .await
    })
}

pub async fn insert(
    conn: &mut impl Connect,
    username: &str,
    password_hash: &str,
    org_role: OrgRole,
    now: &Stamp,
) -> Result<UserRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        sqlx::query(
            "INSERT INTO users (id, username, password_hash, org_role, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(&id)
        .bind(username)
        .bind(password_hash)
        .bind(org_role.code())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        by_id(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)
    })
}

/// Applies a change and bumps the version.
pub async fn update(
    conn: &mut impl Connect,
    id: &str,
    org_role: Option<OrgRole>,
    password_hash: Option<&str>,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "UPDATE users SET org_role = COALESCE($2, org_role), password_hash = COALESCE($3, password_hash), \
         updated_at = $4, version = version + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(org_role.map(OrgRole::code))
    .bind(password_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn delete(conn: &mut impl Connect, id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

pub async fn owner_count(conn: &mut impl Connect) -> Result<i64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE org_role = 'owner'")
            .fetch_one(conn)
            .await
    })
}
