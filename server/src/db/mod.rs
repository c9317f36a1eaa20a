//! The embedded database: SQLite through sqlx, migrations embedded in the binary and run at start.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub mod audit;
pub mod deployments;
pub mod idempotency;
pub mod licences;
pub mod network;
pub mod projects;
pub mod purge;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod tokens;
pub mod users;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating if missing) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    let open = |source| DbError::Open {
        url: url.to_owned(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(open)?
        .create_if_missing(true)
        // WAL lets readers proceed while a request writes; NORMAL is durable under WAL except
        // for the last transactions on power loss, the usual trade-off for an embedded server.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(open)?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Begins a transaction that changes something. It takes SQLite's write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that read first cannot upgrade to writing while
/// another writer committed in between and fails with "database is locked", whereas this one
/// waits its turn (busy timeout) and then reads the latest data.
pub async fn write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// The current time as stored: RFC 3339 UTC with microseconds, so text order is time order.
pub fn now() -> String {
    stamp(chrono::Utc::now())
}

pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// `now` moved by `seconds` (negative for the past), in stored form.
pub fn offset(now: &str, seconds: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339(now)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    stamp(base + chrono::Duration::seconds(seconds))
}

/// A fresh identifier for a row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
