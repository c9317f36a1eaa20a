//! Drives the real router over a real database: SQLite in a temporary directory, or, when
//! `BYOC_TEST_POSTGRES` names a PostgreSQL server (`cargo xtask test postgres` starts one), a
//! fresh schema of its own there, so every test sees an empty database on either.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use byoc_core::api::Problem;
use byoc_server::config::{Config, TEST_ADMIN_PASSWORD};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN_PASSWORD: &str = TEST_ADMIN_PASSWORD;

pub struct TestApp {
    pub router: Router,
    /// The same database the server uses, for tests that read or set rows directly. Write SQL
    /// both databases read: `$1` parameters, and [`time`] where a time is bound as text.
    pub db: sqlx::AnyPool,
    pub dir: tempfile::TempDir,
    /// The database URL the server was given.
    pub url: String,
    /// The server's own handle on the database, for calling `db::*` functions directly.
    pub store: byoc_server::db::Db,
}

/// The PostgreSQL server the suite runs on, if it does.
pub fn postgres() -> Option<String> {
    std::env::var("BYOC_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
}

/// Whether this run is on PostgreSQL (a few tests look at what only SQLite has: its planner,
/// text in a time column).
pub fn on_postgres() -> bool {
    postgres().is_some()
}

/// Bound parameter `$n` as a time, for SQL run through [`TestApp::db`]: the pool binds text,
/// which PostgreSQL's time columns take only when cast.
pub fn time(n: usize) -> String {
    if on_postgres() {
        format!("CAST(${n} AS TIMESTAMPTZ)")
    } else {
        format!("${n}")
    }
}

/// A time column read as text in the stored form (RFC 3339, UTC, microseconds) on either
/// database, for SQL run through [`TestApp::db`].
pub fn as_text(column: &str) -> String {
    if on_postgres() {
        format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
    } else {
        column.to_owned()
    }
}

/// A database for one test: a fresh schema on the PostgreSQL server (named in the URL's
/// `search_path`), or `None` for SQLite in the test's directory.
pub async fn fresh_database() -> Option<String> {
    let server = postgres()?;
    use sqlx::Connection;
    let schema = format!("t_{}", uuid_like());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot reach BYOC_TEST_POSTGRES: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let sep = if server.contains('?') { '&' } else { '?' };
    Some(format!("{server}{sep}options=-c%20search_path%3D{schema}"))
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The configuration tests start a server with: files in `dir`, and the suite's database (a
/// fresh one on PostgreSQL; on SQLite, the file in `dir`).
pub async fn config(dir: &std::path::Path) -> Config {
    let mut config = Config::for_tests(dir);
    config.database_url = fresh_database().await;
    config
}

/// What SQLite's planner says of a statement (`EXPLAIN QUERY PLAN …`): one line per step.
pub async fn plan(db: &sqlx::AnyPool, st: &byoc_server::db::Statement) -> Vec<String> {
    use byoc_server::db::Arg;
    let mut q = sqlx::query(&st.sql);
    for a in &st.args {
        q = match a {
            Arg::Text(v) => q.bind(v.clone()),
            Arg::Int(v) => q.bind(*v),
            Arg::Time(v) => q.bind(v.to_string()),
        };
    }
    q.fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get::<String, _>(r, "detail"))
        .collect()
}

/// A pool on `url` for reading and setting rows directly.
pub async fn any_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::<sqlx::Any>::new()
        .max_connections(2)
        .connect(url)
        .await
        .unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn problem(&self) -> Problem {
        assert_eq!(
            self.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{} {}",
            self.status,
            self.text()
        );
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Asserts the status (showing the body when it differs) and returns self.
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}", self.text());
        self
    }
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    /// The session cookie, with `X-Requested-With` as the console sends it.
    Cookie(String),
    /// The session cookie without the custom header (what a cross-site form would send).
    CookieOnly(String),
    Bearer(String),
}

pub async fn test_app() -> TestApp {
    test_app_with(|_| {}).await
}

pub async fn test_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path()).await;
    adjust(&mut config);
    let url = config.database_url();
    let state = byoc_server::prepare(config).await.unwrap();
    let db = any_pool(&url).await;
    let store = state.db.clone();
    TestApp {
        store,
        router: byoc_server::app(state),
        db,
        dir,
        url,
    }
}

