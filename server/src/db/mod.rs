//! The database: SQLite through sqlx by default (embedded, migrations in the binary and run at
//! start), or PostgreSQL for teams that run several replicas.
//!
//! Every query is written once. The functions in the modules below take any connection
//! ([`Connect`]) and run their body through [`on!`], which repeats it for whichever database the
//! connection belongs to: the SQL text is shared (numbered `$1` parameters, which both read), and
//! the few statements that must differ say so where they are written.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Runs a query body on whichever database `conn` belongs to: `$c` is the concrete connection
/// (`&mut SqliteConnection` or `&mut PgConnection`), and `$pg` (when named) whether it is
/// PostgreSQL, for the statements whose SQL differs. The body is compiled once per database.
macro_rules! on {
    ($conn:expr, |$c:ident| $body:expr) => {
        on!($conn, |$c, _pg| $body)
    };
    ($conn:expr, |$c:ident, $pg:ident| $body:expr) => {
        match $crate::db::Connect::conn($conn) {
            $crate::db::Conn::Sqlite($c) => {
                #[allow(unused_variables)]
                let $pg = false;
                $body
            }
            $crate::db::Conn::Pg($c) => {
                #[allow(unused_variables)]
                let $pg = true;
                $body
            }
        }
    };
}

/// Binds a [`Statement`]'s values, in order, to a query made from its SQL.
macro_rules! bound {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                $crate::db::Arg::Text(v) => q.bind(v.as_str()),
                $crate::db::Arg::Int(v) => q.bind(*v),
                $crate::db::Arg::Time(v) => q.bind(*v),
            };
        }
        q
    }};
}

mod stamp;
pub use stamp::{parse as parse_stamp, Stamp};

pub mod agent_tokens;
pub mod audit;
pub mod bootstrap_keys;
pub mod deployments;
pub mod idempotency;
pub mod licences;
pub mod metrics;
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
/// PostgreSQL's schema: the same tables, with native types (timestamps, identities) and its own
/// trigger syntax.
static MIGRATOR_PG: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error(
        "{url}: only SQLite (sqlite://…) and PostgreSQL (postgres://…) databases are supported"
    )]
    Unsupported { url: String },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A connection to either database, as the query functions take it.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Pg(&'c mut PgConnection),
}

/// Anything a query can run on: a pooled connection, a write transaction, a bare connection.
pub trait Connect: Send {
    fn conn(&mut self) -> Conn<'_>;
}

impl Connect for SqliteConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl Connect for PgConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Pg(self)
    }
}

impl Connect for Transaction<'_, Sqlite> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl Connect for Transaction<'_, Postgres> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Pg(self)
    }
}

/// A connection taken from a pool, returned to it when dropped.
#[derive(Debug)]
pub enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Pg(PoolConnection<Postgres>),
}

impl Connect for Pooled {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Pg(c) => Conn::Pg(c),
        }
    }
}

/// Which database, and its pools.
#[derive(Clone, Debug)]
enum Pools {
    /// Readers use a pool of read-only connections (a stray write through one fails loudly), the
    /// writer its own connection, so a burst of reads never keeps the writer waiting for a
    /// connection, nor a write a reader.
    Sqlite {
        readers: SqlitePool,
        writer: SqlitePool,
    },
    Pg(PgPool),
}

/// The database: pooled connections for readers, and one turn that this process's writers take
/// in order.
///
/// SQLite allows one writer at a time. Left to itself, every waiting writer holds a pooled
/// connection and polls the file lock until its busy timeout runs out, so under load writes fail
/// with "database is locked" and readers starve for connections. Instead each writer first waits
/// for the turn (a FIFO async mutex, costing no connection and no thread while it waits), then
/// takes one connection and begins: writes queue and succeed. The busy timeout remains only for
/// other processes on the same file (replicas, the `byoc-server users …` commands).
///
/// On PostgreSQL the turn is kept (a process's writers queue without holding connections), and
/// each write transaction also takes one advisory lock, so writers of every replica take turns
/// exactly as SQLite's single writer does: the checks a write makes before it changes anything
/// (a name is free, a quota holds, no owner exists yet) stay true until it commits.
#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
    writer: Arc<Mutex<()>>,
    /// Writers waiting for the turn now (for `/metrics`).
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

