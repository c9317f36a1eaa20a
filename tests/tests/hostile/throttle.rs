//! Sign-in throttling, password resets and transport against the real binary (issue "Hardening",
//! findings 1, 6 and 8): strangers cannot lock the owner out, X-Forwarded-For counts only from a
//! trusted proxy, the operator's `users reset-password` ends a token's access and `users unlock`
//! ends a wait, and a trusted proxy that terminated TLS gets Secure cookies and HSTS.
//!
//! The server runs with its real throttle (1 s, doubling up to 30 s); the tests observe its
//! answers and never wait one out.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::server::{server_binary, Reply, Server, ADMIN_PASSWORD};

const WRONG: &str = "guess guess guess";

/// A sign-in from `client` as a trusted proxy at 127.0.0.1 reports it.
fn sign_in_via(server: &Server, client: &str, username: &str, password: &str) -> Reply {
    server.request(
        "POST",
        "/api/v1/session",
        &[("x-forwarded-for", client)],
        Some(json!({"username": username, "password": password}).to_string()),
    )
}

fn retry_after(reply: &Reply) -> u64 {
    let value = reply
        .header("retry-after")
        .expect("a 429 says how long to wait");
    value.parse().unwrap()
}

/// Runs `byoc-server users …` on the server's data directory while it runs.
fn users_command(server: &Server, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(server_binary())
        .arg("users")
        .args(args)
        .arg("--data-dir")
        .arg(server.data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "users {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn fifty_wrong_passwords_from_other_clients_leave_the_owner_a_bounded_wait() {
    let server = Server::start(&["--trusted-proxies", "127.0.0.1"]);
    let mut told_to_wait = 0;
    for i in 0..50 {
        let stranger = format!("203.0.113.{}", i % 10 + 1);
        let reply = sign_in_via(&server, &stranger, "admin", WRONG);
        match reply.status {
            401 => {}
            429 => {
                assert!((1..=30).contains(&retry_after(&reply)), "{reply:?}");
                told_to_wait += 1;
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(
        told_to_wait > 0,
        "five guesses a client and none was slowed"
    );
    // The owner's own client: in at once, or after the waits it is told, at most 30 s in all.
    let mut waited = 0;
    loop {
        let reply = sign_in_via(&server, "198.51.100.7", "admin", ADMIN_PASSWORD);
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 429, "{}", reply.body);
        waited += retry_after(&reply);
        assert!(waited <= 30, "told to wait {waited} s in all");
        std::thread::sleep(std::time::Duration::from_secs(retry_after(&reply)));
    }
    assert_eq!(waited, 0, "strangers' guesses cost the owner nothing");
}

#[test]
fn x_forwarded_for_is_ignored_without_trusted_proxies() {
    let server = Server::start(&[]);
    let mut checked = 0;
    let first_wait = (1..=20).find_map(|i| {
        let reply = sign_in_via(&server, &format!("198.51.100.{i}"), "admin", WRONG);
        match reply.status {
            401 => {
                checked += 1;
                None
            }
            429 => Some(reply),
            other => panic!("{other}: {}", reply.body),
        }
    });
    // Forged addresses do not make fresh clients: after the three free attempts, a wait.
    let told = first_wait.expect("one client whatever its X-Forwarded-For claims");
    assert!(checked >= 3, "{checked}");
    assert!((1..=30).contains(&retry_after(&told)));
}

#[test]
fn the_operators_reset_ends_a_tokens_access_and_unlock_ends_a_wait() {
    let server = Server::start(&["--trusted-proxies", "127.0.0.1"]);
    let admin = server.admin();
    let token = admin.ok("POST", "/api/v1/tokens", Some(json!({"name": "ci"})))["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let bearer = format!("Bearer {token}");
    let me = |auth: &str| {
        server
            .request("GET", "/api/v1/session", &[("authorization", auth)], None)
            .status
    };
    assert_eq!(me(&bearer), 200);

    let printed = users_command(&server, &["reset-password", "admin"], None);
    let password = printed
        .lines()
        .map(str::trim)
        .find(|l| l.len() >= 20 && !l.contains(' '))
        .unwrap_or_else(|| panic!("no password in {printed}"))
        .to_owned();
    assert_eq!(me(&bearer), 401, "the token ended with the reset");
    assert_eq!(admin.send("GET", "/api/v1/session", None).status, 401);
    server.sign_in("admin", &password);

    // A chosen password on standard input; then a client that guessed is told to wait…
    let chosen = "operator chosen passphrase";
    users_command(
        &server,
        &["reset-password", "admin", "--password-stdin"],
        Some(&format!("{chosen}\n")),
    );
    let told = (0..20)
        .map(|_| sign_in_via(&server, "203.0.113.5", "admin", WRONG))
        .find(|r| r.status == 429)
        .expect("told to wait");
    assert!(retry_after(&told) >= 1);
    // …until the operator unlocks the user: then the right password gets in at once.
    users_command(&server, &["unlock", "admin"], None);
    let reply = sign_in_via(&server, "203.0.113.5", "admin", chosen);
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn behind_a_trusted_proxy_that_terminated_tls_cookies_are_secure_and_hsts_is_sent() {
    let sign_in = |server: &Server, headers: &[(&str, &str)]| {
        let r = server.request(
            "POST",
            "/api/v1/session",
            headers,
            Some(json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string()),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r
    };
    let https = [("x-forwarded-proto", "https")];
    let proxied = Server::start(&["--trusted-proxies", "127.0.0.1"]);
    let reply = sign_in(&proxied, &https);
    assert!(
        reply.header("set-cookie").unwrap().contains("; Secure"),
        "{reply:?}"
    );
    assert_eq!(
        reply.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let plain = sign_in(&proxied, &[]);
    assert!(!plain.header("set-cookie").unwrap().contains("Secure"));
    assert_eq!(plain.header("strict-transport-security"), None);

    // Without --trusted-proxies, anyone can write the header: it is not believed.
    let direct = Server::start(&[]);
    let reply = sign_in(&direct, &https);
    assert!(
        !reply.header("set-cookie").unwrap().contains("Secure"),
        "{reply:?}"
    );
    assert_eq!(reply.header("strict-transport-security"), None);
}
