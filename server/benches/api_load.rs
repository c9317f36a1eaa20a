//! The API under load (issue 7, item 6; issue 17): the control plane on a loopback socket over
//! SQLite (or, when `BYOC_BENCH_POSTGRES` names a server, a fresh schema on PostgreSQL; `cargo
//! xtask bench api` runs both) with 10,000 and then 100,000 deployments, and a load generator in the same process
//! sending a fixed number of requests from 16 concurrent clients to the list (first page, 40
//! pages deep, filtered; kept by `page_cache` and, from a second server on the same database that
//! keeps none, read each time) and get endpoints, each with its cost as a multiple of a get; then writes (hardening
//! issue): 100 concurrent clients creating deployments in one project and signing in. Prints
//! requests per second and p50 / p99 latency. Bounded in count and time; only 127.0.0.1 is
//! ever contacted.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, Request};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// The list's sizes the reads are measured at.
const DEPLOYMENTS: [usize; 2] = [10_000, 100_000];
const REQUESTS: usize = 4_000;
const AUDIT_ENTRIES: i64 = 1_000_000;
const CONCURRENCY: usize = 16;
const TIME_LIMIT: Duration = Duration::from_secs(60);

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>;

async fn sign_in(base: &str) -> String {
    let client = Client::builder(TokioExecutor::new()).build_http::<Body>();
    let body = serde_json::json!({"username": "admin", "password": byoc_server::config::TEST_ADMIN_PASSWORD});
    let req = Request::post(format!("{base}/api/v1/session"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let resp = client.request(req).await.expect("sign in");
    let cookie = resp.headers()[header::SET_COOKIE].to_str().expect("cookie");
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The PostgreSQL server to measure on instead of SQLite, if any.
fn postgres() -> Option<String> {
    std::env::var("BYOC_BENCH_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
}

fn database() -> &'static str {
    if postgres().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// A configuration on a fresh database: SQLite in `dir`, or a new schema on the PostgreSQL
/// server (named by the URL's `search_path`).
async fn config(dir: &std::path::Path) -> byoc_server::config::Config {
    let mut config = byoc_server::config::Config::for_tests(dir);
    if let Some(server) = postgres() {
        use sqlx::Connection;
        let schema = format!(
            "bench_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("time")
                .as_millis()
        );
        let mut admin = sqlx::PgConnection::connect(&server)
            .await
            .expect("BYOC_BENCH_POSTGRES");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("schema");
        let sep = if server.contains('?') { '&' } else { '?' };
        config.database_url = Some(format!("{server}{sep}options=-c%20search_path%3D{schema}"));
    }
    config
}

/// Writers for the write figures; each sends `WRITES / WRITERS` requests.
const WRITERS: usize = 100;
const WRITES: usize = 2_000;

type BodyClient = Client<hyper_util::client::legacy::connect::HttpConnector, Body>;

/// `WRITES` POSTs from `WRITERS` concurrent clients; request `i` sends `body(i)` to `url(i)`.
/// Every answer that is not a success counts as an error.
async fn write_load(
    client: &BodyClient,
    cookie: &str,
    url: impl Fn(usize) -> String,
    body: impl Fn(usize) -> String,
) -> (Vec<Duration>, Duration, usize) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..WRITERS {
        let client = client.clone();
        let cookie = cookie.to_owned();
        let requests: Vec<(usize, String, String)> = (worker..WRITES)
            .step_by(WRITERS)
            .map(|i| (i, url(i), body(i)))
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0;
            for (i, url, body) in requests {
                if started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                // Each request from its own client behind the trusted loopback proxy, so the
                // sign-in throttle (per client) measures argon2, not the throttle.
                let client_ip = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
                let req = Request::post(&url)
                    .header(header::COOKIE, &cookie)
                    .header("x-forwarded-for", client_ip)
                    .header("x-requested-with", "bench")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .expect("request");
                match client.request(req).await {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.into_body().collect().await;
                        times.push(t.elapsed());
                    }
                    Ok(resp) => {
                        if errors == 0 {
                            eprintln!("first refusal: {} {url}", resp.status());
                        }
                        errors += 1;
                    }
                    Err(e) => {
                        if errors == 0 {
                            eprintln!("first failure: {e} {url}");
                        }
                        errors += 1;
                    }
                }
            }
            (times, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (times, e) = t.await.expect("writer");
        all.extend(times);
        errors += e;
    }
    (all, started.elapsed(), errors)
}

/// The write figures on a fresh server: creates in one project under a roomy licence, then
/// sign-ins (argon2 on the blocking pool).
async fn writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vendor = byoc_core::licence::SigningKey::from_bytes(&[5u8; 32]);
    let key_path = dir.path().join("vendor.pem");
    std::fs::write(
        &key_path,
        byoc_core::licence::public_key_pem(&vendor.verifying_key()),
    )
    .expect("vendor key");
    let mut config = config(dir.path()).await;
    config.licence_public_key = Some(key_path);
    config.trusted_proxies = Some("127.0.0.1".parse().expect("proxy"));
    let state = byoc_server::prepare(config).await.expect("server state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = byoc_server::app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    let cookie = sign_in(&base).await;
    let client: BodyClient = Client::builder(TokioExecutor::new()).build_http();
    let now = chrono::Utc::now();
    let payload = byoc_core::licence::LicencePayload {
        id: "LIC-BENCH".into(),
        kind: byoc_core::licence::LicenceType::Trial,
        issued_to: "Benchmark".into(),
        issuer_email: "vendor@example.com".into(),
        issued_at: now - chrono::Duration::days(1),
        valid_from: now - chrono::Duration::days(1),
        valid_until: now + chrono::Duration::days(30),
        max_sessions: u64::MAX / 4,
        max_tps: u64::MAX / 4,
        core_size: u32::MAX / 4,
    };
    let line = byoc_core::licence::issue(&payload, &vendor).expect("licence");
    let etag = {
        let req = Request::get(format!("{base}/api/v1/licence"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request");
        let resp = client.request(req).await.expect("licence");
        resp.headers().get(header::ETAG).cloned()
    };
    let mut install = Request::put(format!("{base}/api/v1/licence"))
        .header(header::COOKIE, &cookie)
        .header("x-requested-with", "bench")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(tag) = etag {
        install = install.header(header::IF_MATCH, tag);
    }
    let resp = client
        .request(
            install
                .body(Body::from(
                    serde_json::json!({ "licence": line }).to_string(),
                ))
                .expect("request"),
        )
        .await
        .expect("install");
    assert!(resp.status().is_success(), "licence: {}", resp.status());
    let project = {
        let req = Request::post(format!("{base}/api/v1/projects"))
            .header(header::COOKIE, &cookie)
            .header("x-requested-with", "bench")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"name":"writes"}"#))
            .expect("request");
        let resp = client.request(req).await.expect("project");
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
        v["id"].as_str().expect("id").to_owned()
    };
    let creates = format!("{base}/api/v1/projects/{project}/deployments");
    let (t, wall, e) = write_load(
        &client,
        &cookie,
        |_| creates.clone(),
        |i| {
            serde_json::json!({"name": format!("w-{i:05}"), "cloud": "aws", "region": "us-east-1",
                "vpc_cidr": "10.0.0.0/16", "sessions": 1000, "tps": 500, "domain": "mqtt.example.com"})
            .to_string()
        },
    )
    .await;
    report("create deployment (one project)", t, wall, e, WRITERS);
    let session = format!("{base}/api/v1/session");
    let sign_in_body = serde_json::json!({"username": "admin", "password": byoc_server::config::TEST_ADMIN_PASSWORD}).to_string();
    let (t, wall, e) = write_load(&client, "", |_| session.clone(), |_| sign_in_body.clone()).await;
    report("sign in (argon2id)", t, wall, e, WRITERS);
}

async fn run(
    client: &HttpClient,
    cookie: &str,
    urls: &[String],
) -> (Vec<Duration>, Duration, usize) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let client = client.clone();
        let cookie = cookie.to_owned();
        let urls: Vec<String> = urls
            .iter()
            .skip(worker)
            .step_by(CONCURRENCY)
            .cloned()
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0;
            for url in urls {
                if started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                let req = Request::get(&url)
                    .header(header::COOKIE, &cookie)
                    .body(Empty::<Bytes>::new())
                    .expect("request");
                match client.request(req).await {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.into_body().collect().await;
                        times.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (times, e) = t.await.expect("worker");
        all.extend(times);
        errors += e;
    }
    (all, started.elapsed(), errors)
}

fn report(name: &str, mut times: Vec<Duration>, wall: Duration, errors: usize, clients: usize) {
    times.sort();
    let pick = |q: f64| {
        times
            .get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "BENCH {name:<34} {:>6} requests, {:>7.0} req/s, p50 {:>6.2} ms, p99 {:>6.2} ms, {errors} errors ({clients} clients, loopback, {})",
        times.len(),
        times.len() as f64 / wall.as_secs_f64(),
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,

        database(),
    );
}

/// The JSON answer of one GET, for walking cursors before the timed runs.
async fn get_json(client: &HttpClient, cookie: &str, url: &str) -> serde_json::Value {
    let req = Request::get(url)
        .header(header::COOKIE, cookie)
        .body(Empty::<Bytes>::new())
        .expect("request");
    let body = client
        .request(req)
        .await
        .expect("answer")
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&body).expect("json")
}

/// A control plane on a fresh database in a temporary directory (kept while the guard lives).
async fn fresh_state() -> (tempfile::TempDir, byoc_server::state::AppState) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = byoc_server::prepare(config(dir.path()).await)
        .await
        .expect("server state");
    (dir, state)
}

/// A pool on the server's database for reading and changing rows directly.
async fn raw(state: &byoc_server::state::AppState) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&state.config.database_url())
        .await
        .expect("database")
}

