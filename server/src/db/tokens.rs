//! API tokens, found by the digest of their secret.

use byoc_core::api::ApiToken;
use sqlx::{FromRow, SqliteConnection};

use super::users::{UserRef, UserRow};
use super::Db;

#[derive(Clone, Debug, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl TokenRow {
    pub fn to_api(&self) -> ApiToken {
        ApiToken {
            id: self.id.clone(),
            name: self.name.clone(),
            created_at: self.created_at.clone(),
            expires_at: self.expires_at.clone(),
            last_used_at: self.last_used_at.clone(),
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
    now: &str,
) -> Result<Option<(String, UserRef)>, sqlx::Error> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, user_id, last_used_at FROM api_tokens WHERE secret_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
    )
    .bind(secret_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    let Some((token_id, user_id, last_used_at)) = row else {
        return Ok(None);
    };
    let user: Option<UserRow> =
        sqlx::query_as("SELECT id, username, password_hash, org_role, created_at, version FROM users WHERE id = ?1")
            .bind(&user_id)
            .fetch_optional(db.pool())
            .await?;
    let stale = super::offset(
        super::parse_stamp(now)?,
        -super::sessions::TOUCH_EVERY_SECONDS,
    );
    if last_used_at.is_none_or(|used| used < stale) {
        let mut conn = db.write_alone().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1")
            .bind(&token_id)
            .bind(now)
            .execute(&mut **conn)
            .await?;
    }
    Ok(user.map(|u| (token_id, u.to_ref())))
}

pub async fn insert(
    conn: &mut SqliteConnection,
    user_id: &str,
    name: &str,
    secret_hash: &str,
    now: &str,
    expires_at: &str,
) -> Result<TokenRow, sqlx::Error> {
    let id = super::new_id();
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
}

pub async fn by_id(conn: &mut SqliteConnection, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = ?1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn list_for_user(
    conn: &mut SqliteConnection,
    user_id: &str,
) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = ?1 ORDER BY created_at DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

pub async fn revoke(conn: &mut SqliteConnection, id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Revokes every live token of a user (a password reset, or the user asking when changing their
/// own); returns how many.
pub async fn revoke_for_user(
    conn: &mut SqliteConnection,
    user_id: &str,
    now: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}
