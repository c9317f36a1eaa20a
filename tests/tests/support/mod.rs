//! Harness for end-to-end tests: the real control plane on a free port serving the built console,
//! ChromeDriver on another, and a headless Chromium session driven through WebDriver.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod a11y;
pub mod aliyun;
pub mod certs;
pub mod moto;
pub mod plane;
pub mod real;
pub mod toolkit;
pub mod wizard;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// The first owner, created at start with a known password by `Config::for_tests`.
pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = byoc_server::config::TEST_ADMIN_PASSWORD;

/// How long a wait for the page may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Harness {
    pub base: String,
    pub browser: Client,
    /// Where the browser saves downloads.
    pub downloads: tempfile::TempDir,
    driver: Child,
    /// The browser's profile: ours, so it goes with the harness even when a test fails before
    /// `stop` (ChromeDriver's own profile directory stays in /tmp when it is killed, ~130 MB).
    _profile: tempfile::TempDir,
    _data: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

/// Starts a cloud stand-in (`tests/moto`, `tests/aliyun`) that binds a free port itself and says
/// `READY <port>` on its first line; stdin stays open, so it ends with the test.
pub fn start_ready(mut command: Command, what: &str) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("{what} did not start: {line:?}"))
        .trim()
        .to_owned();
    (child, port)
}

/// Starts ChromeDriver on a port it binds itself (`--port=0`) and answers the port it reports, so
/// no other process can take the port between choosing and binding it.
fn start_chromedriver(chromedriver: &str) -> (std::process::Child, u16) {
    use std::io::{BufRead, BufReader};
    let mut driver = Command::new(chromedriver)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
    let mut lines = BufReader::new(driver.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("{chromedriver} ended before it said its port"))
            .unwrap();
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            break rest.trim_end_matches('.').trim().parse::<u16>().unwrap();
        }
    };
    // Keep reading (and dropping) its output, so a full pipe never blocks it.
    std::thread::spawn(move || lines.for_each(drop));
    (driver, port)
}

