//! Hostile input against the real binary (issue "Hardening", findings 2, 3 and 7): unbounded
//! unauthenticated writes, private keys hidden by JSON escapes, unbounded request ids, and the
//! anonymous certificate check.

use serde_json::json;

use crate::server::Server;

const CHAIN: &str = include_str!("../../../core/tests/fixtures/tls/browser/chain.pem");

/// What the data file holds, read with the server stopped: audit entries, the failures counted
/// beside them, and the file's pages after a full checkpoint (so the WAL is folded in).
#[derive(Debug, Clone, Copy)]
struct Footprint {
    audit_rows: i64,
    counted: i64,
    pages: i64,
}

fn footprint(server: &mut Server) -> Footprint {
    server.kill();
    let path = server.database();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let found = rt.block_on(async move {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .connect()
            .await
            .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await
            .unwrap();
        let audit_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let counted: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(repeats), 0) FROM audit_repeats")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        Footprint {
            audit_rows,
            counted,
            pages,
        }
    });
    server.restart();
    found
}

fn wrong_sign_in(server: &Server, n: usize) -> u16 {
    // Half at the owner, half at names that do not exist.
    let username = if n.is_multiple_of(2) {
        "admin".to_owned()
    } else {
        format!("guess{n}")
    };
    let body = json!({"username": username, "password": "not the password"});
    server
        .request("POST", "/api/v1/session", &[], Some(body.to_string()))
        .status
}

fn unknown_key(server: &Server, n: usize) -> u16 {
    let body =
        json!({"key": format!("byoc_bk_guess{n}"), "operation": "create", "platform": "aws"});
    server
        .request("POST", "/agent/v1/register", &[], Some(body.to_string()))
        .status
}

#[test]
fn two_thousand_anonymous_failures_grow_the_database_by_a_bounded_amount() {
    let mut server = Server::start(&[]);
    // A first round makes every row the loop could touch exist, so the loop itself is measured.
    for n in 0..20 {
        wrong_sign_in(&server, n);
        assert_eq!(unknown_key(&server, n), 403);
    }
    let before = footprint(&mut server);

    let mut refused = 0;
    for n in 0..2_000 {
        let status = wrong_sign_in(&server, n);
        assert!(matches!(status, 401 | 429), "sign-in answered {status}");
        assert_eq!(unknown_key(&server, n), 403);
        refused += 1;
    }
    assert_eq!(refused, 2_000);
    let after = footprint(&mut server);

    // At most one new entry per (action, source, outcome) should the hour turn during the run.
    assert!(
        after.audit_rows - before.audit_rows <= 4,
        "{before:?} → {after:?}"
    );
    assert!(
        after.counted >= before.counted + 1_990,
        "{before:?} → {after:?}"
    );
    // 4000 requests, a handful of 4 KiB pages.
    assert!(after.pages - before.pages <= 16, "{before:?} → {after:?}");
}

/// Sends `body` as far as the server reads it and returns everything it answered.
fn post_by_hand(server: &Server, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    // Only so a broken server fails the test instead of hanging it.
    let patience = Some(std::time::Duration::from_secs(60));
    stream.set_write_timeout(patience).unwrap();
    stream.set_read_timeout(patience).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // Whatever the server does not read is not written: a refused write ends the sending.
    let _ = stream.write_all(body.as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_megabyte_username_is_refused_before_anything_is_stored() {
    let mut server = Server::start(&[]);
    let before = footprint(&mut server);
    let huge = json!({"username": "u".repeat(1_500_000), "password": "x"}).to_string();
    // The answer comes before the body is read (the server then closes the connection, so an
    // ordinary client sees a broken pipe while still sending): speak HTTP by hand.
    let answer = post_by_hand(&server, "/api/v1/session", &huge);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    // Under the body limit, still no username any account could have.
    let reply = server.request(
        "POST",
        "/api/v1/session",
        &[],
        Some(json!({"username": "u".repeat(3000), "password": "x"}).to_string()),
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
    let after = footprint(&mut server);
    assert_eq!(after.audit_rows, before.audit_rows);
    assert!(after.pages - before.pages <= 2, "{before:?} → {after:?}");
}

#[test]
fn a_private_key_behind_json_escapes_is_refused() {
    let server = Server::start(&[]);
    let owner = server.admin();
    let escaped = r#"{"name":"leaky","description":"-----BEGIN EC PRIVATE\u0020KEY-----\nMHcCAQEEIB8GUMEUAbPmMgQeZ0NSJwtX4\n-----END EC PRIVATE KEY-----"}"#;
    let reply = server.request(
        "POST",
        "/api/v1/projects",
        &[
            ("cookie", owner.cookie.as_str()),
            ("x-requested-with", "test"),
        ],
        Some(escaped.to_owned()),
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.json()["code"], "private_key_refused");
    let key = include_str!("../../../core/tests/fixtures/tls/keys/leaf-ec-p256.sec1.pem");
    let bare: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let reply = owner.send(
        "POST",
        "/api/v1/projects",
        Some(json!({"name": "leaky", "description": bare})),
    );
    assert_eq!(reply.json()["code"], "private_key_refused");
    let projects = owner.ok("GET", "/api/v1/projects", None);
    assert_eq!(
        projects["items"].as_array().map(Vec::len),
        Some(0),
        "{projects}"
    );
}

#[test]
fn a_long_or_odd_request_id_is_replaced_and_the_response_names_the_one_used() {
    let server = Server::start(&[]);
    let kept = server.request("GET", "/readyz", &[("x-request-id", "ops-trace.42")], None);
    assert_eq!(kept.header("x-request-id"), Some("ops-trace.42"));
    for sent in [
        "r".repeat(10_000),
        "two words".to_owned(),
        "semi;colon".to_owned(),
    ] {
        let reply = server.request(
            "POST",
            "/api/v1/session",
            &[("x-request-id", sent.as_str())],
            Some(json!({"username": "admin", "password": "wrong password"}).to_string()),
        );
        let used = reply.header("x-request-id").unwrap().to_owned();
        assert_ne!(used, sent);
        assert_eq!(used.len(), 36, "{used}");
        assert_eq!(reply.json()["request_id"], used.as_str());
    }
}

#[test]
fn the_certificate_check_needs_a_session_and_reads_at_most_a_chain() {
    let server = Server::start(&[]);
    let body = json!({"bundle_pem": CHAIN, "domain": "mqtt.example.com"});
    let anonymous = server.request(
        "POST",
        "/api/v1/prerequisites/tls",
        &[],
        Some(body.to_string()),
    );
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    let owner = server.admin();
    let report = owner.ok("POST", "/api/v1/prerequisites/tls", Some(body));
    assert!(report["checks"].as_array().unwrap().len() > 1);
    // Ten copies of the chain: thirty certificates were all verified before.
    let many = json!({"bundle_pem": CHAIN.repeat(10), "domain": "mqtt.example.com"});
    let report = owner.ok("POST", "/api/v1/prerequisites/tls", Some(many));
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "{report}");
    assert_eq!(checks[0]["outcome"], "fail");
}
