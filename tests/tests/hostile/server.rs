//! The real `byoc-server` binary on a free loopback port with its own data directory, ended when
//! dropped; and a small HTTP client that never treats a status as an error.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "hostile-owner-passphrase-1";

/// Builds the server binary once per test run and returns its path.
pub fn server_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "byoc-server", "--bin", "byoc-server"])
            .current_dir(&root)
            .status()
            .unwrap();
        assert!(status.success(), "cannot build byoc-server");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        target.join("debug/byoc-server")
    })
}

pub struct Server {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub data: tempfile::TempDir,
    child: Child,
    extra_args: Vec<String>,
    /// Files the flags name (a vendor key), kept for restarts.
    keep: Vec<tempfile::TempDir>,
}

fn free_addr() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

impl Server {
    /// A server on a fresh data directory with the given extra flags.
    pub fn start(extra_args: &[&str]) -> Server {
        let data = tempfile::tempdir().unwrap();
        let addr = free_addr();
        let extra_args: Vec<String> = extra_args.iter().map(|s| s.to_string()).collect();
        let child = spawn(data.path(), addr, &extra_args);
        let server = Server {
            base: format!("http://{addr}"),
            addr,
            data,
            child,
            extra_args,
            keep: Vec::new(),
        };
        server.wait_ready();
        server
    }

    /// Ends the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the binary again on the same data directory and address.
    pub fn restart(&mut self) {
        self.kill();
        self.child = spawn(self.data.path(), self.addr, &self.extra_args);
        self.wait_ready();
    }

    pub fn database(&self) -> PathBuf {
        self.data.path().join("byoc.db")
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = http().get(&format!("{}/readyz", self.base)).call() {
                if r.status() == 200 {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("byoc-server did not become ready on {}", self.base);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub fn sign_in(&self, username: &str, password: &str) -> String {
        let r = self.request(
            "POST",
            "/api/v1/session",
            &[],
            Some(json!({"username": username, "password": password}).to_string()),
        );
        assert_eq!(r.status, 200, "sign-in as {username}: {}", r.body);
        let cookie = r.header("set-cookie").expect("a session cookie");
        cookie.split(';').next().unwrap().to_owned()
    }

    /// Installs a roomy licence signed by [`vendor_key`] (the server must have been started with
    /// [`Server::start_licensed`]), as the owner.
    pub fn install_licence(&self, owner: &Client<'_>) {
        let now = chrono::Utc::now();
        let payload = byoc_core::licence::LicencePayload {
            id: "LIC-HOSTILE".into(),
            kind: byoc_core::licence::LicenceType::Trial,
            issued_to: "Hostile-input suite".into(),
            issuer_email: "vendor@example.com".into(),
            issued_at: now - chrono::Duration::days(1),
            valid_from: now - chrono::Duration::days(1),
            valid_until: now + chrono::Duration::days(90),
            max_sessions: 100_000_000,
            max_tps: 100_000_000,
            core_size: 1_000_000,
        };
        let line = byoc_core::licence::issue(&payload, &vendor_key()).unwrap();
        // Installing may require the version shown (If-Match); send it when the server gives one.
        let shown = owner.send("GET", "/api/v1/licence", None);
        let etag = shown.header("etag").map(str::to_owned);
        let mut headers = Vec::new();
        if let Some(tag) = etag.as_deref() {
            headers.push(("if-match", tag));
        }
        let r = owner.send_with(
            "PUT",
            "/api/v1/licence",
            Some(json!({ "licence": line })),
            &headers,
        );
        assert!(
            r.status == 200,
            "installing the licence: {} {}",
            r.status,
            r.body
        );
    }

    /// A server that trusts [`vendor_key`] for licences (install one with `install_licence`).
    pub fn start_licensed(extra_args: &[&str]) -> Server {
        let keys = tempfile::tempdir().unwrap();
        let path = keys.path().join("vendor.pem");
        std::fs::write(
            &path,
            byoc_core::licence::public_key_pem(&vendor_key().verifying_key()),
        )
        .unwrap();
        let path = path.to_string_lossy().into_owned();
        let mut args = vec!["--licence-public-key", path.as_str()];
        args.extend_from_slice(extra_args);
        let mut server = Server::start(&args);
        server.keep.push(keys);
        server
    }

    pub fn admin(&self) -> Client<'_> {
        Client {
            server: self,
            cookie: self.sign_in("admin", ADMIN_PASSWORD),
        }
    }

    /// One request with raw headers and body; never fails on a status.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Reply {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = http().run(req.body(body.unwrap_or_default()).unwrap());
        Reply::from(resp)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn(data: &Path, addr: std::net::SocketAddr, extra: &[String]) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data.join("server.log"))
        .unwrap();
    Command::new(server_binary())
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--data-dir")
        .arg(data)
        .arg("--console-dir")
        .arg(data.join("no-console"))
        .args(extra)
        .env("BYOC_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("BYOC_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// The test vendor's licence signing key.
pub fn vendor_key() -> byoc_core::licence::SigningKey {
    byoc_core::licence::SigningKey::from_bytes(&[11u8; 32])
}

pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn from(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        match resp {
            Ok(mut r) => Reply {
                status: r.status().as_u16(),
                headers: r
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                    .collect(),
                body: r.body_mut().read_to_string().unwrap_or_default(),
            },
            Err(e) => panic!("request failed: {e}"),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A signed-in user: requests carry the session cookie and `X-Requested-With`.
pub struct Client<'a> {
    pub server: &'a Server,
    pub cookie: String,
}

impl Client<'_> {
    pub fn send(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.send_with(method, path, body, &[])
    }

    pub fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut all = vec![
            ("cookie", self.cookie.as_str()),
            ("x-requested-with", "test"),
        ];
        all.extend_from_slice(headers);
        self.server
            .request(method, path, &all, body.map(|b| b.to_string()))
    }

    /// Like `send`, asserting a 2xx answer, returning its JSON (or Null when empty).
    pub fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let r = self.send(method, path, body);
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
        if r.body.is_empty() {
            Value::Null
        } else {
            r.json()
        }
    }
}