/// Runs each named set of requests and prints its figures and its cost as a multiple of the
/// first one's (`baseline`), measured in the same run so the ratios hold on a noisy machine.
async fn ratios(client: &HttpClient, cookie: &str, runs: &[(String, Vec<String>)], baseline: &str) {
    let mut first_rate = 0.0;
    for (name, urls) in runs {
        let (t, wall, e) = run(client, cookie, urls).await;
        let rate = t.len() as f64 / wall.as_secs_f64();
        if first_rate == 0.0 {
            first_rate = rate;
        }
        report(name, t, wall, e, CONCURRENCY);
        println!(
            "BENCH {name:<40} costs {:.2}x {baseline} ({})",
            first_rate / rate,
            database()
        );
    }
}

/// Serves `state`'s router on a free loopback port, signed in as the owner: the base URL, the
/// session cookie and a client.
async fn serve(state: &byoc_server::state::AppState) -> (String, String, HttpClient) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = byoc_server::app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let cookie = sign_in(&base).await;
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    (base, cookie, client)
}

/// The URL of the list's page 41, reached by following 40 cursors from `first`.
async fn page_41(client: &HttpClient, cookie: &str, first: &str) -> String {
    let mut deep = first.to_owned();
    for _ in 0..40 {
        let page = get_json(client, cookie, &deep).await;
        let cursor = page["next_cursor"].as_str().expect("a next page");
        deep = format!("{first}&cursor={cursor}");
    }
    deep
}

