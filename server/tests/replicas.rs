//! Several `byoc-server` processes on one database behave as one: they start together on a
//! fresh database (migrations and the first owner once), share sessions, the licence and
//! idempotency, queue their writes with no errors, let one of two concurrent actions win, and a
//! replica killed mid-run loses nothing it acknowledged.
//!
//! These are real processes (the binary cargo built for this package), each with its own pools
//! and its own writers' turn, so nothing can pass between them except through the database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// One running replica: its process and its base URL.
struct Replica {
    child: Child,
    base: String,
}

/// The database replicas share: a SQLite file in `dir`, or (when the suite runs on PostgreSQL) a
/// fresh schema there; `dir` holds the vendor key either way.
#[derive(Clone)]
struct Shared {
    dir: std::path::PathBuf,
    url: String,
}

async fn shared(dir: &Path) -> Shared {
    let url = common::fresh_database()
        .await
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("byoc.db").display()));
    Shared {
        dir: dir.to_path_buf(),
        url,
    }
}

/// Starts a replica on the shared database with a free port, waiting until it says where it listens
/// (or fails to start: then the test fails with what it printed).
async fn start(db: &Shared, throttle_unit_ms: u64) -> Replica {
    let dir = &db.dir;
    let mut child = Command::new(env!("CARGO_BIN_EXE_byoc-server"))
        .env_clear()
        .env("BYOC_ADDR", "127.0.0.1:0")
        .env("BYOC_DATA_DIR", dir)
        .env("BYOC_DATABASE_URL", &db.url)
        .env("BYOC_ADMIN_PASSWORD", common::ADMIN_PASSWORD)
        .env("BYOC_LICENCE_PUBLIC_KEY", dir.join("vendor.pem"))
        .env("BYOC_CONSOLE_DIR", dir.join("no-console"))
        .env("BYOC_SIGN_IN_DELAY_UNIT_MS", throttle_unit_ms.to_string())
        .env("BYOC_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start byoc-server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(rest) = line.split("listening on ").nth(1) {
            let addr = rest.split(')').next().unwrap().to_owned();
            // Keep draining its output so the replica never blocks writing it.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Replica {
                child,
                base: format!("http://{addr}"),
            };
        }
        printed.push(line);
    }
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        use tokio::io::AsyncReadExt;
        stderr.read_to_string(&mut err).await.unwrap();
    }
    panic!("a replica did not start: {}\n{err}", printed.join("\n"));
}

/// `n` replicas started at the same moment on `dir`'s database; the sign-in throttle's unit is a
/// `throttle_unit_ms`.
async fn start_together(db: &Shared, n: usize, throttle_unit_ms: u64) -> Vec<Replica> {
    let starts: Vec<_> = (0..n)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { start(&db, throttle_unit_ms).await })
        })
        .collect();
    let mut replicas = Vec::new();
    for s in starts {
        replicas.push(s.await.unwrap());
    }
    replicas
}

fn vendor_key_file(dir: &Path) {
    std::fs::write(
        dir.join("vendor.pem"),
        byoc_core::licence::public_key_pem(&common::vendor_key().verifying_key()),
    )
    .unwrap();
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

/// One request; `Err` when the replica did not answer (killed).
async fn call(
    client: &HttpClient,
    base: &str,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Result<Answer, String> {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req
            .header(header::COOKIE, c)
            .header("x-requested-with", "byoc-console");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(b.to_string()))
        }
        None => Full::new(Bytes::new()),
    };
    let resp = client
        .request(req.body(body).unwrap())
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// A GET as `cookie`'s user that the replica answers.
async fn get(client: &HttpClient, base: &str, path: &str, cookie: Option<&str>) -> Answer {
    call(client, base, Method::GET, path, cookie, None, &[])
        .await
        .unwrap()
}