/// The advisory lock every PostgreSQL write transaction holds: any fixed number, the same in
/// every replica ("BYOC" in ASCII).
const WRITERS_LOCK: i64 = 0x4259_4f43;

impl Db {
    fn with(pools: Pools) -> Db {
        Db {
            pools,
            writer: Arc::new(Mutex::new(())),
            waiting: Arc::default(),
        }
    }

    /// Connections open, and of them idle, over every pool.
    pub fn connections(&self) -> (u32, usize) {
        match &self.pools {
            Pools::Sqlite { readers, writer } => (
                readers.size() + writer.size(),
                readers.num_idle() + writer.num_idle(),
            ),
            Pools::Pg(pool) => (pool.size(), pool.num_idle()),
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.pools, Pools::Pg(_))
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

    /// Closes every connection.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { readers, writer } => {
                readers.close().await;
                writer.close().await;
            }
            Pools::Pg(pool) => pool.close().await,
        }
    }

    /// A connection for reading (read-only on SQLite).
    pub async fn acquire(&self) -> Result<Pooled, sqlx::Error> {
        Ok(match &self.pools {
            Pools::Sqlite { readers, .. } => Pooled::Sqlite(readers.acquire().await?),
            Pools::Pg(pool) => Pooled::Pg(pool.acquire().await?),
        })
    }

    /// The writer's connection, for tests and benchmarks that change rows directly; the server
    /// writes only through [`write`] and [`Db::write_alone`], which take the writers' turn.
    pub async fn acquire_writer(&self) -> Result<Pooled, sqlx::Error> {
        Ok(match &self.pools {
            Pools::Sqlite { writer, .. } => Pooled::Sqlite(writer.acquire().await?),
            Pools::Pg(pool) => Pooled::Pg(pool.acquire().await?),
        })
    }

    /// A connection for a single write statement outside a transaction (an audit entry of a
    /// refusal, a throttle record), taken in the writers' turn like a transaction. On PostgreSQL
    /// the statement is its own transaction and takes no advisory lock: these writes check
    /// nothing first, and the row locks of the statement itself keep them whole.
    pub async fn write_alone(&self) -> Result<WriteConn, sqlx::Error> {
        let turn = self.turn().await;
        let conn = self.acquire_writer().await?;
        Ok(WriteConn { conn, _turn: turn })
    }
}

/// A write transaction on either database.
#[derive(Debug)]
enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// A write transaction holding the writers' turn until it commits or is dropped (rolled back).
/// `&mut tx` is a connection for the `db::*` functions.
#[derive(Debug)]
pub struct WriteTx {
    // Field order matters: the transaction ends (or its rollback is queued) before the turn
    // passes to the next writer.
    tx: Tx,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, _turn } = self;
        match tx {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Pg(tx) => tx.commit().await,
        }
    }
}

impl Connect for WriteTx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.tx {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Pg(tx) => Conn::Pg(tx),
        }
    }
}

/// A pooled connection holding the writers' turn; see [`Db::write_alone`].
#[derive(Debug)]
pub struct WriteConn {
    conn: Pooled,
    _turn: OwnedMutexGuard<()>,
}

impl Connect for WriteConn {
    fn conn(&mut self) -> Conn<'_> {
        self.conn.conn()
    }
}

impl<T: Connect + ?Sized> Connect for &mut T {
    fn conn(&mut self) -> Conn<'_> {
        (**self).conn()
    }
}

/// Opens the database at `url` (a SQLite file, created if missing, or a PostgreSQL database) and
/// brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    // Another scheme is said plainly (naming only the scheme: the URL may hold a password),
    // rather than SQLite's parser failing on it. A bare path is a SQLite file.
    match url.split_once("://") {
        Some(("postgres" | "postgresql", _)) => connect_pg(url).await,
        Some(("sqlite", _)) | None => connect_sqlite(url).await,
        Some((scheme, _)) => Err(DbError::Unsupported {
            url: format!("{scheme}://…"),
        }),
    }
}

async fn connect_sqlite(url: &str) -> Result<Db, DbError> {
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
    Ok(Db::with(Pools::Sqlite { readers, writer }))
}