/// Reads at `deployments` deployments in one project: one deployment, the list's first page,
/// a page 40 pages deep (reached by following cursors), a filtered page; each against the
/// get in the same run, so the ratios hold on a noisy machine.
async fn reads(deployments: usize) {
    let (_dir, state) = fresh_state().await;
    let seeded = Instant::now();
    let project = byoc_server::demo::bulk(&state, "bench", deployments)
        .await
        .expect("seed");
    println!(
        "seeded {deployments} deployments in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let (base, cookie, client) = serve(&state).await;
    // A second control plane on the same database that keeps no pages (`page_cache`), for what
    // a page costs when it is read: a question asked for the first time since the last change.
    let mut uncached = (*state.config).clone();
    uncached.page_cache_mib = 0;
    let uncached = byoc_server::prepare(uncached).await.expect("second server");
    let (cold, _, _) = serve(&uncached).await;

    let list = format!("{base}/api/v1/projects/{project}/deployments?limit=50");
    let deep = page_41(&client, &cookie, &list).await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM deployments LIMIT 1000")
        .fetch_all(&raw(&state).await)
        .await
        .expect("ids");
    let gets: Vec<String> = (0..REQUESTS)
        .map(|i| format!("{base}/api/v1/deployments/{}", ids[i % ids.len()]))
        .collect();
    let filtered: Vec<String> = (0..REQUESTS)
        .map(|i| format!("{list}&status=running&name=bench-{}", i % 10))
        .collect();
    let read =
        |urls: &[String]| -> Vec<String> { urls.iter().map(|u| u.replace(&base, &cold)).collect() };
    let runs = [
        ("get one deployment", gets),
        ("list, first page of 50", vec![list.clone(); REQUESTS]),
        (
            "list, page 41 (after 40 cursors)",
            vec![deep.clone(); REQUESTS],
        ),
        ("list, status + name filter", filtered.clone()),
        (
            "list, first page, not kept",
            read(&vec![list.clone(); REQUESTS]),
        ),
        ("list, page 41, not kept", read(&vec![deep; REQUESTS])),
        ("list, filter, not kept", read(&filtered)),
    ];
    let runs: Vec<(String, Vec<String>)> = runs
        .into_iter()
        .map(|(name, urls)| (format!("{deployments}: {name}"), urls))
        .collect();
    ratios(&client, &cookie, &runs, "a get").await;
}

/// The audit log at [`AUDIT_ENTRIES`] entries: its first page, each filter, a page deep in the
/// log; each against the unfiltered first page in the same run.
async fn audit_reads() {
    let (_dir, state) = fresh_state().await;
    let seeded = Instant::now();
    {
        let mut tx = byoc_server::db::write(&state.db).await.expect("write");
        byoc_server::db::audit::bulk(&mut tx, AUDIT_ENTRIES)
            .await
            .expect("seed");
        tx.commit().await.expect("commit");
    }
    // What the server's purge task does every few minutes: statistics for the planner.
    byoc_server::db::optimize(&state.db)
        .await
        .expect("optimize");
    println!(
        "seeded {AUDIT_ENTRIES} audit entries in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let (base, cookie, client) = serve(&state).await;

    let audit = format!("{base}/api/v1/audit?limit=50");
    let deep = page_41(&client, &cookie, &audit).await;
    // A day, a month back.
    let day = |d: i64| {
        (chrono::Utc::now() - chrono::Duration::days(d))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let (from, to) = (day(31), day(30));
    let many = |f: &dyn Fn(usize) -> String| (0..REQUESTS).map(f).collect::<Vec<_>>();
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("audit, first page of 50", vec![audit.clone(); REQUESTS]),
        ("audit, page 41 (after 40 cursors)", vec![deep; REQUESTS]),
        (
            "audit, one actor",
            many(&|i| format!("{audit}&actor=user-{}", i % 50)),
        ),
        (
            "audit, one action",
            many(&|i| {
                format!(
                    "{audit}&action={}",
                    byoc_server::db::audit::BULK_ACTIONS[i % 8]
                )
            }),
        ),
        (
            "audit, an action prefix",
            many(&|i| format!("{audit}&action={}", ["deployment.", "project."][i % 2])),
        ),
        (
            "audit, one target",
            many(&|i| format!("{audit}&target=dep-{}", i % 5000)),
        ),
        (
            "audit, one day a month back",
            vec![format!("{audit}&from={from}&to={to}"); REQUESTS],
        ),
    ];
    // Then the same without the filters' indexes (migration 0013), for the difference they make.
    for pass in ["", " (no filter indexes)"] {
        if !pass.is_empty() {
            for index in [
                "audit_log_by_actor_name",
                "audit_log_by_actor_id",
                "audit_log_by_action",
                "audit_log_by_target",
                "audit_log_by_project",
            ] {
                sqlx::query(&format!("DROP INDEX {index}"))
                    .execute(&raw(&state).await)
                    .await
                    .expect("drop index");
            }
        }
        let named: Vec<(String, Vec<String>)> = runs
            .iter()
            .map(|(name, urls)| (format!("{AUDIT_ENTRIES}: {name}{pass}"), urls.clone()))
            .collect();
        ratios(&client, &cookie, &named, "the first page").await;
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench --bench api_load -- audit` (or `deployments`, `writes`) runs one part.
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wants = |part: &str| only.as_deref().is_none_or(|o| o == part);
    if wants("deployments") {
        for deployments in DEPLOYMENTS {
            reads(deployments).await;
        }
    }
    if wants("audit") {
        audit_reads().await;
    }
    if wants("writes") {
        writes().await;
    }
}
