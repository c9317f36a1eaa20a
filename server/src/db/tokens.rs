//! API tokens, found by the digest of their secret.

use super::{Connect, Stamp};
use byoc_core::api::ApiToken;
use sqlx::FromRow;

use super::users::{UserRef, UserRow};
use super::Db;

#[derive(Clone, Debug, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: Stamp,
    pub expires_at: Stamp,
    pub last_used_at: Option<Stamp>,
    pub revoked_at: Option<Stamp>,
}

impl TokenRow {
    pub fn to_api(&self) -> ApiToken {
        ApiToken {
            id: self.id.clone(),
            name: self.name.clone(),
            created_at: self.created_at.time(),
            expires_at: self.expires_at.time(),
            last_used_at: self.last_used_at.map(Stamp::time),
            revoked: self.revoked_at.is_some(),
        }
    }
}

const COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

/// The token's id and user when it is known, not revoked and not expired; records the use at
/// most once a minute (so automation reading in a loop costs no writes).
pub async fn authenticate(
    db: &Db,
    secret_hash: &str,
    now: &Stamp,
) -> Result<Option<(String, UserRef)>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let row: Option<(String, String, Option<Stamp>)> = on!(&mut conn, |c| {
        sqlx::query_as(
        "SELECT id, user_id, last_used_at FROM api_tokens WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(secret_hash)
    .bind(now)
    .fetch_optional(c)
    .await
    })?;
    let Some((token_id, user_id, last_used_at)) = row else {
        return Ok(None);
    };
    let user: Option<UserRow> = on!(&mut conn, |c| {
        sqlx::query_as(
        "SELECT id, username, password_hash, org_role, created_at, version FROM users WHERE id = $1"
    )
    .bind(&user_id)
    .fetch_optional(c)
    .await
    })?;
    drop(conn);
    let stale = super::offset(now.time(), -super::sessions::TOUCH_EVERY_SECONDS);
    if last_used_at.is_none_or(|used| used < stale) {
        let mut conn = db.write_alone().await?;
        on!(&mut conn, |c| sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
        )
        .bind(&token_id)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(user.map(|u| (token_id, u.to_ref())))
}

pub async fn insert(
    conn: &mut impl Connect,
    user_id: &str,
    name: &str,
    secret_hash: &str,
    now: &Stamp,
    expires_at: &Stamp,
) -> Result<TokenRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(name)
    .bind(secret_hash)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
        by_id(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)
    })
}

pub async fn by_id(conn: &mut impl Connect, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
    })
}

pub async fn list_for_user(
    conn: &mut impl Connect,
    user_id: &str,
) -> Result<Vec<TokenRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC"
        ))
        .bind(user_id)
        .fetch_all(conn)
        .await
    })
}

pub async fn revoke(conn: &mut impl Connect, id: &str, now: &Stamp) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

/// Revokes every live token of a user (a password reset, or the user asking when changing their
/// own); returns how many.
pub async fn revoke_for_user(
    conn: &mut impl Connect,
    user_id: &str,
    now: &Stamp,
) -> Result<u64, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })
}