fn console_dir() -> PathBuf {
    let dir = std::env::var_os("BYOC_E2E_CONSOLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built console at {}: run `cargo xtask test` (it builds it with trunk)",
        dir.display()
    );
    dir
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}).await
    }

    /// Starts with the test configuration changed by `adjust` first (a vendor public key, say).
    pub async fn start_with(adjust: impl FnOnce(&mut byoc_server::config::Config)) -> Harness {
        let data = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = byoc_server::config::Config::for_tests(data.path());
        config.console_dir = console_dir();
        // The commands the console shows for the toolkit name this address.
        config.public_url = Some(base.clone());
        adjust(&mut config);
        let state = byoc_server::prepare(config).await.unwrap();
        let app = byoc_server::app(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let (driver, port) = start_chromedriver(&chromedriver);

        let downloads = tempfile::tempdir().unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=1280,900", "--lang=en-US",
                         format!("--user-data-dir={}", profile.path().display())],
                "prefs": {
                    "download.default_directory": downloads.path(),
                    "download.prompt_for_download": false
                }
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let browser = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(_) if Instant::now() < deadline => {
                    // ChromeDriver is still starting.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot open a browser session through {chromedriver}: {e}"),
            }
        };
        Harness {
            base,
            browser,
            downloads,
            driver,
            _profile: profile,
            _data: data,
            server,
        }
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{}", self.base, path))
            .await
            .unwrap();
    }

    /// Waits (up to 20 s) until the element's text contains `needle`, and returns that text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.browser.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("`{css}` never contained {needle:?}; last text: {last:?}");
    }

    /// Waits (up to 20 s) for a finished download named `name` and returns its content.
    pub async fn wait_for_download(&self, name: &str) -> String {
        let path = self.downloads.path().join(name);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if !text.is_empty() {
                    return text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let present: Vec<_> = std::fs::read_dir(self.downloads.path())
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        panic!("no download {name} (downloads: {present:?})");
    }

    pub async fn click(&self, css: &str) {
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// The path (and query) the browser is at.
    pub async fn location(&self) -> String {
        let url = self.browser.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the browser is at `path` (with query, if given) and returns it.
    pub async fn wait_for_location(&self, path: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            last = self.location().await;
            if last == path {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached {path}; still at {last}");
    }

    /// Waits (up to 20 s) for an element to be present and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.browser.find(Locator::Css(css)).await {
                Ok(el) => return el,
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("`{css}` never appeared: {e}"),
            }
        }
    }

    /// How many elements match right now.
    /// Checks, again and again for `window`, that `css` matches exactly `expected` elements: for
    /// something that must *not* happen (a request not sent, a status that must not change by
    /// itself). Fails at the first look that differs, naming `what`.
    pub async fn count_stays(&self, what: &str, css: &str, expected: usize, window: Duration) {
        let until = Instant::now() + window;
        loop {
            assert_eq!(self.count(css).await, expected, "{what}");
            if Instant::now() >= until {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn count(&self, css: &str) -> usize {
        self.browser
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Replaces the text of an input, as a user typing it.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.wait_for(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Picks an option of a `<select>` by its visible text.
    pub async fn choose(&self, css: &str, label: &str) {
        self.wait_for(css)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("{css}: no option {label:?}: {e}"));
    }

    /// Signs in through the form. From any page that needs a session the console leads to the
    /// form by itself (and back afterwards); otherwise the sign-in page is opened. Returns once
    /// the console shows the user as signed in.
    pub async fn sign_in(&self, user: &str, password: &str) {
        // The console leads to sign-in by itself once it knows there is no session; give it
        // the moment that takes before opening the page directly (which would forget `next`).
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.location().await.starts_with("/sign-in") {
            if Instant::now() > deadline {
                self.open("/sign-in").await;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.type_into("#sign-in-username", user).await;
        self.type_into("#sign-in-password", password).await;
        self.click("[data-testid=sign-in-submit]").await;
        self.wait_for_text("[data-testid=user-menu-name]", user)
            .await;
    }

    /// Signs out through the user menu and waits for the sign-in page.
    pub async fn sign_out(&self) {
        self.click("[data-testid=user-menu]").await;
        self.click("[data-testid=sign-out]").await;
        self.wait_for("#sign-in-username").await;
    }

    /// Calls the API from the page, as a script running in the console could (same origin, the
    /// session cookie, the `X-Requested-With` header), and returns the HTTP status.
    pub async fn api_status(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        if_match: Option<i64>,
    ) -> u16 {
        let script = r#"
            const [method, path, body, ifMatch, done] = arguments;
            const headers = { 'X-Requested-With': 'byoc-console', 'Content-Type': 'application/json' };
            if (ifMatch !== null) headers['If-Match'] = '"' + ifMatch + '"';
            fetch(path, { method, headers, credentials: 'include',
                          body: body === null ? undefined : JSON.stringify(body) })
                .then(r => done(r.status), e => done(String(e)));
        "#;
        let args = vec![
            method.into(),
            path.into(),
            body.unwrap_or(serde_json::Value::Null),
            if_match.map_or(serde_json::Value::Null, Into::into),
        ];
        let status = self.browser.execute_async(script, args).await.unwrap();
        status
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or_else(|| panic!("{method} {path}: {status}"))
    }

    /// Sends a change from the page like [`Harness::api_status`] and returns the status and the
    /// JSON answer.
    pub async fn api_send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let script = r#"
            const [method, path, body, done] = arguments;
            const headers = { 'X-Requested-With': 'byoc-console', 'Content-Type': 'application/json' };
            fetch(path, { method, headers, credentials: 'include',
                          body: body === null ? undefined : JSON.stringify(body) })
                .then(r => r.json().then(j => done([r.status, j]), () => done([r.status, null])),
                      e => done([0, String(e)]));
        "#;
        let args = vec![
            method.into(),
            path.into(),
            body.unwrap_or(serde_json::Value::Null),
        ];
        let answer = self.browser.execute_async(script, args).await.unwrap();
        let status = answer[0]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or_else(|| panic!("{method} {path}: {answer}"));
        (status, answer[1].clone())
    }

    /// GETs JSON from the API from the page (with the session cookie).
    pub async fn api_get(&self, path: &str) -> serde_json::Value {
        let script = r#"
            const [path, done] = arguments;
            fetch(path, { credentials: 'include' }).then(r => r.json()).then(done, e => done(String(e)));
        "#;
        self.browser
            .execute_async(script, vec![path.into()])
            .await
            .unwrap()
    }

    /// The control plane's data directory (its database), e.g. to add bulk data beside it.
    pub fn data_path(&self) -> &std::path::Path {
        self._data.path()
    }

    pub async fn stop(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}

/// A test that fails before `stop` still ends its ChromeDriver, which would otherwise outlive the
/// test run (and whatever it inherited), and the browser it started: killed alone, ChromeDriver
/// left Chromium running (found after failed runs; a fresh browser per test kept piling up).
impl Drop for Harness {
    fn drop(&mut self) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-P", &self.driver.id().to_string()])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}