/// PostgreSQL: one pool (the server's writers take turns, so at most one of its connections
/// writes at a time). sqlx's PostgreSQL migrator holds an advisory lock while it runs, so
/// replicas starting together apply each migration once.
async fn connect_pg(url: &str) -> Result<Db, DbError> {
    // The URL may hold a password: errors name the database by host and name only.
    let open = |source| DbError::Open {
        url: redact(url),
        source,
    };
    let options = PgConnectOptions::from_str(url).map_err(open)?;
    // One connection first, so a wrong address or password is said at once (the pool would
    // keep retrying until its timeout).
    {
        use sqlx::Connection;
        let probe = PgConnection::connect_with(&options).await.map_err(open)?;
        let _ = probe.close().await;
    }
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(BUSY_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(open)?;
    MIGRATOR_PG.run(&pool).await?;
    Ok(Db::with(Pools::Pg(pool)))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => url
            .split_once("://")
            .map_or_else(|| url.to_owned(), |(scheme, _)| format!("{scheme}://…")),
    }
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

/// Brings a SQLite schema up to date once, however many replicas start together on one file.
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
/// [`Db`]). On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction
/// that read first could not upgrade to writing if another process wrote in between. On
/// PostgreSQL it takes the writers' advisory lock, released when the transaction ends.
///
/// Do the slow work (password hashing, certificate checks, validation) before calling this: the
/// turn is held until commit, and every other writer waits for it.
pub async fn write(db: &Db) -> Result<WriteTx, sqlx::Error> {
    let turn = db.turn().await;
    let tx = match &db.pools {
        Pools::Sqlite { writer, .. } => Tx::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?),
        Pools::Pg(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITERS_LOCK)
                .execute(&mut *tx)
                .await?;
            Tx::Pg(tx)
        }
    };
    Ok(WriteTx { tx, _turn: turn })
}

/// Refreshes the query planner's statistics where the tables have changed enough for them to
/// matter (`PRAGMA optimize`, bounded by `analysis_limit` so it takes milliseconds even with a
/// million audit entries). Without them SQLite cannot tell a rare filter value (one target: read
/// its index) from a common one (half the log: read newest-first and stop at a page), and picks
/// an index that makes it sort half a million rows. Run at start and by the purge task.
///
/// On PostgreSQL, `ANALYZE` of this schema's tables: autovacuum analyses a table once enough of
/// it changed, but in its own time, and until then a time window of the audit log was read a
/// month of entries newest-first (6× a page, measured with a million entries just written).
/// ANALYZE samples a bounded number of rows per table, so it takes milliseconds here too.
pub async fn optimize(db: &Db) -> Result<(), sqlx::Error> {
    if db.is_postgres() {
        let mut conn = db.acquire().await?;
        on!(&mut conn, |c| {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
                 ORDER BY tablename",
            )
            .fetch_all(&mut *c)
            .await?;
            if tables.is_empty() {
                return Ok(());
            }
            let list: Vec<String> = tables
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect();
            sqlx::query(&format!("ANALYZE {}", list.join(", ")))
                .execute(&mut *c)
                .await?;
        });
        return Ok(());
    }
    let mut conn = db.write_alone().await?;
    on!(&mut conn, |c| {
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut *c)
            .await?;
        // 0x10002: consider every table, not only those this connection has queried.
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    on!(&mut conn, |c| sqlx::query("SELECT 1")
        .execute(c)
        .await
        .map(|_| ()))
}

/// The current time as stored.
pub fn now() -> Stamp {
    Stamp(chrono::Utc::now())
}

/// A time as stored.
pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> Stamp {
    Stamp(t)
}

/// `now` moved by `seconds` (negative for the past).
pub fn offset(now: chrono::DateTime<chrono::Utc>, seconds: i64) -> Stamp {
    Stamp(now + chrono::Duration::seconds(seconds))
}

/// A fresh identifier for a row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A statement put together at run time (a list's filters), its values kept in order and named
/// `$1`, `$2`, … in the SQL, which both databases read.
#[derive(Clone, Debug, Default)]
pub struct Statement {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// A value of a [`Statement`].
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Int(i64),
    Time(Stamp),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

impl From<Stamp> for Arg {
    fn from(v: Stamp) -> Arg {
        Arg::Time(v)
    }
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Statement {
        self.sql.push_str(sql);
        self
    }

    /// Appends a value's placeholder and keeps the value.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Statement {
        self.args.push(value.into());
        self.sql.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Appends `v1, v2, …` as placeholders.
    pub fn bind_list<T: Into<Arg>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Statement {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(v);
        }
        self
    }
}
