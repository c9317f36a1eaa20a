//! Sign-in attempt counts, the input and output of `core::access::throttle`.

use super::Connect;
use byoc_core::access::throttle::{self, Attempts, Scope, FORGET_AFTER_MS};

/// The key of one count: a client's count over every username has username `''`.
#[derive(Clone, Copy, Debug)]
pub struct Key<'a> {
    pub scope: Scope,
    pub client: &'a str,
    pub username: &'a str,
}

impl<'a> Key<'a> {
    pub fn account_client(username: &'a str, client: &'a str) -> Self {
        Key {
            scope: Scope::AccountClient,
            client,
            username,
        }
    }

    pub fn client(client: &'a str) -> Self {
        Key {
            scope: Scope::Client,
            client,
            username: "",
        }
    }
}

pub async fn get(conn: &mut impl Connect, key: Key<'_>) -> Result<Option<Attempts>, sqlx::Error> {
    on!(conn, |conn| {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT count, last_at_ms FROM sign_in_attempts \
         WHERE scope = $1 AND client = $2 AND username = $3",
        )
        .bind(key.scope.code())
        .bind(key.client)
        .bind(key.username)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(|(count, last_at_ms)| Attempts {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            last_at_ms,
        }))
    })
}

/// Stores a key's count, or removes it when there is nothing left to count.
pub async fn put(
    conn: &mut impl Connect,
    key: Key<'_>,
    attempts: Option<Attempts>,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        match attempts.filter(|a| a.count > 0) {
            Some(a) => sqlx::query(
                "INSERT INTO sign_in_attempts (scope, client, username, count, last_at_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, client, username) \
             DO UPDATE SET count = excluded.count, last_at_ms = excluded.last_at_ms",
            )
            .bind(key.scope.code())
            .bind(key.client)
            .bind(key.username)
            .bind(i64::from(a.count))
            .bind(a.last_at_ms)
            .execute(conn)
            .await
            .map(|_| ()),
            None => sqlx::query(
                "DELETE FROM sign_in_attempts WHERE scope = $1 AND client = $2 AND username = $3",
            )
            .bind(key.scope.code())
            .bind(key.client)
            .bind(key.username)
            .execute(conn)
            .await
            .map(|_| ()),
        }
    })
}

/// Counts the rule has forgotten are dead weight; dropping them keeps the table as small as the
/// number of clients seen in the last quarter hour.
pub async fn prune(conn: &mut impl Connect, now_ms: i64) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM sign_in_attempts WHERE last_at_ms <= $1")
            .bind(now_ms - FORGET_AFTER_MS)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

/// Forgets a username's counts from every client, and the counts of those clients too
/// (`byoc-server users unlock`): behind a proxy that is not listed as trusted, every client is the
/// proxy, so the owner's own attempts may be counted under an attacker's client. Returns how many
/// counts were dropped.
pub async fn unlock(conn: &mut impl Connect, username: &str) -> Result<u64, sqlx::Error> {
    on!(conn, |conn| {
        let username = throttle::counted_username(username);
        let clients = sqlx::query(
            "DELETE FROM sign_in_attempts WHERE scope = $1 AND client IN \
         (SELECT client FROM sign_in_attempts WHERE scope = $2 AND username = $3)",
        )
        .bind(Scope::Client.code())
        .bind(Scope::AccountClient.code())
        .bind(&username)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        let accounts =
            sqlx::query("DELETE FROM sign_in_attempts WHERE scope = $1 AND username = $2")
                .bind(Scope::AccountClient.code())
                .bind(&username)
                .execute(conn)
                .await?
                .rows_affected();
        Ok(clients + accounts)
    })
}