async fn sign_in(client: &HttpClient, base: &str) -> String {
    let a = call(
        client,
        base,
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"username": "admin", "password": common::ADMIN_PASSWORD})),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let set = a.headers[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

async fn rows(db: &Shared) -> sqlx::AnyPool {
    common::any_pool(&db.url).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_started_together_on_a_fresh_database_all_serve_one_owner() {
    let dir = tempfile::tempdir().unwrap();
    vendor_key_file(dir.path());
    // The real throttle unit (a second), so a refusal is seen; nothing here waits it out.
    let shared = shared(dir.path()).await;
    let replicas = start_together(&shared, 3, 1000).await;
    let client = client();
    // A session made on one replica is good on every other.
    let cookie = sign_in(&client, &replicas[0].base).await;
    for r in &replicas {
        let me = get(&client, &r.base, "/api/v1/session", Some(&cookie)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        let ready = get(&client, &r.base, "/readyz", None).await;
        assert_eq!(ready.status, StatusCode::OK);
    }
    // Wrong passwords spread over the replicas are counted together: the attempt after the free
    // ones is refused whichever replica it reaches (counted per process, each replica would
    // admit its own free attempts).
    let free = byoc_core::access::throttle::Scope::AccountClient.free_attempts() as usize;
    for i in 0..=free {
        let a = call(
            &client,
            &replicas[i % replicas.len()].base,
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "admin", "password": "not the password"})),
            &[],
        )
        .await
        .unwrap();
        let expected = if i < free {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(a.status, expected, "attempt {}: {}", i + 1, a.body);
    }
    let db = rows(&shared).await;
    let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(owners, 1, "one first owner, however many replicas started");
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(created, 1);
}

fn deployment(name: &str) -> Value {
    json!({
        "name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
        "sessions": 1000, "tps": 100, "domain": "mqtt.example.com", "tags": []
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_behave_as_one_and_a_killed_one_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    vendor_key_file(dir.path());
    let shared = shared(dir.path()).await;
    let mut replicas = start_together(&shared, 3, 1).await;
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let client = client();
    let cookie = sign_in(&client, &bases[0]).await;
    let c = Some(cookie.as_str());

    // The licence installed through one replica is the licence of every replica.
    let line = common::licence_line("LIC-REPLICAS", -1, 365, 1_000_000, 100_000, 10_000);
    let put = call(
        &client,
        &bases[1],
        Method::PUT,
        "/api/v1/licence",
        c,
        Some(json!({"licence": line})),
        &[("if-match", "\"0\"")],
    )
    .await
    .unwrap();
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    for base in &bases {
        let l = get(&client, base, "/api/v1/licence", c).await;
        assert!(l.body.to_string().contains("LIC-REPLICAS"), "{}", l.body);
    }

    let project = call(
        &client,
        &bases[2],
        Method::POST,
        "/api/v1/projects",
        c,
        Some(json!({"name": "fleet"})),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(project.status, StatusCode::CREATED, "{}", project.body);
    let project = project.body["id"].as_str().unwrap().to_owned();
    let create_path = format!("/api/v1/projects/{project}/deployments");

    // One idempotency key sent to two replicas: one deployment, the same answer twice.
    let key = [("idempotency-key", "replicas-1")];
    let mut answers = Vec::new();
    for base in &bases[..2] {
        let a = call(
            &client,
            base,
            Method::POST,
            &create_path,
            c,
            Some(deployment("once")),
            &key,
        );
        answers.push(a.await.unwrap());
    }
    for a in &answers {
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    assert_eq!(
        answers[0].body["deployment"]["id"],
        answers[1].body["deployment"]["id"]
    );
    let first = &answers[0];

    // Two actions on one version through two replicas: exactly one wins.
    let id = first.body["deployment"]["id"].as_str().unwrap().to_owned();
    let got = get(&client, &bases[2], &format!("/api/v1/deployments/{id}"), c).await;
    let version = got.headers[header::ETAG].to_str().unwrap().to_owned();
    let act = |base: String, action: &'static str| {
        let client = client.clone();
        let cookie = cookie.clone();
        let version = version.clone();
        let id = id.clone();
        async move {
            call(
                &client,
                &base,
                Method::POST,
                &format!("/api/v1/deployments/{id}/actions/{action}"),
                Some(&cookie),
                None,
                &[("if-match", version.as_str())],
            )
            .await
            .unwrap()
            .status
        }
    };
    let (a, b) = tokio::join!(
        act(bases[0].clone(), "cancel"),
        act(bases[1].clone(), "cancel")
    );
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED]);

    // Many writers on every replica at once, and one replica killed while they run: every
    // create is either acknowledged and kept, or was never acknowledged; none is an error.
    let writers = 24;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let client = client.clone();
        let cookie = cookie.clone();
        let bases = bases.clone();
        let create_path = create_path.clone();
        tasks.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut unanswered = 0;
            for i in 0..8 {
                let base = &bases[(w + i) % bases.len()];
                let name = format!("w{w}-{i}");
                match call(
                    &client,
                    base,
                    Method::POST,
                    &create_path,
                    Some(&cookie),
                    Some(deployment(&name)),
                    &[],
                )
                .await
                {
                    Ok(a) if a.status == StatusCode::CREATED => {
                        acknowledged.push(a.body["deployment"]["id"].as_str().unwrap().to_owned())
                    }
                    Ok(a) => panic!("{name} on {base}: {} {}", a.status, a.body),
                    Err(_) => unanswered += 1,
                }
            }
            (acknowledged, unanswered)
        }));
    }
    // Kill the third replica once the writers are under way (or have all stopped: a writer
    // that met an error ends its task, and the join below reports it).
    let db = rows(&shared).await;
    loop {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deployments")
            .fetch_one(&db)
            .await
            .unwrap();
        if n >= 20 || tasks.iter().all(|t| t.is_finished()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mid_run = !tasks.iter().all(|t| t.is_finished());
    replicas[2].child.start_kill().unwrap();
    replicas[2].child.wait().await.unwrap();

    let mut acknowledged = Vec::new();
    let mut unanswered = 0;
    for t in tasks {
        let (ids, lost) = t.await.unwrap();
        acknowledged.extend(ids);
        unanswered += lost;
    }
    println!(
        "{} creates acknowledged, {unanswered} unanswered by the killed replica",
        acknowledged.len()
    );
    assert!(
        mid_run,
        "the writers had finished before the replica was killed"
    );
    assert!(unanswered > 0, "no request was cut off by the kill");
    assert!(
        acknowledged.len() >= 20,
        "{} acknowledged",
        acknowledged.len()
    );
    for id in &acknowledged {
        for base in &bases[..2] {
            let got = get(&client, base, &format!("/api/v1/deployments/{id}"), c).await;
            assert_eq!(got.status, StatusCode::OK, "{id} lost: {}", got.body);
        }
    }
    // And each acknowledged create left its audit entry.
    for id in &acknowledged {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'deployment.create' AND target_id = $1",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(n, 1, "{id}");
    }

    // The list's ETag is the database's, not a process's: one replica's tag is a 304 on the
    // other, and a start of any replica (as after a restore) makes it stale everywhere.
    let list = format!("{create_path}?limit=5");
    let first = get(&client, &bases[0], &list, c).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let revalidate = |base: String| {
        let (client, list, cookie, tag) =
            (client.clone(), list.clone(), cookie.clone(), tag.clone());
        async move {
            let if_none_match = [("if-none-match", tag.as_str())];
            let c = Some(cookie.as_str());
            call(&client, &base, Method::GET, &list, c, None, &if_none_match)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        revalidate(bases[1].clone()).await.status,
        StatusCode::NOT_MODIFIED
    );
    let restarted = start(&shared, 1).await;
    for base in [&bases[1], &restarted.base] {
        let after = revalidate(base.clone()).await;
        assert_eq!(after.status, StatusCode::OK, "{base}");
        assert_ne!(after.headers[header::ETAG].to_str().unwrap(), tag);
    }
}

#[tokio::test]
async fn a_database_that_cannot_be_reached_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = byoc_server::config::Config::for_tests(dir.path());
    // Nothing listens on port 9 (discard) here: the connection is refused at once.
    config.database_url = Some("postgres://byoc:s3cret@127.0.0.1:9/byoc".into());
    let err = byoc_server::prepare(config).await.unwrap_err().to_string();
    assert!(
        err.contains("cannot open the database postgres://byoc:***@127.0.0.1:9/byoc"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    let mut config = byoc_server::config::Config::for_tests(dir.path());
    config.database_url = Some("mysql://byoc:s3cret@127.0.0.1/byoc".into());
    let err = byoc_server::prepare(config).await.unwrap_err().to_string();
    assert!(
        err.contains("only SQLite (sqlite://…) and PostgreSQL"),
        "{err}"
    );
    assert!(err.contains("mysql://…"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

/// On a server that asks for it (`cargo xtask test postgres` starts one that takes TLS
/// connections only, with a certificate authority of its own, and names it with
/// `sslmode=verify-full&sslrootcert=…`), the control plane reaches PostgreSQL over TLS and
/// checks the server's certificate: every connection on the database is encrypted, a
/// certificate from another authority is refused, and so is a connection without TLS, each
/// saying why and naming the database without its password.
#[tokio::test]
async fn the_database_is_reached_over_verified_tls() {
    let Some(server) = common::postgres().filter(|u| u.contains("sslmode=verify-full")) else {
        return;
    };
    let app = common::test_app().await;
    let (all_tls, connections): (bool, i64) = sqlx::query_as(
        "SELECT bool_and(s.ssl), count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE a.backend_type = 'client backend'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        connections > 0 && all_tls,
        "{connections} connections, all TLS: {all_tls}"
    );

    let root = url_parameter(&server, "sslrootcert").unwrap();
    // The system's authorities did not sign the test server's certificate.
    let err = refused(server.replace(&root, "/etc/ssl/certs/ca-certificates.crt")).await;
    assert!(
        err.contains("cannot open the database postgres://byoc@127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("certificate"), "{err}");
    let err = refused(server.replace("sslmode=verify-full", "sslmode=disable")).await;
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(err.contains("no encryption"), "{err}");
}

/// Why a control plane on `url` does not start.
async fn refused(url: String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut config = byoc_server::config::Config::for_tests(dir.path());
    config.database_url = Some(url);
    byoc_server::prepare(config).await.unwrap_err().to_string()
}

fn url_parameter(url: &str, name: &str) -> Option<String> {
    url.split(['?', '&'])
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_owned)
}

/// Where the database demands a client certificate (the tier's cluster lets the role
/// `byoc_cert` in only with one of its authority's, `client.crt` beside that authority's
/// certificate), the URL's `sslcert` and `sslkey` sign the control plane in: it starts, works,
/// and each of its connections presented the certificate. Without them it is refused, saying why.
#[tokio::test]
async fn a_client_certificate_named_in_the_url_signs_in_where_one_is_demanded() {
    let Some(server) = common::postgres().filter(|u| u.contains("sslmode=verify-full")) else {
        return;
    };
    let root = url_parameter(&server, "sslrootcert").unwrap();
    let dir = Path::new(&root).parent().unwrap();
    let (cert, key) = (dir.join("client.crt"), dir.join("client.key"));
    if !cert.exists() {
        // A server this suite was pointed at, not the tier's cluster.
        return;
    }
    let url = common::fresh_database()
        .await
        .unwrap()
        .replacen("byoc@", "byoc_cert@", 1);
    let signed = format!("{url}&sslcert={}&sslkey={}", cert.display(), key.display());

    let app = common::test_app_with(|c| c.database_url = Some(signed.clone())).await;
    app.get("/readyz").await.expect(StatusCode::OK);
    let admin = app.admin().await;
    app.create_project(&admin, "p-certified").await;

    let (connections, certified, dn): (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE s.client_dn IS NOT NULL), max(s.client_dn) \
         FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'byoc_cert'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        connections > 1,
        "the control plane's and the test's: {connections}"
    );
    assert_eq!(
        certified, connections,
        "every connection presented the certificate"
    );
    assert_eq!(dn.as_deref(), Some("/CN=byoc_cert"));

    let err = refused(url).await;
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(err.contains("certificate"), "{err}");
}

/// What a database failover or restart does to a running control plane: every connection it
/// holds is cut. It carries on without a restart: the pool replaces the dead connections before
/// handing them out, `/readyz` answers ready, what was written is there and new writes land.
#[tokio::test]
async fn connections_cut_by_the_database_are_replaced_without_a_restart() {
    let Some(server) = common::postgres() else {
        return;
    };
    let url = common::fresh_database()
        .await
        .unwrap()
        .replace("options=", "application_name=byoc-cut&options=");
    let app = common::test_app_with(|c| c.database_url = Some(url.clone())).await;
    let admin = app.admin().await;
    app.create_project(&admin, "p-before").await;

    use sqlx::Connection;
    let mut dba = sqlx::PgConnection::connect(&server).await.unwrap();
    let cut: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'byoc-cut') t",
    )
    .fetch_one(&mut dba)
    .await
    .unwrap();
    assert!(
        cut > 0,
        "the control plane's connections were found and cut"
    );

    app.get("/readyz").await.expect(StatusCode::OK);
    app.create_project(&admin, "p-after").await;
    let projects = app
        .call(Method::GET, "/api/v1/projects", &admin, None, &[])
        .await
        .expect(StatusCode::OK)
        .json();
    let names: Vec<&str> = projects["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&"p-before") && names.contains(&"p-after"),
        "{names:?}"
    );
}
