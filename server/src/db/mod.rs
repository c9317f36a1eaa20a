//! The embedded database: SQLite through sqlx, migrations embedded in the binary and run at start.

use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub mod agent_tokens;
pub mod audit;
pub mod bootstrap_keys;
pub mod deployments;
pub mod idempotency;
pub mod licences;
pub mod network;
pub mod overview;
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
    #[error("{url}: only SQLite databases (sqlite://…) are supported; PostgreSQL is not yet")]
    Unsupported { url: String },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The database: a pool of connections for readers, and one turn that writers take in order.
///
/// SQLite allows one writer at a time. Left to itself, every waiting writer holds a pooled
/// connection and polls the file lock until its busy timeout runs out, so under load writes fail
/// with "database is locked" and readers starve for connections. Instead each writer first waits
/// for the turn (a FIFO async mutex, costing no connection and no thread while it waits), then
/// takes one connection and begins: writes queue and succeed. The busy timeout remains only for
/// other processes on the same file (the `byoc-server users …` commands).
///
/// Readers and writers use separate pools: readers a pool of read-only connections (a stray write
/// through one fails loudly), the writer its own connection, so a burst of reads never keeps the
/// writer waiting for a connection, nor a write a reader.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    write_pool: SqlitePool,
    writer: Arc<Mutex<()>>,
    /// Writers waiting for the turn now (for `/metrics`).
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

impl Deref for Db {
    type Target = SqlitePool;
    fn deref(&self) -> &SqlitePool {
        &self.pool
    }
}

impl Db {
    /// One pool for reading and writing (tools and tests that open the file themselves).
    pub fn new(pool: SqlitePool) -> Db {
        Db::split(pool.clone(), pool)
    }

    fn split(readers: SqlitePool, writer: SqlitePool) -> Db {
        Db {
            pool: readers,
            write_pool: writer,
            writer: Arc::new(Mutex::new(())),
            waiting: Arc::default(),
        }
    }

    /// How many writes are waiting for the writers' turn.
    pub fn writers_waiting(&self) -> usize {
        self.waiting.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits for the writers' turn, counted while it waits (also when the wait is abandoned,
    /// as when the client goes away).
    async fn turn(&self) -> OwnedMutexGuard<()> {
        struct Waiting(Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for Waiting {
            fn drop(&mut self) {
                self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        self.waiting
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _waiting = Waiting(self.waiting.clone());
        self.writer.clone().lock_owned().await
    }

    /// Closes the readers' and the writer's connections.
    pub async fn close(&self) {
        self.pool.close().await;
        self.write_pool.close().await;
    }

    /// The readers' pool (read-only connections).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The writer's pool, for tests and benchmarks that change rows directly; the server writes
    /// only through [`write`] and [`Db::write_alone`], which take the writers' turn.
    pub fn write_pool(&self) -> &SqlitePool {
        &self.write_pool
    }

    /// A connection for a single write statement outside a transaction (an audit entry of a
    /// refusal, a throttle record), taken in the writers' turn like a transaction.
    pub async fn write_alone(&self) -> Result<WriteConn, sqlx::Error> {
        let turn = self.turn().await;
        let conn = self.write_pool.acquire().await?;
        Ok(WriteConn { conn, _turn: turn })
    }
}

/// A write transaction holding the writers' turn until it commits or is dropped (rolled back).
/// Derefs to the transaction, so `&mut tx` is a connection for the `db::*` functions.
#[derive(Debug)]
pub struct WriteTx {
    // Field order matters: the transaction ends (or its rollback is queued) before the turn
    // passes to the next writer.
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, _turn } = self;
        tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Sqlite>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// A pooled connection holding the writers' turn; see [`Db::write_alone`].
#[derive(Debug)]
pub struct WriteConn {
    conn: PoolConnection<Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl Deref for WriteConn {
    type Target = PoolConnection<Sqlite>;
    fn deref(&self) -> &Self::Target {
        &self.conn
    }
}

impl DerefMut for WriteConn {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.conn
    }
}

/// Opens (creating if missing) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    // Another scheme is said plainly (naming only the scheme: the URL may hold a password),
    // rather than SQLite's parser failing on it. A bare path is a SQLite file.
    if let Some((scheme, _)) = url.split_once("://") {
        if scheme != "sqlite" {
            return Err(DbError::Unsupported {
                url: format!("{scheme}://…"),
            });
        }
    }
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
        // Writers of this process queue for `Db`'s turn; this covers another process writing.
        .busy_timeout(BUSY_TIMEOUT);
    // One connection writes (writers take turns anyway), opened first: it creates the file and
    // brings the schema up to date before any reader opens it.
    // Kept open for good: read-only connections need the WAL's shared-memory file, which SQLite
    // removes when the last writing connection closes.
    //
    // Opening sets WAL mode, which needs the file to itself: while another replica starting on a
    // fresh file holds its write lock, SQLite answers "database is locked" at once instead of
    // calling the busy handler (it would deadlock otherwise). So the open is tried again, for as
    // long as the busy timeout would have waited.
    let started = std::time::Instant::now();
    let writer = loop {
        let attempt = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await;
        match attempt {
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => break other.map_err(open)?,
        }
    };
    migrate(&writer).await.map_err(|e| match e {
        Migration::Lock(source) => open(source),
        Migration::Run(e) => DbError::Migrate(e),
    })?;
    let readers = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options.read_only(true))
        .await
        .map_err(open)?;
    Ok(Db::split(readers, writer))
}

/// How long a write waits for another process's lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// SQLite's SQLITE_BUSY ("database is locked").
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "5")
}