/// Sends one request through any router and reads the whole answer.
pub async fn send_to(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.router.clone(), request).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.call(Method::GET, uri, &Auth::None, None, &[]).await
    }

    /// A request with JSON body (when given), authentication and extra headers.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        auth: &Auth,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        match auth {
            Auth::None => {}
            Auth::Cookie(c) => {
                req = req
                    .header(header::COOKIE, c.as_str())
                    .header("x-requested-with", "byoc-console");
            }
            Auth::CookieOnly(c) => req = req.header(header::COOKIE, c.as_str()),
            Auth::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = match body {
            Some(json) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// `GET /api/v1/projects/{project}/deployments?{query}` as `auth`, answered 200: the page.
    pub async fn deployments_page(&self, auth: &Auth, project: &str, query: &str) -> Value {
        let uri = format!("/api/v1/projects/{project}/deployments?{query}");
        self.call(Method::GET, &uri, auth, None, &[])
            .await
            .expect(StatusCode::OK)
            .json()
    }

    /// Signs in and returns the cookie to send.
    pub async fn sign_in(&self, username: &str, password: &str) -> Auth {
        let reply = self
            .call(
                Method::POST,
                "/api/v1/session",
                &Auth::None,
                Some(serde_json::json!({"username": username, "password": password})),
                &[],
            )
            .await
            .expect(StatusCode::OK);
        let set_cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
        let pair = set_cookie.split(';').next().unwrap().to_owned();
        Auth::Cookie(pair)
    }

    pub async fn admin(&self) -> Auth {
        self.sign_in("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user as `owner` and returns its JSON.
    pub async fn create_user(&self, owner: &Auth, username: &str, org_role: &str) -> Value {
        self.call(
            Method::POST,
            "/api/v1/users",
            owner,
            Some(serde_json::json!({"username": username, "password": password_of(username), "org_role": org_role})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json()
    }

    pub async fn create_project(&self, owner: &Auth, name: &str) -> Value {
        self.call(
            Method::POST,
            "/api/v1/projects",
            owner,
            Some(serde_json::json!({"name": name})),
            &[],
        )
        .await
        .expect(StatusCode::CREATED)
        .json()
    }

    pub async fn add_member(
        &self,
        admin: &Auth,
        project_id: &str,
        user_id: &str,
        role: &str,
    ) -> Value {
        self.call(
            Method::PUT,
            &format!("/api/v1/projects/{project_id}/members"),
            admin,
            Some(serde_json::json!({"user_id": user_id, "role": role})),
            &[],
        )
        .await
        .expect(StatusCode::OK)
        .json()
    }

    pub async fn audit_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// Newest audit entries first: (action, outcome).
    pub async fn audit_tail(&self, n: i64) -> Vec<(String, String)> {
        sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(n)
            .fetch_all(&self.db)
            .await
            .unwrap()
    }
}

/// The password of every user the tests create (valid, and containing no test username).
pub fn password_of(_username: &str) -> String {
    "correct horse battery staple".to_owned()
}

/// The vendor key the licensed test apps trust.
pub fn vendor_key() -> byoc_core::licence::SigningKey {
    byoc_core::licence::SigningKey::from_bytes(&[9u8; 32])
}

/// A licence line signed by [`vendor_key`], valid from `from_days` to `until_days` from now.
pub fn licence_line(
    id: &str,
    from_days: i64,
    until_days: i64,
    sessions: u64,
    tps: u64,
    cores: u32,
) -> String {
    use byoc_core::licence::{issue, LicencePayload, LicenceType};
    let now = chrono::Utc::now();
    let payload = LicencePayload {
        id: id.into(),
        kind: LicenceType::Formal,
        issued_to: "Example Ltd".into(),
        issuer_email: "licences@vendor.example".into(),
        issued_at: now + chrono::Duration::days(from_days.min(0) - 1),
        valid_from: now + chrono::Duration::days(from_days),
        valid_until: now + chrono::Duration::days(until_days),
        max_sessions: sessions,
        max_tps: tps,
        core_size: cores,
    };
    issue(&payload, &vendor_key()).unwrap()
}

/// An app that trusts [`vendor_key`], with a licence of `sessions`, `tps` and `cores` installed.
pub async fn licensed_app(sessions: u64, tps: u64, cores: u32) -> TestApp {
    let app = test_app_with(|c| {
        let path = c.data_dir.join("vendor.pem");
        std::fs::create_dir_all(&c.data_dir).unwrap();
        std::fs::write(
            &path,
            byoc_core::licence::public_key_pem(&vendor_key().verifying_key()),
        )
        .unwrap();
        c.licence_public_key = Some(path);
    })
    .await;
    let admin = app.admin().await;
    app.call(
        Method::PUT,
        "/api/v1/licence",
        &admin,
        Some(serde_json::json!({ "licence": licence_line("LIC-TEST-1", -1, 365, sessions, tps, cores) })),
        // The first installation replaces the built-in default, version 0.
        &[("if-match", "\"0\"")],
    )
    .await
    .expect(StatusCode::OK);
    app
}
