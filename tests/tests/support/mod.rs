//! Harness for end-to-end tests: the real control plane on a free port serving the built console,
//! ChromeDriver on another, and a headless Chromium session driven through WebDriver.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub struct Harness {
    pub base: String,
    pub browser: Client,
    /// Where the browser saves downloads.
    pub downloads: tempfile::TempDir,
    driver: Child,
    _data: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
        let data = tempfile::tempdir().unwrap();
        let mut config = byoc_server::config::Config::for_tests(data.path());
        config.console_dir = console_dir();
        let state = byoc_server::prepare(config).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = byoc_server::app(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));

        let downloads = tempfile::tempdir().unwrap();
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=1280,900", "--lang=en-US"],
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

    pub async fn stop(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}