enum Migration {
    Lock(sqlx::Error),
    Run(sqlx::migrate::MigrateError),
}

/// Brings the schema up to date once, however many replicas start together on one file.
///
/// sqlx's SQLite migrator takes no lock: two processes starting on a fresh file both read "none
/// applied" and the second fails on "table already exists". So the whole run happens inside one
/// `BEGIN IMMEDIATE` transaction (each migration a savepoint in it): the next replica waits for
/// the write lock (the busy timeout), then finds every migration applied.
async fn migrate(writer: &SqlitePool) -> Result<(), Migration> {
    use sqlx::Connection;
    let mut conn = writer.acquire().await.map_err(Migration::Lock)?;
    let mut tx = conn
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(Migration::Lock)?;
    MIGRATOR.run(&mut *tx).await.map_err(Migration::Run)?;
    tx.commit().await.map_err(Migration::Lock)
}

/// Begins a transaction that changes something, after waiting for the writers' turn (see
/// [`Db`]). It takes SQLite's write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that
/// read first could not upgrade to writing if another process wrote in between.
///
/// Do the slow work (password hashing, certificate checks, validation) before calling this: the
/// turn is held until commit, and every other writer waits for it.
pub async fn write(db: &Db) -> Result<WriteTx, sqlx::Error> {
    let turn = db.turn().await;
    let tx = db.write_pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTx { tx, _turn: turn })
}

/// Refreshes the query planner's statistics where the tables have changed enough for them to
/// matter (`PRAGMA optimize`, bounded by `analysis_limit` so it takes milliseconds even with a
/// million audit entries). Without them SQLite cannot tell a rare filter value (one target: read
/// its index) from a common one (half the log: read newest-first and stop at a page), and picks
/// an index that makes it sort half a million rows. Run at start and by the purge task.
pub async fn optimize(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.write_alone().await?;
    sqlx::query("PRAGMA analysis_limit = 1000")
        .execute(&mut **conn)
        .await?;
    // 0x10002: consider every table, not only those this connection has queried.
    sqlx::query("PRAGMA optimize = 0x10002")
        .execute(&mut **conn)
        .await?;
    Ok(())
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

/// A stored time read back; anything else is an error, never a stand-in time.
pub fn parse_stamp(s: &str) -> Result<chrono::DateTime<chrono::Utc>, sqlx::Error> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| sqlx::Error::Decode(format!("not a stored time {s:?}: {e}").into()))
}

/// `now` moved by `seconds` (negative for the past), in stored form.
pub fn offset(now: chrono::DateTime<chrono::Utc>, seconds: i64) -> String {
    stamp(now + chrono::Duration::seconds(seconds))
}

/// A fresh identifier for a row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
